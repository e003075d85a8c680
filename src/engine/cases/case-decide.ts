/**
 * The pure heart of running a case: given the case as stored and one command, decide what
 * happens — the event to record, the next machine state, which steps open and close, and the
 * effects to run after commit. Nothing here touches a database, a clock or an adapter.
 *
 * Every command goes through the SOP's machine with XState's pure `transition()`: no actor is
 * created, started or stopped per command, and the machine alone says whether a command is
 * taken. Alur's own events (adapter outcomes, deadlines) that the machine no longer takes are
 * recorded as late and change nothing; a refused command records nothing. An error state is
 * never returned, so it can never be stored.
 */
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { emptyCaseContext, type CaseActor, type CaseContext, type CaseEvent } from './case-events.js';
import { EVENT_TYPE, isSystemCommand, SYSTEM_ACTOR, toMachineEvent, type AnyCaseCommand } from './case-commands.js';
import { CaseClosedError, ConflictError, EngineError, RefusedError } from './case-errors.js';
import type { CheckTools } from './command-checks.js';
import { ACTIVE_STATE, CANCELLED_STATE, compileSop, createCheckTools, type SopMachine } from './compile-sop.js';
import { effectsOf, type CaseEffects, type EffectContext, type ExecutableAction } from './case-effects.js';
import { explainRefusal, waitingFor } from './explain-refusal.js';
import type { SopDefinition, SopStep } from '../language/sop-types.js';

export type CaseStatus = 'active' | 'completed' | 'cancelled';

/** A published SOP version, compiled once and reused for every command on its cases. */
export interface RunnableVersion {
  versionId: number;
  definition: SopDefinition;
  machine: SopMachine;
  tools: CheckTools;
  steps: ReadonlyMap<string, SopStep>;
}

export function createRunnableVersion(versionId: number, definition: SopDefinition): RunnableVersion {
  const tools = createCheckTools(definition);
  return { versionId, definition, machine: compileSop(definition, tools), tools, steps: tools.steps };
}

/** What is stored of the machine: its state value and context. Everything else follows from them. */
export interface CaseState {
  value: unknown;
  context: CaseContext;
}

export interface StoredCase {
  caseId: string;
  seq: number;
  status: CaseStatus;
  /** The stored machine state (older rows hold XState's persisted snapshot, which has the same two fields). */
  snapshot: unknown;
  title?: string | null;
}

export interface Decision extends CaseEffects {
  eventType: string;
  payload: Record<string, unknown>;
  /** An Alur event for a step visit or adapter run that is over: recorded, but the case does not change. */
  late: boolean;
  snapshot: CaseState;
  activeSteps: string[];
  status: CaseStatus;
}

export type StartDecision = Pick<Decision, 'snapshot' | 'activeSteps' | 'entered' | 'adapterRuns' | 'timers' | 'notifications'>;

/** The first state of a new case and the steps open at the start. */
export function decideStart(version: RunnableVersion, now: Date, title: string | null = null): StartDecision {
  const [snapshot, actions] = initialTransition(version.machine);
  const state = stateOf(snapshot);
  // No event leads into the first state; the effects of entering it need none but an actor to name.
  const opening: CaseEvent = { type: 'START_STEP', actor: SYSTEM_ACTOR, step: '' };
  const effects = effectsOf(actions as ExecutableAction[], effectContext(version, state.context, opening, now, title));
  return { snapshot: state, activeSteps: activeStepsOf(state.value), entered: effects.entered, adapterRuns: effects.adapterRuns, timers: effects.timers, notifications: effects.notifications };
}

export function decide(version: RunnableVersion, stored: StoredCase, command: AnyCaseCommand, actor: CaseActor, now: Date): Decision {
  if (stored.status !== 'active') throw new CaseClosedError(stored.status, stored.seq);
  const before = restore(version, stored.snapshot);
  const event = toMachineEvent(command, actor);
  const unchanged = stateOf(before);
  const base = {
    eventType: EVENT_TYPE[command.type], payload: payloadOf(command), late: false, snapshot: unchanged, activeSteps: activeStepsOf(unchanged.value),
    status: stored.status, entered: [], exited: [], adapterRuns: [], timers: [], notifications: [],
  };

  if (!before.can(event)) {
    if (isSystemCommand(command)) return { ...base, payload: { ...base.payload, late: true }, late: true };
    const explanation = explainRefusal(version.tools, before, event);
    if (explanation.kind === 'not-open') throw notOpen(version, unchanged, explanation.step, stored.seq);
    throw new RefusedError(explanation.refusals);
  }

  let after: AnyMachineSnapshot;
  let actions: ExecutableAction[];
  try {
    const [next, executed] = transition(version.machine, before, event);
    after = next;
    actions = executed as ExecutableAction[];
  } catch (error) {
    throw new EngineError(`the SOP machine failed on "${command.type}"`, { cause: error });
  }
  if (after.status === 'error') throw new EngineError(`the SOP machine failed on "${command.type}"`, { cause: after.error });

  const state = stateOf(after);
  const status: CaseStatus = after.status === 'done' ? (state.value === CANCELLED_STATE ? 'cancelled' : 'completed') : 'active';
  const effects = effectsOf(actions, effectContext(version, state.context, event, now, stored.title ?? null));
  return { ...base, ...effects, snapshot: state, activeSteps: activeStepsOf(state.value), status };
}

/** The machine snapshot for a stored state; contexts stored before a field existed get its empty value. */
export function restore(version: RunnableVersion, stored: unknown): AnyMachineSnapshot {
  const { value, context } = (stored ?? {}) as Partial<CaseState>;
  return version.machine.resolveState({ value: value as never, context: { ...emptyCaseContext(), ...(context ?? {}) } as never });
}

function stateOf(snapshot: AnyMachineSnapshot): CaseState {
  return { value: snapshot.value, context: snapshot.context as CaseContext };
}

/**
 * Open steps from a machine state value: the leaves of `_active` that are steps — not an idle
 * procedure, a duty between rounds or a timed loop waiting for its round (internal states start with "_").
 */
export function activeStepsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const regions = (value as Record<string, Record<string, unknown> | undefined>)[ACTIVE_STATE] ?? {};
  return Object.values(regions).filter((leaf): leaf is string => typeof leaf === 'string' && !leaf.startsWith('_'));
}

function effectContext(version: RunnableVersion, after: CaseContext, event: CaseEvent, now: Date, caseTitle: string | null): EffectContext {
  return { definition: version.definition, steps: version.steps, after, event, now, caseTitle };
}

function notOpen(version: RunnableVersion, state: CaseState, stepId: string, seq: number): ConflictError {
  const open = activeStepsOf(state.value);
  const where = open.length > 0
    ? `the case is now at ${open.map((s) => { const waiting = waitingFor(version.tools, state.context, s); return `"${s}"${waiting ? ` (${waiting})` : ''}`; }).join(', ')}`
    : 'the case has no open step';
  return new ConflictError(`step "${stepId}" is not open; ${where}`, open, seq);
}

function payloadOf(command: AnyCaseCommand): Record<string, unknown> {
  const { type: _type, ...rest } = command;
  return rest;
}
