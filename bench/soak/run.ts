/**
 * `npm run soak`: Alur's promises tried at volume, each part bounded in time and count, on
 * loopback only. Writes a dated section per part into RELIABILITY.md and exits non-zero when a
 * promise was broken.
 *
 *   npm run soak -- [--backend pglite|postgres|both] [--parts crash,api,sop,matrices] [--quick]
 *                   [--kills N] [--max-seconds S] [--concurrency C] [--api-requests N] [--api-max-seconds S]
 *                   [--sop-cases N] [--sop-workers N] [--sop-max-seconds S] [--matrix-rounds N] [--report FILE | --no-report]
 *
 * `--quick` is a CI-sized run (a few kills, a few thousand fuzz cases); without it the volumes
 * are the ones RELIABILITY.md promises (≥ 100 kills per backend, ≥ 100,000 requests and SOP files).
 */
import { parseArgs } from 'node:util';
import type { BackendName } from './backends.js';
import { DEFAULT_POSTGRES_URL } from './backends.js';
import { runApiFuzz } from './api-fuzz.js';
import { runCrashLoop } from './crash-loop.js';
import { runMatrices } from './matrices.js';
import { runSopFuzz } from './sop-fuzz.js';
import { appendSection, RELIABILITY_FILE, type Section } from './report.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'both' },
    parts: { type: 'string', default: 'crash,api,sop,matrices' },
    quick: { type: 'boolean', default: false },
    kills: { type: 'string' },
    'max-seconds': { type: 'string' },
    concurrency: { type: 'string' },
    'api-requests': { type: 'string' },
    'api-max-seconds': { type: 'string' },
    'sop-cases': { type: 'string' },
    'sop-workers': { type: 'string' },
    'sop-max-seconds': { type: 'string' },
    'matrix-rounds': { type: 'string' },
    seed: { type: 'string', default: '20261125' },
    report: { type: 'string', default: RELIABILITY_FILE },
    'no-report': { type: 'boolean', default: false },
  },
});

const quick = values.quick!;
const num = (value: string | undefined, full: number, small: number) => (value !== undefined ? Number(value) : quick ? small : full);
const backends: BackendName[] = values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend as BackendName];
if (!backends.every((b) => b === 'pglite' || b === 'postgres')) throw new Error(`--backend must be pglite, postgres or both (got "${values.backend}")`);
const parts = new Set(values.parts!.split(',').map((p) => p.trim()));
const postgresUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
const command = `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim();
const log = (line: string) => process.stderr.write(`${line}\n`);

let failed = false;
const record = (section: Section, ok: boolean) => {
  failed ||= !ok;
  section.command = command;
  log(`${ok ? 'PASS' : 'FAIL'} ${section.title}: ${section.failures.length} failures`);
  for (const [k, v] of section.figures) log(`  ${k}: ${v}`);
  for (const f of section.failures.slice(0, 10)) log(`  ! ${f}`);
  if (!values['no-report']) appendSection(values.report!, section, new Date());
};

// The validator touches no database: once per run, not per backend.
if (parts.has('sop')) {
  const result = await runSopFuzz({ cases: num(values['sop-cases'], 100_000, 2_000), workers: num(values['sop-workers'], 2, 1), ...(values['sop-max-seconds'] ? { maxSeconds: Number(values['sop-max-seconds']) } : {}), seed: Number(values.seed), log });
  record(result.section, result.ok);
}

for (const backend of backends) {
  if (parts.has('crash')) {
    const result = await runCrashLoop({
      backend, postgresUrl, log,
      kills: num(values.kills, 100, 3),
      maxSeconds: num(values['max-seconds'], 1800, 60),
      concurrency: num(values.concurrency, 8, 4),
      upMs: quick ? [1000, 2000] : [2000, 6000],
      budgetSeconds: 2,
    });
    record(result.section, result.ok);
  }
  if (parts.has('api')) {
    const result = await runApiFuzz({ backend, postgresUrl, log, requests: num(values['api-requests'], 100_000, 2_000), ...(values['api-max-seconds'] ? { maxSeconds: Number(values['api-max-seconds']) } : {}), concurrency: 8, seed: Number(values.seed) });
    record(result.section, result.ok);
  }
  if (parts.has('matrices')) {
    const result = runMatrices({ backend, postgresUrl, log, rounds: num(values['matrix-rounds'], 5, 1) });
    record(result.section, result.ok);
  }
}

process.exitCode = failed ? 1 : 0;
