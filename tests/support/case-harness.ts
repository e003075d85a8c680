import { createActor, fromPromise, SimulatedClock, type AnyActorLogic } from 'xstate';
import {
  ACTIVE_STATE, compileSop, MAIN_REGION, simulatedAdapters, type CaseActor, type CaseContext, type CaseEvent, type SopDefinition,
} from '../../src/engine/index.js';

/** A compiled SOP running in an XState actor on a virtual clock, with helpers for tests. */
export function startCase(definition: SopDefinition, adapters: Record<string, AnyActorLogic> = simulatedAdapters()) {
  const clock = new SimulatedClock();
  const machine = compileSop(definition).provide({ actors: adapters });
  const actor = createActor(machine, { clock });
  actor.start();
  return {
    clock,
    actor,
    /** Send an event; true when the machine accepted it (its snapshot changed). */
    send(event: CaseEvent): boolean {
      const before = actor.getSnapshot();
      actor.send(event);
      return actor.getSnapshot() !== before;
    },
    /** The current state of a region of `active` (`main` or a procedure id), or undefined once the case ended. */
    at(region = MAIN_REGION): string | undefined {
      const value = actor.getSnapshot().value as unknown;
      return typeof value === 'object' && value !== null ? (value as Record<string, Record<string, string>>)[ACTIVE_STATE]![region] : undefined;
    },
    /** The top-level state once the case has ended. */
    ended(): string | undefined {
      const value = actor.getSnapshot().value as unknown;
      return typeof value === 'string' ? value : undefined;
    },
    context: () => actor.getSnapshot().context as CaseContext,
    status: () => actor.getSnapshot().status,
  };
}

export function person(id: string, ...roles: string[]): CaseActor {
  return { id, roles };
}

/** An adapter that resolves with `value` and remembers the inputs it was given. */
export function recordingAdapter(value: unknown) {
  const inputs: unknown[] = [];
  const logic = fromPromise(async ({ input }: { input: unknown }) => {
    inputs.push(input);
    return value;
  });
  return { logic, inputs };
}
