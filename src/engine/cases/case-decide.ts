/**
 * The pure heart of running a case: given the case as stored and one command, decide what
 * happens — the event to record, the next machine snapshot, which steps open and close, and the
 * effects to run after commit. Nothing here touches a database, a clock or an adapter.
 */
import { createActor, fromCallback, type AnyActorLogic } from 'xstate';
import { ADAPTERS } from '../language/adapter-catalog.js';
import { own, type CaseActor, type CaseContext, type CaseEvent } from './case-events.js';
import { EVENT_TYPE, toMachineEvent, type AnyCaseCommand } from './case-commands.js';
import { CaseClosedError, ConflictError, RefusedError } from './case-errors.js';
import type { CheckTools, Refusal } from './command-checks.js';
import { checkRole } from './command-checks.js';
import { ACTIVE_STATE, CANCELLED_STATE, compileSop, createCheckTools, IDLE_STATE, type SopMachine } from './compile-sop.js';
import { explainRefusal } from './explain-refusal.js';
import { resolveAdapterParams } from './machine-implementations.js';
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

/** Inside the engine, adapter actors do nothing: effects run after commit, and report back as commands. */
const inertAdapters: Record<string, AnyActorLogic> = Object.fromEntries(Object.keys(ADAPTERS).map((name) => [name, fromCallback(() => undefined)]));

export function createRunnableVersion(versionId: number, definition: SopDefinition): RunnableVersion {
  const tools = createCheckTools(definition);
  return { versionId, definition, machine: compileSop(definition).provide({ actors: inertAdapters }), tools, steps: tools.steps };
}

export interface OpenExecution {
  id: number;
  stepId: string;
  startedAt: Date | null;
}

export interface StoredCase {
  caseId: string;
  seq: number;
  status: CaseStatus;
  /** XState persisted snapshot. */
  snapshot: unknown;
  openExecutions: readonly OpenExecution[];
}

export interface StepEntry {
  stepId: string;
  procedure: string | null;
  kind: SopStep['kind'];
  role: string | null;
  budgetMs: number | null;
}

export interface StepExit {
  stepId: string;
  outcome: string;
  actors: string[];
  output: unknown;
}

export type Effect = { kind: 'adapter'; step: string; adapter: string; params: Record<string, unknown> };

export interface NotificationDraft {
  kind: 'step-done' | 'overdue';
  stepId: string;
  roles: string[];
  message: string;
}

export interface Decision {
  eventType: string;
  payload: Record<string, unknown>;
  snapshot: unknown;
  activeSteps: string[];
  status: CaseStatus;
  entered: StepEntry[];
  exited: StepExit[];
  started?: { stepId: string; dueAt: Date | null };
  effects: Effect[];
  notifications: NotificationDraft[];
}

/** The first snapshot of a new case and the steps open at the start. */
export function decideStart(version: RunnableVersion): Pick<Decision, 'snapshot' | 'activeSteps' | 'entered' | 'effects'> {
  const actor = createActor(version.machine);
  actor.start();
  const snapshot = actor.getPersistedSnapshot();
  const activeSteps = activeStepsOf(actor.getSnapshot().value);
  const context = actor.getSnapshot().context as CaseContext;
  actor.stop();
  const entered = activeSteps.map((id) => entryFor(version, id));
  return { snapshot, activeSteps, entered, effects: adapterEffects(version, entered.map((e) => e.stepId), context) };
}

export function decide(version: RunnableVersion, stored: StoredCase, command: AnyCaseCommand, actor: CaseActor, now: Date): Decision {
  if (stored.status !== 'active') {
    throw new CaseClosedError(stored.status, stored.seq);
  }
  const before = restore(version, stored.snapshot);
  const beforeSteps = activeStepsOf(before.getSnapshot().value);
  const base = { eventType: EVENT_TYPE[command.type], payload: payloadOf(command), snapshot: stored.snapshot, activeSteps: beforeSteps, status: stored.status, entered: [], exited: [], effects: [], notifications: [] };

  try {
    if (command.type === 'add-note') {
      if (command.step !== undefined && !version.steps.has(command.step)) throw new RefusedError([{ code: 'wrong-step', field: '/step', message: `"${command.step}" is not a step of this SOP` }]);
      if (command.text.trim() === '') throw new RefusedError([{ code: 'reason-required', field: '/text', message: 'a note needs text' }]);
      return base;
    }
    if (command.type === 'start-step') return { ...base, started: decideStartStep(version, stored, beforeSteps, command.step, actor, now) };

    const event = toMachineEvent(command, actor)!;
    const previous = before.getSnapshot();
    before.send(event as CaseEvent);
    const after = before.getSnapshot();
    if (after === previous) {
      // Late adapter results are kept as evidence even when the step has moved on.
      if (command.type === 'adapter-succeeded' || command.type === 'adapter-failed') return base;
      throw refusalFor(version, stored, beforeSteps, previous.context as CaseContext, event as CaseEvent);
    }
    const context = after.context as CaseContext;
    const activeSteps = activeStepsOf(after.value);
    const status: CaseStatus = after.status === 'done' ? (after.value === CANCELLED_STATE ? 'cancelled' : 'completed') : 'active';
    const enteredIds = activeSteps.filter((id) => !beforeSteps.includes(id));
    const exitedIds = beforeSteps.filter((id) => !activeSteps.includes(id));
    const commandStep = 'step' in command ? command.step : undefined;
    const exited = exitedIds.map((id) => exitFor(version, id, id === commandStep ? outcomeOf(command) : 'cancelled', context, actor));
    const entered = enteredIds.map((id) => entryFor(version, id));
    const rerun = command.type === 'retry' ? [command.step] : [];
    return {
      ...base,
      snapshot: before.getPersistedSnapshot(),
      activeSteps,
      status,
      entered,
      exited,
      effects: adapterEffects(version, [...enteredIds, ...rerun], context),
      notifications: exited.filter((e) => e.outcome !== 'cancelled').flatMap((e) => notifyDone(version, e.stepId)),
    };
  } finally {
    before.stop();
  }
}

function restore(version: RunnableVersion, snapshot: unknown) {
  const actor = createActor(version.machine, { snapshot: snapshot as never });
  actor.start();
  return actor;
}

/** Open steps from a machine state value: the leaves of `active`, without idle procedures. */
export function activeStepsOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const regions = (value as Record<string, Record<string, unknown> | undefined>)[ACTIVE_STATE] ?? {};
  return Object.values(regions).filter((leaf): leaf is string => typeof leaf === 'string' && leaf !== IDLE_STATE);
}

function decideStartStep(version: RunnableVersion, stored: StoredCase, open: string[], stepId: string, actor: CaseActor, now: Date): { stepId: string; dueAt: Date | null } {
  if (!open.includes(stepId)) throw notOpen(stepId, open, stored.seq);
  const step = version.steps.get(stepId)!;
  const execution = stored.openExecutions.find((e) => e.stepId === stepId);
  if (execution?.startedAt) throw new RefusedError([{ code: 'wrong-step', field: '/step', message: `step "${stepId}" was already started at ${execution.startedAt.toISOString()}` }]);
  const roles = step.kind === 'task' && step.parties.length > 0 ? step.parties.map((p) => p.role) : [step.role];
  const allowed = roles.some((role) => role === undefined || actor.roles.includes(role));
  if (!allowed) throw new RefusedError(checkRole(roles[0], actor, `step "${stepId}"`));
  return { stepId, dueAt: step.budgetMs === undefined ? null : new Date(now.getTime() + step.budgetMs) };
}

function notOpen(stepId: string, open: string[], seq: number): ConflictError {
  const where = open.length > 0 ? `the case is now at ${open.map((s) => `"${s}"`).join(', ')}` : 'the case has no open step';
  return new ConflictError(`step "${stepId}" is not open; ${where}`, open, seq);
}

function refusalFor(version: RunnableVersion, stored: StoredCase, open: string[], context: CaseContext, event: CaseEvent): Error {
  if ('step' in event && typeof event.step === 'string' && !open.includes(event.step)) return notOpen(event.step, open, stored.seq);
  const refusals: Refusal[] = explainRefusal(version.tools, context, event);
  return new RefusedError(refusals.length > 0 ? refusals : [{ code: 'wrong-step', message: 'the SOP does not allow this command now' }]);
}

function outcomeOf(command: AnyCaseCommand): string {
  switch (command.type) {
    case 'choose': return `branch:${command.branch}`;
    case 'approve': return 'approved';
    case 'refuse': return 'refused';
    default: return 'completed';
  }
}

function entryFor(version: RunnableVersion, stepId: string): StepEntry {
  const step = version.steps.get(stepId)!;
  return { stepId, procedure: step.procedure ?? null, kind: step.kind, role: step.role ?? null, budgetMs: step.budgetMs ?? null };
}

function exitFor(version: RunnableVersion, stepId: string, outcome: string, context: CaseContext, actor: CaseActor): StepExit {
  const step = version.steps.get(stepId)!;
  const signers = step.kind === 'task' && step.parties.length > 0 ? Object.values(own(context.signatures, stepId) ?? {}) : [];
  return { stepId, outcome, actors: signers.length > 0 ? signers : [actor.id], output: own(context.outputs, stepId) ?? null };
}

function adapterEffects(version: RunnableVersion, stepIds: string[], context: CaseContext): Effect[] {
  return stepIds.flatMap((id) => {
    const step = version.steps.get(id);
    if (step?.kind !== 'task' || step.uses === undefined) return [];
    return [{ kind: 'adapter' as const, step: id, adapter: step.uses, params: resolveAdapterParams(step.input, context.outputs) }];
  });
}

function notifyDone(version: RunnableVersion, stepId: string): NotificationDraft[] {
  const step = version.steps.get(stepId)!;
  if (step.notify.length === 0) return [];
  return [{ kind: 'step-done', stepId, roles: step.notify, message: `Langkah "${step.activity}" telah selesai` }];
}

function payloadOf(command: AnyCaseCommand): Record<string, unknown> {
  const { type: _type, ...rest } = command;
  return rest;
}
