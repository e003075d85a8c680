import type { AdapterRunner } from '../../src/engine/index.js';

/** An adapter runner whose runs wait until the test answers them: for outcomes that arrive after the step moved on. */
export function gatedRunner() {
  const waiting: Array<{ name: string; step: string; resolve: (value: unknown) => void; reject: (error: Error) => void }> = [];
  const runner: AdapterRunner = {
    run: (name, input) => new Promise((resolve, reject) => waiting.push({ name, step: input.step, resolve, reject })),
  };
  return {
    runner,
    /** The next run waiting for an answer (polls; bounded so a hang fails the test). */
    async nextRun(timeoutMs = 15_000) {
      for (let waited = 0; waiting.length === 0; waited += 10) {
        if (waited > timeoutMs) throw new Error('no adapter run started');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return waiting.shift()!;
    },
  };
}
