/**
 * The paper side in real Chromium. An auditor opens the monitoring form of the Tarakan SOP for this
 * month (days in WITA), finds each step's measured figures (one handover overdue, one playback
 * request refused), writes a note and an action, saves, signs off, reloads and finds both stored
 * and the sign-off current, and downloads a CSV whose figures are the table's. An officer of the
 * case then downloads the handover's berita acara (times in WITA) and the case's evidence export,
 * a zip whose manifest names the case and which verifies offline.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../src/adapters/archive/zip-archive.js';
import { MANIFEST_PATH } from '../../src/app/case-export/export-format.js';
import { verifyExport } from '../../src/app/case-export/verify-export.js';
import { indonesianLeftOn, seriousA11yViolations, useBrowser } from '../support/browser-harness.js';
import { csvRecords } from '../support/csv-records.js';

const MINUTE = 60_000;

async function downloaded(page: Page, testId: string): Promise<{ download: Download; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { download, body: await readFile((await download.path())!) };
}

describe('monitoring form and case documents in Chromium', () => {
  const t = useBrowser();

  it('lets an auditor fill, save, sign off and download the monitoring form, and an officer download the berita acara and the evidence zip', async () => {
    const [ani, budi, manajer] = await Promise.all(['tarakan.petugas', 'tarakan.petugas-2', 'tarakan.management'].map((u) => t.api.login(u)));
    const started = await ani!.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' });
    const caseId = started.body.case.id as string;
    const command = async (client: typeof ani, body: unknown) => {
      const response = await client!.request('POST', `/api/v1/cases/${caseId}/commands`, body);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    t.api.clock.advance(4 * MINUTE);
    await command(ani, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    // The handover takes 7 minutes against its 5: overdue.
    t.api.clock.advance(7 * MINUTE);
    await t.api.alur.runBackgroundWork();
    await command(budi, { type: 'complete', step: 'serah-terima-shift', party: 'penyerah', checklist: ['Laporan'], output: { catatan: 'Kamera 3 buram' } });
    await command(ani, { type: 'complete', step: 'serah-terima-shift', party: 'penerima' });
    // A playback request the management turns down: one refusal in row 9.2.
    await command(ani, { type: 'start-procedure', procedure: 'pemutaran-ulang-rekaman' });
    await command(ani, { type: 'complete', step: 'permintaan-pemutaran', output: { pemohon: 'Budi', instansi: 'Polres', keperluan: 'Penyelidikan', kamera: 'Simpang Grand', dari: '2026-03-02T08:00:00+08:00', sampai: '2026-03-02T08:30:00+08:00' } });
    t.api.clock.advance(3 * MINUTE);
    await command(manajer, { type: 'refuse', step: 'izin-manajemen', reason: 'Tanpa surat permintaan resmi' });

    const { page } = await t.loginAs('tarakan.auditor');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByTestId('monitoring-link').click();
    await page.getByLabel('SOP', { exact: true }).selectOption('tarakan-pemantau-cctv');
    const table = page.getByTestId('monitoring-rows');
    const handover = table.locator('tr[data-step=serah-terima-shift]');
    await expect.poll(() => handover.getAttribute('data-count'), { timeout: 10_000 }).toBe('1');
    expect(await page.getByTestId('monitoring').getAttribute('data-revision')).toBe('1');
    expect(await page.getByLabel('Terbitan SOP').locator('option').allTextContents()).toEqual(['Terbaru', 'Terbitan 1']);
    // The measured figures, as worked out from the scenario above.
    expect(await handover.getAttribute('data-overdue')).toBe('1');
    expect(await handover.getAttribute('data-median-ms')).toBe(String(7 * MINUTE));
    expect(await handover.getAttribute('data-budget-ms')).toBe(String(5 * MINUTE));
    expect(await handover.getAttribute('data-within')).toBe('0');
    expect(await handover.getAttribute('data-assessment')).toBe('tidak-berjalan');
    const arrival = table.locator('tr[data-step=hadir-serah-terima]');
    expect(await arrival.getAttribute('data-assessment')).toBe('berjalan');
    expect(await arrival.textContent()).toContain('4 menit');
    const approval = table.locator('tr[data-step=izin-manajemen]');
    expect(await approval.getAttribute('data-refused')).toBe('1');
    expect(await approval.textContent()).toContain('1 kali ditolak');
    expect(await table.locator('tr[data-step=patroli-cctv]').getAttribute('data-assessment')).toBe('belum-dilaksanakan');

    // The auditor's part: a note and an action on row 2, saved, then the form signed off.
    await page.getByLabel('Catatan auditor baris 2', { exact: true }).fill('Serah terima lewat 2 menit');
    await page.getByLabel('Tindakan baris 2', { exact: true }).fill('Ingatkan jadwal hadir petugas');
    await page.getByRole('button', { name: 'Simpan catatan' }).click();
    await expect.poll(() => page.getByTestId('monitoring-status').textContent()).toBe('Catatan tersimpan.');
    await page.getByRole('button', { name: 'Sahkan formulir' }).click();
    await expect.poll(() => page.getByTestId('sign-off').getAttribute('data-signed')).toBe('current');
    expect(await page.getByTestId('sign-off').textContent()).toContain('Disahkan oleh tarakan.auditor');
    await page.getByTestId('monitoring').scrollIntoViewIfNeeded();
    await t.screenshot(page, 'monitoring-form');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Stored: a reload reads the note, the action and the sign-off back from the server.
    await page.reload();
    await page.getByLabel('SOP', { exact: true }).selectOption('tarakan-pemantau-cctv');
    await expect.poll(() => page.getByLabel('Catatan auditor baris 2', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('Serah terima lewat 2 menit');
    expect(await page.getByLabel('Tindakan baris 2', { exact: true }).inputValue()).toBe('Ingatkan jadwal hadir petugas');
    expect(await page.getByTestId('sign-off').getAttribute('data-signed')).toBe('current');
    expect(await handover.textContent()).toContain('Terakhir ditulis tarakan.auditor');

    // The CSV the page downloads has the table's figures, row for row, and the auditor's text.
    const csv = csvRecords((await downloaded(page, 'monitoring-csv')).body.toString('utf8'));
    const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
      const d = (tr as any).dataset as Record<string, string>;
      return { stepId: d.step, jumlah: d.count, dalamWaktu: d.within, medianMs: d.medianMs, bakuWaktuMs: d.budgetMs, terlambat: d.overdue, ditolak: d.refused };
    }));
    expect(csv.map((r) => ({ stepId: r.stepId, jumlah: r.jumlah, dalamWaktu: r.dalamWaktu, medianMs: r.medianMs, bakuWaktuMs: r.bakuWaktuMs, terlambat: r.terlambat, ditolak: r.ditolak }))).toEqual(shown);
    expect(csv.find((r) => r.stepId === 'serah-terima-shift')).toMatchObject({
      penilaian: 'Tidak berjalan dengan baik', catatan: expect.stringMatching(/Catatan auditor: Serah terima lewat 2 menit$/), tindakan: 'Ingatkan jadwal hadir petugas',
    });
    // In English, no Indonesian UI text is left on the form (the SOP's own words stay).
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('button', { name: 'Save notes' }).waitFor();
    expect(await indonesianLeftOn(page)).toEqual([]);

    // A process owner reads the same form, with the auditor's words, and cannot write on it.
    const owner = (await t.loginAs('tarakan.process-owner')).page;
    await owner.evaluate(() => { (globalThis as any).location.hash = '/audit/monitoring'; });
    const ownersRow = owner.getByTestId('monitoring-rows').locator('tr[data-step=serah-terima-shift]');
    await expect.poll(() => ownersRow.getByTestId('note').textContent(), { timeout: 10_000 }).toBe('Serah terima lewat 2 menit');
    expect(await ownersRow.getByTestId('action').textContent()).toBe('Ingatkan jadwal hadir petugas');
    expect(await owner.locator('textarea').count()).toBe(0);
    expect(await owner.getByRole('button', { name: 'Sahkan formulir' }).count()).toBe(0);
    expect(await owner.getByTestId('sign-off').getAttribute('data-signed')).toBe('current');

    // An officer of the case: the handover's berita acara and the evidence export.
    const officer = (await t.loginAs('tarakan.petugas-2')).page;
    await officer.evaluate((id) => { (globalThis as any).location.hash = `/cases/${id}`; }, caseId);
    const documents = officer.getByTestId('case-documents');
    await documents.locator('li[data-step=serah-terima-shift]').waitFor({ timeout: 10_000 });
    expect(await documents.locator('li').count()).toBe(1);
    await documents.scrollIntoViewIfNeeded();
    await t.screenshot(officer, 'case-documents');
    const html = await officer.evaluate(async (url) => (await fetch(url!)).text(), await documents.getByTestId('document-html').getAttribute('href'));
    expect(html).toContain('<h1>BERITA ACARA SERAH TERIMA</h1>');
    // 00:11 UTC on 2 March is 08.11 in Tarakan (WITA).
    expect(html).toContain('Pada hari ini, Senin, 2 Maret 2026 pukul 08.11 WITA');
    const { download, body: zip } = await downloaded(officer, 'export-zip');
    expect(download.suggestedFilename()).toBe(`case-${caseId}.zip`);
    expect(zip.subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');
    const files = await readZip(zip);
    const manifest = JSON.parse(files.get(MANIFEST_PATH)!.toString('utf8'));
    expect(manifest).toMatchObject({ caseId, sopId: 'tarakan-pemantau-cctv', organizationId: 'kota-tarakan' });
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('documents/serah-terima-shift-1.html');
    expect((await verifyExport(zip, t.api.alur.auditKeys)).status).toBe('ok');
    expect(await seriousA11yViolations(officer)).toEqual([]);
    expect(t.pageErrors).toEqual([]);
  });
});
