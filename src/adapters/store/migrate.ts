/**
 * Forward-only migrations, the same files for PGlite and PostgreSQL. On PostgreSQL an advisory
 * lock makes two processes starting at once take turns instead of failing on knex's lock table.
 */
import type { Knex } from 'knex';
import { migrations } from '../../../migrations/index.js';
import type { Database } from './database.js';

const MIGRATION_LOCK_KEY = 0x616c7572; // "alur"

const source: Knex.MigrationSource<{ name: string; module: Knex.Migration }> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration.module,
};

/** Apply every pending migration; returns the names applied now. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  const run = async () => {
    const [, applied] = (await db.knex.migrate.latest({ migrationSource: source })) as [number, string[]];
    return applied;
  };
  if (db.dialect === 'pglite') return run();
  // Held on a connection of its own for the duration; knex migrates on other pool connections.
  return db.knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    return run();
  });
}
