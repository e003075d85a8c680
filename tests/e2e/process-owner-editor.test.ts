/**
 * A process owner in real Chromium: a broken SOP in the browser editor is marked inline by the
 * server's own validator with the fix it suggests, the fixed file previews as a flowchart with its
 * time simulation, and Publish makes a new revision.
 */
import { describe, expect, it } from 'vitest';
import { seriousA11yViolations, useBrowser } from '../support/browser-harness.js';
import { seedText } from '../support/seeds.js';

describe('process owner workspace in Chromium', () => {
  const t = useBrowser();

  it('fixes a broken SOP guided by the inline diagnostic, previews it and publishes revision 2', async () => {
    // A case already running on revision 1: it must keep being drawn by revision 1 after revision 2 is out.
    const petugas = await t.api.login('tarakan.petugas');
    const onRevision1 = await petugas.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift pagi' });
    expect(onRevision1.status).toBe(201);
    const { context, page } = await t.loginAs('tarakan.process-owner');
    await page.getByRole('link', { name: 'SOP', exact: true }).click();
    await page.locator('[data-sop=tarakan-pemantau-cctv]').getByRole('link', { name: 'Ubah' }).click();
    const editor = page.getByTestId('yaml-editor');
    await editor.waitFor();
    await expect.poll(() => page.getByTestId('validity').textContent(), { timeout: 20_000 }).toBe('SOP valid: tidak ada kesalahan.');

    // Break it: a loop that exits to a step that does not exist.
    const seed = seedText('tarakan');
    const broken = seed.replace('exit: serah-terima-akhir', 'exit: serah-terima-akhr');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(broken);
    const diagnostics = page.getByTestId('diagnostics');
    await expect.poll(() => diagnostics.textContent(), { timeout: 15_000 }).toContain('did you mean "serah-terima-akhir"');
    const brokenLine = broken.split('\n').findIndex((line) => line.includes('serah-terima-akhr')) + 1;
    expect(await diagnostics.textContent()).toContain(`baris ${brokenLine}`);

    // Jump to it from the list: the editor scrolls there and marks the text at fault.
    await diagnostics.getByRole('button').first().click();
    await page.locator('.cm-lintRange-error').first().waitFor();
    expect(await page.locator('.cm-activeLine').textContent()).toContain('exit: serah-terima-akhr');
    await t.screenshot(page, 'process-owner-diagnostic');

    // Fix it, bump the version and reword one activity.
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(seed.replace('version: 1', 'version: 2').replace('activity: Membuat berita acara tindak lanjut', 'activity: Menyusun berita acara tindak lanjut'));
    await expect.poll(() => page.getByTestId('validity').textContent(), { timeout: 15_000 }).toBe('SOP valid: tidak ada kesalahan.');
    await page.getByTestId('swimlane').locator('[data-step=serah-terima-akhir]').waitFor();
    expect(await page.getByTestId('simulation').textContent()).toContain('Hadir 30 Menit');
    // The change against the published revision, inline: the version line, old and new.
    await page.getByTestId('compare').click();
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.locator('.cm-deletedChunk').getByText('version: 1').waitFor();
    expect(await page.getByTestId('compare').getAttribute('aria-pressed')).toBe('true');
    await t.screenshot(page, 'process-owner-preview');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Terbitkan' }).click();
    await expect.poll(() => page.getByTestId('published').textContent(), { timeout: 20_000 }).toBe('Diterbitkan sebagai revisi 2.');
    const owner = await t.api.login('tarakan.process-owner');
    const sop = await owner.request('GET', '/api/v1/sops/tarakan-pemantau-cctv');
    expect(sop.body.latest).toMatchObject({ revision: 2, declaredVersion: 2, publishedBy: 'tarakan.process-owner' });

    // The SOP page says which running cases are on which revision: the early case stays on revision 1.
    await page.getByRole('link', { name: 'SOP', exact: true }).click();
    const sopCard = page.locator('[data-sop=tarakan-pemantau-cctv]');
    await expect.poll(() => sopCard.locator('[data-revision="1"] [data-testid=revision-cases]').getAttribute('data-count'), { timeout: 10_000 }).toBe('1');
    expect(await sopCard.locator('[data-revision="2"] [data-testid=revision-cases]').getAttribute('data-count')).toBe('0');
    // Each revision prints its own official document: revision 2's has the new wording, as a PDF.
    const pdfHref = await sopCard.locator('[data-revision="2"] [data-testid=document-pdf]').getAttribute('href');
    const pdf = await page.request.get(`${t.api.url}${pdfHref}`);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const html = await page.request.get(`${t.api.url}${await sopCard.locator('[data-revision="1"] [data-testid=document-html]').getAttribute('href')}`);
    expect(html.status()).toBe(200);
    expect(await html.text()).toContain('Petugas Pemantau CCTV');
    await sopCard.locator('[data-revision="1"] summary').click();
    expect(await sopCard.locator(`[data-revision="1"] a[data-case="${onRevision1.body.case.id}"]`).textContent()).toBe('Shift pagi');

    // A new tab (no sessionStorage) is logged in already: /auth/me hands it the session's CSRF token.
    const tab = await context.newPage();
    tab.on('pageerror', (error) => t.pageErrors.push(`pageerror: ${error.message}`));
    // The case started before is drawn from its own revision 1, not the latest.
    await tab.goto(`${t.api.url}/#/cases/${onRevision1.body.case.id}`);
    const flowHeading = tab.getByTestId('flow-revision');
    await flowHeading.waitFor();
    expect(await flowHeading.getAttribute('data-revision')).toBe('1');
    const swimlane = tab.getByTestId('swimlane');
    expect(await swimlane.locator('[data-step=berita-acara-tindak-lanjut]').textContent()).toContain('Membuat berita acara');
    expect(await swimlane.textContent()).not.toContain('Menyusun berita acara');
    // The new tab's POSTs carry the CSRF token: the editor's validation (a POST) answers.
    await tab.goto(`${t.api.url}/#/sops/tarakan-pemantau-cctv`);
    await expect.poll(() => tab.getByTestId('validity').textContent(), { timeout: 20_000 }).toBe('SOP valid: tidak ada kesalahan.');
    expect(await tab.evaluate('sessionStorage.getItem("alur.csrf")')).toMatch(/.{16,}/);
    expect(t.pageErrors).toEqual([]);
  });
});
