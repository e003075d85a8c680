/**
 * Opening Alur's database: PostgreSQL through `pg` when a URL is given, otherwise embedded PGlite
 * (WebAssembly PostgreSQL) in a data directory that this process locks for itself.
 */
import { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { lockDataDir } from './data-dir-lock.js';

export { DataDirectoryLockedError } from './data-dir-lock.js';

export type Dialect = 'postgres' | 'pglite';

export interface Database {
  knex: Knex;
  dialect: Dialect;
  /** Human description for logs: the URL without password, or the data directory. */
  description: string;
  /** PostgreSQL only: how a separate listening connection reaches the same database and schema. */
  postgres?: { connectionString: string; schema?: string };
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { databaseUrl: string; poolMax?: number; /** A schema of its own (created if missing), e.g. one per test file. */ schema?: string }
  | { dataDir: string }
  | { memory: true; loadDataDir?: Blob | File }
  | { pglite: PGlite };

/** Throws unless the database answers. */
export async function pingDatabase(db: Pick<Database, 'knex'>): Promise<void> {
  await db.knex.raw('select 1');
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ('databaseUrl' in options) {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`invalid schema name "${options.schema}"`);
    const knex = knexFactory({
      client: 'pg', connection: options.databaseUrl, pool: { min: 0, max: options.poolMax ?? 10 },
      ...(options.schema ? { searchPath: [options.schema] } : {}),
    });
    if (options.schema) await knex.raw(`create schema if not exists ${options.schema}`);
    else await knex.raw('select 1');
    return {
      knex, dialect: 'postgres', description: redact(options.databaseUrl), close: () => knex.destroy(),
      postgres: { connectionString: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) },
    };
  }
  if ('memory' in options || 'pglite' in options) {
    const pglite = 'pglite' in options ? options.pglite : new PGlite(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
    const knex = knexFactory({ client: ClientPgLite, dialect: 'postgres', connection: { pglite } as object });
    await knex.raw('select 1');
    return { knex, dialect: 'pglite', description: 'PGlite (in memory)', close: () => knex.destroy() };
  }
  const lock = await lockDataDir(options.dataDir);
  try {
    // The real path: PGlite cannot open a data directory through a symlink.
    const pglite = new PGlite(lock.dataDir);
    const knex = knexFactory({ client: ClientPgLite, dialect: 'postgres', connection: { pglite } as object });
    await knex.raw('select 1');
    return {
      knex,
      dialect: 'pglite',
      description: `PGlite (${lock.dataDir})`,
      close: async () => {
        await knex.destroy();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
