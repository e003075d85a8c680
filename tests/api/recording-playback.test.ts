/**
 * Playback of recordings only inside the approved playback procedure: nothing opens before
 * management's approval, a forged or expired URL is refused, a URL works only while its step is
 * open and for the case's pelaksana, every view is an event in the case's hash-chained log, and no
 * API alters or deletes a recording.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveFfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import { adapterRegistry } from '../../src/app/adapter-registry.js';
import type { Alur } from '../../src/app/alur.js';
import { playbackAdapters, recordingsAccessFrom } from '../../src/app/playback.js';
import { loadConfig } from '../../src/config.js';
import { recordingRunner } from '../support/alur-harness.js';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'alur-recordings-'));
const env = { ALUR_RECORDINGS_DIR: dir, ALUR_CAMERA_KEY: 'p'.repeat(40), ALUR_PLAYBACK_TTL_MS: '600000' };
// A real 2-second FLV where node-media-server's recorder would write it: <app>/<stream>/<startMs>.flv.
const inRange = Date.parse('2026-03-02T00:10:00Z');
mkdirSync(join(dir, 'live', 'simpang-grand'), { recursive: true });
const file = join(dir, 'live', 'simpang-grand', `${inRange}.flv`);
execFileSync(resolveFfmpegBinaries({ pathVariable: process.env.PATH ?? '' }).ffmpeg, [
  '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-t', '2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'flv', file,
]);
execFileSync('touch', ['-d', '2026-03-02T00:40:00Z', file]);

describe.each(dialects)('recording playback on $name', (dialect) => {
  const t = useApi(dialect, {
    env,
    runner: (alur: Alur) => adapterRegistry(playbackAdapters(alur, recordingsAccessFrom(loadConfig(env).media)), recordingRunner()),
  });

  async function ok(client: ApiClient, method: string, path: string, body?: unknown, status = 200) {
    const response = await client.request(method, path, body);
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
    return response.body;
  }

  it('opens a recording only after approval, only while the step is open, and logs every view', async () => {
    const admin = await t.api.login('tarakan.admin');
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Simpang Grand', streamUrl: 'rtsp://10.0.0.5/simpang' }, 201);
    const [ani, budi, manajer, pontianak] = await Promise.all(['tarakan.petugas', 'tarakan.petugas-2', 'tarakan.management', 'pontianak.admin'].map((u) => t.api.login(u)));
    const listed = await ok(ani!, 'GET', `/api/v1/recordings?camera=${encodeURIComponent('Simpang Grand')}&from=2026-03-02T00:00:00Z&to=2026-03-02T01:00:00Z`);
    expect(listed.recordings).toEqual([expect.objectContaining({ stream: 'live/simpang-grand', startedAt: '2026-03-02T00:10:00.000Z', bytes: readFileSync(file).length })]);
    const recordingId = listed.recordings[0].id as string;

    const id = (await ok(ani!, 'POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' }, 201)).case.id as string;
    const command = (client: ApiClient, body: unknown, status = 200) => ok(client, 'POST', `/api/v1/cases/${id}/commands`, body, status);
    for (const rule of ['larangan-informasi-rekaman', 'larangan-ubah-hapus-data']) await command(ani!, { type: 'acknowledge', rule });
    await command(ani!, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    await command(budi!, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    await command(ani!, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });
    await command(ani!, { type: 'start-procedure', procedure: 'pemutaran-ulang-rekaman' });
    await command(ani!, { type: 'complete', step: 'permintaan-pemutaran', output: { pemohon: 'Budi', instansi: 'Polres', keperluan: 'Penyelidikan', kamera: 'Simpang Grand', dari: '2026-03-02T08:00:00+08:00', sampai: '2026-03-02T08:30:00+08:00' } });

    // Before approval: no playback ran, nothing can be opened, and a forged URL is refused.
    await t.api.alur.runBackgroundWork();
    const before = await ok(ani!, 'GET', `/api/v1/cases/${id}`);
    expect(before.events.filter((e: { type: string; payload: { step?: string } }) => e.type.startsWith('adapter.') && e.payload.step === 'putar-rekaman')).toEqual([]);
    const forged = `${Buffer.from(JSON.stringify({ caseId: id, step: 'putar-rekaman', organizationId: 'kota-tarakan', recordingId, approval: 'palsu', expiresAt: Date.parse('2030-01-01') })).toString('base64url')}.AAAA`;
    expect((await ani!.request('GET', `/api/v1/playback/${forged}`)).status).toBe(403);

    await command(manajer!, { type: 'approve', step: 'izin-manajemen', output: { nomorSurat: 'SP/012/CCTV/2026' } });
    await t.api.alur.runBackgroundWork();
    const detail = await ok(ani!, 'GET', `/api/v1/cases/${id}`);
    const grant = detail.events.find((e: { type: string; payload: { step?: string } }) => e.type === 'adapter.succeeded' && e.payload.step === 'putar-rekaman').payload.result;
    expect(grant).toMatchObject({ camera: 'Simpang Grand', approval: 'SP/012/CCTV/2026', recordings: [expect.objectContaining({ id: recordingId })] });
    const url = grant.recordings[0].url as string;

    // Only the case's pelaksana, only in its organisation.
    expect((await pontianak!.request('GET', url)).status).toBe(404);
    const played = await fetch(`${t.api.url}${url}`, { headers: { cookie: ani!.cookie } });
    expect(played.status).toBe(200);
    expect(Buffer.from(await played.arrayBuffer()).equals(readFileSync(file))).toBe(true);
    const after = await ok(ani!, 'GET', `/api/v1/cases/${id}`);
    const views = after.events.filter((e: { type: string }) => e.type === 'note.added');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ actor: { id: 'tarakan.petugas' }, payload: { step: 'putar-rekaman' } });
    expect(views[0].payload.text).toContain('SP/012/CCTV/2026');
    expect(views[0].payload.text).toContain(recordingId);

    // Immutable: no API changes or removes a recording.
    expect((await admin.request('DELETE', `/api/v1/recordings/${recordingId}`)).status).toBe(403);
    expect((await admin.request('PUT', `/api/v1/recordings/${recordingId}`, { name: 'x' })).status).toBe(403);
    expect(readFileSync(file).length).toBeGreaterThan(0);

    // The URL expires, and dies with its step.
    t.api.clock.advance(11 * 60_000);
    expect((await ani!.request('GET', url)).status).toBe(403);
    await command(ani!, { type: 'retry', step: 'putar-rekaman' });
    await t.api.alur.runBackgroundWork();
    const fresh = (await ok(ani!, 'GET', `/api/v1/cases/${id}`)).events.filter((e: { type: string }) => e.type === 'adapter.succeeded').at(-1).payload.result.recordings[0].url as string;
    expect((await ani!.request('GET', fresh)).status).toBe(200);
    await command(ani!, { type: 'complete', step: 'putar-rekaman', output: { disaksikanOleh: 'Budi' } });
    expect((await ani!.request('GET', fresh)).status).toBe(403);
    expect((await ok(ani!, 'GET', `/api/v1/cases/${id}`)).events.filter((e: { type: string }) => e.type === 'note.added')).toHaveLength(2);
    const audit = await (await t.api.login('tarakan.auditor')).request('GET', `/api/v1/audit/cases/${id}`);
    expect(audit.body.ok).toBe(true);
  });
});
