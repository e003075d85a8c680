/**
 * A Tarakan shift in the web UI, in real headless Chromium: two petugas in two browsers, the task
 * appearing live for the second one, a checklist refusal shown at the checklist, a two-party
 * handover, larangan acknowledged before the camera check, and the switch to English.
 */
import { describe, expect, it } from 'vitest';
import { advanceClocks, indonesianLeftOn, seriousA11yViolations, useBrowser } from '../support/browser-harness.js';

describe('operator console (Tarakan shift) in Chromium', () => {
  const t = useBrowser();

  it('starts a shift, refuses an unticked checklist at the checklist, signs the handover in two browsers, and switches to English', async () => {
    const { page } = await t.loginAs('tarakan.petugas');
    const { page: other } = await t.loginAs('tarakan.petugas-2');

    // Indonesian by default.
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Tugas saya');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('id');
    await t.screenshot(page, 'operator-tasks');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Start a shift.
    await page.getByLabel('SOP').selectOption('tarakan-pemantau-cctv');
    await page.getByLabel('Judul kasus (boleh kosong)').fill('Shift pagi');
    await page.getByRole('button', { name: 'Mulai', exact: true }).click();
    await page.locator('[data-testid=open-steps] [data-step=hadir-serah-terima] a').click();

    // Completing without the kelengkapan: the engine's reason appears at the checklist.
    await page.locator('[data-testid=step][data-step=hadir-serah-terima]').waitFor();
    await page.getByRole('button', { name: 'Selesai dan kirim' }).click();
    const checklistError = page.getByTestId('checklist-error');
    await checklistError.waitFor();
    expect(await checklistError.textContent()).toContain('Kelengkapan belum dikonfirmasi');
    // Worded by the UI's catalogue from the refusal's code and parameters, not the API's English message.
    expect(await checklistError.textContent()).toContain('Konfirmasi dulu kelengkapan langkah "hadir-serah-terima": "Jadwal Shift"');
    expect(await checklistError.textContent()).not.toContain('confirm the kelengkapan');
    await t.screenshot(page, 'operator-step-refusal');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The other petugas watches Tugas saya: the handover task appears without a reload.
    await other.locator('[data-testid=tasks] [data-step=hadir-serah-terima]').waitFor();
    expect(await other.locator('[data-testid=tasks] [data-step=serah-terima-shift]').count()).toBe(0);

    // Its countdown against the 10-minute waktu turns amber in the last quarter, then red when overdue.
    const countdown = other.locator('[data-testid=tasks] [data-step=hadir-serah-terima] .countdown');
    expect(await countdown.getAttribute('data-urgency')).toBe('ok');
    await advanceClocks(t.api, [page, other], 8 * 60_000);
    await expect.poll(() => countdown.getAttribute('data-urgency'), { timeout: 10_000 }).toBe('soon');
    await advanceClocks(t.api, [page, other], 3 * 60_000);
    await t.api.alur.runBackgroundWork();
    await expect.poll(() => countdown.getAttribute('data-urgency'), { timeout: 10_000 }).toBe('overdue');
    await other.locator('[data-testid=tasks] tr.overdue[data-step=hadir-serah-terima]').waitFor();
    expect(await countdown.textContent()).toMatch(/^Terlambat 1 menit/);
    await other.locator('[data-testid=notifications] [data-kind=overdue]').waitFor();
    await t.screenshot(other, 'operator-tasks-overdue');

    // Beginning the work ends the waiting; the page says since when.
    await page.getByRole('button', { name: 'Mulai mengerjakan' }).click();
    await page.getByTestId('started').waitFor();
    await page.getByLabel('Jadwal Shift').check();
    await page.getByRole('button', { name: 'Selesai dan kirim' }).click();
    await other.locator('[data-testid=tasks] [data-step=serah-terima-shift]').waitFor();

    // The first petugas lands on the handover and signs as the outgoing party.
    await page.locator('[data-testid=step][data-step=serah-terima-shift]').waitFor();
    await page.getByLabel('Laporan').check();
    await page.getByLabel('Petugas shift sebelumnya').check();
    await page.getByLabel('Catatan serah terima').fill('Semua kamera normal');
    await page.getByRole('button', { name: 'Selesai dan kirim' }).click();
    await t.screenshot(page, 'operator-handover-signed');

    // The second signs the incoming side in the other browser.
    await other.locator('[data-testid=tasks] [data-step=serah-terima-shift] a.button').click();
    await other.locator('[data-testid=parties]').getByText('Sudah ditandatangani oleh tarakan.petugas').waitFor();
    await other.getByLabel('Laporan').check();
    await other.getByLabel('Petugas shift ini').check();
    await other.getByLabel('Catatan serah terima').fill('Diterima lengkap');
    await other.getByRole('button', { name: 'Selesai dan kirim' }).click();

    // The camera check needs both larangan acknowledged first.
    await other.locator('[data-testid=step][data-step=cek-kondisi-cctv]').waitFor();
    await other.getByLabel('List kelengkapan').check();
    await other.getByLabel('Semua CCTV dalam kondisi baik').check();
    // An array field of the output form, with rjsf's buttons in the UI's language.
    await other.getByRole('button', { name: 'Tambah', exact: true }).click();
    await other.locator('#output_kameraBermasalah_0').fill('Kamera Simpang 3');
    await other.getByRole('button', { name: 'Selesai dan kirim' }).click();
    const rules = other.getByTestId('rules');
    await rules.getByRole('alert').waitFor();
    expect(await rules.getByRole('alert').textContent()).toContain('Larangan belum dipahami');
    for (const rule of ['larangan-informasi-rekaman', 'larangan-ubah-hapus-data']) {
      await rules.locator(`[data-rule=${rule}] button`).click();
      await rules.locator(`[data-rule=${rule}] .badge`).waitFor();
    }
    await other.getByRole('button', { name: 'Selesai dan kirim' }).click();
    await other.locator('[data-testid=step][data-step=patroli-cctv]').waitFor();

    // English: the navigation, the headings and the form's labels of the UI itself.
    await other.getByTestId('lang-toggle').click();
    await expect.poll(() => other.locator('html').getAttribute('lang')).toBe('en');
    expect(await other.getByRole('navigation').textContent()).toContain('My tasks');
    expect(await other.getByTestId('checklist').locator('legend').textContent()).toBe('Requirements');
    expect(await other.getByRole('button', { name: 'Complete and submit' }).count()).toBe(1);
    await t.screenshot(other, 'operator-step-english');
    expect(await indonesianLeftOn(other)).toEqual([]);
    // A refusal in English: the same reason worded by the English catalogue.
    await other.getByRole('button', { name: 'Complete and submit' }).click();
    await expect.poll(() => other.getByTestId('checklist-error').textContent()).toContain('Confirm the requirements of step "patroli-cctv" first: "Patroli CCTV"');
    expect(await indonesianLeftOn(other)).toEqual([]);
    await other.getByRole('link', { name: 'My tasks' }).click();
    await other.getByRole('heading', { name: 'Start a case' }).waitFor();
    expect(await indonesianLeftOn(other)).toEqual([]);

    // The case page shows the done steps in the timeline with who did them.
    await page.goto(`${t.api.url}/#/cases`);
    await page.getByRole('link', { name: 'Shift pagi' }).click();
    const timeline = page.getByTestId('timeline');
    await timeline.locator('[data-step=cek-kondisi-cctv]').waitFor();
    expect(await timeline.locator('[data-step=serah-terima-shift]').textContent()).toContain('tarakan.petugas, tarakan.petugas-2');
    const recorded = await (await t.api.login('tarakan.petugas')).request('GET', `/api/v1/cases/${page.url().split('/cases/')[1]}`);
    expect(recorded.body.timeline.find((e: { step: string }) => e.step === 'cek-kondisi-cctv').output).toEqual({ semuaBaik: true, kameraBermasalah: ['Kamera Simpang 3'] });
    await t.screenshot(page, 'operator-case');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(t.pageErrors).toEqual([]);
  });

  it('requests a playback, which management approves with a disposition number in its own browser, seeing the task arrive live', async () => {
    const petugas = await t.api.login('tarakan.petugas');
    const started = await petugas.request('POST', '/api/v1/cases', { sopId: 'tarakan-pemantau-cctv', title: 'Shift siang' });
    const { page } = await t.loginAs('tarakan.petugas');
    const { page: manager } = await t.loginAs('tarakan.management');
    await manager.getByText('Tidak ada tugas terbuka untuk peran Anda.').waitFor();

    await page.goto(`${t.api.url}/#/cases/${started.body.case.id}`);
    await page.getByRole('button', { name: /^Mulai: Pemutaran Ulang rekaman CCTV/ }).click();
    await page.locator('[data-testid=open-steps] [data-step=permintaan-pemutaran] a').click();
    await page.getByLabel('Nama pemohon').fill('Budi Santoso');
    await page.getByLabel('Instansi').fill('Polres Tarakan');
    await page.getByLabel('Keperluan').fill('Penyelidikan kecelakaan');
    await page.getByLabel('Kamera').fill('Simpang Grand Tarakan');
    await page.getByLabel('Rekaman dari').fill('2026-03-01T08:00');
    // The end of the recording left empty: the server's reason appears under that field.
    await page.getByRole('button', { name: 'Selesai dan kirim' }).click();
    await page.locator('.rjsf .error-detail').getByText('Output langkah "permintaan-pemutaran": sampai wajib diisi').waitFor();
    await page.getByLabel('Rekaman sampai').fill('2026-03-01T08:30');
    await page.getByRole('button', { name: 'Selesai dan kirim' }).click();

    // Management's Tugas saya gets the approval live; it approves with the disposition number.
    await manager.locator('[data-testid=tasks] [data-step=izin-manajemen] a.button').click();
    await manager.getByLabel('Nomor surat perintah/disposisi').fill('SP/012/CCTV/2026');
    await manager.getByRole('button', { name: 'Setujui' }).click();
    await manager.getByRole('heading', { name: 'Langkah terbuka' }).waitFor();

    // The petugas plays the recording back, witnessed.
    await page.goto(`${t.api.url}/#/cases/${started.body.case.id}/steps/putar-rekaman`);
    await page.getByLabel('Disaksikan oleh').fill('Budi Santoso');
    await page.getByRole('button', { name: 'Selesai dan kirim' }).click();
    // Done: the next open step of this petugas in the case opens (the shift's first, still waiting).
    await page.locator('[data-testid=step][data-step=hadir-serah-terima]').waitFor();
    const detail = await petugas.request('GET', `/api/v1/cases/${started.body.case.id}`);
    const done = (step: string) => detail.body.timeline.find((e: { step: string }) => e.step === step);
    expect(done('permintaan-pemutaran').output).toMatchObject({ pemohon: 'Budi Santoso', dari: '2026-03-01T08:00:00.000Z', sampai: '2026-03-01T08:30:00.000Z' });
    expect(done('izin-manajemen')).toMatchObject({ outcome: 'approved', actors: ['tarakan.management'], output: { nomorSurat: 'SP/012/CCTV/2026' } });
    expect(done('putar-rekaman').completedAt).not.toBeNull();

    // Tablet sizes (landscape and portrait): the operator pages fit the width, nothing scrolls sideways.
    const caseUrl = `${t.api.url}/#/cases/${started.body.case.id}`;
    const pages: Array<[string, string, string]> = [
      ['tasks', `${t.api.url}/#/tasks`, '[data-testid=tasks], main h1'],
      ['step', `${caseUrl}/steps/hadir-serah-terima`, '[data-testid=step]'],
      ['case', caseUrl, '[data-testid=timeline]'],
      ['cameras', `${t.api.url}/#/cameras`, 'main h1'],
    ];
    for (const [width, height] of [[1024, 768], [800, 1280]] as const) {
      await page.setViewportSize({ width, height });
      for (const [name, url, ready] of pages) {
        await page.goto(url);
        await page.locator(ready).first().waitFor();
        const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow, `${name} at ${width}×${height} scrolls sideways by ${String(overflow)} px`).toBe(0);
        await t.screenshot(page, `tablet-${width}x${height}-${name}`);
      }
    }
    expect(t.pageErrors).toEqual([]);
  });
});
