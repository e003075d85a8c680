/**
 * Test cameras: ffmpeg processes that publish a small test pattern (160x120, 5 fps, H.264,
 * yuv420p so browsers can play it) to a media server on 127.0.0.1. Each is tethered to the test
 * process and must be stopped by the test that started it.
 */
import type { FfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import { spawnTethered, type TetheredProcess } from '../../src/adapters/cameras/tethered-process.js';
import type { MediaServer } from '../../src/adapters/media/media-server.js';
import { testPatternArgs } from '../../src/adapters/cameras/test-pattern.js';

export { testPatternArgs };

export interface TestCamera {
  /** Where Alur reads it (HTTP-FLV from the media server). */
  url: string;
  process: TetheredProcess;
  stop(): Promise<void>;
}

/** Publish a test pattern as `cam/<name>` and wait until the media server lists it live. */
export async function startTestCamera(bin: FfmpegBinaries, media: MediaServer, name: string, timeoutMs = 20_000): Promise<TestCamera> {
  const proc = spawnTethered(bin.ffmpeg, testPatternArgs(media.publishUrl('cam', name)));
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  proc.stdout.resume();
  const deadline = Date.now() + timeoutMs;
  while (!media.isLive('cam', name)) {
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`test camera ${name} did not go live: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: media.playUrl('cam', name), process: proc, stop: async () => { await proc.stop(); } };
}

/** Wait until `check` holds, polling; throws with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
