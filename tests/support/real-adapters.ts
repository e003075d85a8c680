/**
 * The real camera and media adapters for a test's Alur, as `alur serve` wires them, with limits
 * generous enough that a loaded CI machine does not make a live camera look dead (a dead one is
 * refused at once). `onRelays` receives the relay supervisor so the test can stop it afterwards.
 */
import type { FfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import type { MediaServer } from '../../src/adapters/media/media-server.js';
import { RelaySupervisor } from '../../src/adapters/media/relay-supervisor.js';
import { unconnectedAdapters } from '../../src/adapters/unconnected-adapters.js';
import { adapterRegistry } from '../../src/app/adapter-registry.js';
import type { Alur } from '../../src/app/alur.js';
import { cameraAdapters } from '../../src/app/camera-adapters.js';
import { mediaAdapters, stopRelaysWhenCasesEnd } from '../../src/app/media-adapters.js';
import type { AdapterRunner } from '../../src/engine/index.js';

/** `tools` is read when Alur opens: the binaries and the media server are set up by the test's beforeAll, after this is called. */
export function realAdapters(tools: () => { bin: FfmpegBinaries; media: MediaServer }, onRelays: (relays: RelaySupervisor) => void): (alur: Alur) => AdapterRunner {
  return (alur) => {
    const { bin, media } = tools();
    const relays = new RelaySupervisor(bin);
    onRelays(relays);
    stopRelaysWhenCasesEnd(alur, relays, (error) => { throw error; });
    return adapterRegistry({
      ...cameraAdapters(alur, { bin, timeoutMs: 15_000, concurrency: 2 }),
      ...mediaAdapters(alur, { server: media, relays, liveTimeoutMs: 20_000, downGraceMs: 2_000, onError: (error) => { throw error; } }),
    }, unconnectedAdapters);
  };
}
