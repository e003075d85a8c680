/**
 * `alur case export` writes a case's evidence zip; `alur audit verify --export` checks it with no
 * database at all (DATABASE_URL points nowhere) and names what a tampered export changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../src/adapters/archive/zip-archive.js';
import { runAlur, useCliDataDir } from '../support/cli-runner.js';
import { SEED_FILES } from '../support/seeds.js';

describe('alur case export and alur audit verify --export', () => {
  const dir = useCliDataDir('alur-cli-export-');

  it('exports a case and verifies the zip offline; a removed file fails with exit 1', async () => {
    expect((await runAlur('publish', SEED_FILES.tarakan)).code).toBe(0);
    const id = /started case ([0-9a-f-]{36})/.exec((await runAlur('case', 'start', 'tarakan-pemantau-cctv', '--actor', 'ani', '--role', 'petugas')).out)![1]!;
    const file = join(dir, 'kasus.zip');
    const exported = await runAlur('case', 'export', id, '-o', file);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(new RegExp(`^${file}: case ${id}, 5 files, head #1 [0-9a-f]{64}$`));
    expect((await runAlur('case', 'export', '00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 1, err: 'alur: case "00000000-0000-4000-8000-000000000000" does not exist; `alur case list` shows the cases' });

    expect(await runAlur('case', 'document', id, 'serah-terima-shift', '--format', 'html', '-o', '-')).toMatchObject({
      code: 1, err: `alur: step "serah-terima-shift" has not been done in case ${id}; its berita-acara-serah-terima is made once it is done`,
    });

    // No database is opened: one that cannot be reached does not matter.
    process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/none';
    try {
      const verified = await runAlur('audit', 'verify', '--export', file);
      expect(verified).toMatchObject({ code: 0, err: '' });
      expect(verified.out).toMatch(new RegExp(`^${file}: ok \\(case ${id}, 1 events, head #1 [0-9a-f]{64}\\)$`));

      const files = await readZip(readFileSync(file));
      files.delete('timeline.json');
      const tampered = join(dir, 'kurang.zip');
      writeFileSync(tampered, await writeZip([...files].map(([path, body]) => ({ path, body })), new Date()));
      expect(await runAlur('audit', 'verify', '--export', tampered)).toMatchObject({
        code: 1, out: '', err: `${tampered}: TAMPERED: timeline.json is listed in the manifest but missing from the archive: a file was removed`,
      });
      const json = await runAlur('audit', 'verify', '--export', tampered, '--json');
      expect(JSON.parse(json.out)).toMatchObject({ status: 'tampered', caseId: id, events: 1 });
    } finally {
      delete process.env.DATABASE_URL;
    }
  }, 180_000);
});
