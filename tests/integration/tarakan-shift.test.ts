import { describe, expect, it } from 'vitest';
import { listEvents } from '../../src/adapters/store/case-events-table.js';
import { listNotifications } from '../../src/adapters/store/notifications-table.js';
import { caseTimeline } from '../../src/adapters/store/step-executions-table.js';
import { RefusedError, type CaseActor, type CaseCommand } from '../../src/engine/index.js';
import { MINUTE, person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const ani = person('ani', 'petugas');
const budi = person('budi', 'petugas');
const citra = person('citra', 'petugas');
const manajer = person('manajer', 'management');
const request = {
  pemohon: 'Budi', instansi: 'Polres Tarakan', keperluan: 'Penyelidikan', kamera: 'Simpang Grand',
  dari: '2026-03-02T08:00:00+08:00', sampai: '2026-03-02T08:30:00+08:00',
};

describe.each(dialects)('a Tarakan shift on $name', (dialect) => {
  const t = useHarness(dialect);

  it('runs check-in, handover, two patrol rounds with one anomaly, a playback approved by management, and the end handover', async () => {
    const t0 = t.h.clock.now().getTime();
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'tarakan-pemantau-cctv', actor: ani, title: 'Shift pagi' });
    const go = async (actor: CaseActor, command: CaseCommand, afterMin = 0) => {
      t.h.clock.advance(afterMin * MINUTE);
      return t.h.alur.cases.execute({ caseId: c.id, actor, command });
    };
    await go(ani, { type: 'acknowledge', rule: 'larangan-informasi-rekaman' });
    await go(ani, { type: 'acknowledge', rule: 'larangan-ubah-hapus-data' });
    await go(ani, { type: 'start-step', step: 'hadir-serah-terima' });
    await go(ani, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] }, 8);
    await go(budi, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } }, 1);
    await go(ani, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' }, 3);
    await go(ani, { type: 'start-step', step: 'cek-kondisi-cctv' });
    await t.h.alur.runBackgroundWork();
    await go(ani, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } }, 6);
    // Round 1: anomaly → report → follow-up report.
    await go(ani, { type: 'complete', step: 'patroli-cctv', checklist: ['Patroli CCTV'], output: { ringkasan: 'Kerumunan di Simpang Grand' } }, 10);
    await go(ani, { type: 'choose', step: 'ada-temuan', branch: 'ya' }, 1);
    await t.h.alur.runBackgroundWork();
    await go(ani, { type: 'complete', step: 'lapor-pimpinan', checklist: ['Dokumentasi'], output: { lokasi: 'Simpang Grand', uraian: 'Kerumunan' } }, 4);
    // Playback requested meanwhile, approved, played.
    await go(ani, { type: 'start-procedure', procedure: 'pemutaran-ulang-rekaman' }, 2);
    await go(ani, { type: 'complete', step: 'permintaan-pemutaran', output: request }, 3);
    await expect(go(ani, { type: 'approve', step: 'izin-manajemen', output: { nomorSurat: 'SP/1' } })).rejects.toThrow(RefusedError);
    await go(manajer, { type: 'approve', step: 'izin-manajemen', output: { nomorSurat: 'SP/012/CCTV/2026' } }, 20);
    await go(ani, { type: 'start-step', step: 'putar-rekaman' });
    await t.h.alur.runBackgroundWork();
    await go(ani, { type: 'complete', step: 'putar-rekaman', output: { disaksikanOleh: 'Budi' } }, 5);
    await go(ani, { type: 'complete', step: 'berita-acara-tindak-lanjut', checklist: ['Atk', 'Form buku laporan'], output: { nomor: 'BA/1', tindakLanjut: 'Ke Dishub' } }, 30);
    await go(ani, { type: 'choose', step: 'shift-berakhir', branch: 'repeat' });
    // Round 2: quiet.
    await go(ani, { type: 'complete', step: 'patroli-cctv', checklist: ['Patroli CCTV'], output: { ringkasan: 'Kondusif' } }, 9);
    await go(ani, { type: 'choose', step: 'ada-temuan', branch: 'tidak' });
    await go(ani, { type: 'choose', step: 'shift-berakhir', branch: 'exit' }, 400);
    await go(ani, { type: 'complete', step: 'serah-terima-akhir', party: 'penyerah', output: { catatan: 'Inventaris lengkap' } }, 5);
    const last = await go(citra, { type: 'complete', step: 'serah-terima-akhir', party: 'penerima' }, 2);
    expect(last.case.status).toBe('completed');
    await t.h.alur.runBackgroundWork();

    const minutes = (d: Date | null) => (d === null ? null : (d.getTime() - t0) / MINUTE);
    const timeline = await caseTimeline(t.db.knex, c.id);
    expect(timeline.map((e) => [e.stepId, e.visit, minutes(e.availableAt), minutes(e.startedAt), minutes(e.completedAt), e.outcome, e.actors])).toEqual([
      ['hadir-serah-terima', 1, 0, 0, 8, 'completed', ['ani']],
      ['serah-terima-shift', 1, 8, 8, 12, 'completed', ['budi', 'ani']],
      ['cek-kondisi-cctv', 1, 12, 12, 18, 'completed', ['ani']],
      ['patroli-cctv', 1, 18, 18, 28, 'completed', ['ani']],
      ['ada-temuan', 1, 28, 28, 29, 'branch:ya', ['ani']],
      ['lapor-pimpinan', 1, 29, 29, 33, 'completed', ['ani']],
      ['berita-acara-tindak-lanjut', 1, 33, 33, 93, 'completed', ['ani']],
      ['permintaan-pemutaran', 1, 35, 35, 38, 'completed', ['ani']],
      ['izin-manajemen', 1, 38, 38, 58, 'approved', ['manajer']],
      ['putar-rekaman', 1, 58, 58, 63, 'completed', ['ani']],
      ['shift-berakhir', 1, 93, 93, 93, 'branch:repeat', ['ani']],
      ['patroli-cctv', 2, 93, 93, 102, 'completed', ['ani']],
      ['ada-temuan', 2, 102, 102, 102, 'branch:tidak', ['ani']],
      ['shift-berakhir', 2, 102, 102, 502, 'branch:exit', ['ani']],
      ['serah-terima-akhir', 1, 502, 502, 509, 'completed', ['ani', 'citra']],
    ]);
    expect(timeline.filter((e) => !e.startImplicit).map((e) => e.stepId)).toEqual(['hadir-serah-terima', 'cek-kondisi-cctv', 'putar-rekaman']);
    expect(t.h.runner.calls.map((call) => `${call.name}@${call.step}`)).toEqual(['cameras.checkAll@cek-kondisi-cctv', 'cameras.snapshot@lapor-pimpinan', 'recordings.playback@putar-rekaman']);
    const types = (await listEvents(t.db.knex, c.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'adapter.succeeded')).toHaveLength(3);
    const notifications = await listNotifications(t.db.knex, { caseId: c.id });
    const toldHead = notifications.find((n) => n.kind === 'step-done')!;
    expect(toldHead).toMatchObject({ stepId: 'lapor-pimpinan', roles: ['kepala-upt'] });
    // The Kepala UPT reads where the anomaly is without opening the case.
    expect(toldHead.message).toContain('lokasi: Simpang Grand');
    // Management is told an approval waits for it.
    expect(notifications.filter((n) => n.kind === 'step-available' && n.stepId === 'izin-manajemen').map((n) => n.roles)).toEqual([['management']]);
  });

  it('records a refused playback and plays nothing', async () => {
    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'tarakan-pemantau-cctv', actor: ani });
    await t.h.alur.cases.execute({ caseId: c.id, actor: ani, command: { type: 'start-procedure', procedure: 'pemutaran-ulang-rekaman' } });
    await t.h.alur.cases.execute({ caseId: c.id, actor: ani, command: { type: 'complete', step: 'permintaan-pemutaran', output: request } });
    await expect(t.h.alur.cases.execute({ caseId: c.id, actor: manajer, command: { type: 'refuse', step: 'izin-manajemen', reason: '' } })).rejects.toThrow('a reason is required');
    const refused = await t.h.alur.cases.execute({ caseId: c.id, actor: manajer, command: { type: 'refuse', step: 'izin-manajemen', reason: 'Tanpa surat kepolisian' } });
    expect(refused.case.activeSteps).toEqual(['hadir-serah-terima']);
    await t.h.alur.runBackgroundWork();
    expect(t.h.runner.calls).toEqual([]);
    const timeline = await caseTimeline(t.db.knex, c.id);
    expect(timeline.find((e) => e.stepId === 'izin-manajemen')).toMatchObject({ outcome: 'refused', actors: ['manajer'] });
  });

  it('records a failing camera check as an adapter failure the operator can retry', async () => {
    t.h.runner.calls.length = 0;
    const failing = { ...t.h.runner, run: async () => { throw new Error('ffprobe: connection refused'); } };
    const { openAlur } = await import('../../src/app/alur.js');
    const alur = await openAlur({ database: t.db, clock: t.h.clock, adapters: failing, migrate: false });
    const { case: c } = await alur.cases.startCase({ sopId: 'tarakan-pemantau-cctv', actor: ani });
    for (const rule of ['larangan-informasi-rekaman', 'larangan-ubah-hapus-data']) await alur.cases.execute({ caseId: c.id, actor: ani, command: { type: 'acknowledge', rule } });
    await alur.cases.execute({ caseId: c.id, actor: ani, command: { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] } });
    await alur.cases.execute({ caseId: c.id, actor: budi, command: { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'x' } } });
    await alur.cases.execute({ caseId: c.id, actor: ani, command: { type: 'complete', step: 'serah-terima-shift', party: 'penerima' } });
    await alur.runBackgroundWork();
    let events = await listEvents(t.db.knex, c.id);
    expect(events.at(-1)).toMatchObject({ type: 'adapter.failed', payload: { step: 'cek-kondisi-cctv', error: 'ffprobe: connection refused' } });
    await alur.cases.execute({ caseId: c.id, actor: ani, command: { type: 'retry', step: 'cek-kondisi-cctv' } });
    await alur.runBackgroundWork();
    events = await listEvents(t.db.knex, c.id);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['adapter.retried', 'adapter.failed']);
  });
});
