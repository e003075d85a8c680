/**
 * Running adapter jobs: effects of committed commands (a camera check, a relay…). Each runs
 * outside any transaction under a lease; its outcome returns to the case as a command naming
 * its run, with an idempotency key per job, so a job re-run after a crash never records its
 * outcome twice and an outcome for a step that moved on is recorded as late.
 */
import type { Knex } from 'knex';
import type { AdapterRunner, Clock } from '../engine/index.js';
import { runLeasedJobs } from './job-runner.js';
import type { CaseService } from './case-service.js';

export async function runAdapterJobs(deps: { db: Knex; clock: Clock; runner: AdapterRunner; service: CaseService; leaseMs?: number }, batchSize = 10): Promise<number> {
  return runLeasedJobs({ ...deps, kind: 'adapter', batchSize }, async (job) => {
    const { step, adapter, run, params } = job.payload as { step: string; adapter: string; run?: number; params: Record<string, unknown> };
    const answering = run === undefined ? {} : { run };
    try {
      const result = await deps.runner.run(adapter, { caseId: job.caseId, step, params });
      return { type: 'adapter-succeeded', step, ...answering, result: result ?? null };
    } catch (error) {
      return { type: 'adapter-failed', step, ...answering, error: error instanceof Error ? error.message : String(error) };
    }
  });
}
