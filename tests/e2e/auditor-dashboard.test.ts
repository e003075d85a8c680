/**
 * An auditor in real Chromium: a Tarakan case driven through the API with one step run past its
 * waktu; the timing dashboard's chart (ECharts, SVG renderer) draws that step's bar, and only it,
 * in red, and clicking that bar lists the case behind it; the table shows the same step in red;
 * the CSV the page links to has exactly the table's rows; and every case's audit verifies. Then the organisation's administrator
 * manages users and API tokens on the same server (same browser, a context of their own).
 */
import { describe, expect, it } from 'vitest';
import { seriousA11yViolations, useBrowser } from '../support/browser-harness.js';
import { csvRecords } from '../support/csv-records.js';

const MINUTE = 60_000;

describe('auditor dashboard in Chromium', () => {
  const t = useBrowser();

  it('shows the one overdue step in red, links a CSV equal to the table, and verifies the audit', async () => {
    const [ani, budi] = await Promise.all(['tarakan.petugas', 'tarakan.petugas-2'].map((u) => t.api.login(u)));
    const started = await ani!.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift malam' });
    const command = async (client: typeof ani, body: unknown) => {
      const response = await client!.request('POST', `/api/v1/cases/${started.body.case.id}/commands`, body);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
    };
    t.api.clock.advance(4 * MINUTE);
    await command(ani, { type: 'complete', step: 'hadir-serah-terima', checklist: ['Jadwal Shift'] });
    // The handover runs 7 minutes against its 5: the deadline fires and marks it overdue.
    t.api.clock.advance(7 * MINUTE);
    await t.api.alur.runBackgroundWork();
    await command(ani, { type: 'complete', step: 'serah-terima-shift', checklist: ['Laporan'], party: 'penyerah', output: { catatan: 'Normal' } });
    await command(budi, { type: 'complete', step: 'serah-terima-shift', checklist: ['Laporan'], party: 'penerima', output: { catatan: 'Diterima' } });

    const { page } = await t.loginAs('tarakan.auditor');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('SOP').selectOption('tarakan-pemantau-cctv');
    const table = page.getByTestId('timing');
    await table.locator('tr[data-step=serah-terima-shift]').waitFor();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);

    const overdueRows = table.locator('tbody tr.overdue');
    expect(await overdueRows.count()).toBe(1);
    expect(await overdueRows.getAttribute('data-step')).toBe('serah-terima-shift');
    const badge = overdueRows.getByTestId('overdue-badge');
    expect(await badge.evaluate((el) => (globalThis as any).getComputedStyle(el).color)).toBe('rgb(161, 27, 27)');
    expect(await table.locator('tr[data-step=hadir-serah-terima]').textContent()).toContain('4 menit');

    // The chart: an SVG with a band per table row, labelled in Indonesian; one median bar in the table's red.
    const chart = page.getByTestId('timing-chart');
    await chart.locator('svg').waitFor();
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toBe('Grafik batang waktu 2 baris langkah terhadap mutu baku');
    const chartText = await chart.locator('svg').textContent();
    expect(chartText).toContain('Median tunggu');
    expect(chartText).toContain('Waktu dari tersedia sampai selesai');
    expect(chartText).toMatch(/\d+ menit/);
    const redBars = chart.locator('svg path[fill="#a11b1b"]');
    expect(await redBars.count()).toBe(1);
    const blueBars = chart.locator('svg path[fill="#0b5cad"]');
    expect(await blueBars.count()).toBeGreaterThanOrEqual(1);
    // The red bar is longer than the blue one: 7 minutes against 4.
    const width = async (bar: typeof redBars) => (await bar.boundingBox())!.width;
    const blueWidths = await Promise.all((await blueBars.all()).map(width));
    expect(await width(redBars)).toBeGreaterThan(Math.max(...blueWidths));
    const description = await page.locator(`#${await chart.getAttribute('aria-describedby')}`).textContent();
    expect(description).toContain('Serah Terima dengan teliti');
    await t.screenshot(page, 'auditor-dashboard');
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Its tooltip: the row's numbers in the UI's language.
    await redBars.hover();
    await expect.poll(() => chart.locator('div').filter({ hasText: 'Klik untuk melihat kasusnya' }).count()).toBeGreaterThan(0);
    const tooltip = await chart.textContent();
    expect(tooltip).toContain('Serah Terima dengan teliti');
    expect(tooltip).toMatch(/Mutu baku\s*5 menit/);
    expect(tooltip).toMatch(/Terlambat\s*1/);

    // The CSV behind the page's own link has the table's rows, value for value.
    const href = await page.getByTestId('csv-link').getAttribute('href');
    const csv = csvRecords(await page.evaluate(async (url) => (await fetch(url!)).text(), href));
    const shown = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => {
      const d = (tr as any).dataset as Record<string, string>;
      return { stepId: d.step, count: d.count, medianMs: d.medianMs, overdue: d.overdue };
    }));
    expect(csv.map((r) => ({ stepId: r.stepId, count: r.count, medianMs: r.medianMs, overdue: r.overdue }))).toEqual(shown);
    expect(csv.find((r) => r.stepId === 'serah-terima-shift')).toMatchObject({ overdue: '1', budgetMs: String(5 * MINUTE), medianMs: String(7 * MINUTE) });

    // Drill down from the overdue step's red bar to the case behind it, with the step's time there.
    await redBars.click();
    const behind = page.getByTestId('step-cases');
    await behind.locator(`tr[data-case="${started.body.case.id}"]`).waitFor();
    expect(await behind.getAttribute('data-step')).toBe('serah-terima-shift');
    expect(await behind.locator('tbody tr').count()).toBe(1);
    expect(await behind.locator('tbody tr').getAttribute('data-overdue')).toBe('true');
    expect(await behind.locator('tbody tr').textContent()).toContain('7 menit');
    // Every case against the jumlah waktu: this one still runs, so it has no verdict yet.
    const perCase = page.getByTestId('per-case').locator(`tr[data-case="${started.body.case.id}"]`);
    await perCase.waitFor();
    expect(await perCase.getAttribute('data-within')).toBe('');
    expect(await perCase.textContent()).toContain('Shift malam');
    // The table's own button opens the same list (the keyboard's way in); the other step's bar opens its own.
    await behind.getByRole('button', { name: 'Tutup' }).click();
    await table.locator('tr[data-step=hadir-serah-terima]').getByTestId('drill').click();
    await expect.poll(() => page.getByTestId('step-cases').getAttribute('data-step')).toBe('hadir-serah-terima');

    await page.getByRole('button', { name: 'Verifikasi ulang' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent(), { timeout: 10_000 }).toContain('1 kasus diperiksa, 0 rusak');

    // Per operator: one band per step and officer; a bar opens the cases behind that officer's row.
    await page.getByLabel('Kelompokkan per').selectOption('actor');
    await expect.poll(() => table.locator('tbody tr[data-step=serah-terima-shift]').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => chart.getAttribute('aria-label')).toBe('Grafik batang waktu 3 baris langkah terhadap mutu baku');
    expect(await chart.locator('svg path[fill="#a11b1b"]').count()).toBe(2);
    const officers = await table.locator('tbody tr[data-step=serah-terima-shift]').evaluateAll((trs) => trs.map((tr) => (tr as any).dataset.group as string));
    await chart.locator('svg path[fill="#a11b1b"]').last().click();
    await expect.poll(() => page.getByTestId('step-cases').getAttribute('data-group')).toBe(officers[1]);
    await page.getByTestId('step-cases').locator(`tr[data-case="${started.body.case.id}"]`).waitFor();
    // In English the chart's legend and axis follow, durations too.
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => chart.locator('svg').textContent()).toContain('Median waiting');
    expect(await chart.locator('svg').textContent()).toContain('Time from available to completed');
    expect(await chart.locator('svg').textContent()).toMatch(/\d+ min/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A period with no work in it: no rows, no chart, and the CSV link asks for the same period.
    await page.locator('#audit-from').fill('2001-01-01');
    await page.locator('#audit-to').fill('2001-01-31');
    await expect.poll(() => table.count(), { timeout: 10_000 }).toBe(0);
    expect(await chart.count()).toBe(0);
    expect(await page.getByTestId('csv-link').getAttribute('href')).toContain('from=2001-01-01&to=2001-01-31');

    expect(t.pageErrors).toEqual([]);
  });

  it('lets the administrator create a user, change roles, disable and enable, reset a password shown once, and revoke an API token', async () => {
    const login = async (username: string, password: string) =>
      (await fetch(`${t.api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).status;
    const petugas = await t.api.login('tarakan.petugas');
    const token = (await petugas.request('POST', '/api/v1/auth/tokens', { name: 'pemindai-malam' })).body.token as string;

    const { page } = await t.loginAs('tarakan.admin');
    await page.getByRole('link', { name: 'Administrasi' }).click();
    const form = page.getByTestId('create-user');
    await form.getByLabel('Nama pengguna').fill('tarakan.petugas-3');
    await form.getByLabel('Nama lengkap').fill('Petugas Tiga');
    await form.getByLabel('petugas', { exact: true }).check();
    await form.getByRole('button', { name: 'Buat pengguna' }).click();
    const first = await page.getByTestId('password-value').textContent();
    expect(first).toMatch(/.{12,}/);
    expect(await login('tarakan.petugas-3', first!)).toBe(200);
    await page.getByRole('button', { name: 'Sudah dicatat' }).click();
    expect(await page.getByTestId('new-password').count()).toBe(0);

    const row = page.getByTestId('users').locator('tr[data-user="tarakan.petugas-3"]');
    await row.getByRole('button', { name: 'Ubah peran' }).click();
    await row.getByTestId('role-editor').getByLabel('auditor').check();
    await row.getByRole('button', { name: 'Simpan peran' }).click();
    await expect.poll(() => row.locator('td').nth(2).textContent()).toContain('auditor');
    const users = await (await t.api.login('tarakan.admin')).request('GET', '/api/v1/users');
    expect(users.body.users.find((u: { username: string }) => u.username === 'tarakan.petugas-3').roles.sort()).toEqual(['auditor', 'petugas']);

    await row.getByRole('button', { name: 'Nonaktifkan' }).click();
    await expect.poll(() => row.getAttribute('data-disabled')).toBe('true');
    expect(await login('tarakan.petugas-3', first!)).toBe(401);
    await row.getByRole('button', { name: 'Aktifkan' }).click();
    await expect.poll(() => row.getAttribute('data-disabled')).toBe('false');
    expect(await login('tarakan.petugas-3', first!)).toBe(200);

    await row.getByRole('button', { name: 'Atur ulang kata sandi' }).click();
    const second = await page.getByTestId('password-value').textContent();
    expect(second).not.toBe(first);
    expect(await login('tarakan.petugas-3', first!)).toBe(401);
    expect(await login('tarakan.petugas-3', second!)).toBe(200);

    const tokenRow = page.getByTestId('tokens').locator('tr[data-token="pemindai-malam"]');
    expect(await tokenRow.getAttribute('data-status')).toBe('active');
    expect(await page.getByTestId('tokens').textContent()).not.toContain(token);
    await tokenRow.getByRole('button', { name: 'Cabut' }).click();
    await expect.poll(() => tokenRow.getAttribute('data-status')).toBe('revoked');
    expect((await fetch(`${t.api.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await t.screenshot(page, 'admin-users');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(t.pageErrors).toEqual([]);
  });
});
