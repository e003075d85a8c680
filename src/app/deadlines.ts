/**
 * Firing deadlines: a step whose waktu ran out (counted from when it became available) gets an
 * `OVERDUE` event through the case's machine, which marks it overdue and escalates to the SOP's
 * escalation roles; a deadline for a visit that is over is recorded as late and changes nothing.
 * Deadlines are leased rows (FOR UPDATE SKIP LOCKED), claimed in batches (live ones newest
 * first, so a backlog after a restart never delays a fresh overdue), so any number of Alur
 * processes can fire them side by side, and a crash between lease and command only delays them.
 */
import type { Knex } from 'knex';
import type { Clock } from '../engine/index.js';
import { runClaimedBatch, runLeasedJobs } from './job-runner.js';
import type { CaseService } from './case-service.js';

/**
 * How long a leased deadline or round stays with the process that leased it. Firing one is a single
 * short transaction, so the lease can be short: a process killed after leasing delays the deadline
 * by this much (with the adapters' 60 s lease, `npm run soak` measured deadlines 60–90 s late after
 * a kill -9). A lease that runs out mid-command is harmless: the job's idempotency key makes the
 * second firing a duplicate.
 */
export const DEADLINE_LEASE_MS = 10_000;

export interface FiredDeadline {
  caseId: string;
  step: string;
  seq: number;
  late: boolean;
}

export async function fireDueDeadlines(deps: { db: Knex; clock: Clock; service: CaseService; leaseMs?: number; parallel?: number }, batchSize = 200): Promise<FiredDeadline[]> {
  const fired: FiredDeadline[] = [];
  // Until none is due: deadlines that came due while Alur was down all fire at start-up. Batches of
  // a few hundred (one read and one write for most of a batch, a few tenths of a second): each
  // claim looks again for a deadline that just came due.
  for (;;) {
    const ran = await runClaimedBatch({ ...deps, leaseMs: deps.leaseMs ?? DEADLINE_LEASE_MS, kind: 'deadline', batchSize }, async (job) => {
      const { step, visit } = job.payload as { step: string; visit?: number };
      return { type: 'deadline', step, ...(visit !== undefined ? { visit } : {}) };
    }, (job, result) => {
      fired.push({ caseId: job.caseId, step: (job.payload as { step: string }).step, seq: result.event.seq, late: (result.event.payload as { late?: boolean }).late === true });
    });
    if (ran < batchSize) return fired;
  }
}

export interface FiredTimer {
  caseId: string;
  timer: string;
  round: number;
  seq: number;
  late: boolean;
}

/**
 * Firing periodic rounds: a duty's or timed loop's timer that came due becomes a `timer` command
 * naming its round; the machine opens the round (or records the one still open as missed). Like
 * deadlines, rounds due while Alur was down all fire at start-up, in order.
 */
export async function fireDueTimers(deps: { db: Knex; clock: Clock; service: CaseService; leaseMs?: number }, batchSize = 50): Promise<FiredTimer[]> {
  const fired: FiredTimer[] = [];
  for (;;) {
    const ran = await runLeasedJobs({ ...deps, leaseMs: deps.leaseMs ?? DEADLINE_LEASE_MS, kind: 'timer', batchSize }, async (job) => {
      const { timer, round } = job.payload as { timer: string; round: number };
      return { type: 'timer', timer, round, dueAt: job.runAt.toISOString() };
    }, (job, result) => {
      const { timer, round } = job.payload as { timer: string; round: number };
      fired.push({ caseId: job.caseId, timer, round, seq: result.event.seq, late: (result.event.payload as { late?: boolean }).late === true });
    });
    if (ran < batchSize) return fired;
  }
}
