import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAlur as alur } from '../support/cli-runner.js';
import { SEED_FILES, seedText } from '../support/seeds.js';

describe('alur render', () => {
  it('prints the flowchart of an SOP as SVG: a symbol per step, arrows, the bundled font', async () => {
    const result = await alur('render', SEED_FILES.pontianak, '--format', 'svg', '--output', '-');
    expect(result.code).toBe(0);
    expect(result.out.startsWith('<?xml')).toBe(true);
    for (const id of ['surat-permintaan-relay', 'beri-akses-tayang', 'disposisi-ke-bidang', 'disposisi-ke-seksi', 'setting-relay', 'lapor-hasil-relay']) {
      expect(result.out).toContain(`data-step="${id}"`);
    }
    expect(result.out.match(/class="arrow"/g)).toHaveLength(5);
    expect(result.out).toContain("font-family: 'Arimo'");
    expect(result.out).toContain('data:font/woff2;base64,');
  });

  it('writes the HTML document to a file, named after the SOP unless --output says otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alur-render-'));
    const target = join(dir, 'tarakan.html');
    const result = await alur('render', SEED_FILES.tarakan, '--format', 'html', '-o', target);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${target}: HTML of "Petugas Pemantau CCTV" v1`);
    const html = readFileSync(target, 'utf8');
    expect(html).toContain('<td data-field="number">067/07/Opr.CCTV/2021</td>');
    expect(html).toContain('data-part="flowchart"');
  });

  it('refuses a PDF on the terminal and an invalid SOP, saying what to do', async () => {
    const pdf = await alur('render', SEED_FILES.tarakan, '--format', 'pdf', '--output', '-');
    expect(pdf.code).toBe(1);
    expect(pdf.err).toContain('name a file with --output');
    const dir = mkdtempSync(join(tmpdir(), 'alur-render-'));
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, seedText('pontianak').replace('role: opd', 'role: opdd'));
    const invalid = await alur('render', broken, '--format', 'svg', '-o', '-');
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('[unknown-role]');
    expect(invalid.err).toContain(`${broken} is not a valid SOP`);
    const format = await alur('render', SEED_FILES.tarakan, '--format', 'docx');
    expect(format.code).toBe(1);
    expect(format.err).toContain("Allowed choices are html, pdf, svg");
  });
});
