/**
 * The interfaces the engine needs from the outside world. Adapters implement them; the engine
 * never imports an adapter.
 */

/** Where "now" comes from. Tests use a manual clock, so an hour's budget passes in a microsecond. */
export interface Clock {
  now(): Date;
}

/** Runs a named adapter (`cameras.checkAll`…) for a step, outside any database transaction. */
export interface AdapterRunner {
  run(name: string, input: { caseId: string; step: string; params: Record<string, unknown> }): Promise<unknown>;
}

/**
 * Watches cases change, for developer tools such as the Stately inspector. It sees the machine
 * state after each decision; it can never change a case, and a failing observer never fails a command.
 */
export interface CaseObserver {
  /** A case the observer has not seen yet: its compiled machine and current state. */
  caseSeen(caseId: string, machine: { config: unknown }, state: ObservedState): void;
  /** One event the case took (or recorded as late), and the state after it. */
  caseChanged(caseId: string, event: { type: string } & Record<string, unknown>, state: ObservedState): void;
}

export interface ObservedState {
  value: unknown;
  context: unknown;
  status: 'active' | 'completed' | 'cancelled';
}
