/**
 * Part 3, the SOP fuzz: mutated SOP files through the validator (and, when valid, the compiler).
 * The samples are the property tests' own `mutatedSopArb` (data- and text-level damage to the
 * seeds and to generated SOPs), plus the attacks a hostile upload would try: YAML alias bombs,
 * huge numbers, deep nesting, NUL and stray unicode. The promise: no exception, no case slower
 * than a second, every diagnostic with a position.
 *
 * Each generated sample is validated twice, as generated and with one of the attacks applied: two
 * different files, both counted, for one generation (generating cost a third of the time). The
 * files are split over worker threads, each with its own seeds, and their figures added up.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parse } from 'yaml';
import { compileSop, validateSop, type Diagnostic } from '../../src/engine/index.js';
import { mutatedSopArb } from '../../tests/support/sop-arbitrary.js';
import { pick, seeded, type Random } from './fuzz-values.js';
import type { Section } from './report.js';

const FILE = 'sops/fuzz.yaml';
const SEEDS = ['pontianak-relay-tayangan.yaml', 'tarakan-pemantau-cctv.yaml'].map((name) => {
  const text = readFileSync(`sops/${name}`, 'utf8');
  return { name, text, data: parse(text) as unknown };
});

/** The attacks `mutatedSopArb` does not make, applied to one of its samples. */
function attack(r: Random, text: string): { kind: string; text: string } {
  const lines = text.split('\n');
  const at = Math.floor(r() * lines.length);
  const insert = (extra: string) => [...lines.slice(0, at), extra, ...lines.slice(at)].join('\n');
  switch (Math.floor(r() * 9)) {
    case 0: {
      // Billion laughs: each level refers to the one before ten times.
      const levels = 3 + Math.floor(r() * 8);
      const bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i <= levels; i += 1) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]`);
      return { kind: 'alias bomb', text: `${text}\n${bomb.join('\n')}\nbom: *a${levels}\n` };
    }
    case 1: return { kind: 'huge number', text: text.replace(/^version: .*$/m, `version: ${pick(r, ['1e400', '99999999999999999999999', '-0', '0x7fffffffffffffff', '.nan', '1_000_000'])}`) };
    case 2: return { kind: 'huge number', text: text.replace(/^(\s+time:\s*).*$/m, `$1${pick(r, ['99999999999999999999 jam', '1e308 menit', 'P99999999Y', 'PT999999999999H', '-5 menit', '0 detik'])}`) };
    case 3: {
      const depth = 50 + Math.floor(r() * 20_000);
      return { kind: 'deep nesting', text: insert(`deep: ${'['.repeat(depth)}${']'.repeat(depth)}`) };
    }
    case 4: {
      const depth = 50 + Math.floor(r() * 3000);
      const block = [...Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`), `${' '.repeat(depth)}x: 1`].join('\n');
      return { kind: 'deep nesting', text: `${text}\n${block}\n` };
    }
    case 5: return { kind: 'NUL and unicode', text: insert(pick(r, ['\u0000', 'a\u0000: b', '\ud800', '\uFEFF', '\u202e', '🙂: 🙃', '\u0085', '\u2028'])) };
    case 6: return { kind: 'line edit', text: lines.filter((_, i) => i !== at).join('\n') };
    case 7: return { kind: 'line edit', text: insert(lines[Math.floor(r() * lines.length)] ?? '') };
    default: return { kind: 'many keys', text: `${text}\n${Array.from({ length: 1 + Math.floor(r() * 5000) }, (_, i) => `k${i}: ${i}`).join('\n')}\n` };
  }
}

export interface SopFuzzOptions {
  cases: number;
  seed: number;
  /** Worker threads sharing the files (1: in this thread). */
  workers?: number;
  /** Stop after this long even if fewer files were tried (seconds); the figures say so. */
  maxSeconds?: number;
  log?: (line: string) => void;
}

/** What one shard found; shards' results add up. */
export interface ShardResult {
  done: number;
  valid: number;
  exceptions: number;
  slow: number;
  slowWall: number;
  unpositioned: number;
  maxMs: number;
  maxCpuMs: number;
  kinds: Array<[string, number]>;
  failures: string[];
}

const TICK_MS = 10; // USER_HZ is 100 on Linux
/**
 * CPU time of this thread (ms): /proc/thread-self/stat on Linux (10 ms ticks), read by the thread
 * itself, so worker threads do not count each other's work, which process.cpuUsage() does (it
 * flagged 3 files "over 1 s" in the first 2-thread run). Elsewhere, the whole process's.
 */
function threadCpuMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
}

/** Validate (and compile, when valid) one file and count what went wrong. */
function tryOne(text: string, kind: string, into: ShardResult, kinds: Map<string, number>): void {
  const { failures } = into;
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  const t0 = performance.now();
  const cpu0 = threadCpuMs();
  try {
    const result = validateSop(text, FILE);
    const lines = text.split('\n').length;
    const positioned = (d: Diagnostic) => Number.isInteger(d.line) && Number.isInteger(d.column) && d.line >= 1 && d.column >= 1 && d.line <= lines + 1;
    const bad = result.diagnostics.filter((d) => !positioned(d));
    const internal = result.diagnostics.filter((d) => d.code === 'internal-error');
    if (bad.length > 0) {
      into.unpositioned += 1;
      if (failures.length < 30) failures.push(`diagnostic without a position (${kind}): ${JSON.stringify(bad[0]).slice(0, 200)}`);
    }
    if (internal.length > 0) {
      into.exceptions += 1;
      if (failures.length < 30) failures.push(`internal error (${kind}): ${internal[0]!.message.slice(0, 200)}`);
    }
    if (result.definition) {
      into.valid += 1;
      compileSop(result.definition);
    }
  } catch (error) {
    into.exceptions += 1;
    if (failures.length < 30) failures.push(`exception (${kind}): ${(error as Error).stack?.split('\n').slice(0, 3).join(' ').slice(0, 300)}`);
  }
  const ms = performance.now() - t0;
  // On a shared machine wall time also counts other people's work; the promise is about CPU time.
  const cpuMs = threadCpuMs() - cpu0;
  into.maxMs = Math.max(into.maxMs, ms);
  into.maxCpuMs = Math.max(into.maxCpuMs, cpuMs);
  if (ms > 1000) into.slowWall += 1;
  if (cpuMs > 1000) {
    into.slow += 1;
    if (failures.length < 30) failures.push(`${cpuMs.toFixed(0)} ms of CPU, ${ms.toFixed(0)} ms of wall time (${kind}, ${text.length} characters)`);
  }
  into.done += 1;
}

/** `cases` files from shard `shard`'s own seeds. */
export function fuzzShard(cases: number, seed: number, shard: number, stopAt = Infinity, progress?: (done: number, result: ShardResult) => void): ShardResult {
  const r = seeded(seed * 1000 + shard);
  const result: ShardResult = { done: 0, valid: 0, exceptions: 0, slow: 0, slowWall: 0, unpositioned: 0, maxMs: 0, maxCpuMs: 0, kinds: [], failures: [] };
  const kinds = new Map<string, number>();
  const batch = 250;
  for (let b = 0; result.done < cases && Date.now() < stopAt; b += 1) {
    const samples = fc.sample(mutatedSopArb(SEEDS), { numRuns: Math.min(batch, Math.ceil((cases - result.done) / 2)), seed: seed + shard * 1_000_003 + b });
    for (const sample of samples) {
      if (Date.now() >= stopAt) break;
      if (result.done < cases) tryOne(sample.text, 'mutatedSopArb', result, kinds);
      if (result.done < cases) {
        const attacked = attack(r, sample.text);
        tryOne(attacked.text, attacked.kind, result, kinds);
      }
      if (progress && result.done % 1000 < 2) progress(result.done, result);
    }
  }
  result.kinds = [...kinds.entries()];
  return result;
}

function merge(results: ShardResult[]): ShardResult {
  const kinds = new Map<string, number>();
  for (const r of results) for (const [k, n] of r.kinds) kinds.set(k, (kinds.get(k) ?? 0) + n);
  const sum = (key: 'done' | 'valid' | 'exceptions' | 'slow' | 'slowWall' | 'unpositioned') => results.reduce((s, r) => s + r[key], 0);
  return {
    done: sum('done'), valid: sum('valid'), exceptions: sum('exceptions'), slow: sum('slow'), slowWall: sum('slowWall'), unpositioned: sum('unpositioned'),
    maxMs: Math.max(0, ...results.map((r) => r.maxMs)), maxCpuMs: Math.max(0, ...results.map((r) => r.maxCpuMs)),
    kinds: [...kinds.entries()], failures: results.flatMap((r) => r.failures).slice(0, 30),
  };
}

function shardInWorker(cases: number, seed: number, shard: number, stopAt: number, onProgress: (done: number) => void): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sop-fuzz-worker.mjs', import.meta.url), { workerData: { cases, seed, shard, stopAt } });
    worker.on('message', (message: { progress?: number; result?: ShardResult }) => {
      if (message.progress !== undefined) onProgress(message.progress);
      if (message.result) resolve(message.result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => (code !== 0 ? reject(new Error(`SOP fuzz worker ${shard} exited ${code}`)) : undefined));
  });
}

export async function runSopFuzz(options: SopFuzzOptions): Promise<{ section: Section; ok: boolean }> {
  const log = options.log ?? (() => undefined);
  const workers = Math.max(1, Math.min(options.workers ?? 1, options.cases));
  const every = options.cases >= 20_000 ? 5_000 : 500;
  const started = performance.now();
  const stopAt = options.maxSeconds !== undefined ? Date.now() + options.maxSeconds * 1000 : Infinity;
  let total: ShardResult;
  if (workers === 1) {
    total = fuzzShard(options.cases, options.seed, 0, stopAt, (done, r) => {
      if (done % every < 2) log(`  sop fuzz: ${done} files, ${r.exceptions} exceptions, ${r.slow} slow`);
    });
  } else {
    const done = new Array<number>(workers).fill(0);
    let logged = 0;
    const share = (w: number) => Math.floor(options.cases / workers) + (w < options.cases % workers ? 1 : 0);
    total = merge(await Promise.all(Array.from({ length: workers }, (_, w) => shardInWorker(share(w), options.seed, w, stopAt, (n) => {
      done[w] = n;
      const all = done.reduce((s, x) => s + x, 0);
      if (all - logged >= every) {
        logged = all;
        log(`  sop fuzz: ${all} files over ${workers} threads`);
      }
    }))));
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    ok: total.exceptions === 0 && total.slow === 0 && total.unpositioned === 0 && (total.done === options.cases || stopAt !== Infinity),
    section: {
      title: 'SOP fuzz (validator and compiler)', command: '', failures: total.failures,
      figures: [
        ['mutated SOP files', total.done],
        ['stopped by the time bound', total.done < options.cases ? `yes, after ${total.done} of ${options.cases} files (${options.maxSeconds} s)` : 'no'],
        ['kinds', total.kinds.sort().map(([k, n]) => `${k}: ${n}`).join(', ')],
        ['still valid (and compiled)', total.valid],
        ['exceptions (thrown or internal-error)', total.exceptions],
        ['cases over 1 s of CPU time', total.slow],
        ['cases over 1 s of wall time (includes waiting for the shared CPU)', total.slowWall],
        ['slowest case, CPU of its thread / wall', `${total.maxCpuMs.toFixed(0)} / ${total.maxMs.toFixed(0)} ms`],
        ['diagnostics without a position', total.unpositioned],
        ['worker threads', workers],
        ['duration', `${elapsed.toFixed(0)} s (${(total.done / elapsed).toFixed(0)} files/s)`],
        ['seed', options.seed],
      ],
    },
  };
}
