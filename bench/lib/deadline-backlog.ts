/**
 * Deadlines after a restart: `count` cases whose first step's waktu ran out while Alur was down
 * (cloned in SQL from one real case, so setting up 10k takes seconds), then a fresh Alur on the
 * system clock with its scheduler running. Measures the time until every overdue deadline fired,
 * and how late a deadline that comes due one second into the backlog fires.
 */
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { ManualClock, systemClock } from '../../src/adapters/clock.js';
import type { Database } from '../../src/adapters/store/database.js';
import { openAlur } from '../../src/app/alur.js';
import { publishSop } from '../../src/app/publish-sop.js';

const SOP = 'pontianak-relay-tayangan';
/** The first step's waktu (15 menit). */
const FIRST_STEP_BUDGET_MS = 15 * 60_000;

export interface BacklogResult {
  count: number;
  /** Seconds from the scheduler's start until no overdue deadline was pending. */
  allFiredS: number;
  /** Milliseconds between a fresh deadline's due time and its step.overdue event. */
  freshLatenessMs: number;
}

async function columnsOf(knex: Knex, table: string): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ column_name: string }> }>(
    'select column_name from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position', [table]);
  return rows.map((r) => r.column_name);
}

/** Copy case `template` (its row, first event, open step and deadline job) `count` times, in batches. */
export async function cloneCase(knex: Knex, template: string, count: number): Promise<void> {
  const rest = (cols: string[], skip: string[]) => cols.filter((c) => !skip.includes(c));
  const caseCols = rest(await columnsOf(knex, 'cases'), ['id', 'start_key']);
  const eventCols = rest(await columnsOf(knex, 'case_events'), ['case_id', 'id']);
  const execCols = rest(await columnsOf(knex, 'step_executions'), ['id', 'case_id']);
  const jobCols = rest(await columnsOf(knex, 'jobs'), ['id', 'case_id', 'step_execution_id']);
  const list = (cols: string[], prefix: string) => cols.map((c) => `${prefix}.${c}`).join(', ');
  for (let done = 0; done < count; done += 2000) {
    const n = Math.min(2000, count - done);
    await knex.raw(`
      with fresh as (
        insert into cases (id, ${caseCols.join(', ')}) select gen_random_uuid(), ${list(caseCols, 'c')} from cases c, generate_series(1, ?) where c.id = ? returning id
      ), ev as (
        insert into case_events (case_id, ${eventCols.join(', ')}) select fresh.id, ${list(eventCols, 'e')} from fresh, case_events e where e.case_id = ?
      ), ex as (
        insert into step_executions (case_id, ${execCols.join(', ')}) select fresh.id, ${list(execCols, 'x')} from fresh, step_executions x where x.case_id = ? returning id, case_id
      )
      insert into jobs (case_id, step_execution_id, ${jobCols.join(', ')}) select ex.case_id, ex.id, ${list(jobCols, 'j')} from ex, jobs j where j.case_id = ? and j.kind = 'deadline'`,
    [n, template, template, template, template]);
  }
}

export async function measureDeadlineBacklog(db: Database, count: number): Promise<BacklogResult> {
  // Before the restart: cases started two hours ago, on a clock that stood still.
  const past = new ManualClock(new Date(Date.now() - 2 * 3600_000));
  const before = await openAlur({ database: db, clock: past, adapters: { run: async () => null }, relayChanges: false });
  await publishSop(db.knex, { source: (await import('node:fs')).readFileSync('sops/pontianak-relay-tayangan.yaml', 'utf8'), file: 'p.yaml', by: 'bench', at: past.now() });
  const template = (await before.cases.startCase({ sopId: SOP, actor: { id: 'kadis', roles: ['kadis'] } })).case.id;
  await cloneCase(db.knex, template, count - 1);

  // The restart: a new Alur on the real clock fires what came due.
  // As served: on PostgreSQL it relays every change to the other processes (pg_notify).
  const after = await openAlur({ database: db, clock: systemClock, adapters: { run: async () => null }, migrate: false });
  const started = performance.now();
  const scheduler = after.startScheduler(100, (error) => console.error('bench scheduler:', error));
  const pending = async () => Number((await db.knex('jobs').where({ kind: 'deadline', status: 'pending' }).where('run_at', '<=', new Date()).count<{ c: string }[]>({ c: '*' }))[0]!.c);

  // One second in, a case whose deadline comes due 300 ms later (started by the old process's clock, set accordingly).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const freshDue = new Date(Date.now() + 300);
  past.set(new Date(freshDue.getTime() - FIRST_STEP_BUDGET_MS));
  const fresh = (await before.cases.startCase({ sopId: SOP, actor: { id: 'kadis', roles: ['kadis'] } })).case.id;

  let allFiredS = Number.NaN;
  let freshFiredAt: Date | undefined;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (freshFiredAt === undefined) {
      const row = await db.knex('case_events').select('at').where({ case_id: fresh, type: 'step.overdue' }).first();
      if (row) freshFiredAt = new Date(row.at);
    }
    if (Number.isNaN(allFiredS) && Date.now() > freshDue.getTime() && (await pending()) === 0) allFiredS = (performance.now() - started) / 1000;
    if (!Number.isNaN(allFiredS) && freshFiredAt) break;
  }
  await scheduler.stop();
  // Its relay's listening connection would keep the process alive; this closes the database too.
  await after.close();
  return { count, allFiredS, freshLatenessMs: freshFiredAt.getTime() - freshDue.getTime() };
}
