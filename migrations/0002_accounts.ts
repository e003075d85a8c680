import type { Knex } from 'knex';

/**
 * Organisations (tenants), their users and role assignments, login sessions and API tokens.
 * SOP versions and cases belong to one organisation; nobody sees another organisation's data.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.text('id').primary();
    t.text('name').notNullable().unique();
    t.text('time_zone').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.text('organization_id').notNullable().references('organizations.id');
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('password_hash').notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('role_assignments', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable();
    t.primary(['user_id', 'role']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.text('token_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('csrf_token').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.text('token_hash').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
  });

  await knex.schema.alterTable('sop_versions', (t) => {
    t.text('organization_id').references('organizations.id');
    t.index(['organization_id', 'sop_id']);
  });
  await knex.schema.alterTable('cases', (t) => {
    t.text('organization_id').references('organizations.id');
    t.index(['organization_id', 'status']);
  });
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
