/**
 * The flowchart table of the official SOP document, checked by its structure rather than by pixels:
 * one lane per pelaksana in order, every row with its mutu baku, the symbol each step kind is drawn
 * with, arrows joining the right steps (across page breaks through numbered off-page connectors),
 * orthogonal arrows that pass through no symbol, no overlapping symbols, ya/tidak on decisions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutFlowchart } from '../../src/app/documents/flowchart-layout.js';
import type { FlowchartLayout } from '../../src/app/documents/flowchart-geometry.js';
import { flowchartSvg } from '../../src/app/documents/flowchart-svg.js';
import { identityHtml, indonesianDate } from '../../src/app/documents/identity-html.js';
import { sopDocumentHtml } from '../../src/app/documents/sop-document-html.js';
import { validateSop, type SopDefinition } from '../../src/engine/index.js';
import { expectSoundGeometry, logicalEdges } from '../support/flowchart-checks.js';
import { loadSeed } from '../support/seeds.js';

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

function symbolKinds(layout: FlowchartLayout): Record<string, string> {
  return Object.fromEntries(layout.pages.flatMap((p) => p.symbols.filter((s) => s.stepId).map((s) => [s.id, s.kind])));
}

function fixture(name: string): SopDefinition {
  const file = new URL(`../fixtures/sops/${name}.yaml`, import.meta.url);
  return validateSop(readFileSync(file, 'utf8'), name).definition!;
}

describe('flowchart table of Tarakan "Petugas Pemantau CCTV"', () => {
  const definition = loadSeed('tarakan');
  const layout = layoutFlowchart(definition);

  it('has one lane per pelaksana, in the order of the roles, under the SOP\'s own headings', () => {
    expect(layout.columns.map((c) => c.key)).toEqual(['number', 'activity', 'lane', 'lane', 'lane', 'requirements', 'time', 'output', 'note']);
    expect(layout.columns.filter((c) => c.key === 'lane').map((c) => [c.role, c.title])).toEqual([['petugas', 'Petugas'], ['management', 'Management'], ['kepala-upt', 'Kepala UPT']]);
    expect(layout.labels).toMatchObject({ activity: 'Kegiatan', requirements: 'Kelengkapan', time: 'Waktu', output: 'Output', qualityStandard: 'Mutu Baku' });
  });

  it('prints every row once, numbered 1–11 as the paper is, with the jumlah waktu at the foot', () => {
    expectSoundGeometry(definition, layout);
    const main = layout.pages.filter((p) => !p.caption);
    const numbers = main.flatMap((p) => p.rows.map((r) => r.number)).filter((n) => n !== '');
    expect(numbers).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    const last = main[main.length - 1]!;
    expect(last.footer).toMatchObject({ label: 'Jumlah Waktu', total: '1 jam 35 menit' });
    // Larangan rows are printed as rows of the table, with their mutu baku, and no symbol.
    const rule = main.flatMap((p) => p.rows).find((r) => r.stepId === 'larangan-ubah-hapus-data')!;
    expect(rule.cells.time).toEqual(['1 jam']);
    expect(layout.pages.flatMap((p) => p.symbols).some((s) => s.stepId === 'larangan-ubah-hapus-data')).toBe(false);
  });

  it('draws each step kind with its Permenpan symbol', () => {
    expect(symbolKinds(layout)).toEqual({
      'hadir-serah-terima': 'terminator', 'serah-terima-shift': 'process', 'cek-kondisi-cctv': 'process', 'patroli-cctv': 'process',
      'ada-temuan': 'decision', 'lapor-pimpinan': 'process', 'berita-acara-tindak-lanjut': 'process', 'shift-berakhir': 'decision',
      'pemutaran-ulang-rekaman': 'connector', 'serah-terima-akhir': 'process', 'pekerjaan-selesai': 'terminator',
      'permintaan-pemutaran': 'terminator', 'izin-manajemen': 'decision', 'putar-rekaman': 'terminator',
    });
    const procedure = layout.pages.flatMap((p) => p.symbols).find((s) => s.id === 'pemutaran-ulang-rekaman')!;
    expect(procedure.label).toBe('A');
  });

  it('joins the steps as the SOP flows, with ya/tidak on the decisions', () => {
    expect(logicalEdges(layout)).toEqual([
      'ada-temuan -tidak-> shift-berakhir', 'ada-temuan -ya-> lapor-pimpinan', 'berita-acara-tindak-lanjut --> shift-berakhir',
      'cek-kondisi-cctv --> patroli-cctv', 'entry:A --> permintaan-pemutaran', 'hadir-serah-terima --> serah-terima-shift',
      'izin-manajemen -ya-> putar-rekaman', 'lapor-pimpinan --> berita-acara-tindak-lanjut', 'patroli-cctv --> ada-temuan',
      'permintaan-pemutaran --> izin-manajemen', 'serah-terima-akhir --> pekerjaan-selesai', 'serah-terima-shift --> cek-kondisi-cctv',
      'shift-berakhir -tidak-> serah-terima-akhir', 'shift-berakhir -ya-> patroli-cctv',
    ]);
  });

  it('draws the loop back up, and leaves a decision by different sides for ya and tidak', () => {
    const page = layout.pages.find((p) => p.symbols.some((s) => s.id === 'shift-berakhir'))!;
    const back = page.arrows.find((a) => a.from === 'shift-berakhir' && a.label === 'ya')!;
    expect(back.points[back.points.length - 1]!.y).toBeLessThan(back.points[0]!.y);
    const [ya, tidak] = ['ya', 'tidak'].map((label) => page.arrows.find((a) => a.from === 'ada-temuan' && a.label === label)!.points[0]!);
    expect(ya).not.toEqual(tidak);
  });

  it('breaks the table over A4 pages with a numbered pair of off-page connectors per arrow that crosses', () => {
    const main = layout.pages.filter((p) => !p.caption);
    expect(main.length).toBeGreaterThan(1);
    const connectors = main.flatMap((p, page) => p.symbols.filter((s) => s.id.startsWith('conn:')).map((s) => ({ page, id: s.id, label: s.label })));
    expect(connectors.length).toBeGreaterThan(0);
    for (const out of connectors.filter((c) => c.id.startsWith('conn:bottom:'))) {
      const partner = connectors.find((c) => c.id.startsWith('conn:top:') && c.label === out.label)!;
      expect(partner.page).not.toBe(out.page);
      // The continuation reaches the step the arrow was going to.
      const target = out.id.split(':')[2];
      expect(main[partner.page]!.arrows.some((a) => a.from === partner.id && a.to === target)).toBe(true);
    }
  });

  it('draws the on-demand procedure as its own chart, entered through its connector letter', () => {
    const chart = layout.pages.find((p) => p.caption)!;
    expect(flat(chart.caption!.join(' '))).toContain('Bagan A (9): Pemutaran Ulang rekaman CCTV');
    expect(chart.rows.filter((r) => r.kind === 'step').map((r) => r.number)).toEqual(['9.1', '9.2', '9.3']);
    expect(chart.symbols.find((s) => s.id === 'entry:A')).toMatchObject({ kind: 'connector', label: 'A', role: 'petugas' });
    expect(chart.symbols.find((s) => s.id === 'izin-manajemen')!.role).toBe('management');
  });

  it('renders the layout as SVG: the same symbols, arrows and labels, and the same text every time', () => {
    const svg = flowchartSvg(layout);
    expect(flowchartSvg(layoutFlowchart(definition))).toBe(svg);
    for (const symbol of layout.pages.flatMap((p) => p.symbols)) expect(svg).toContain(`data-id="${symbol.id}" data-kind="${symbol.kind}" data-role="${symbol.role}"`);
    for (const arrow of layout.pages.flatMap((p) => p.arrows)) expect(svg).toContain(`data-from="${arrow.from}" data-to="${arrow.to}" data-kind="${arrow.kind}"${arrow.label ? ` data-label="${arrow.label}"` : ''}`);
    expect(svg.match(/class="branch-label"/g)).toHaveLength(5);
    expect(svg.match(/class="sop-flowchart-page"/g)).toHaveLength(layout.pages.length);
    expect(svg).toContain('>Dilarang mengubah, menghapus data</tspan>');
  });
});

describe('flowchart table of Pontianak "Relay Tayangan Surveillance"', () => {
  const definition = loadSeed('pontianak');
  const layout = layoutFlowchart(definition);

  it('fits one page: six rows across four lanes, first and last as terminators, joined in order', () => {
    expectSoundGeometry(definition, layout);
    expect(layout.pages).toHaveLength(1);
    expect(layout.columns.filter((c) => c.key === 'lane').map((c) => c.title)).toEqual(['OPD/ Badan/ Kecamatan', 'Kadis Kominfo', 'Kabid. TKPBET', 'Kasi. SPTIK']);
    const page = layout.pages[0]!;
    expect(page.rows.map((r) => r.number)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(page.symbols.map((s) => `${s.id}:${s.kind}:${s.role}`)).toEqual([
      'surat-permintaan-relay:terminator:kadis', 'beri-akses-tayang:process:opd', 'disposisi-ke-bidang:process:kadis',
      'disposisi-ke-seksi:process:kabid-tkpbet', 'setting-relay:process:kasi-sptik', 'lapor-hasil-relay:terminator:kasi-sptik',
    ]);
    expect(logicalEdges(layout)).toEqual([
      'beri-akses-tayang --> disposisi-ke-bidang', 'disposisi-ke-bidang --> disposisi-ke-seksi', 'disposisi-ke-seksi --> setting-relay',
      'setting-relay --> lapor-hasil-relay', 'surat-permintaan-relay --> beri-akses-tayang',
    ]);
    expect(page.footer).toMatchObject({ total: '135 menit' });
    expect(page.rows[1]!.cells.requirements.join(' ')).toBe('IP, Internet, Komputer, DII');
  });
});

describe('a row several pelaksana do, alternatives and the office\'s own labels', () => {
  const definition = fixture('kabupaten-cuti-tahunan');
  const layout = layoutFlowchart(definition);

  it('draws the row in each pelaksana\'s lane, joined (dashed when any one of them may do it), under the office\'s headings', () => {
    expectSoundGeometry(definition, layout);
    const page = layout.pages[0]!;
    expect(layout.labels).toMatchObject({ requirements: 'Persyaratan', output: 'Hasil' });
    expect(page.symbols.filter((s) => s.stepId === 'ajukan-permohonan').map((s) => s.role)).toEqual(['pemohon', 'admin-kepegawaian']);
    expect(page.arrows.filter((a) => a.kind !== 'flow').map((a) => `${a.from}~${a.to}:${a.kind}`)).toEqual([
      'ajukan-permohonan~ajukan-permohonan@admin-kepegawaian:together', 'verifikasi~verifikasi@kasubbid:either',
    ]);
    expect(page.rows[0]!.cells.requirements.join(' ')).toContain('salah satu: Surat keterangan dokter / Keterangan partus / SK terakhir');
    expect(page.symbols.find((s) => s.id === 'selesai')).toMatchObject({ kind: 'terminator', role: 'kabid' });
    expect(page.footer!.total).toBe('1 jam 15 menit');
    expect(flowchartSvg(layout)).toContain('stroke-dasharray');
  });

  it('leaves blank identity fields blank', () => {
    const html = identityHtml(definition.identity);
    expect(html).toContain('<td data-field="number"></td>');
    expect(html).toContain('<td data-field="revised"></td>');
    expect(html).toContain('<div class="name"></div>');
    expect(html).toContain('1 Februari 2024');
  });
});

describe('the document as HTML', () => {
  it('puts the identity table first, then one sheet per page of the flowchart, escaped, with the font inlined and nothing fetched', () => {
    const definition = loadSeed('pontianak');
    const html = sopDocumentHtml(definition, { fontCss: '@font-face { font-family: Arimo; src: url(data:font/woff2;base64,AAAA) }' });
    expect(html.indexOf('data-part="identity"')).toBeLessThan(html.indexOf('data-part="flowchart"'));
    expect(html.match(/data-part="flowchart"/g)).toHaveLength(1);
    expect(html).toContain('<div class="nip">NIP. 19610329 198903 1 004</div>');
    expect(html).toContain('<div class="rank">Pembina Utama Muda</div>');
    expect(html).toContain('<td data-field="effective">2020</td>');
    expect(html).toContain('size: A4 landscape');
    expect(html).toContain('counter(page)');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toContain('<script');
    const hostile = { ...definition, identity: { ...definition.identity, title: '<script>alert(1)</script>' } };
    expect(sopDocumentHtml(hostile)).not.toContain('<script>alert');
  });

  it('writes dates the Indonesian way', () => {
    expect(indonesianDate('2021-09-06')).toBe('6 September 2021');
    expect(indonesianDate('2020-04')).toBe('April 2020');
    expect(indonesianDate('2020')).toBe('2020');
    expect(indonesianDate(null)).toBe('');
  });
});

describe('a periodic duty beside the flow', () => {
  const definition = fixture('shift-patroli-inspeksi');
  const layout = layoutFlowchart(definition);

  it('is a row with a process box in its pelaksana\'s lane, joined to nothing, its interval in the keterangan', () => {
    expectSoundGeometry(definition, layout);
    const symbols = layout.pages.flatMap((p) => p.symbols);
    expect(symbols.find((s) => s.id === 'inspeksi-supervisor')).toMatchObject({ kind: 'process', role: 'supervisor' });
    const arrows = layout.pages.flatMap((p) => p.arrows);
    expect(arrows.some((a) => a.from === 'inspeksi-supervisor' || a.to === 'inspeksi-supervisor')).toBe(false);
    const row = layout.pages.flatMap((p) => p.rows).find((r) => r.stepId === 'inspeksi-supervisor')!;
    expect(row.cells.note).toEqual(['setiap 2 jam']);
    expect(logicalEdges(layout)).toContain('shift-berakhir -ya-> patroli');
  });
});
