import type { AdapterRunner } from '../engine/index.js';

/** An adapter Alur has no implementation for in this process: using it fails as a step outcome the operator sees. */
export class AdapterNotConnectedError extends Error {
  constructor(readonly adapter: string) {
    super(`adapter "${adapter}" is not connected in this Alur process`);
    this.name = 'AdapterNotConnectedError';
  }
}

/** Until real adapters are connected, every `uses:` records "not connected" as the step's adapter outcome. */
export const unconnectedAdapters: AdapterRunner = {
  async run(name) {
    throw new AdapterNotConnectedError(name);
  },
};
