import { describe, expect, it } from 'vitest';
import { monitoringCsv, monitoringForm, monitoringHtml } from '../../src/app/documents/monitoring-form.js';
import { loadSeed } from '../support/seeds.js';

const M = 60_000;

describe('monitoring form', () => {
  const definition = loadSeed('tarakan');

  it('has a row per step that runs (not larangan, not the end), numbered as the flowchart is', () => {
    const form = monitoringForm(definition, [], { revision: 1, from: null, to: null });
    expect(form.rows.map((r) => `${r.number} ${r.stepId}`)).toEqual([
      '1 hadir-serah-terima', '2 serah-terima-shift', '3 cek-kondisi-cctv', '4 patroli-cctv', '5 ada-temuan', '5 lapor-pimpinan',
      '6 berita-acara-tindak-lanjut', '4 shift-berakhir', '9.1 permintaan-pemutaran', '9.2 izin-manajemen', '9.3 putar-rekaman', '10 serah-terima-akhir',
    ]);
    expect(form.rows.every((r) => r.assessment === 'belum-dilaksanakan')).toBe(true);
  });

  it('runs well only at or above the threshold and with nothing overdue; a step without waktu runs well when done', () => {
    const figures = [
      { stepId: 'hadir-serah-terima', count: 10, budgetMs: 10 * M, medianMs: 9 * M, maxMs: 11 * M, withinBudget: 0.9, overdue: 0 },
      { stepId: 'cek-kondisi-cctv', count: 10, budgetMs: 5 * M, medianMs: 4 * M, maxMs: 6 * M, withinBudget: 0.9, overdue: 1 },
      { stepId: 'patroli-cctv', count: 10, budgetMs: 10 * M, medianMs: 9 * M, maxMs: 20 * M, withinBudget: 0.8, overdue: 0 },
      { stepId: 'serah-terima-akhir', count: 3, budgetMs: null, medianMs: 7 * M, maxMs: 9 * M, withinBudget: null, overdue: 0 },
    ];
    const rows = new Map(monitoringForm(definition, figures, { revision: 1, from: null, to: null }).rows.map((r) => [r.stepId, r]));
    expect(rows.get('hadir-serah-terima')!.assessment).toBe('berjalan');
    expect(rows.get('cek-kondisi-cctv')!.assessment).toBe('tidak-berjalan');
    expect(rows.get('patroli-cctv')!.assessment).toBe('tidak-berjalan');
    expect(rows.get('serah-terima-akhir')).toMatchObject({ assessment: 'berjalan', note: '3 kali dilaksanakan; median 7 menit (tanpa baku waktu).' });
    const lenient = monitoringForm(definition, figures, { revision: 1, from: null, to: null, threshold: 0.8 });
    expect(lenient.rows.find((r) => r.stepId === 'patroli-cctv')!.assessment).toBe('berjalan');
  });

  it('keeps text from becoming a spreadsheet formula in CSV, and markup in HTML', () => {
    const hostile = { ...definition, steps: definition.steps.map((s) => (s.id === 'hadir-serah-terima' ? { ...s, activity: '=HYPERLINK("http://x") <b>' } : s)) };
    const form = monitoringForm(hostile, [], { revision: 1, from: '2026-03-01T00:00:00.000Z', to: null });
    expect(monitoringCsv(form).split('\n')[1]).toContain(`"'=HYPERLINK(""http://x"") <b>"`);
    const html = monitoringHtml(form);
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;) &lt;b&gt;');
    expect(html).toContain('dari 1 Maret 2026 00.00 UTC');
  });

  it('counts refusals without holding them against the step, in the note and the CSV', () => {
    const figures = [{ stepId: 'izin-manajemen', count: 4, budgetMs: null, medianMs: 3 * M, maxMs: 5 * M, withinBudget: null, overdue: 0, refused: 1 }];
    const form = monitoringForm(definition, figures, { revision: 1, from: null, to: null });
    expect(form.rows.find((r) => r.stepId === 'izin-manajemen')).toMatchObject({ assessment: 'berjalan', refused: 1, note: '4 kali dilaksanakan; median 3 menit (tanpa baku waktu); 1 kali ditolak.' });
    const [header, ...lines] = monitoringCsv(form).trim().split('\n');
    expect(header).toBe('no,stepId,prosedur,penilaian,jumlah,dalamWaktu,medianMs,bakuWaktuMs,terlambat,ditolak,catatan,tindakan');
    expect(lines.find((l) => l.startsWith('9.2,izin-manajemen'))).toContain(',180000,,0,1,');
  });

  it('prints the period and the sign-off in the organisation\'s zone', () => {
    const form = monitoringForm(definition, [], { revision: 1, from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z', timeZone: 'Asia/Makassar' });
    const html = monitoringHtml({ ...form, signedOff: { by: 'auditor', at: '2026-04-01T01:30:00.000Z', current: true } });
    expect(html).toContain('dari 1 Maret 2026 00.00 WITA sampai sebelum 1 April 2026 00.00 WITA');
    expect(html).toContain('disahkan 1 April 2026 09.30 WITA');
  });
});
