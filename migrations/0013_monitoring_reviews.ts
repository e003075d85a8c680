import type { Knex } from 'knex';

/**
 * The auditor's part of the monitoring form (Monitoring Pelaksanaan SOP AP): per step an
 * assessment, a note and an action, and the sign-off of the whole form, for one SOP revision and
 * period. Append-only, like the case log: an edit is a new row, the latest row per step counts,
 * and every earlier revision stays readable.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('monitoring_reviews', (t) => {
    t.bigIncrements('id');
    t.text('organization_id').notNullable().references('organizations.id');
    t.text('sop_id').notNullable();
    t.integer('revision').notNullable();
    // "<from ISO>/<to ISO>", either side empty when open: the period the form covers.
    t.text('period').notNullable();
    t.text('kind').notNullable().checkIn(['step', 'sign-off']);
    t.text('step_id');
    t.text('assessment').checkIn(['berjalan', 'tidak-berjalan']);
    t.text('note').notNullable().defaultTo('');
    t.text('action').notNullable().defaultTo('');
    // For a sign-off: the sha256 of the form as signed (figures, notes and actions).
    t.text('form_hash');
    t.text('written_by').notNullable();
    t.timestamp('written_at', { useTz: true }).notNullable();
  });
  await knex.raw('create index monitoring_reviews_form on monitoring_reviews (organization_id, sop_id, revision, period, id)');
  await knex.raw(`
    create function alur_refuse_review_change() returns trigger language plpgsql as $$
    begin
      raise exception 'monitoring_reviews is append-only: % is not allowed', tg_op using errcode = 'P0001';
    end $$`);
  await knex.raw(`create trigger monitoring_reviews_append_only before update or delete on monitoring_reviews
    for each row execute function alur_refuse_review_change()`);
  await knex.raw(`create trigger monitoring_reviews_no_truncate before truncate on monitoring_reviews
    for each statement execute function alur_refuse_review_change()`);
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
