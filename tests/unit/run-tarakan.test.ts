import { describe, expect, it } from 'vitest';
import { IDLE_STATE, type CaseActor, type CompleteEvent } from '../../src/engine/index.js';
import { person, recordingAdapter, startCase } from '../support/case-harness.js';
import { loadSeed } from '../support/seeds.js';

const sop = loadSeed('tarakan');
const ani = person('ani', 'petugas');        // this shift's officer
const budi = person('budi', 'petugas');      // previous shift
const citra = person('citra', 'petugas');    // next shift
const manajer = person('manajer', 'management');

const request = {
  pemohon: 'Budi Santoso', instansi: 'Polres Tarakan', keperluan: 'Penyelidikan', kamera: 'Simpang Grand',
  dari: '2021-09-06T08:00:00+08:00', sampai: '2021-09-06T08:30:00+08:00',
};

function task(step: string, actor: CaseActor, output: unknown, checklist: string[]): CompleteEvent {
  return { type: 'COMPLETE', actor, step, output, checklist };
}

type Run = ReturnType<typeof startCase>;

function acknowledgeRules(run: Run, actor: CaseActor = ani): void {
  expect(run.send({ type: 'ACKNOWLEDGE', actor, rule: 'larangan-informasi-rekaman' })).toBe(true);
  expect(run.send({ type: 'ACKNOWLEDGE', actor, rule: 'larangan-ubah-hapus-data' })).toBe(true);
}

/** From the start to the first patrol, the way a shift begins. */
function beginShift(run: Run): void {
  acknowledgeRules(run);
  expect(run.send(task('hadir-serah-terima', ani, undefined, ['Jadwal Shift']))).toBe(true);
  expect(run.send({ type: 'COMPLETE', actor: ani, step: 'serah-terima-shift', party: 'penerima' })).toBe(true);
  expect(run.send({ type: 'COMPLETE', actor: budi, step: 'serah-terima-shift', party: 'penyerah', output: { catatan: 'Normal' }, checklist: ['Laporan'] })).toBe(true);
  expect(run.send(task('cek-kondisi-cctv', ani, { semuaBaik: true }, ['List kelengkapan']))).toBe(true);
  expect(run.at()).toBe('patroli-cctv');
}

function patrol(run: Run, anomaly: boolean): void {
  expect(run.send(task('patroli-cctv', ani, { ringkasan: 'Area kondusif' }, ['Patroli CCTV']))).toBe(true);
  expect(run.send({ type: 'CHOOSE', actor: ani, step: 'ada-temuan', branch: anomaly ? 'ya' : 'tidak' })).toBe(true);
  if (anomaly) {
    expect(run.send(task('lapor-pimpinan', ani, { lokasi: 'Simpang Grand', uraian: 'Kendaraan mogok' }, ['Dokumentasi']))).toBe(true);
    expect(run.send(task('berita-acara-tindak-lanjut', ani, { nomor: 'BA/1', tindakLanjut: 'Diteruskan ke Dishub' }, ['Atk', 'Form buku laporan']))).toBe(true);
  }
  expect(run.at()).toBe('shift-berakhir');
}

function endShift(run: Run): void {
  expect(run.send({ type: 'CHOOSE', actor: ani, step: 'shift-berakhir', branch: 'exit' })).toBe(true);
  expect(run.send({ type: 'COMPLETE', actor: ani, step: 'serah-terima-akhir', party: 'penyerah', output: { catatan: 'Inventaris lengkap' } })).toBe(true);
  expect(run.send({ type: 'COMPLETE', actor: citra, step: 'serah-terima-akhir', party: 'penerima' })).toBe(true);
}

describe('Tarakan CCTV shift SOP through the case engine', () => {
  it('runs a quiet shift from check-in to "Pekerjaan Selesai"', () => {
    const run = startCase(sop);
    beginShift(run);
    patrol(run, false);
    endShift(run);
    expect(run.ended()).toBe('pekerjaan-selesai');
    expect(run.context().signatures['serah-terima-akhir']).toEqual({ penyerah: 'ani', penerima: 'citra' });
  });

  it('takes the "ya" branch through the report to the leadership and the follow-up report', () => {
    const run = startCase(sop);
    beginShift(run);
    patrol(run, true);
    expect(run.context().choices['ada-temuan']).toBe('ya');
    expect(run.context().outputs['berita-acara-tindak-lanjut']).toEqual({ nomor: 'BA/1', tindakLanjut: 'Diteruskan ke Dishub' });
  });

  it('repeats the patrol until the shift ends, counting rounds', () => {
    const run = startCase(sop);
    beginShift(run);
    for (let round = 0; round < 3; round += 1) {
      patrol(run, round === 1);
      expect(run.send({ type: 'CHOOSE', actor: ani, step: 'shift-berakhir', branch: 'repeat' })).toBe(true);
      expect(run.at()).toBe('patroli-cctv');
    }
    patrol(run, false);
    endShift(run);
    expect(run.context().rounds['shift-berakhir']).toBe(3);
    expect(run.ended()).toBe('pekerjaan-selesai');
  });

  it('will not let the equipment be checked before the larangan are acknowledged', () => {
    const run = startCase(sop);
    run.send(task('hadir-serah-terima', ani, undefined, ['Jadwal Shift']));
    run.send({ type: 'COMPLETE', actor: budi, step: 'serah-terima-shift', party: 'penyerah', output: { catatan: 'Normal' }, checklist: ['Laporan'] });
    run.send({ type: 'COMPLETE', actor: ani, step: 'serah-terima-shift', party: 'penerima' });
    const check = task('cek-kondisi-cctv', ani, { semuaBaik: true }, ['List kelengkapan']);
    expect(run.refusals(check).map((r) => [r.code, r.message.split(':')[0]])).toEqual([
      ['rule-not-acknowledged', 'larangan "larangan-informasi-rekaman" must be acknowledged (command "acknowledge") before step "cek-kondisi-cctv"'],
      ['rule-not-acknowledged', 'larangan "larangan-ubah-hapus-data" must be acknowledged (command "acknowledge") before step "cek-kondisi-cctv"'],
    ]);
    acknowledgeRules(run);
    expect(run.send({ type: 'ACKNOWLEDGE', actor: ani, rule: 'larangan-ubah-hapus-data' })).toBe(false);
    expect(run.send(check)).toBe(true);
  });

  it('needs two different people for a handover, each signing as one party', () => {
    const run = startCase(sop);
    acknowledgeRules(run);
    run.send(task('hadir-serah-terima', ani, undefined, ['Jadwal Shift']));
    const noParty: CompleteEvent = { type: 'COMPLETE', actor: budi, step: 'serah-terima-shift', output: { catatan: 'x' }, checklist: ['Laporan'] };
    expect(run.refusals(noParty).map((r) => r.code)).toEqual(['unknown-party']);
    // The outgoing officer writes the handover report: without it, no signature.
    expect(run.refusals({ type: 'COMPLETE', actor: budi, step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'] })).toEqual([
      { code: 'invalid-output', field: '/output', message: 'step "serah-terima-shift" needs its output "Laporan"', variant: 'missing', params: { step: 'serah-terima-shift', output: 'Laporan' } },
    ]);
    expect(run.send({ type: 'COMPLETE', actor: budi, step: 'serah-terima-shift', party: 'penyerah', output: { catatan: 'Normal' }, checklist: ['Laporan'] })).toBe(true);
    expect(run.at()).toBe('serah-terima-shift');
    const samePerson: CompleteEvent = { type: 'COMPLETE', actor: budi, step: 'serah-terima-shift', party: 'penerima' };
    expect(run.refusals(samePerson).map((r) => r.code)).toEqual(['same-person']);
    expect(run.refusals({ type: 'COMPLETE', actor: manajer, step: 'serah-terima-shift', party: 'penerima' }).map((r) => r.code)).toEqual(['wrong-role']);
    expect(run.send({ type: 'COMPLETE', actor: ani, step: 'serah-terima-shift', party: 'penerima' })).toBe(true);
    expect(run.at()).toBe('cek-kondisi-cctv');
    expect(run.context().outputs['serah-terima-shift']).toEqual({ catatan: 'Normal' });
  });

  it('refuses a step to someone without its role', () => {
    const run = startCase(sop);
    expect(run.send(task('hadir-serah-terima', manajer, undefined, ['Jadwal Shift']))).toBe(false);
    expect(run.at()).toBe('hadir-serah-terima');
  });

  it('plays a recording back for an outside party only after management approves with an order number', () => {
    const playback = recordingAdapter({ opened: true });
    const run = startCase(sop, { 'recordings.playback': playback.logic });
    beginShift(run);
    expect(run.send({ type: 'START_PROCEDURE', actor: manajer, procedure: 'pemutaran-ulang-rekaman' })).toBe(false);
    expect(run.send({ type: 'START_PROCEDURE', actor: ani, procedure: 'pemutaran-ulang-rekaman' })).toBe(true);
    expect(run.at('pemutaran-ulang-rekaman')).toBe('permintaan-pemutaran');
    expect(run.at()).toBe('patroli-cctv');
    expect(run.send({ type: 'COMPLETE', actor: ani, step: 'permintaan-pemutaran', output: request })).toBe(true);

    const selfApproval = { type: 'APPROVE', actor: ani, step: 'izin-manajemen', output: { nomorSurat: 'SP/1' } } as const;
    expect(run.refusals(selfApproval).map((r) => r.code)).toEqual(['wrong-role']);
    expect(run.refusals({ type: 'APPROVE', actor: manajer, step: 'izin-manajemen', output: {} }).map((r) => [r.code, r.field])).toEqual([['invalid-output', '/output/nomorSurat']]);
    expect(run.send({ type: 'APPROVE', actor: manajer, step: 'izin-manajemen', output: { nomorSurat: 'SP/012/CCTV/2021' } })).toBe(true);
    expect(run.at('pemutaran-ulang-rekaman')).toBe('putar-rekaman');
    expect(playback.inputs).toEqual([{ step: 'putar-rekaman', params: {} }]);
    expect(run.send({ type: 'COMPLETE', actor: ani, step: 'putar-rekaman', output: { disaksikanOleh: 'Budi Santoso' } })).toBe(true);
    expect(run.at('pemutaran-ulang-rekaman')).toBe(IDLE_STATE);
    expect(run.context().outputs['izin-manajemen']).toEqual({ nomorSurat: 'SP/012/CCTV/2021' });
    expect(run.context().openProcedures).toEqual([]);
    // The patrol was never interrupted.
    expect(run.at()).toBe('patroli-cctv');
  });

  it('ends a refused playback request without playing anything, keeping the reason', () => {
    const playback = recordingAdapter({ opened: true });
    const run = startCase(sop, { 'recordings.playback': playback.logic });
    beginShift(run);
    run.send({ type: 'START_PROCEDURE', actor: ani, procedure: 'pemutaran-ulang-rekaman' });
    run.send({ type: 'COMPLETE', actor: ani, step: 'permintaan-pemutaran', output: request });
    const noReason = { type: 'REFUSE', actor: manajer, step: 'izin-manajemen', reason: '' } as const;
    expect(run.refusals(noReason)).toEqual([{ code: 'reason-required', field: '/reason', message: 'a reason is required', variant: 'reason', params: {} }]);
    expect(run.send({ type: 'REFUSE', actor: manajer, step: 'izin-manajemen', reason: 'Tanpa surat dari kepolisian' })).toBe(true);
    expect(run.at('pemutaran-ulang-rekaman')).toBe(IDLE_STATE);
    expect(run.context().refusals['izin-manajemen']).toBe('Tanpa surat dari kepolisian');
    expect(playback.inputs).toEqual([]);
  });

  it('does not close the shift while a playback is half done', () => {
    const run = startCase(sop);
    beginShift(run);
    patrol(run, false);
    run.send({ type: 'START_PROCEDURE', actor: ani, procedure: 'pemutaran-ulang-rekaman' });
    run.send({ type: 'CHOOSE', actor: ani, step: 'shift-berakhir', branch: 'exit' });
    run.send({ type: 'COMPLETE', actor: ani, step: 'serah-terima-akhir', party: 'penyerah', output: { catatan: 'x' } });
    const last: CompleteEvent = { type: 'COMPLETE', actor: citra, step: 'serah-terima-akhir', party: 'penerima' };
    expect(run.refusals(last).map((r) => r.code)).toEqual(['procedure-open']);
    run.send({ type: 'COMPLETE', actor: ani, step: 'permintaan-pemutaran', output: request });
    run.send({ type: 'REFUSE', actor: manajer, step: 'izin-manajemen', reason: 'Tidak ada disposisi' });
    expect(run.send(last)).toBe(true);
    expect(run.ended()).toBe('pekerjaan-selesai');
  });
});
