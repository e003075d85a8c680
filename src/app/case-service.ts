/**
 * Running cases: every command is one transaction — load → decide (pure) → append the event and
 * write the snapshot with optimistic concurrency on the sequence number → commit — and its effects
 * (adapter runs) are written as jobs in the same transaction, so a crash loses none of them.
 */
import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import {
  ConflictError, decide, decideStart, EVENT_TYPE, hashEvent, IdempotencyKeyReusedError, NotFoundError, StaleSequenceError, type AnyCaseCommand, type CaseActor, type ChainedEvent,
  type AuditKey, type CaseEffects, type CaseStatus, type Clock, type RunnableVersion,
} from '../engine/index.js';
import { findCaseByStartKey, insertCase, isUuid, type CaseRow } from '../adapters/store/cases-table.js';
import { closeStepsCancellingJobs, readForCommand, writeCommand, writeOpenedEffects, type QueuedJob } from '../adapters/store/case-command-sql.js';
import { appendEvent, findEventByKey } from '../adapters/store/case-events-table.js';
import { appendHead } from '../adapters/store/case-heads-table.js';
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

  async startCase(input: StartCaseInput): Promise<CommandResult> {
    const { db, clock } = this.deps;
    return this.withRetries(async () => {
      const result = await db.transaction(async (trx) => {
        if (input.idempotencyKey) {
          const existing = await findCaseByStartKey(trx, input.idempotencyKey);
          if (existing) {
            if (existing.sopId !== input.sopId || existing.startedBy !== input.actor.id) throw new IdempotencyKeyReusedError(input.idempotencyKey);
            return { event: (await findEventByKey(trx, existing.id, input.idempotencyKey))!, case: existing, duplicate: true };
          }
        }
        const organizationId = input.organizationId !== undefined ? input.organizationId : await soleOrganizationWith(trx, input.sopId);
        const versionRow = input.revision === undefined ? await latestSopVersion(trx, organizationId, input.sopId) : await getSopRevision(trx, organizationId, input.sopId, input.revision);
        if (!versionRow) {
          throw new NotFoundError('SOP', input.revision === undefined ? input.sopId : `${input.sopId} revision ${input.revision}`);
        }
        const version = await this.deps.versions.get(trx, versionRow.id);
        refuseUnlessMayStartCase(input.actor, version);
        const now = clock.now();
        const start = decideStart(version, now, input.title ?? null);
        const id = this.deps.newId?.() ?? randomUUID();
        const row: CaseRow = {
          id, sopVersionId: version.versionId, sopId: input.sopId, status: 'active', seq: 1, snapshot: start.snapshot,
          activeSteps: start.activeSteps, title: input.title ?? null, startedBy: input.actor.id, startKey: input.idempotencyKey ?? null,
          startedAt: now, updatedAt: now, endedAt: null, organizationId: versionRow.organizationId,
        };
        await insertCase(trx, row);
        const event = await appendEvent(trx, {
          caseId: id, seq: 1, type: 'case.started', payload: {
            sopId: input.sopId, revision: versionRow.revision, versionId: version.versionId, organizationId: versionRow.organizationId, title: input.title ?? null,
            // The chain then vouches for the SOP text the case ran on: an edited source or definition shows in the audit.
            sourceHash: versionRow.contentHash,
          },
          actorId: input.actor.id, actorRoles: input.actor.roles, at: now, idempotencyKey: input.idempotencyKey ?? null,
        }, this.deps.auditKey);
        await appendHead(trx, event, versionRow.organizationId, this.deps.auditKey);
        await applyEffects(trx, id, 'active', { ...start, exited: [] }, now);
        return { event, case: row, duplicate: false };
      });
      return result;
    });
  }

  async execute(input: CommandInput): Promise<CommandResult> {
    return this.withRetries(() => this.deps.db.transaction((trx) => this.executeIn(trx, input)));
  }

  private async executeIn(trx: Knex.Transaction, input: CommandInput): Promise<CommandResult> {
    // One read: the case, its last event hash, and the event this idempotency key recorded already.
    const read = isUuid(input.caseId) ? await readForCommand(trx, input.caseId, input.idempotencyKey ?? null) : undefined;
    const row = read?.row;
    if (!read || !row || (input.organizationId !== undefined && row.organizationId !== input.organizationId)) throw new NotFoundError('case', input.caseId);
    const version = await this.deps.versions.get(trx, row.sopVersionId);
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
    // One write: advance under the optimistic seq check, append the event and its head.
    const state = { snapshot: decision.snapshot, activeSteps: decision.activeSteps, status: decision.status, at: now };
    if (!(await writeCommand(trx, state, row.seq, event, row.organizationId, this.deps.auditKey))) throw new StaleRead();
    await applyEffects(trx, input.caseId, decision.status, decision, now);
    const advanced: CaseRow = { ...row, seq: event.seq, snapshot: decision.snapshot, activeSteps: decision.activeSteps, status: decision.status, updatedAt: now, endedAt: decision.status === 'active' ? null : now };
    return { event, case: advanced, duplicate: false };
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

/**
 * Write what a decision says happened, in the command's transaction: the step timeline (rows
 * opened with their deadline, closed with outcome and actors, started, overdue), the jobs it
 * starts (deadlines, adapter runs, periodic rounds) and cancels, and the notifications.
 */
async function applyEffects(trx: Knex.Transaction, caseId: string, status: CaseStatus, effects: CaseEffects, now: Date): Promise<void> {
  await closeStepsCancellingJobs(trx, caseId, effects.exited, now);
  if (status !== 'active') await cancelCaseJobs(trx, caseId, now);
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
  await writeOpenedEffects(trx, caseId, now, effects.entered, jobs, effects.notifications);
  if (effects.started) await markStarted(trx, caseId, effects.started.stepId, now, effects.started.actorId);
  if (effects.overdue) await markOverdue(trx, caseId, effects.overdue.stepId, effects.overdue.visit);
}
