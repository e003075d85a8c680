/**
 * The real adapters and what they need, started once per Alur process: ffmpeg/ffprobe, the
 * embedded node-media-server, the relay supervisor. Names nobody serves stay "not connected".
 * Everything it started (media server, relays, probes) stops with `close()`.
 */
import { resolveFfmpegBinaries, type FfmpegBinaries } from '../adapters/cameras/ffmpeg-binaries.js';
import { stopAllTethered } from '../adapters/cameras/tethered-process.js';
import { MediaServerPortError, startMediaServer, type MediaServer } from '../adapters/media/media-server.js';
import { RelaySupervisor } from '../adapters/media/relay-supervisor.js';
import { unconnectedAdapters } from '../adapters/unconnected-adapters.js';
import type { MediaConfig } from '../config.js';
import type { AdapterRunner } from '../engine/index.js';
import { adapterRegistry } from './adapter-registry.js';
import type { Alur } from './alur.js';
import { cameraAdapters } from './camera-adapters.js';
import { mediaAdapters, restoreRelays, stopRelaysWhenCasesEnd, type MediaToolkit } from './media-adapters.js';
import { playbackAdapters, recordingsAccessFrom } from './playback.js';

export interface MediaRuntime {
  /** Absent when no ffmpeg was found (the camera and media adapters are then "not connected"). */
  bin?: FfmpegBinaries;
  server?: MediaServer;
  relays?: RelaySupervisor;
  /** Why some adapters are not connected, for the start-up log. */
  warnings: string[];
  /** The adapter runner for `openAlur({ adapters })`. */
  adapters(alur: Alur): AdapterRunner;
  /** Start again the relays of running cases (after a restart); returns their stream keys. */
  restoreRelays(alur: Alur): Promise<string[]>;
  close(): Promise<void>;
}

export async function startMediaRuntime(config: MediaConfig, dataDir: string, onError: (error: unknown) => void = () => {}): Promise<MediaRuntime> {
  const warnings: string[] = [];
  let bin: FfmpegBinaries | undefined;
  try {
    bin = resolveFfmpegBinaries({ pathVariable: config.searchPath, ...(config.ffmpegPath ? { ffmpeg: config.ffmpegPath } : {}), ...(config.ffprobePath ? { ffprobe: config.ffprobePath } : {}) });
  } catch (error) {
    warnings.push(`camera and relay adapters are not connected: ${(error as Error).message}`);
  }
  let server: MediaServer | undefined;
  if (bin && config.server === 'embedded') {
    try {
      server = await startMediaServer({
        host: config.host, rtmpPort: config.rtmpPort, httpPort: config.httpPort, dataDir: `${dataDir}-media`, ...(config.record ? { recordDir: config.recordingsDir } : {}),
      });
    } catch (error) {
      if (!(error instanceof MediaServerPortError)) throw error;
      warnings.push(`media.startRelay is not connected: ${error.message}`);
    }
  } else if (bin) {
    warnings.push('the media server is off (ALUR_MEDIA_SERVER=off): media.startRelay is not connected');
  }
  const relays = bin ? new RelaySupervisor(bin) : undefined;
  let unsubscribe: (() => void) | undefined;
  let kit: MediaToolkit | undefined;
  return {
    ...(bin ? { bin } : {}), ...(server ? { server } : {}), ...(relays ? { relays } : {}), warnings,
    adapters(alur) {
      if (relays) unsubscribe = stopRelaysWhenCasesEnd(alur, relays, onError);
      return adapterRegistry({
        ...(bin ? cameraAdapters(alur, { bin, timeoutMs: config.cameraTimeoutMs, concurrency: config.cameraConcurrency }) : {}),
        ...(server && relays ? mediaAdapters(alur, (kit = { server, relays, liveTimeoutMs: config.relayLiveTimeoutMs, onError })) : {}),
        ...playbackAdapters(alur, recordingsAccessFrom(config)),
      }, unconnectedAdapters);
    },
    async restoreRelays(alur) {
      return kit ? restoreRelays(alur, kit) : [];
    },
    async close() {
      unsubscribe?.();
      await relays?.stopAll();
      await server?.stop();
      await stopAllTethered();
    },
  };
}
