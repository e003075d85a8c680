import type { Knex } from 'knex';

/** Which audit key signed an event (null: a plain SHA-256 link), so keyed and unkeyed chains both verify. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_events', (t) => {
    t.text('key_id');
  });
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
