/**
 * A whole Pontianak relay case in real Chromium by its four roles, each in its own browser
 * context on Tugas saya: every task appears live (SSE) when the previous role finishes, and is
 * done through the guided step page (kelengkapan, output forms with a date, an array and a choice).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser-harness.js';

const KIT = ['IP', 'Internet', 'Komputer', 'DII'];

describe('Pontianak relay by four roles in Chromium', () => {
  const t = useBrowser();

  it('passes the case from role to role, each seeing the task arrive without a reload', async () => {
    const [kadis, opd, kabid, kasi] = await Promise.all(
      ['pontianak.kadis', 'pontianak.opd', 'pontianak.kabid-tkpbet', 'pontianak.kasi-sptik'].map(async (user) => (await t.loginAs(user)).page),
    );

    /** Waits on `page`'s Tugas saya for `step` to arrive live, opens it, ticks the kit, fills the form, submits. */
    const work = async (page: Page, step: string, kit: string[], fill: () => Promise<void> = async () => {}) => {
      await page.goto(`${t.api.url}/#/tasks`);
      await page.locator(`[data-testid=tasks] [data-step=${step}] a.button`).click();
      await page.locator(`[data-testid=step][data-step=${step}]`).waitFor();
      for (const item of kit) await page.getByLabel(item, { exact: true }).check();
      await fill();
      await page.getByRole('button', { name: 'Selesai dan kirim' }).click();
      await page.locator(`[data-testid=step][data-step=${step}]`).waitFor({ state: 'detached' });
    };

    // The others wait on Tugas saya while the Kadis starts the case; a marker in each page proves it is never reloaded.
    for (const page of [opd!, kabid!, kasi!]) {
      await page.getByText('Tidak ada tugas terbuka untuk peran Anda.').waitFor();
      await page.evaluate(() => { (globalThis as any).alurNotReloaded = true; });
    }
    await kadis!.getByLabel('SOP').selectOption('pontianak-relay-tayangan');
    await kadis!.getByLabel('Judul kasus (boleh kosong)').fill('Relay Tanjungpura');
    await kadis!.getByRole('button', { name: 'Mulai', exact: true }).click();
    await kadis!.locator('[data-testid=open-steps] [data-step=surat-permintaan-relay]').waitFor();

    await work(kadis!, 'surat-permintaan-relay', ['Surat (memuat lokasi diminta/ diusulkan)'], async () => {
      // The fields in the SOP's order (nomor, tanggal, lokasi), though the stored schema's keys are not.
      const labels = await kadis!.locator('.rjsf label.control-label, .rjsf legend').allTextContents();
      expect(labels.slice(0, 3).map((l) => l.replace('*', '').trim())).toEqual(['Nomor surat', 'Tanggal surat', 'Lokasi kamera yang diminta/diusulkan']);
      await kadis!.getByLabel('Nomor surat').fill('555/12/DKI/2026');
      await kadis!.getByLabel('Tanggal surat').fill('2026-03-02');
      // minItems: 1, so the form starts with one location to fill.
      await kadis!.locator('#output_lokasi_0').fill('Simpang Tanjungpura');
    });
    await work(opd!, 'beri-akses-tayang', KIT, async () => {
      await opd!.getByLabel('Nama kamera').fill('Tanjungpura');
      await opd!.getByLabel('Alamat stream (RTSP/RTMP/HTTP)').fill('rtsp://127.0.0.1:8554/tj');
      await opd!.getByLabel('Referensi kredensial').fill('vault:opd/tj');
    });
    await work(kadis!, 'disposisi-ke-bidang', KIT);
    await work(kabid!, 'disposisi-ke-seksi', KIT);
    await work(kasi!, 'setting-relay', KIT, async () => {
      await kasi!.getByLabel('Kunci stream').fill('tj');
      await kasi!.getByLabel('Alamat tayang di Data Center').fill('http://127.0.0.1:8000/live/tj.flv');
      // Only media.startRelay may report "berjalan" (no media server runs here), so the Kasi reports it failed.
      await kasi!.getByLabel('Status relay').selectOption('gagal');
    });
    // The last step is the same person's: the page opens it directly.
    await kasi!.locator('[data-testid=step][data-step=lapor-hasil-relay]').waitFor();
    for (const item of KIT) await kasi!.getByLabel(item, { exact: true }).check();
    await kasi!.getByLabel('Ringkasan hasil relay').fill('Relay gagal, kamera tidak merespons');
    await kasi!.getByRole('button', { name: 'Selesai dan kirim' }).click();

    // The case page: completed, every step done by its role.
    await kasi!.getByRole('heading', { name: /Relay Tanjungpura/ }).waitFor();
    await kasi!.getByText('Selesai', { exact: true }).first().waitFor();
    const timeline = kasi!.getByTestId('timeline');
    const actors = await timeline.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-step'), row.children[5]?.textContent]));
    expect(actors).toEqual([
      ['surat-permintaan-relay', 'pontianak.kadis'], ['beri-akses-tayang', 'pontianak.opd'], ['disposisi-ke-bidang', 'pontianak.kadis'],
      ['disposisi-ke-seksi', 'pontianak.kabid-tkpbet'], ['setting-relay', 'pontianak.kasi-sptik'], ['lapor-hasil-relay', 'pontianak.kasi-sptik'],
    ]);
    await t.screenshot(kasi!, 'pontianak-case-completed');
    for (const page of [opd!, kabid!, kasi!]) expect(await page.evaluate(() => (globalThis as any).alurNotReloaded)).toBe(true);
    expect(t.pageErrors).toEqual([]);
  });
});
