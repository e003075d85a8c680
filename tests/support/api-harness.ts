/**
 * Alur served for real on 127.0.0.1 (port 0) on a fresh database, with the demo organisations,
 * SOPs and accounts, and a small client that logs in like a browser (cookie + CSRF token).
 */
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../src/adapters/clock.js';
import type { Database } from '../../src/adapters/store/database.js';
import type { AdapterRunner } from '../../src/engine/index.js';
import { openAlur, type Alur } from '../../src/app/alur.js';
import { seedDemo, type DemoAccount } from '../../src/app/demo-seed.js';
import { loadConfig } from '../../src/config.js';
import type { LoginThrottle } from '../../src/server/auth/login-throttle.js';
import { startHttpServer, type RunningServer } from '../../src/server/http-server.js';
import { recordingRunner } from './alur-harness.js';
import type { Dialect } from './databases.js';

export interface ApiHarness {
  alur: Alur;
  clock: ManualClock;
  server: RunningServer;
  url: string;
  accounts: Map<string, DemoAccount>;
  /** Log in as a demo account. */
  login(username: string): Promise<ApiClient>;
  /** Log in as any account. */
  loginWith(username: string, password: string): Promise<ApiClient>;
  anonymous(): ApiClient;
  close(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  contentType: string;
}

export interface ApiClient {
  username: string | null;
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** A raw request (body sent as given), for malformed-input tests. */
  raw(method: string, path: string, init: { body?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  cookie: string;
  csrf: string;
}

const SOPS_DIR = new URL('../../sops', import.meta.url).pathname;

export interface ApiOptions {
  /** Configuration besides ALUR_LOG_LEVEL=silent, e.g. { ALUR_TRUST_PROXY: 'loopback' }. */
  env?: Record<string, string>;
  /** The server's login throttle, on the harness clock (e.g. one whose sleep only records the delay). */
  loginThrottle?: (clock: ManualClock) => LoginThrottle;
  /** Adapters the server's jobs run (default: answer at once and remember the calls). */
  runner?: AdapterRunner | ((alur: Alur) => AdapterRunner);
}

export async function startApi(db: Database, options: ApiOptions = {}): Promise<ApiHarness> {
  const clock = new ManualClock('2026-03-02T00:00:00.000Z');
  const alur = await openAlur({
    database: db, clock, adapters: options.runner ?? recordingRunner(), migrate: false,
    ...(options.env?.ALUR_CAMERA_KEY ? { cameraKey: options.env.ALUR_CAMERA_KEY } : {}),
  });
  const seed = await seedDemo(alur, SOPS_DIR);
  const config = loadConfig({ ALUR_LOG_LEVEL: 'silent', ...options.env });
  const server = await startHttpServer({
    alur, config, logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1', heartbeatMs: 100,
    ...(options.loginThrottle ? { loginThrottle: options.loginThrottle(clock) } : {}),
  });
  const accounts = new Map(seed.created.map((a) => [a.username, a]));

  const client = (username: string | null, cookie: string, csrf: string): ApiClient => {
    const raw = async (method: string, path: string, init: { body?: string; headers?: Record<string, string> }) => {
      const response = await fetch(`${server.url}${path}`, {
        method, ...(init.body !== undefined ? { body: init.body } : {}),
        headers: { ...(cookie ? { cookie } : {}), ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}), ...init.headers },
      });
      const contentType = response.headers.get('content-type') ?? '';
      const text = await response.text();
      const body = contentType.includes('json') && text ? JSON.parse(text) : text;
      return { status: response.status, body, headers: response.headers, contentType };
    };
    return {
      username, cookie, csrf, raw,
      request: (method, path, body, headers = {}) =>
        raw(method, path, { ...(body !== undefined ? { body: JSON.stringify(body) } : {}), headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } }),
    };
  };

  const loginWith = async (username: string, password: string): Promise<ApiClient> => {
    const response = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return client(username, cookie, csrfToken);
  };

  return {
    alur, clock, server, url: server.url, accounts, loginWith,
    anonymous: () => client(null, '', ''),
    async login(username) {
      const account = accounts.get(username);
      if (!account) throw new Error(`no demo account ${username}`);
      return loginWith(username, account.password);
    },
    close: () => server.close(),
  };
}

/** Alur served on a fresh database of `dialect` for the enclosing describe. Read `t.api` inside tests. */
export function useApi(dialect: Dialect, options: ApiOptions = {}): { readonly db: Database; readonly api: ApiHarness } {
  let db: Database | undefined;
  let api: ApiHarness | undefined;
    beforeAll(async () => {
    db = await dialect.open();
    api = await startApi(db, options);
  });
  afterAll(async () => {
    await api?.close();
  });
  return {
    get db() { return db!; },
    get api() { return api!; },
  };
}
