/**
 * Where ffmpeg and ffprobe come from: a configured path (ALUR_FFMPEG / ALUR_FFPROBE), else the
 * system's (on PATH), else the static builds the `@ffmpeg-installer/ffmpeg` and
 * `@ffprobe-installer/ffprobe` npm packages ship inside their tarballs.
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export class FfmpegMissingError extends Error {
  constructor(tool: string, cause?: unknown) {
    super(`${tool} was not found: install it (apt-get install ffmpeg), set ALUR_${tool.toUpperCase()} to its path, or run npm install so @${tool}-installer/${tool} provides one`, { cause });
    this.name = 'FfmpegMissingError';
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function fromNpm(tool: 'ffmpeg' | 'ffprobe'): string {
  const require = createRequire(import.meta.url);
  try {
    const found = require(`@${tool}-installer/${tool}`) as { path: string };
    if (!isExecutable(found.path)) throw new Error(`${found.path} is not executable (chmod u+x it; npm skipped the package's install script)`);
    return found.path;
  } catch (error) {
    throw new FfmpegMissingError(tool, error);
  }
}

/** Resolve both binaries once at start-up. `pathVariable` is the PATH to search (from the config). */
export function resolveFfmpegBinaries(options: { ffmpeg?: string; ffprobe?: string; pathVariable?: string } = {}): FfmpegBinaries {
  const pick = (tool: 'ffmpeg' | 'ffprobe', configured: string | undefined) => {
    if (configured !== undefined) {
      if (!isExecutable(configured)) throw new FfmpegMissingError(tool, new Error(`${configured} is not an executable file`));
      return configured;
    }
    return onPath(tool, options.pathVariable) ?? fromNpm(tool);
  };
  return { ffmpeg: pick('ffmpeg', options.ffmpeg), ffprobe: pick('ffprobe', options.ffprobe) };
}
