import type { Knex } from 'knex';

/**
 * Case heads: one append-only row per appended event (case, seq, hash, key id, HMAC signature),
 * written in the event's transaction. The rows carry no foreign key, so deleting a case, the tail
 * of its log or whole case tables leaves heads that name what is missing. The database refuses
 * UPDATE, DELETE and TRUNCATE on them, as it does on the event log. Existing logs get their heads
 * here (unsigned: the migration has no key; a head only adds an expectation, so it cannot hide anything).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_heads', (t) => {
    t.uuid('case_id').notNullable();
    t.integer('seq').notNullable();
    t.text('hash').notNullable();
    t.text('key_id');
    t.text('signature');
    t.text('organization_id');
    t.timestamp('recorded_at', { useTz: true }).notNullable();
    t.primary(['case_id', 'seq']);
    t.index(['organization_id']);
  });
  await knex.raw(`
    create function alur_refuse_audit_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'P0001';
    end $$`);
  await knex.raw(`create trigger case_heads_append_only before update or delete on case_heads
    for each row execute function alur_refuse_audit_change()`);
  await knex.raw(`create trigger case_heads_no_truncate before truncate on case_heads
    for each statement execute function alur_refuse_audit_change()`);
  // `alur audit adopt-key`: when a key is first configured on a database with plain-chained cases, the
  // operator vouches (signed with the key) for each case's plain prefix as it stands; later plain links are tampering.
  await knex.schema.createTable('audit_key_adoptions', (t) => {
    t.uuid('case_id').notNullable();
    t.text('key_id').notNullable();
    t.integer('seq').notNullable();
    t.text('hash').notNullable();
    t.text('signature').notNullable();
    t.timestamp('adopted_at', { useTz: true }).notNullable();
    t.primary(['case_id', 'key_id']);
  });
  await knex.raw(`create trigger audit_key_adoptions_append_only before update or delete on audit_key_adoptions
    for each row execute function alur_refuse_audit_change()`);
  await knex.raw(`create trigger audit_key_adoptions_no_truncate before truncate on audit_key_adoptions
    for each statement execute function alur_refuse_audit_change()`);
  await knex.raw(`insert into case_heads (case_id, seq, hash, key_id, signature, organization_id, recorded_at)
    select e.case_id, e.seq, e.hash, e.key_id, null, c.organization_id, e.at from case_events e join cases c on c.id = e.case_id`);
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
