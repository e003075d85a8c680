/**
 * Jobs: deadlines (a step's waktu running out), periodic rounds (duties, timed loops) and adapter
 * runs (effects of a command, run after its commit). Rows, not timers, so nothing is lost in a crash; claimed with
 * FOR UPDATE SKIP LOCKED so several Alur processes can share the work.
 */
import type { Knex } from 'knex';

export interface JobRow {
  id: number;
  kind: 'deadline' | 'adapter' | 'timer';
  caseId: string;
  stepExecutionId: number | null;
  payload: Record<string, unknown>;
  runAt: Date;
  attempts: number;
}

function fromRow(row: Record<string, unknown>): JobRow {
  return {
    id: Number(row.id), kind: row.kind as JobRow['kind'], caseId: row.case_id as string,
    stepExecutionId: row.step_execution_id === null ? null : Number(row.step_execution_id),
    payload: row.payload as Record<string, unknown>, runAt: row.run_at as Date, attempts: row.attempts as number,
  };
}




export async function cancelCaseJobs(db: Knex, caseId: string, at: Date): Promise<void> {
  await db('jobs').where({ case_id: caseId }).whereIn('status', ['pending', 'running']).update({ status: 'cancelled', finished_at: at });
}

/**
 * Lease up to `limit` jobs of a kind: pending ones that are due, and running ones whose lease
 * ran out (their process died). The lease is committed at once, so the work (an adapter run, a
 * command on the case) happens outside this transaction; rows another process holds are skipped.
 */
export async function leaseJobs(db: Knex, kind: JobRow['kind'], now: Date, leaseMs: number, limit: number): Promise<JobRow[]> {
  return db.transaction(async (trx) => {
    const due = await trx('jobs')
      .where({ kind })
      .where('run_at', '<=', now)
      .where((q) => q.where({ status: 'pending' }).orWhere((r) => r.where({ status: 'running' }).where('locked_until', '<', now)))
      .orderBy('run_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    if (due.length === 0) return [];
    const ids = due.map((row) => row.id);
    await trx('jobs').whereIn('id', ids).update({ status: 'running', locked_until: new Date(now.getTime() + leaseMs), attempts: trx.raw('attempts + 1') });
    return due.map((row) => ({ ...fromRow(row), attempts: (row.attempts as number) + 1 }));
  });
}

/**
 * Claim up to `limit` due jobs of a kind in one statement (the lease committed at once, rows
 * another process holds skipped). Live ones first — due within `liveWindowMs` of `now`, newest
 * first — so a fresh overdue never waits behind a backlog; then the backlog, oldest first.
 */
export async function claimDueJobs(db: Knex, kind: JobRow['kind'], now: Date, leaseMs: number, limit: number, liveWindowMs = 60_000): Promise<JobRow[]> {
  const liveSince = new Date(now.getTime() - liveWindowMs);
  const { rows } = await db.raw<{ rows: Array<Record<string, unknown>> }>(`
    update jobs set status = 'running', locked_until = ?, attempts = attempts + 1
    where id in (
      select id from jobs
      where kind = ? and run_at <= ? and (status = 'pending' or (status = 'running' and locked_until < ?))
      order by (run_at >= ?) desc, case when run_at >= ? then run_at end desc, run_at
      limit ? for update skip locked
    )
    returning id, kind, case_id, step_execution_id, payload, run_at, attempts`,
  [new Date(now.getTime() + leaseMs), kind, now, now, liveSince, liveSince, limit]);
  return rows.map(fromRow);
}

/** Mark leased jobs done in one statement, each only while the caller still holds its lease. */
export async function finishJobs(db: Knex, jobs: ReadonlyArray<{ id: number; attempts: number }>, at: Date): Promise<void> {
  if (jobs.length === 0) return;
  await db('jobs').whereIn(['id', 'attempts'], jobs.map((j) => [j.id, j.attempts])).where({ status: 'running' })
    .update({ status: 'done', finished_at: at, locked_until: null, last_error: null });
}

/** Mark a job done; for a leased job only while the caller still holds its lease (`attempt`). */
export async function finishJob(db: Knex, id: number, at: Date, error?: string, attempt?: number): Promise<boolean> {
  const query = db('jobs').where({ id }).whereIn('status', ['pending', 'running']);
  if (attempt !== undefined) query.where({ status: 'running', attempts: attempt });
  const updated = await query.update({ status: 'done', finished_at: at, locked_until: null, last_error: error ?? null });
  return updated === 1;
}

/** Give a leased job back, to be tried again at `retryAt`. */
export async function releaseJob(db: Knex, id: number, attempt: number, retryAt: Date, error: string): Promise<void> {
  await db('jobs').where({ id, status: 'running', attempts: attempt }).update({ status: 'pending', run_at: retryAt, locked_until: null, last_error: error });
}

export async function countJobs(db: Knex, filter: { kind?: JobRow['kind']; status?: string; caseId?: string } = {}): Promise<number> {
  const query = db('jobs').count<{ count: string | number }[]>({ count: '*' });
  if (filter.kind) query.where({ kind: filter.kind });
  if (filter.status) query.where({ status: filter.status });
  if (filter.caseId) query.where({ case_id: filter.caseId });
  const [row] = await query;
  return Number(row?.count ?? 0);
}

/**
 * Finished runs of one adapter in cases still active, oldest first: the work whose effect lived
 * in a process (a relay's ffmpeg) and must be brought back when a new process starts.
 */
export async function finishedAdapterRunsInActiveCases(db: Knex, adapter: string): Promise<JobRow[]> {
  const rows = await db('jobs as j')
    .join('cases as c', 'c.id', 'j.case_id')
    .select('j.*')
    .where({ 'j.kind': 'adapter', 'j.status': 'done', 'c.status': 'active' })
    .whereRaw("j.payload->>'adapter' = ?", [adapter])
    .orderBy('j.id');
  return rows.map(fromRow);
}
