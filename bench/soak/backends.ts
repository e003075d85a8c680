/**
 * A fresh, throw-away database for one soak part: PGlite in a temporary directory, or a new
 * PostgreSQL database on the server DATABASE_URL names (dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseOptions } from '../../src/adapters/store/database.js';

export type BackendName = 'pglite' | 'postgres';

export interface SoakBackend {
  name: BackendName;
  /** For opening the database in this process. */
  options: DatabaseOptions;
  /** Environment for `alur serve` on this database. */
  env: Record<string, string>;
  /** A working directory for files of this run (SOPs, logs). */
  dir: string;
  dispose(): Promise<void>;
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function createBackend(name: BackendName, postgresUrl: string = DEFAULT_POSTGRES_URL): Promise<SoakBackend> {
  const dir = mkdtempSync(join(tmpdir(), `alur-soak-${name}-`));
  if (name === 'pglite') {
    const dataDir = join(dir, 'data');
    return { name, dir, options: { dataDir }, env: { ALUR_DATA_DIR: dataDir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const database = `alur_soak_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  return {
    name, dir, options: { databaseUrl }, env: { DATABASE_URL: databaseUrl, ALUR_DATA_DIR: join(dir, 'data') },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${database} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
