import type { Knex } from 'knex';

/** Which organisation an SOP id belongs to: one row per id, so two first publishes cannot both win. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sop_owners', (t) => {
    t.text('sop_id').primary();
    t.text('organization_id').references('organizations.id');
  });
  await knex.raw(`insert into sop_owners (sop_id, organization_id)
    select distinct on (sop_id) sop_id, organization_id from sop_versions order by sop_id, revision`);
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
