/**
 * The crash that used to stop the server: a step that `uses:` an adapter is completed before the
 * adapter answers; the answer then arrives for a step that is already closed. The server stays up,
 * the late answer is recorded as late and changes nothing, the case goes on, and the audit lists
 * the late event instead of crashing or calling the case clean without a word.
 */
import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';
import { gatedRunner } from '../support/gated-runner.js';

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

describe.each(dialects)('late adapter results on $name', (dialect) => {
  const gate = gatedRunner();
  const t = useApi(dialect, { runner: gate.runner });

  async function ok(client: ApiClient, caseId: string, command: unknown) {
    const response = await client.request('POST', `/api/v1/cases/${caseId}/commands`, command);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  it('records a relay outcome that arrives after "setting-relay" was completed as late, and the case goes on', async () => {
    const [kadis, opd, kabid, kasi, auditor] = await Promise.all(['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet', 'pontianak.kasi-sptik', 'pontianak.auditor'].map((u) => t.api.login(u)));
    const { body } = await kadis!.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'Relay cepat' });
    const id = body.case.id as string;
    await ok(kadis!, id, { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2026-03-02', lokasi: ['Tanjungpura'] } });
    await ok(opd!, id, { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'Tanjungpura', streamUrl: 'rtsp://127.0.0.1:8554/tj', credentialsRef: 'vault:tj' } });
    await ok(kadis!, id, { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT });
    await ok(kabid!, id, { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT });

    // The relay job is running; the Kasi completes the step within the second.
    const background = t.api.alur.runBackgroundWork();
    const run = await gate.nextRun();
    expect(run).toMatchObject({ name: 'media.startRelay', step: 'setting-relay' });
    // Before the relay reports, "berjalan" is not the Kasi's to claim; "gagal" is.
    const claimed = await kasi!.request('POST', `/api/v1/cases/${id}/commands`, { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'tj', playUrl: 'http://127.0.0.1:8000/live/tj.flv', status: 'berjalan' } });
    expect(claimed.status).toBe(422);
    expect(claimed.body.errors).toEqual([expect.objectContaining({ field: '/body/output/status' })]);
    await ok(kasi!, id, { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'tj', playUrl: 'http://127.0.0.1:8000/live/tj.flv', status: 'gagal' } });
    run.reject(new Error('ffmpeg exited with code 1'));
    await background;

    expect((await t.api.anonymous().request('GET', '/healthz')).status).toBe(200);
    const detail = (await kasi!.request('GET', `/api/v1/cases/${id}`)).body;
    expect(detail.events.map((e: { type: string }) => e.type).slice(-2)).toEqual(['step.completed', 'adapter.failed']);
    expect(detail.events.at(-1).payload).toEqual({ step: 'setting-relay', run: 1, error: 'ffmpeg exited with code 1', late: true });
    expect(detail.case.activeSteps).toEqual(['lapor-hasil-relay']);

    // Another command on the same case.
    const last = await ok(kasi!, id, { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'Relay berjalan' } });
    expect(last.case.status).toBe('completed');

    const audit = await auditor!.request('GET', `/api/v1/audit/cases/${id}`);
    expect(audit.status).toBe(200);
    expect(audit.body).toEqual({ caseId: id, events: 8, ok: true, status: 'ok', lateEvents: [{ seq: 7, type: 'adapter.failed', step: 'setting-relay' }] });
    const all = await auditor!.request('GET', '/api/v1/audit/cases');
    expect(all.status).toBe(200);
    expect(all.body.broken).toBe(0);
  });

  it('records a camera check that answers after "cek-kondisi-cctv" was completed as late, and the patrol goes on', async () => {
    const [ani, budi] = await Promise.all([t.api.login('tarakan.petugas'), t.api.login('tarakan.petugas-2')]);
    const { body } = await ani.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' });
    const id = body.case.id as string;
    for (const rule of ['larangan-informasi-rekaman', 'larangan-ubah-hapus-data']) await ok(ani, id, { type: 'acknowledge', rule });
    await ok(ani, id, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    await ok(budi, id, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Normal' } });
    await ok(ani, id, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });

    const background = t.api.alur.runBackgroundWork();
    const run = await gate.nextRun();
    expect(run).toMatchObject({ name: 'cameras.checkAll', step: 'cek-kondisi-cctv' });
    await ok(ani, id, { type: 'complete', step: 'cek-kondisi-cctv', checklist: ['List kelengkapan'], output: { semuaBaik: true } });
    run.resolve({ checked: 12, ok: 12 });
    await background;

    const after = await ok(ani, id, { type: 'complete', step: 'patroli-cctv', checklist: ['Patroli CCTV'], output: { ringkasan: 'Kondusif' } });
    expect(after.case.activeSteps).toEqual(['ada-temuan']);
    const events = (await ani.request('GET', `/api/v1/cases/${id}`)).body.events as Array<{ type: string; payload: { late?: boolean } }>;
    expect(events.filter((e) => e.type === 'adapter.succeeded').map((e) => e.payload.late)).toEqual([true]);
  });
});
