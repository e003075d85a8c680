/**
 * The flow as a graph: steps no path reaches, loops with no way out, and declared totals against
 * the budgets along the happy path.
 */
import { formatDuration } from './duration.js';
import { happyPath } from './happy-path.js';
import type { SourcePath } from './normalize-sop.js';
import { durationMessage, flowName, type Report, type SemanticContext } from './semantic-context.js';
import type { SopStep } from './sop-types.js';
import { isFlowStep, successors } from './sop-types.js';

export function checkGraph(context: SemanticContext, brokenSteps: ReadonlySet<string>, report: Report): void {
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
export function checkBudgets(context: SemanticContext, brokenSteps: ReadonlySet<string>, report: Report): void {
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
