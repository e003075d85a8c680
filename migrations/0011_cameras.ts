import type { Knex } from 'knex';

/**
 * Cameras per organisation and the evidence their checks leave behind. A camera is removed by
 * marking it (its evidence keeps pointing at it); evidence is append-only, like the case log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cameras', (t) => {
    t.uuid('id').primary();
    t.text('organization_id').notNullable().references('organizations.id');
    t.text('name').notNullable();
    t.text('location').notNullable().defaultTo('');
    // The stream URL without its password; the password (if any) is kept apart in `secret`, encrypted when a key is configured.
    t.text('stream_url').notNullable();
    t.text('secret');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.text('created_by').notNullable();
    t.timestamp('removed_at', { useTz: true });
  });
  await knex.raw('create unique index cameras_org_name on cameras (organization_id, lower(name)) where removed_at is null');

  await knex.schema.createTable('camera_evidence', (t) => {
    t.uuid('id').primary();
    t.text('organization_id').notNullable().references('organizations.id');
    t.uuid('camera_id').notNullable().references('cameras.id');
    t.uuid('case_id');
    t.text('step');
    t.text('kind').notNullable().checkIn(['check', 'snapshot']);
    t.timestamp('probed_at', { useTz: true }).notNullable();
    t.boolean('ok').notNullable();
    t.text('error');
    t.jsonb('probe');
    t.binary('snapshot');
    t.text('snapshot_sha256');
  });
  await knex.raw('create index camera_evidence_camera on camera_evidence (camera_id, probed_at desc)');
  await knex.raw('create index camera_evidence_case on camera_evidence (case_id) where case_id is not null');
  await knex.raw(`
    create function alur_refuse_evidence_change() returns trigger language plpgsql as $$
    begin
      raise exception 'camera_evidence is append-only: % is not allowed', tg_op using errcode = 'P0001';
    end $$`);
  await knex.raw(`create trigger camera_evidence_append_only before update or delete on camera_evidence
    for each row execute function alur_refuse_evidence_change()`);
  await knex.raw(`create trigger camera_evidence_no_truncate before truncate on camera_evidence
    for each statement execute function alur_refuse_evidence_change()`);
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
