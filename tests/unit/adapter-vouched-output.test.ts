/**
 * An adapter's report is the step's fact: the relay step cannot be completed "berjalan" unless
 * media.startRelay reported it, and an operator cannot overrule what the adapter vouched for.
 */
import { describe, expect, it } from 'vitest';
import type { CompleteEvent } from '../../src/engine/index.js';
import { person, startCase } from '../support/case-harness.js';
import { loadSeed } from '../support/seeds.js';

const sop = loadSeed('pontianak');
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const [kadis, opd, kabid, kasi] = [person('uray', 'kadis'), person('opd', 'opd'), person('kabid', 'kabid-tkpbet'), person('kasi', 'kasi-sptik')];
const live = { streamKey: 'tj', playUrl: 'http://127.0.0.1:8000/live/tj.flv', status: 'berjalan' };

function complete(step: string, actor: CompleteEvent['actor'], output?: unknown, checklist: string[] = KIT): CompleteEvent {
  return { type: 'COMPLETE', actor, step, checklist, ...(output === undefined ? {} : { output }) };
}

function toRelay(relay: () => unknown) {
  const run = startCase(sop, { 'media.startRelay': relay });
  run.send(complete('surat-permintaan-relay', kadis, { nomorSurat: '1', tanggal: '2020-04-08', lokasi: ['Tanjungpura'] }, ['Surat (memuat lokasi diminta/ diusulkan)']));
  run.send(complete('beri-akses-tayang', opd, { kamera: 'Tanjungpura', streamUrl: 'rtsp://127.0.0.1/tj', credentialsRef: 'vault:tj' }));
  run.send(complete('disposisi-ke-bidang', kadis));
  run.send(complete('disposisi-ke-seksi', kabid));
  expect(run.at()).toBe('setting-relay');
  return run;
}

describe('output an adapter vouches for', () => {
  it('refuses "berjalan" when the relay failed, and accepts "gagal"', () => {
    const run = toRelay(() => { throw new Error('relay tidak live dalam 20 detik'); });
    const refusals = run.refusals(complete('setting-relay', kasi, live));
    expect(refusals).toEqual([expect.objectContaining({ code: 'adapter-pending', field: '/output/status' })]);
    expect(refusals[0]!.message).toContain('relay tidak live dalam 20 detik');
    expect(run.send(complete('setting-relay', kasi, { ...live, status: 'gagal' }))).toBe(true);
  });

  it('holds the operator to what the relay reported', () => {
    const run = toRelay(() => ({ output: { ...live, status: 'gagal' }, reason: 'tidak live' }));
    expect(run.refusals(complete('setting-relay', kasi, live)).map((r) => [r.code, r.field])).toEqual([['adapter-output', '/output/status']]);
    const reported = toRelay(() => ({ output: live }));
    expect(reported.refusals(complete('setting-relay', kasi, { ...live, playUrl: 'http://elsewhere/x.flv' })).map((r) => r.field)).toEqual(['/output/playUrl']);
    expect(reported.send(complete('setting-relay', kasi, live))).toBe(true);
  });
});
