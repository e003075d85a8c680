import type { Knex } from 'knex';

/**
 * The engine's effects as data: a step's deadline counted from when it became available
 * (`due_at`), notifications that carry what a person needs to act (`data`), the roles of each
 * published SOP version as rows the access policy can join on (`sop_roles`), and an index for
 * every foreign key a lookup follows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('step_executions', (t) => {
    t.timestamp('due_at', { useTz: true });
    t.index(['case_id', 'step_id']);
  });
  await knex.raw('update step_executions set due_at = available_at + budget_ms * interval \'1 millisecond\' where budget_ms is not null');
  await knex.schema.alterTable('notifications', (t) => {
    t.jsonb('data').notNullable().defaultTo('{}');
    t.index(['case_id']);
  });
  await knex.raw('create index notifications_roles on notifications using gin (roles)');
  await knex.schema.alterTable('jobs', (t) => {
    t.index(['case_id']);
    t.index(['step_execution_id']);
  });
  await knex.schema.createTable('sop_roles', (t) => {
    t.bigInteger('sop_version_id').notNullable().references('id').inTable('sop_versions');
    t.text('role').notNullable();
    t.primary(['sop_version_id', 'role']);
    t.index(['role']);
  });
  await knex.raw(`insert into sop_roles (sop_version_id, role)
    select v.id, r.value->>'id' from sop_versions v cross join lateral jsonb_array_elements(v.definition->'roles') r
    on conflict do nothing`);
  await knex.schema.alterTable('cases', (t) => {
    t.index(['organization_id', 'started_at']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
