import type { Knex } from 'knex';

/**
 * Credentials that end: an API token gets an id (to list and revoke it without its secret), an
 * optional expiry and a revocation time; a user records when the password last changed, and
 * sessions and tokens issued before that are refused.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.uuid('id');
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw('update api_tokens set id = gen_random_uuid()');
  await knex.raw('alter table api_tokens alter column id set not null');
  await knex.schema.alterTable('api_tokens', (t) => {
    t.unique(['id']);
    t.index(['user_id']);
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.index(['user_id']);
    t.index(['expires_at']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('password_changed_at', { useTz: true });
  });
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
