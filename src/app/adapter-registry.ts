/**
 * Adapters by name: each `uses:` name an SOP may bind is served by the function registered under
 * it; a name nobody registered falls back (to "not connected", an outcome the operator sees).
 */
import type { AdapterRunner } from '../engine/index.js';

export type AdapterInput = Parameters<AdapterRunner['run']>[1];
export type AdapterFunction = (input: AdapterInput) => Promise<unknown>;

export function adapterRegistry(entries: Record<string, AdapterFunction>, fallback: AdapterRunner): AdapterRunner {
  return {
    run(name, input) {
      const adapter = Object.hasOwn(entries, name) ? entries[name] : undefined;
      return adapter ? adapter(input) : fallback.run(name, input);
    },
  };
}

/** Run `work` over `items` with at most `limit` at once, keeping the order of the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
