import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SEED_FILES, seedText } from '../support/seeds.js';

/** Run the CLI in-process, capturing what it prints. */
async function alur(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alur', ...args], { out: (t) => out.push(t.replace(/\n$/, '')), err: (t) => err.push(t.replace(/\n$/, '')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempSop(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'alur-cli-')), 'broken.yaml');
  writeFileSync(file, text);
  return file;
}

describe('alur validate', () => {
  it('accepts both seed SOPs', async () => {
    const result = await alur('validate', SEED_FILES.pontianak, SEED_FILES.tarakan);
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok — "Relay Tayangan Surveillance" v1, 6 steps');
    expect(result.out).toContain('ok — "Petugas Pemantau CCTV" v1, 16 steps');
  });

  it('prints file:line:column for every error and exits 1', async () => {
    const file = tempSop(seedText('pontianak').replace('role: opd', 'role: opdd').replace('time: 60 menit', 'time: enam puluh menit'));
    const result = await alur('validate', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:97:11 error step "beri-akses-tayang" names role "opdd", which is not declared under roles; did you mean "opd"? [unknown-role]`);
    expect(result.err).toMatch(new RegExp(`${file}:\\d+:11 error step "setting-relay" time "enam puluh menit" is not a duration`));
    expect(result.err).toContain(`${file}: 2 errors`);
    // "opd" is what "opdd" was meant to be, so it is not also reported as unused.
    expect(result.out).not.toContain('unused-role');
  });

  it('reports as JSON with --json', async () => {
    const file = tempSop('id: x\n');
    const result = await alur('validate', '--json', SEED_FILES.pontianak, file);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.out) as Array<{ file: string; valid: boolean; diagnostics: Array<{ code: string; line: number }> }>;
    expect(parsed.map((r) => r.valid)).toEqual([true, false]);
    expect(parsed[1]!.diagnostics.map((d) => d.code)).toEqual(['missing-field', 'missing-field', 'missing-field', 'missing-field']);
  });

  it('reports a missing file instead of crashing', async () => {
    const result = await alur('validate', '/nonexistent/sop.yaml');
    expect(result.code).toBe(1);
    expect(result.err).toContain('/nonexistent/sop.yaml:1:1 error cannot read the file: file not found [unreadable]');
  });
});

describe('alur compile and graph', () => {
  it('prints the machine config as JSON', async () => {
    const result = await alur('compile', SEED_FILES.pontianak);
    expect(result.code).toBe(0);
    const config = JSON.parse(result.out);
    expect(config.id).toBe('pontianak-relay-tayangan');
    expect(Object.keys(config.states._active.states._main.states)).toEqual([
      'surat-permintaan-relay', 'beri-akses-tayang', 'disposisi-ke-bidang', 'disposisi-ke-seksi', 'setting-relay', 'lapor-hasil-relay',
    ]);
    expect(config.states._active.states._main.states['setting-relay'].entry).toContainEqual({
      type: 'runAdapter', params: { step: 'setting-relay', adapter: 'media.startRelay', input: { name: '${beri-akses-tayang.kamera}', source: '${beri-akses-tayang.streamUrl}' } },
    });
  });

  it('draws a Mermaid flowchart with one swimlane per role', async () => {
    const result = await alur('graph', SEED_FILES.tarakan);
    expect(result.code).toBe(0);
    expect(result.out.split('\n')[0]).toBe('flowchart TB');
    expect(result.out).toContain('subgraph lane_petugas["Petugas"]');
    expect(result.out).toContain('subgraph lane_management["Management"]');
    expect(result.out).toContain('s_ada_temuan -->|ya| s_lapor_pimpinan');
    expect(result.out).toContain('s_shift_berakhir -->|repeat| s_patroli_cctv');
    expect(result.out).toContain('s_pemutaran_ulang_rekaman -.-> s_permintaan_pemutaran');
  });

  it('refuses to compile an invalid file, pointing at the problem', async () => {
    const file = tempSop(seedText('tarakan').replace('repeat: patroli-cctv', 'repeat: patroli'));
    const result = await alur('compile', file);
    expect(result.code).toBe(1);
    expect(result.err).toContain('step "shift-berakhir" repeats from "patroli" but no step has that id; did you mean "patroli-cctv"?');
    expect(result.out).toBe('');
  });
});

describe('alur simulate', () => {
  it('walks Pontianak\'s six steps, 135 menit in all', async () => {
    const result = await alur('simulate', SEED_FILES.pontianak);
    expect(result.code).toBe(0);
    const rows = result.out.split('\n').filter((line) => /^\d+\s/.test(line));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatch(/^1\s+surat-permintaan-relay\s+Kadis Kominfo\s+15 menit\s+15 menit$/);
    expect(rows[4]).toMatch(/^5\s+setting-relay\s+Kasi\. SPTIK\s+60 menit\s+2 jam$/);
    expect(rows[5]).toMatch(/^6\s+lapor-hasil-relay\s+Kasi\. SPTIK\s+15 menit\s+2 jam 15 menit$/);
    expect(result.out).toContain('Jumlah waktu: 135 menit (2 jam 15 menit)');
  });

  it('walks Tarakan with its waktu, a chosen branch, loop rounds and the playback procedure', async () => {
    const result = await alur('simulate', SEED_FILES.tarakan, '--choose', 'ada-temuan=ya', '--rounds', '1', '--procedure', 'pemutaran-ulang-rekaman');
    expect(result.code).toBe(0);
    const steps = result.out.split('\n').filter((line) => /^\d+\s/.test(line)).map((line) => line.split(/\s{2,}/)[1]);
    expect(steps).toEqual([
      'permintaan-pemutaran', 'izin-manajemen → approved', 'putar-rekaman',
      'hadir-serah-terima', 'serah-terima-shift', 'cek-kondisi-cctv',
      'patroli-cctv', 'ada-temuan → ya', 'lapor-pimpinan', 'berita-acara-tindak-lanjut', 'shift-berakhir → repeat',
      'patroli-cctv', 'ada-temuan → ya', 'lapor-pimpinan', 'berita-acara-tindak-lanjut', 'shift-berakhir → exit',
      'serah-terima-akhir', 'pekerjaan-selesai',
    ]);
    expect(result.out).toContain('Jumlah waktu: 175 menit (2 jam 55 menit)');
    expect(result.out).toContain('Berakhir di: pekerjaan-selesai');
  });

  it('follows the "tidak" branch and speaks English on request', async () => {
    const result = await alur('simulate', SEED_FILES.tarakan, '--choose', 'ada-temuan=tidak', '--lang', 'en');
    expect(result.code).toBe(0);
    expect(result.out).toContain('ada-temuan → tidak');
    expect(result.out).not.toContain('lapor-pimpinan');
    expect(result.out).toContain('Total time: 30 min');
  });

  it('explains a branch that does not exist', async () => {
    const result = await alur('simulate', SEED_FILES.tarakan, '--choose', 'ada-temuan=mungkin');
    expect(result.code).toBe(1);
    expect(result.err).toBe('the walk stopped at step "ada-temuan": step "ada-temuan" has no branch "mungkin"; choose "ya" or "tidak"');
  });

  it('rejects malformed flags with usage help', async () => {
    expect((await alur('simulate', SEED_FILES.tarakan, '--rounds', 'dua')).code).toBe(1);
    expect((await alur('simulate', SEED_FILES.tarakan, '--choose', 'ada-temuan')).code).toBe(2);
  });
});

describe('the installed bin', () => {
  it('runs from a fresh checkout without a build step', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['bin/alur.js', 'validate', SEED_FILES.pontianak], { cwd: new URL('../..', import.meta.url).pathname });
    expect(stdout).toContain('ok — "Relay Tayangan Surveillance"');
  });
});
