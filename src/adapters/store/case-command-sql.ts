/**
 * The statements of the command hot path, written as plain SQL (no per-call statement building):
 * one read that brings the case with its last event hash and the event an idempotency key already
 * recorded, and one write that advances the case under the optimistic `seq` check, appends the
 * chained event and records the case head. Identical on PGlite and PostgreSQL.
 */
import type { Knex } from 'knex';
import type { QueryConfig, QueryResult } from 'pg';
import { GENESIS_HASH, signHead, type AuditKey, type ChainedEvent, type NotificationDraft, type StepEntry, type StepExit } from '../../engine/index.js';
import type { CaseRow } from './cases-table.js';

/** A pooled `pg` connection, as knex's pg client hands it out. */
interface PgConnection { query(config: QueryConfig): Promise<QueryResult> }
interface PgKnexClient {
  config: { client?: unknown };
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * A hot-path statement: on PostgreSQL (outside a transaction) as a named prepared statement on a
 * pooled connection, so the server parses and plans each of these CTEs once per connection rather
 * than at every command, and knex builds nothing; elsewhere (PGlite, a transaction) through knex.
 * Still reported to knex's `query` listeners, so statement counts and logs see it.
 */
function hotStatement(name: string, sql: string): (db: Knex, bindings: unknown[]) => Promise<Array<Record<string, unknown>>> {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${(n += 1)}`);
  return async (db, bindings) => {
    const client = db.client as PgKnexClient;
    if (client.config.client !== 'pg' || db.isTransaction) return (await db.raw<{ rows: Array<Record<string, unknown>> }>(sql, bindings as never[])).rows;
    db.emit('query', { sql: text, bindings, method: 'raw', name });
    const connection = await client.acquireConnection();
    try {
      return (await connection.query({ name, text, values: bindings })).rows as Array<Record<string, unknown>>;
    } finally {
      await client.releaseConnection(connection);
    }
  };
}

export interface CommandRead {
  row: CaseRow;
  /** Hash of the case's last event (the one at `row.seq`): the next event chains to it. */
  lastHash: string;
  /** The event already recorded under the command's idempotency key, if any. */
  keyed?: ChainedEvent;
}

const READ = `
  select c.id, c.sop_version_id as "sopVersionId", c.sop_id as "sopId", c.status, c.seq, c.snapshot, c.active_steps as "activeSteps",
    c.title, c.started_by as "startedBy", c.start_key as "startKey", c.started_at as "startedAt", c.updated_at as "updatedAt",
    c.ended_at as "endedAt", c.organization_id as "organizationId",
    (select e.hash from case_events e where e.case_id = c.id and e.seq = c.seq) as "lastHash",
    (select row_to_json(k) from case_events k where k.case_id = c.id and k.idempotency_key = ?::text) as "keyed"
  from cases c where c.id = ?::uuid`;

function eventFromJson(row: Record<string, unknown>): ChainedEvent {
  return {
    caseId: row.case_id as string, seq: row.seq as number, type: row.type as string, payload: row.payload, actorId: row.actor_id as string,
    actorRoles: row.actor_roles as string[], at: new Date(row.at as string), idempotencyKey: (row.idempotency_key as string | null) ?? null,
    keyId: (row.key_id as string | null) ?? null, prevHash: row.prev_hash as string, hash: row.hash as string,
  };
}

const READ_MANY = `
  select c.id, c.sop_version_id as "sopVersionId", c.sop_id as "sopId", c.status, c.seq, c.snapshot, c.active_steps as "activeSteps",
    c.title, c.started_by as "startedBy", c.start_key as "startKey", c.started_at as "startedAt", c.updated_at as "updatedAt",
    c.ended_at as "endedAt", c.organization_id as "organizationId",
    (select e.hash from case_events e where e.case_id = c.id and e.seq = c.seq) as "lastHash",
    (select row_to_json(k) from case_events k where k.case_id = c.id and k.idempotency_key = q.key) as "keyed"
  from jsonb_to_recordset(?::jsonb) as q(case_id uuid, key text) join cases c on c.id = q.case_id`;

function toCommandRead(found: Record<string, unknown>): CommandRead {
  const { lastHash, keyed, ...row } = found;
  return {
    row: { ...(row as unknown as CaseRow), sopVersionId: Number(row.sopVersionId) },
    lastHash: (lastHash as string | null) ?? GENESIS_HASH,
    ...(keyed ? { keyed: eventFromJson(keyed as Record<string, unknown>) } : {}),
  };
}

/** Several cases as commands need them (each with the event its idempotency key recorded), in one round trip, by case id. */
export async function readForCommands(db: Knex, items: ReadonlyArray<{ caseId: string; idempotencyKey: string }>): Promise<Map<string, CommandRead>> {
  const { rows } = await db.raw<{ rows: Array<Record<string, unknown>> }>(READ_MANY, [JSON.stringify(items.map((i) => ({ case_id: i.caseId, key: i.idempotencyKey })))]);
  return new Map(rows.map((found) => [found.id as string, toCommandRead(found)]));
}

const read = hotStatement('alur_command_read', READ);

/** The case as a command needs it, in one round trip; undefined when there is no such case. */
export async function readForCommand(db: Knex, caseId: string, idempotencyKey: string | null): Promise<CommandRead | undefined> {
  const rows = await read(db, [idempotencyKey, caseId]);
  const found = rows[0];
  return found ? toCommandRead(found) : undefined;
}

const WRITE = `
  with advanced as (
    update cases set seq = ?::int, snapshot = ?::jsonb, active_steps = ?::jsonb, status = ?::text, updated_at = ?::timestamptz, ended_at = ?::timestamptz
    where id = ?::uuid and seq = ?::int returning id
  ), event as (
    insert into case_events (case_id, seq, type, payload, actor_id, actor_roles, at, idempotency_key, key_id, prev_hash, hash)
    select id, ?::int, ?::text, ?::jsonb, ?::text, ?::jsonb, ?::timestamptz, ?::text, ?::text, ?::text, ?::text from advanced
    returning case_id
  )
  insert into case_heads (case_id, seq, hash, key_id, signature, organization_id, recorded_at)
  select case_id, ?::int, ?::text, ?::text, ?::text, ?::text, ?::timestamptz from event
  returning case_id`;

/**
 * Advance the case from `expectedSeq` to `event.seq`, append `event` and its head, in one
 * statement. False (and nothing written) when somebody advanced the case since it was read.
 */
export async function writeCommand(
  db: Knex,
  state: { snapshot: unknown; activeSteps: string[]; status: CaseRow['status']; at: Date },
  expectedSeq: number,
  event: ChainedEvent,
  organizationId: string | null,
  key?: AuditKey,
): Promise<boolean> {
  const head = { caseId: event.caseId, seq: event.seq, hash: event.hash, keyId: event.keyId };
  const { rows } = await db.raw<{ rows: unknown[] }>(WRITE, [
    event.seq, JSON.stringify(state.snapshot), JSON.stringify(state.activeSteps), state.status, state.at, state.status === 'active' ? null : state.at, event.caseId, expectedSeq,
    event.seq, event.type, JSON.stringify(event.payload ?? null), event.actorId, JSON.stringify(event.actorRoles), event.at, event.idempotencyKey, event.keyId, event.prevHash, event.hash,
    event.seq, event.hash, event.keyId, key ? signHead(head, key) : null, organizationId, event.at,
  ]);
  return rows.length === 1;
}

const CLOSE = `
  with closed as (
    update step_executions set completed_at = ?::timestamptz, outcome = ?::text, actors = ?::jsonb, output = ?::jsonb,
      start_implicit = started_at is null, started_at = coalesce(started_at, available_at),
      overdue = overdue or coalesce(due_at < ?::timestamptz, false)
    where case_id = ?::uuid and step_id = ?::text and completed_at is null
    returning id
  )
  update jobs set status = 'cancelled', finished_at = ?::timestamptz
  where step_execution_id in (select id from closed) and status = 'pending'`;

/**
 * Close the open row of each exited step (one never started explicitly counts as started when it
 * became available) and cancel its pending work (deadline, adapter run not begun), one statement per step.
 * A step closed after its due time is overdue even when its deadline had not fired yet (the
 * scheduler was behind, or down): the deadline is cancelled, but the row says what happened.
 */
export async function closeStepsCancellingJobs(db: Knex, caseId: string, exits: readonly StepExit[], at: Date): Promise<void> {
  for (const exit of exits) {
    const output = exit.output === null || exit.output === undefined ? null : JSON.stringify(exit.output);
    await db.raw(CLOSE, [at, exit.outcome, JSON.stringify(exit.actors), output, at, caseId, exit.stepId, at]);
  }
}

const OPEN = `
  with opened as (
    insert into step_executions (case_id, step_id, procedure, kind, role, roles, visit, budget_ms, available_at, due_at)
    select ?::uuid, x.step_id, x.procedure, x.kind, x.role, x.roles, x.visit, x.budget_ms, ?::timestamptz, x.due_at
    from rows from (jsonb_to_recordset(?::jsonb) as (step_id text, procedure text, kind text, role text, roles jsonb, visit int, budget_ms bigint, due_at timestamptz))
      with ordinality as x(step_id, procedure, kind, role, roles, visit, budget_ms, due_at, n)
    order by x.n
    returning id, step_id
  ), queued as (
    insert into jobs (kind, case_id, step_execution_id, payload, run_at, status)
    select j.kind, ?::uuid,
      case when j.step is null or j.kind = 'timer' then null
        else coalesce(o.id, (select s.id from step_executions s where s.case_id = ?::uuid and s.step_id = j.step and s.completed_at is null limit 1)) end,
      j.payload, j.run_at, 'pending'
    from rows from (jsonb_to_recordset(?::jsonb) as (kind text, step text, payload jsonb, run_at timestamptz)) with ordinality as j(kind, step, payload, run_at, n)
    left join opened o on o.step_id = j.step
    order by j.n
  )
  insert into notifications (case_id, kind, step_id, roles, message, data, created_at)
  select ?::uuid, n.kind, n.step_id, n.roles, n.message, n.data, ?::timestamptz
  from rows from (jsonb_to_recordset(?::jsonb) as (kind text, step_id text, roles jsonb, message text, data jsonb)) with ordinality as n(kind, step_id, roles, message, data, i)
  order by n.i`;

/** A job an effect queues; `step` ties it to that step's open row (the one opened now, or still open). */
export interface QueuedJob { kind: 'deadline' | 'adapter' | 'timer'; step: string | null; payload: Record<string, unknown>; runAt: Date }

/**
 * One statement for what a decision opens: the entered steps' rows (with their deadlines), the
 * jobs (deadlines, adapter runs, periodic rounds) tied to their step's open row, and the notifications.
 */
export async function writeOpenedEffects(
  db: Knex,
  caseId: string,
  at: Date,
  entered: readonly StepEntry[],
  jobs: readonly QueuedJob[],
  notifications: readonly NotificationDraft[],
): Promise<void> {
  if (entered.length === 0 && jobs.length === 0 && notifications.length === 0) return;
  const steps = entered.map((e) => ({ step_id: e.stepId, procedure: e.procedure, kind: e.kind, role: e.role, roles: e.roles, visit: e.visit, budget_ms: e.budgetMs, due_at: e.dueAt }));
  const queued = jobs.map((j) => ({ kind: j.kind, step: j.step, payload: j.payload, run_at: j.runAt }));
  const notes = notifications.map((n) => ({ kind: n.kind, step_id: n.stepId, roles: n.roles, message: n.message, data: n.data }));
  await db.raw(OPEN, [caseId, at, JSON.stringify(steps), caseId, caseId, JSON.stringify(queued), caseId, at, JSON.stringify(notes)]);
}

const WRITE_MANY = `
  with input as (
    select * from jsonb_to_recordset(?::jsonb) as x(case_id uuid, expected_seq int, seq int, snapshot jsonb, active_steps jsonb, at timestamptz,
      type text, payload jsonb, actor_id text, actor_roles jsonb, idempotency_key text, key_id text, prev_hash text, hash text,
      signature text, organization_id text, overdue_step text, overdue_visit int)
  ), advanced as (
    update cases c set seq = i.seq, snapshot = i.snapshot, active_steps = i.active_steps, updated_at = i.at
    from input i where c.id = i.case_id and c.seq = i.expected_seq and c.status = 'active'
    returning c.id
  ), event as (
    insert into case_events (case_id, seq, type, payload, actor_id, actor_roles, at, idempotency_key, key_id, prev_hash, hash)
    select i.case_id, i.seq, i.type, i.payload, i.actor_id, i.actor_roles, i.at, i.idempotency_key, i.key_id, i.prev_hash, i.hash
    from input i join advanced a on a.id = i.case_id
    returning case_id
  ), head as (
    insert into case_heads (case_id, seq, hash, key_id, signature, organization_id, recorded_at)
    select i.case_id, i.seq, i.hash, i.key_id, i.signature, i.organization_id, i.at from input i join event e on e.case_id = i.case_id
  ), overdue as (
    update step_executions s set overdue = true
    from input i join advanced a on a.id = i.case_id
    where i.overdue_step is not null and s.case_id = i.case_id and s.step_id = i.overdue_step and s.visit = i.overdue_visit
  ), noted as (
    insert into notifications (case_id, kind, step_id, roles, message, data, created_at)
    select n.case_id, n.kind, n.step_id, n.roles, n.message, n.data, n.created_at
    from rows from (jsonb_to_recordset(?::jsonb) as (case_id uuid, kind text, step_id text, roles jsonb, message text, data jsonb, created_at timestamptz))
      with ordinality as n(case_id, kind, step_id, roles, message, data, created_at, i)
    join advanced a on a.id = n.case_id
    order by n.i
  )
  select id from advanced`;

/**
 * A command whose decision only appends its event and marks a step overdue with notifications (a
 * deadline that came due, the common case): the case stays active, no step opens or closes.
 */
export interface SimpleWrite {
  state: { snapshot: unknown; activeSteps: string[]; at: Date };
  expectedSeq: number;
  event: ChainedEvent;
  organizationId: string | null;
  overdue: { stepId: string; visit: number } | null;
  notifications: readonly NotificationDraft[];
}

/**
 * Several such commands, each on its own case, in one statement: every case advanced under its
 * optimistic `seq` check, its event and head appended, its step marked overdue and its
 * notifications written. Returns the ids of the cases advanced; a case somebody advanced since it
 * was read is left untouched (nothing of its command written) for the caller to run again.
 */
export async function writeSimpleCommands(db: Knex, writes: readonly SimpleWrite[], key?: AuditKey): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const input = writes.map((w) => {
    const { event } = w;
    const head = { caseId: event.caseId, seq: event.seq, hash: event.hash, keyId: event.keyId };
    return {
      case_id: event.caseId, expected_seq: w.expectedSeq, seq: event.seq, snapshot: w.state.snapshot, active_steps: w.state.activeSteps, at: w.state.at,
      type: event.type, payload: event.payload ?? null, actor_id: event.actorId, actor_roles: event.actorRoles, idempotency_key: event.idempotencyKey,
      key_id: event.keyId, prev_hash: event.prevHash, hash: event.hash, signature: key ? signHead(head, key) : null, organization_id: w.organizationId,
      overdue_step: w.overdue?.stepId ?? null, overdue_visit: w.overdue?.visit ?? null,
    };
  });
  const notes = writes.flatMap((w) => w.notifications.map((n) => ({ case_id: w.event.caseId, kind: n.kind, step_id: n.stepId, roles: n.roles, message: n.message, data: n.data, created_at: w.state.at })));
  const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(WRITE_MANY, [JSON.stringify(input), JSON.stringify(notes)]);
  return new Set(rows.map((r) => r.id));
}

/** The event and its head, after a CTE `advanced` that returns the case's id (nothing when it did not advance). */
const EVENT_AND_HEAD = `event as (
    insert into case_events (case_id, seq, type, payload, actor_id, actor_roles, at, idempotency_key, key_id, prev_hash, hash)
    select id, ?::int, ?::text, ?::jsonb, ?::text, ?::jsonb, ?::timestamptz, ?::text, ?::text, ?::text, ?::text from advanced
    returning case_id
  ), head as (
    insert into case_heads (case_id, seq, hash, key_id, signature, organization_id, recorded_at)
    select case_id, ?::int, ?::text, ?::text, ?::text, ?::text, ?::timestamptz from event
  )`;

/** What a decision writes besides the case, event and head, for the case `advanced` returns. */
const EFFECTS = `exits as (
    select * from jsonb_to_recordset(?::jsonb) as x(step_id text, outcome text, actors jsonb, output jsonb)
  ), closed as (
    update step_executions s set completed_at = ?::timestamptz, outcome = x.outcome, actors = x.actors, output = x.output,
      start_implicit = s.started_at is null, started_at = coalesce(s.started_at, s.available_at),
      overdue = s.overdue or coalesce(s.due_at < ?::timestamptz, false)
    from exits x, advanced a
    where s.case_id = a.id and s.step_id = x.step_id and s.completed_at is null
    returning s.id
  ), step_jobs_cancelled as (
    update jobs set status = 'cancelled', finished_at = ?::timestamptz
    where step_execution_id in (select id from closed) and status = 'pending'
  ), case_jobs_cancelled as (
    update jobs set status = 'cancelled', finished_at = ?::timestamptz
    where ?::boolean and case_id in (select id from advanced) and status in ('pending', 'running')
  ), opened as (
    insert into step_executions (case_id, step_id, procedure, kind, role, roles, visit, budget_ms, available_at, due_at)
    select a.id, x.step_id, x.procedure, x.kind, x.role, x.roles, x.visit, x.budget_ms, ?::timestamptz, x.due_at
    from rows from (jsonb_to_recordset(?::jsonb) as (step_id text, procedure text, kind text, role text, roles jsonb, visit int, budget_ms bigint, due_at timestamptz))
      with ordinality as x(step_id, procedure, kind, role, roles, visit, budget_ms, due_at, n)
    cross join advanced a
    order by x.n
    returning id, step_id
  ), queued as (
    insert into jobs (kind, case_id, step_execution_id, payload, run_at, status)
    select j.kind, a.id,
      case when j.step is null or j.kind = 'timer' then null
        else coalesce(o.id, (select s.id from step_executions s where s.case_id = a.id and s.step_id = j.step and s.completed_at is null
          and not exists (select 1 from exits x where x.step_id = s.step_id) limit 1)) end,
      j.payload, j.run_at, 'pending'
    from rows from (jsonb_to_recordset(?::jsonb) as (kind text, step text, payload jsonb, run_at timestamptz)) with ordinality as j(kind, step, payload, run_at, n)
    cross join advanced a
    left join opened o on o.step_id = j.step
    order by j.n
  ), noted as (
    insert into notifications (case_id, kind, step_id, roles, message, data, created_at)
    select a.id, n.kind, n.step_id, n.roles, n.message, n.data, ?::timestamptz
    from rows from (jsonb_to_recordset(?::jsonb) as (kind text, step_id text, roles jsonb, message text, data jsonb)) with ordinality as n(kind, step_id, roles, message, data, i)
    cross join advanced a
    order by n.i
  ), started as (
    update step_executions set started_at = ?::timestamptz, started_by = ?::text
    where case_id in (select id from advanced) and step_id = ?::text and completed_at is null
  ), overdue as (
    update step_executions set overdue = true
    where case_id in (select id from advanced) and step_id = ?::text and visit = ?::int
  )`;

const WRITE_WITH_EFFECTS = `
  with advanced as (
    update cases set seq = ?::int, snapshot = ?::jsonb, active_steps = ?::jsonb, status = ?::text, updated_at = ?::timestamptz, ended_at = ?::timestamptz
    where id = ?::uuid and seq = ?::int returning id
  ), ${EVENT_AND_HEAD}, ${EFFECTS}
  select id from advanced`;

const START_WITH_EFFECTS = `
  with advanced as (
    insert into cases (id, sop_version_id, sop_id, status, seq, snapshot, active_steps, title, started_by, start_key, started_at, updated_at, organization_id)
    values (?::uuid, ?::int, ?::text, 'active', 1, ?::jsonb, ?::jsonb, ?::text, ?::text, ?::text, ?::timestamptz, ?::timestamptz, ?::text)
    returning id
  ), ${EVENT_AND_HEAD}, ${EFFECTS}
  select id from advanced`;

const writeWithEffects = hotStatement('alur_command_write', WRITE_WITH_EFFECTS);
const startWithEffects = hotStatement('alur_case_start', START_WITH_EFFECTS);

function eventAndHeadBindings(event: ChainedEvent, organizationId: string | null, key?: AuditKey): unknown[] {
  const head = { caseId: event.caseId, seq: event.seq, hash: event.hash, keyId: event.keyId };
  return [
    event.seq, event.type, JSON.stringify(event.payload ?? null), event.actorId, JSON.stringify(event.actorRoles), event.at, event.idempotencyKey, event.keyId, event.prevHash, event.hash,
    event.seq, event.hash, event.keyId, key ? signHead(head, key) : null, organizationId, event.at,
  ];
}

function effectsBindings(at: Date, effects: CommandEffects): unknown[] {
  const exits = effects.exited.map((e) => ({ step_id: e.stepId, outcome: e.outcome, actors: e.actors, output: e.output ?? null }));
  const steps = effects.entered.map((e) => ({ step_id: e.stepId, procedure: e.procedure, kind: e.kind, role: e.role, roles: e.roles, visit: e.visit, budget_ms: e.budgetMs, due_at: e.dueAt }));
  const queued = effects.jobs.map((j) => ({ kind: j.kind, step: j.step, payload: j.payload, run_at: j.runAt }));
  const notes = effects.notifications.map((n) => ({ kind: n.kind, step_id: n.stepId, roles: n.roles, message: n.message, data: n.data }));
  return [
    JSON.stringify(exits), at, at, at,
    at, effects.cancelCaseJobs,
    at, JSON.stringify(steps),
    JSON.stringify(queued),
    at, JSON.stringify(notes),
    at, effects.started?.actorId ?? null, effects.started?.stepId ?? null,
    effects.overdue?.stepId ?? null, effects.overdue?.visit ?? null,
  ];
}

/** What a decision writes besides the case, its event and head: the step rows it closes and opens, jobs, notifications. */
export interface CommandEffects {
  exited: readonly StepExit[];
  /** The case ended: every pending or running job of it is cancelled. */
  cancelCaseJobs: boolean;
  entered: readonly StepEntry[];
  jobs: readonly QueuedJob[];
  notifications: readonly NotificationDraft[];
  started?: { stepId: string; actorId: string } | undefined;
  overdue?: { stepId: string; visit: number } | undefined;
}

/**
 * Whether one statement can write these effects exactly as the statements one after the other do:
 * a statement sees the rows as they were before it, so a step it marks started or overdue must be
 * neither closed nor opened by the same decision.
 */
export function fitsOneStatement(effects: CommandEffects): boolean {
  const touched = new Set([...effects.exited.map((e) => e.stepId), ...effects.entered.map((e) => e.stepId)]);
  return !(effects.started && touched.has(effects.started.stepId)) && !(effects.overdue && touched.has(effects.overdue.stepId));
}

/**
 * The whole command in one statement (see fitsOneStatement): advance the case from `expectedSeq`
 * to `event.seq`, append the event and its head, close the exited steps (cancelling their pending
 * work), open the entered ones with their jobs, write the notifications, mark a step started or
 * overdue. Nothing is written, and false returned, when somebody advanced the case since it was read.
 */
export async function writeCommandWithEffects(
  db: Knex,
  state: { snapshot: unknown; activeSteps: string[]; status: CaseRow['status']; at: Date },
  expectedSeq: number,
  event: ChainedEvent,
  organizationId: string | null,
  effects: CommandEffects,
  key?: AuditKey,
): Promise<boolean> {
  const rows = await writeWithEffects(db, [
    event.seq, JSON.stringify(state.snapshot), JSON.stringify(state.activeSteps), state.status, state.at, state.status === 'active' ? null : state.at, event.caseId, expectedSeq,
    ...eventAndHeadBindings(event, organizationId, key), ...effectsBindings(state.at, effects),
  ]);
  return rows.length === 1;
}

/**
 * A new case in one statement (see fitsOneStatement): its row, its first event (`event`, seq 1)
 * and head, and what entering its first steps writes. Throws a unique violation when a case with
 * the same start key exists (the caller retries and finds it).
 */
export async function writeStartWithEffects(db: Knex, row: Omit<CaseRow, 'updatedAt' | 'endedAt'>, event: ChainedEvent, effects: CommandEffects, key?: AuditKey): Promise<void> {
  await startWithEffects(db, [
    row.id, row.sopVersionId, row.sopId, JSON.stringify(row.snapshot), JSON.stringify(row.activeSteps), row.title, row.startedBy, row.startKey, row.startedAt, row.startedAt, row.organizationId,
    ...eventAndHeadBindings(event, row.organizationId, key), ...effectsBindings(row.startedAt, effects),
  ]);
}
