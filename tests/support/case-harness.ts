/**
 * A case of a seed SOP run in memory through the engine's own `decide` (the path a durable case
 * takes), with helpers for tests: send a machine event and see whether it was taken, or read the
 * refusals the engine gives.
 */
import {
  ConflictError, createRunnableVersion, MemoryCase, refusal, RefusedError, simulatedAdapterResult, type AdapterInput, type AdapterRun, type CaseActor,
  type CaseCommand, type CaseContext, type CaseEvent, type Refusal, type SopDefinition,
} from '../../src/engine/index.js';

/** An adapter implementation for a test: return the result, or throw to fail the run. */
export type TestAdapter = (input: AdapterInput) => unknown;

const COMMAND_OF: Partial<Record<CaseEvent['type'], CaseCommand['type']>> = {
  COMPLETE: 'complete', CHOOSE: 'choose', APPROVE: 'approve', REFUSE: 'refuse', ACKNOWLEDGE: 'acknowledge', START_PROCEDURE: 'start-procedure',
  RETRY: 'retry', CANCEL: 'cancel', START_STEP: 'start-step', ADD_NOTE: 'add-note',
};

/** The command a person's machine event stands for, and who gives it. */
export function commandOf(event: CaseEvent): { command: CaseCommand; actor: CaseActor } {
  const { type, actor, ...fields } = event as CaseEvent & Record<string, unknown>;
  const commandType = COMMAND_OF[type];
  if (!commandType) throw new Error(`${type} is not an event people send`);
  return { command: { type: commandType, ...fields } as CaseCommand, actor };
}

/** Adapters answer at once: `adapters[name]` when given, else a simulated success; `null` for "not connected". */
export function startCase(definition: SopDefinition, adapters: Record<string, TestAdapter | null> = {}) {
  const version = createRunnableVersion(1, definition);
  const answer = (run: AdapterRun) => {
    const impl = adapters[run.adapter];
    if (impl === null) return { ok: false as const, error: `adapter "${run.adapter}" is not connected in this Alur process` };
    if (impl === undefined) return simulatedAdapterResult(run);
    try {
      return { ok: true as const, result: impl({ step: run.step, params: run.params }) };
    } catch (error) {
      return { ok: false as const, error: (error as Error).message };
    }
  };
  const memory = new MemoryCase(version, { answerAdapter: answer });
  return {
    memory,
    /** Send an event; true when the machine took it. */
    send(event: CaseEvent): boolean {
      const { command, actor } = commandOf(event);
      return memory.accepts(command, actor);
    },
    /** The engine's refusals for an event it does not take (fails the test if it takes it). */
    refusals(event: CaseEvent): Refusal[] {
      const { command, actor } = commandOf(event);
      try {
        memory.send(command, actor);
      } catch (error) {
        if (error instanceof RefusedError) return error.refusals;
        if (error instanceof ConflictError) return [refusal('wrong-command', 'other', { detail: error.message }, error.message)];
        throw error;
      }
      throw new Error(`the engine took ${event.type}`);
    },
    at: (region?: string) => memory.at(region),
    ended: () => memory.ended(),
    context: (): CaseContext => memory.context,
    status: () => memory.status,
  };
}

export function person(id: string, ...roles: string[]): CaseActor {
  return { id, roles };
}

/** An adapter that answers `value` and remembers the inputs it was given. */
export function recordingAdapter(value: unknown) {
  const inputs: AdapterInput[] = [];
  const logic: TestAdapter = (input) => {
    inputs.push(input);
    return value;
  };
  return { logic, inputs };
}
