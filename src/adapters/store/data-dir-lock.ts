/**
 * An exclusive lock on a PGlite data directory. PGlite has none of its own, and two processes on
 * one directory silently lose rows.
 *
 * The rule:
 * - **One directory, one lock.** The directory is resolved to its real path first (symlinks
 *   followed), so every path that leads to it shares the lock file `<real path>.lock` beside it,
 *   and PGlite is opened on the real path.
 * - **The lock names its holder.** The lock file holds the holder's pid, host and a random id. It
 *   appears atomically with that content (written to a temporary file, then hard-linked into
 *   place, which fails when a lock exists), so there is never a lock without a holder.
 * - **A live holder keeps its lock.** When the pid is alive on this host (`process.kill(pid, 0)`)
 *   the opener is refused at once with that pid, however long the holder has been stopped
 *   (SIGSTOP, a debugger, a frozen VM). No timeout ever overrides a live pid.
 * - **A crashed holder's lock is taken over at once**: its pid is gone. A lock naming this very
 *   pid comes from an earlier process that had the same pid (containers reuse pids) and is taken
 *   over too, unless this process holds it.
 * - **Another host** (a data directory on a shared volume) cannot be asked about its pid, so the
 *   holder touches the lock every few seconds; a lock from another host is taken over only when it
 *   has not been touched for {@link FOREIGN_STALE_MS}.
 *
 * Taking over is safe against two openers at once: the stale lock is renamed away (only one
 * rename wins), checked to be the lock that was judged stale, and only then replaced.
 *
 * The one case this rule gets wrong on its own: a crashed holder whose pid now belongs to an
 * unrelated live process. Then the opener is refused, naming that pid; deleting the lock file
 * (once sure no Alur uses the directory) lets it in.
 *
 * @example
 * const lock = await lockDataDir('./data');   // throws DataDirectoryLockedError naming the pid
 * const pglite = new PGlite(lock.dataDir);    // the real path
 * await lock.release();
 */
import { randomUUID } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

export class DataDirectoryLockedError extends Error {
  constructor(readonly dataDir: string, readonly ownerPid?: number, options?: { cause?: unknown; host?: string; inThisProcess?: boolean }) {
    const who = ownerPid ? ` (pid ${ownerPid}${options?.host ? ` on host ${options.host}` : ''})` : '';
    const where = options?.inThisProcess ? 'already open in this process' : `already in use by another Alur process${who}`;
    super(`The PGlite data directory ${dataDir} is ${where}. PGlite allows one process per directory: stop the other process, set ALUR_DATA_DIR to a different directory, or set DATABASE_URL to share a PostgreSQL server.`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataDirectoryLockedError';
  }
}

/** A lock from another host that nobody has touched for this long is taken over. */
export const FOREIGN_STALE_MS = 30_000;
const TOUCH_MS = 5_000;

export interface DataDirLock {
  /** The real path of the data directory (symlinks resolved): open PGlite here. */
  dataDir: string;
  /** The lock file. */
  lockPath: string;
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  host: string;
  id: string;
}

/** Paths locked by this process: a second open in the same process is refused too. */
const heldHere = new Set<string>();

export async function lockDataDir(path: string): Promise<DataDirLock> {
  const dataDir = realDirectory(path);
  const lockPath = `${dataDir}.lock`;
  if (heldHere.has(dataDir)) throw new DataDirectoryLockedError(dataDir, process.pid, { inThisProcess: true });
  const me: Holder = { pid: process.pid, host: hostname(), id: randomUUID() };
  const draft = `${lockPath}.${me.id}`;
  writeFileSync(draft, JSON.stringify(me));
  try {
    acquire(dataDir, lockPath, draft);
  } finally {
    rmSync(draft, { force: true });
  }
  heldHere.add(dataDir);
  // Only for openers on other hosts, which cannot check our pid.
  const touch = setInterval(() => {
    const now = new Date();
    try {
      if (readHolder(lockPath)?.id === me.id) utimesSync(lockPath, now, now);
    } catch { /* the next touch tries again */ }
  }, TOUCH_MS);
  touch.unref();
  let released = false;
  return {
    dataDir,
    lockPath,
    async release() {
      if (released) return;
      released = true;
      clearInterval(touch);
      heldHere.delete(dataDir);
      if (readHolder(lockPath)?.id === me.id) rmSync(lockPath, { force: true });
    },
  };
}

function acquire(dataDir: string, lockPath: string, draft: string): void {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      linkSync(draft, lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (lstatSync(lockPath, { throwIfNoEntry: false })?.isDirectory()) {
      takeOverLegacy(dataDir, lockPath);
      continue;
    }
    const holder = readHolder(lockPath);
    if (holder === undefined) continue; // released between our link and our read
    const verdict = judge(holder, lockPath);
    if (verdict === 'alive') throw new DataDirectoryLockedError(dataDir, holder.pid, holder.host === hostname() ? {} : { host: holder.host });
    takeOver(lockPath, holder);
  }
  throw new DataDirectoryLockedError(dataDir);
}

function judge(holder: Holder, lockPath: string): 'alive' | 'gone' {
  if (holder.host !== hostname()) {
    const touched = statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs;
    // eslint-disable-next-line no-restricted-properties -- file times are wall-clock times
    return touched !== undefined && Date.now() - touched < FOREIGN_STALE_MS ? 'alive' : 'gone';
  }
  // Our own pid in a lock we do not hold (checked before) is a leftover of an earlier process.
  return holder.pid !== process.pid && isAlive(holder.pid) ? 'alive' : 'gone';
}

/** Move the stale lock aside; if what moved is not the lock we judged (another opener won), put it back. */
function takeOver(lockPath: string, stale: Holder): void {
  const aside = `${lockPath}.stale-${randomUUID()}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it first
    throw error;
  }
  const moved = readHolder(aside);
  if (moved !== undefined && moved.id !== stale.id) {
    try {
      linkSync(aside, lockPath);
    } catch { /* a third opener locked meanwhile; it holds the lock now */ }
  }
  rmSync(aside, { force: true });
}

/** Alur before this lock used a proper-lockfile directory with the pid in `<lock>.pid`. */
function takeOverLegacy(dataDir: string, lockPath: string): void {
  let pid: number | undefined;
  try {
    pid = Number(readFileSync(`${lockPath}.pid`, 'utf8').trim());
  } catch { /* no record */ }
  if (pid !== undefined && Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DataDirectoryLockedError(dataDir, pid);
  rmSync(lockPath, { recursive: true, force: true });
  rmSync(`${lockPath}.pid`, { force: true });
}

function readHolder(lockPath: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (Number.isInteger(parsed.pid) && typeof parsed.host === 'string' && typeof parsed.id === 'string') return parsed as Holder;
  } catch { /* not ours: treated as a holder that is gone */ }
  return { pid: 0, host: hostname(), id: `unreadable:${text}` };
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The directory's real path, creating it (or the missing target of a symlink) first. */
function realDirectory(path: string, depth = 0): string {
  const absolute = resolve(path);
  if (depth < 40 && lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink()) {
    realDirectory(resolve(dirname(absolute), readlinkSync(absolute)), depth + 1);
  } else {
    mkdirSync(absolute, { recursive: true });
  }
  return realpathSync(absolute);
}
