/**
 * The account service on both dialects: credentials issued before a password change are refused,
 * the last use of a token is written at most once a minute, and migration 0006 gives tokens that
 * existed before it an id without breaking them.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { ManualClock } from '../../src/adapters/clock.js';
import { insertSession, hashToken } from '../../src/adapters/store/sessions-table.js';
import { openDatabase, type Database } from '../../src/adapters/store/database.js';
import { migrateToLatest } from '../../src/adapters/store/migrate.js';
import { Accounts, SYSTEM } from '../../src/app/accounts.js';
import { dialects } from '../support/databases.js';

async function withAccounts(db: Database, work: (accounts: Accounts, clock: ManualClock, orgId: string, knex: Knex) => Promise<void>) {
  const clock = new ManualClock('2026-03-02T00:00:00Z');
  await db.knex('organizations').insert({ id: 'kota-uji', name: 'Kota Uji', time_zone: 'Asia/Makassar', created_at: clock.now() });
  try {
    await work(new Accounts({ db: db.knex, clock }), clock, 'kota-uji', db.knex);
  } finally {
    await db.close();
  }
}

describe.each(dialects)('the account service on $name', (dialect) => {
  it('refuses a session or token issued before the last password change, even one that escaped revocation', async () => {
    await withAccounts(await dialect.open(), async (accounts, clock, organizationId, db) => {
      const { user } = await accounts.createUser(SYSTEM, { organizationId, username: 'ani.uji', displayName: 'Ani', password: 'kata-sandi-lama-1', roles: ['auditor'] });
      clock.advance(60_000);
      await accounts.setPassword(SYSTEM, user.id, 'kata-sandi-baru-1');
      // A session written with an earlier time (a login racing the change) is refused all the same.
      await insertSession(db, { token: 'racing', userId: user.id, csrfToken: 'c', createdAt: new Date(clock.now().getTime() - 1), expiresAt: new Date(clock.now().getTime() + 3_600_000) });
      expect(await accounts.authenticateSession('racing')).toEqual({ ok: false, reason: 'password-changed', at: clock.now() });
      const fresh = await accounts.startSession(user.id, 3_600_000);
      expect(await accounts.authenticateSession(fresh.token)).toMatchObject({ ok: true, user: { username: 'ani.uji' } });
      expect(await accounts.checkPassword('ani.uji', 'kata-sandi-lama-1')).toBeUndefined();
      expect(await accounts.checkPassword('ani.uji', 'kata-sandi-baru-1')).toMatchObject({ id: user.id });
    });
  });

  it('writes a token\'s last use at most once a minute', async () => {
    const db = await dialect.open();
    const updates: string[] = [];
    db.knex.on('query', (q: { sql: string }) => { if (/^update "api_tokens"/.test(q.sql)) updates.push(q.sql); });
    await withAccounts(db, async (accounts, clock, organizationId) => {
      const { user } = await accounts.createUser(SYSTEM, { organizationId, username: 'budi.uji', displayName: 'Budi', roles: ['auditor'] });
      const { token } = await accounts.createToken(user.id, { name: 'beban' });
      for (let i = 0; i < 30; i += 1) {
        expect((await accounts.authenticateToken(token)).ok).toBe(true);
        clock.advance(5_000); // 30 uses over 150 s
      }
      expect(updates).toHaveLength(3);
    });
  });
});

describe('migration 0006 on tokens made before it', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const targets: Array<{ name: string; open(): Promise<Database>; drop(db: Database): Promise<void> }> = [
    { name: 'pglite', open: () => openDatabase({ memory: true }), drop: async () => {} },
    ...(process.env.DATABASE_URL ? [{
      name: 'postgres',
      open: () => openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema }),
      drop: async (db: Database) => { await db.knex.raw(`drop schema ${schema} cascade`); },
    }] : []),
  ];

  it.each(targets)('gives each an id and keeps it working on $name', async (target) => {
    const db = await target.open();
    try {
      const before: Knex.MigrationSource<(typeof migrations)[number]> = {
        getMigrations: async () => migrations.filter((m) => m.name < '0006'), getMigrationName: (m) => m.name, getMigration: async (m) => m.module,
      };
      await db.knex.migrate.latest({ migrationSource: before });
      const at = new Date('2026-03-02T00:00:00Z');
      await db.knex('organizations').insert({ id: 'kota-uji', name: 'Kota Uji', time_zone: 'Asia/Makassar', created_at: at });
      const userId = '00000000-0000-4000-8000-000000000001';
      await db.knex('users').insert({ id: userId, organization_id: 'kota-uji', username: 'lama', display_name: 'Lama', password_hash: 'x', created_at: at });
      await db.knex('api_tokens').insert([{ token_hash: hashToken('alur_lama-1'), user_id: userId, name: 'satu', created_at: at }, { token_hash: hashToken('alur_lama-2'), user_id: userId, name: 'dua', created_at: at }]);

      expect(await migrateToLatest(db)).toContain('0006_token_lifecycle');
      const ids = (await db.knex('api_tokens').select('id')).map((r) => r.id as string);
      expect(new Set(ids).size).toBe(2);
      const accounts = new Accounts({ db: db.knex, clock: new ManualClock(at) });
      expect(await accounts.authenticateToken('alur_lama-1')).toMatchObject({ ok: true, user: { username: 'lama' } });
      expect((await accounts.listTokens(SYSTEM)).map((t) => [t.name, t.status])).toEqual(expect.arrayContaining([['satu', 'active'], ['dua', 'active']]));
    } finally {
      await target.drop(db);
      await db.close();
    }
  });
});
