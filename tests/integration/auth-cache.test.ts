import { describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { accountsOf, SYSTEM } from '../../src/app/accounts.js';
import { TEST_ORGANIZATION, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

/** Statements `run` sends to the database. */
async function statementsOf(t: { db: { knex: Knex } }, run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const onQuery = () => { count += 1; };
  t.db.knex.on('query', onQuery);
  try {
    await run();
  } finally {
    t.db.knex.off('query', onQuery);
  }
  return count;
}

describe.each(dialects)('cached authentication on $name', (dialect) => {
  const t = useHarness(dialect);

  it('looks a token or session up once, and still refuses it at once after a revocation, logout, disabling or a role change', async () => {
    const accounts = accountsOf(t.h.alur);
    const { user } = await accounts.createUser(SYSTEM, { organizationId: TEST_ORGANIZATION, username: 'ani', displayName: 'Ani', roles: ['petugas'] });
    const { token, info } = await accounts.createToken(user.id, { name: 'skrip' });

    expect(await statementsOf(t, () => accounts.authenticateToken(token))).toBeGreaterThan(0);
    expect(await statementsOf(t, () => accounts.authenticateToken(token))).toBe(0);
    await accounts.revokeToken(SYSTEM, info.id);
    expect(await accounts.authenticateToken(token)).toMatchObject({ ok: false, reason: 'revoked' });

    const session = await accounts.startSession(user.id, 3600_000);
    expect(await accounts.authenticateSession(session.token)).toMatchObject({ ok: true, user: { roles: ['petugas'] } });
    expect(await statementsOf(t, () => accounts.authenticateSession(session.token))).toBe(0);
    await accounts.setRoles(SYSTEM, user.id, ['petugas', 'kepala-upt']);
    const roles = (await accounts.authenticateSession(session.token) as { user: { roles: string[] } }).user.roles;
    expect([...roles].sort()).toEqual(['kepala-upt', 'petugas']);
    await accounts.setDisabled(SYSTEM, user.id, true);
    expect(await accounts.authenticateSession(session.token)).toMatchObject({ ok: false });

    await accounts.setDisabled(SYSTEM, user.id, false);
    const second = await accounts.startSession(user.id, 3600_000);
    expect(await accounts.authenticateSession(second.token)).toMatchObject({ ok: true });
    await accounts.endSession(second.token);
    expect(await accounts.authenticateSession(second.token)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('never serves a cached session past its expiry on Alur\'s clock', async () => {
    const accounts = accountsOf(t.h.alur);
    const { user } = await accounts.createUser(SYSTEM, { organizationId: TEST_ORGANIZATION, username: 'budi', displayName: 'Budi', roles: ['petugas'] });
    const session = await accounts.startSession(user.id, 60_000);
    expect(await accounts.authenticateSession(session.token)).toMatchObject({ ok: true });
    t.h.clock.advance(61_000);
    expect(await accounts.authenticateSession(session.token)).toMatchObject({ ok: false, reason: 'unknown' });
  });
});
