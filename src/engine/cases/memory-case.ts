/**
 * A case held in memory and driven through the same `decide` as a durable case: for simulation,
 * tests and tools that want to walk an SOP without a database. Adapter runs are answered by
 * `answerAdapter` at once (as Alur's job runner would, later).
 */
import type { CaseActor, CaseContext } from './case-events.js';
import { SYSTEM_ACTOR, type AnyCaseCommand, type CaseCommand, type SystemCommand } from './case-commands.js';
import { decide, decideStart, type CaseState, type CaseStatus, type Decision, type RunnableVersion } from './case-decide.js';
import type { AdapterRun, CaseEffects } from './case-effects.js';
import { ACTIVE_STATE, MAIN_REGION } from './compile-sop.js';
import type { CaseObserver } from '../ports.js';

export interface MemoryCaseOptions {
  now?: () => Date;
  title?: string | null;
  /** Answer each adapter run at once; return undefined to leave it unanswered (see `pendingRuns`). */
  answerAdapter?: (run: AdapterRun) => { ok: true; result: unknown } | { ok: false; error: string } | undefined;
  /** Told of the start and of every decision (`alur simulate --inspect`). */
  observer?: CaseObserver;
  /** The case's id as the observer sees it. */
  id?: string;
}

export class MemoryCase {
  private state: CaseState;
  private seq = 1;
  status: CaseStatus = 'active';
  /** Every decision taken, in order (the case's event log, in memory). */
  readonly log: Decision[] = [];
  /** Adapter runs not answered yet. */
  readonly pendingRuns: AdapterRun[] = [];
  /** Deadlines and periodic rounds not fired yet (a durable case keeps them as jobs rows). */
  readonly pendingTimers: { dueAt: Date; command: SystemCommand }[] = [];
  private readonly now: () => Date;

  constructor(readonly version: RunnableVersion, private readonly options: MemoryCaseOptions = {}) {
    this.now = options.now ?? (() => new Date(0));
    const start = decideStart(version, this.now(), options.title ?? null);
    this.state = start.snapshot;
    options.observer?.caseSeen(this.id, version.machine, this.observed());
    this.schedule(start);
    this.answer(start.adapterRuns);
  }

  /** Apply a command as `actor`; throws the engine's refusal or conflict when the SOP does not take it. */
  send(command: AnyCaseCommand, actor: CaseActor = SYSTEM_ACTOR): Decision {
    const decision = decide(this.version, { caseId: this.id, seq: this.seq, status: this.status, snapshot: this.state, title: this.options.title ?? null }, command, actor, this.now());
    this.seq += 1;
    this.state = decision.snapshot;
    this.status = decision.status;
    this.log.push(decision);
    this.options.observer?.caseChanged(this.id, { ...decision.payload, type: decision.eventType }, this.observed());
    this.schedule(decision);
    this.answer(decision.adapterRuns);
    return decision;
  }

  /**
   * Fire every deadline and periodic round due by `now()`, earliest first (as the job runner
   * would after a pause); returns the decisions they caused.
   */
  fireDue(options: { deadlines?: boolean } = {}): Decision[] {
    const fired: Decision[] = [];
    for (;;) {
      if (this.status !== 'active') return fired;
      const next = this.nextDue(options);
      if (!next || next.dueAt > this.now()) return fired;
      this.pendingTimers.splice(this.pendingTimers.indexOf(next), 1);
      fired.push(this.send(next.command));
    }
  }

  /** The earliest pending deadline or round (only rounds with `deadlines: false`). */
  nextDue(options: { deadlines?: boolean } = {}): { dueAt: Date; command: SystemCommand } | undefined {
    const candidates = this.pendingTimers.filter((t) => options.deadlines !== false || t.command.type === 'timer');
    return candidates.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  }

  private schedule(effects: Pick<CaseEffects, 'entered' | 'timers'>): void {
    for (const entry of effects.entered) {
      if (entry.dueAt !== null) this.pendingTimers.push({ dueAt: entry.dueAt, command: { type: 'deadline', step: entry.stepId, visit: entry.visit } });
    }
    for (const timer of effects.timers) this.pendingTimers.push({ dueAt: timer.dueAt, command: { type: 'timer', timer: timer.timer, round: timer.round, dueAt: timer.dueAt.toISOString() } });
  }

  /** Like `send`, but says whether the SOP took it instead of throwing. */
  accepts(command: CaseCommand, actor: CaseActor): boolean {
    try {
      this.send(command, actor);
      return true;
    } catch {
      return false;
    }
  }

  get id(): string {
    return this.options.id ?? 'memory';
  }

  private observed() {
    return { value: this.state.value, context: this.state.context, status: this.status };
  }

  get context(): CaseContext {
    return this.state.context;
  }

  get value(): unknown {
    return this.state.value;
  }

  /** The current step of a region of `_active` (`_main` or a procedure id), or undefined once the case ended. */
  at(region: string = MAIN_REGION): string | undefined {
    const value = this.state.value;
    return typeof value === 'object' && value !== null ? (value as Record<string, Record<string, string> | undefined>)[ACTIVE_STATE]?.[region] : undefined;
  }

  /** The top-level final state once the case has ended (an end row's id, `_done` or `_cancelled`). */
  ended(): string | undefined {
    return typeof this.state.value === 'string' ? this.state.value : undefined;
  }

  private answer(runs: readonly AdapterRun[]): void {
    for (const run of runs) {
      const outcome = this.options.answerAdapter?.(run);
      if (outcome === undefined) {
        this.pendingRuns.push(run);
        continue;
      }
      this.send(outcome.ok
        ? { type: 'adapter-succeeded', step: run.step, run: run.run, result: outcome.result }
        : { type: 'adapter-failed', step: run.step, run: run.run, error: outcome.error });
    }
  }
}
