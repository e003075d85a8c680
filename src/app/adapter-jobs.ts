/**
 * Running adapter jobs: effects of committed commands (a camera check, a relay…). Each runs
 * outside any transaction under a lease; its outcome returns to the case as a command with an
 * idempotency key per job, so a job re-run after a crash never records its outcome twice.
 */
import type { Knex } from 'knex';
import { CaseClosedError, SYSTEM_ACTOR, type AdapterRunner, type Clock, type SystemCommand } from '../engine/index.js';
import { finishJob, leaseAdapterJobs, releaseJob } from '../adapters/store/jobs-table.js';
import type { CaseService } from './case-service.js';

export async function runAdapterJobs(deps: { db: Knex; clock: Clock; runner: AdapterRunner; service: CaseService; leaseMs?: number }, batchSize = 10): Promise<number> {
  let ran = 0;
  // One job per lease, so a slow adapter never eats into the lease of jobs queued behind it.
  for (; ran < batchSize; ran += 1) {
    const [job] = await leaseAdapterJobs(deps.db, deps.clock.now(), deps.leaseMs ?? 60_000, 1);
    if (!job) break;
    const { step, adapter, params } = job.payload as { step: string; adapter: string; params: Record<string, unknown> };
    let outcome: SystemCommand;
    try {
      const result = await deps.runner.run(adapter, { caseId: job.caseId, step, params });
      outcome = { type: 'adapter-succeeded', step, result: result ?? null };
    } catch (error) {
      outcome = { type: 'adapter-failed', step, error: error instanceof Error ? error.message : String(error) };
    }
    try {
      await deps.service.execute({ caseId: job.caseId, command: outcome, actor: SYSTEM_ACTOR, idempotencyKey: `job:${job.id}` });
    } catch (error) {
      if (!(error instanceof CaseClosedError)) {
        // Recording the outcome failed for a reason that may pass: try the job again later.
        const backoffMs = Math.min(2 ** job.attempts * 1_000, 300_000);
        await releaseJob(deps.db, job.id, job.attempts, new Date(deps.clock.now().getTime() + backoffMs), error instanceof Error ? error.message : String(error));
        continue;
      }
    }
    await finishJob(deps.db, job.id, deps.clock.now(), outcome.type === 'adapter-failed' ? outcome.error : undefined, job.attempts);
  }
  return ran;
}
