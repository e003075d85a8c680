/**
 * For an event the machine did not take, the truth about why, read from the machine itself:
 * the transitions the current states offer for this event type, and for each the reasons its
 * guard gives (`event-checks.ts`). A step that is not open is a conflict (the case moved on);
 * everything else is a list of refusals naming the field at fault.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { CaseContext, CaseEvent } from './case-events.js';
import { own } from './case-events.js';
import { quotedList, refusal, type CheckTools, type Refusal } from './command-checks.js';
import { evaluateGuard, GUARD_CHECKS, type GuardName, type GuardParams } from './event-checks.js';
import type { SopStep } from '../language/sop-types.js';

export type Explanation = { kind: 'not-open'; step: string } | { kind: 'refused'; refusals: Refusal[] };

/** What each step kind is given, to point a misdirected command at the right one. */
const COMMANDS_OF_KIND: Record<string, string> = {
  task: '"complete"', duty: '"complete" (one round)', decision: '"choose"', loop: '"choose" (repeat or exit)', approval: '"approve" or "refuse"', end: 'nothing',
};
/** The same, as a refusal's language-neutral parameter. */
const COMMAND_NAMES_OF_KIND: Record<string, string> = {
  task: '"complete"', duty: '"complete"', decision: '"choose"', loop: '"choose"', approval: '"approve" / "refuse"', end: '—',
};

const COMMAND_OF_EVENT: Record<CaseEvent['type'], string> = {
  COMPLETE: 'complete', CHOOSE: 'choose', APPROVE: 'approve', REFUSE: 'refuse', ACKNOWLEDGE: 'acknowledge', START_PROCEDURE: 'start-procedure',
  RETRY: 'retry', CANCEL: 'cancel', START_STEP: 'start-step', ADD_NOTE: 'add-note', ADAPTER_DONE: 'adapter-succeeded',
  ADAPTER_FAILED: 'adapter-failed', OVERDUE: 'deadline', TICK: 'timer',
};

export function explainRefusal(tools: CheckTools, snapshot: AnyMachineSnapshot, event: CaseEvent): Explanation {
  const context = snapshot.context as CaseContext;
  const stepId = 'step' in event ? event.step : undefined;
  let step: SopStep | undefined;
  if (stepId !== undefined) {
    step = tools.steps.get(stepId);
    if (!step) return refused(refusal('unknown-step', 'default', { step: stepId }, `"${stepId}" is not a step of this SOP`, '/step'));
    if (!snapshot._nodes.some((node) => node.type === 'atomic' && node.key === stepId)) return { kind: 'not-open', step: stepId };
  }
  if (event.type === 'START_PROCEDURE') {
    const procedure = tools.steps.get(event.procedure);
    if (procedure?.kind !== 'procedure') {
      const known = tools.definition.steps.filter((s) => s.kind === 'procedure').map((s) => s.id);
      return refused(refusal('unknown-procedure', 'default', { procedure: event.procedure, procedures: quotedList(known) },
        `"${event.procedure}" is not an on-demand procedure of this SOP${known.length ? `; procedures: ${quotedList(known)}` : ''}`, '/procedure'));
    }
    if (context.openProcedures.includes(event.procedure)) {
      return refused(refusal('procedure-open', 'running', { procedure: event.procedure }, `procedure "${event.procedure}" is already running in this case; finish it first`, '/procedure'));
    }
  }

  const candidates = snapshot._nodes
    .filter((node) => stepId === undefined || (node.type === 'atomic' && node.key === stepId))
    .flatMap((node) => node.transitions.get(event.type) ?? []);
  if (candidates.length === 0) {
    if (event.type === 'RETRY') return refused(refusal('no-adapter', 'default', { step: stepId ?? '' }, `step "${stepId}" runs no adapter, so there is nothing to retry`, '/step'));
    const command = COMMAND_OF_EVENT[event.type];
    if (!step) return refused(refusal('wrong-command', 'case', { command }, `"${command}" does not apply here: the case does not take it now`, '/type'));
    const message = `"${command}" does not apply here: step "${step.id}" is a ${step.kind}; it takes ${COMMANDS_OF_KIND[step.kind] ?? 'other commands'}`;
    return refused(refusal('wrong-command', 'step', { command, step: step.id, expected: COMMAND_NAMES_OF_KIND[step.kind] ?? '—' }, message, '/type'));
  }

  const judged = candidates.map((t) => {
    const guard = t.guard as { type: GuardName; params?: GuardParams } | undefined;
    if (!guard || !Object.hasOwn(GUARD_CHECKS, guard.type)) return { applies: true, refusals: [] as Refusal[], params: {} as GuardParams };
    return { ...evaluateGuard(guard.type, tools, context, event, guard.params ?? {}), params: guard.params ?? {} };
  });
  const applicable = judged.filter((j) => j.applies);
  if (applicable.length === 0 && event.type === 'CHOOSE') {
    const branches = judged.map((j) => j.params.branch).filter((b): b is string => b !== undefined);
    return refused(refusal('unknown-branch', 'default', { step: stepId ?? '', branch: event.branch, branches: quotedList(branches, ' / ') },
      `step "${stepId}" has no branch "${event.branch}"; choose ${branches.map((b) => `"${b}"`).join(' or ')}`, '/branch'));
  }
  const best = (applicable.length > 0 ? applicable : judged).reduce((a, b) => (b.refusals.length < a.refusals.length ? b : a));
  const refusals = best.refusals.length > 0 ? best.refusals : [refusal('wrong-command', 'now', { command: COMMAND_OF_EVENT[event.type] }, `the SOP does not take "${COMMAND_OF_EVENT[event.type]}" here now`)];
  return { kind: 'refused', refusals: [...refusals].sort((a, b) => Number(b.code === 'wrong-role') - Number(a.code === 'wrong-role')) };
}

/** Who still has to sign an open two-party step, in words, for a conflict message. */
export function waitingFor(tools: CheckTools, context: CaseContext, stepId: string): string | undefined {
  const step = tools.steps.get(stepId);
  if (step?.kind !== 'task' || step.parties.length === 0) return undefined;
  const signed = own(context.signatures, stepId) ?? {};
  const waiting = step.parties.filter((p) => own(signed, p.id) === undefined).map((p) => `"${p.id}" (${p.title})`);
  return waiting.length > 0 ? `waiting for ${waiting.join(' and ')} to sign` : undefined;
}

function refused(refusal: Refusal): Explanation {
  return { kind: 'refused', refusals: [refusal] };
}
