import { AdapterNotConnectedError, type AdapterRunner } from '../engine/index.js';

/** For processes that run no adapters (the CLI): any adapter job fails with a clear message. */
export const unconnectedAdapters: AdapterRunner = {
  async run(name) {
    throw new AdapterNotConnectedError(name);
  },
};
