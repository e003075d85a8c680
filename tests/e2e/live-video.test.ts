/**
 * Live video in real Chromium: a petugas sees the organisation's cameras with their last check
 * (real ffprobe checks of a live test camera and a dead one) and watches the live one; a kasi
 * sees the relay of a Pontianak case play on the case page (real ffmpeg relay into the embedded
 * node-media-server). The player is mpegts.js from the bundle; the CSP names the media server's
 * origin through ALUR_MEDIA_ORIGINS, so nothing else is reachable.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpegBinaries, type FfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import { findFreePort } from '../../src/adapters/media/free-port.js';
import { startMediaServer, type MediaServer } from '../../src/adapters/media/media-server.js';
import type { RelaySupervisor } from '../../src/adapters/media/relay-supervisor.js';
import type { ApiClient } from '../support/api-harness.js';
import { useBrowser } from '../support/browser-harness.js';
import { realAdapters } from '../support/real-adapters.js';
import { startTestCamera, type TestCamera } from '../support/test-cameras.js';

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

let bin: FfmpegBinaries;
let media: MediaServer;
let camera: TestCamera;
let relays: RelaySupervisor;

beforeAll(async () => {
  bin = resolveFfmpegBinaries({ pathVariable: process.env.PATH ?? '' });
  media = await startMediaServer({ host: '127.0.0.1', rtmpPort: 0, httpPort: 0, dataDir: mkdtempSync(join(tmpdir(), 'alur-media-')) });
  camera = await startTestCamera(bin, media, 'simpang');
});

afterAll(async () => {
  await relays?.stopAll();
  await camera?.stop();
  await media?.stop();
});

/** The page's <video> once it has decoded frames and its time moves on (the stream plays, not just loads). */
async function expectPlaying(page: Page): Promise<void> {
  const video = page.getByTestId('live-player').locator('video');
  await expect.poll(() => video.evaluate((v) => (v as unknown as { readyState: number }).readyState), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  const first = await video.evaluate((v) => (v as unknown as { currentTime: number }).currentTime);
  await expect.poll(() => video.evaluate((v) => (v as unknown as { currentTime: number }).currentTime), { timeout: 20_000 }).toBeGreaterThan(first);
  expect(await page.getByTestId('live-player').getAttribute('data-state')).toBe('playing');
}

describe('live video in Chromium', () => {
  const t = useBrowser(() => ({
    env: { ALUR_MEDIA_ORIGINS: new URL(media.playUrl('cam', 'x')).origin },
    runner: realAdapters(() => ({ bin, media }), (supervisor) => { relays = supervisor; }),
  }));

  async function ok(client: ApiClient, method: string, path: string, body?: unknown, status = 200) {
    const response = await client.request(method, path, body);
    expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(status);
    return response.body;
  }

  it('lists cameras with their last check and plays the live one; plays a relay case\'s stream on its case page', async () => {
    // Tarakan: a live and a dead camera, checked for real by the shift's cek-kondisi-cctv step.
    const admin = await t.api.login('tarakan.admin');
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Simpang Grand', location: 'Jl. Yos Sudarso', streamUrl: camera.url }, 201);
    await ok(admin, 'POST', '/api/v1/cameras', { name: 'Taman Mati', streamUrl: `rtmp://127.0.0.1:${await findFreePort('127.0.0.1')}/cam/mati` }, 201);
    const [ani, budi] = await Promise.all([t.api.login('tarakan.petugas'), t.api.login('tarakan.petugas-2')]);
    const shift = (await ok(ani!, 'POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' }, 201)).case.id as string;
    const onShift = (client: ApiClient, body: unknown) => ok(client, 'POST', `/api/v1/cases/${shift}/commands`, body);
    await onShift(ani!, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    await onShift(budi!, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    await onShift(ani!, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });
    await t.api.alur.runBackgroundWork();

    const { page } = await t.loginAs('tarakan.petugas');
    await page.getByRole('link', { name: 'Kamera', exact: true }).click();
    const rows = page.getByTestId('cameras');
    await expect.poll(() => rows.locator('[data-camera="Simpang Grand"] [data-testid=camera-status]').getAttribute('data-ok'), { timeout: 15_000 }).toBe('true');
    expect(await rows.locator('[data-camera="Taman Mati"] [data-testid=camera-status]').getAttribute('data-ok')).toBe('false');
    expect(await rows.locator('[data-camera="Taman Mati"]').textContent()).toContain('kamera Taman Mati');
    // The dead camera's RTMP URL is no browser stream: it is watched through a relay.
    expect(await rows.locator('[data-camera="Taman Mati"]').getByRole('button').count()).toBe(0);
    await rows.locator('[data-camera="Simpang Grand"]').getByRole('button', { name: 'Lihat langsung' }).click();
    await expectPlaying(page);
    await t.screenshot(page, 'cameras-live');

    // Pontianak: the relay runs for real; its play URL comes from the adapter's result.
    const [kadis, opd, kabid] = await Promise.all(['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet'].map((u) => t.api.login(u)));
    const relay = (await ok(kadis!, 'POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'Relay Tanjungpura' }, 201)).case.id as string;
    const onRelay = (client: ApiClient, body: unknown) => ok(client, 'POST', `/api/v1/cases/${relay}/commands`, body);
    await onRelay(kadis!, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1/DKI/2020', tanggal: '2020-04-08', lokasi: ['Tanjungpura'] } });
    await onRelay(opd!, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'Tanjungpura', streamUrl: camera.url, credentialsRef: 'vault:opd/tj' } });
    await onRelay(kadis!, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
    await onRelay(kabid!, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });
    await t.api.alur.runBackgroundWork();

    const kasi = await t.loginAs('pontianak.kasi-sptik');
    await kasi.page.goto(`${t.api.url}/#/cases/${relay}`);
    const player = kasi.page.getByTestId('live-player');
    await player.waitFor({ timeout: 15_000 });
    expect(await player.getAttribute('data-url')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/.+\.flv$/);
    await expectPlaying(kasi.page);
    await t.screenshot(kasi.page, 'relay-case-live');
    expect(t.pageErrors).toEqual([]);
  });
});
