/**
 * GET /api/v1/sops/{id}/document: the official document of a published revision, as HTML, SVG or a
 * PDF printed by headless Chromium, for anyone of the SOP's organisation and nobody else.
 */
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';
import { seedText } from '../support/seeds.js';

const DOCUMENT = '/api/v1/sops/tarakan-pemantau-cctv/document';

describe.each(dialects)('SOP documents over the API on $name', (dialect) => {
  const t = useApi(dialect);

  it('gives a user of the organisation the document as HTML (default), SVG or PDF, self-contained under a strict policy', async () => {
    const petugas = await t.api.login('tarakan.petugas');
    const html = await petugas.request('GET', DOCUMENT);
    expect(html.status).toBe(200);
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:");
    expect(html.headers.get('content-disposition')).toBe('inline; filename="tarakan-pemantau-cctv-r1.html"');
    expect(html.body).toContain('<td data-field="number">067/07/Opr.CCTV/2021</td>');
    expect(html.body).toContain('terbitan 1');
    expect(html.body.match(/data-part="flowchart"/g).length).toBeGreaterThan(1);

    const svg = await petugas.request('GET', `${DOCUMENT}?format=svg`);
    expect(svg.status).toBe(200);
    expect(svg.contentType).toBe('image/svg+xml; charset=utf-8');
    expect(svg.body).toContain('data-id="shift-berakhir" data-kind="decision" data-role="petugas"');

    const pdf = await petugas.request('GET', `${DOCUMENT}?format=pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="tarakan-pemantau-cctv-r1.pdf"');
    expect(pdf.body.startsWith('%PDF-')).toBe(true);
  });

  it('prints the revision asked for, and refuses what does not exist or is not yours', async () => {
    const owner = await t.api.login('tarakan.process-owner');
    const revised = seedText('tarakan').replace('title: Petugas Pemantau CCTV', 'title: Petugas Pemantau CCTV Terpadu');
    expect((await owner.request('POST', '/api/v1/sops', { source: revised, file: 'tarakan-pemantau-cctv.yaml' })).status).toBe(201);
    const latest = await owner.request('GET', DOCUMENT);
    expect(latest.body).toContain('<td data-field="title" class="sop-title">Petugas Pemantau CCTV Terpadu</td>');
    const first = await owner.request('GET', `${DOCUMENT}?revision=1`);
    expect(first.body).toContain('<td data-field="title" class="sop-title">Petugas Pemantau CCTV</td>');

    expect((await owner.request('GET', `${DOCUMENT}?revision=9`)).status).toBe(404);
    const format = await owner.request('GET', `${DOCUMENT}?format=docx`);
    expect(format.status).toBe(400);
    expect(format.body.errors[0].field).toBe('/query/format');
    expect((await t.api.anonymous().request('GET', DOCUMENT)).status).toBe(401);

    // Another organisation's SOP does not exist for you (404, as for every read across tenants).
    const kadis = await t.api.login('pontianak.kadis');
    const foreign = await kadis.request('GET', DOCUMENT);
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toContain('tarakan-pemantau-cctv');
    expect((await kadis.request('GET', '/api/v1/sops/pontianak-relay-tayangan/document?format=svg')).status).toBe(200);
  });
});
