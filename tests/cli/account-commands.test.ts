import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsOf } from '../../src/app/accounts.js';
import { seedDemo } from '../../src/app/demo-seed.js';
import { main } from '../../src/cli/main.js';
import { withAlur } from '../../src/cli/open-alur-from-config.js';

async function alur(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alur', ...args], { out: (t) => out.push(t.replace(/\n$/, '')), err: (t) => err.push(t.replace(/\n$/, '')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What the server would answer for this token now. */
const tokenState = (token: string) => withAlur(async (a) => {
  const result = await accountsOf(a).authenticateToken(token);
  return result.ok ? 'ok' : result.reason;
});

describe('alur user and alur token on embedded PGlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-cli-accounts-'));
  const saved = { ...process.env };
  beforeAll(async () => {
    process.env.ALUR_DATA_DIR = join(dir, 'data');
    delete process.env.DATABASE_URL;
    await withAlur((a) => seedDemo(a, new URL('../../sops', import.meta.url).pathname));
  }, 120_000);
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists and revokes tokens; a password reset or disabling revokes them all', async () => {
    const created = await alur('token', 'create', 'tarakan.petugas', '--name', 'pemindai', '--expires-in-days', '30');
    expect(created.code).toBe(0);
    const secret = created.out;
    expect(secret).toMatch(/^alur_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toMatch(/^API token [0-9a-f-]{36} "pemindai" for tarakan.petugas, expires 2\S+; the secret above is not shown again$/);
    expect(await tokenState(secret)).toBe('ok');

    const listed = await alur('token', 'list', '--user', 'tarakan.petugas', '--json');
    expect(listed.out).not.toContain(secret.slice(5));
    const [token] = JSON.parse(listed.out) as Array<{ id: string; status: string; username: string }>;
    expect(token).toMatchObject({ status: 'active', username: 'tarakan.petugas' });
    expect((await alur('token', 'list')).out).toMatch(new RegExp(`${token!.id}\\s+tarakan\\.petugas\\s+pemindai\\s`));

    const reset = await alur('user', 'password', 'tarakan.petugas');
    expect(reset.out).toMatch(/^tarakan\.petugas: \S+\nended 0 session\(s\), revoked 1 API token\(s\)$/);
    expect(await tokenState(secret)).toBe('revoked');

    const second = (await alur('token', 'create', 'tarakan.petugas', '--name', 'kedua')).out;
    const secondId = (JSON.parse((await alur('token', 'list', '--user', 'tarakan.petugas', '--json')).out) as Array<{ id: string; name: string }>).find((t) => t.name === 'kedua')!.id;
    expect((await alur('token', 'revoke', secondId)).out).toMatch(new RegExp(`^revoked API token ${secondId} "kedua" of tarakan\\.petugas \\(at `));
    expect(await tokenState(second)).toBe('revoked');

    const third = (await alur('token', 'create', 'tarakan.petugas', '--name', 'ketiga')).out;
    expect((await alur('user', 'disable', 'tarakan.petugas')).out).toBe('tarakan.petugas: disabled; ended 0 session(s), revoked 1 API token(s)');
    expect(await tokenState(third)).toBe('revoked');
    expect((await alur('user', 'enable', 'tarakan.petugas')).code).toBe(0);
  }, 180_000);

  it('names what does not exist', async () => {
    expect(await alur('user', 'disable', 'tidak.ada')).toMatchObject({ code: 1, err: 'alur: user "tidak.ada" does not exist' });
    expect(await alur('token', 'revoke', '00000000-0000-4000-8000-000000000000')).toMatchObject({ code: 1, err: 'alur: API token "00000000-0000-4000-8000-000000000000" does not exist' });
    expect((await alur('token', 'create', 'tarakan.admin', '--name', 'x', '--expires-in-days', '0')).code).toBe(1);
  }, 60_000);
});
