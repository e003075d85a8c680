import type { Knex } from 'knex';

/**
 * SOP ids unique per organisation (two offices may both have `cuti-tahunan`), rows with several
 * pelaksana (`step_executions.roles`), and timer jobs for periodic duties.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table sop_versions drop constraint sop_versions_sop_id_revision_unique');
  await knex.raw('alter table sop_versions drop constraint sop_versions_sop_id_content_hash_unique');
  // Organisation-less revisions (published from the CLI before any organisation existed) form one namespace of their own.
  await knex.raw("create unique index sop_versions_org_sop_revision on sop_versions (coalesce(organization_id, ''), sop_id, revision)");
  await knex.raw("create unique index sop_versions_org_sop_content on sop_versions (coalesce(organization_id, ''), sop_id, content_hash)");
  await knex.schema.dropTable('sop_owners');

  await knex.schema.alterTable('step_executions', (t) => {
    t.jsonb('roles').notNullable().defaultTo('[]');
  });
  await knex.raw("update step_executions set roles = jsonb_build_array(role) where role is not null");
  await knex.raw('create index step_executions_open_roles on step_executions using gin (roles) where completed_at is null');

  await knex.raw('alter table jobs drop constraint jobs_kind_check');
  await knex.raw("alter table jobs add constraint jobs_kind_check check (kind in ('deadline', 'adapter', 'timer'))");
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
