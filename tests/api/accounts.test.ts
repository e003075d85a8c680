/**
 * Credentials that end (revoked, expired, password changed, account disabled), token listings that
 * never show a secret and stay inside the organisation, and login throttling that slows an attacker
 * without locking out the owner. The server trusts the loopback proxy, so X-Forwarded-For picks the
 * client address; the throttle's waits are recorded instead of slept.
 */
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/server/auth/login-throttle.js';
import { useApi, type ApiClient } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const DAY = 86_400_000;

describe.each(dialects)('accounts and credentials on $name', (dialect) => {
  const delays: number[] = [];
  const t = useApi(dialect, {
    env: { ALUR_TRUST_PROXY: 'loopback' },
    loginThrottle: (clock) => new LoginThrottle({ clock, sleep: async (ms) => { delays.push(ms); } }),
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const login = (username: string, password: string, address?: string) => post('/api/v1/auth/login', { username, password }, address ? { 'x-forwarded-for': address } : {});
  const password = (username: string) => t.api.accounts.get(username)!.password;
  async function withToken(token: string, method = 'GET', path = '/api/v1/auth/me') {
    const response = await fetch(`${t.api.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  async function newToken(client: ApiClient, name: string, expiresInDays?: number): Promise<{ token: string; id: string }> {
    const { status, body } = await client.request('POST', '/api/v1/auth/tokens', { name, ...(expiresInDays ? { expiresInDays } : {}) });
    expect(status).toBe(201);
    return body;
  }

  it('gives a session its CSRF token again on GET /auth/me (a new tab), never to an API token', async () => {
    const loggedIn = await login('tarakan.petugas', password('tarakan.petugas'));
    expect(loggedIn.status).toBe(200);
    const { csrfToken } = (await loggedIn.json()) as { csrfToken: string };
    const cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!;
    // A new tab has only the cookie.
    const me = await fetch(`${t.api.url}/api/v1/auth/me`, { headers: { cookie } });
    const body = (await me.json()) as { user: Record<string, unknown>; csrfToken?: string };
    expect(body.csrfToken).toBe(csrfToken);
    expect(body.user).toMatchObject({ username: 'tarakan.petugas', via: 'session' });
    expect(body.user).not.toHaveProperty('csrfToken');
    // …and with it the tab may change things.
    const withCsrf = await post('/api/v1/auth/tokens', { name: 'tab-baru' }, { cookie, 'x-csrf-token': body.csrfToken! });
    expect(withCsrf.status).toBe(201);
    expect((await post('/api/v1/auth/tokens', { name: 'tanpa-csrf' }, { cookie })).status).toBe(403);
    const { token } = (await withCsrf.json()) as { token: string };
    const viaToken = await withToken(token);
    expect(viaToken.status).toBe(200);
    expect(viaToken.body).not.toHaveProperty('csrfToken');
    expect(JSON.stringify(viaToken.body)).not.toContain(csrfToken);
  });

  it('lists tokens without their secrets, records the last use once a minute, and refuses a revoked token', async () => {
    const petugas = await t.api.login('tarakan.petugas');
    const { token, id } = await newToken(petugas, 'pemindai');
    const listed = async () => (await petugas.request('GET', '/api/v1/auth/tokens')).body.tokens.find((x: { id: string }) => x.id === id);
    expect(await listed()).toEqual({ id, name: 'pemindai', userId: expect.any(String), username: 'tarakan.petugas', createdAt: t.api.clock.now().toISOString(), lastUsedAt: null, expiresAt: null, revokedAt: null, status: 'active' });
    const listing = JSON.stringify((await petugas.request('GET', '/api/v1/auth/tokens')).body);
    expect(listing).not.toContain(token);
    expect(listing).not.toContain(token.slice(5, 20));

    const firstUse = t.api.clock.now().toISOString();
    expect((await withToken(token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(firstUse);
    t.api.clock.advance(30_000);
    expect((await withToken(token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(firstUse); // within the minute: no write
    t.api.clock.advance(31_000);
    expect((await withToken(token)).status).toBe(200);
    expect((await listed()).lastUsedAt).toBe(t.api.clock.now().toISOString());

    const revoked = await petugas.request('DELETE', `/api/v1/auth/tokens/${id}`);
    expect(revoked.body).toMatchObject({ id, status: 'revoked', revokedAt: t.api.clock.now().toISOString() });
    const refused = await withToken(token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ type: 'urn:alur:problem:token-revoked', detail: `the API token was revoked at ${t.api.clock.now().toISOString()}; create a new one (POST /api/v1/auth/tokens)` });
  });

  it('refuses an expired token, and lists it as expired', async () => {
    const management = await t.api.login('tarakan.management');
    const { token, id } = await newToken(management, 'sehari', 1);
    const expiresAt = new Date(t.api.clock.now().getTime() + DAY).toISOString();
    t.api.clock.advance(DAY - 1);
    expect((await withToken(token)).status).toBe(200);
    t.api.clock.advance(1);
    const refused = await withToken(token);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ type: 'urn:alur:problem:token-expired', detail: `the API token expired at ${expiresAt}; create a new one (POST /api/v1/auth/tokens)` });
    const again = await t.api.login('tarakan.management');
    expect((await again.request('GET', '/api/v1/auth/tokens')).body.tokens.find((x: { id: string }) => x.id === id)).toMatchObject({ expiresAt, status: 'expired' });
    expect((await again.request('POST', '/api/v1/auth/tokens', { name: 'x', expiresInDays: 0 })).status).toBe(400);
  });

  it('revokes the token a logout carries', async () => {
    const { token } = await newToken(await t.api.login('tarakan.petugas-2'), 'logout');
    expect((await withToken(token, 'POST', '/api/v1/auth/logout')).status).toBe(204);
    expect((await withToken(token)).body.type).toBe('urn:alur:problem:token-revoked');
  });

  it('ends every session and token when an admin resets a password or the user changes it', async () => {
    const opd = await t.api.login('pontianak.opd');
    const { token } = await newToken(opd, 'otomasi');
    const admin = await t.api.login('pontianak.admin');
    const opdId = (await opd.request('GET', '/api/v1/auth/me')).body.user.id;
    const reset = await admin.request('POST', `/api/v1/users/${opdId}/password`);
    expect(reset.body).toMatchObject({ user: { username: 'pontianak.opd' }, password: expect.any(String), sessionsEnded: 1, tokensRevoked: 1 });
    expect((await withToken(token)).status).toBe(401);
    expect((await opd.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await login('pontianak.opd', password('pontianak.opd'))).status).toBe(401);
    expect((await login('pontianak.opd', reset.body.password)).status).toBe(200);

    const kasi = await t.api.login('pontianak.kasi-sptik');
    const kasiToken = await newToken(kasi, 'skrip');
    const wrong = await kasi.request('POST', '/api/v1/auth/password', { currentPassword: 'bukan-ini', newPassword: 'kata-sandi-baru-yang-panjang' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ field: '/body/currentPassword', message: 'is not your current password' }]);
    expect((await kasi.request('POST', '/api/v1/auth/password', { currentPassword: password('pontianak.kasi-sptik'), newPassword: 'kata-sandi-baru-yang-panjang' })).status).toBe(204);
    expect((await kasi.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await withToken(kasiToken.token)).status).toBe(401);
    expect((await login('pontianak.kasi-sptik', 'kata-sandi-baru-yang-panjang')).status).toBe(200);
  });

  it('ends every session and token of a disabled user, who cannot log in until enabled', async () => {
    const kabid = await t.api.login('pontianak.kabid-tkpbet');
    const { token } = await newToken(kabid, 'laporan');
    const admin = await t.api.login('pontianak.admin');
    const kabidId = (await kabid.request('GET', '/api/v1/auth/me')).body.user.id;
    const disabled = await admin.request('POST', `/api/v1/users/${kabidId}/disable`);
    expect(disabled.body).toMatchObject({ user: { disabled: true }, sessionsEnded: 1, tokensRevoked: 1 });
    expect((await withToken(token)).status).toBe(401);
    expect((await kabid.request('GET', '/api/v1/auth/me')).status).toBe(401);
    const refused = await login('pontianak.kabid-tkpbet', password('pontianak.kabid-tkpbet'));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toBe('wrong username or password');

    expect((await admin.request('POST', `/api/v1/users/${kabidId}/enable`)).body.user.disabled).toBe(false);
    expect((await login('pontianak.kabid-tkpbet', password('pontianak.kabid-tkpbet'))).status).toBe(200);
    expect((await withToken(token)).status).toBe(401); // revoked stays revoked

    const adminId = (await admin.request('GET', '/api/v1/auth/me')).body.user.id;
    const self = await admin.request('POST', `/api/v1/users/${adminId}/disable`);
    expect([self.status, self.body.type]).toEqual([422, 'urn:alur:problem:own-account']);
  });

  it('keeps token listings and revocation inside the organisation', async () => {
    const kepala = await t.api.login('tarakan.kepala-upt');
    const own = await newToken(kepala, 'milik kepala');
    const tarakanAdmin = await t.api.login('tarakan.admin');
    const pontianakAdmin = await t.api.login('pontianak.admin');
    const kepalaId = (await kepala.request('GET', '/api/v1/auth/me')).body.user.id;

    const organisation = (await tarakanAdmin.request('GET', '/api/v1/auth/tokens?scope=organization')).body.tokens as Array<{ username: string }>;
    expect(organisation.length).toBeGreaterThan(0);
    expect(organisation.every((x) => x.username.startsWith('tarakan.'))).toBe(true);
    expect((await pontianakAdmin.request('GET', '/api/v1/auth/tokens?scope=organization')).body.tokens.every((x: { username: string }) => x.username.startsWith('pontianak.'))).toBe(true);
    expect((await tarakanAdmin.request('GET', `/api/v1/users/${kepalaId}/tokens`)).body.tokens.map((x: { id: string }) => x.id)).toEqual([own.id]);
    expect((await pontianakAdmin.request('GET', `/api/v1/users/${kepalaId}/tokens`)).status).toBe(404);
    expect((await (await t.api.login('tarakan.petugas')).request('GET', '/api/v1/auth/tokens')).body.tokens.every((x: { username: string }) => x.username === 'tarakan.petugas')).toBe(true);

    expect((await pontianakAdmin.request('DELETE', `/api/v1/auth/tokens/${own.id}`)).status).toBe(404);
    expect((await (await t.api.login('tarakan.petugas')).request('DELETE', `/api/v1/auth/tokens/${own.id}`)).status).toBe(404);
    expect((await withToken(own.token)).status).toBe(200);
    expect((await tarakanAdmin.request('DELETE', `/api/v1/auth/tokens/${own.id}`)).body.status).toBe('revoked');
    expect((await withToken(own.token)).status).toBe(401);
  });

  it('refuses an address that keeps failing, slows the account down, and still lets the owner in from another address', async () => {
    const attacker = '203.0.113.7';
    delays.length = 0;
    const statuses: number[] = [];
    for (let i = 0; i < 23; i += 1) statuses.push((await login('tarakan.auditor', `salah-${i}`, attacker)).status);
    expect(statuses).toEqual([...Array(20).fill(401), 429, 429, 429]);
    // Past five failures every attempt on the account waits, doubling to a bound; never a lock.
    expect(delays).toEqual([250, 500, 1_000, 2_000, 4_000, ...Array(10).fill(8_000)]);

    const refused = await login('tarakan.auditor', password('tarakan.auditor'), attacker);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '1']);
    expect(((await refused.json()) as { type: string }).type).toBe('urn:alur:problem:too-many-logins');

    // The owner, from their own address, gets in after the bounded wait.
    delays.length = 0;
    expect((await login('tarakan.auditor', password('tarakan.auditor'), '198.51.100.9')).status).toBe(200);
    expect(delays).toEqual([8_000]);
    // Success clears the account's count: the next mistake is not slowed.
    expect((await login('tarakan.auditor', 'salah-lagi', '198.51.100.9')).status).toBe(401);
    expect(delays).toEqual([8_000]);

    // The attacker's back-off doubles with each further failure.
    t.api.clock.advance(1_000);
    expect((await login('tarakan.auditor', 'salah-23', attacker)).status).toBe(401);
    const next = await login('tarakan.auditor', 'salah-24', attacker);
    expect([next.status, next.headers.get('retry-after')]).toEqual([429, '2']);
  });

  it('answers an unknown username exactly like a wrong password, slow-down included', async () => {
    const answer = async (response: Response) => {
      const { status, type, title, detail } = (await response.json()) as Record<string, unknown>;
      return { status, type, title, detail, retryAfter: response.headers.get('retry-after') };
    };
    const unknown = await answer(await login('tidak.ada', 'salah-salah', '192.0.2.10'));
    const wrong = await answer(await login('tarakan.management', 'salah-salah', '192.0.2.10'));
    expect(unknown).toEqual(wrong);
    expect(unknown).toMatchObject({ status: 401, type: 'urn:alur:problem:bad-credentials', detail: 'wrong username or password' });

    delays.length = 0;
    for (let i = 0; i < 7; i += 1) await login('tidak.ada.juga', 'salah', `192.0.2.${20 + i}`);
    expect(delays).toEqual([250, 500]);
  });
});
