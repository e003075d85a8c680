/**
 * Running cases: every command is one transaction — load → decide (pure) → append the event and
 * write the snapshot with optimistic concurrency on the sequence number → commit — and its effects
 * (adapter runs) are written as jobs in the same transaction, so a crash loses none of them.
 */
import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import {
  ConflictError, decide, decideStart, EVENT_TYPE, GENESIS_HASH, SYSTEM_ACTOR, hashEvent, IdempotencyKeyReusedError, NotFoundError, StaleSequenceError, type AnyCaseCommand, type CaseActor, type ChainedEvent,
  type AuditKey, type CaseEffects, type CaseStatus, type Clock, type RunnableVersion,
} from '../engine/index.js';
import { findCaseByStartKey, isUuid, type CaseRow } from '../adapters/store/cases-table.js';
import {
  closeStepsCancellingJobs, fitsOneStatement, readForCommand, readForCommands, writeCommand, writeCommandWithEffects, writeOpenedEffects, writeSimpleCommands,
  writeStartWithEffects,
  type CommandEffects, type QueuedJob, type SimpleWrite,
} from '../adapters/store/case-command-sql.js';
import { findEventByKey } from '../adapters/store/case-events-table.js';
import { cancelCaseJobs } from '../adapters/store/jobs-table.js';
import { isRetryableConflict } from '../adapters/store/pg-errors.js';
import { getSopRevision, latestSopVersion, organizationsWithSop } from '../adapters/store/sop-versions-table.js';
import { markOverdue, markStarted } from '../adapters/store/step-executions-table.js';
import { refuseUnlessMayStartCase } from './access-policy.js';
import type { VersionRegistry } from './version-registry.js';

const MAX_ATTEMPTS = 5;

export interface CommandInput {
  caseId: string;
  command: AnyCaseCommand;
  actor: CaseActor;
  /** Repeating a command with the same key returns the first result and appends nothing. */
  idempotencyKey?: string;
  /** If-Match: refuse unless the case is still at this sequence number. */
  expectedSeq?: number;
  /** Only cases of this organisation exist for this caller. */
  organizationId?: string;
  /** Throws unless the caller may give this case commands; checked on the command's own read (no second read). */
  authorize?: (row: CaseRow, version: RunnableVersion) => void;
}

export interface CommandResult {
  event: ChainedEvent;
  case: CaseRow;
  duplicate: boolean;
}

export interface StartCaseInput {
  sopId: string;
  /** Defaults to the latest published revision. */
  revision?: number;
  actor: CaseActor;
  title?: string;
  idempotencyKey?: string;
  /** Only SOPs of this organisation exist for this caller; omitted: the one organisation that publishes the SOP. */
  organizationId?: string | null;
}

/** One system command of a batch (a deadline that came due): its case, and the key that makes it once-only. */
export interface BatchCommand {
  caseId: string;
  command: AnyCaseCommand;
  idempotencyKey: string;
}

/**
 * What became of a batch command: `done` (committed with the batch, or recorded before under its
 * key: `result.duplicate`), `closed` (the case is over), or `single`: not written, to be run on its
 * own through `execute` (its decision opens or closes steps, its case changed meanwhile, it failed).
 */
export type BatchOutcome = { kind: 'done'; result: CommandResult } | { kind: 'closed' } | { kind: 'single' };

export type CommittedListener = (change: { caseId: string; event: ChainedEvent; case: CaseRow }) => void;

export interface CaseServiceDeps {
  db: Knex;
  clock: Clock;
  versions: VersionRegistry;
  newId?: () => string;
  /** Signs the event chain (HMAC) when set. */
  auditKey?: AuditKey;
}

/** The one organisation that publishes `sopId`, for callers that name none (the CLI on a single-office install). */
async function soleOrganizationWith(db: Knex, sopId: string): Promise<string | null> {
  const owners = await organizationsWithSop(db, sopId);
  if (owners.length > 1) throw new AmbiguousSopError(sopId, owners);
  return owners[0] ?? null;
}

/** Several organisations publish an SOP under this id: say which one. */
export class AmbiguousSopError extends Error {
  constructor(readonly sopId: string, readonly organizations: Array<string | null>) {
    super(`several organisations publish an SOP "${sopId}" (${organizations.map((o) => o ?? '(none)').join(', ')}); name the organisation (--org)`);
    this.name = 'AmbiguousSopError';
  }
}

/** Whether a logged event is what this command would have recorded (same type, fields and actor). */
function isSameCommand(event: ChainedEvent, command: AnyCaseCommand, actorId: string): boolean {
  const { type, ...payload } = command;
  const normal = (value: unknown) => canonicalize(JSON.parse(JSON.stringify(value ?? null)));
  return event.type === EVENT_TYPE[type] && event.actorId === actorId && normal(event.payload) === normal(payload);
}

/** The event chained to the one before it (`prevHash`), as appendEvent chains it. */
function chainEvent(event: Omit<ChainedEvent, 'prevHash' | 'hash' | 'keyId'>, prevHash: string, key?: AuditKey): ChainedEvent {
  const chained = { ...event, keyId: key?.id ?? null, prevHash };
  return { ...chained, hash: hashEvent(chained, key) };
}

/** A lost optimistic race: reload and decide again. */
class StaleRead extends Error {}

export class CaseService {
  private readonly listeners = new Set<CommittedListener>();

  constructor(private readonly deps: CaseServiceDeps) {}

  /** Called after each commit (not for duplicates): live updates and the job runner listen here. */
  onCommitted(listener: CommittedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A new case: the reads (a case under the same start key, the SOP revision) and the decision,
   * then one statement writing the case, its first event and head and its first steps
   * (writeStartWithEffects; a concurrent start with the same key makes it fail on the unique key
   * and the retry finds that case).
   */
  async startCase(input: StartCaseInput): Promise<CommandResult> {
    const { db, clock } = this.deps;
    return this.withRetries(async () => {
      if (input.idempotencyKey) {
        const existing = await findCaseByStartKey(db, input.idempotencyKey);
        if (existing) {
          if (existing.sopId !== input.sopId || existing.startedBy !== input.actor.id) throw new IdempotencyKeyReusedError(input.idempotencyKey);
          return { event: (await findEventByKey(db, existing.id, input.idempotencyKey))!, case: existing, duplicate: true };
        }
      }
      const organizationId = input.organizationId !== undefined ? input.organizationId : await soleOrganizationWith(db, input.sopId);
      const versionRow = input.revision === undefined ? await latestSopVersion(db, organizationId, input.sopId) : await getSopRevision(db, organizationId, input.sopId, input.revision);
      if (!versionRow) {
        throw new NotFoundError('SOP', input.revision === undefined ? input.sopId : `${input.sopId} revision ${input.revision}`);
      }
      const version = await this.deps.versions.get(db, versionRow.id);
      refuseUnlessMayStartCase(input.actor, version);
      const now = clock.now();
      const start = decideStart(version, now, input.title ?? null);
      const id = this.deps.newId?.() ?? randomUUID();
      const row: CaseRow = {
        id, sopVersionId: version.versionId, sopId: input.sopId, status: 'active', seq: 1, snapshot: start.snapshot,
        activeSteps: start.activeSteps, title: input.title ?? null, startedBy: input.actor.id, startKey: input.idempotencyKey ?? null,
        startedAt: now, updatedAt: now, endedAt: null, organizationId: versionRow.organizationId,
      };
      const event = chainEvent({
        caseId: id, seq: 1, type: 'case.started', payload: {
          sopId: input.sopId, revision: versionRow.revision, versionId: version.versionId, organizationId: versionRow.organizationId, title: input.title ?? null,
          // The chain then vouches for the SOP text the case ran on: an edited source or definition shows in the audit.
          sourceHash: versionRow.contentHash,
        },
        actorId: input.actor.id, actorRoles: input.actor.roles, at: now, idempotencyKey: input.idempotencyKey ?? null,
      }, GENESIS_HASH, this.deps.auditKey);
      // Entering the first steps closes none and marks none started or overdue: one statement always does.
      await writeStartWithEffects(db, row, event, effectsToWrite('active', { ...start, exited: [] }, now), this.deps.auditKey);
      return { event, case: row, duplicate: false };
    });
  }

  async execute(input: CommandInput): Promise<CommandResult> {
    return this.withRetries(() => this.executeOnce(input));
  }

  /**
   * One read (the case, its last hash, the event the idempotency key recorded), the decision, and
   * one write: a single statement when the decision allows it (fitsOneStatement; then neither the
   * read nor the write needs a transaction around it, the write's optimistic seq check keeps the
   * read current), otherwise the write and the effects' statements in one transaction.
   */
  private async executeOnce(input: CommandInput): Promise<CommandResult> {
    const { db } = this.deps;
    const read = isUuid(input.caseId) ? await readForCommand(db, input.caseId, input.idempotencyKey ?? null) : undefined;
    const row = read?.row;
    if (!read || !row || (input.organizationId !== undefined && row.organizationId !== input.organizationId)) throw new NotFoundError('case', input.caseId);
    const version = await this.deps.versions.get(db, row.sopVersionId);
    input.authorize?.(row, version);
    if (input.idempotencyKey && read.keyed) {
      if (!isSameCommand(read.keyed, input.command, input.actor.id)) throw new IdempotencyKeyReusedError(input.idempotencyKey);
      return { event: read.keyed, case: row, duplicate: true };
    }
    if (input.expectedSeq !== undefined && input.expectedSeq !== row.seq) {
      throw new StaleSequenceError(input.expectedSeq, row.activeSteps, row.seq);
    }
    const now = this.deps.clock.now();
    const decision = decide(version, { caseId: row.id, seq: row.seq, status: row.status, snapshot: row.snapshot, title: row.title }, input.command, input.actor, now);
    const event = chainEvent({
      caseId: input.caseId, seq: row.seq + 1, type: decision.eventType, payload: decision.payload,
      actorId: input.actor.id, actorRoles: input.actor.roles, at: now, idempotencyKey: input.idempotencyKey ?? null,
    }, read.lastHash, this.deps.auditKey);
    const state = { snapshot: decision.snapshot, activeSteps: decision.activeSteps, status: decision.status, at: now };
    const effects = effectsToWrite(decision.status, decision, now);
    if (fitsOneStatement(effects)) {
      if (!(await writeCommandWithEffects(db, state, row.seq, event, row.organizationId, effects, this.deps.auditKey))) throw new StaleRead();
    } else {
      await db.transaction(async (trx) => {
        // Advance under the optimistic seq check, append the event and its head; then the effects.
        if (!(await writeCommand(trx, state, row.seq, event, row.organizationId, this.deps.auditKey))) throw new StaleRead();
        await applyEffects(trx, input.caseId, effects, now);
      });
    }
    const advanced: CaseRow = { ...row, seq: event.seq, snapshot: decision.snapshot, activeSteps: decision.activeSteps, status: decision.status, updatedAt: now, endedAt: decision.status === 'active' ? null : now };
    return { event, case: advanced, duplicate: false };
  }

  /**
   * System commands on distinct cases in two round trips: one read of all the cases, a decision for
   * each in Node, one statement writing every decision that only appends its event, marks a step
   * overdue and notifies (what a deadline coming due does). Anything else is left to `execute`
   * (outcome `single`). The same checks as `execute`: the optimistic `seq`, the idempotency key
   * (a command recorded before is a duplicate, and a concurrent one makes the statement fail as a
   * whole, so the caller runs them singly), the same event chain and head.
   */
  async executeBatch(commands: readonly BatchCommand[]): Promise<BatchOutcome[]> {
    const { db, clock } = this.deps;
    const outcomes: BatchOutcome[] = commands.map(() => ({ kind: 'single' }));
    const cases = new Set(commands.map((c) => c.caseId));
    if (cases.size !== commands.length || commands.some((c) => !isUuid(c.caseId))) throw new Error('executeBatch: one command per case, by case id');
    const reads = await readForCommands(db, commands);
    const now = clock.now();
    const writes: Array<{ index: number; write: SimpleWrite; row: CaseRow }> = [];
    for (const [index, input] of commands.entries()) {
      const read = reads.get(input.caseId);
      if (!read) continue;
      const { row } = read;
      if (read.keyed) {
        if (isSameCommand(read.keyed, input.command, SYSTEM_ACTOR.id)) outcomes[index] = { kind: 'done', result: { event: read.keyed, case: row, duplicate: true } };
        continue;
      }
      if (row.status !== 'active') {
        outcomes[index] = { kind: 'closed' };
        continue;
      }
      let decision;
      try {
        const version = await this.deps.versions.get(db, row.sopVersionId);
        decision = decide(version, { caseId: row.id, seq: row.seq, status: row.status, snapshot: row.snapshot, title: row.title }, input.command, SYSTEM_ACTOR, now);
      } catch {
        continue;
      }
      const simple = decision.status === 'active' && decision.entered.length === 0 && decision.exited.length === 0 && decision.adapterRuns.length === 0
        && decision.timers.length === 0 && !decision.started;
      if (!simple) continue;
      const event = chainEvent({
        caseId: row.id, seq: row.seq + 1, type: decision.eventType, payload: decision.payload,
        actorId: SYSTEM_ACTOR.id, actorRoles: SYSTEM_ACTOR.roles, at: now, idempotencyKey: input.idempotencyKey,
      }, read.lastHash, this.deps.auditKey);
      writes.push({
        index, row,
        write: {
          state: { snapshot: decision.snapshot, activeSteps: decision.activeSteps, at: now }, expectedSeq: row.seq, event, organizationId: row.organizationId,
          overdue: decision.overdue ?? null, notifications: decision.notifications,
        },
      });
    }
    let advanced: Set<string>;
    try {
      advanced = await writeSimpleCommands(db, writes.map((w) => w.write), this.deps.auditKey);
    } catch (error) {
      // A lost race on an idempotency key or a head (another process fired the same deadline): all run singly.
      if (isRetryableConflict(error)) return commands.map(() => ({ kind: 'single' }));
      throw error;
    }
    for (const { index, write, row } of writes) {
      if (!advanced.has(row.id)) continue;
      const { event, state } = write;
      const result: CommandResult = { event, case: { ...row, seq: event.seq, snapshot: state.snapshot, activeSteps: state.activeSteps, updatedAt: now }, duplicate: false };
      outcomes[index] = { kind: 'done', result };
      for (const listener of this.listeners) listener({ caseId: row.id, event, case: result.case });
    }
    return outcomes;
  }

  /** Lost races (stale reads, a concurrent duplicate) are retried with fresh data; everything else surfaces. */
  private async withRetries(run: () => Promise<CommandResult>): Promise<CommandResult> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await run();
        if (!result.duplicate) for (const listener of this.listeners) listener({ caseId: result.case.id, event: result.event, case: result.case });
        return result;
      } catch (error) {
        const retryable = error instanceof StaleRead || isRetryableConflict(error);
        if (!retryable || attempt >= MAX_ATTEMPTS) {
          if (error instanceof StaleRead) throw new ConflictError('the case kept changing while this command ran; reload it and try again', [], -1);
          throw error;
        }
      }
    }
  }
}

/** What a decision says happened, as rows to write: steps closed and opened, jobs started and cancelled, notifications, a step started or overdue. */
function effectsToWrite(status: CaseStatus, effects: CaseEffects, now: Date): CommandEffects {
  const jobs: QueuedJob[] = [];
  for (const entry of effects.entered) {
    if (entry.dueAt !== null) jobs.push({ kind: 'deadline', step: entry.stepId, payload: { step: entry.stepId, visit: entry.visit }, runAt: entry.dueAt });
  }
  for (const run of effects.adapterRuns) {
    jobs.push({ kind: 'adapter', step: run.step, payload: { step: run.step, adapter: run.adapter, run: run.run, params: run.params }, runAt: now });
  }
  // A periodic round belongs to the case, not to a step visit: closing a round never cancels the next one.
  for (const timer of effects.timers) {
    jobs.push({ kind: 'timer', step: null, payload: { timer: timer.timer, round: timer.round }, runAt: timer.dueAt });
  }
  return {
    exited: effects.exited, cancelCaseJobs: status !== 'active', entered: effects.entered, jobs, notifications: effects.notifications,
    started: effects.started, overdue: effects.overdue,
  };
}

/**
 * Write what a decision says happened, in the command's transaction, one statement after the
 * other: the step timeline (rows opened with their deadline, closed with outcome and actors,
 * started, overdue), the jobs it starts (deadlines, adapter runs, periodic rounds) and cancels,
 * and the notifications. (writeCommandWithEffects does the same in one statement when it can.)
 */
async function applyEffects(trx: Knex.Transaction, caseId: string, effects: CommandEffects, now: Date): Promise<void> {
  await closeStepsCancellingJobs(trx, caseId, effects.exited, now);
  if (effects.cancelCaseJobs) await cancelCaseJobs(trx, caseId, now);
  await writeOpenedEffects(trx, caseId, now, effects.entered, effects.jobs, effects.notifications);
  if (effects.started) await markStarted(trx, caseId, effects.started.stepId, now, effects.started.actorId);
  if (effects.overdue) await markOverdue(trx, caseId, effects.overdue.stepId, effects.overdue.visit);
}
