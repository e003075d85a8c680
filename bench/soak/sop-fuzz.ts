/**
 * Part 3, the SOP fuzz: mutated SOP files through the validator (and, when valid, the compiler).
 * The samples are the property tests' own `mutatedSopArb` (data- and text-level damage to the
 * seeds and to generated SOPs), plus the attacks a hostile upload would try: YAML alias bombs,
 * huge numbers, deep nesting, NUL and stray unicode. The promise: no exception, no case slower
 * than a second, every diagnostic with a position.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
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

export interface SopFuzzOptions { cases: number; seed: number; log?: (line: string) => void }

export function runSopFuzz(options: SopFuzzOptions): { section: Section; ok: boolean } {
  const log = options.log ?? (() => undefined);
  const r = seeded(options.seed);
  const failures: string[] = [];
  const kinds = new Map<string, number>();
  let exceptions = 0;
  let slow = 0;
  let unpositioned = 0;
  let valid = 0;
  let maxMs = 0;
  let maxCpuMs = 0;
  let slowWall = 0;
  let done = 0;
  const started = performance.now();
  const batch = 500;
  for (let b = 0; done < options.cases; b += 1) {
    const samples = fc.sample(mutatedSopArb(SEEDS), { numRuns: Math.min(batch, options.cases - done), seed: options.seed + b });
    for (const sample of samples) {
      const { kind, text } = r() < 0.5 ? attack(r, sample.text) : { kind: 'mutatedSopArb', text: sample.text };
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      try {
        const result = validateSop(text, FILE);
        const lines = text.split('\n').length;
        const positioned = (d: Diagnostic) => Number.isInteger(d.line) && Number.isInteger(d.column) && d.line >= 1 && d.column >= 1 && d.line <= lines + 1;
        const bad = result.diagnostics.filter((d) => !positioned(d));
        const internal = result.diagnostics.filter((d) => d.code === 'internal-error');
        if (bad.length > 0) {
          unpositioned += 1;
          if (failures.length < 30) failures.push(`diagnostic without a position (${kind}): ${JSON.stringify(bad[0]).slice(0, 200)}`);
        }
        if (internal.length > 0) {
          exceptions += 1;
          if (failures.length < 30) failures.push(`internal error (${kind}): ${internal[0]!.message.slice(0, 200)}`);
        }
        if (result.definition) {
          valid += 1;
          compileSop(result.definition);
        }
      } catch (error) {
        exceptions += 1;
        if (failures.length < 30) failures.push(`exception (${kind}): ${(error as Error).stack?.split('\n').slice(0, 3).join(' ').slice(0, 300)}`);
      }
      const ms = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      // On a shared machine wall time also counts other people's work; the promise is about CPU time.
      const cpuMs = (used.user + used.system) / 1000;
      maxMs = Math.max(maxMs, ms);
      maxCpuMs = Math.max(maxCpuMs, cpuMs);
      if (ms > 1000) slowWall += 1;
      if (cpuMs > 1000) {
        slow += 1;
        if (failures.length < 30) failures.push(`${cpuMs.toFixed(0)} ms of CPU (${kind}, ${text.length} characters)`);
      }
      done += 1;
      if (done % (options.cases >= 20_000 ? 10_000 : 500) === 0) log(`  sop fuzz: ${done} files, ${exceptions} exceptions, ${slow} slow`);
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    ok: exceptions === 0 && slow === 0 && unpositioned === 0,
    section: {
      title: 'SOP fuzz (validator and compiler)', command: '', failures,
      figures: [
        ['mutated SOP files', done],
        ['kinds', [...kinds.entries()].sort().map(([k, n]) => `${k}: ${n}`).join(', ')],
        ['still valid (and compiled)', valid],
        ['exceptions (thrown or internal-error)', exceptions],
        ['cases over 1 s of CPU time', slow],
        ['cases over 1 s of wall time (includes waiting for the shared CPU)', slowWall],
        ['slowest case, CPU / wall', `${maxCpuMs.toFixed(0)} / ${maxMs.toFixed(0)} ms`],
        ['diagnostics without a position', unpositioned],
        ['duration', `${elapsed.toFixed(0)} s`],
        ['seed', options.seed],
      ],
    },
  };
}
