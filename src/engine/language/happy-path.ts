import type { FlowStep, SopDefinition, SopStep } from './sop-types.js';
import { isFlowStep, stepIndex } from './sop-types.js';

/**
 * The flow steps visited from `start` taking the first branch of each decision, approving each
 * approval and leaving each loop after one round: the path `totalTime` is checked against.
 */
export function happyPath(definition: SopDefinition, start: string, byId: ReadonlyMap<string, SopStep> = stepIndex(definition)): FlowStep[] {
  const visited = new Set<string>();
  const path: FlowStep[] = [];
  let current: string | null = start;
  while (current !== null && !visited.has(current)) {
    const step = byId.get(current);
    if (!step || !isFlowStep(step)) break;
    visited.add(current);
    path.push(step);
    switch (step.kind) {
      case 'task': current = step.next; break;
      case 'decision': current = Object.values(step.branches)[0] ?? null; break;
      case 'loop': current = step.exit; break;
      case 'approval': current = step.approved; break;
      case 'end': current = null; break;
    }
  }
  return path;
}
