/**
 * Layer two of validation: what a schema cannot see. References between steps and roles,
 * reachability, dead ends, durations, adapters, policies, output schemas and budget sums.
 * Runs on the normalised definition; every finding points at the YAML that causes it.
 */
import { ADAPTERS, isAdapterName, isPolicyName, POLICIES } from './adapter-catalog.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { toPointer } from './diagnostics.js';
import { formatDuration } from './duration.js';
import { createAjv } from './json-schema.js';
import type { SourcePath } from './normalize-sop.js';
import { happyPath } from './happy-path.js';
import type { SopDefinition, SopStep } from './sop-types.js';
import { isFlowStep, successors } from './sop-types.js';
import { didYouMean } from './suggest.js';
import type { Position } from './yaml-source.js';

export interface SemanticContext {
  file: string;
  definition: SopDefinition;
  stepPaths: Map<string, SourcePath>;
  positionAt: (path: SourcePath, target?: 'value' | 'key') => Position;
  /** The raw step list, for checks that must see duplicates before normalisation merged them. */
  rawSteps: Array<{ id: string; path: SourcePath }>;
}

const INPUT_REFERENCE = /^\$\{([a-z][a-z0-9-]*)\.([A-Za-z0-9_.]+)\}$/;

export function checkSemantics(context: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: SourcePath, code: string, message: string, severity: Severity = 'error', target: 'value' | 'key' = 'value'): void => {
    out.push({ file: context.file, ...context.positionAt(path, target), severity, code, message, path: toPointer(path) });
  };
  const { definition } = context;
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const stepIds = [...byId.keys()];
  const roleIds = definition.roles.map((r) => r.id);
  const pathOf = (step: SopStep): SourcePath => context.stepPaths.get(step.id) ?? [];

  checkDuplicateIds(context, report);

  // Roles.
  const usedRoles = new Set<string>();
  const checkRole = (role: string | undefined, path: SourcePath, owner: string): void => {
    if (role === undefined) return;
    usedRoles.add(role);
    if (!roleIds.includes(role)) {
      report(path, 'unknown-role', `${owner} names role "${role}", which is not declared under roles${didYouMean(role, roleIds)}`);
    }
  };
  definition.escalation.notify.forEach((role, i) => checkRole(role, ['escalation', 'notify', i], 'escalation'));

  for (const step of definition.steps) {
    const path = pathOf(step);
    const owner = `step "${step.id}"`;
    checkRole(step.role, [...path, 'role'], owner);
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
    if (step.kind === 'loop') {
      references.push({ field: ['repeat'], target: step.repeat, verb: 'repeats from' }, { field: ['exit'], target: step.exit, verb: 'exits to' });
      if (step.every !== undefined && step.everyMs === undefined) report([...path, 'every'], 'invalid-duration', durationMessage(owner, 'every', step.every));
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
        report(where, 'unknown-step', `${owner} ${ref.verb} "${ref.target}" but no step has that id${didYouMean(ref.target, stepIds)}`);
      } else if (!isFlowStep(target)) {
        report(where, 'not-a-flow-step', `${owner} ${ref.verb} "${ref.target}", which is a ${target.kind}; ${target.kind === 'rule' ? 'rules are acknowledged, not stepped into' : 'a procedure starts on demand, not from the flow'}`);
      } else if (target.procedure !== step.procedure) {
        report(where, 'cross-flow', `${owner} ${ref.verb} "${ref.target}", which belongs to ${flowName(target.procedure)}; a step can only go to steps of its own flow (${flowName(step.procedure)})`);
      }
    }

    if (step.kind === 'task') {
      if (step.uses !== undefined && !isAdapterName(step.uses)) {
        report([...path, 'uses'], 'unknown-adapter', `${owner} uses "${step.uses}", which is not a known adapter${didYouMean(step.uses, Object.keys(ADAPTERS)) || `; known adapters: ${Object.keys(ADAPTERS).join(', ')}`}`);
      }
      if (Object.keys(step.input).length > 0 && step.uses === undefined) {
        report([...path, 'input'], 'input-without-adapter', `${owner} has "input" but no "uses"; input is passed to an adapter, so name one or remove it`);
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
      report([...path, 'kind'], 'nested-not-allowed', `${owner} is a ${step.kind} inside procedure "${step.procedure}"; rules and procedures belong to the main table`);
    }

    if (step.output?.schema) checkOutputSchema(step, path, report);
  }

  for (const role of roleIds) {
    if (!usedRoles.has(role)) report(['roles', role], 'unused-role', `role "${role}" is declared but no step, party or notification uses it`, 'warning', 'key');
  }

  if (definition.start === '') {
    report(['steps'], 'no-flow', 'the main table has no task, decision, loop, approval or end row to start from');
  } else {
    checkGraph(context, report);
  }
  checkBudgets(context, report);
  return out;
}

type Report = (path: SourcePath, code: string, message: string, severity?: Severity, target?: 'value' | 'key') => void;

function flowName(procedure: string | undefined): string {
  return procedure === undefined ? 'the main flow' : `procedure "${procedure}"`;
}

function durationMessage(owner: string, field: string, text: string): string {
  return `${owner} ${field} "${text}" is not a duration; write e.g. "15 menit", "1 jam 30 menit", "2 hari", "10m" or "PT15M"`;
}

function checkDuplicateIds(context: SemanticContext, report: Report): void {
  const first = new Map<string, SourcePath>();
  for (const { id, path } of context.rawSteps) {
    const earlier = first.get(id);
    if (earlier) {
      const at = context.positionAt([...earlier, 'id']);
      report([...path, 'id'], 'duplicate-id', `step id "${id}" is already used at line ${at.line}; step ids must be unique`);
    } else {
      first.set(id, path);
    }
  }
}

const outputAjv = createAjv();

function checkOutputSchema(step: SopStep, path: SourcePath, report: Report): void {
  try {
    outputAjv.compile(step.output!.schema!);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    report([...path, 'output', 'schema'], 'invalid-output-schema', `the output schema of step "${step.id}" is not a valid JSON Schema: ${reason}`);
  }
}

/** Unreachable steps and steps from which no end can be reached, per flow. */
function checkGraph(context: SemanticContext, report: Report): void {
  const { definition } = context;
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const flows = new Map<string | undefined, string>([[undefined, definition.start]]);
  for (const step of definition.steps) {
    if (step.kind === 'procedure' && step.steps[0] !== undefined) flows.set(step.id, step.steps[0]);
  }
  for (const [procedure, start] of flows) {
    const members = definition.steps.filter((s) => s.procedure === procedure && isFlowStep(s));
    const edges = (id: string): string[] =>
      successors(byId.get(id)!).flatMap((e) => {
        const target = e.target === null ? undefined : byId.get(e.target);
        return target && target.procedure === procedure && isFlowStep(target) ? [target.id] : [];
      });
    const reached = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (reached.has(id) || !byId.has(id)) continue;
      reached.add(id);
      queue.push(...edges(id));
    }
    // A step "finishes" when it ends the flow (end row, no next, refusal that ends) or leads to one that does.
    const finishes = new Set<string>();
    for (const step of members) {
      if (successors(step).some((e) => e.target === null) || step.kind === 'end') finishes.add(step.id);
    }
    let grew = true;
    while (grew) {
      grew = false;
      for (const step of members) {
        if (!finishes.has(step.id) && edges(step.id).some((t) => finishes.has(t))) {
          finishes.add(step.id);
          grew = true;
        }
      }
    }
    for (const step of members) {
      const path = context.stepPaths.get(step.id) ?? [];
      if (!reached.has(step.id)) {
        report([...path, 'id'], 'unreachable', `step "${step.id}" can never be reached: no step of ${flowName(procedure)} goes to it`);
      } else if (!finishes.has(step.id)) {
        report([...path, 'id'], 'dead-end', `step "${step.id}" can never reach the end of ${flowName(procedure)}: every path from it loops back; give the loop an exit`);
      }
    }
  }
}

function hasUnparsedTime(step: SopStep): boolean {
  return step.time !== undefined && step.budgetMs === undefined;
}

/** Declared totals against the steps' budgets along the happy path. */
function checkBudgets(context: SemanticContext, report: Report): void {
  const { definition } = context;
  if (definition.totalTime !== undefined) {
    if (definition.totalBudgetMs === undefined) {
      report(['totalTime'], 'invalid-duration', durationMessage('the SOP', 'totalTime', definition.totalTime));
    } else if (definition.start !== '') {
      const path = happyPath(definition, definition.start);
      const sum = path.reduce((total, s) => total + (s.budgetMs ?? 0), 0);
      // A step whose time did not parse is reported on its own; a sum without it would mislead.
      if (!path.some(hasUnparsedTime) && sum !== definition.totalBudgetMs) {
        report(['totalTime'], 'budget-sum', `totalTime is ${formatDuration(definition.totalBudgetMs)} but the happy path's steps add up to ${formatDuration(sum)}; correct one of them`);
      }
    }
  }
  for (const step of definition.steps) {
    if (step.kind !== 'procedure' || step.budgetMs === undefined || step.steps[0] === undefined) continue;
    const path = happyPath(definition, step.steps[0]);
    const sum = path.reduce((total, s) => total + (s.budgetMs ?? 0), 0);
    if (!path.some(hasUnparsedTime) && sum > step.budgetMs) {
      const path = context.stepPaths.get(step.id) ?? [];
      report([...path, 'time'], 'budget-sum', `procedure "${step.id}" allows ${formatDuration(step.budgetMs)} but its steps add up to ${formatDuration(sum)}; raise its time or lower the steps'`);
    }
  }
}

