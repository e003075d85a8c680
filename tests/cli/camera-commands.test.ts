import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/demo-seed.js';
import { main } from '../../src/cli/main.js';
import { withAlur } from '../../src/cli/open-alur-from-config.js';

async function alur(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alur', ...args], { out: (t) => out.push(t.replace(/\n$/, '')), err: (t) => err.push(t.replace(/\n$/, '')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('alur camera on embedded PGlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-cli-cameras-'));
  const saved = { ...process.env };
  beforeAll(async () => {
    process.env.ALUR_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
    delete process.env.ALUR_CAMERA_KEY;
    await withAlur((a) => seedDemo(a, new URL('../../sops', import.meta.url).pathname));
  }, 120_000);
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, imports, lists and removes cameras without ever printing a password', async () => {
    const added = await alur('camera', 'add', 'Simpang Grand', '--org', 'kota-tarakan', '--url', 'rtsp://admin:Rahasia99@10.1.1.5:554/live', '--location', 'Jl. Sudirman');
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^camera [0-9a-f-]{36} "Simpang Grand" added: rtsp:\/\/admin:\*\*\*@10\.1\.1\.5:554\/live$/);

    const csv = join(dir, 'kamera.csv');
    writeFileSync(csv, 'name,location,streamUrl\r\nPelabuhan,"Dermaga 1, Malundung",rtmp://10.1.1.6/live/pelabuhan\r\nTaman,,http://10.1.1.7/live/taman.flv\r\n');
    const imported = await alur('camera', 'import', csv, '--org', 'kota-tarakan');
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toBe('2 camera(s) added to kota-tarakan');
    const again = await alur('camera', 'import', csv, '--org', 'kota-tarakan');
    expect(again.code).toBe(1);
    expect(again.err).toContain('line 2: the organisation already has a camera called "Pelabuhan"');

    const listed = await alur('camera', 'list', '--org', 'kota-tarakan', '--json');
    const cameras = JSON.parse(listed.out) as Array<{ name: string; location: string; streamUrl: string }>;
    expect(cameras.map((c) => [c.name, c.location, c.streamUrl])).toEqual([
      ['Pelabuhan', 'Dermaga 1, Malundung', 'rtmp://10.1.1.6/live/pelabuhan'],
      ['Simpang Grand', 'Jl. Sudirman', 'rtsp://admin:***@10.1.1.5:554/live'],
      ['Taman', '', 'http://10.1.1.7/live/taman.flv'],
    ]);
    expect(listed.out).not.toContain('Rahasia99');
    expect((await alur('camera', 'list', '--org', 'kota-pontianak', '--json')).out).toBe('[]');

    expect((await alur('camera', 'remove', 'Taman', '--org', 'kota-tarakan')).code).toBe(0);
    expect((await alur('camera', 'remove', 'Taman', '--org', 'kota-tarakan')).err).toMatch(/camera .*Taman/);
    expect(JSON.parse((await alur('camera', 'list', '--org', 'kota-tarakan', '--json')).out)).toHaveLength(2);
  });
});
