/**
 * Layer two of validation: what a schema cannot see. References between steps and roles,
 * reachability, dead ends, durations, adapters, policies, output schemas and budget sums.
 * Runs on the normalised definition; every finding points at the YAML that causes it.
 */
import { ADAPTERS, isAdapterName, isPolicyName, POLICIES } from './adapter-catalog.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { toPointer } from './diagnostics.js';
import { formatDuration } from './duration.js';
import { createOutputSchemaChecker } from './output-schema-check.js';
import type { SourcePath } from './normalize-sop.js';
import { happyPath } from './happy-path.js';
import type { SopDefinition, SopStep } from './sop-types.js';
import { isFlowStep, successors } from './sop-types.js';
import { didYouMean, suggest } from './suggest.js';
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

  const checkOutputSchema = createOutputSchemaChecker();
  checkDuplicateIds(context, report);
  /** Steps with a reference that does not lead to a step of their flow (already reported). */
  const brokenSteps = new Set<string>();

  // Roles.
  const usedRoles = new Set<string>();
  const checkRole = (role: string | undefined, path: SourcePath, owner: string): void => {
    if (role === undefined) return;
    usedRoles.add(role);
    if (!roleIds.includes(role)) {
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
        brokenSteps.add(step.id);
        report(where, 'unknown-step', `${owner} ${ref.verb} "${ref.target}" but no step has that id${didYouMean(ref.target, stepIds)}`);
      } else if (!isFlowStep(target)) {
        brokenSteps.add(step.id);
        const why = target.kind === 'rule' ? 'rules are acknowledged, not stepped into' : 'a procedure starts on demand, not from the flow';
        report(where, 'not-a-flow-step', `${owner} ${ref.verb} "${ref.target}", which is a ${target.kind}; ${why}, so name a task, decision, loop, approval or end step instead`);
      } else if (target.procedure !== step.procedure) {
        brokenSteps.add(step.id);
        report(where, 'cross-flow', `${owner} ${ref.verb} "${ref.target}", which belongs to ${flowName(target.procedure)}; a step can only go to steps of its own flow (${flowName(step.procedure)})`);
      }
    }

    if (step.kind === 'task') {
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

type Report = (path: SourcePath, code: string, message: string, severity?: Severity, target?: 'value' | 'key') => void;

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
      report([...path, 'id'], 'duplicate-id', `step id "${id}" is already used by the step on line ${at.line}; step ids must be unique, so rename one of them`);
    } else {
      first.set(id, path);
    }
  }
}

function checkGraph(context: SemanticContext, brokenSteps: ReadonlySet<string>, report: Report): void {
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
    // A step "finishes" when it ends the flow (end row, no next, refusal that ends) or leads to one
    // that does. A step with a broken reference (reported already) gets the benefit of the doubt.
    const finishes = new Set<string>();
    for (const step of members) {
      if (brokenSteps.has(step.id) || successors(step).some((e) => e.target === null) || step.kind === 'end') finishes.add(step.id);
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
    // With a broken reference the flow's shape is unknown (the typo may have meant any step), so
    // "nothing goes to it" would only echo that error.
    const hasBroken = members.some((s) => brokenSteps.has(s.id));
    for (const step of members) {
      if (!reached.has(step.id) && !hasBroken) {
        const path = context.stepPaths.get(step.id) ?? [];
        report([...path, 'id'], 'unreachable', `step "${step.id}" can never be reached: no step of ${flowName(procedure)} goes to it; point a next, branch or exit at it, or remove it`);
      }
    }
    const stuck = members.filter((s) => reached.has(s.id) && !finishes.has(s.id)).map((s) => s.id);
    for (const trap of traps(stuck, edges)) reportTrap(context, trap.map((id) => byId.get(id)!), procedure, report);
  }
}

/**
 * The groups of stuck steps that lead only to each other (cycles with no way out), in document
 * order. Every stuck step leads into one; the steps before it are stuck only because of it.
 */
function traps(stuck: readonly string[], edges: (id: string) => string[]): string[][] {
  const reach = new Map<string, Set<string>>();
  for (const id of stuck) {
    const seen = new Set<string>();
    const queue = [id];
    while (queue.length > 0) {
      const current = queue.pop()!;
      for (const next of edges(current)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    reach.set(id, seen);
  }
  const out: string[][] = [];
  const done = new Set<string>();
  for (const id of stuck) {
    if (done.has(id)) continue;
    const reachable = reach.get(id)!;
    const terminal = reachable.has(id) && [...reachable].every((other) => reach.get(other)?.has(id));
    if (!terminal) continue;
    const members = stuck.filter((other) => reachable.has(other));
    members.forEach((m) => done.add(m));
    out.push(members);
  }
  return out;
}

function reportTrap(context: SemanticContext, trap: SopStep[], procedure: string | undefined, report: Report): void {
  const flow = flowName(procedure);
  const loop = trap.find((s) => s.kind === 'loop');
  if (loop?.kind === 'loop') {
    const path = context.stepPaths.get(loop.id) ?? [];
    report([...path, 'exit'], 'dead-end', `loop "${loop.id}" exits to "${loop.exit}", which leads back into the loop, so ${flow} can never reach its end; point "exit" at a step outside the loop`);
    return;
  }
  // Flows run down the table, so the jump back up (the last one) is the likely mistake.
  const order = new Map(trap.map((s, i) => [s.id, i]));
  const backward = trap.flatMap((step) => explicitEdges(step).filter((e) => order.has(e.target) && order.get(e.target)! <= order.get(step.id)!).map((e) => ({ step, ...e })));
  const jump = backward[backward.length - 1];
  const cycle = trap.length === 1 ? '' : ` (steps ${listOf(trap.map((s) => `"${s.id}"`))})`;
  if (jump) {
    const path = context.stepPaths.get(jump.step.id) ?? [];
    const what = jump.target === jump.step.id
      ? `step "${jump.step.id}" ${jump.verb} itself`
      : `step "${jump.step.id}" ${jump.verb} "${jump.target}", closing a cycle${cycle} that has no way out, so`;
    const rest = jump.target === jump.step.id ? `, so ${flow} can never reach its end; point it at another step` : ` ${flow} can never reach its end; point it at a step outside the cycle or add a decision that leaves it`;
    report([...path, ...jump.field], 'dead-end', `${what}${rest}`);
    return;
  }
  const first = trap[0]!;
  report([...(context.stepPaths.get(first.id) ?? []), 'id'], 'dead-end', `steps ${listOf(trap.map((s) => `"${s.id}"`))} lead only to each other, so ${flow} can never reach its end from them; give one of them a way out`);
}

/** The step references written in the file (implicit next rows are never backward jumps). */
function explicitEdges(step: SopStep): Array<{ field: SourcePath; target: string; verb: string }> {
  switch (step.kind) {
    case 'task':
      return step.next === null ? [] : [{ field: ['next'], target: step.next, verb: 'goes back to' }];
    case 'decision':
      return Object.entries(step.branches).map(([branch, target]) => ({ field: ['branches', branch], target, verb: `branch "${branch}" goes back to` }));
    case 'approval':
      return [
        ...(step.approved === null ? [] : [{ field: ['approved'], target: step.approved, verb: 'goes back to' }]),
        ...(step.refused === null ? [] : [{ field: ['refused'], target: step.refused, verb: 'sends a refusal back to' }]),
      ];
    default:
      return [];
  }
}

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Declared totals against the steps' budgets along the happy path. */
function checkBudgets(context: SemanticContext, brokenSteps: ReadonlySet<string>, report: Report): void {
  const { definition } = context;
  // A path through a broken reference or an unreadable time has no meaningful sum; both are reported already.
  const sumOf = (start: string): number | undefined => {
    const path = happyPath(definition, start);
    if (path.some((s) => brokenSteps.has(s.id) || (s.time !== undefined && s.budgetMs === undefined))) return undefined;
    return path.reduce((total, s) => total + (s.budgetMs ?? 0), 0);
  };
  if (definition.totalTime !== undefined) {
    if (definition.totalBudgetMs === undefined) {
      report(['totalTime'], 'invalid-duration', durationMessage('the SOP', 'totalTime', definition.totalTime));
    } else if (definition.start !== '') {
      const sum = sumOf(definition.start);
      if (sum !== undefined && sum !== definition.totalBudgetMs) {
        report(['totalTime'], 'budget-sum', `totalTime is ${formatDuration(definition.totalBudgetMs)} but the steps of the main path (first branch of each decision, one round of each loop) add up to ${formatDuration(sum)}; correct totalTime or the steps' times`);
      }
    }
  }
  for (const step of definition.steps) {
    if (step.kind !== 'procedure' || step.budgetMs === undefined || step.steps[0] === undefined) continue;
    const sum = sumOf(step.steps[0]);
    if (sum !== undefined && sum > step.budgetMs) {
      const path = context.stepPaths.get(step.id) ?? [];
      report([...path, 'time'], 'budget-sum', `procedure "${step.id}" allows ${formatDuration(step.budgetMs)} but its steps add up to ${formatDuration(sum)}; raise the procedure's time or lower its steps' times`);
    }
  }
}
