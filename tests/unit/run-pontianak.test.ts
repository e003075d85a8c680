import { describe, expect, it } from 'vitest';
import type { CompleteEvent } from '../../src/engine/index.js';
import { person, recordingAdapter, startCase } from '../support/case-harness.js';
import { loadSeed } from '../support/seeds.js';

const sop = loadSeed('pontianak');
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const kadis = person('uray', 'kadis');
const opd = person('opd-dishub', 'opd');
const kabid = person('kabid', 'kabid-tkpbet');
const kasi = person('kasi', 'kasi-sptik');

const letter = { nomorSurat: '555/12/DKI/2020', tanggal: '2020-04-08', lokasi: ['Simpang Tanjungpura'] };
const access = { kamera: 'Tanjungpura', streamUrl: 'rtsp://127.0.0.1:8554/tanjungpura', credentialsRef: 'vault:opd/tanjungpura' };
const relay = { streamKey: 'tanjungpura', playUrl: 'http://127.0.0.1:8000/live/tanjungpura.flv', status: 'berjalan' };

function complete(step: string, actor: CompleteEvent['actor'], output?: unknown, checklist: string[] = KIT): CompleteEvent {
  return { type: 'COMPLETE', actor, step, checklist, ...(output === undefined ? {} : { output }) };
}

describe('Pontianak relay SOP through the case engine', () => {
  it('runs the disposition chain to the end with five people, feeding the relay adapter the access data', () => {
    const relayAdapter = recordingAdapter({ started: true });
    const run = startCase(sop, { 'media.startRelay': relayAdapter.logic });
    expect(run.send(complete('surat-permintaan-relay', kadis, letter, ['Surat (memuat lokasi diminta/ diusulkan)']))).toBe(true);
    expect(run.at()).toBe('beri-akses-tayang');
    expect(run.send(complete('beri-akses-tayang', opd, access))).toBe(true);
    expect(run.send(complete('disposisi-ke-bidang', kadis))).toBe(true);
    expect(run.send(complete('disposisi-ke-seksi', kabid))).toBe(true);
    expect(run.at()).toBe('setting-relay');
    expect(relayAdapter.inputs).toEqual([{ step: 'setting-relay', params: { name: 'Tanjungpura', source: 'rtsp://127.0.0.1:8554/tanjungpura' } }]);
    expect(run.send(complete('setting-relay', kasi, relay))).toBe(true);
    expect(run.send(complete('lapor-hasil-relay', kasi, { ringkasan: 'Relay berjalan' }))).toBe(true);
    expect(run.ended()).toBe('_done');
    expect(run.status()).toBe('completed');
    expect(run.context().outputs).toMatchObject({ 'surat-permintaan-relay': letter, 'beri-akses-tayang': access, 'setting-relay': relay });
  });

  it('refuses a person without the step\'s role, and says why', () => {
    const run = startCase(sop);
    const event = complete('surat-permintaan-relay', opd, letter, ['Surat (memuat lokasi diminta/ diusulkan)']);
    expect(run.refusals(event)).toEqual([
      {
        code: 'wrong-role', field: '/actor/roles', message: 'step "surat-permintaan-relay" is for role "kadis"; opd-dishub holds "opd"',
        variant: 'step', params: { step: 'surat-permintaan-relay', roles: '"kadis"', actor: 'opd-dishub', held: '"opd"' },
      },
    ]);
    expect(run.at()).toBe('surat-permintaan-relay');
  });

  it('refuses an output that does not match the step\'s schema, naming the field', () => {
    const run = startCase(sop);
    const event = complete('surat-permintaan-relay', kadis, { nomorSurat: '555/12', tanggal: 'kemarin' }, ['Surat (memuat lokasi diminta/ diusulkan)']);
    const refusals = run.refusals(event);
    expect(refusals.map((r) => r.field)).toEqual(['/output/lokasi', '/output/tanggal']);
    expect(refusals.every((r) => r.code === 'invalid-output')).toBe(true);
    expect(refusals.map((r) => [r.variant, r.params])).toEqual([
      ['required', { step: 'surat-permintaan-relay', field: 'lokasi' }],
      ['format', { step: 'surat-permintaan-relay', field: 'tanggal', format: 'date' }],
    ]);
  });

  it('refuses completion until every kelengkapan item is confirmed', () => {
    const run = startCase(sop);
    run.send(complete('surat-permintaan-relay', kadis, letter, ['Surat (memuat lokasi diminta/ diusulkan)']));
    const event = complete('beri-akses-tayang', opd, access, ['IP', 'Internet']);
    expect(run.refusals(event)).toEqual([
      {
        code: 'kelengkapan-missing', field: '/checklist', message: 'confirm the kelengkapan of step "beri-akses-tayang" first: "Komputer", "DII"',
        variant: 'default', params: { step: 'beri-akses-tayang', missing: '"Komputer", "DII"' },
      },
    ]);
  });

  it('refuses an event for a step that is not the current one', () => {
    const run = startCase(sop);
    expect(run.send(complete('disposisi-ke-bidang', kadis))).toBe(false);
    expect(run.at()).toBe('surat-permintaan-relay');
  });

  it('cancels only with a reason, and only for someone in the SOP', () => {
    const run = startCase(sop);
    expect(run.send({ type: 'CANCEL', actor: kadis, reason: ' ' })).toBe(false);
    expect(run.send({ type: 'CANCEL', actor: person('stranger', 'auditor'), reason: 'salah' })).toBe(false);
    expect(run.send({ type: 'CANCEL', actor: kadis, reason: 'Permintaan dibatalkan' })).toBe(true);
    expect(run.ended()).toBe('_cancelled');
  });

  it('records a failing adapter as a step outcome, and a retry runs it again', () => {
    let attempts = 0;
    const flaky = () => {
      attempts += 1;
      if (attempts === 1) throw new Error('ffmpeg exited with code 1');
      return { started: true };
    };
    const run = startCase(sop, { 'media.startRelay': flaky });
    run.send(complete('surat-permintaan-relay', kadis, letter, ['Surat (memuat lokasi diminta/ diusulkan)']));
    run.send(complete('beri-akses-tayang', opd, access));
    run.send(complete('disposisi-ke-bidang', kadis));
    run.send(complete('disposisi-ke-seksi', kabid));
    expect(run.context().adapterResults['setting-relay']).toEqual({ status: 'failed', error: 'ffmpeg exited with code 1' });
    expect(run.refusals({ type: 'RETRY', actor: opd, step: 'setting-relay' }).map((r) => r.code)).toEqual(['wrong-role']);
    expect(run.send({ type: 'RETRY', actor: kasi, step: 'setting-relay' })).toBe(true);
    expect(run.context().adapterResults['setting-relay']).toEqual({ status: 'done', result: { started: true } });
    expect(run.context().adapterRuns['setting-relay']).toBe(2);
    expect(attempts).toBe(2);
    expect(run.at()).toBe('setting-relay');
  });

  it('reports an adapter that was never connected instead of crashing', () => {
    const run = startCase(sop, { 'media.startRelay': null });
    run.send(complete('surat-permintaan-relay', kadis, letter, ['Surat (memuat lokasi diminta/ diusulkan)']));
    run.send(complete('beri-akses-tayang', opd, access));
    run.send(complete('disposisi-ke-bidang', kadis));
    run.send(complete('disposisi-ke-seksi', kabid));
    expect(run.context().adapterResults['setting-relay']).toEqual({ status: 'failed', error: 'adapter "media.startRelay" is not connected in this Alur process' });
    expect(run.status()).toBe('active');
  });
});
