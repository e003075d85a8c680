/**
 * How validation time grows with the number of steps, per hostile shape, with the step limit
 * lifted (the limit exists so a server never meets these files; the checks must scale anyway).
 *
 *   node --import tsx bench/validate-scaling.ts [n…]        # default 1000 2000 4000 8000
 *
 * Prints one row per shape and size: milliseconds for one validateSop call (best of 3).
 */
import { performance } from 'node:perf_hooks';
import { validateSop } from '../src/engine/index.js';
import { bigSop, type BigSopShape } from '../tests/support/big-sops.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [1000, 2000, 4000, 8000];
const SHAPES: BigSopShape[] = ['chain', 'trap', 'rules', 'procedures', 'decisions'];
const LIMITS = { maxSteps: Number.MAX_SAFE_INTEGER, maxSourceBytes: Number.MAX_SAFE_INTEGER };

console.log(`| shape | steps | ms (best of 3) | diagnostics |`);
console.log(`|---|---|---|---|`);
for (const shape of SHAPES) {
  for (const n of SIZES) {
    const text = bigSop(n, shape);
    let best = Infinity;
    let count = 0;
    for (let round = 0; round < 3; round += 1) {
      const started = performance.now();
      const result = validateSop(text, 'big.yaml', { limits: LIMITS });
      best = Math.min(best, performance.now() - started);
      count = result.diagnostics.length;
      if (best > 20_000) break;
    }
    console.log(`| ${shape} | ${n} | ${best.toFixed(0)} | ${count} |`);
  }
}
