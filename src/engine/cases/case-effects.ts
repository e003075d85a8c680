/**
 * From the actions a transition passed (XState's pure `transition()` returns them, unexecuted)
 * to what Alur must do after commit: which steps open (with their deadline) and close, who
 * started one, which adapter runs to start, who to notify. The machine says *what* happened
 * through its effect markers; this module only reads them.
 */
import type { CaseContext, CaseEvent } from './case-events.js';
import { own } from './case-events.js';
import { rolesOfStep } from './event-checks.js';
import { resolveAdapterParams } from './machine-implementations.js';
import { formatDuration } from '../language/duration.js';
import type { SopDefinition, SopStep } from '../language/sop-types.js';

export interface StepEntry {
  stepId: string;
  /** 1 on the step's first visit in the case, 2 when a loop brings it back… */
  visit: number;
  procedure: string | null;
  kind: SopStep['kind'];
  role: string | null;
  /** Every role that may act on it (a row's several pelaksana, a signed step's parties). */
  roles: string[];
  budgetMs: number | null;
  /** When the step's waktu runs out: its budget counted from the moment it became available. */
  dueAt: Date | null;
}

export interface StepExit {
  stepId: string;
  outcome: string;
  actors: string[];
  output: unknown;
}

export interface AdapterRun {
  step: string;
  adapter: string;
  /** The step's run number; its outcome must name it, or it is late. */
  run: number;
  params: Record<string, unknown>;
}

/** A periodic round armed: when it comes due, a `timer` command naming the round goes to the case. */
export interface TimerDraft {
  timer: string;
  round: number;
  dueAt: Date;
}

export interface NotificationDraft {
  kind: 'step-available' | 'step-done' | 'overdue' | 'round-missed';
  stepId: string;
  roles: string[];
  message: string;
  /** What a person needs to act without opening the case: its title, the step, and what the previous step produced. */
  data: Record<string, unknown>;
}

export interface CaseEffects {
  entered: StepEntry[];
  exited: StepExit[];
  started?: { stepId: string; actorId: string };
  overdue?: { stepId: string; visit: number };
  adapterRuns: AdapterRun[];
  timers: TimerDraft[];
  notifications: NotificationDraft[];
}

/** An action as `transition()` returns it. */
export interface ExecutableAction {
  type: string;
  params?: unknown;
  info?: { context?: unknown; event?: unknown };
}

export interface EffectContext {
  definition: SopDefinition;
  steps: ReadonlyMap<string, SopStep>;
  /** The context after the whole transition. */
  after: CaseContext;
  event: CaseEvent;
  now: Date;
  caseTitle: string | null;
}

export function effectsOf(actions: readonly ExecutableAction[], ctx: EffectContext): CaseEffects {
  const effects: CaseEffects = { entered: [], exited: [], adapterRuns: [], timers: [], notifications: [] };
  const opened: string[] = [];
  for (const action of actions) {
    const params = (action.params ?? {}) as { step: string; adapter?: string; input?: Record<string, unknown>; roles?: string[]; timer?: string; afterMs?: number; onSchedule?: boolean };
    const during = (action.info?.context ?? ctx.after) as CaseContext;
    const step = ctx.steps.get(params.step);
    switch (action.type) {
      case 'stepOpened':
        if (step) {
          effects.entered.push(entryFor(step, own(during.visits, step.id) ?? 1, ctx.now));
          opened.push(step.id);
        }
        break;
      case 'stepClosed':
        if (step) effects.exited.push(exitFor(step, ctx));
        break;
      case 'stepStarted':
        effects.started = { stepId: params.step, actorId: actorOf(ctx.event) };
        break;
      case 'runAdapter':
        effects.adapterRuns.push({ step: params.step, adapter: params.adapter!, run: own(during.adapterRuns, params.step) ?? 1, params: resolveAdapterParams(params.input ?? {}, during.outputs) });
        break;
      case 'escalate':
        if (step) {
          const visit = own(during.visits, step.id) ?? 1;
          effects.overdue = { stepId: step.id, visit };
          effects.notifications.push(overdueNotice(step, ctx));
        }
        break;
      case 'notifyDone':
        if (step) effects.notifications.push(doneNotice(step, params.roles ?? [], ctx));
        break;
      case 'timerArmed':
        effects.timers.push({ timer: params.timer!, round: own(during.timers, params.timer!) ?? 1, dueAt: new Date(timerBase(ctx, params.timer!, params.onSchedule) + params.afterMs!) });
        break;
      case 'roundMissed':
        if (step) effects.notifications.push(missedNotice(step, own(during.visits, step.id) ?? 1, ctx));
        break;
    }
  }
  for (const id of opened) {
    const step = ctx.steps.get(id)!;
    if (rolesOfStep(step).length > 0) effects.notifications.push(availableNotice(step, effects.exited, ctx));
  }
  return effects;
}

/** Where a timer's next interval starts: the ticking round's due time for a duty (rounds missed while Alur was down then follow at once), else now. */
function timerBase(ctx: EffectContext, timer: string, onSchedule: boolean | undefined): number {
  const event = ctx.event;
  if (onSchedule && event.type === 'TICK' && event.timer === timer && event.dueAt !== undefined) {
    const due = Date.parse(event.dueAt);
    if (Number.isFinite(due)) return due;
  }
  return ctx.now.getTime();
}

function actorOf(event: CaseEvent): string {
  return event.actor.id;
}

function entryFor(step: SopStep, visit: number, now: Date): StepEntry {
  return {
    stepId: step.id, visit, procedure: step.procedure ?? null, kind: step.kind, role: step.role ?? null, roles: rolesOfStep(step), budgetMs: step.budgetMs ?? null,
    dueAt: step.budgetMs === undefined ? null : new Date(now.getTime() + step.budgetMs),
  };
}

function outcomeOf(event: CaseEvent, stepId: string): string {
  // A duty's timer ticked while its round was still open: that round was missed.
  if (event.type === 'TICK' && event.timer === stepId) return 'missed';
  if (!('step' in event) || event.step !== stepId) return 'cancelled';
  switch (event.type) {
    case 'CHOOSE': return `branch:${event.branch}`;
    case 'APPROVE': return 'approved';
    case 'REFUSE': return 'refused';
    default: return 'completed';
  }
}

function exitFor(step: SopStep, ctx: EffectContext): StepExit {
  const outcome = outcomeOf(ctx.event, step.id);
  const signers = step.kind === 'task' && step.parties.length > 0 ? Object.values(own(ctx.after.signatures, step.id) ?? {}) : [];
  return {
    stepId: step.id, outcome,
    actors: outcome === 'cancelled' || outcome === 'missed' ? [actorOf(ctx.event)] : signers.length > 0 ? signers : [actorOf(ctx.event)],
    output: outcome === 'cancelled' || outcome === 'missed' ? null : own(ctx.after.outputs, step.id) ?? null,
  };
}

/** `lokasi: Simpang Grand; uraian: Kendaraan mogok` — an output's plain fields, for a notification line. */
function summarise(output: unknown, limit = 300): string | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  const plain = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);
  const parts = Object.entries(output as Record<string, unknown>).flatMap(([key, value]) => {
    if (plain(value)) return [`${key}: ${String(value)}`];
    if (Array.isArray(value) && value.length > 0 && value.every(plain)) return [`${key}: ${value.join(', ')}`];
    return [];
  });
  const text = parts.join('; ');
  return text === '' ? undefined : text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function caseLabel(ctx: EffectContext): string {
  return ctx.caseTitle ?? ctx.definition.identity.title;
}

function availableNotice(step: SopStep, exited: readonly StepExit[], ctx: EffectContext): NotificationDraft {
  const previous = exited.find((e) => e.outcome !== 'cancelled');
  const previousStep = previous ? ctx.steps.get(previous.stepId) : undefined;
  const summary = previous ? summarise(previous.output) : undefined;
  const waktu = step.budgetMs === undefined ? '' : ` (waktu ${formatDuration(step.budgetMs)})`;
  return {
    kind: 'step-available', stepId: step.id, roles: rolesOfStep(step),
    message: `Tugas menunggu: "${step.activity}"${waktu} — ${caseLabel(ctx)}${summary ? `. ${previousStep?.output?.name ?? 'Hasil langkah sebelumnya'}: ${summary}` : ''}`,
    data: {
      caseTitle: ctx.caseTitle, sopTitle: ctx.definition.identity.title, activity: step.activity, budgetMs: step.budgetMs ?? null,
      ...(previous ? { previous: { step: previous.stepId, outcome: previous.outcome, output: previous.output } } : {}),
    },
  };
}

function doneNotice(step: SopStep, roles: string[], ctx: EffectContext): NotificationDraft {
  const summary = summarise(own(ctx.after.outputs, step.id));
  return {
    kind: 'step-done', stepId: step.id, roles,
    message: `Langkah "${step.activity}" telah selesai — ${caseLabel(ctx)}${summary ? `: ${summary}` : ''}`,
    data: { caseTitle: ctx.caseTitle, sopTitle: ctx.definition.identity.title, activity: step.activity, output: own(ctx.after.outputs, step.id) ?? null },
  };
}

function missedNotice(step: SopStep, round: number, ctx: EffectContext): NotificationDraft {
  const roles = [...new Set([...ctx.definition.escalation.notify, ...rolesOfStep(step)])];
  return {
    kind: 'round-missed', stepId: step.id, roles,
    message: `Putaran ke-${round} "${step.activity}" terlewat: putaran berikutnya sudah tiba — ${caseLabel(ctx)}`,
    data: { caseTitle: ctx.caseTitle, sopTitle: ctx.definition.identity.title, activity: step.activity, round },
  };
}

function overdueNotice(step: SopStep, ctx: EffectContext): NotificationDraft {
  const roles = [...new Set([...ctx.definition.escalation.notify, ...rolesOfStep(step)])];
  return {
    kind: 'overdue', stepId: step.id, roles,
    message: `Langkah "${step.activity}" melewati waktu ${formatDuration(step.budgetMs ?? 0)} — ${caseLabel(ctx)}`,
    data: { caseTitle: ctx.caseTitle, sopTitle: ctx.definition.identity.title, activity: step.activity, budgetMs: step.budgetMs ?? null },
  };
}
