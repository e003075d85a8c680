/**
 * Asking a camera how it is: ffprobe for codec, resolution and frame rate; ffmpeg for one JPEG
 * frame. Both under a time limit; a camera that does not answer in time is a failed probe with a
 * reason an operator understands, never a hang.
 */
import { createHash } from 'node:crypto';
import type { FfmpegBinaries } from './ffmpeg-binaries.js';
import { maskPasswordsIn } from './stream-url.js';
import { runTethered } from './tethered-process.js';

export interface StreamInfo {
  codec: string;
  width: number;
  height: number;
  fps: number | null;
}

export class CameraUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CameraUnreachableError';
  }
}

/** FLV streams need a short analyze window, or ffprobe waits 5 s for audio that never comes. */
function inputArgs(url: string): string[] {
  return [...(url.startsWith('rtsp') ? ['-rtsp_transport', 'tcp'] : []), '-analyzeduration', '1000000', '-probesize', '1000000', '-i', url];
}

function reasonOf(result: { code: number; stderr: string; timedOut: boolean }, timeoutMs: number): string {
  if (result.timedOut) return `tidak merespons dalam ${Math.round(timeoutMs / 1000)} detik`;
  const line = result.stderr.trim().split('\n').filter((l) => l.trim() !== '').at(-1);
  return maskPasswordsIn(line ?? `ffmpeg berhenti dengan kode ${result.code}`);
}

function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den) return null;
  return Math.round((num / den) * 100) / 100;
}

export async function probeStream(bin: FfmpegBinaries, url: string, timeoutMs: number): Promise<StreamInfo> {
  const result = await runTethered(bin.ffprobe, ['-v', 'error', ...inputArgs(url), '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate,r_frame_rate', '-of', 'json'], { timeoutMs, maxBytes: 1_000_000 });
  if (result.code !== 0 || result.timedOut) throw new CameraUnreachableError(reasonOf(result, timeoutMs));
  const parsed = JSON.parse(result.stdout.toString('utf8') || '{}') as { streams?: Array<{ codec_name?: string; width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string }> };
  const video = parsed.streams?.[0];
  if (!video?.codec_name) throw new CameraUnreachableError('stream tidak memuat video');
  return { codec: video.codec_name, width: video.width ?? 0, height: video.height ?? 0, fps: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate) };
}

export interface Snapshot {
  jpeg: Buffer;
  sha256: string;
}

export async function takeSnapshot(bin: FfmpegBinaries, url: string, timeoutMs: number): Promise<Snapshot> {
  const result = await runTethered(bin.ffmpeg, ['-nostdin', '-v', 'error', ...inputArgs(url), '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'mjpeg', '-q:v', '5', 'pipe:1'], { timeoutMs, maxBytes: 8 * 1024 * 1024 });
  if (result.code !== 0 || result.timedOut) throw new CameraUnreachableError(reasonOf(result, timeoutMs));
  const jpeg = result.stdout;
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new CameraUnreachableError('ffmpeg tidak menghasilkan gambar JPEG');
  return { jpeg, sha256: createHash('sha256').update(jpeg).digest('hex') };
}
