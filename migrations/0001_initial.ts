import type { Knex } from 'knex';

/**
 * The durable case model: published SOP versions, cases pinned to a version, the append-only
 * hash-chained event log, per-step executions with their timings, jobs (deadlines and adapter
 * runs, claimed with FOR UPDATE SKIP LOCKED) and notifications.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sop_versions', (t) => {
    t.bigIncrements('id').primary();
    t.text('sop_id').notNullable();
    t.integer('revision').notNullable();
    t.integer('declared_version').notNullable();
    t.text('title').notNullable();
    t.text('file').notNullable();
    t.text('source').notNullable();
    t.text('content_hash').notNullable();
    t.jsonb('definition').notNullable();
    t.timestamp('published_at', { useTz: true }).notNullable();
    t.text('published_by');
    t.unique(['sop_id', 'revision']);
    t.unique(['sop_id', 'content_hash']);
  });

  await knex.schema.createTable('cases', (t) => {
    t.uuid('id').primary();
    t.bigInteger('sop_version_id').notNullable().references('sop_versions.id');
    t.text('sop_id').notNullable();
    t.text('status').notNullable().checkIn(['active', 'completed', 'cancelled']);
    t.integer('seq').notNullable();
    t.jsonb('snapshot').notNullable();
    t.jsonb('active_steps').notNullable();
    t.text('title');
    t.text('started_by').notNullable();
    t.text('start_key').unique();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.index(['sop_id', 'status']);
  });

  await knex.schema.createTable('case_events', (t) => {
    t.uuid('case_id').notNullable().references('cases.id');
    t.integer('seq').notNullable();
    t.text('type').notNullable();
    t.jsonb('payload').notNullable();
    t.text('actor_id').notNullable();
    t.jsonb('actor_roles').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('idempotency_key');
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
    t.primary(['case_id', 'seq']);
    t.unique(['case_id', 'idempotency_key']);
  });
  // The log is append-only: the database itself refuses to change or remove an event.
  await knex.raw(`
    create function alur_refuse_event_change() returns trigger language plpgsql as $$
    begin
      raise exception 'case_events is append-only: % is not allowed', tg_op using errcode = 'P0001';
    end $$`);
  await knex.raw(`create trigger case_events_append_only before update or delete on case_events
    for each row execute function alur_refuse_event_change()`);
  await knex.raw(`create trigger case_events_no_truncate before truncate on case_events
    for each statement execute function alur_refuse_event_change()`);

  await knex.schema.createTable('step_executions', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('case_id').notNullable().references('cases.id');
    t.text('step_id').notNullable();
    t.text('procedure');
    t.text('kind').notNullable();
    t.text('role');
    t.integer('visit').notNullable();
    t.bigInteger('budget_ms');
    t.timestamp('available_at', { useTz: true }).notNullable();
    t.timestamp('started_at', { useTz: true });
    t.text('started_by');
    t.boolean('start_implicit').notNullable().defaultTo(false);
    t.timestamp('completed_at', { useTz: true });
    t.jsonb('actors').notNullable().defaultTo('[]');
    t.text('outcome');
    t.jsonb('output');
    t.boolean('overdue').notNullable().defaultTo(false);
    t.unique(['case_id', 'step_id', 'visit']);
    t.index(['case_id']);
  });
  await knex.raw('create index step_executions_open on step_executions (role) where completed_at is null');

  await knex.schema.createTable('jobs', (t) => {
    t.bigIncrements('id').primary();
    t.text('kind').notNullable().checkIn(['deadline', 'adapter']);
    t.uuid('case_id').notNullable().references('cases.id');
    t.bigInteger('step_execution_id').references('step_executions.id');
    t.jsonb('payload').notNullable();
    t.timestamp('run_at', { useTz: true }).notNullable();
    t.text('status').notNullable().checkIn(['pending', 'running', 'done', 'cancelled']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.text('last_error');
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.raw(`create index jobs_due on jobs (run_at) where status in ('pending', 'running')`);

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('case_id').notNullable().references('cases.id');
    t.text('kind').notNullable();
    t.text('step_id');
    t.jsonb('roles').notNullable();
    t.text('message').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('Alur migrations are forward-only');
}
