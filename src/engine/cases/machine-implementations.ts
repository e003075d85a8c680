/**
 * The named guards, actions and default adapter actors every compiled SOP machine uses. The
 * config refers to them by name (`{ type: 'canComplete', params: { step } }`), so the config
 * stays plain data and the behaviour lives here, once.
 */
import { assign, fromPromise, type AnyEventObject } from 'xstate';
import { ADAPTERS } from '../language/adapter-catalog.js';
import { own } from './case-events.js';
import type {
  AcknowledgeEvent, ApproveEvent, CancelEvent, CaseContext, CaseEvent, ChooseEvent, CompleteEvent, RefuseEvent, StartProcedureEvent,
} from './case-events.js';
import {
  acknowledgeRefusals, approveRefusals, cancelRefusals, chooseRefusals, completeRefusals, refuseRefusals,
  startProcedureRefusals, type CheckTools, type CompleteParams,
} from './event-checks.js';

/** What an adapter actor receives: the step it serves and its resolved `input:` values. */
export interface AdapterInput {
  step: string;
  params: Record<string, unknown>;
}

export class AdapterNotConnectedError extends Error {
  constructor(readonly adapter: string) {
    super(`adapter "${adapter}" is not connected in this Alur process`);
    this.name = 'AdapterNotConnectedError';
  }
}

type Args = { context: CaseContext; event: CaseEvent };
type StepParams = { step: string };

export function createGuards(tools: CheckTools) {
  return {
    canComplete: ({ context, event }: Args, params: CompleteParams) => completeRefusals(tools, context, event as CompleteEvent, params, 'final').length === 0,
    canSign: ({ context, event }: Args, params: CompleteParams) => completeRefusals(tools, context, event as CompleteEvent, params, 'partial').length === 0,
    canChoose: ({ context, event }: Args, params: { step: string; branch: string; endsCase?: boolean }) => chooseRefusals(tools, context, event as ChooseEvent, params).length === 0,
    canApprove: ({ context, event }: Args, params: { step: string; endsCase?: boolean }) => approveRefusals(tools, context, event as ApproveEvent, params).length === 0,
    canRefuse: ({ context, event }: Args, params: { step: string; endsCase?: boolean }) => refuseRefusals(tools, context, event as RefuseEvent, params).length === 0,
    canAcknowledge: ({ context, event }: Args) => acknowledgeRefusals(tools, context, event as AcknowledgeEvent).length === 0,
    canStartProcedure: ({ context, event }: Args, params: { procedure: string }) => startProcedureRefusals(tools, context, event as StartProcedureEvent, params).length === 0,
    canRetry: ({ event }: Args, params: StepParams) => event.type === 'RETRY' && event.step === params.step && event.actor.roles.includes(tools.steps.get(params.step)?.role ?? ''),
    canCancel: ({ event }: Args) => cancelRefusals(tools, event as CancelEvent).length === 0,
  };
}

export function createActions() {
  return {
    recordOutput: assign(({ context, event }: Args, { step }: StepParams) => {
      const output = (event as CompleteEvent | ApproveEvent).output;
      return output === undefined ? {} : { outputs: { ...context.outputs, [step]: output } };
    }),
    recordSignature: assign(({ context, event }: Args, { step, author }: StepParams & { author: string }) => {
      const e = event as CompleteEvent;
      const signatures = { ...context.signatures, [step]: { ...own(context.signatures, step), [e.party!]: e.actor.id } };
      return e.party === author && e.output !== undefined ? { signatures, outputs: { ...context.outputs, [step]: e.output } } : { signatures };
    }),
    resetSignatures: assign(({ context }: Args, { step }: StepParams) => ({ signatures: { ...context.signatures, [step]: {} } })),
    recordChoice: assign(({ context, event }: Args, { step }: StepParams) => ({ choices: { ...context.choices, [step]: (event as ChooseEvent).branch } })),
    countRound: assign(({ context }: Args, { step }: StepParams) => ({ rounds: { ...context.rounds, [step]: (own(context.rounds, step) ?? 0) + 1 } })),
    recordApproval: assign(({ context, event }: Args, { step }: StepParams) => {
      const output = (event as ApproveEvent).output;
      return { choices: { ...context.choices, [step]: 'approved' }, ...(output === undefined ? {} : { outputs: { ...context.outputs, [step]: output } }) };
    }),
    recordRefusal: assign(({ context, event }: Args, { step }: StepParams) => ({
      choices: { ...context.choices, [step]: 'refused' },
      refusals: { ...context.refusals, [step]: (event as RefuseEvent).reason },
    })),
    recordAcknowledgement: assign(({ context, event }: Args) => {
      const e = event as AcknowledgeEvent;
      return { acknowledgements: { ...context.acknowledgements, [e.rule]: e.actor.id } };
    }),
    openProcedure: assign(({ context }: Args, { procedure }: { procedure: string }) => ({ openProcedures: [...context.openProcedures, procedure] })),
    closeProcedure: assign(({ context }: Args, { procedure }: { procedure: string }) => ({ openProcedures: context.openProcedures.filter((p) => p !== procedure) })),
    // Invoked adapters report through XState's own done/error events, not CaseEvents.
    recordAdapterResult: assign(({ context, event }: { context: CaseContext; event: AnyEventObject }, { step }: StepParams) => ({
      adapterResults: { ...context.adapterResults, [step]: { status: 'done' as const, result: (event.output as unknown) ?? null } },
    })),
    recordAdapterError: assign(({ context, event }: { context: CaseContext; event: AnyEventObject }, { step }: StepParams) => ({
      adapterResults: { ...context.adapterResults, [step]: { status: 'failed' as const, error: event.error instanceof Error ? event.error.message : String(event.error) } },
    })),
  };
}

/** Until an adapter is provided with `machine.provide()`, using it fails as a recorded step outcome. */
export function createUnconnectedAdapters() {
  return Object.fromEntries(
    Object.keys(ADAPTERS).map((name) => [name, fromPromise<unknown, AdapterInput>(async () => { throw new AdapterNotConnectedError(name); })]),
  );
}

/** `${step.field}` references in an adapter's input, resolved against the outputs so far. */
export function resolveAdapterParams(input: Record<string, unknown>, outputs: Record<string, unknown>): Record<string, unknown> {
  const reference = /^\$\{([a-z][a-z0-9-]*)\.([A-Za-z0-9_.]+)\}$/;
  return Object.fromEntries(Object.entries(input).map(([key, value]) => {
    const match = typeof value === 'string' ? reference.exec(value) : null;
    if (!match) return [key, value];
    let resolved: unknown = own(outputs, match[1]!);
    for (const part of match[2]!.split('.')) resolved = (resolved as Record<string, unknown> | undefined)?.[part];
    return [key, resolved];
  }));
}
