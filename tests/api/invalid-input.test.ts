/**
 * Malformed bodies, headers and ids, generated: every one gets a 4xx problem+json naming the
 * field at fault, never a 5xx, and the database is exactly as before.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/store/database.js';
import { startApi, type ApiClient, type ApiHarness } from '../support/api-harness.js';
import { dialects } from '../support/databases.js';

const TABLES = ['sop_versions', 'cases', 'case_events', 'step_executions', 'jobs', 'notifications', 'users', 'role_assignments', 'api_tokens'];

async function databaseFingerprint(db: Database): Promise<string> {
  const parts: string[] = [];
  for (const table of TABLES) {
    const [row] = await db.knex(table).count({ n: '*' });
    parts.push(`${table}=${row!.n}`);
  }
  const cases = await db.knex('cases').select('id', 'seq', 'status').orderBy('id');
  const roles = await db.knex('role_assignments').select('user_id', 'role').orderBy(['user_id', 'role']);
  return JSON.stringify({ parts, cases, roles });
}

/** A JSON value that is never a valid body for the endpoints below (each has required fields it lacks or mistypes). */
const junkValue = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !['__proto__'].includes(k)), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
);

const STEP = 'surat-permintaan-relay';

describe.each(dialects)('malformed requests on $name', (dialect) => {
  let db: Database;
  let api: ApiHarness;
  let kadis: ApiClient;
  let admin: ApiClient;
  let owner: ApiClient;
  let caseId: string;
  let userId: string;

  beforeAll(async () => {
    db = await dialect.open();
    api = await startApi(db);
    kadis = await api.login('pontianak.kadis');
    admin = await api.login('pontianak.admin');
    owner = await api.login('pontianak.process-owner');
    caseId = (await kadis.request('POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan' })).body.case.id;
    userId = (await admin.request('GET', '/api/v1/auth/me')).body.user.id;
  });
  afterAll(async () => {
    await api.close();
  });

  /** Commands that are wrong in at least one way the API must catch before anything changes. */
  const badCommand = fc.oneof(
    junkValue.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('type' in v)),
    fc.record({ type: fc.string().filter((t) => !['start-step', 'complete', 'choose', 'approve', 'refuse', 'acknowledge', 'add-note', 'start-procedure', 'retry', 'cancel'].includes(t)), step: fc.constant(STEP) }),
    fc.record({ type: fc.constantFrom('complete', 'start-step', 'choose', 'approve', 'refuse', 'retry') }),
    fc.record({ type: fc.constant('choose'), step: fc.constant(STEP) }),
    fc.record({ type: fc.constant('add-note'), text: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)) }),
    fc.record({ type: fc.constant('complete'), step: fc.string().filter((s) => !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s)) }),
    fc.record({ type: fc.constant('complete'), step: fc.constant(STEP), checklist: fc.oneof(fc.string(), fc.integer(), fc.array(fc.integer(), { minLength: 1 })) }),
    fc.record({ type: fc.constant('complete'), step: fc.constant(STEP), [`x${'y'}`]: fc.anything() }),
    // Valid shape, but the SOP refuses it: wrong output, missing kelengkapan, a step that is not open.
    fc.record({ type: fc.constant('complete'), step: fc.constant(STEP), checklist: fc.constant(['Surat (memuat lokasi diminta/ diusulkan)']), output: junkValue }),
    fc.record({ type: fc.constant('complete'), step: fc.constantFrom('beri-akses-tayang', 'setting-relay', 'lapor-hasil-relay') }),
    fc.record({ type: fc.constant('acknowledge'), rule: fc.constantFrom('tidak-ada', 'larangan-x') }),
  );

  const badHeaders = fc.oneof(
    fc.constant({}),
    fc.record({ 'if-match': fc.string({ minLength: 1 }).filter((s) => !/^(W\/)?"?[0-9]+"?$/.test(s) && /^[\x20-\x7e]*$/.test(s) && s.trim() === s) }),
    fc.record({ 'idempotency-key': fc.string({ minLength: 201, maxLength: 300 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'a')) }),
  );

  async function expectProblem(response: { status: number; contentType: string; body: unknown }, label: string) {
    expect(response.status, `${label}: ${JSON.stringify(response.body)}`).toBeGreaterThanOrEqual(400);
    expect(response.status, label).toBeLessThan(500);
    expect(response.contentType, label).toMatch(/^application\/problem\+json/);
    const body = response.body as { type: string; status: number; detail: string };
    expect(body.status).toBe(response.status);
    expect(body.type).toMatch(/^urn:alur:problem:/);
    expect(body.detail.length).toBeGreaterThan(0);
  }

  it('refuses malformed commands with 4xx problem+json and changes nothing', async () => {
    const before = await databaseFingerprint(db);
    await fc.assert(fc.asyncProperty(badCommand, badHeaders, async (command, headers) => {
      const response = await kadis.request('POST', `/api/v1/cases/${caseId}/commands`, command, headers);
      await expectProblem(response, JSON.stringify({ command, headers }));
      if (response.status === 400) expect((response.body as { errors: Array<{ field: string }> }).errors.length).toBeGreaterThan(0);
    }), { numRuns: 150 });
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('refuses malformed ids, bodies and content types on every writing endpoint', async () => {
    const before = await databaseFingerprint(db);
    // "." and ".." are path segments a URL parser removes, not ids; they would address another route.
    const badId = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) && s !== '.' && s !== '..');
    await fc.assert(fc.asyncProperty(fc.oneof(
      badId.map((id) => ({ client: kadis, method: 'POST', path: `/api/v1/cases/${encodeURIComponent(id)}/commands`, body: JSON.stringify({ type: 'add-note', text: 'x' }), type: 'application/json' })),
      badId.map((id) => ({ client: kadis, method: 'GET', path: `/api/v1/cases/${encodeURIComponent(id)}`, body: undefined, type: undefined })),
      badId.map((id) => ({ client: admin, method: 'PUT', path: `/api/v1/users/${encodeURIComponent(id)}/roles`, body: JSON.stringify({ roles: ['auditor'] }), type: 'application/json' })),
      junkValue.map((v) => ({ client: kadis, method: 'POST', path: '/api/v1/cases', body: JSON.stringify(v), type: 'application/json' })),
      fc.record({ sopId: fc.constantFrom('tidak-ada', 'tarakan-pemantau-cctv'), title: fc.string({ minLength: 1, maxLength: 50 }) }).map((v) => ({ client: kadis, method: 'POST', path: '/api/v1/cases', body: JSON.stringify(v), type: 'application/json' })),
      junkValue.map((v) => ({ client: admin, method: 'PUT', path: `/api/v1/users/${userId}/roles`, body: JSON.stringify(v), type: 'application/json' })),
      fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }).map((roles) => ({ client: admin, method: 'PUT', path: `/api/v1/users/${userId}/roles`, body: JSON.stringify({ roles: roles.map((r) => `zz-${r.replace(/[^a-z]/g, 'q')}`) }), type: 'application/json' })),
      junkValue.map((v) => ({ client: admin, method: 'POST', path: '/api/v1/users', body: JSON.stringify(v), type: 'application/json' })),
      fc.string({ maxLength: 200 }).map((source) => ({ client: owner, method: 'POST', path: '/api/v1/sops', body: JSON.stringify({ source: `id: [${source}` }), type: 'application/json' })),
      fc.string({ minLength: 1, maxLength: 80 }).filter((t) => { try { JSON.parse(t); return false; } catch { return true; } }).map((text) => ({ client: kadis, method: 'POST', path: `/api/v1/cases/${caseId}/commands`, body: text, type: 'application/json' })),
      fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'text/yaml').map((type) => ({ client: kadis, method: 'POST', path: `/api/v1/cases/${caseId}/commands`, body: 'type=add-note&text=x', type })),
    ), async (request) => {
      const response = await request.client.raw(request.method, request.path, { ...(request.body !== undefined ? { body: request.body } : {}), headers: request.type ? { 'content-type': request.type } : {} });
      await expectProblem(response, `${request.method} ${request.path} ${request.body ?? ''}`);
    }), { numRuns: 200 });
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('refuses text PostgreSQL cannot store, huge numbers and deep nesting with 400, not 500', async () => {
    const before = await databaseFingerprint(db);
    const deep = Array.from({ length: 200 }).reduce<unknown>((inner) => ({ a: inner }), 1);
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'a\u0000b' }, '/body/title'],
      ['POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', title: 'a\uD800' }, '/body/title'],
      ['POST', '/api/v1/cases', { sopId: 'pontianak-relay-tayangan', revision: 99_999_999_999 }, '/body/revision'],
      ['POST', `/api/v1/cases/${caseId}/commands`, { type: 'add-note', text: 'x\u0000' }, '/body/text'],
      ['POST', `/api/v1/cases/${caseId}/commands`, { type: 'complete', step: STEP, output: deep }, '/body/output/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a'],
      ['GET', '/api/v1/sops/pontianak-relay-tayangan/revisions/99999999999', undefined, '/params/revision'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await kadis.request(method, path, body);
      await expectProblem(response, `${method} ${path}`);
      expect(response.status).toBe(400);
      expect((response.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toContain(field);
    }
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('checks each command against its own shape: a field another type takes is refused and named, an unknown type lists the types', async () => {
    const before = await databaseFingerprint(db);
    const junk = await kadis.request('POST', `/api/v1/cases/${caseId}/commands`, { type: 'start-step', step: STEP, output: 'x'.repeat(200_000) });
    expect(junk.status).toBe(400);
    expect(junk.body.errors).toEqual([{ field: '/body/output', message: 'is not a known field' }]);
    const unknown = await kadis.request('POST', `/api/v1/cases/${caseId}/commands`, { type: 'delete-case' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: '/body/type', message: 'must be one of start-step, complete, choose, approve, refuse, acknowledge, add-note, start-procedure, retry, cancel' }]);
    const longNote = await kadis.request('POST', `/api/v1/cases/${caseId}/commands`, { type: 'add-note', text: 'x'.repeat(10_001) });
    expect(longNote.status).toBe(400);
    expect(longNote.body.errors.map((e: { field: string }) => e.field)).toEqual(['/body/text']);
    const bigOutput = await kadis.request('POST', `/api/v1/cases/${caseId}/commands`, { type: 'complete', step: STEP, output: { lampiran: 'x'.repeat(70_000) } });
    expect(bigOutput.status).toBe(413);
    expect(bigOutput.body.errors).toEqual([{ field: '/body/output', message: 'is larger than 64 KiB' }]);
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('names the field at fault', async () => {
    const response = await kadis.request('POST', `/api/v1/cases/${caseId}/commands`, { type: 'choose', step: STEP, colour: 'blue' });
    expect(response.status).toBe(400);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: '/body/branch', message: 'is required' },
      { field: '/body/colour', message: 'is not a known field' },
    ]);
  });
});
