import { afterEach, beforeEach } from 'vitest';
import { ManualClock } from '../../src/adapters/clock.js';
import type { Database } from '../../src/adapters/store/database.js';
import { openAlur, type Alur } from '../../src/app/alur.js';
import { publishSop } from '../../src/app/publish-sop.js';
import { upsertOrganization } from '../../src/adapters/store/accounts-table.js';
import type { AdapterRunner, CaseActor } from '../../src/engine/index.js';
import type { Dialect } from './databases.js';
import { SEED_FILES, seedText } from './seeds.js';

/** Adapters that answer at once and remember what they were asked. */
export function recordingRunner(results: Record<string, unknown> = {}): AdapterRunner & { calls: Array<{ name: string; step: string; params: Record<string, unknown> }> } {
  const calls: Array<{ name: string; step: string; params: Record<string, unknown> }> = [];
  return {
    calls,
    async run(name, input) {
      calls.push({ name, step: input.step, params: input.params });
      if (results[name] instanceof Error) throw results[name];
      return results[name] ?? { ok: true };
    },
  };
}

/** The organisation the harness publishes both seed SOPs into. */
export const TEST_ORGANIZATION = 'kota-uji';

export interface Harness {
  alur: Alur;
  clock: ManualClock;
  runner: ReturnType<typeof recordingRunner>;
}

/** Alur on a fresh database with both seed SOPs published and a manual clock. */
export async function openHarness(db: Database, runner = recordingRunner()): Promise<Harness> {
  const clock = new ManualClock('2026-03-02T00:00:00.000Z');
  const alur = await openAlur({ database: db, clock, adapters: runner, migrate: false });
  await upsertOrganization(db.knex, { id: TEST_ORGANIZATION, name: 'Kota Uji', timeZone: 'Asia/Makassar' }, clock.now());
  for (const name of ['pontianak', 'tarakan'] as const) {
    await publishSop(db.knex, { source: seedText(name), file: SEED_FILES[name], by: 'test', at: clock.now(), organizationId: TEST_ORGANIZATION });
  }
  return { alur, clock, runner };
}

export function person(id: string, ...roles: string[]): CaseActor {
  return { id, roles };
}

export const MINUTE = 60_000;

/**
 * A fresh database of `dialect` with the harness on it for every test of the enclosing describe,
 * closed afterwards. Read `t.db` and `t.h` inside tests.
 */
export function useHarness(dialect: Dialect): { readonly db: Database; readonly h: Harness } {
  let db: Database | undefined;
  let h: Harness | undefined;
  beforeEach(async () => {
    db = await dialect.open();
    h = await openHarness(db);
  });
  afterEach(async () => {
    await h?.alur.close();
  });
  return {
    get db() { return db!; },
    get h() { return h!; },
  };
}
