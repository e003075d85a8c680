/**
 * Recordings on disk, read-only: node-media-server's recorder writes `<dir>/<app>/<stream>/<startMs>.flv`,
 * and a configured directory of another recorder may follow the same layout. Nothing here writes,
 * renames or removes a file (`recordings.immutable`).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

export interface Recording {
  /** Opaque id: the path below the recordings directory, base64url. */
  id: string;
  app: string;
  stream: string;
  startedAt: Date;
  /** When the file was last written: the end of the recording (or now, while it is still being written). */
  endedAt: Date;
  bytes: number;
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

function idOf(app: string, stream: string, file: string): string {
  return Buffer.from(`${app}/${stream}/${file}`, 'utf8').toString('base64url');
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Recordings of streams named `stream` (in any app) that overlap [from, to], oldest first. */
export async function listRecordings(dir: string, stream: string, range: { from?: Date; to?: Date } = {}): Promise<Recording[]> {
  const found: Recording[] = [];
  for (const app of await entries(dir)) {
    if (!SEGMENT.test(app) || !SEGMENT.test(stream)) continue;
    for (const file of await entries(join(dir, app, stream))) {
      const match = /^(\d{10,16})\.flv$/.exec(file);
      if (!match) continue;
      const info = await stat(join(dir, app, stream, file));
      const startedAt = new Date(Number(match[1]));
      const endedAt = info.mtime > startedAt ? info.mtime : startedAt;
      if (range.from && endedAt < range.from) continue;
      if (range.to && startedAt > range.to) continue;
      found.push({ id: idOf(app, stream, file), app, stream, startedAt, endedAt, bytes: info.size });
    }
  }
  return found.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}

/** The recording with this id, or undefined (an id that leaves the directory is no recording). */
export async function findRecording(dir: string, id: string): Promise<(Recording & { path: string }) | undefined> {
  const [app, stream, file, extra] = Buffer.from(id, 'base64url').toString('utf8').split('/');
  if (extra !== undefined || !app || !stream || !file || ![app, stream, file].every((s) => SEGMENT.test(s))) return undefined;
  const path = resolve(dir, app, stream, file);
  if (relative(resolve(dir), path).split(sep)[0] === '..') return undefined;
  const match = (await listRecordings(dir, stream)).find((r) => r.id === id);
  return match ? { ...match, path } : undefined;
}
