/**
 * The events a case machine accepts. Every event people send names the actor (who, with which
 * roles) and the step it is about, so a stale or misdirected command is refused instead of
 * misapplied. Alur's own events (adapter outcomes, deadlines) name the adapter run or the visit
 * of the step they belong to, so one that arrives late is recognised and ignored.
 */

export interface CaseActor {
  id: string;
  /** Role ids this person holds in the SOP's organisation. */
  roles: readonly string[];
}

export interface CompleteEvent {
  type: 'COMPLETE';
  actor: CaseActor;
  step: string;
  output?: unknown;
  /** Kelengkapan the actor confirms having, by their text. */
  checklist?: readonly string[];
  /** For two-party steps: which party the actor signs as. */
  party?: string;
}

export interface ChooseEvent {
  type: 'CHOOSE';
  actor: CaseActor;
  step: string;
  /** A decision's branch name, or `repeat` / `exit` for a loop. */
  branch: string;
}

export interface ApproveEvent {
  type: 'APPROVE';
  actor: CaseActor;
  step: string;
  output?: unknown;
  checklist?: readonly string[];
}

export interface RefuseEvent {
  type: 'REFUSE';
  actor: CaseActor;
  step: string;
  reason: string;
}

export interface AcknowledgeEvent {
  type: 'ACKNOWLEDGE';
  actor: CaseActor;
  rule: string;
}

export interface StartProcedureEvent {
  type: 'START_PROCEDURE';
  actor: CaseActor;
  procedure: string;
}

export interface RetryEvent {
  type: 'RETRY';
  actor: CaseActor;
  step: string;
}

export interface CancelEvent {
  type: 'CANCEL';
  actor: CaseActor;
  reason: string;
}

/** The pelaksana says they begin the work: waiting time ends, work time begins. */
export interface StartStepEvent {
  type: 'START_STEP';
  actor: CaseActor;
  step: string;
}

export interface AddNoteEvent {
  type: 'ADD_NOTE';
  actor: CaseActor;
  text: string;
  step?: string;
}

/** An adapter run's outcome. `run` is the run it answers; undefined only in logs written before runs were numbered. */
export interface AdapterDoneEvent {
  type: 'ADAPTER_DONE';
  actor: CaseActor;
  step: string;
  run?: number;
  result: unknown;
}

export interface AdapterFailedEvent {
  type: 'ADAPTER_FAILED';
  actor: CaseActor;
  step: string;
  run?: number;
  error: string;
}

/** A step's waktu ran out. `visit` is the visit the deadline was set for. */
export interface OverdueEvent {
  type: 'OVERDUE';
  actor: CaseActor;
  step: string;
  visit?: number;
}

/** A periodic timer (a duty's or a timed loop's) came due. `round` is the round it was armed for. */
export interface TickEvent {
  type: 'TICK';
  actor: CaseActor;
  timer: string;
  round: number;
  /** When the round was due (ISO): a duty's next round is counted from it, so rounds keep their schedule even when a tick fires late. */
  dueAt?: string;
}

export type CaseEvent =
  | CompleteEvent | ChooseEvent | ApproveEvent | RefuseEvent | AcknowledgeEvent | StartProcedureEvent | RetryEvent | CancelEvent
  | StartStepEvent | AddNoteEvent | AdapterDoneEvent | AdapterFailedEvent | OverdueEvent | TickEvent;

export type CaseEventType = CaseEvent['type'];

/** What the machine keeps between events; times and history live in the case's event log. */
export interface CaseContext {
  /** Latest output per step (a loop round overwrites the previous round's). */
  outputs: Record<string, unknown>;
  /** Two-party steps: party id → actor id, per step, for the current visit. */
  signatures: Record<string, Record<string, string>>;
  /** Rule id → actor id who acknowledged it. */
  acknowledgements: Record<string, string>;
  /** Decision/loop/approval id → the branch last taken. */
  choices: Record<string, string>;
  /** Loop id → rounds repeated so far. */
  rounds: Record<string, number>;
  /** Adapter outcome per step: evidence the operator sees, or the failure to retry. */
  adapterResults: Record<string, { status: 'done'; result: unknown } | { status: 'failed'; error: string }>;
  /** Refusal reasons of approvals, by step. */
  refusals: Record<string, string>;
  /** On-demand procedures started and not yet finished. */
  openProcedures: string[];
  /** Step → how many times it has been entered in this case (1 on the first visit). */
  visits: Record<string, number>;
  /** Step → the number of its current adapter run (entering the step or a retry starts a new one). */
  adapterRuns: Record<string, number>;
  /** Step → who said they started the current visit. */
  started: Record<string, string>;
  /** Step → the visit that ran past its waktu. */
  overdue: Record<string, number>;
  /** Timer (a duty's or a timed loop's id) → the round its pending tick is armed for; a tick for another round is late. */
  timers: Record<string, number>;
  /** Timed loop → false from when a round begins until its successor's tick comes (then true: the next round may begin at once). */
  roundDue: Record<string, boolean>;
}

/**
 * `record[key]` only if the record itself has it: step, rule and party ids come from SOP files,
 * and an id such as "constructor" must not find Object.prototype's.
 */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function emptyCaseContext(): CaseContext {
  return {
    outputs: {}, signatures: {}, acknowledgements: {}, choices: {}, rounds: {}, adapterResults: {}, refusals: {}, openProcedures: [],
    visits: {}, adapterRuns: {}, started: {}, overdue: {}, timers: {}, roundDue: {},
  };
}
