/**
 * The dialects every store test runs against: embedded PGlite always, PostgreSQL when
 * DATABASE_URL is set. Each call gives a fresh, migrated database of its own.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/store/database.js';
import { migrateToLatest } from '../../src/adapters/store/migrate.js';

export interface Dialect {
  name: 'pglite' | 'postgres';
  /** A fresh migrated database; close it when done. */
  open(): Promise<Database>;
}

const databaseUrl = process.env.DATABASE_URL;

export const dialects: Dialect[] = [
  {
    name: 'pglite',
    async open() {
      // A migrated PGlite image made once per run (tests/support/global-setup.ts) loads in ~0.3 s.
      const template = readFileSync(inject('pgliteTemplate'));
      return openDatabase({ memory: true, loadDataDir: new Blob([template]) });
    },
  },
  ...(databaseUrl
    ? [{
        name: 'postgres' as const,
        async open() {
          const schema = `t_${randomBytes(6).toString('hex')}`;
          const db = await openDatabase({ databaseUrl, schema, poolMax: 25 });
          await migrateToLatest(db);
          const close = db.close;
          return { ...db, close: async () => { await db.knex.raw(`drop schema ${schema} cascade`); await close(); } };
        },
      }]
    : []),
];
