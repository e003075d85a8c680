/**
 * Part 1, the crash loop: concurrent cases of both seed SOPs driven over HTTP with idempotency
 * keys and retries, while a controller kill -9s `alur serve` at random moments and starts it
 * again. Afterwards the database is checked: every acknowledged command is in the log exactly
 * once, every case passes the audit, every deadline due during the run fired, every adapter job
 * finished or is being retried.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/adapters/store/database.js';
import { auditAllCases } from '../../src/app/audit.js';
import { VersionRegistry } from '../../src/app/version-registry.js';
import { auditKeyFrom } from '../../src/engine/index.js';
import { createBackend, type BackendName } from './backends.js';
import { pontianakScript, SCRIPT_USERS, tarakanScript, type CaseScript } from './case-scripts.js';
import type { Section } from './report.js';
import { freePort, serverProcess, type ServerProcess } from './server-process.js';
import { prepareSoakDatabase } from './soak-setup.js';

export interface CrashLoopOptions {
  backend: BackendName;
  postgresUrl?: string;
  kills: number;
  /** Stop killing after this long even if fewer kills were made (seconds). */
  maxSeconds: number;
  /** Cases driven at once. */
  concurrency: number;
  /** Random uptime between a ready server and its kill (ms). */
  upMs: [number, number];
  /** Every step's budget in the shortened seeds (seconds). */
  budgetSeconds: number;
  log?: (line: string) => void;
}

export interface CrashLoopResult {
  section: Section;
  ok: boolean;
}

export interface Ack { key: string; caseId: string; seq: number }
/** The parts of an answer the loop reads. */
interface AnswerBody { case?: { id: string; seq: number }; event?: { seq: number }; duplicate?: boolean }

/**
 * What a start acknowledges. `POST /cases` answers with the case as it is now, also for a repeat of
 * the key, so after a kill between the commit and the answer the repeated start's `case.seq` may be
 * past 1 (a deadline fired meanwhile): the start's own event is always `case.started` at seq 1.
 * (Taking `case.seq` made the first 100-kill PostgreSQL run report 3 starts "at another seq".)
 */
export function startAck(key: string, answer: { case: { id: string; seq: number } }): Ack {
  return { key, caseId: answer.case.id, seq: 1 };
}

/** Acknowledged commands whose key is in the log once but at another case or seq, with what was found. */
export function misplacedAcks(acks: readonly Ack[], byKey: ReadonlyMap<string, ReadonlyArray<{ case_id: string; seq: number }>>): string[] {
  return acks.flatMap((ack) => {
    const rows = byKey.get(ack.key) ?? [];
    if (rows.length !== 1 || (rows[0]!.case_id === ack.caseId && Number(rows[0]!.seq) === Number(ack.seq))) return [];
    return [`${ack.key}: acknowledged at case ${ack.caseId} seq ${ack.seq}, in the log at case ${rows[0]!.case_id} seq ${rows[0]!.seq}`];
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);
const AUDIT_KEY = `soak-${'k'.repeat(40)}`;
/** How long a client keeps retrying one command across kills before it gives up on it. */
const GIVE_UP_MS = 300_000;

export async function runCrashLoop(options: CrashLoopOptions): Promise<CrashLoopResult> {
  const log = options.log ?? (() => undefined);
  const backend = await createBackend(options.backend, options.postgresUrl);
  let server: ServerProcess | undefined;
  try {
    const setup = await prepareSoakDatabase(backend, { users: SCRIPT_USERS, budgetSeconds: options.budgetSeconds, auditKey: AUDIT_KEY });
    server = serverProcess(await freePort(), { ...backend.env, ALUR_SOPS_DIR: setup.sopsDir, ALUR_SCHEDULER_INTERVAL_MS: '200', ALUR_AUDIT_KEY: AUDIT_KEY });
    const srv = server;
    const runId = randomBytes(3).toString('hex');
    const acks: Ack[] = [];
    const statuses = new Map<string, number>();
    const failures: string[] = [];
    const upIntervals: Array<[number, number]> = [];
    const startupMs: number[] = [];
    let retries = 0;
    let repeatedStarts = 0;
    const givenUp: string[] = [];
    let stopping = false;
    let casesStarted = 0;
    let casesFinished = 0;

    const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);

    /**
     * Send until the server answers with something other than a 5xx or a dropped connection; after
     * GIVE_UP_MS without one the client gives up (counted: not acknowledged, so not a promise).
     */
    async function send(username: string, path: string, body: unknown, key: string): Promise<{ status: number; json: AnswerBody } | undefined> {
      const started = Date.now();
      let last = '';
      for (let attempt = 0; ; attempt += 1) {
        if (attempt > 0) retries += 1;
        try {
          const response = await fetch(`${srv.url}${path}`, {
            method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(30_000),
            headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.tokens.get(username)}`, 'idempotency-key': key },
          });
          const text = await response.text();
          count(String(response.status));
          last = String(response.status);
          if (response.status < 500) return { status: response.status, json: text ? JSON.parse(text) : {} };
          if (response.status !== 503) failures.push(`${path} ${key}: ${response.status} ${text.slice(0, 300)}`);
        } catch (error) {
          count('connection error');
          last = (error as Error).name === 'TimeoutError' ? 'no answer in 30 s' : 'connection error';
        }
        if (Date.now() - started > GIVE_UP_MS) {
          givenUp.push(`${key} after ${attempt + 1} attempts (last: ${last})`);
          return undefined;
        }
        await sleep(50 + Math.random() * 200);
      }
    }

    async function driveCase(script: CaseScript, n: number): Promise<void> {
      const startKey = `soak-${runId}-${n}-start`;
      const started = await send(script.starter, '/api/v1/cases', { sopId: script.sopId, title: `Uji ketahanan ${n}` }, startKey);
      if (!started) return;
      if (started.status !== 201) {
        failures.push(`case ${n} (${script.sopId}) start: ${started.status} ${JSON.stringify(started.json).slice(0, 300)}`);
        return;
      }
      casesStarted += 1;
      const caseId = started.json.case!.id;
      if (started.json.duplicate) repeatedStarts += 1;
      acks.push(startAck(startKey, started.json as { case: { id: string; seq: number } }));
      for (const [i, step] of script.steps.entries()) {
        if (stopping) return;
        // A think time around the step budget, so some steps go overdue and their deadlines fire.
        await sleep(Math.random() < 0.2 ? between([0, options.budgetSeconds * 1500]) : between([0, 100]));
        const key = `soak-${runId}-${n}-${i}`;
        const result = await send(step.user, `/api/v1/cases/${caseId}/commands`, step.body, key);
        if (!result) return;
        if (result.status !== 200) {
          failures.push(`case ${n} (${script.sopId}) step ${i} ${JSON.stringify(step.body).slice(0, 80)}: ${result.status} ${JSON.stringify(result.json).slice(0, 300)}`);
          return;
        }
        acks.push({ key, caseId, seq: result.json.event!.seq });
      }
      casesFinished += 1;
    }

    let next = 0;
    async function worker(): Promise<void> {
      while (!stopping) {
        const n = next++;
        await driveCase(n % 2 === 0 ? pontianakScript(n) : tarakanScript(n), n);
      }
    }

    const t0 = Date.now();
    let upSince = Date.now();
    startupMs.push(await srv.start());
    log(`crash loop on ${options.backend}: server ready in ${Math.round(startupMs[0]!)} ms`);
    const workers = Array.from({ length: options.concurrency }, () => worker());
    let kills = 0;
    while (kills < options.kills && Date.now() - t0 < options.maxSeconds * 1000) {
      await sleep(between(options.upMs));
      await srv.kill();
      upIntervals.push([upSince, Date.now()]);
      kills += 1;
      // From the spawn: the scheduler fires due deadlines before /readyz first answers.
      upSince = Date.now();
      startupMs.push(await srv.start());
      if (kills % 10 === 0) log(`  ${kills} kills, ${acks.length} acknowledged commands, ${casesFinished} cases finished`);
    }
    stopping = true;
    await Promise.all(workers);
    // Let every deadline that came due fire: longer than one budget plus a few scheduler rounds.
    const lastCommandAt = Date.now();
    await sleep(options.budgetSeconds * 1000 + 1500);
    const stopAt = Date.now();
    await srv.stop();
    upIntervals.push([upSince, stopAt]);
    const elapsedS = (stopAt - t0) / 1000;

    // ---- Verification, straight from the database.
    const db = await openDatabase(backend.options);
    try {
      const events = await db.knex('case_events').whereNotNull('idempotency_key').select('case_id', 'seq', 'idempotency_key');
      const byKey = new Map<string, Array<{ case_id: string; seq: number }>>();
      for (const e of events as Array<{ case_id: string; seq: number; idempotency_key: string }>) {
        const key = e.idempotency_key.slice(e.idempotency_key.indexOf(':') + 1);
        byKey.set(key, [...(byKey.get(key) ?? []), e]);
      }
      let found = 0;
      let lost = 0;
      const misplacedList = misplacedAcks(acks, byKey);
      const misplaced = misplacedList.length;
      for (const ack of acks) {
        const rows = byKey.get(ack.key) ?? [];
        if (rows.length === 0) lost += 1;
        else found += 1;
      }
      // Keys that were never acknowledged (killed mid-request) yet appear more than once are duplicates too.
      const soakKeys = [...byKey.entries()].filter(([k]) => k.startsWith(`soak-${runId}-`));
      const duplicatedAny = soakKeys.filter(([, rows]) => rows.length > 1).length;
      if (lost > 0) failures.push(`${lost} acknowledged commands are not in the log`);
      if (duplicatedAny > 0) failures.push(`${duplicatedAny} idempotency keys appear more than once in the log`);
      if (misplaced > 0) failures.push(`${misplaced} acknowledged commands are in the log at another case or sequence number than acknowledged: ${misplacedList.slice(0, 5).join('; ')}`);

      const audits = await auditAllCases(db.knex, new VersionRegistry(), undefined, [auditKeyFrom(AUDIT_KEY)]);
      const auditFailures = audits.filter((a) => !a.ok);
      for (const a of auditFailures.slice(0, 5)) failures.push(`audit of case ${a.caseId}: ${a.status} ${JSON.stringify(a).slice(0, 300)}`);

      const jobs = (await db.knex('jobs').select('id', 'kind', 'status', 'run_at', 'finished_at', 'attempts', 'step_execution_id')) as Array<{ id: string; kind: string; status: string; run_at: Date; finished_at: Date | null; attempts: number; step_execution_id: string | null }>;
      const overdueRows = new Set(((await db.knex('step_executions').where({ overdue: true }).pluck('id')) as Array<string | number>).map(String));
      const overdueKeys = new Set((await db.knex('case_events').where({ type: 'step.overdue' }).pluck('idempotency_key')) as string[]);
      const deadlines = jobs.filter((j) => j.kind === 'deadline');
      const due = deadlines.filter((j) => new Date(j.run_at).getTime() <= stopAt - 1000 && !(j.status === 'cancelled' && j.finished_at && new Date(j.finished_at).getTime() < new Date(j.run_at).getTime()));
      const fired = due.filter((j) => j.status === 'done' && overdueKeys.has(`deadline:${j.id}`));
      // A deadline cancelled because its step was closed after the due time is fine as long as the
      // step's row says overdue (the close marks it); one whose row does not is a lost overdue.
      const closedLate = due.filter((j) => j.status === 'cancelled' && j.step_execution_id !== null && overdueRows.has(String(j.step_execution_id)));
      const missedCancelled = due.filter((j) => j.status === 'cancelled' && !closedLate.includes(j));
      const notFired = due.filter((j) => j.status !== 'done' && j.status !== 'cancelled');
      const firstUpAfter = (t: number) => upIntervals.find(([, b]) => b >= t)?.[0] ?? t;
      const lateness = fired.map((j) => new Date(j.finished_at!).getTime() - new Date(j.run_at).getTime()).sort((a, b) => a - b);
      const latenessWhileUp = fired.map((j) => {
        const runAt = new Date(j.run_at).getTime();
        return new Date(j.finished_at!).getTime() - Math.max(runAt, firstUpAfter(runAt));
      }).sort((a, b) => a - b);
      if (notFired.length > 0) failures.push(`${notFired.length} deadlines due during the run never fired (ids ${notFired.slice(0, 5).map((j) => j.id).join(', ')})`);
      if (missedCancelled.length > 0) failures.push(`${missedCancelled.length} deadlines came due but were cancelled, unfired, and their step is not marked overdue`);

      const adapters = jobs.filter((j) => j.kind === 'adapter');
      const adapterBy = (s: string) => adapters.filter((j) => j.status === s).length;
      const stranded = adapters.filter((j) => (j.status === 'pending' || j.status === 'running') && new Date(j.run_at).getTime() < lastCommandAt - 60_000);
      if (stranded.length > 0) failures.push(`${stranded.length} adapter jobs were due over a minute before the end and are still ${stranded.map((j) => j.status).join('/')}`);

      const pct = (xs: number[], p: number) => (xs.length === 0 ? 0 : xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!);
      const statusList = [...statuses.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ');
      const figures: Section['figures'] = [
        ['backend', options.backend],
        ['duration', `${elapsedS.toFixed(0)} s`],
        ['kill -9 of the server', kills],
        ['server lives (starts)', srv.lives],
        ['start-up to ready, median / max', `${Math.round(pct([...startupMs].sort((a, b) => a - b), 0.5))} / ${Math.round(Math.max(...startupMs))} ms`],
        ['concurrent cases', options.concurrency],
        ['cases started / finished', `${casesStarted} / ${casesFinished}`],
        ['commands acknowledged', acks.length],
        ['acknowledged found in the log', found],
        ['lost', lost],
        ['duplicated (any soak key more than once)', duplicatedAny],
        ['at another case/seq than acknowledged', misplaced],
        ['starts answered as a repeat of their key (committed in a life that was killed before answering)', repeatedStarts],
        ['requests retried (connection refused/reset or 503)', retries],
        [`commands the client gave up on (no answer within ${GIVE_UP_MS / 60_000} min; not acknowledged)`, givenUp.length === 0 ? 0 : `${givenUp.length}: ${givenUp.slice(0, 5).join('; ')}`],
        ['HTTP answers', statusList],
        ['cases audited / audit failures', `${audits.length} / ${auditFailures.length}`],
        ['deadlines due / fired', `${due.length} / ${fired.length}`],
        ['deadlines due: closed late (overdue at close) / cancelled unmarked / never fired', `${closedLate.length} / ${missedCancelled.length} / ${notFired.length}`],
        ['deadline lateness (fired − due), median / p99 / max', `${pct(lateness, 0.5)} / ${pct(lateness, 0.99)} / ${lateness.at(-1) ?? 0} ms`],
        ['lateness counted from when the server was started again, median / max', `${pct(latenessWhileUp, 0.5)} / ${latenessWhileUp.at(-1) ?? 0} ms`],
        ['adapter jobs done / pending (retry) / running / cancelled', `${adapterBy('done')} / ${adapterBy('pending')} / ${adapterBy('running')} / ${adapterBy('cancelled')}`],
      ];
      return {
        ok: failures.length === 0 && kills > 0,
        section: {
          title: `Crash loop (kill -9 under load), ${options.backend}`, command: '', figures, failures,
          notes: [`Budgets of both seed SOPs were cut to ${options.budgetSeconds} s so deadlines come due during the run; the server ran with ALUR_SCHEDULER_INTERVAL_MS=200, a signing ALUR_AUDIT_KEY and the media server off (adapter jobs that need a camera or relay fail and are retried).`],
        },
      };
    } finally {
      await db.close();
    }
  } finally {
    await server?.kill().catch(() => undefined);
    await backend.dispose();
  }
}
