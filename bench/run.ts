/**
 * `npm run bench`: throughput of the pure engine and of case commands through the store, on
 * PGlite and (when DATABASE_URL is set) PostgreSQL. Writes BENCHMARKS.md with the machine and
 * the command. Numbers, not assertions: targets live here, never in timed tests.
 */
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { Bench, type Task } from 'tinybench';
import { ManualClock } from '../src/adapters/clock.js';
import { openDatabase, type Database } from '../src/adapters/store/database.js';
import { openAlur, type Alur } from '../src/app/alur.js';
import { publishSop } from '../src/app/publish-sop.js';
import { compileSop, createRunnableVersion, decide, decideStart, validateSop, type CaseCommand } from '../src/engine/index.js';

const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 3000);
const tarakan = readFileSync('sops/tarakan-pemantau-cctv.yaml', 'utf8');
const pontianak = readFileSync('sops/pontianak-relay-tayangan.yaml', 'utf8');
const definition = validateSop(pontianak, 'p.yaml').definition!;
const KIT = ['IP', 'Internet', 'Komputer', 'DII'];
const kadis = { id: 'kadis', roles: ['kadis'] };
const opd = { id: 'opd', roles: ['opd'] };
const LETTER: CaseCommand = { type: 'complete', step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '1', tanggal: '2020-01-01', lokasi: ['A'] } };
const ACCESS: CaseCommand = { type: 'complete', step: 'beri-akses-tayang', checklist: KIT, output: { kamera: 'a', streamUrl: 'rtsp://127.0.0.1/a', credentialsRef: 'r' } };

interface Row { group: string; name: string; task: Task; unit: string }
const rows: Row[] = [];

async function engineBench(): Promise<void> {
  const runnable = createRunnableVersion(1, definition);
  const start = decideStart(runnable, new Date(0));
  const stored = { caseId: 'c', seq: 1, status: 'active' as const, snapshot: start.snapshot };
  const bench = new Bench({ time: TIME_MS, warmupTime: 300 });
  bench
    .add('validate the Tarakan SOP (parse, schema, semantics)', () => { validateSop(tarakan, 't.yaml'); })
    .add('compile the Pontianak SOP to an XState machine', () => { compileSop(definition); })
    .add('decide one command (restore snapshot, transition, persist)', () => { decide(runnable, stored, LETTER, kadis, new Date(0)); });
  await bench.run();
  for (const task of bench.tasks) rows.push({ group: 'engine (pure, in process)', name: task.name, task, unit: 'ops/s' });
}

async function storeBench(label: string, db: Database, concurrency: number): Promise<void> {
  const clock = new ManualClock();
  const alur: Alur = await openAlur({ database: db, clock, adapters: { run: async () => null } });
  await publishSop(db.knex, { source: pontianak, file: 'p.yaml', by: 'bench', at: clock.now() });
  // One iteration = two commands on a fresh case: complete the letter, complete the access.
  const startCase = async () => (await alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis })).case.id;
  const bench = new Bench({ time: TIME_MS, warmupTime: 300 });
  bench.add(`${label}: start a case (1 transaction)`, async () => { await startCase(); });
  bench.add(`${label}: ${concurrency} client(s), 2 commands each on its own case`, async () => {
    const ids = await Promise.all(Array.from({ length: concurrency }, startCase));
    await Promise.all(ids.map(async (id) => {
      await alur.cases.execute({ caseId: id, actor: kadis, command: LETTER });
      await alur.cases.execute({ caseId: id, actor: opd, command: ACCESS });
    }));
  });
  await bench.run();
  rows.push({ group: `store: ${label}`, name: bench.tasks[0]!.name, task: bench.tasks[0]!, unit: 'cases/s' });
  rows.push({ group: `store: ${label}`, name: bench.tasks[1]!.name, task: bench.tasks[1]!, unit: `×${concurrency * 3} transactions` });
  await alur.close();
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

await engineBench();
await storeBench('PGlite (in memory)', await openDatabase({ memory: true }), 1);
const url = process.env.DATABASE_URL;
if (url) {
  for (const concurrency of [1, 4]) {
    const schema = `bench_${process.pid}_${concurrency}`;
    const db = await openDatabase({ databaseUrl: url, schema });
    await storeBench(`PostgreSQL`, db, concurrency);
    const cleanup = await openDatabase({ databaseUrl: url });
    await cleanup.knex.raw(`drop schema ${schema} cascade`);
    await cleanup.close();
  }
}

const lines = [
  '# Benchmarks',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} with \`${url ? 'DATABASE_URL=postgres://… ' : ''}npm run bench\` (tinybench, ${TIME_MS} ms per task after warm-up).`,
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}.`,
  '',
  '| group | task | throughput (per s) | mean latency | p99 latency | samples |',
  '|---|---|---|---|---|---|',
  ...rows.map(({ group, name, task, unit }) => {
    const r = task.result as unknown as { throughput: { mean: number; rme: number }; latency: { mean: number; p99: number; samplesCount: number } };
    const samples = r.latency.samplesCount;
    return `| ${group} | ${name} | ${fmt(r.throughput.mean, 1)} ± ${fmt(r.throughput.rme, 1)}% (${unit}) | ${fmt(r.latency.mean, 3)} ms | ${fmt(r.latency.p99, 3)} ms | ${samples} |`;
  }),
  '',
  `Peak RSS of the benchmark process: ${fmt(process.resourceUsage().maxRSS / 1024)} MiB.`,
  '',
  'Reading the store rows: one iteration of the "clients" task starts one case per client and gives each two commands, all in parallel, so it is `3 × clients` transactions; transactions per second = throughput × 3 × clients.',
  '',
];
writeFileSync('BENCHMARKS.md', lines.join('\n'));
console.log(lines.join('\n'));
