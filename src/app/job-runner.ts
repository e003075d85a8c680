/**
 * The loop every background job kind shares: lease one job (committed at once), work out the
 * system command it stands for (run an adapter, or just read a deadline), give it to the case
 * with the job's own idempotency key, then finish the job. A command that fails for a reason
 * that may pass releases the job with back-off; a closed case finishes it.
 */
import type { Knex } from 'knex';
import { CaseClosedError, coerceError, SYSTEM_ACTOR, type Clock, type SystemCommand } from '../engine/index.js';
import { finishJob, leaseJobs, releaseJob, type JobRow } from '../adapters/store/jobs-table.js';
import type { CaseService, CommandResult } from './case-service.js';

const MAX_BACKOFF_MS = 300_000;

export interface JobRunnerDeps {
  db: Knex;
  clock: Clock;
  service: CaseService;
  kind: JobRow['kind'];
  batchSize: number;
  leaseMs?: number;
}

/** Run up to `batchSize` due jobs of `deps.kind`, one lease at a time; returns how many ran. */
export async function runLeasedJobs(deps: JobRunnerDeps, commandFor: (job: JobRow) => Promise<SystemCommand>, onDone?: (job: JobRow, result: CommandResult) => void): Promise<number> {
  let ran = 0;
  // One job per lease, so a slow adapter never eats into the lease of jobs queued behind it.
  for (; ran < deps.batchSize; ran += 1) {
    const [job] = await leaseJobs(deps.db, deps.kind, deps.clock.now(), deps.leaseMs ?? 60_000, 1);
    if (!job) break;
    const command = await commandFor(job);
    let note = command.type === 'adapter-failed' ? command.error : undefined;
    try {
      const result = await deps.service.execute({ caseId: job.caseId, command, actor: SYSTEM_ACTOR, idempotencyKey: `${deps.kind === 'deadline' ? 'deadline' : 'job'}:${job.id}` });
      onDone?.(job, result);
    } catch (error) {
      if (!(error instanceof CaseClosedError)) {
        const backoffMs = Math.min(2 ** job.attempts * 1_000, MAX_BACKOFF_MS);
        await releaseJob(deps.db, job.id, job.attempts, new Date(deps.clock.now().getTime() + backoffMs), coerceError(error).message);
        continue;
      }
      note = 'the case was already closed';
    }
    await finishJob(deps.db, job.id, deps.clock.now(), note, job.attempts);
  }
  return ran;
}
