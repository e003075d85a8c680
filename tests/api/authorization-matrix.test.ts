/**
 * Every endpoint × every role × own or other organisation, with the exact status expected.
 * A request that succeeds where it should not fails this test.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/store/database.js';
import { startApi, type ApiClient, type ApiHarness } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';
import { seedText } from '../support/seeds.js';

type Org = 'tarakan' | 'pontianak';
interface Subject { org: Org; role: string; client: ApiClient }
interface Fixtures { orgId: string; sopId: string; caseId: string; auditorId: string; seed: string; auditorTokenId: string; targetId: string }

const SYSTEM = ['admin', 'process-owner', 'auditor'];
const ROLES: Record<Org, string[]> = {
  tarakan: ['petugas', 'management', 'kepala-upt', ...SYSTEM],
  pontianak: ['opd', 'kadis', 'kabid-tkpbet', 'kasi-sptik', ...SYSTEM],
};

interface Endpoint {
  name: string;
  /** Whether the request names a resource of one organisation (then it runs against own and other). */
  scoped: boolean;
  request(client: ApiClient, target: Fixtures, n: number): Promise<{ status: number }>;
  /** Expected status for a logged-in subject; anonymous always expects 401. */
  expect(role: string, sameOrg: boolean): number;
}

/** Unexpected answers that were successes (2xx where a refusal was expected): the ones that would leak or allow. */
const unexpectedSuccesses = (unexpected: string[]) => unexpected.filter((u) => /: 2\d\d, expected [^2]/.test(u)).length;

const isSystem = (role: string) => SYSTEM.includes(role);
const only = (roles: string[], yes: number) => (role: string) => (roles.includes(role) ? yes : 403);

const ENDPOINTS: Endpoint[] = [
  { name: 'GET /auth/me', scoped: false, request: (c) => c.request('GET', '/api/v1/auth/me'), expect: () => 200 },
  { name: 'POST /auth/tokens', scoped: false, request: (c) => c.request('POST', '/api/v1/auth/tokens', { name: 'matrix' }), expect: () => 201 },
  { name: 'GET /sops', scoped: false, request: (c) => c.request('GET', '/api/v1/sops'), expect: () => 200 },
  { name: 'GET /sops/:id', scoped: true, request: (c, t) => c.request('GET', `/api/v1/sops/${t.sopId}`), expect: (_r, same) => (same ? 200 : 404) },
  { name: 'GET /sops/:id/revisions/1', scoped: true, request: (c, t) => c.request('GET', `/api/v1/sops/${t.sopId}/revisions/1`), expect: (_r, same) => (same ? 200 : 404) },
  { name: 'GET /sops/:id/monitoring', scoped: true, request: (c, t) => c.request('GET', `/api/v1/sops/${t.sopId}/monitoring`), expect: (role, same) => (!['auditor', 'process-owner'].includes(role) ? 403 : same ? 200 : 404) },
  { name: 'PUT /sops/:id/monitoring/review', scoped: true, request: (c, t) => c.request('PUT', `/api/v1/sops/${t.sopId}/monitoring/review`, { steps: [{ stepId: t.sopId.startsWith('tarakan') ? 'hadir-serah-terima' : 'surat-permintaan-relay', note: 'matriks' }] }), expect: (role, same) => (role !== 'auditor' ? 403 : same ? 200 : 404) },
  { name: 'POST /sops/:id/monitoring/sign-off', scoped: true, request: (c, t) => c.request('POST', `/api/v1/sops/${t.sopId}/monitoring/sign-off`, {}), expect: (role, same) => (role !== 'auditor' ? 403 : same ? 200 : 404) },
  { name: 'GET /sops/:id/document', scoped: true, request: (c, t) => c.request('GET', `/api/v1/sops/${t.sopId}/document?format=svg`), expect: (_r, same) => (same ? 200 : 404) },
  { name: 'POST /sops/validate', scoped: false, request: (c) => c.request('POST', '/api/v1/sops/validate', { source: 'id: x\n' }), expect: only(['process-owner'], 200) },
  { name: 'POST /cases', scoped: true, request: (c, t) => c.request('POST', '/api/v1/cases', { sopId: t.sopId }), expect: (role, same) => (!same ? 404 : isSystem(role) ? 403 : 201) },
  { name: 'GET /cases', scoped: false, request: (c) => c.request('GET', '/api/v1/cases'), expect: () => 200 },
  { name: 'GET /cases/:id', scoped: true, request: (c, t) => c.request('GET', `/api/v1/cases/${t.caseId}`), expect: (_r, same) => (same ? 200 : 404) },
  { name: 'GET /cases/:id/export', scoped: true, request: (c, t) => c.request('GET', `/api/v1/cases/${t.caseId}/export`), expect: (_r, same) => (same ? 200 : 404) },
  { name: 'POST /cases/:id/commands', scoped: true, request: (c, t) => c.request('POST', `/api/v1/cases/${t.caseId}/commands`, { type: 'add-note', text: 'catatan' }), expect: (role, same) => (!same ? 404 : isSystem(role) ? 403 : 200) },
  { name: 'GET /notifications', scoped: false, request: (c) => c.request('GET', '/api/v1/notifications'), expect: () => 200 },
  { name: 'GET /tasks', scoped: false, request: (c) => c.request('GET', '/api/v1/tasks'), expect: () => 200 },
  { name: 'GET /stats/timing', scoped: false, request: (c) => c.request('GET', '/api/v1/stats/timing'), expect: only(['auditor', 'process-owner'], 200) },
  { name: 'GET /stats/timing/cases', scoped: false, request: (c) => c.request('GET', '/api/v1/stats/timing/cases'), expect: only(['auditor', 'process-owner'], 200) },
  { name: 'GET /stats/timing csv', scoped: false, request: (c) => c.request('GET', '/api/v1/stats/timing?format=csv'), expect: only(['auditor', 'process-owner'], 200) },
  { name: 'GET /audit/cases', scoped: false, request: (c) => c.request('GET', '/api/v1/audit/cases'), expect: only(['auditor'], 200) },
  { name: 'GET /audit/cases/:id', scoped: true, request: (c, t) => c.request('GET', `/api/v1/audit/cases/${t.caseId}`), expect: (role, same) => (role !== 'auditor' ? 403 : same ? 200 : 404) },
  { name: 'GET /auth/tokens', scoped: false, request: (c) => c.request('GET', '/api/v1/auth/tokens'), expect: () => 200 },
  { name: 'GET /auth/tokens?scope=organization', scoped: false, request: (c) => c.request('GET', '/api/v1/auth/tokens?scope=organization'), expect: only(['admin'], 200) },
  // The auditor's own token, or (admin) a token of a user of the organisation; anyone else's does not exist.
  { name: 'DELETE /auth/tokens/:id', scoped: true, request: (c, t) => c.request('DELETE', `/api/v1/auth/tokens/${t.auditorTokenId}`), expect: (role, same) => (same && (role === 'admin' || role === 'auditor') ? 200 : 404) },
  { name: 'POST /auth/password', scoped: false, request: (c) => c.request('POST', '/api/v1/auth/password', { currentPassword: 'bukan-kata-sandi', newPassword: 'kata-sandi-baru-panjang' }), expect: () => 422 },
  { name: 'GET /users', scoped: false, request: (c) => c.request('GET', '/api/v1/users'), expect: only(['admin'], 200) },
  { name: 'POST /users', scoped: false, request: (c, _t, n) => c.request('POST', '/api/v1/users', { username: `matrix-${n}`, displayName: 'Matrix', roles: ['auditor'] }), expect: only(['admin'], 201) },
  { name: 'PUT /users/:id/roles', scoped: true, request: (c, t) => c.request('PUT', `/api/v1/users/${t.auditorId}/roles`, { roles: ['auditor'] }), expect: (role, same) => (role !== 'admin' ? 403 : same ? 200 : 404) },
  { name: 'GET /users/:id/tokens', scoped: true, request: (c, t) => c.request('GET', `/api/v1/users/${t.auditorId}/tokens`), expect: (role, same) => (role !== 'admin' ? 403 : same ? 200 : 404) },
  { name: 'POST /users/:id/disable', scoped: true, request: (c, t) => c.request('POST', `/api/v1/users/${t.targetId}/disable`), expect: (role, same) => (role !== 'admin' ? 403 : same ? 200 : 404) },
  { name: 'POST /users/:id/enable', scoped: true, request: (c, t) => c.request('POST', `/api/v1/users/${t.targetId}/enable`), expect: (role, same) => (role !== 'admin' ? 403 : same ? 200 : 404) },
  { name: 'POST /users/:id/password', scoped: true, request: (c, t) => c.request('POST', `/api/v1/users/${t.targetId}/password`), expect: (role, same) => (role !== 'admin' ? 403 : same ? 200 : 404) },
  { name: 'GET /organizations', scoped: false, request: (c) => c.request('GET', '/api/v1/organizations'), expect: () => 200 },
  { name: 'POST /organizations', scoped: false, request: (c, _t, n) => c.request('POST', '/api/v1/organizations', { id: `org-${n}`, name: `Org ${n}` }), expect: () => 403 },
  { name: 'PUT /organizations/:id', scoped: true, request: (c, t) => c.request('PUT', `/api/v1/organizations/${t.orgId}`, { name: 'Nama baru' }), expect: () => 403 },
  { name: 'POST /organizations/:id/admins', scoped: true, request: (c, t, n) => c.request('POST', `/api/v1/organizations/${t.orgId}/admins`, { username: `adm-${n}`, displayName: 'Admin' }), expect: () => 403 },
  // SOP ids are per organisation: another organisation's SOP file is a new SOP in one's own (last: the case endpoints above start cases by SOP id).
  { name: 'POST /sops', scoped: true, request: (c, t) => c.request('POST', '/api/v1/sops', { source: t.seed }), expect: (role, same) => (role !== 'process-owner' ? 403 : same ? 200 : 201) },
  {
    name: 'GET /events', scoped: false, expect: () => 200,
    async request(c) {
      const controller = new AbortController();
      const response = await fetch(`${(c as ApiClient & { base?: string }).base}/api/v1/events`, { headers: c.cookie ? { cookie: c.cookie } : {}, signal: controller.signal });
      controller.abort();
      return { status: response.status };
    },
  },
];

describe.each(dialects)('authorisation on $name', (dialect) => {
  let db: Database;
  let api: ApiHarness;
  const subjects: Subject[] = [];
  const fixtures = {} as Record<Org, Fixtures>;

  beforeAll(async () => {
    db = await dialect.open();
    api = await startApi(db);
    for (const org of ['tarakan', 'pontianak'] as const) {
      for (const role of ROLES[org]) {
        const client = Object.assign(await api.login(`${org}.${role}`), { base: api.url });
        subjects.push({ org, role, client });
      }
    }
    const starter = { tarakan: 'tarakan.petugas', pontianak: 'pontianak.kadis' } as const;
    for (const org of ['tarakan', 'pontianak'] as const) {
      const sopId = org === 'tarakan' ? 'tarakan-pemantau-cctv' : 'pontianak-relay-tayangan';
      const client = await api.login(starter[org]);
      const { body } = await client.request('POST', '/api/v1/cases', { sopId });
      const auditor = await api.login(`${org}.auditor`);
      const auditorId = (await auditor.request('GET', '/api/v1/auth/me')).body.user.id;
      const auditorTokenId = (await auditor.request('POST', '/api/v1/auth/tokens', { name: 'matrix target' })).body.id;
      const admin = subjects.find((s) => s.org === org && s.role === 'admin')!.client;
      const targetId = (await admin.request('POST', '/api/v1/users', { username: `${org}.matrix-target`, displayName: 'Target', roles: ['auditor'] })).body.user.id;
      fixtures[org] = { orgId: `kota-${org}`, sopId, caseId: body.case.id, auditorId, seed: seedText(org), auditorTokenId, targetId };
    }
  }, 60_000);
  afterAll(async () => {
    await api.close();
  });

  it('shows each organisation only its own SOPs, cases and tasks (before the matrix publishes more)', async () => {
    for (const subject of subjects) {
      const sops = (await subject.client.request('GET', '/api/v1/sops')).body.sops.map((s: { sopId: string }) => s.sopId);
      expect(sops).toEqual([fixtures[subject.org].sopId]);
      const cases = (await subject.client.request('GET', '/api/v1/cases')).body.cases;
      expect(cases.every((c: { sopId: string }) => c.sopId === fixtures[subject.org].sopId)).toBe(true);
      const tasks = (await subject.client.request('GET', '/api/v1/tasks')).body.tasks;
      expect(tasks.every((t: { sopId: string }) => t.sopId === fixtures[subject.org].sopId)).toBe(true);
    }
  });

  it('gives every role exactly the expected status on every endpoint, in its own and the other organisation', async () => {
    const unexpected: string[] = [];
    let n = 0;
    let checked = 0;
    for (const endpoint of ENDPOINTS) {
      for (const subject of subjects) {
        const targets: Array<[Org, boolean]> = endpoint.scoped ? [[subject.org, true], [subject.org === 'tarakan' ? 'pontianak' : 'tarakan', false]] : [[subject.org, true]];
        for (const [targetOrg, same] of targets) {
          const { status } = await endpoint.request(subject.client, fixtures[targetOrg], (n += 1));
          const expected = endpoint.expect(subject.role, same);
          checked += 1;
          if (status !== expected) unexpected.push(`${endpoint.name} as ${subject.org}.${subject.role} on ${same ? 'own' : 'other'} organisation: ${status}, expected ${expected}`);
        }
      }
      const anonymous = Object.assign(api.anonymous(), { base: api.url });
      const { status } = await endpoint.request(anonymous, fixtures.tarakan, (n += 1));
      checked += 1;
      if (status !== 401) unexpected.push(`${endpoint.name} anonymously: ${status}, expected 401`);
    }
    // `npm run soak` reads these figures (routes × roles × organisations tried, unexpected answers).
    if (process.env.ALUR_SOAK_FIGURES) appendFileSync(process.env.ALUR_SOAK_FIGURES, `${JSON.stringify({ matrix: 'authorisation', dialect: dialect.name, endpoints: ENDPOINTS.length, subjects: subjects.length, checked, unexpected: unexpected.length, successes: unexpectedSuccesses(unexpected) })}\n`);
    expect(unexpected).toEqual([]);
    expect(checked).toBe(ENDPOINTS.reduce((sum, e) => sum + subjects.length * (e.scoped ? 2 : 1) + 1, 0));
  });

  it('accepts API tokens without CSRF, and refuses cookie requests without it', async () => {
    const kadis = subjects.find((s) => s.org === 'pontianak' && s.role === 'kadis')!.client;
    const { body } = await kadis.request('POST', '/api/v1/auth/tokens', { name: 'integration' });
    const withToken = await fetch(`${api.url}/api/v1/cases`, { method: 'POST', headers: { authorization: `Bearer ${body.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ sopId: 'pontianak-relay-tayangan' }) });
    expect(withToken.status).toBe(201);
    const noCsrf = await fetch(`${api.url}/api/v1/cases`, { method: 'POST', headers: { cookie: kadis.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ sopId: 'pontianak-relay-tayangan' }) });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { type: string }).type).toBe('urn:alur:problem:csrf');
    const badToken = await fetch(`${api.url}/api/v1/cases`, { headers: { authorization: 'Bearer alur_nope' } });
    expect(badToken.status).toBe(401);
  });

  it('ignores X-Forwarded-For without ALUR_TRUST_PROXY: every failure counts against the real address', async () => {
    // The matrix's wrong current passwords counted against this address; let them lapse.
    api.clock.advance(16 * 60_000);
    // Each attempt claims another address and another (unknown) username: no per-account slow-down applies.
    const attempt = (n: number) => fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${n}` }, body: JSON.stringify({ username: `tidak-ada-${n}`, password: 'salah-salah-salah' }),
    });
    const statuses: number[] = [];
    for (let n = 1; n <= 21; n += 1) statuses.push((await attempt(n)).status);
    expect(statuses).toEqual([...Array(20).fill(401), 429]);
  });
});
