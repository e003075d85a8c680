import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/adapters/store/data-dir-lock.js';
import { DataDirectoryLockedError, openDatabase } from '../../src/adapters/store/database.js';
import { startEngineChild, type EngineChild } from '../support/child-process.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOLDER = fileURLToPath(new URL('../support/lock-holder.ts', import.meta.url));

/** A child that holds the lock on `dataDir` (tests/support/lock-holder.ts). */
function startLockHolder(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dataDir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw new Error(`lock holder exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, next, exited, stderr: () => stderr };
}

async function refusal(dataDir: string): Promise<unknown> {
  return lockDataDir(dataDir).then(async (lock) => {
    await lock.release();
    return undefined;
  }, (error: unknown) => error);
}

describe('the PGlite data directory lock', () => {
  let dir = '';
  let dataDir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'alur-lock-'));
    dataDir = join(dir, 'data');
  });
  const children: ChildProcessWithoutNullStreams[] = [];
  let holder: EngineChild | undefined;
  afterEach(async () => {
    if (holder && holder.process.exitCode === null && holder.process.signalCode === null) {
      holder.process.kill('SIGKILL');
      await holder.exited;
    }
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process at once, names the holder, and lets a restart in after a crash', async () => {
    holder = startEngineChild(['pglite', dataDir]);
    await holder.until((m) => m.some((x) => x.ready), 60_000);

    const second = await exec(process.execPath, ['bin/alur.js', 'migrate'], { env: { ...process.env, ALUR_DATA_DIR: dataDir, DATABASE_URL: '' } }).catch((error: { code: number; stderr: string }) => error);
    expect((second as { code: number }).code).toBe(1);
    expect((second as { stderr: string }).stderr.trim()).toBe(
      `alur: The PGlite data directory ${dataDir} is already in use by another Alur process (pid ${holder.process.pid}). PGlite allows one process per directory: stop the other process, set ALUR_DATA_DIR to a different directory, or set DATABASE_URL to share a PostgreSQL server.`,
    );
    await expect(openDatabase({ dataDir })).rejects.toThrow(DataDirectoryLockedError);

    // A crash leaves the lock behind; its owner is gone, so the next process takes over at once.
    holder.process.kill('SIGKILL');
    await holder.exited;
    const reopened = await openDatabase({ dataDir });
    expect((await reopened.knex('sop_versions').count({ n: '*' }))[0]).toEqual({ n: 0 });
    await reopened.close();
  }, 90_000);

  it('opens a data directory reached through a symlink, and locks the directory, not the path', async () => {
    const real = join(dir, 'real-data');
    mkdirSync(real);
    const link = join(dir, 'linked-data');
    symlinkSync(real, link);
    const db = await openDatabase({ dataDir: link });
    try {
      expect(db.description).toBe(`PGlite (${real})`);
      await db.knex.raw('create table marker (n int)');
      const viaRealPath = await refusal(real);
      expect(viaRealPath).toBeInstanceOf(DataDirectoryLockedError);
      expect((viaRealPath as Error).message).toContain(`${real} is already open in this process`);
    } finally {
      await db.close();
    }
    // A symlink to a directory that does not exist yet gets its directory.
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'later', 'data'), dangling);
    const lock = await lockDataDir(dangling);
    expect(lock.dataDir).toBe(join(dir, 'later', 'data'));
    await lock.release();
  }, 60_000);

  it('never takes the lock from a live holder, however long it has been stopped; takes it at once after SIGKILL', async () => {
    const held = startLockHolder(dataDir);
    children.push(held.child);
    expect(await held.next()).toEqual({ locked: dataDir, pid: held.child.pid });

    held.child.kill('SIGSTOP');
    // Make the lock look untouched for an hour: age must not matter while the pid lives.
    const hourAgo = new Date(Date.parse('2026-01-01T00:00:00Z'));
    utimesSync(`${dataDir}.lock`, hourAgo, hourAgo);
    const refused = await refusal(dataDir);
    expect(refused).toBeInstanceOf(DataDirectoryLockedError);
    expect((refused as DataDirectoryLockedError).ownerPid).toBe(held.child.pid);
    expect((refused as Error).message).toContain(`already in use by another Alur process (pid ${held.child.pid})`);

    // Resumed, the holder still holds its lock and is alive.
    held.child.kill('SIGCONT');
    held.child.stdin.write('check\n');
    expect(await held.next()).toEqual({ holds: true });

    held.child.kill('SIGKILL');
    await held.exited;
    const lock = await lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(lock.lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  }, 60_000);

  it('takes over a lock left by the old lock format or by an earlier process with this pid', async () => {
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(`${dataDir}.lock`);
    writeFileSync(`${dataDir}.lock.pid`, '999999999');
    const fromLegacy = await lockDataDir(dataDir);
    await fromLegacy.release();

    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), id: 'an-earlier-life' }));
    const fromEarlierLife = await lockDataDir(dataDir);
    expect(JSON.parse(readFileSync(fromEarlierLife.lockPath, 'utf8')).id).not.toBe('an-earlier-life');
    await fromEarlierLife.release();
  });
});
