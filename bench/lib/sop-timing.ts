/** Validate and compile a generated 200-step SOP in process (warm, median of several), and `alur validate` as a command. */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileSop, validateSop } from '../../src/engine/index.js';
import { bigSop } from '../../tests/support/big-sops.js';
import { median } from './stats.js';

export interface SopTiming { validateMs: number; compileMs: number }

export function measureSopTiming(runs: number): SopTiming {
  const text = bigSop(200, 'chain');
  const validate: number[] = [];
  const compile: number[] = [];
  for (let i = 0; i < runs + 2; i += 1) {
    let started = performance.now();
    const { definition } = validateSop(text, 'besar.yaml');
    const v = performance.now() - started;
    if (!definition) throw new Error('the generated 200-step SOP does not validate');
    started = performance.now();
    compileSop(definition);
    const c = performance.now() - started;
    // The first two rounds warm the JIT.
    if (i >= 2) { validate.push(v); compile.push(c); }
  }
  return { validateMs: median(validate), compileMs: median(compile) };
}

/** Wall milliseconds of one `node bin/alur.js <args>`. */
export function timeCli(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, ['bin/alur.js', ...args], { stdio: 'ignore' });
  return performance.now() - started;
}

export const SEED_SOPS = readdirSync('sops').filter((f) => f.endsWith('.yaml')).map((f) => `sops/${f}`);
