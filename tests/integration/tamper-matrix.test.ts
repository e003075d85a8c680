/**
 * The tamper matrix: on a database with finished and running cases of both seed SOPs, each single
 * edit a database superuser can make (with triggers and foreign keys off) × each chain kind (plain
 * SHA-256, keyed HMAC) must make the audit fail and name the cases it touched (or the missing
 * ones), and leave the other cases verified. Each edit runs in a transaction that is rolled back,
 * so one seeded database serves the whole matrix; the audit runs inside that transaction.
 *
 * Two edits rewrite a case's log *and its heads* consistently. Without the key nothing inside the
 * database can tell that apart from the truth, so on a plain chain they are caught only by heads
 * exported beforehand (`alur audit export-heads`); with the key they are caught in the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { ManualClock } from '../../src/adapters/clock.js';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import { latestHeads } from '../../src/adapters/store/case-heads-table.js';
import { upsertOrganization } from '../../src/adapters/store/accounts-table.js';
import type { Database } from '../../src/adapters/store/database.js';
import { openAlur, type Alur } from '../../src/app/alur.js';
import { auditDatabase, type AuditReport } from '../../src/app/audit.js';
import { createHeadsFile, type HeadsFile } from '../../src/app/audit-heads-file.js';
import { publishSop } from '../../src/app/publish-sop.js';
import { auditKeyFrom, GENESIS_HASH, hashEvent, validateSop, type AuditKey, type CaseActor, type CaseCommand, type ChainedEvent } from '../../src/engine/index.js';
import { MINUTE, person, recordingRunner, TEST_ORGANIZATION } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';
import { SEED_FILES, seedText } from '../support/seeds.js';

const kadis = person('uray', 'kadis');
const opd = person('opd', 'opd');
const kabid = person('kabid', 'kabid-tkpbet');
const kasi = person('kasi', 'kasi-sptik');
const ani = person('ani', 'petugas');
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const PONTIANAK = 'pontianak-relay-tayangan';
const HOUR = 60 * MINUTE;

/** The seeded cases: A finished (pontianak), B running with a note last (pontianak), C running and D just started (tarakan). */
interface Seeded { A: string; B: string; C: string; D: string }
type CaseName = keyof Seeded;
const ALL: CaseName[] = ['A', 'B', 'C', 'D'];

interface Edit {
  name: string;
  /** The cases the audit must report. */
  touches: CaseName[];
  /** Where it is caught, per chain kind: in the database, or only against heads exported before. */
  caughtBy?: { plain?: 'database' | 'exported heads'; keyed?: 'database' | 'exported heads' };
  /** What the audit must say about each touched case (per chain kind when they differ): the check that caught it. */
  because: RegExp | { plain: RegExp; keyed: RegExp };
  apply(trx: Knex.Transaction, c: Seeded): Promise<void>;
}

async function seed(alur: Alur, clock: ManualClock): Promise<Seeded> {
  const run = (caseId: string) => async (actor: CaseActor, command: CaseCommand, afterMin = 0) => {
    clock.advance(afterMin * MINUTE);
    return alur.cases.execute({ caseId, actor, command });
  };
  const start = async (sopId: string, actor: CaseActor) => (await alur.cases.startCase({ sopId, actor })).case.id;

  const A = await start(PONTIANAK, kadis);
  const a = run(A);
  await a(kadis, { type: 'start-step', step: 'surat-permintaan-relay' });
  await a(kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2020-04-08', lokasi: ['A'] } }, 10);
  await a(opd, { type: 'add-note', text: 'Akses disiapkan' }, 2);
  await a(opd, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'A', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } }, 12);
  await a(kadis, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT }, 3);
  await a(kabid, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT }, 4);
  await a(kasi, { type: 'start-step', step: 'setting-relay' }, 1);
  await a(kasi, { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'a', playUrl: 'http://127.0.0.1:8000/live/a.flv', status: 'gagal' } }, 50);
  // (Only the relay adapter's own report may say "berjalan"; an operator may record a failed relay.)
  const last = await a(kasi, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Relay gagal' } }, 5);
  expect(last.case.status).toBe('completed');

  const B = await start(PONTIANAK, kadis);
  const b = run(B);
  await b(kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/2', tanggal: '2020-04-09', lokasi: ['B'] } }, 7);
  await b(opd, { type: 'add-note', text: 'Menunggu kamera' }, 3);

  const C = await start('tarakan-pemantau-cctv', ani);
  const c = run(C);
  await c(ani, { type: 'acknowledge', rule: 'larangan-informasi-rekaman' });
  await c(ani, { type: 'acknowledge', rule: 'larangan-ubah-hapus-data' });
  await c(ani, { type: 'start-step', step: 'hadir-serah-terima' }, 1);
  await c(ani, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] }, 8);

  const D = await start('tarakan-pemantau-cctv', ani);
  await alur.runBackgroundWork();
  return { A, B, C, D };
}

/** Rewrite a case's chain from `fromSeq` on with plain SHA-256, as someone without the key would, changing events on the way. */
async function rechainPlain(trx: Knex.Transaction, caseId: string, change: (e: ChainedEvent) => ChainedEvent = (e) => e): Promise<ChainedEvent[]> {
  const events = await listEvents(trx, caseId);
  let prevHash = GENESIS_HASH;
  const rewritten: ChainedEvent[] = [];
  for (const original of events) {
    const changed = { ...change(original), keyId: null, prevHash };
    const event = { ...changed, hash: hashEvent(changed) };
    await trx('case_events').where({ case_id: caseId, seq: original.seq }).update({
      payload: JSON.stringify(event.payload), actor_id: event.actorId, actor_roles: JSON.stringify(event.actorRoles), at: event.at, key_id: null, prev_hash: event.prevHash, hash: event.hash,
    });
    rewritten.push(event);
    prevHash = event.hash;
  }
  return rewritten;
}

/** Replace a case's heads with ones matching its (rewritten) log: what a superuser who read the code would do. */
async function forgeHeads(trx: Knex.Transaction, caseId: string, events: readonly ChainedEvent[]): Promise<void> {
  await trx('case_heads').where({ case_id: caseId }).delete();
  await trx('case_heads').insert(events.map((e) => ({ case_id: caseId, seq: e.seq, hash: e.hash, key_id: null, signature: null, organization_id: TEST_ORGANIZATION, recorded_at: e.at })));
}

/** The pontianak seed with its first 15-minute waktu made 45 minutes (and the total to match): an SOP "relaxed" after the fact. */
function relaxedPontianak(): { source: string; hash: string; definition: string } {
  const seed = seedText('pontianak');
  const source = seed.replace('time: 15 menit', 'time: 45 menit').replace('totalTime: 135 menit', 'totalTime: 165 menit');
  expect(source.length).toBe(seed.length);
  const result = validateSop(source, SEED_FILES.pontianak);
  if (!result.definition) throw new Error('the relaxed seed must still validate');
  return { source, hash: createHash('sha256').update(source).digest('hex'), definition: JSON.stringify(result.definition) };
}

const EDITS: Edit[] = [
  {
    name: 'edit an event payload', touches: ['A'], because: /event 3 was altered after it was written/,
    apply: (trx, c) => trx.raw(`update case_events set payload = jsonb_set(payload, '{output,nomorSurat}', '"999/palsu"') where case_id = ? and seq = 3`, [c.A]),
  },
  { name: 'delete an event', touches: ['A'], because: /event 4 is missing/, apply: (trx, c) => trx('case_events').where({ case_id: c.A, seq: 4 }).delete() },
  {
    // A note changes no state, so removing the last one and winding the counter back leaves a consistent case: only its head knows.
    name: 'delete the last event and wind the case back', touches: ['B'], because: /the case's head records event 3, but its log ends at event 2/,
    async apply(trx, c) {
      const [{ seq }] = await trx('cases').select('seq').where({ id: c.B });
      const previous = await trx('case_events').where({ case_id: c.B, seq: seq - 1 }).first();
      await trx('case_events').where({ case_id: c.B, seq }).delete();
      await trx('cases').where({ id: c.B }).update({ seq: seq - 1, updated_at: previous.at });
    },
  },
  {
    name: 'reorder two events', touches: ['A'], because: /event 3 does not follow event 2/,
    async apply(trx, c) {
      for (const [from, to] of [[3, -1], [4, 3], [-1, 4]]) await trx('case_events').where({ case_id: c.A, seq: from }).update({ seq: to });
    },
  },
  {
    name: 'insert a forged event (and count it)', touches: ['C'], because: { plain: /its head records event 5: events were added behind Alur's back/, keyed: /event 6 is chained with plain SHA-256 although an audit key is configured/ },
    async apply(trx, c) {
      const last = (await listEvents(trx, c.C)).at(-1)!;
      const forged = { caseId: c.C, seq: last.seq + 1, type: 'note.added', payload: { text: 'Semua aman' }, actorId: 'budi', actorRoles: ['petugas'], at: new Date(last.at.getTime() + MINUTE), idempotencyKey: null, keyId: null, prevHash: last.hash };
      await trx('case_events').insert({
        case_id: c.C, seq: forged.seq, type: forged.type, payload: JSON.stringify(forged.payload), actor_id: forged.actorId, actor_roles: JSON.stringify(forged.actorRoles),
        at: forged.at, idempotency_key: null, key_id: null, prev_hash: forged.prevHash, hash: hashEvent(forged),
      });
      await trx('cases').where({ id: c.C }).update({ seq: forged.seq, updated_at: forged.at });
    },
  },
  {
    name: 're-chain after an edit, without the key', touches: ['A'], because: { plain: /event 10 is not the one the case's head recorded/, keyed: /event 1 is chained with plain SHA-256 although an audit key is configured/ },
    async apply(trx, c) {
      await rechainPlain(trx, c.A, (e) => (e.type === 'note.added' ? { ...e, payload: { text: 'Akses ditolak' } } : e));
    },
  },
  {
    // The attack of issue 13: a note forged "by" someone else, every time an hour earlier, the log and heads re-chained without the key.
    name: 're-chain a case and its heads without the key (forged note, times an hour earlier)', touches: ['A'], because: { plain: /the log no longer holds event 10 as it was when the heads were exported/, keyed: /event 1 is chained with plain SHA-256 although an audit key is configured/ },
    caughtBy: { plain: 'exported heads', keyed: 'database' },
    async apply(trx, c) {
      const shift = (column: string) => trx.raw(`${column} - interval '1 hour'`);
      await trx('step_executions').where({ case_id: c.A }).update({ available_at: shift('available_at'), started_at: shift('started_at'), completed_at: shift('completed_at'), due_at: shift('due_at') });
      await trx('cases').where({ id: c.A }).update({ started_at: shift('started_at'), updated_at: shift('updated_at'), ended_at: shift('ended_at') });
      const events = await rechainPlain(trx, c.A, (e) => ({
        ...e, at: new Date(e.at.getTime() - HOUR), ...(e.type === 'note.added' ? { actorId: 'kabid', actorRoles: ['kabid-tkpbet'], payload: { text: 'Disetujui lisan' } } : {}),
      }));
      await forgeHeads(trx, c.A, events);
    },
  },
  { name: 'edit the case row: open steps', touches: ['C'], because: /the case's open steps \(patroli-cctv\) are not what its events leave open/, apply: (trx, c) => trx('cases').where({ id: c.C }).update({ active_steps: JSON.stringify(['patroli-cctv']) }) },
  { name: 'edit the case row: start time', touches: ['C'], because: /the case's start time .* is not what its case.started event recorded/, apply: (trx, c) => trx('cases').where({ id: c.C }).update({ started_at: trx.raw(`started_at - interval '1 hour'`) }) },
  { name: 'edit the case row: end time', touches: ['A'], because: /the case's end time .* is not what its events say/, apply: (trx, c) => trx('cases').where({ id: c.A }).update({ ended_at: trx.raw(`ended_at - interval '30 minutes'`) }) },
  {
    name: 'edit a step output', touches: ['A'], because: /step "surat-permintaan-relay" \(visit 1\) says output/,
    apply: (trx, c) => trx('step_executions').where({ case_id: c.A, step_id: 'surat-permintaan-relay' }).update({ output: JSON.stringify({ nomorSurat: '999/palsu', tanggal: '2020-04-08', lokasi: ['A'] }) }),
  },
  { name: 'edit a step budget', touches: ['A'], because: /step "beri-akses-tayang" \(visit 1\) says budgetMs 3600000, but the events say 900000/, apply: (trx, c) => trx('step_executions').where({ case_id: c.A, step_id: 'beri-akses-tayang' }).update({ budget_ms: trx.raw('budget_ms * 4') }) },
  { name: 'edit who started a step', touches: ['C'], because: /step "hadir-serah-terima" \(visit 1\) says startedBy "budi", but the events say "ani"/, apply: (trx, c) => trx('step_executions').where({ case_id: c.C, step_id: 'hadir-serah-terima' }).update({ started_by: 'budi' }) },
  { name: 'edit the roles of an open step', touches: ['D'], because: /says roles \["petugas","management"\], but the events say \["petugas"\]/, apply: (trx, c) => trx('step_executions').where({ case_id: c.D }).update({ roles: JSON.stringify(['petugas', 'management']) }) },
  {
    name: 'edit a published SOP\'s source', touches: ['A', 'B'], because: /the source of SOP "pontianak-relay-tayangan" revision 1 no longer has the hash recorded when it was published/,
    apply: (trx) => trx('sop_versions').where({ sop_id: PONTIANAK }).update({ source: relaxedPontianak().source }),
  },
  {
    name: 'edit a published SOP\'s source, hash and definition together', touches: ['A', 'B'], because: /the case started on SOP "pontianak-relay-tayangan" revision 1 with source hash \w+, but that revision's source now hashes to \w+/,
    async apply(trx) {
      const relaxed = relaxedPontianak();
      await trx('sop_versions').where({ sop_id: PONTIANAK }).update({ source: relaxed.source, content_hash: relaxed.hash, definition: relaxed.definition });
    },
  },
  {
    name: 'edit a published SOP\'s budgets in its stored definition', touches: ['A', 'B'], because: /the stored definition of SOP "pontianak-relay-tayangan" revision 1 .* is not what its source compiles to/,
    apply: (trx) => trx('sop_versions').where({ sop_id: PONTIANAK }).update({ definition: relaxedPontianak().definition }),
  },
  {
    name: 'delete a whole case', touches: ['A'], because: /the case is missing from the database, but its head records 10 event\(s\)/,
    async apply(trx, c) {
      for (const table of ['jobs', 'notifications', 'step_executions', 'case_events']) await trx(table).where({ case_id: c.A }).delete();
      await trx('cases').where({ id: c.A }).delete();
    },
  },
  { name: 'truncate the case tables', touches: ALL, because: /the case is missing from the database, but its head records \d+ event\(s\)/, apply: (trx) => trx.raw('truncate cases, case_events, step_executions, jobs, notifications cascade') },
  {
    name: 'truncate the case tables and their heads', touches: ALL, because: /the case is missing from the database \(and from its heads\), but the heads exported at/, caughtBy: { plain: 'exported heads', keyed: 'exported heads' },
    apply: (trx) => trx.raw('truncate cases, case_events, case_heads, step_executions, jobs, notifications cascade'),
  },
  {
    name: 'disable the append-only trigger, then edit', touches: ['D'], because: /event 1 was altered after it was written/,
    async apply(trx, c) {
      await trx.raw('set local session_replication_role = origin');
      await trx.raw('alter table case_events disable trigger case_events_append_only');
      await trx('case_events').where({ case_id: c.D, seq: 1 }).update({ actor_id: 'budi' });
    },
  },
];

describe.each(dialects)('the tamper matrix on $name', (dialect) => {
  describe.each(['plain', 'keyed'] as const)('%s chain', (kind) => {
    let db: Database;
    let alur: Alur;
    let seeded: Seeded;
    let exported: HeadsFile;
    const key: AuditKey | undefined = kind === 'keyed' ? auditKeyFrom('tamper-matrix-'.padEnd(40, 'k')) : undefined;
    const keys = key ? [key] : [];

    beforeAll(async () => {
      db = await dialect.open();
      const clock = new ManualClock('2026-03-02T00:00:00.000Z');
      alur = await openAlur({ database: db, clock, adapters: recordingRunner(), migrate: false, ...(key ? { auditKey: key } : {}) });
      await upsertOrganization(db.knex, { id: TEST_ORGANIZATION, name: 'Kota Uji', timeZone: 'Asia/Makassar' }, clock.now());
      for (const name of ['pontianak', 'tarakan'] as const) {
        await publishSop(db.knex, { source: seedText(name), file: SEED_FILES[name], by: 'test', at: clock.now(), organizationId: TEST_ORGANIZATION });
      }
      seeded = await seed(alur, clock);
      exported = createHeadsFile(await latestHeads(db.knex), clock.now(), key);
    }, 120_000);

    afterAll(async () => {
      await alur?.close(); // closes (and on PostgreSQL drops) the database too
    });

    /** Apply the edit as a superuser (triggers and foreign keys off), audit inside the transaction, roll back. */
    async function auditAfter(edit: Edit['apply'], options: { exported?: HeadsFile } = {}): Promise<AuditReport> {
      const trx = await db.knex.transaction();
      try {
        await trx.raw('set local session_replication_role = replica');
        await edit(trx, seeded);
        await trx.raw('set local session_replication_role = origin');
        return await auditDatabase(trx, { keys, ...options });
      } finally {
        await trx.rollback();
      }
    }

    it('verifies the untouched database, and against its exported heads', async () => {
      const clean = await auditDatabase(db.knex, { keys, exported });
      expect(clean.audits.filter((a) => !a.ok)).toEqual([]);
      expect(clean).toMatchObject({ status: 'ok', expected: 4, found: 4, broken: 0, missing: [], problems: [] });
    });

    if (kind === 'keyed') {
      it('says "cannot verify" without the key, and "tampered" for a tampered case', async () => {
        const withoutKey = await auditDatabase(db.knex);
        expect(withoutKey.status).toBe('unverifiable');
        expect(withoutKey.audits.map((a) => a.status)).toEqual(['unverifiable', 'unverifiable', 'unverifiable', 'unverifiable']);
        const trx = await db.knex.transaction();
        try {
          await trx.raw('set local session_replication_role = replica');
          await trx('step_executions').where({ case_id: seeded.C, step_id: 'hadir-serah-terima' }).update({ started_by: 'budi' });
          const report = await auditDatabase(trx);
          expect(report.status).toBe('tampered');
          expect(report.audits.filter((a) => a.status === 'tampered').map((a) => a.caseId)).toEqual([seeded.C]);
        } finally {
          await trx.rollback();
        }
      });

      it('refuses a heads file edited after it was signed', async () => {
        const edited = { ...exported, heads: exported.heads.filter((h) => h.caseId !== seeded.A) };
        const report = await auditDatabase(db.knex, { keys, exported: edited });
        expect(report.status).toBe('tampered');
        expect(report.problems).toEqual(['the heads file was altered after it was exported (its signature does not match)']);
      });
    }

    it('refuses UPDATE, DELETE and TRUNCATE on the heads', async () => {
      await expect(db.knex('case_heads').where({ case_id: seeded.A }).update({ seq: 1 })).rejects.toThrow(/case_heads is append-only: UPDATE is not allowed/);
      await expect(db.knex('case_heads').where({ case_id: seeded.A }).delete()).rejects.toThrow(/case_heads is append-only: DELETE is not allowed/);
      await expect(db.knex.raw('truncate case_heads')).rejects.toThrow(/case_heads is append-only: TRUNCATE is not allowed/);
    });

    it.each(EDITS)('catches: $name', async (edit) => {
      const where = edit.caughtBy?.[kind] ?? 'database';
      const report = await auditAfter(edit.apply, where === 'exported heads' ? { exported } : {});
      const name = (id: string) => (Object.entries(seeded).find(([, v]) => v === id)?.[0] ?? id) as CaseName;
      const reported = report.audits.filter((a) => !a.ok).map((a) => name(a.caseId)).sort();
      expect(report.status, report.summary).toBe('tampered');
      expect(reported, JSON.stringify(report.audits.filter((a) => !a.ok), null, 1)).toEqual([...edit.touches].sort());
      expect(report.audits.filter((a) => a.ok).map((a) => a.status)).toEqual(Array(4 - edit.touches.length).fill('ok'));
      const because = edit.because instanceof RegExp ? edit.because : edit.because[kind];
      for (const audit of report.audits.filter((a) => !a.ok)) expect(audit.chainBreak?.reason ?? audit.replayMismatch).toMatch(because);
      if (edit.touches.length === ALL.length) expect(report.summary).toMatch(/^4 case\(s\) expected, 0 found/);
    });
  });
});
