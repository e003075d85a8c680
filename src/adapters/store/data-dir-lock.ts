/**
 * An exclusive lock on a PGlite data directory. PGlite has none of its own, and two processes on
 * one directory silently lose rows.
 *
 * proper-lockfile provides the atomic lock (a sibling directory, its mtime kept fresh while we
 * run). Beside it we record our pid, so that a second live process is refused at once with a
 * clear message, while a lock left by a crashed process (pid gone) is taken over at once instead
 * of after the staleness timeout.
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';

export class DataDirectoryLockedError extends Error {
  constructor(readonly dataDir: string, readonly ownerPid?: number, options?: { cause?: unknown }) {
    super(`The PGlite data directory ${dataDir} is already in use by another Alur process${ownerPid ? ` (pid ${ownerPid})` : ''}. PGlite allows one process per directory: stop the other process, set ALUR_DATA_DIR to a different directory, or set DATABASE_URL to share a PostgreSQL server.`, options);
    this.name = 'DataDirectoryLockedError';
  }
}

const STALE_MS = 10_000;

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dirname(dataDir), `${basename(dataDir)}.lock`);
  const ownerPath = `${lockPath}.pid`;
  const lock = (retries: number) => lockfile.lock(dataDir, {
    lockfilePath: lockPath,
    stale: STALE_MS,
    update: 2_000,
    retries: { retries, factor: 1, minTimeout: 1_000, maxTimeout: 1_000 },
    onCompromised: (error) => {
      // Someone took our lock: carrying on would corrupt the database.
      throw new DataDirectoryLockedError(dataDir, undefined, { cause: error });
    },
  });

  let release: () => Promise<void>;
  try {
    release = await lock(0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = readOwner(lockPath, ownerPath);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DataDirectoryLockedError(dataDir, owner, { cause: error });
    if (owner !== undefined) {
      rmSync(lockPath, { recursive: true, force: true }); // its owner is gone
      release = await lock(0);
    } else {
      // No trustworthy owner record: wait for the lock to go stale, then take it.
      try {
        release = await lock(Math.ceil(STALE_MS / 1_000) + 5);
      } catch (retryError) {
        if ((retryError as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataDirectoryLockedError(dataDir, undefined, { cause: retryError });
        throw retryError;
      }
    }
  }
  writeFileSync(ownerPath, String(process.pid));
  return async () => {
    rmSync(ownerPath, { force: true });
    await release();
  };
}

/** The pid recorded for the current lock, if the record is at least as new as the lock. */
function readOwner(lockPath: string, ownerPath: string): number | undefined {
  try {
    if (statSync(ownerPath).mtimeMs + 1_000 < statSync(lockPath).birthtimeMs) return undefined;
    const pid = Number(readFileSync(ownerPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
