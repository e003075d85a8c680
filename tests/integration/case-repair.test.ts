import { describe, expect, it } from 'vitest';
import { auditCase } from '../../src/app/audit.js';
import { repairCase, repairPoisonedCases } from '../../src/app/case-repair.js';
import { person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const kadis = person('uray', 'kadis');
const opd = person('opd', 'opd');
const LETTER = { type: 'complete' as const, step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['x'] } };

describe.each(dialects)('repairing cases an older Alur stored on $name', (dialect) => {
  const t = useHarness(dialect);

  it('rebuilds a case stored in an XState error state from its log, after which it takes commands and audits clean', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    await t.h.alur.cases.execute({ caseId: c.id, actor: kadis, command: LETTER });
    // What Alur 0.1 persisted after a late adapter outcome: XState's error snapshot, without the visit counts of today's context.
    const row = await t.db.knex('cases').where({ id: c.id }).first();
    const { visits: _v, adapterRuns: _r, started: _s, overdue: _o, ...oldContext } = row.snapshot.context;
    await t.db.knex('cases').where({ id: c.id }).update({ snapshot: JSON.stringify({ status: 'error', error: {}, value: row.snapshot.value, context: oldContext, children: {}, historyValue: {} }) });
    expect((await auditCase(t.db.knex, t.h.alur.versions, c.id)).replayMismatch).toBe('replaying the events does not give the stored case state');

    const repaired = await repairPoisonedCases(t.h.alur);
    expect(repaired).toEqual([{ caseId: c.id, changed: true }]);
    expect(await repairCase(t.h.alur, c.id)).toEqual({ caseId: c.id, changed: false });
    expect(await auditCase(t.db.knex, t.h.alur.versions, c.id)).toMatchObject({ ok: true });
    const next = await t.h.alur.cases.execute({ caseId: c.id, actor: opd, command: { type: 'complete', step: 'beri-akses-tayang', checklist: ['IP', 'Internet', 'Komputer', 'DII'], output: { kamera: 'a', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } } });
    expect(next.case.activeSteps).toEqual(['disposisi-ke-bidang']);
  });
});
