/**
 * Running adapter jobs: effects of committed commands (a camera check, a relay…). Each runs
 * outside any transaction under a lease; its outcome returns to the case as a command with an
 * idempotency key per job, so a job re-run after a crash never records its outcome twice.
 */
import type { Knex } from 'knex';
import { SYSTEM_ACTOR, type AdapterRunner, type Clock } from '../engine/index.js';
import { finishJob, leaseAdapterJobs } from '../adapters/store/jobs-table.js';
import type { CaseService } from './case-service.js';

export async function runAdapterJobs(deps: { db: Knex; clock: Clock; runner: AdapterRunner; service: CaseService; leaseMs?: number }, batchSize = 10): Promise<number> {
  const jobs = await leaseAdapterJobs(deps.db, deps.clock.now(), deps.leaseMs ?? 60_000, batchSize);
  for (const job of jobs) {
    const { step, adapter, params } = job.payload as { step: string; adapter: string; params: Record<string, unknown> };
    let outcome: { type: 'adapter-succeeded'; step: string; result: unknown } | { type: 'adapter-failed'; step: string; error: string };
    try {
      const result = await deps.runner.run(adapter, { caseId: job.caseId, step, params });
      outcome = { type: 'adapter-succeeded', step, result: result ?? null };
    } catch (error) {
      outcome = { type: 'adapter-failed', step, error: error instanceof Error ? error.message : String(error) };
    }
    try {
      await deps.service.execute({ caseId: job.caseId, command: outcome, actor: SYSTEM_ACTOR, idempotencyKey: `job:${job.id}` });
    } catch {
      // The case ended meanwhile; the outcome has nowhere to go.
    }
    await finishJob(deps.db, job.id, deps.clock.now(), outcome.type === 'adapter-failed' ? outcome.error : undefined);
  }
  return jobs.length;
}
