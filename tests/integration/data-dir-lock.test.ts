import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirectoryLockedError, openDatabase } from '../../src/adapters/store/database.js';
import { startEngineChild, type EngineChild } from '../support/child-process.js';

const exec = promisify(execFile);

describe('the PGlite data directory lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alur-lock-'));
  const dataDir = join(dir, 'data');
  let holder: EngineChild | undefined;
  afterEach(async () => {
    if (holder && holder.process.exitCode === null && holder.process.signalCode === null) {
      holder.process.kill('SIGKILL');
      await holder.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process at once, names the holder, and lets a restart in after a crash', async () => {
    holder = startEngineChild(['pglite', dataDir]);
    await holder.until((m) => m.some((x) => x.ready), 60_000);

    const started = Date.now();
    const second = await exec(process.execPath, ['bin/alur.js', 'migrate'], { env: { ...process.env, ALUR_DATA_DIR: dataDir, DATABASE_URL: '' } }).catch((error: { code: number; stderr: string }) => error);
    expect(Date.now() - started).toBeLessThan(8_000);
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
});
