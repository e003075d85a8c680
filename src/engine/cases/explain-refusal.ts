/** For an event the machine did not take, the reasons in words, using the same checks as its guards. */
import type { CaseContext, CaseEvent } from './case-events.js';
import type { CheckTools, Refusal } from './command-checks.js';
import {
  acknowledgeRefusals, approveRefusals, cancelRefusals, chooseRefusals, completeRefusals, refuseRefusals, startProcedureRefusals,
} from './event-checks.js';
import { successors } from '../language/sop-types.js';

export function explainRefusal(tools: CheckTools, context: CaseContext, event: CaseEvent): Refusal[] {
  switch (event.type) {
    case 'COMPLETE': {
      const endsCase = endsTheCase(tools, event.step);
      const final = completeRefusals(tools, context, event, { step: event.step, endsCase }, 'final');
      const partial = completeRefusals(tools, context, event, { step: event.step, endsCase }, 'partial');
      // The synthetic "waiting for the other party" refusal only says which mode did not apply.
      const real = (list: Refusal[]) => list.filter((r) => !(r.code === 'wrong-step' && !r.field));
      return real(final).length <= real(partial).length ? real(final) : real(partial);
    }
    case 'CHOOSE': {
      const step = tools.steps.get(event.step);
      const branches = step?.kind === 'decision' ? Object.keys(step.branches) : step?.kind === 'loop' ? ['repeat', 'exit'] : [];
      if (!branches.includes(event.branch)) return [{ code: 'unknown-branch', field: '/branch', message: `step "${event.step}" has no branch "${event.branch}"; choose ${branches.map((b) => `"${b}"`).join(' or ')}` }];
      return chooseRefusals(tools, context, event, { step: event.step, branch: event.branch, endsCase: endsTheCase(tools, event.step, event.branch) });
    }
    case 'APPROVE':
      return approveRefusals(tools, context, event, { step: event.step, endsCase: endsTheCase(tools, event.step, 'approved') });
    case 'REFUSE':
      return refuseRefusals(tools, context, event, { step: event.step, endsCase: endsTheCase(tools, event.step, 'refused') });
    case 'ACKNOWLEDGE':
      return acknowledgeRefusals(tools, context, event);
    case 'START_PROCEDURE': {
      const procedure = tools.steps.get(event.procedure);
      if (procedure?.kind !== 'procedure') return [{ code: 'wrong-step', field: '/procedure', message: `"${event.procedure}" is not an on-demand procedure of this SOP` }];
      if (context.openProcedures.includes(event.procedure)) return [{ code: 'procedure-open', field: '/procedure', message: `procedure "${event.procedure}" is already running in this case; finish it first` }];
      return startProcedureRefusals(tools, context, event, { procedure: event.procedure });
    }
    case 'RETRY': {
      const step = tools.steps.get(event.step);
      if (step?.kind !== 'task' || step.uses === undefined) return [{ code: 'no-adapter', field: '/step', message: `step "${event.step}" runs no adapter, so there is nothing to retry` }];
      return event.actor.roles.includes(step.role) ? [] : [{ code: 'wrong-role', field: '/actor/roles', message: `only role "${step.role}" may retry step "${event.step}"` }];
    }
    case 'CANCEL':
      return cancelRefusals(tools, event);
  }
}

/** Whether leaving `stepId` (by `label`, or its only way) would end the case. */
function endsTheCase(tools: CheckTools, stepId: string, label?: string): boolean {
  const step = tools.steps.get(stepId);
  if (!step || step.procedure !== undefined) return false;
  return successors(step).some((edge) => (label === undefined || edge.label === label) && (edge.target === null || tools.steps.get(edge.target)?.kind === 'end'));
}
