/**
 * `node --import tsx bench/login-spray.ts [one|many] [seconds] [concurrency]`: the latency of
 * GET /auth/me while unknown usernames are sprayed at POST /auth/login, from one address or from a
 * new address per attempt (X-Forwarded-For, with the server trusting every proxy). Server, sprayer
 * and measurer are three processes. Numbers, not assertions; the README and reports quote them.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { systemClock } from '../src/adapters/clock.js';
import { openDatabase } from '../src/adapters/store/database.js';
import { migrateToLatest } from '../src/adapters/store/migrate.js';
import { openAlur } from '../src/app/alur.js';
import { seedDemo } from '../src/app/demo-seed.js';
import { loadConfig } from '../src/config.js';
import { startHttpServer } from '../src/server/http-server.js';

const [role = 'main', ...args] = process.argv.slice(2);
const child = (childArgs: string[]) => spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...childArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
async function firstLine(p: ReturnType<typeof child>): Promise<string> {
  for await (const line of createInterface({ input: p.stdout! })) return line;
  throw new Error('child ended without a line');
}

if (role === 'server') {
  const db = await openDatabase({ memory: true });
  await migrateToLatest(db);
  const alur = await openAlur({ database: db, clock: systemClock, adapters: { run: async () => ({ ok: true }) }, migrate: false });
  const seed = await seedDemo(alur, 'sops');
  const config = loadConfig({ ALUR_LOG_LEVEL: 'silent', ...(args[0] === 'many' ? { ALUR_TRUST_PROXY: 'true' } : {}) });
  const server = await startHttpServer({ alur, config, logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url: server.url, username: seed.created[0]!.username, password: seed.created[0]!.password }));
} else if (role === 'spray') {
  const [url, addresses, concurrency, seconds] = args as [string, string, string, string];
  const statuses: Record<number, number> = {};
  let n = 0;
  const end = performance.now() + Number(seconds) * 1000;
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (performance.now() < end) {
      n += 1;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(addresses === 'many' ? { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` } : {}) };
      const response = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username: `nobody-${n}`, password: 'wrong-password' }) });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  }));
  console.log(JSON.stringify(statuses));
} else {
  const [addresses = 'one', seconds = '10', concurrency = '32'] = [role === 'main' ? undefined : role, ...args];
  const server = child(['server', addresses]);
  const { url, username, password } = JSON.parse(await firstLine(server)) as { url: string; username: string; password: string };
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const measure = async (ms: number) => {
    const latencies: number[] = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const started = performance.now();
      await (await fetch(`${url}/api/v1/auth/me`, { headers: { cookie } })).arrayBuffer();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return latencies;
  };
  const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  const summary = (xs: number[]) => `n=${xs.length} p50=${percentile(xs, 50).toFixed(1)} p99=${percentile(xs, 99).toFixed(1)} max=${Math.max(...xs).toFixed(1)} ms`;
  console.log(`baseline: GET /auth/me ${summary(await measure(5_000))}`);
  const sprayer = child(['spray', url, addresses, concurrency, String(Number(seconds) + 1)]);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const during = await measure(Number(seconds) * 1000);
  console.log(`spraying unknown usernames (${addresses === 'many' ? 'a new address each' : 'one address'}, ${concurrency} at once): GET /auth/me ${summary(during)}; login answers ${await firstLine(sprayer)}`);
  server.kill();
}
