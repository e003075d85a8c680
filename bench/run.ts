/**
 * `npm run bench [-- --quick] [-- --label "text"]`: Alur measured side by side with what the
 * database alone can do, on this machine, in one run. Every arm is interleaved with the others
 * and repeated (rotating the order each round), and the report gives medians and, per round,
 * the ratio to the raw SQL arm of the same round — on a shared machine only the ratios count.
 *
 * Arms: the raw step-shaped transaction through `pg` (UPDATE case + INSERT ~500-byte event, one
 * commit) vs Alur's commands in process vs over HTTP, at 1, 4 and 16 clients on PostgreSQL (a fresh
 * schema, dropped afterwards) and at 1 on PGlite; whole Pontianak cases through Alur vs
 * `bpmn-engine` with its state saved per step; Alur's `decide` vs XState's own `transition()`;
 * validate/compile of a generated 200-step SOP; `alur validate` as a command; deadlines fired
 * after a restart; RSS idle and with 10,000 open cases. Appends a dated section to BENCHMARKS.md.
 * PostgreSQL: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database } from '../src/adapters/store/database.js';
import { CYCLE, openCommandArms, type CommandArms } from './lib/command-arms.js';
import { measureCommandCost } from './lib/command-cost.js';
import { measureDecideVsXState } from './lib/decide-arms.js';
import { measureDeadlineBacklog } from './lib/deadline-backlog.js';
import { measureSopTiming, SEED_SOPS, timeCli } from './lib/sop-timing.js';
import { fmt, median, rate } from './lib/stats.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const labelAt = args.indexOf('--label');
const label = labelAt >= 0 ? args[labelAt + 1] ?? '' : '';
const ROUNDS = quick ? 3 : 5;
const ARM_MS = quick ? 1500 : 4000;
const DEADLINES = quick ? 1000 : 10_000;
const OPEN_CASES = 10_000;
const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const ARMS = ['raw', 'inProcess', 'http'] as const;
type Arm = typeof ARMS[number];
const ARM_LABEL: Record<Arm, string> = { raw: 'raw SQL transaction (pg)', inProcess: 'Alur command, in process', http: 'Alur command, over HTTP' };
const CASE_ARMS = ['alurCase', 'bpmn', 'bpmnRecovered'] as const;
type CaseArm = typeof CASE_ARMS[number];
const CASE_LABEL: Record<CaseArm, string> = {
  alurCase: 'Alur, in process (start + 6 commands)',
  bpmn: 'bpmn-engine, kept in memory, state upserted per step',
  bpmnRecovered: 'bpmn-engine, recovered from the saved state per step',
};

interface Setup { name: string; clients: number; arms: CommandArms }
const schemas: string[] = [];

async function postgresSchema(): Promise<Database> {
  const schema = `bench_${process.pid}_${schemas.length}`;
  schemas.push(schema);
  return openDatabase({ databaseUrl: URL, schema });
}

async function dropSchemas(): Promise<void> {
  const admin = await openDatabase({ databaseUrl: URL });
  for (const schema of schemas) await admin.knex.raw(`drop schema if exists ${schema} cascade`);
  await admin.close();
}

async function commandBench(): Promise<string[]> {
  const pgDb = await postgresSchema();
  const pgArms = await openCommandArms(pgDb, { kind: 'pg', connectionString: URL, schema: schemas.at(-1)! }, 16);
  const pglite = new PGlite();
  const liteDb = await openDatabase({ pglite });
  const liteArms = await openCommandArms(liteDb, { kind: 'pglite', pglite }, 1);
  const setups: Setup[] = [
    { name: 'PostgreSQL', clients: 1, arms: pgArms },
    { name: 'PostgreSQL', clients: 4, arms: pgArms },
    { name: 'PostgreSQL', clients: 16, arms: pgArms },
    { name: 'PGlite (in memory)', clients: 1, arms: liteArms },
  ];
  const caseSetups = setups.filter((s) => s.clients <= 4);
  const rates = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  const key = (s: Setup, arm: string) => `${s.name}|${s.clients}|${arm}`;
  log('warm-up');
  for (const s of setups) for (const arm of ARMS) await rate(s.clients, 300, (c) => s.arms[arm](c));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const s of setups) {
      const order = ARMS.map((_, i) => ARMS[(i + round) % ARMS.length]!);
      const measured = new Map<Arm, number>();
      for (const arm of order) measured.set(arm, await rate(s.clients, ARM_MS, (c) => s.arms[arm](c)));
      for (const arm of ARMS) {
        rates.set(key(s, arm), [...(rates.get(key(s, arm)) ?? []), measured.get(arm)!]);
        ratios.set(key(s, arm), [...(ratios.get(key(s, arm)) ?? []), measured.get(arm)! / measured.get('raw')!]);
      }
      log(`round ${round + 1}/${ROUNDS} ${s.name} ×${s.clients}: ${ARMS.map((a) => `${a} ${fmt(measured.get(a)!, 0)}/s`).join(', ')}`);
    }
  }
  log('whole cases: Alur vs bpmn-engine');
  const caseRates = new Map<string, number[]>();
  const caseRatios = new Map<string, number[]>();
  for (const s of caseSetups) for (const arm of CASE_ARMS) await rate(s.clients, 300, (c) => s.arms[arm](c));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const s of caseSetups) {
      const order = CASE_ARMS.map((_, i) => CASE_ARMS[(i + round) % CASE_ARMS.length]!);
      const measured = new Map<CaseArm, number>();
      for (const arm of order) measured.set(arm, await rate(s.clients, ARM_MS, (c) => s.arms[arm](c)));
      for (const arm of CASE_ARMS) {
        caseRates.set(key(s, arm), [...(caseRates.get(key(s, arm)) ?? []), measured.get(arm)!]);
        caseRatios.set(key(s, arm), [...(caseRatios.get(key(s, arm)) ?? []), measured.get('alurCase')! / measured.get(arm)!]);
      }
      log(`cases round ${round + 1}/${ROUNDS} ${s.name} ×${s.clients}: ${CASE_ARMS.map((a) => `${a} ${fmt(measured.get(a)!, 1)}/s`).join(', ')}`);
    }
  }
  log('cost per transaction');
  const cycles = quick ? 10 : 30;
  const costs = [
    { name: 'PostgreSQL', arm: 'inProcess' as const, cost: await measureCommandCost(pgDb, pgArms, 'inProcess', cycles) },
    { name: 'PostgreSQL', arm: 'http' as const, cost: await measureCommandCost(pgDb, pgArms, 'http', cycles) },
    { name: 'PGlite (in memory)', arm: 'inProcess' as const, cost: await measureCommandCost(liteDb, liteArms, 'inProcess', cycles) },
  ];
  await pgArms.close();
  await liteArms.close();
  const lines = [
    `### Step commands vs the raw transaction (${ROUNDS} interleaved rounds × ${ARM_MS} ms per arm)`,
    '',
    `An Alur cycle is one Pontianak case: start + 4 step completions = ${CYCLE} transactions; rates are transactions per second. Ratio: median over rounds of (arm ÷ raw SQL in the same round).`,
    '',
    '| database | clients | arm | median tx/s | per-round tx/s | ratio to raw (median) |',
    '|---|---|---|---|---|---|',
  ];
  for (const s of setups) {
    for (const arm of ARMS) {
      const r = rates.get(key(s, arm))!;
      lines.push(`| ${s.name} | ${s.clients} | ${ARM_LABEL[arm]} | ${fmt(median(r), 0)} | ${r.map((x) => fmt(x, 0)).join(' / ')} | ${fmt(median(ratios.get(key(s, arm))!), 3)}× |`);
    }
  }
  lines.push(
    '',
    `### Whole Pontianak cases: Alur vs bpmn-engine (${ROUNDS} interleaved rounds × ${ARM_MS} ms per arm)`,
    '',
    'One case = start + the six steps in sequence, each persisted: Alur through its commands (7 transactions, events, step rows, jobs, notifications); bpmn-engine 25 running the same chain as six user tasks, `getState()` upserted as one JSON row per step in the same database. Ratio: Alur ÷ the arm, per round, median.',
    '',
    '| database | clients | arm | median cases/s | per-round cases/s | Alur ÷ arm (median) |',
    '|---|---|---|---|---|---|',
  );
  for (const s of caseSetups) {
    for (const arm of CASE_ARMS) {
      const r = caseRates.get(key(s, arm))!;
      lines.push(`| ${s.name} | ${s.clients} | ${CASE_LABEL[arm]} | ${fmt(median(r), 1)} | ${r.map((x) => fmt(x, 1)).join(' / ')} | ${fmt(median(caseRatios.get(key(s, arm))!), 2)}× |`);
    }
  }
  lines.push(
    '',
    `Cost per Alur transaction, one client, ${cycles} cycles (machine-independent: statements as knex reports them, BEGIN/COMMIT included; the raw arm sends 4). Node CPU includes the test client for HTTP, and the database itself for PGlite.`,
    '',
    '| database | arm | SQL statements per transaction | Node CPU ms per transaction |',
    '|---|---|---|---|',
    ...costs.map((c) => `| ${c.name} | ${ARM_LABEL[c.arm]} | ${fmt(c.cost.statementsPerTx, 1)} | ${fmt(c.cost.cpuMsPerTx, 2)} |`),
  );
  return lines;
}

async function deadlineBench(): Promise<string[]> {
  const db = await postgresSchema();
  log(`deadline backlog: ${DEADLINES} overdue deadlines`);
  const result = await measureDeadlineBacklog(db, DEADLINES);
  await db.close();
  return [
    '### Deadlines after a restart (PostgreSQL)',
    '',
    `${fmt(result.count)} deadlines overdue at start-up, scheduler ticking every 100 ms: all fired after **${fmt(result.allFiredS, 1)} s** (${fmt(result.count / result.allFiredS, 0)}/s); a deadline coming due 1 s into the backlog fired **${fmt(result.freshLatenessMs)} ms** after its due time.`,
  ];
}

function sopBench(): string[] {
  log('SOP validate/compile and CLI start');
  const timing = measureSopTiming(quick ? 5 : 15);
  const runs = quick ? 2 : 5;
  // The SOP tooling commands run from a bundle built on first use after a change: build it first.
  timeCli(['--help']);
  const validateCli = median(Array.from({ length: runs }, () => timeCli(['validate', ...SEED_SOPS])));
  const help = median(Array.from({ length: runs }, () => timeCli(['--help'])));
  return [
    '### SOP tooling',
    '',
    `- Generated 200-step SOP (tests/support/big-sops.ts, chain), warm, in process, median: validate **${fmt(timing.validateMs, 1)} ms**, compile **${fmt(timing.compileMs, 1)} ms**.`,
    `- \`node bin/alur.js validate ${SEED_SOPS.join(' ')}\`: **${fmt(validateCli)} ms** wall (median of ${runs}); \`node bin/alur.js --help\`: ${fmt(help)} ms.`,
  ];
}

interface Rss { idleMiB: number; openMiB: number }
function idleRss(mode: 'pglite' | 'postgres', schema?: string): Rss {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/idle-rss.ts', mode, String(OPEN_CASES), ...(mode === 'postgres' ? [URL, schema!] : [])], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Rss;
}

async function rssBench(): Promise<string[]> {
  log('idle RSS');
  const runs = quick ? 1 : 3;
  const lite = Array.from({ length: runs }, () => idleRss('pglite'));
  const pgRuns: Rss[] = [];
  for (let i = 0; i < runs; i += 1) {
    const db = await postgresSchema();
    await db.close();
    pgRuns.push(idleRss('postgres', schemas.at(-1)!));
  }
  const m = (runs: Rss[], k: keyof Rss) => fmt(median(runs.map((r) => r[k])));
  return [
    '### RSS',
    '',
    `Alur served (migrated, demo seed, HTTP server), idle 2 s, RSS of the process: PGlite in memory **${m(lite, 'idleMiB')} MiB**, PostgreSQL **${m(pgRuns, 'idleMiB')} MiB**; then with ${fmt(OPEN_CASES)} open cases (each at its first step, with its step row, deadline and events; cloned in SQL), after listing the first page of cases and of a kadis's tasks, idle 2 s: PGlite **${m(lite, 'openMiB')} MiB**, PostgreSQL **${m(pgRuns, 'openMiB')} MiB** (median of ${runs}).`,
  ];
}

function decideBench(): string[] {
  log('decide vs XState transition()');
  const result = measureDecideVsXState(ROUNDS, quick ? 1000 : 3000);
  return [
    '### The engine alone: Alur `decide` vs XState `transition()`',
    '',
    `One Pontianak case (start + six steps), no database, snapshot round-tripped through JSON per step; ${ROUNDS} interleaved rounds. XState's \`transition()\` on a plain six-state machine of the chain: **${fmt(result.xstateCasesPerS, 0)} cases/s**; Alur's \`decideStart\` + \`decide\` on the compiled SOP (roles, kelengkapan, output schema, effects): **${fmt(result.decideCasesPerS, 0)} cases/s**; ratio decide ÷ transition (median of rounds) **${fmt(result.ratio, 2)}×** (per round: ${result.perRound.map((r) => fmt(r.decide / r.xstate, 2)).join(' / ')}).`,
  ];
}

function machine(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `${model}, nproc ${nproc}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

const commit = (() => { try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })();
const sections: string[] = [];
try {
  sections.push(...sopBench(), '');
  sections.push(...decideBench(), '');
  sections.push(...(await commandBench()), '');
  sections.push(...(await deadlineBench()), '');
  sections.push(...(await rssBench()), '');
} finally {
  await dropSchemas();
}
const now = new Date().toISOString();
const report = [
  '',
  `## ${now.slice(0, 10)} ${now.slice(11, 16)} UTC${label ? ` — ${label}` : ''}`,
  '',
  `Command: \`npm run bench${args.length ? ` -- ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}` : ''}\` at commit ${commit}${quick ? ' (quick mode)' : ''}.`,
  `Machine: ${machine()}. The machine was shared: other engineers were running tests on the same cores while this ran, so absolute rates vary; compare the ratios measured within one round.`,
  '',
  ...sections,
];
if (!readFileSync('BENCHMARKS.md', 'utf8').endsWith('\n')) appendFileSync('BENCHMARKS.md', '\n');
appendFileSync('BENCHMARKS.md', report.join('\n'));
console.log(report.join('\n'));
