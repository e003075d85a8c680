/**
 * Firing deadlines: a started step whose budget ran out is marked overdue, an `step.overdue`
 * event is appended to its case, and the SOP's escalation roles are notified. Claimed with
 * FOR UPDATE SKIP LOCKED, so any number of Alur processes can run this side by side.
 */
import type { Knex } from 'knex';
import type { AuditKey, Clock } from '../engine/index.js';
import { formatDuration } from '../engine/index.js';
import { advanceCase, loadStoredCase } from '../adapters/store/cases-table.js';
import { appendEvent } from '../adapters/store/case-events-table.js';
import { claimDeadline, finishJob, listDueDeadlines, type JobRow } from '../adapters/store/jobs-table.js';
import { insertNotifications } from '../adapters/store/notifications-table.js';
import { getExecution, markOverdue } from '../adapters/store/step-executions-table.js';
import type { VersionRegistry } from './version-registry.js';

export interface FiredDeadline {
  caseId: string;
  step: string;
  executionId: number;
  seq: number;
}

/**
 * Fire every deadline due by the clock's now; returns what fired. Each deadline is fired in a
 * transaction of its own that locks the case row first and then the job, in the same order as
 * commands take them, so the two never deadlock; locked rows are skipped, not waited for.
 */
export async function fireDueDeadlines(deps: { db: Knex; clock: Clock; versions: VersionRegistry; auditKey?: AuditKey }, batchSize = 50): Promise<FiredDeadline[]> {
  const fired: FiredDeadline[] = [];
  const elsewhere: number[] = [];
  for (;;) {
    const now = deps.clock.now();
    const due = await listDueDeadlines(deps.db, now, batchSize, elsewhere);
    for (const candidate of due) {
      const outcome = await deps.db.transaction(async (trx) => {
        // Background work never waits for a lock: a case busy with a command is visited next round.
        const locked = await trx('cases').select('id').where({ id: candidate.caseId }).forUpdate().skipLocked().first();
        const job = locked ? await claimDeadline(trx, candidate.id) : undefined;
        return job ? { job: await fireOne(trx, deps.versions, job, now, deps.auditKey) } : undefined;
      });
      if (outcome === undefined) elsewhere.push(candidate.id); // busy, or another process has it
      else if (outcome.job) fired.push(outcome.job);
    }
    if (due.length < batchSize) return fired;
  }
}

async function fireOne(trx: Knex.Transaction, versions: VersionRegistry, job: JobRow, now: Date, auditKey?: AuditKey): Promise<FiredDeadline | undefined> {
  const execution = job.stepExecutionId === null ? undefined : await getExecution(trx, job.stepExecutionId);
  const stored = await loadStoredCase(trx, job.caseId);
  if (!execution || execution.completedAt !== null || !stored || stored.status !== 'active') {
    await finishJob(trx, job.id, now, 'step already closed');
    return undefined;
  }
  const version = await versions.get(trx, stored.row.sopVersionId);
  const step = version.steps.get(execution.stepId);
  const budget = execution.budgetMs ?? 0;
  await advanceCase(trx, job.caseId, stored.seq, { snapshot: stored.snapshot, activeSteps: stored.row.activeSteps, status: stored.status, at: now });
  const event = await appendEvent(trx, {
    caseId: job.caseId, seq: stored.seq + 1, type: 'step.overdue',
    payload: { step: execution.stepId, visit: execution.visit, budgetMs: budget, startedAt: execution.startedAt?.toISOString() ?? null, dueAt: job.runAt.toISOString() },
    actorId: 'alur', actorRoles: [], at: now, idempotencyKey: `deadline:${job.id}`,
  }, auditKey);
  await markOverdue(trx, execution.id);
  const roles = [...new Set([...version.definition.escalation.notify, ...(step?.role ? [step.role] : [])])];
  await insertNotifications(trx, job.caseId, [{
    kind: 'overdue', stepId: execution.stepId, roles,
    message: `Langkah "${step?.activity ?? execution.stepId}" melewati waktu ${formatDuration(budget)}`,
  }], now);
  await finishJob(trx, job.id, now);
  return { caseId: job.caseId, step: execution.stepId, executionId: execution.id, seq: event.seq };
}
