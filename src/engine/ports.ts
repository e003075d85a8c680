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
