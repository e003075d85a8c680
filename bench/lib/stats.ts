/** Small helpers for `npm run bench`: medians, formatting, timing a closure. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Milliseconds one call of `run` takes. */
export async function timeMs(run: () => unknown): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** `clients` loops calling `op` until `durationMs` passed; operations per second over the wall time. */
export async function rate(clients: number, durationMs: number, op: (client: number) => Promise<number>): Promise<number> {
  const started = performance.now();
  const until = started + durationMs;
  let done = 0;
  await Promise.all(Array.from({ length: clients }, async (_, client) => {
    while (performance.now() < until) done += await op(client);
  }));
  return done / ((performance.now() - started) / 1000);
}
