import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/adapters/store/database.js';
import { migrateToLatest } from '../../src/adapters/store/migrate.js';
import { migrations } from '../../migrations/index.js';
import { fireDueDeadlines } from '../../src/app/deadlines.js';
import { VersionRegistry } from '../../src/app/version-registry.js';
import { CaseService } from '../../src/app/case-service.js';
import { openTasks } from '../../src/adapters/store/step-executions-table.js';
import { MINUTE, openHarness, person, TEST_ORGANIZATION, type Harness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const kadis = person('uray', 'kadis');

describe.each(dialects)('several schedulers on $name', (dialect) => {
  let db: Database;
  let h: Harness;
  let second: Database;
  beforeEach(async () => {
    db = await dialect.open();
    h = await openHarness(db);
    // PostgreSQL: a second connection pool, as a second Alur process has. PGlite: one process, one connection.
    second = dialect.name === 'postgres' ? await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema: await currentSchema(db) }) : db;
  });
  afterEach(async () => {
    if (second !== db) await second.close();
    await h.alur.close();
  });

  it('fires each of 30 due deadlines exactly once when two schedulers race for them', async () => {
    for (let i = 0; i < 30; i += 1) {
      await h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    }
    h.clock.advance(16 * MINUTE);
    const [a, b] = await Promise.all([
      fireDueDeadlines({ db: db.knex, clock: h.clock, service: h.alur.cases }, 4),
      fireDueDeadlines({ db: second.knex, clock: h.clock, service: new CaseService({ db: second.knex, clock: h.clock, versions: new VersionRegistry() }) }, 4),
    ]);
    expect(a.length + b.length).toBe(30);
    expect(new Set([...a, ...b].map((f) => f.caseId)).size).toBe(30);
    expect([...a, ...b].every((f) => !f.late)).toBe(true);
    if (dialect.name === 'postgres') expect(Math.min(a.length, b.length)).toBeGreaterThan(0);
    const overdue = await db.knex('case_events').where({ type: 'step.overdue' }).count<{ n: string }[]>({ n: '*' });
    expect(Number(overdue[0]!.n)).toBe(30);
    expect(await fireDueDeadlines({ db: db.knex, clock: h.clock, service: h.alur.cases })).toEqual([]);
  });

  it('lists open tasks by role across cases, oldest first', async () => {
    const first = await h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, title: 'Pertama' });
    h.clock.advance(MINUTE);
    await h.alur.cases.startCase({ sopId: 'tarakan-pemantau-cctv', actor: person('ani', 'petugas'), title: 'Shift' });
    h.clock.advance(MINUTE);
    const third = await h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis, title: 'Kedua' });
    const kadisTasks = await openTasks(db.knex, { organizationId: TEST_ORGANIZATION, roles: ['kadis'] });
    expect(kadisTasks.map((t) => [t.caseId, t.stepId, t.caseTitle])).toEqual([
      [first.case.id, 'surat-permintaan-relay', 'Pertama'],
      [third.case.id, 'surat-permintaan-relay', 'Kedua'],
    ]);
    expect((await openTasks(db.knex, { organizationId: TEST_ORGANIZATION, roles: ['petugas', 'management'] })).map((t) => t.stepId)).toEqual(['hadir-serah-terima']);
    expect(await openTasks(db.knex, { organizationId: TEST_ORGANIZATION, roles: ['opd'] })).toEqual([]);
    expect(await openTasks(db.knex, { organizationId: 'another-city', roles: ['kadis'] })).toEqual([]);
    expect((await openTasks(db.knex, { organizationId: TEST_ORGANIZATION, roles: ['kadis'], sopId: 'tarakan-pemantau-cctv' }))).toEqual([]);
  });
});

async function currentSchema(db: Database): Promise<string> {
  const { rows } = await db.knex.raw('select current_schema() as schema');
  return rows[0].schema;
}

describe.each(dialects.filter((d) => d.name === 'postgres'))('migrations on $name', () => {
  it('are safe when two processes start at once', async () => {
    const schema = `mig_${randomBytes(5).toString('hex')}`;
    const a = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema });
    const b = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema });
    try {
      const results = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect(results.flat()).toEqual(migrations.map((m) => m.name));
      expect(await migrateToLatest(a)).toEqual([]);
    } finally {
      await a.knex.raw(`drop schema ${schema} cascade`);
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe.each(dialects.filter((d) => d.name === 'postgres'))('live changes across processes on $name', (dialect) => {
  /** Wait (bounded, so a hang fails the test) until `done()` holds. */
  async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
    for (let waited = 0; !done(); waited += 10) {
      if (waited > limitMs) throw new Error(`gave up waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('reach a second Alur process through LISTEN/NOTIFY, also after its listening connection is cut', async () => {
    const db = await dialect.open();
    const h = await openHarness(db);
    const { openAlur } = await import('../../src/app/alur.js');
    const { recordingRunner } = await import('../support/alur-harness.js');
    const { relayConnectionName } = await import('../../src/adapters/store/pg-change-relay.js');
    const otherDb = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema: await currentSchema(db) });
    const other = await openAlur({ database: otherDb, clock: h.clock, adapters: recordingRunner(), migrate: false, relayCheckIntervalMs: 200 });
    try {
      const seen: Array<{ caseId: string; origin?: string }> = [];
      other.changes.subscribe((change) => seen.push(change));
      const { case: c } = await h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
      await until(() => seen.some((s) => s.caseId === c.id), 'the first change');
      expect(seen).toEqual([expect.objectContaining({ caseId: c.id, kind: 'case.updated', eventType: 'case.started', origin: expect.any(String) })]);

      // Changes published in one turn of the event loop (a batch of deadlines) go out in one statement: all arrive, in order.
      const burst = Array.from({ length: 5 }, (_, i) => ({ kind: 'case.updated' as const, caseId: `burst-${i}`, organizationId: TEST_ORGANIZATION, sopId: 's', sopRoles: [], seq: i, eventType: 'x', status: 'active' as const, activeSteps: [], at: new Date().toISOString() }));
      for (const change of burst) h.alur.changes.publish(change);
      await until(() => seen.filter((s) => s.caseId.startsWith('burst-')).length === 5, 'the burst');
      expect(seen.filter((s) => s.caseId.startsWith('burst-')).map((s) => s.caseId)).toEqual(burst.map((b) => b.caseId));

      // A database blip: every relay connection of this schema is cut (as a restart or a dropped network would).
      const cut = await db.knex.raw('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ?', [relayConnectionName(otherDb)]);
      expect(cut.rows.length).toBeGreaterThan(0);
      // A change made while the connection is down is lost to the other process (not to the database);
      // keep making changes until one arrives through the re-established connection.
      let arrived = false;
      for (let attempt = 0; !arrived; attempt += 1) {
        if (attempt > 40) throw new Error('no change arrived after the reconnection');
        const { case: next } = await h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
        await until(() => seen.some((s) => s.caseId === next.id), 'a change', 500).then(() => { arrived = true; }, () => undefined);
      }
    } finally {
      await other.close();
      await h.alur.close();
    }
  });
});
