/**
 * The named guards and actions every compiled SOP machine uses. The config refers to them by
 * name (`{ type: 'canComplete', params: { step } }`), so the config stays plain data and the
 * behaviour lives here, once.
 *
 * Two kinds of actions: `assign`s that keep the case's context, and *effect markers*
 * (`stepOpened`, `runAdapter`, `escalate`…) that do nothing inside the machine. The engine runs
 * the machine with XState's pure `transition()`, which returns the markers it passed, with their
 * params and the event and context of the moment; `case-effects.ts` turns them into the work
 * to do after commit (open a step's timeline row and deadline, run an adapter, notify people).
 */
import { assign } from 'xstate';
import { own } from './case-events.js';
import type {
  AcknowledgeEvent, AdapterDoneEvent, AdapterFailedEvent, ApproveEvent, CaseContext, CaseEvent, ChooseEvent, CompleteEvent, RefuseEvent,
} from './case-events.js';
import { evaluateGuard, GUARD_CHECKS, type CheckTools, type GuardName, type GuardParams } from './event-checks.js';

/** What an adapter receives: the step it serves, its run number and its resolved `input:` values. */
export interface AdapterInput {
  step: string;
  params: Record<string, unknown>;
}

type Args = { context: CaseContext; event: CaseEvent };
type StepParams = { step: string };
type TimerParams = { timer: string };

export function createGuards(tools: CheckTools): Record<GuardName, (args: Args, params: GuardParams) => boolean> {
  return Object.fromEntries((Object.keys(GUARD_CHECKS) as GuardName[]).map((name) => [
    name,
    ({ context, event }: Args, params: GuardParams) => {
      const { applies, refusals } = evaluateGuard(name, tools, context, event, params ?? {});
      return applies && refusals.length === 0;
    },
  ])) as Record<GuardName, (args: Args, params: GuardParams) => boolean>;
}

/** Effect markers: no behaviour in the machine; the engine reads them from `transition()`'s action list. */
export const EFFECT_MARKERS = ['stepOpened', 'stepClosed', 'stepStarted', 'runAdapter', 'escalate', 'notifyDone', 'noteAdded', 'timerArmed', 'roundMissed'] as const;
export type EffectMarker = (typeof EFFECT_MARKERS)[number];

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!Object.hasOwn(record, key)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

export function createActions() {
  const markers = Object.fromEntries(EFFECT_MARKERS.map((name) => [name, () => undefined]));
  return {
    ...markers,
    /** A new visit of a step: count it, and forget the previous visit's start, overdue, signatures and adapter result. */
    enterStep: assign(({ context }: Args, { step, parties, uses }: StepParams & { parties?: boolean; uses?: boolean }) => ({
      visits: { ...context.visits, [step]: (own(context.visits, step) ?? 0) + 1 },
      started: without(context.started, step),
      overdue: without(context.overdue, step),
      ...(parties ? { signatures: { ...context.signatures, [step]: {} } } : {}),
      ...(uses ? { adapterRuns: { ...context.adapterRuns, [step]: (own(context.adapterRuns, step) ?? 0) + 1 }, adapterResults: without(context.adapterResults, step) } : {}),
    })),
    recordStart: assign(({ context, event }: Args, { step }: StepParams) => ({ started: { ...context.started, [step]: (event as { actor: { id: string } }).actor.id } })),
    recordOverdue: assign(({ context }: Args, { step }: StepParams) => ({ overdue: { ...context.overdue, [step]: own(context.visits, step) ?? 1 } })),
    recordOutput: assign(({ context, event }: Args, { step }: StepParams) => {
      const output = (event as CompleteEvent | ApproveEvent).output;
      return output === undefined ? {} : { outputs: { ...context.outputs, [step]: output } };
    }),
    recordSignature: assign(({ context, event }: Args, { step, author }: StepParams & { author: string }) => {
      const e = event as CompleteEvent;
      const signatures = { ...context.signatures, [step]: { ...own(context.signatures, step), [e.party!]: e.actor.id } };
      return e.party === author && e.output !== undefined ? { signatures, outputs: { ...context.outputs, [step]: e.output } } : { signatures };
    }),
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
    recordAdapterResult: assign(({ context, event }: Args, { step }: StepParams) => ({
      adapterResults: { ...context.adapterResults, [step]: { status: 'done' as const, result: (event as AdapterDoneEvent).result ?? null } },
    })),
    recordAdapterError: assign(({ context, event }: Args, { step }: StepParams) => ({
      adapterResults: { ...context.adapterResults, [step]: { status: 'failed' as const, error: (event as AdapterFailedEvent).error } },
    })),
    /** A periodic timer's next round: a tick for any other round is late. */
    armTimer: assign(({ context }: Args, { timer }: TimerParams) => ({ timers: { ...context.timers, [timer]: (own(context.timers, timer) ?? 0) + 1 } })),
    /** A timed loop that is left: its pending tick no longer names the armed round, so it is recorded late. */
    disarmTimer: assign(({ context }: Args, { timer }: TimerParams) => ({ timers: { ...context.timers, [timer]: (own(context.timers, timer) ?? 0) + 1 }, roundDue: without(context.roundDue, timer) })),
    markRoundDue: assign(({ context }: Args, { timer }: TimerParams) => ({ roundDue: { ...context.roundDue, [timer]: true } })),
    clearRoundDue: assign(({ context }: Args, { timer }: TimerParams) => ({ roundDue: { ...context.roundDue, [timer]: false } })),
    /** A retry is a new run of the step's adapter within the same visit. */
    nextAdapterRun: assign(({ context }: Args, { step }: StepParams) => ({
      adapterRuns: { ...context.adapterRuns, [step]: (own(context.adapterRuns, step) ?? 0) + 1 },
      adapterResults: without(context.adapterResults, step),
    })),
  };
}

/** `${step.field}` references in an adapter's input, resolved against the outputs so far. */
export function resolveAdapterParams(input: Record<string, unknown>, outputs: Record<string, unknown>): Record<string, unknown> {
  const reference = /^\$\{([a-z][a-z0-9-]*)\.([A-Za-z0-9_.]+)\}$/;
  return Object.fromEntries(Object.entries(input).map(([key, value]) => {
    const match = typeof value === 'string' ? reference.exec(value) : null;
    if (!match) return [key, value];
    let resolved: unknown = own(outputs, match[1]!);
    for (const part of match[2]!.split('.')) resolved = resolved !== null && typeof resolved === 'object' && Object.hasOwn(resolved, part) ? (resolved as Record<string, unknown>)[part] : undefined;
    return [key, resolved];
  }));
}
