/**
 * Layer two of validation: what a schema cannot see. References between steps and roles,
 * reachability, dead ends, durations, adapters, policies, output schemas and budget sums.
 * Runs on the normalised definition; every finding points at the YAML that causes it.
 */
import { ADAPTERS, isAdapterName, isPolicyName, POLICIES } from './adapter-catalog.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { DOCUMENT_TEMPLATES, isDocumentTemplateName } from './document-templates.js';
import { toPointer } from './diagnostics.js';
import { checkBudgets, checkGraph } from './flow-checks.js';
import { durationMessage, flowName, type Report, type SemanticContext } from './semantic-context.js';
import { createOutputSchemaChecker } from './output-schema-check.js';
import type { SourcePath } from './normalize-sop.js';
import type { SopStep } from './sop-types.js';
import { isFlowStep } from './sop-types.js';
import { didYouMean, suggest } from './suggest.js';


const INPUT_REFERENCE = /^\$\{([a-z][a-z0-9-]*)\.([A-Za-z0-9_.]+)\}$/;

const MIN_INTERVAL_MS = 60_000;

/** Why a row outside the flow cannot be the target of a flow reference. */
const NOT_STEPPED_INTO = {
  rule: 'rules are acknowledged, not stepped into',
  procedure: 'a procedure starts on demand, not from the flow',
  duty: 'a duty comes round by itself every so often, beside the flow',
} as const;

export function checkSemantics(context: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: SourcePath, code: string, message: string, severity: Severity = 'error', target: 'value' | 'key' = 'value'): void => {
    out.push({ file: context.file, ...context.positionAt(path, target), severity, code, message, path: toPointer(path) });
  };
  const { definition } = context;
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const stepIds = [...byId.keys()];
  const roleIds = definition.roles.map((r) => r.id);
  const declaredRoles = new Set(roleIds);
  const pathOf = (step: SopStep): SourcePath => context.stepPaths.get(step.id) ?? [];

  const checkOutputSchema = createOutputSchemaChecker();
  checkDuplicateIds(context, report);
  /** Steps with a reference that does not lead to a step of their flow (already reported). */
  const brokenSteps = new Set<string>();

  // Roles.
  const usedRoles = new Set<string>();
  const checkRole = (role: string | undefined, path: SourcePath, owner: string): void => {
    if (role === undefined) return;
    usedRoles.add(role);
    if (!declaredRoles.has(role)) {
      // The role it was probably meant to be is not "unused": the error already points at it.
      const meant = suggest(role, roleIds);
      if (meant !== undefined) usedRoles.add(meant);
      report(path, 'unknown-role', `${owner} names role "${role}", which is not declared under roles${didYouMean(role, roleIds)}`);
    }
  };
  definition.escalation.notify.forEach((role, i) => checkRole(role, ['escalation', 'notify', i], 'escalation'));

  for (const step of definition.steps) {
    const path = pathOf(step);
    const owner = `step "${step.id}"`;
    if (step.roles.length > 1) {
      step.roles.forEach((role, i) => checkRole(role, [...path, 'role', i], owner));
      checkSeveralPelaksana(step, path, owner, report);
    } else {
      checkRole(step.role, [...path, 'role'], owner);
      if (step.by !== undefined) report([...path, 'by'], 'by-without-roles', `${owner} says "by: ${step.by}" but names one pelaksana; "by" says how several pelaksana share a row, e.g. role: [pemohon, petugas]`);
    }
    step.notify.forEach((role, i) => checkRole(role, [...path, 'notify', i], owner));

    if (step.time !== undefined && step.budgetMs === undefined) {
      report([...path, 'time'], 'invalid-duration', durationMessage(owner, 'time', step.time));
    }

    // References to other steps, each checked for existence and for staying inside its flow.
    const references: Array<{ field: SourcePath; target: string; verb: string }> = [];
    if (step.kind === 'task' && step.next !== null) references.push({ field: ['next'], target: step.next, verb: 'goes to' });
    if (step.kind === 'decision') {
      for (const [branch, target] of Object.entries(step.branches)) references.push({ field: ['branches', branch], target, verb: `branch "${branch}" goes to` });
    }
    if (step.kind === 'loop') references.push({ field: ['repeat'], target: step.repeat, verb: 'repeats from' }, { field: ['exit'], target: step.exit, verb: 'exits to' });
    if ((step.kind === 'loop' || step.kind === 'duty') && step.every !== undefined) {
      if (step.everyMs === undefined) report([...path, 'every'], 'invalid-duration', durationMessage(owner, 'every', step.every));
      // Each round is a task, a log event and a notification: rounds seconds apart would flood all three.
      else if (step.everyMs < MIN_INTERVAL_MS) report([...path, 'every'], 'interval-too-short', `${owner} comes round every "${step.every}"; a periodic round must be at least 1 menit apart`);
    }
    if (step.kind === 'approval') {
      if (step.approved !== null) references.push({ field: ['approved'], target: step.approved, verb: 'goes to' });
      if (step.refused !== null) references.push({ field: ['refused'], target: step.refused, verb: 'goes to' });
    }
    for (const ref of references) {
      const target = byId.get(ref.target);
      const where = [...path, ...ref.field];
      // Implicit `next` values have no source of their own; they always exist.
      if (!target) {
        brokenSteps.add(step.id);
        // A step is never the likely meaning of its own reference.
        report(where, 'unknown-step', `${owner} ${ref.verb} "${ref.target}" but no step has that id${didYouMean(ref.target, stepIds.filter((id) => id !== step.id))}`);
      } else if (!isFlowStep(target)) {
        brokenSteps.add(step.id);
        const why = NOT_STEPPED_INTO[target.kind as 'rule' | 'procedure' | 'duty'];
        report(where, 'not-a-flow-step', `${owner} ${ref.verb} "${ref.target}", which is a ${target.kind}; ${why}, so name a task, decision, loop, approval or end step instead`);
      } else if (target.procedure !== step.procedure) {
        brokenSteps.add(step.id);
        report(where, 'cross-flow', `${owner} ${ref.verb} "${ref.target}", which belongs to ${flowName(target.procedure)}; a step can only go to steps of its own flow (${flowName(step.procedure)})`);
      }
    }

    if (step.kind === 'task' && step.document !== undefined && !isDocumentTemplateName(step.document)) {
      const known = Object.keys(DOCUMENT_TEMPLATES);
      report([...path, 'document'], 'unknown-document', `${owner} names document "${step.document}", which is not a known template${didYouMean(step.document, known) || `; known templates: ${known.join(', ')}`}`);
    }
    if (step.kind === 'task' || step.kind === 'duty') {
      if (step.uses !== undefined && !isAdapterName(step.uses)) {
        report([...path, 'uses'], 'unknown-adapter', `${owner} uses "${step.uses}", which is not a known adapter${didYouMean(step.uses, Object.keys(ADAPTERS)) || `; known adapters: ${Object.keys(ADAPTERS).join(', ')}`}`);
      }
      if (Object.keys(step.input).length > 0 && step.uses === undefined) {
        report([...path, 'input'], 'input-without-adapter', `${owner} has "input" but no "uses"; input is passed to an adapter, so name one with "uses" or remove the input`, 'error', 'key');
      }
      for (const [key, value] of Object.entries(step.input)) {
        const match = typeof value === 'string' ? INPUT_REFERENCE.exec(value) : null;
        if (match && !byId.has(match[1]!)) {
          report([...path, 'input', key], 'unknown-step', `${owner} input "${key}" refers to step "${match[1]}" but no step has that id${didYouMean(match[1]!, stepIds)}`);
        }
      }
      const partyIds = new Set<string>();
      step.parties.forEach((party, i) => {
        checkRole(party.role, [...path, 'parties', i, 'role'], `${owner} party "${party.id}"`);
        if (partyIds.has(party.id)) report([...path, 'parties', i, 'id'], 'duplicate-party', `${owner} lists party "${party.id}" twice; each party needs its own id`);
        partyIds.add(party.id);
      });
    }

    if (step.kind === 'rule') {
      step.enforces.forEach((policy, i) => {
        if (!isPolicyName(policy)) report([...path, 'enforces', i], 'unknown-policy', `${owner} enforces "${policy}", which is not a known policy${didYouMean(policy, Object.keys(POLICIES)) || `; known policies: ${Object.keys(POLICIES).join(', ')}`}`);
      });
      if (step.acknowledgeBefore !== undefined) {
        const target = byId.get(step.acknowledgeBefore);
        if (!target) report([...path, 'acknowledgeBefore'], 'unknown-step', `${owner} must be acknowledged before "${step.acknowledgeBefore}" but no step has that id${didYouMean(step.acknowledgeBefore, stepIds)}`);
        else if (!isFlowStep(target)) report([...path, 'acknowledgeBefore'], 'not-a-flow-step', `${owner} must be acknowledged before "${step.acknowledgeBefore}", which is a ${target.kind}; name a step of the flow`);
      }
    }

    if ((step.kind === 'rule' || step.kind === 'procedure') && step.procedure !== undefined) {
      report([...path, 'kind'], 'nested-not-allowed', `${owner} is a ${step.kind} inside procedure "${step.procedure}"; rules and procedures belong to the main table, so move it to the top-level steps`);
    }

    if (step.output?.schema) checkOutputSchema(step, path, report);
    checkEndAndProcedureShape(step, path, byId, report);
  }

  for (const role of roleIds) {
    if (!usedRoles.has(role)) report(['roles', role], 'unused-role', `role "${role}" is declared but no step, party or notification uses it`, 'warning', 'key');
  }

  if (definition.start === '') {
    report(['steps'], 'no-flow', 'the main table has no task, decision, loop, approval or end row to start from');
  } else {
    checkGraph(context, brokenSteps, report);
  }
  checkBudgets(context, brokenSteps, report);
  return out;
}


/** An end row is a terminator: no mutu baku of its own. A procedure must start with work, not its end. */
function checkEndAndProcedureShape(step: SopStep, path: SourcePath, byId: ReadonlyMap<string, SopStep>, report: Report): void {
  if (step.kind === 'end') {
    const extras = (['time', 'requirements', 'output'] as const).filter((field) => (field === 'requirements' ? step.requirements.length > 0 : step[field] !== undefined));
    for (const field of extras) {
      report([...path, field], 'end-with-mutu-baku', `step "${step.id}" is an end row (the terminator), which has no ${field === 'time' ? 'waktu' : field === 'output' ? 'output' : 'kelengkapan'}; move "${field}" to the step before it`, 'error', 'key');
    }
  }
  if (step.kind === 'procedure' && step.steps[0] !== undefined && byId.get(step.steps[0])?.kind === 'end') {
    report([...path, 'steps', 0], 'procedure-starts-with-end', `procedure "${step.id}" starts with its end row "${step.steps[0]}"; put the procedure's first activity first`);
  }
}



function checkDuplicateIds(context: SemanticContext, report: Report): void {
  const first = new Map<string, SourcePath>();
  for (const { id, path } of context.rawSteps) {
    const earlier = first.get(id);
    if (earlier) {
      const at = context.positionAt([...earlier, 'id']);
      report([...path, 'id'], 'duplicate-id', `step id "${id}" is already used by the step on line ${at.line}; step ids must be unique, so rename one of them`);
    } else {
      first.set(id, path);
    }
  }
}

/** A row with several pelaksana says who acts: any one of them, or all of them (each signs). */
function checkSeveralPelaksana(step: SopStep, path: SourcePath, owner: string, report: Report): void {
  const list = step.roles.join(', ');
  if (step.by === undefined) {
    report([...path, 'role'], 'missing-by', `${owner} names several pelaksana (${list}); add "by: any" when any one of them does it, or "by: all" when each of them must sign`);
  } else if (step.by === 'all' && step.kind !== 'task') {
    report([...path, 'by'], 'by-all-not-task', `${owner} is a ${step.kind}: one person ${step.kind === 'decision' || step.kind === 'loop' ? 'chooses' : 'decides'}, so "by: all" cannot apply; use "by: any"`);
  } else if (step.by === 'all' && step.kind === 'task' && (step.parties.length !== step.roles.length || step.parties.some((p, i) => p.id !== step.roles[i]))) {
    // `by: all` makes one party per role, named after it; other parties were written by hand.
    report([...path, 'by'], 'by-all-with-parties', `${owner} has both "by: all" and "parties"; "by: all" makes each role a party, so keep one of them`);
  }
}
