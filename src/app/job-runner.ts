/**
 * The loops background jobs share: lease jobs, work out the system command each stands for (run
 * an adapter, or just read a deadline), give it to the case with the job's own idempotency key,
 * then finish the job. A command that fails for a reason that may pass releases the job with
 * back-off; a closed case finishes it.
 */
import type { Knex } from 'knex';
import { CaseClosedError, coerceError, SYSTEM_ACTOR, type Clock, type SystemCommand } from '../engine/index.js';
import { claimDueJobs, finishJob, finishJobs, leaseJobs, releaseJob, type JobRow } from '../adapters/store/jobs-table.js';
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

type CommandFor = (job: JobRow) => Promise<SystemCommand>;
type OnDone = (job: JobRow, result: CommandResult) => void;

/** Run up to `batchSize` due jobs of `deps.kind`, one lease at a time; returns how many ran. */
export async function runLeasedJobs(deps: JobRunnerDeps, commandFor: CommandFor, onDone?: OnDone): Promise<number> {
  let ran = 0;
  // One job per lease, so a slow adapter never eats into the lease of jobs queued behind it.
  for (; ran < deps.batchSize; ran += 1) {
    const [job] = await leaseJobs(deps.db, deps.kind, deps.clock.now(), deps.leaseMs ?? 60_000, 1);
    if (!job) break;
    if (await runJob(deps, job, commandFor, onDone)) await finishJob(deps.db, job.id, deps.clock.now(), undefined, job.attempts);
  }
  return ran;
}

/**
 * For jobs that are quick commands (deadlines): claim a batch in one statement; give the first job
 * of every case its command in bulk (CaseService.executeBatch: one read, one write for them all);
 * run the others — a case's later jobs, in due order, and whatever the bulk path leaves to a
 * command of its own — one by one, cases side by side (`parallel` at a time; on PGlite's single
 * connection they simply queue). The jobs that ran are finished in one statement. Returns how
 * many were claimed.
 */
export async function runClaimedBatch(deps: JobRunnerDeps & { parallel?: number }, commandFor: CommandFor, onDone?: OnDone): Promise<number> {
  const jobs = await claimDueJobs(deps.db, deps.kind, deps.clock.now(), deps.leaseMs ?? 60_000, deps.batchSize);
  const byCase = new Map<string, JobRow[]>();
  for (const job of jobs) byCase.set(job.caseId, [...(byCase.get(job.caseId) ?? []), job]);
  const sorted = [...byCase.values()].map((group) => group.sort((a, b) => a.runAt.getTime() - b.runAt.getTime()));
  const ran: JobRow[] = [];
  const bulk = await runFirstJobsInBulk(deps, sorted.map((group) => group[0]!), commandFor, onDone);
  ran.push(...bulk.ran);
  // A case whose first job did not finish in bulk runs it singly, before its later jobs.
  const groups = sorted.map((group) => (bulk.settled.has(group[0]!.id) ? group.slice(1) : group)).filter((group) => group.length > 0);
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      for (const job of groups[next++]!) if (await runJob(deps, job, commandFor, onDone)) ran.push(job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.parallel ?? 4, groups.length) }, worker));
  await finishJobs(deps.db, ran, deps.clock.now());
  return jobs.length;
}

/** The first job of each case through CaseService.executeBatch: which ran (to finish), and which are settled (ran or finished here). */
async function runFirstJobsInBulk(deps: JobRunnerDeps, jobs: JobRow[], commandFor: CommandFor, onDone?: OnDone): Promise<{ ran: JobRow[]; settled: Set<number> }> {
  const ran: JobRow[] = [];
  const settled = new Set<number>();
  const batch: Array<{ job: JobRow; command: SystemCommand }> = [];
  for (const job of jobs) {
    const command = await commandFor(job);
    // An adapter's failure carries a note the job keeps: those go one by one.
    if (command.type !== 'adapter-failed') batch.push({ job, command });
  }
  if (batch.length === 0) return { ran, settled };
  let outcomes;
  try {
    outcomes = await deps.service.executeBatch(batch.map(({ job, command }) => ({ caseId: job.caseId, command, idempotencyKey: jobKey(deps.kind, job) })));
  } catch {
    // Whatever went wrong, each job still gets its own command, which reports its own failure.
    return { ran, settled };
  }
  for (const [i, outcome] of outcomes.entries()) {
    const { job } = batch[i]!;
    if (outcome.kind === 'single') continue;
    settled.add(job.id);
    if (outcome.kind === 'closed') {
      await finishJob(deps.db, job.id, deps.clock.now(), 'the case was already closed', job.attempts);
      continue;
    }
    onDone?.(job, outcome.result);
    ran.push(job);
  }
  return { ran, settled };
}

/** The idempotency key of a job's command: firing it twice (a lease that ran out mid-command) records it once. */
function jobKey(kind: JobRow['kind'], job: JobRow): string {
  return `${kind === 'deadline' ? 'deadline' : 'job'}:${job.id}`;
}

/** Give one leased job's command to its case. True: done, the caller finishes it; false: released or finished here. */
async function runJob(deps: JobRunnerDeps, job: JobRow, commandFor: CommandFor, onDone?: OnDone): Promise<boolean> {
  const command = await commandFor(job);
  const note = command.type === 'adapter-failed' ? command.error : undefined;
  try {
    const result = await deps.service.execute({ caseId: job.caseId, command, actor: SYSTEM_ACTOR, idempotencyKey: jobKey(deps.kind, job) });
    onDone?.(job, result);
  } catch (error) {
    if (!(error instanceof CaseClosedError)) {
      const backoffMs = Math.min(2 ** job.attempts * 1_000, MAX_BACKOFF_MS);
      await releaseJob(deps.db, job.id, job.attempts, new Date(deps.clock.now().getTime() + backoffMs), coerceError(error).message);
      return false;
    }
    await finishJob(deps.db, job.id, deps.clock.now(), 'the case was already closed', job.attempts);
    return false;
  }
  if (note === undefined) return true;
  await finishJob(deps.db, job.id, deps.clock.now(), note, job.attempts);
  return false;
}
