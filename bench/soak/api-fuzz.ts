/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document and its schemas are read as loose JSON */
/**
 * Part 2, the API fuzz: generated requests over every route of the server's own OpenAPI document,
 * against `alur serve` in a child process: bad types, huge and deep bodies, unicode and NUL, wrong
 * content types, other organisations' ids, expired and revoked credentials, missing CSRF tokens.
 * The promise: no 5xx, and memory does not run away.
 */
import { systemClock } from '../../src/adapters/clock.js';
import { accountsOf, SYSTEM } from '../../src/app/accounts.js';
import { openAlur } from '../../src/app/alur.js';
import { seedDemo } from '../../src/app/demo-seed.js';
import { createBackend, type BackendName } from './backends.js';
import { deepText, fitting, hostile, NASTY_STRINGS, pick, seeded, type Random } from './fuzz-values.js';
import type { Section } from './report.js';
import { freePort, serverProcess } from './server-process.js';

export interface ApiFuzzOptions {
  backend: BackendName;
  postgresUrl?: string;
  requests: number;
  /** Stop after this long even if fewer requests were sent (seconds); the figures say so. */
  maxSeconds?: number;
  concurrency: number;
  seed: number;
  log?: (line: string) => void;
}

interface Operation { method: string; path: string; op: Record<string, any> }
interface Credential { name: string; headers: Record<string, string>; org?: string }

const ORGS = ['kota-tarakan', 'kota-pontianak'] as const;

/** Accounts, tokens (valid, expired, revoked), one case per organisation, and target users to act on. */
async function prepare(options: ApiFuzzOptions) {
  const backend = await createBackend(options.backend, options.postgresUrl);
  const alur = await openAlur({ database: backend.options, clock: systemClock, adapters: { run: async () => null } });
  const ids: string[] = [];
  const credentials: Credential[] = [];
  const passwords = new Map<string, string>();
  try {
    const seed = await seedDemo(alur, 'sops');
    const accounts = accountsOf(alur);
    for (const a of seed.created) {
      passwords.set(a.username, a.password);
      const user = (await accounts.findUser(a.username))!;
      credentials.push({ name: `token:${a.roles[0]}`, org: a.organization, headers: { authorization: `Bearer ${(await accounts.createToken(user.id, { name: 'fuzz' })).token}` } });
    }
    const someone = (await accounts.findUser('tarakan.petugas'))!;
    const expired = await accounts.createToken(someone.id, { name: 'expired', expiresInDays: 1 });
    await alur.db.knex('api_tokens').where({ id: expired.info.id }).update({ expires_at: new Date(Date.now() - 86_400_000) });
    const revoked = await accounts.createToken(someone.id, { name: 'revoked' });
    await accounts.revokeToken(SYSTEM, revoked.info.id);
    credentials.push({ name: 'expired token', headers: { authorization: `Bearer ${expired.token}` } });
    credentials.push({ name: 'revoked token', headers: { authorization: `Bearer ${revoked.token}` } });
    ids.push(revoked.info.id, expired.info.id);
    for (const org of ORGS) {
      const target = await accounts.createUser(SYSTEM, { organizationId: org, username: `${org}.fuzz-target`, displayName: 'Target', roles: ['auditor'] });
      ids.push(target.user.id);
      const sopId = org === 'kota-tarakan' ? 'tarakan-pemantau-cctv' : 'pontianak-relay-tayangan';
      const starter = org === 'kota-tarakan' ? 'tarakan.petugas' : 'pontianak.kadis';
      const started = await alur.cases.startCase({ sopId, actor: { id: starter, roles: [starter.split('.')[1]!] }, organizationId: org });
      ids.push(started.case.id, sopId, org);
    }
  } finally {
    await alur.close();
  }
  return { backend, ids, credentials, passwords };
}

export async function runApiFuzz(options: ApiFuzzOptions): Promise<{ section: Section; ok: boolean }> {
  const log = options.log ?? (() => undefined);
  const { backend, ids, credentials, passwords } = await prepare(options);
  const server = serverProcess(await freePort(), { ...backend.env, ALUR_SOPS_DIR: 'sops' });
  const failures: string[] = [];
  const statuses = new Map<number | string, number>();
  const routesHit = new Set<string>();
  let fiveHundreds = 0;
  try {
    await server.start();
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, Record<string, any>>> };
    const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
    // Browser sessions: a cookie with its CSRF token, and the same cookie without it.
    for (const username of ['tarakan.admin', 'pontianak.kadis', 'tarakan.petugas']) {
      const response = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: passwords.get(username) }) });
      const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await response.json()) as { csrfToken: string };
      credentials.push({ name: 'session', headers: { cookie, 'x-csrf-token': csrfToken } }, { name: 'session without CSRF', headers: { cookie } });
    }
    credentials.push(
      { name: 'none', headers: {} }, { name: 'garbage bearer', headers: { authorization: 'Bearer alur_' + 'x'.repeat(40) } },
      { name: 'malformed authorization', headers: { authorization: 'Basic \u00ff\u00fe' } }, { name: 'garbage cookie', headers: { cookie: 'alur_session=%00%ff; x=' + 'y'.repeat(5000) } },
    );
    const pools = { strings: [...ids, ...NASTY_STRINGS.slice(0, 12), 'tarakan-pemantau-cctv', 'pontianak-relay-tayangan'] };
    const rssBefore = server.rss();
    let pdfs = 0;
    let sent = 0;
    const started = Date.now();
    const stopAt = options.maxSeconds !== undefined ? started + options.maxSeconds * 1000 : Infinity;

    function buildRequest(r: Random): { url: string; init: RequestInit; label: string } {
      const { method, path, op } = pick(r, operations);
      const label = `${method} ${path}`;
      routesHit.add(label);
      const params = (op.parameters ?? []) as Array<{ name: string; in: string; schema: Record<string, any> }>;
      let url = path.replace(/\{(\w+)\}/g, () => (r() < 0.03 ? pick(r, ['%', '%zz', '%ff', '%00', '..', '%2e%2e%2f']) : encodeURIComponent(String(r() < 0.75 ? pick(r, pools.strings) : hostile(r, 'x')).toWellFormed())));
      const query = new URLSearchParams();
      for (const p of params.filter((x) => x.in === 'query')) {
        if (r() < 0.4) continue;
        const value = r() < 0.7 ? fitting(r, p.schema, pools) : hostile(r, 1);
        query.append(p.name, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
        if (r() < 0.05) query.append(p.name, 'again');
      }
      if (r() < 0.1) query.append(pick(r, ['unknown', '__proto__', 'a[b]', 'limit[]']), pick(r, NASTY_STRINGS));
      // Rendering a PDF starts Chromium: a handful is enough to know it holds.
      if (query.get('format') === 'pdf' && ++pdfs > 5) query.set('format', 'svg');
      if ([...query].length > 0) url += `?${query}`;
      const headers: Record<string, string> = {};
      // Logging out with a token revokes it: the fuzz keeps its valid tokens for the other routes.
      const usable = path === '/auth/logout' ? credentials.filter((c) => !c.name.startsWith('token:')) : credentials;
      Object.assign(headers, pick(r, usable).headers);
      for (const p of params.filter((x) => x.in === 'header')) if (r() < 0.5) headers[p.name] = String(r() < 0.7 ? fitting(r, p.schema, pools) : pick(r, NASTY_STRINGS)).replace(/[^\t\x20-\x7e]/g, '?');
      let body: string | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        const roll = r();
        if (roll < 0.1) body = pick(r, ['{', '{"a":', 'null', '[]', '"x"', '\u0000', '{"a":1}{"b":2}', deepText(Math.floor(r() * 50_000) + 1000)]);
        else if (roll < 0.13) body = JSON.stringify({ source: 'x'.repeat(2_100_000) });
        else {
          let value = fitting(r, schema ?? { type: 'object' }, pools);
          if (r() < 0.6) value = hostile(r, value);
          body = JSON.stringify(value);
        }
        const contentType = r() < 0.8 ? 'application/json' : pick(r, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/xml', '']);
        if (contentType) headers['content-type'] = contentType;
      }
      return { url: `${server.url}/api/v1${url}`, init: { method, headers, ...(body !== undefined ? { body } : {}) }, label };
    }

    async function worker(w: number): Promise<void> {
      const r = seeded(options.seed * 1000 + w);
      while (sent < options.requests && Date.now() < stopAt) {
        sent += 1;
        const { url, init, label } = buildRequest(r);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 60_000);
        try {
          const response = await fetch(url, { ...init, signal: controller.signal });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.headers.get('content-type')?.startsWith('text/event-stream')) controller.abort();
          else {
            const text = await response.text();
            if (response.status >= 500) {
              fiveHundreds += 1;
              if (failures.length < 50) failures.push(`${response.status} on ${label} (${init.method} ${url.slice(server.url.length, server.url.length + 160)}, body ${String(init.body ?? '').slice(0, 120)}): ${text.slice(0, 200)}`);
            }
          }
        } catch (error) {
          const name = (error as Error).name;
          const label = name === 'AbortError' ? 'timeout (60 s)' : 'connection error';
          statuses.set(label, (statuses.get(label) ?? 0) + 1);
          if (name !== 'AbortError' && failures.length < 50) failures.push(`no answer on ${label}: ${(error as Error).message} ${String((error as Error & { cause?: Error }).cause?.message ?? '')}`);
        } finally {
          clearTimeout(timer);
        }
        if (sent % 10_000 === 0) log(`  api fuzz: ${sent} requests, ${fiveHundreds} 5xx, rss ${((server.rss() ?? 0) / 2 ** 20).toFixed(0)} MiB`);
      }
    }

    await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
    const rssAfter = server.rss();
    const alive = await fetch(`${server.url}/readyz`).then((x) => x.status, () => 0);
    if (alive !== 200) failures.push(`the server does not answer /readyz after the fuzz (${alive})`);
    const mib = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MiB`);
    const elapsed = (Date.now() - started) / 1000;
    const figures: Section['figures'] = [
      ['backend', options.backend],
      ['requests', sent],
      ['stopped by the time bound', sent < options.requests ? `yes, after ${sent} of ${options.requests} requests (${options.maxSeconds} s)` : 'no'],
      ['duration', `${elapsed.toFixed(0)} s (${(sent / elapsed).toFixed(0)} requests/s, ${options.concurrency} at once)`],
      ['routes in the OpenAPI document / fuzzed', `${operations.length} / ${routesHit.size}`],
      ['credentials mixed in', credentials.map((c) => c.name).filter((n, i, all) => all.indexOf(n) === i).join(', ')],
      ['status codes', [...statuses.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]))).map(([s, n]) => `${s}: ${n}`).join(', ')],
      ['5xx', fiveHundreds],
      ['server RSS before / after', `${mib(rssBefore)} / ${mib(rssAfter)}`],
      ['seed', options.seed],
    ];
    return { ok: failures.length === 0 && fiveHundreds === 0, section: { title: `API fuzz, ${options.backend}`, command: '', figures, failures } };
  } finally {
    await server.stop().catch(() => undefined);
    if (server.stderr().trim()) log(`  server stderr (tail): ${server.stderr().slice(-1500)}`);
    await backend.dispose();
  }
}

