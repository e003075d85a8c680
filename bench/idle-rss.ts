/**
 * Child process of `npm run bench`: open Alur (migrated, demo seed, HTTP server on 127.0.0.1:0)
 * on PGlite in memory or on PostgreSQL (`<open-cases> postgres <url> <schema>`), stay idle for two
 * seconds and take the resident set size; then open `<open-cases>` Pontianak cases (one started,
 * the rest cloned in SQL), list the first page of cases and of a kadis's tasks, stay idle two
 * seconds and take it again. Prints both in MiB as JSON.
 */
import { pino } from 'pino';
import { ManualClock } from '../src/adapters/clock.js';
import { openAlur } from '../src/app/alur.js';
import { listMyTasks, listVisibleCases } from '../src/app/case-queries.js';
import { seedDemo } from '../src/app/demo-seed.js';
import { loadConfig } from '../src/config.js';
import { startHttpServer } from '../src/server/http-server.js';
import { cloneCase } from './lib/deadline-backlog.js';

const [mode, openCases, url, schema] = process.argv.slice(2);
const ORG = 'kota-pontianak';
const alur = await openAlur({
  database: mode === 'postgres' ? { databaseUrl: url!, schema: schema! } : { memory: true },
  clock: new ManualClock(), adapters: { run: async () => null }, relayChanges: false,
});
await seedDemo(alur, new URL('../sops', import.meta.url).pathname);
const server = await startHttpServer({ alur, config: loadConfig({ ALUR_LOG_LEVEL: 'silent' }), logger: pino({ level: 'silent' }), port: 0, host: '127.0.0.1' });
const idle = () => new Promise((resolve) => setTimeout(resolve, 2000));
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
await idle();
const idleMiB = rssMiB();
const template = (await alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: { id: 'pontianak.kadis', roles: ['kadis'] }, organizationId: ORG })).case.id;
await cloneCase(alur.db.knex, template, Number(openCases) - 1);
const viewer = { username: 'pontianak.kadis', organizationId: ORG, roles: ['kadis'] };
const cases = await listVisibleCases(alur, viewer, { limit: 50 });
const tasks = await listMyTasks(alur, viewer, 50);
if (cases.length !== 50 || tasks.length !== 50) throw new Error(`bench: expected full first pages, got ${cases.length} cases and ${tasks.length} tasks`);
await idle();
console.log(JSON.stringify({ idleMiB, openMiB: rssMiB() }));
await server.close();
await alur.close();
