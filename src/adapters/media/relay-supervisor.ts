/**
 * Relays: a supervised `ffmpeg -c copy` that pulls a camera and publishes it to the media server.
 * When ffmpeg exits (the camera restarted, the network blinked) it is started again after a
 * back-off that grows to a ceiling and resets once a run lasted a while. A relay stops only when
 * asked (media.stopRelay, the case ended, shutdown).
 */
import type { FfmpegBinaries } from '../cameras/ffmpeg-binaries.js';
import { maskPasswordsIn } from '../cameras/stream-url.js';
import { runTethered, spawnTethered, type TetheredProcess } from '../cameras/tethered-process.js';

export interface RelayStatus {
  key: string;
  owner: string;
  /** How many times ffmpeg was started. */
  starts: number;
  lastError: string | null;
}

interface Relay extends RelayStatus {
  source: string;
  target: string;
  process: TetheredProcess | undefined;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
  rtspTimeout: string;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;
const STABLE_RUN_MS = 30_000;
const STALL_US = '5000000';

export class RelaySupervisor {
  private readonly relays = new Map<string, Relay>();
  private rtspTimeout: Promise<string> | undefined;

  constructor(private readonly bin: FfmpegBinaries) {}

  /** Start relaying `source` to `target` under `key`; a relay already under that key is replaced. */
  async start(key: string, owner: string, source: string, target: string): Promise<void> {
    await this.stop(key);
    // ffmpeg 4 calls RTSP's socket timeout -stimeout, later versions -timeout.
    this.rtspTimeout ??= runTethered(this.bin.ffmpeg, ['-hide_banner', '-h', 'demuxer=rtsp'], { timeoutMs: 10_000 })
      .then((r) => (/-stimeout\b/.test(r.stdout.toString('utf8')) ? '-stimeout' : '-timeout'));
    const rtspTimeout = await this.rtspTimeout;
    const relay: Relay = { key, owner, source, target, starts: 0, lastError: null, process: undefined, timer: undefined, stopped: false, rtspTimeout };
    this.relays.set(key, relay);
    this.run(relay, MIN_BACKOFF_MS);
  }

  private run(relay: Relay, backoffMs: number): void {
    if (relay.stopped) return;
    // A source that stalls (no data for STALL_US) ends ffmpeg, so the relay is restarted and is not listed live meanwhile.
    const stall = relay.source.startsWith('rtsp') ? ['-rtsp_transport', 'tcp', relay.rtspTimeout, STALL_US] : ['-rw_timeout', STALL_US];
    const input = [...stall, '-analyzeduration', '1000000', '-i', relay.source];
    const proc = spawnTethered(this.bin.ffmpeg, ['-nostdin', '-v', 'error', ...input, '-c', 'copy', '-an', '-f', 'flv', relay.target]);
    relay.process = proc;
    relay.starts += 1;
    const startedAt = performance.now();
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
    });
    proc.stdout.resume();
    void proc.exited.then((code) => {
      if (relay.stopped) return;
      relay.lastError = maskPasswordsIn(stderr.trim().split('\n').at(-1) || `ffmpeg exited with code ${code}`);
      const next = performance.now() - startedAt > STABLE_RUN_MS ? MIN_BACKOFF_MS : Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      relay.timer = setTimeout(() => this.run(relay, next), backoffMs);
    });
  }

  status(key: string): RelayStatus | undefined {
    const relay = this.relays.get(key);
    return relay ? { key: relay.key, owner: relay.owner, starts: relay.starts, lastError: relay.lastError } : undefined;
  }

  list(): RelayStatus[] {
    return [...this.relays.keys()].map((key) => this.status(key)!);
  }

  /** Stop one relay; false when there was none. */
  async stop(key: string): Promise<boolean> {
    const relay = this.relays.get(key);
    if (!relay) return false;
    relay.stopped = true;
    this.relays.delete(key);
    clearTimeout(relay.timer);
    await relay.process?.stop();
    return true;
  }

  /** Stop every relay started for `owner` (a case); returns their keys. */
  async stopOwnedBy(owner: string): Promise<string[]> {
    const keys = [...this.relays.values()].filter((r) => r.owner === owner).map((r) => r.key);
    await Promise.all(keys.map((key) => this.stop(key)));
    return keys;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.relays.keys()].map((key) => this.stop(key)));
  }
}
