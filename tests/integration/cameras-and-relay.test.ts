/**
 * Real cameras and a real media server: ffmpeg test patterns published to the embedded
 * node-media-server on 127.0.0.1, probed by ffprobe and ffmpeg through Alur's adapters.
 * A Tarakan camera check of 4 live cameras and 1 dead one; a Pontianak relay that is "berjalan"
 * only once the media server lists it, survives its source restarting, and stops with the case.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeStream } from '../../src/adapters/cameras/camera-probe.js';
import { resolveFfmpegBinaries, type FfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import { liveTetheredCount } from '../../src/adapters/cameras/tethered-process.js';
import { findFreePort } from '../../src/adapters/media/free-port.js';
import { startMediaServer, type MediaServer } from '../../src/adapters/media/media-server.js';
import { RelaySupervisor } from '../../src/adapters/media/relay-supervisor.js';
import type { CaseChange } from '../../src/app/change-feed.js';
import { restoreRelays, stopRelaysWhenCasesEnd } from '../../src/app/media-adapters.js';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';
import { realAdapters } from '../support/real-adapters.js';
import { startTestCamera, waitUntil, type TestCamera } from '../support/test-cameras.js';

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

let bin: FfmpegBinaries;
let media: MediaServer;
const cameras = new Map<string, TestCamera>();
let deadUrl: string;

beforeAll(async () => {
  bin = resolveFfmpegBinaries({ pathVariable: process.env.PATH ?? '' });
  media = await startMediaServer({ host: '127.0.0.1', rtmpPort: 0, httpPort: 0, dataDir: mkdtempSync(join(tmpdir(), 'alur-media-')) });
  for (const name of ['simpang', 'pelabuhan', 'pasar', 'bandara']) cameras.set(name, await startTestCamera(bin, media, name));
  // Nothing listens there: the camera is dead.
  deadUrl = `rtmp://127.0.0.1:${await findFreePort('127.0.0.1')}/cam/mati`;
});

afterAll(async () => {
  for (const camera of cameras.values()) await camera.stop();
  await media?.stop();
  expect(liveTetheredCount()).toBe(0);
});

describe.each(dialects)('cameras and relays on $name', (dialect) => {
  let relays: RelaySupervisor;
  const t = useApi(dialect, {
    runner: realAdapters(() => ({ bin, media }), (supervisor) => { relays = supervisor; }),
  });
  afterAll(async () => {
    await relays?.stopAll();
  });

  async function ok(client: ApiClient, method: string, path: string, body?: unknown, status = 200) {
    const response = await client.request(method, path, body);
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
    return response.body;
  }

  it('checks 4 live cameras and 1 dead one: 4 ok, 1 failed, snapshots hashed, progress live, the check fixed in the output', async () => {
    const admin = await t.api.login('tarakan.admin');
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Simpang Grand', streamUrl: cameras.get('simpang')!.url }, 201);
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Pelabuhan Malundung', streamUrl: cameras.get('pelabuhan')!.url }, 201);
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Pasar Gusher', streamUrl: cameras.get('pasar')!.url }, 201);
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Bandara Juwata', streamUrl: cameras.get('bandara')!.url }, 201);
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Taman Mati', streamUrl: deadUrl }, 201);

    const [ani, budi] = await Promise.all([t.api.login('tarakan.petugas'), t.api.login('tarakan.petugas-2')]);
    const id = (await ok(ani, 'POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' }, 201)).case.id as string;
    const command = (client: ApiClient, body: unknown, status = 200) => ok(client, 'POST', `/api/v1/cases/${id}/commands`, body, status);
    for (const rule of ['larangan-informasi-rekaman', 'larangan-ubah-hapus-data']) await command(ani, { type: 'acknowledge', rule });
    await command(ani, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    await command(budi, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    await command(ani, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });

    const progress: string[] = [];
    const unsubscribe = t.api.alur.changes.subscribe((change: CaseChange) => {
      if (change.kind === 'adapter.progress' && change.caseId === id) progress.push(change.progress!.message);
    });
    await t.api.alur.runBackgroundWork();
    unsubscribe();
    expect(progress).toEqual([0, 1, 2, 3, 4, 5].map((n) => `${n}/5 kamera diperiksa`));

    const detail = await ok(ani, 'GET', `/api/v1/cases/${id}`);
    const outcome = detail.events.find((e: { type: string }) => e.type === 'adapter.succeeded').payload.result;
    expect(outcome).toMatchObject({ checked: 5, ok: 4, failed: 1, output: { semuaBaik: false, kameraBermasalah: ['Taman Mati'] } });
    const byName = new Map((outcome.cameras as Array<{ camera: string }>).map((c) => [c.camera, c as Record<string, unknown>]));
    expect(byName.get('Simpang Grand')).toMatchObject({ ok: true, codec: 'h264', width: 160, height: 120, fps: 5 });
    expect(byName.get('Taman Mati')).toMatchObject({ ok: false });
    expect(byName.get('Taman Mati')!.error).toMatch(/^kamera Taman Mati /);

    const evidence = (await ok(ani, 'GET', `/api/v1/evidence?case=${id}`)).evidence as Array<{ id: string; ok: boolean; snapshotSha256: string | null; probedAt: string }>;
    expect(evidence).toHaveLength(5);
    expect(evidence.filter((e) => e.ok)).toHaveLength(4);
    for (const item of evidence.filter((e) => e.ok)) {
      const response = await fetch(`${t.api.url}/api/v1/evidence/${item.id}/snapshot.jpg`, { headers: { cookie: ani.cookie } });
      expect(response.status).toBe(200);
      const jpeg = Buffer.from(await response.arrayBuffer());
      expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(createHash('sha256').update(jpeg).digest('hex')).toBe(item.snapshotSha256);
      expect(response.headers.get('x-content-sha256')).toBe(item.snapshotSha256);
    }
    // Evidence cannot be changed: no route, and the database refuses.
    expect((await ani.request('DELETE', `/api/v1/evidence/${evidence[0]!.id}`)).status).toBe(404);
    await expect(t.db.knex('camera_evidence').where({ id: evidence[0]!.id }).update({ ok: true })).rejects.toThrow(/append-only/);
    await expect(t.db.knex('camera_evidence').where({ id: evidence[0]!.id }).delete()).rejects.toThrow(/append-only/);

    // The operator confirms and annotates, but cannot call the dead camera good.
    const denied = await ani.request('POST', `/api/v1/cases/${id}/commands`, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } });
    expect(denied.status).toBe(422);
    expect(denied.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/output/semuaBaik', '/body/output/kameraBermasalah']);
    await command(ani, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: false, kameraBermasalah: ['Taman Mati'], catatan: 'Dilaporkan ke teknisi' } });
  });

  it('reports a relay "berjalan" only once the media server lists it, restarts it with its source (reporting the drop), brings it back after Alur restarts, and stops it with the case', async () => {
    const [kadis, opd, kabid, kasi] = await Promise.all(['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet', 'pontianak.kasi-sptik'].map((u) => t.api.login(u)));
    const id = (await ok(kadis!, 'POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'Relay Tanjungpura' }, 201)).case.id as string;
    const command = (client: ApiClient, body: unknown, status = 200) => ok(client, 'POST', `/api/v1/cases/${id}/commands`, body, status);
    const key = `tanjungpura-${dialect.name}`;
    await command(kadis!, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1/DKI/2020', tanggal: '2020-04-08', lokasi: ['Tanjungpura'] } });
    await command(opd!, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: `Tanjungpura ${dialect.name}`, streamUrl: cameras.get('simpang')!.url, credentialsRef: 'vault:opd/tj' } });
    await command(kadis!, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
    await command(kabid!, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });

    const claimed = { streamKey: key, playUrl: media.playUrl('live', key), status: 'berjalan' };
    // Nothing relays yet: "berjalan" is refused.
    expect(media.isLive('live', key)).toBe(false);
    await command(kasi!, { type: 'complete', step: 'setting-relay', checklist: KIT, output: claimed }, 422);

    await t.api.alur.runBackgroundWork();
    expect(media.isLive('live', key)).toBe(true);
    const detail = await ok(kasi!, 'GET', `/api/v1/cases/${id}`);
    expect(detail.events.find((e: { type: string }) => e.type === 'adapter.succeeded').payload.result.output).toEqual(claimed);
    expect(await probeStream(bin, claimed.playUrl, 10_000)).toMatchObject({ codec: 'h264', width: 160, height: 120 });

    if (dialect === dialects[0]) {
      // The camera restarts. The relay follows it back by itself, but it was off the media
      // server's list for longer than the grace: the case hears of it, and "berjalan" needs a retry.
      await cameras.get('simpang')!.stop();
      await waitUntil(() => !media.isLive('live', key), 'the relay loses its source');
      const dropped = async () => ((await ok(kasi!, 'GET', `/api/v1/cases/${id}`)).events as Array<{ type: string; payload: { error?: string } }>).find((e) => e.type === 'adapter.failed');
      await waitUntil(async () => (await dropped()) !== undefined, 'the drop is reported to the case');
      expect((await dropped())!.payload.error).toMatch(new RegExp(`^relay ${key} terputus`));
      cameras.set('simpang', await startTestCamera(bin, media, 'simpang'));
      await waitUntil(() => media.isLive('live', key), 'the relay is live again', 30_000);
      expect(relays.status(key)!.starts).toBeGreaterThan(1);
      await command(kasi!, { type: 'complete', step: 'setting-relay', checklist: KIT, output: claimed }, 422);
      await command(kasi!, { type: 'retry', step: 'setting-relay' });
      await t.api.alur.runBackgroundWork();
      expect(media.isLive('live', key)).toBe(true);
    }

    // Alur restarts: its relays die with it (ffmpeg is tethered to its process); the new process
    // starts the relay of this running case again from the log, and it is live once more.
    await relays.stopAll();
    await waitUntil(() => !media.isLive('live', key), 'the relay is gone with its process');
    const next = new RelaySupervisor(bin);
    const unsubscribe = stopRelaysWhenCasesEnd(t.api.alur, next, (error) => { throw error; });
    try {
      expect(await restoreRelays(t.api.alur, { server: media, relays: next, liveTimeoutMs: 20_000, downGraceMs: 2_000 })).toEqual([key]);
      await waitUntil(() => media.isLive('live', key), 'the restored relay is live', 30_000);
      expect(next.status(key)).toMatchObject({ owner: id });

      await command(kasi!, { type: 'complete', step: 'setting-relay', checklist: KIT, output: claimed });
      const last = await command(kasi!, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Relay berjalan' } });
      expect(last.case.status).toBe('completed');
      await waitUntil(() => next.status(key) === undefined && !media.isLive('live', key), 'the relay stops with the case');
      // A finished case has nothing to restore.
      expect(await restoreRelays(t.api.alur, { server: media, relays: next, liveTimeoutMs: 20_000 })).toEqual([]);
    } finally {
      unsubscribe();
      await next.stopAll();
    }
  });
});
