/**
 * GET /api/v1/cases/{id}/export: the case's evidence zip for whoever may read the case, verifiable
 * offline; with ?report=pdf the report inside is a PDF printed by headless Chromium.
 * GET /api/v1/cases/{id}/documents/{step}: the berita acara the SOP names for a done step.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../src/adapters/archive/zip-archive.js';
import { verifyExport } from '../../src/app/case-export/verify-export.js';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

async function download(client: ApiClient, url: string, path: string): Promise<{ status: number; type: string | null; disposition: string | null; body: Buffer }> {
  const response = await fetch(`${url}${path}`, { headers: { cookie: client.cookie } });
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) };
}

describe.each(dialects)('case export over the API on $name', (dialect) => {
  const t = useApi(dialect);

  it('gives a reader of the case a zip that verifies offline, with an HTML or PDF report; other organisations get 404', async () => {
    const petugas = await t.api.login('tarakan.petugas');
    const started = await petugas.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' });
    expect(started.status).toBe(201);
    const caseId = started.body.case.id as string;
    expect((await petugas.request('POST', `/api/v1/cases/${caseId}/commands`, { type: 'add-note', text: 'Semua kamera menyala' })).status).toBe(200);

    const zip = await download(petugas, t.api.url, `/api/v1/cases/${caseId}/export`);
    expect(zip).toMatchObject({ status: 200, type: 'application/zip', disposition: `attachment; filename="case-${caseId}.zip"` });
    expect(await verifyExport(zip.body, [])).toMatchObject({ status: 'ok', caseId, events: 2, tampered: [] });
    expect((await readZip(zip.body)).get('report.html')!.toString('utf8')).toContain('data-seq="2"><td>2</td><td>note.added</td>');

    const auditor = await t.api.login('tarakan.auditor');
    const withPdf = await download(auditor, t.api.url, `/api/v1/cases/${caseId}/export?report=pdf`);
    expect(withPdf.status).toBe(200);
    const files = await readZip(withPdf.body);
    expect(files.get('report.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await verifyExport(withPdf.body, []);
    expect(verified).toMatchObject({ status: 'ok' });
    // Every page's footer names the case and the hash of its last event.
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(files.get('report.pdf')!)), { mergePages: true });
    expect(text.replace(/\s+/g, ' ')).toContain(`Kasus ${caseId} · peristiwa terakhir #2 hash ${verified.head!.hash}`);

    expect((await download(await t.api.login('pontianak.kadis'), t.api.url, `/api/v1/cases/${caseId}/export`)).status).toBe(404);
    expect((await download(t.api.anonymous(), t.api.url, `/api/v1/cases/${caseId}/export`)).status).toBe(401);
    expect((await petugas.request('GET', `/api/v1/cases/${caseId}/export?report=docx`)).status).toBe(400);
  }, 120_000);

  it('serves the berita acara of a done step to readers of the case: 409 before it is done, 404 for a step without one', async () => {
    const petugas = await t.api.login('tarakan.petugas');
    const caseId = (await petugas.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv' })).body.case.id as string;
    const path = `/api/v1/cases/${caseId}/documents/serah-terima-shift`;
    const early = await petugas.request('GET', path);
    expect(early.status).toBe(409);
    expect(early.body.detail).toBe(`step "serah-terima-shift" has not been done in case ${caseId}; its berita-acara-serah-terima is made once it is done`);
    expect((await petugas.request('GET', `/api/v1/cases/${caseId}/documents/patroli-cctv`)).status).toBe(404);

    const go = (id: string, command: Record<string, unknown>) => t.api.alur.cases.execute({ caseId, actor: { id, roles: ['petugas'] }, command: command as never });
    await go('tarakan.petugas', { type: 'acknowledge', rule: 'larangan-informasi-rekaman' });
    await go('tarakan.petugas', { type: 'acknowledge', rule: 'larangan-ubah-hapus-data' });
    await go('tarakan.petugas', { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    await go('budi', { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Semua kamera normal' } });
    await go('tarakan.petugas', { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });

    const html = await petugas.request('GET', path);
    expect(html.status).toBe(200);
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<td data-field="output">Semua kamera normal</td>');
    expect(html.body).toContain('data-actor="budi"');
    expect(html.body).toContain('data-actor="tarakan.petugas"');
    expect((await (await t.api.login('pontianak.kadis')).request('GET', path)).status).toBe(404);
  }, 60_000);
});
