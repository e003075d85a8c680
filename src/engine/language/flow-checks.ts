/**
 * The flow as a graph: steps no path reaches, loops with no way out, and declared totals against
 * the budgets along the happy path.
 */
import { formatDuration } from './duration.js';
import { happyPath } from './happy-path.js';
import type { SourcePath } from './normalize-sop.js';
import { durationMessage, flowName, type Report, type SemanticContext } from './semantic-context.js';
import type { SopStep } from './sop-types.js';
import { isFlowStep, stepIndex, successors } from './sop-types.js';

export function checkGraph(context: SemanticContext, brokenSteps: ReadonlySet<string>, report: Report): void {
  const { definition } = context;
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const flows = new Map<string | undefined, { start: string; members: SopStep[] }>([[undefined, { start: definition.start, members: [] }]]);
  for (const step of definition.steps) {
    if (step.kind === 'procedure' && step.steps[0] !== undefined) flows.set(step.id, { start: step.steps[0], members: [] });
  }
  for (const step of definition.steps) {
    if (isFlowStep(step)) flows.get(step.procedure)?.members.push(step);
  }
  for (const [procedure, { start, members }] of flows) {
    // Each step's edges once, inside its flow; every pass below is linear in steps + edges.
    const edges = new Map<string, string[]>();
    const incoming = new Map<string, string[]>(members.map((s) => [s.id, []]));
    for (const step of members) {
      const out: string[] = [];
      for (const edge of successors(step)) {
        const target = edge.target === null ? undefined : byId.get(edge.target);
        if (target && target.procedure === procedure && isFlowStep(target)) {
          out.push(target.id);
          incoming.get(target.id)!.push(step.id);
        }
      }
      edges.set(step.id, out);
    }
    const edgesOf = (id: string): readonly string[] => edges.get(id) ?? [];
    const reached = new Set<string>();
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (reached.has(id) || !edges.has(id)) continue;
      reached.add(id);
      queue.push(...edgesOf(id));
    }
    // A step "finishes" when it ends the flow (end row, no next, refusal that ends) or leads to one
    // that does: found backwards from those. A step with a broken reference (reported already)
    // gets the benefit of the doubt.
    const finishes = new Set<string>();
    const back: string[] = [];
    for (const step of members) {
      if (brokenSteps.has(step.id) || successors(step).some((e) => e.target === null) || step.kind === 'end') {
        finishes.add(step.id);
        back.push(step.id);
      }
    }
    while (back.length > 0) {
      for (const before of incoming.get(back.pop()!) ?? []) {
        if (!finishes.has(before)) {
          finishes.add(before);
          back.push(before);
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
    for (const trap of traps(stuck, edgesOf)) reportTrap(context, trap.map((id) => byId.get(id)!), procedure, report);
  }
}

/**
 * The groups of stuck steps that lead only to each other (cycles with no way out), in document
 * order. Every stuck step leads into one; the steps before it are stuck only because of it.
 * A trap is a strongly connected component with no edge leaving it (Tarjan's algorithm, with an
 * explicit stack so a long cycle cannot overflow the call stack). Stuck steps lead only to stuck
 * steps: a successor that finishes would make its predecessor finish.
 */
function traps(stuck: readonly string[], edges: (id: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sizes: number[] = [];
  let counter = 0;
  for (const root of stuck) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges(frame.id);
      if (frame.next < out.length) {
        const target = out[frame.next]!;
        frame.next += 1;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const id = sizes.length;
        let size = 0;
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, id);
          size += 1;
        } while (member !== frame.id);
        sizes.push(size);
      }
    }
  }
  // A component is a trap when it is a cycle (more than one step, or a step that leads to itself)
  // and no edge leaves it.
  const leaves = new Set<number>();
  const cyclic = new Set<number>();
  for (const id of stuck) {
    const own = component.get(id)!;
    if (sizes[own]! > 1) cyclic.add(own);
    for (const target of edges(id)) {
      if (component.get(target) !== own) leaves.add(own);
      else if (target === id) cyclic.add(own);
    }
  }
  const groups = new Map<number, string[]>();
  for (const id of stuck) {
    const own = component.get(id)!;
    if (!cyclic.has(own) || leaves.has(own)) continue;
    const group = groups.get(own);
    if (group) group.push(id);
    else groups.set(own, [id]);
  }
  return [...groups.values()];
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

/** `"a", "b" and "c"`; a long list names the first ten and counts the rest. */
function listOf(items: string[]): string {
  const shown = 10;
  if (items.length > shown + 1) return `${items.slice(0, shown).join(', ')} and ${(items.length - shown).toLocaleString('en-US')} more`;
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Declared totals against the steps' budgets along the happy path. */
export function checkBudgets(context: SemanticContext, brokenSteps: ReadonlySet<string>, report: Report): void {
  const { definition } = context;
  const byId = stepIndex(definition);
  // A path through a broken reference or an unreadable time has no meaningful sum; both are reported already.
  const sumOf = (start: string): number | undefined => {
    const path = happyPath(definition, start, byId);
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
