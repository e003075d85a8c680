import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SEED_FILES } from '../support/seeds.js';

async function alur(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alur', ...args], { out: (t) => out.push(t.replace(/\n$/, '')), err: (t) => err.push(t.replace(/\n$/, '')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('alur publish, case, audit and stats on embedded PGlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-cli-store-'));
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.ALUR_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes once, starts and shows a case, verifies it and reports timings', async () => {
    const first = await alur('publish', SEED_FILES.tarakan);
    expect(first).toMatchObject({ code: 0, out: `${SEED_FILES.tarakan}: published tarakan-pemantau-cctv revision 1 (version 1 in the file)` });
    expect((await alur('publish', SEED_FILES.tarakan)).out).toContain('unchanged tarakan-pemantau-cctv revision 1');

    const refused = await alur('case', 'start', 'tarakan-pemantau-cctv', '--actor', 'ani', '--role', 'kadis');
    expect(refused).toMatchObject({ code: 1, err: 'alur: starting a "tarakan-pemantau-cctv" case needs one of its roles: petugas, management, kepala-upt' });
    const started = await alur('case', 'start', 'tarakan-pemantau-cctv', '--actor', 'ani', '--role', 'petugas', '--title', 'Shift pagi');
    expect(started.code).toBe(0);
    const id = /started case ([0-9a-f-]{36})/.exec(started.out)![1]!;

    const list = JSON.parse((await alur('case', 'list', '--json')).out) as Array<{ id: string; title: string; activeSteps: string[] }>;
    expect(list).toEqual([expect.objectContaining({ id, title: 'Shift pagi', activeSteps: ['hadir-serah-terima'] })]);
    const show = await alur('case', 'show', id);
    expect(show.out).toContain(`case ${id}: tarakan-pemantau-cctv revision 1, active`);
    expect(show.out).toMatch(/hadir-serah-terima\s+1\s+\S+\s+—\s+—\s+—\s+—\s+10 menit/);
    expect(await alur('audit', 'verify', id)).toMatchObject({ code: 0, out: `${id}: ok (1 events)\n1 case(s) checked, 0 broken` });
    expect((await alur('case', 'show', '00000000-0000-0000-0000-000000000000')).err).toBe('case "00000000-0000-0000-0000-000000000000" does not exist');
    expect(JSON.parse((await alur('stats', '--json')).out)).toEqual({ steps: [], cases: [] });
  }, 120_000);

  it('creates organisations and their people, and publishes into the one named once there are several', async () => {
    expect(await alur('org', 'create', 'kab-contoh', '--name', 'Pemerintah Kabupaten Contoh', '--time-zone', 'Asia/Jakarta')).toMatchObject({ code: 0 });
    expect(await alur('org', 'create', 'kab-contoh', '--name', 'Lain')).toMatchObject({ code: 1, err: 'alur: an organisation with this id ("kab-contoh") exists already' });
    expect(JSON.parse((await alur('org', 'list', '--json')).out)).toEqual([{ id: 'kab-contoh', name: 'Pemerintah Kabupaten Contoh', timeZone: 'Asia/Jakarta' }]);
    const admin = await alur('user', 'create', 'kab-contoh.admin', '--org', 'kab-contoh', '--role', 'admin');
    expect(admin.code).toBe(0);
    expect(admin.out).toMatch(/^kab-contoh\.admin: \S{12,}$/);
    expect(await alur('org', 'create', 'kab-lain', '--name', 'Pemerintah Kabupaten Lain')).toMatchObject({ code: 0 });
    const unnamed = await alur('publish', SEED_FILES.pontianak);
    expect(unnamed).toMatchObject({ code: 1, err: `${SEED_FILES.pontianak}: there are 2 organisations (kab-contoh, kab-lain); say which one publishes it with --org` });
    expect((await alur('publish', SEED_FILES.pontianak, '--org', 'kab-lain')).out).toContain('published pontianak-relay-tayangan revision 1');
    // The same SOP id in another organisation is another SOP.
    expect((await alur('publish', SEED_FILES.pontianak, '--org', 'kab-contoh')).out).toContain('published pontianak-relay-tayangan revision 1');
    expect(await alur('case', 'start', 'pontianak-relay-tayangan', '--actor', 'uray', '--role', 'kadis')).toMatchObject({
      code: 1, err: 'alur: several organisations publish an SOP "pontianak-relay-tayangan" (kab-contoh, kab-lain); name the organisation (--org)',
    });
    expect((await alur('case', 'start', 'pontianak-relay-tayangan', '--actor', 'uray', '--role', 'kadis', '--org', 'kab-lain')).code).toBe(0);
  }, 120_000);
});
