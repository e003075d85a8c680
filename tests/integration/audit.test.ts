import { beforeEach, describe, expect, it } from 'vitest';
import { auditAllCases, auditCase } from '../../src/app/audit.js';
import { person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const kadis = person('uray', 'kadis');
const opd = person('opd', 'opd');

describe.each(dialects)('audit verification on $name', (dialect) => {
  const t = useHarness(dialect);
  let caseId: string;

  beforeEach(async () => {
    ({ case: { id: caseId } } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis }));
    const go = (actor: typeof kadis, command: Parameters<typeof t.h.alur.cases.execute>[0]['command']) => t.h.alur.cases.execute({ caseId, actor, command });
    await go(kadis, { type: 'start-step', step: 'surat-permintaan-relay' });
    await go(kadis, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2020-04-08', lokasi: ['A'] } });
    await go(opd, { type: 'add-note', text: 'Akses disiapkan' });
    await go(opd, { type: 'complete', step: 'beri-akses-tayang', checklist: ['IP', 'Internet', 'Komputer', 'DII'], output: { kamera: 'A', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } });
  });

  /** Change the log the way only a superuser can: with triggers off for this transaction. */
  async function tamper(sql: string | string[], bindings: unknown[] = []) {
    await t.db.knex.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      for (const statement of [sql].flat()) await trx.raw(statement, bindings as never[]);
    });
  }

  it('finds an intact case intact, replay included', async () => {
    expect(await auditCase(t.db.knex, t.h.alur.versions, caseId)).toEqual({ caseId, events: 5, ok: true, status: 'ok', lateEvents: [] });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the event log', async () => {
    await expect(t.db.knex('case_events').where({ case_id: caseId, seq: 2 }).update({ type: 'x' })).rejects.toThrow(/append-only: UPDATE is not allowed/);
    await expect(t.db.knex('case_events').where({ case_id: caseId, seq: 2 }).delete()).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(t.db.knex.raw('truncate case_events cascade')).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).ok).toBe(true);
  });

  it('reports an edited event at its sequence number', async () => {
    await tamper(`update case_events set payload = jsonb_set(payload, '{output,nomorSurat}', '"999/palsu"') where case_id = ? and seq = 3`, [caseId]);
    expect(await auditCase(t.db.knex, t.h.alur.versions, caseId)).toEqual({
      caseId, events: 5, ok: false, status: 'tampered', chainBreak: { seq: 3, reason: 'event 3 was altered after it was written (its content no longer matches its hash)' }, lateEvents: [],
    });
  });

  it('reports a deleted event at its sequence number', async () => {
    await tamper('delete from case_events where case_id = ? and seq = 4', [caseId]);
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).chainBreak).toEqual({ seq: 4, reason: 'event 4 is missing (the next one found is 5)' });
  });

  it('reports a deleted last event', async () => {
    await tamper('delete from case_events where case_id = ? and seq = 5', [caseId]);
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).chainBreak).toEqual({ seq: 5, reason: 'event 5 is missing: the case has 5 events but the log holds 4' });
  });

  it('reports reordered events at the first one out of place', async () => {
    await tamper([
      'update case_events set seq = -1 where case_id = ? and seq = 3',
      'update case_events set seq = 3 where case_id = ? and seq = 4',
      'update case_events set seq = 4 where case_id = ? and seq = -1',
    ], [caseId]);
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).chainBreak).toEqual({
      seq: 3, reason: 'event 3 does not follow event 2 (its previous-hash does not match): events were removed or reordered',
    });
  });

  it('notices a case state that the events do not lead to', async () => {
    await t.db.knex('cases').where({ id: caseId }).update({ snapshot: t.db.knex.raw(`jsonb_set(snapshot, '{context,outputs}', '{}')`) });
    expect(await auditCase(t.db.knex, t.h.alur.versions, caseId)).toEqual({ caseId, events: 5, ok: false, status: 'tampered', replayMismatch: 'replaying the events does not give the stored case state', lateEvents: [] });
  });

  it('reports an event appended behind Alur\'s back, even with a valid hash', async () => {
    const { hashEvent } = await import('../../src/engine/index.js');
    const last = await t.db.knex('case_events').where({ case_id: caseId }).orderBy('seq', 'desc').first();
    const forged = { caseId, seq: 6, type: 'note.added', payload: { text: 'palsu' }, actorId: 'uray', actorRoles: ['kadis'], at: new Date(last.at.getTime() + 1000), idempotencyKey: null, keyId: null, prevHash: last.hash };
    await t.db.knex('case_events').insert({
      case_id: caseId, seq: 6, type: forged.type, payload: JSON.stringify(forged.payload), actor_id: forged.actorId, actor_roles: JSON.stringify(forged.actorRoles),
      at: forged.at, idempotency_key: null, prev_hash: forged.prevHash, hash: hashEvent(forged),
    });
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).chainBreak).toEqual({ seq: 6, reason: 'event 6 is not counted by the case (it says 5 events): events were added behind Alur\'s back' });
  });

  it('reports a case row moved away from what its first event recorded', async () => {
    await t.db.knex('cases').where({ id: caseId }).update({ title: 'Judul lain' });
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).replayMismatch).toBe('the case\'s title ("Judul lain") is not what its case.started event recorded (null)');
  });

  it('reports a step timeline edited to look on time', async () => {
    const execution = await t.db.knex('step_executions').where({ case_id: caseId, step_id: 'surat-permintaan-relay' }).first();
    await t.db.knex('step_executions').where({ id: execution.id }).update({ completed_at: new Date(execution.completed_at.getTime() - 60_000) });
    expect((await auditCase(t.db.knex, t.h.alur.versions, caseId)).replayMismatch).toBe(
      `the timeline of step "surat-permintaan-relay" (visit 1) says completedAt ${execution.completed_at.getTime() - 60_000}, but the events say ${execution.completed_at.getTime()}`,
    );
  });

  it('audits every case at once', async () => {
    const { case: second } = await t.h.alur.cases.startCase({ sopId: 'tarakan-pemantau-cctv', actor: person('ani', 'petugas') });
    await tamper('update case_events set at = at + interval \'1 second\' where case_id = ? and seq = 1', [second.id]);
    const audits = await auditAllCases(t.db.knex, t.h.alur.versions);
    expect(audits.map((a) => [a.caseId, a.ok, a.chainBreak?.seq])).toEqual(expect.arrayContaining([[caseId, true, undefined], [second.id, false, 1]]));
  });
});

describe.each(dialects)('a keyed event chain on $name', (dialect) => {
  it('verifies only with the key, so a database writer without it cannot forge events', async () => {
    const { auditKeyFrom, hashEvent } = await import('../../src/engine/index.js');
    const { openAlur } = await import('../../src/app/alur.js');
    const { ManualClock } = await import('../../src/adapters/clock.js');
    const { recordingRunner } = await import('../support/alur-harness.js');
    const { publishSop } = await import('../../src/app/publish-sop.js');
    const { seedText } = await import('../support/seeds.js');
    const db = await dialect.open();
    const key = auditKeyFrom('k'.repeat(40));
    const clock = new ManualClock();
    const alur = await openAlur({ database: db, clock, adapters: recordingRunner(), migrate: false, auditKey: key });
    try {
      await publishSop(db.knex, { source: seedText('pontianak'), file: 'p.yaml', by: 't', at: clock.now() });
      const { case: c } = await alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
      await alur.cases.execute({ caseId: c.id, actor: kadis, command: { type: 'add-note', text: 'Asli' } });
      expect(await auditCase(db.knex, alur.versions, c.id, alur.auditKeys)).toEqual({ caseId: c.id, events: 2, ok: true, status: 'ok', lateEvents: [] });
      // Without the key nothing is proven either way: "cannot verify", not "tampered".
      expect(await auditCase(db.knex, alur.versions, c.id)).toEqual({
        caseId: c.id, events: 2, ok: false, status: 'unverifiable', lateEvents: [],
        cannotVerify: { seq: 1, reason: `event 1 is signed with audit key ${key.id}, which this process does not have; set ALUR_AUDIT_KEY to verify it` },
      });

      // A forger recomputes event 2 with plain SHA-256 (they cannot read the key).
      const [first] = await db.knex('case_events').where({ case_id: c.id, seq: 1 });
      const forged = { caseId: c.id, seq: 2, type: 'note.added', payload: { text: 'Palsu' }, actorId: 'uray', actorRoles: ['kadis'], at: clock.now(), idempotencyKey: null, keyId: key.id, prevHash: first.hash };
      await db.knex.transaction(async (trx) => {
        await trx.raw('set local session_replication_role = replica');
        await trx('case_events').where({ case_id: c.id, seq: 2 }).update({ payload: JSON.stringify(forged.payload), hash: hashEvent(forged) });
      });
      expect((await auditCase(db.knex, alur.versions, c.id, alur.auditKeys)).chainBreak).toEqual({ seq: 2, reason: 'event 2 was altered after it was written (its content no longer matches its hash)' });
    } finally {
      await alur.close();
    }
  });
});

describe.each(dialects)('adopting an audit key on $name', (dialect) => {
  it('vouches for cases chained before the key was set, once the database verifies, and reports a plain link after that', async () => {
    const { auditKeyFrom } = await import('../../src/engine/index.js');
    const { openAlur } = await import('../../src/app/alur.js');
    const { ManualClock } = await import('../../src/adapters/clock.js');
    const { recordingRunner } = await import('../support/alur-harness.js');
    const { publishSop } = await import('../../src/app/publish-sop.js');
    const { adoptAuditKey, verifyCase } = await import('../../src/app/audit.js');
    const { seedText } = await import('../support/seeds.js');
    const db = await dialect.open();
    const clock = new ManualClock();
    const key = auditKeyFrom('adopt-'.padEnd(40, 'k'));
    // The same database before (no key) and after ALUR_AUDIT_KEY was set.
    const before = await openAlur({ database: db, clock, adapters: recordingRunner(), migrate: false, relayChanges: false });
    const after = await openAlur({ database: db, clock, adapters: recordingRunner(), migrate: false, relayChanges: false, auditKey: key });
    try {
      await publishSop(db.knex, { source: seedText('pontianak'), file: 'p.yaml', by: 't', at: clock.now() });
      const { case: c } = await before.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
      await before.cases.execute({ caseId: c.id, actor: kadis, command: { type: 'add-note', text: 'Sebelum kunci' } });
      expect((await verifyCase(after, c.id)).chainBreak).toEqual({
        seq: 1, reason: 'event 1 is chained with plain SHA-256 although an audit key is configured: it was written or re-chained without the key',
      });

      await db.knex('cases').where({ id: c.id }).update({ title: 'Diubah' });
      await expect(adoptAuditKey(after)).rejects.toThrow(/^the database does not verify \(1 case\(s\) expected, 1 found, 1 checked: 1 broken, 0 cannot be verified\); adopting the key would vouch for it/);
      await db.knex('cases').where({ id: c.id }).update({ title: null });
      await expect(adoptAuditKey(before)).rejects.toThrow(/^ALUR_AUDIT_KEY is not set/);
      expect(await adoptAuditKey(after)).toBe(1);
      expect(await adoptAuditKey(after)).toBe(0);

      await after.cases.execute({ caseId: c.id, actor: kadis, command: { type: 'add-note', text: 'Dengan kunci' } });
      expect(await verifyCase(after, c.id)).toEqual({ caseId: c.id, events: 3, ok: true, status: 'ok', lateEvents: [] });
      // A writer without the key appends again: past the vouched-for prefix, a plain link is tampering.
      await before.cases.execute({ caseId: c.id, actor: kadis, command: { type: 'add-note', text: 'Tanpa kunci' } });
      expect((await verifyCase(after, c.id)).chainBreak).toEqual({
        seq: 4, reason: 'event 4 is chained with plain SHA-256 although an audit key is configured: it was written or re-chained without the key',
      });
    } finally {
      await after.close();
    }
  });
});
