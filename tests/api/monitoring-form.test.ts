/**
 * The monitoring form (Monitoring Pelaksanaan SOP AP) of a period, filled from cases run through
 * the API on the harness clock. The expected figures are worked out here from the scenario, not
 * read back from the statistics the form is built on.
 */
import { describe, expect, it } from 'vitest';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const MINUTE = 60_000;
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const STEPS = [
  { who: 'pontianak.kadis', command: { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['A'] } } },
  { who: 'pontianak.opd', command: { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'a', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } } },
  { who: 'pontianak.kadis', command: { type: 'complete', step: 'disposisi-ke-bidang', checklist: KIT } },
  { who: 'pontianak.kabid-tkpbet', command: { type: 'complete', step: 'disposisi-ke-seksi', checklist: KIT } },
  { who: 'pontianak.kasi-sptik', command: { type: 'complete', step: 'setting-relay', checklist: KIT, output: { streamKey: 'a', playUrl: 'http://127.0.0.1/a.flv', status: 'berjalan' } } },
  { who: 'pontianak.kasi-sptik', command: { type: 'complete', step: 'lapor-hasil-relay', checklist: KIT, output: { ringkasan: 'ok' } } },
];

describe.each(dialects)('monitoring form on $name', (dialect) => {
  const t = useApi(dialect);

  it('assesses each step of the period from its measured times, as JSON, HTML and CSV, for auditors only', async () => {
    const clients = new Map<string, ApiClient>();
    for (const who of new Set(STEPS.map((s) => s.who))) clients.set(who, await t.api.login(who));
    /** One case; the first step takes `firstMinutes`, every other step 10 minutes. */
    const run = async (firstMinutes: number) => {
      const { body } = await clients.get('pontianak.kadis')!.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' });
      for (const [i, step] of STEPS.entries()) {
        t.api.clock.advance((i === 0 ? firstMinutes : 10) * MINUTE);
        // Deadlines that came due fire now (an overdue first step is marked so).
        await t.api.alur.runBackgroundWork();
        const done = await clients.get(step.who)!.request('POST', `/api/v1/cases/${body.case.id}/commands`, step.command);
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
    };
    const from = t.api.clock.now().toISOString();
    await run(10);
    await run(20);
    const to = t.api.clock.now().toISOString();
    t.api.clock.advance(MINUTE);
    await run(50); // after the period: not counted

    const auditor = await t.api.login('pontianak.auditor');
    const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.parse(to) + 1).toISOString())}`;
    const json = await auditor.request('GET', `/api/v1/sops/pontianak-relay-tayangan/monitoring?${query}`);
    expect(json.status).toBe(200);
    const rows = json.body.form.rows;
    expect(rows.map((r: any) => [r.number, r.stepId])).toEqual([
      ['1', 'surat-permintaan-relay'], ['2', 'beri-akses-tayang'], ['3', 'disposisi-ke-bidang'], ['4', 'disposisi-ke-seksi'], ['5', 'setting-relay'], ['6', 'lapor-hasil-relay'],
    ]);
    // Row 1: 10 and 20 minutes against 15: half within, median 15, one overdue.
    expect(rows[0]).toMatchObject({ assessment: 'tidak-berjalan', count: 2, withinBudget: 0.5, medianMs: 15 * MINUTE, budgetMs: 15 * MINUTE, overdue: 1 });
    expect(rows[0].note).toBe('2 kali dilaksanakan; 50% selesai dalam waktu 15 menit; median 15 menit, terlama 20 menit; 1 kali melewati batas waktu.');
    for (const row of rows.slice(1)) expect(row).toMatchObject({ assessment: 'berjalan', count: 2, withinBudget: 1, medianMs: 10 * MINUTE, overdue: 0 });

    const html = await auditor.request('GET', `/api/v1/sops/pontianak-relay-tayangan/monitoring?${query}&format=html`);
    expect(html.contentType).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('MONITORING PELAKSANAAN SOP AP');
    expect(html.body.match(/data-assessment="berjalan"/g)).toHaveLength(5);
    expect(html.body.match(/data-assessment="tidak-berjalan"/g)).toHaveLength(1);
    const csv = await auditor.request('GET', `/api/v1/sops/pontianak-relay-tayangan/monitoring?${query}&format=csv`);
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    expect(csv.body.trim().split('\n')).toHaveLength(7);

    // The whole record, without a period, counts the late case too.
    const all = await auditor.request('GET', '/api/v1/sops/pontianak-relay-tayangan/monitoring');
    expect(all.body.form.rows[0]).toMatchObject({ count: 3, medianMs: 20 * MINUTE });

    expect((await clients.get('pontianak.kadis')!.request('GET', '/api/v1/sops/pontianak-relay-tayangan/monitoring')).status).toBe(403);
    expect((await (await t.api.login('tarakan.auditor')).request('GET', '/api/v1/sops/pontianak-relay-tayangan/monitoring')).status).toBe(404);
  });
});
