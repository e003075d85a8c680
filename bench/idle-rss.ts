/**
 * Child process of `npm run bench`: open Alur (migrated, demo seed, HTTP server on 127.0.0.1:0)
 * on PGlite in memory or on PostgreSQL (`postgres <url> <schema>`), stay idle for two seconds,
 * print the resident set size in MiB, and stop.
 */
import { pino } from 'pino';
import { ManualClock } from '../src/adapters/clock.js';
import { openAlur } from '../src/app/alur.js';
import { seedDemo } from '../src/app/demo-seed.js';
import { loadConfig } from '../src/config.js';
import { startHttpServer } from '../src/server/http-server.js';

const [mode, url, schema] = process.argv.slice(2);
const alur = await openAlur({
  database: mode === 'postgres' ? { databaseUrl: url!, schema: schema! } : { memory: true },
  clock: new ManualClock(), adapters: { run: async () => null }, relayChanges: false,
});
await seedDemo(alur, new URL('../sops', import.meta.url).pathname);
const server = await startHttpServer({ alur, config: loadConfig({ ALUR_LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1' });
await new Promise((resolve) => setTimeout(resolve, 2000));
console.log(JSON.stringify({ rssMiB: process.memoryUsage().rss / 2 ** 20 }));
await server.close();
await alur.close();
