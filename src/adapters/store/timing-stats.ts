/**
 * Timing of steps against their mutu baku: per SOP revision and step, optionally per actor, day
 * or shift — count, median, p90 and max time from available to completed against the waktu
 * (which counts from when the step becomes available), the share done within it, and apart from
 * it the waiting (available → started) and work (started → completed) times. Also per case:
 * the total from start to end against the SOP's jumlah waktu.
 */
import type { Knex } from 'knex';

export type TimingGroup = 'step' | 'actor' | 'day' | 'shift';

export interface TimingRow {
  sopId: string;
  revision: number;
  /** The published version (for the definition: the step's printed row and order). */
  versionId: number;
  stepId: string;
  /** Actor id, `YYYY-MM-DD`, or the shift's start (`07:00`); null when grouped by step only. */
  group: string | null;
  count: number;
  budgetMs: number | null;
  /** Time from available to completed (the waktu counts from when a step becomes available). */
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  /** Share (0–1) of executions done within budget; null for steps without a budget. */
  withinBudget: number | null;
  /** Work time (started → completed), apart from waiting. */
  medianWorkMs: number;
  overdue: number;
  medianWaitMs: number;
  maxWaitMs: number;
}

export interface TimingQuery {
  groupBy?: TimingGroup;
  sopId?: string;
  /** Only cases of this organisation. */
  organizationId?: string;
  /** IANA zone for days and shifts, e.g. Asia/Makassar (WITA). */
  timeZone: string;
  /** Start hours of the shifts, ascending, e.g. [7, 15, 23]. */
  shiftStartHours: number[];
  from?: Date;
  to?: Date;
  /** Only executions completed on or after / on or before this local day (`YYYY-MM-DD` in timeZone). */
  fromDay?: string;
  toDay?: string;
}

/** How the executions `e` are grouped: the SQL of the group's label (actor grouping joins `a.actor`). */
export function executionGroupSql(db: Knex, groupBy: TimingGroup, timeZone: string, shiftStartHours: number[]): Knex.Raw {
  const localStart = db.raw('(e.started_at at time zone ?)', [timeZone]);
  return {
    step: db.raw('null::text'),
    actor: db.raw('a.actor'),
    day: db.raw(`to_char(${localStart.toQuery()}, 'YYYY-MM-DD')`),
    shift: db.raw(shiftCase(shiftStartHours, `extract(hour from ${localStart.toQuery()})`)),
  }[groupBy];
}

/** Keep the executions `e` completed within the local days asked for (inclusive). */
export function whereCompletedWithin(db: Knex, query: Knex.QueryBuilder, period: { timeZone: string; fromDay?: string; toDay?: string }): void {
  if (period.fromDay) query.where(db.raw('(e.completed_at at time zone ?)::date', [period.timeZone]), '>=', db.raw('?::date', [period.fromDay]));
  if (period.toDay) query.where(db.raw('(e.completed_at at time zone ?)::date', [period.timeZone]), '<=', db.raw('?::date', [period.toDay]));
}

export async function timingStats(db: Knex, query: TimingQuery): Promise<TimingRow[]> {
  const groupBy = query.groupBy ?? 'step';
  const groupExpression = executionGroupSql(db, groupBy, query.timeZone, query.shiftStartHours);

  const executions = db('step_executions as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .join('sop_versions as v', 'v.id', 'c.sop_version_id')
    .whereNotNull('e.completed_at')
    .whereNot('e.outcome', 'cancelled')
    .select({
      sopId: 'c.sop_id', revision: 'v.revision', versionId: 'v.id', stepId: 'e.step_id', budgetMs: 'e.budget_ms', overdue: 'e.overdue',
      elapsedMs: db.raw('extract(epoch from (e.completed_at - e.available_at)) * 1000'),
      workMs: db.raw('extract(epoch from (e.completed_at - e.started_at)) * 1000'),
      waitMs: db.raw('extract(epoch from (e.started_at - e.available_at)) * 1000'),
      grp: groupExpression,
    });
  if (groupBy === 'actor') executions.joinRaw('cross join lateral jsonb_array_elements_text(e.actors) as a(actor)');
  if (query.sopId) executions.where('c.sop_id', query.sopId);
  if (query.organizationId) executions.where('c.organization_id', query.organizationId);
  if (query.from) executions.where('e.completed_at', '>=', query.from);
  if (query.to) executions.where('e.completed_at', '<', query.to);
  whereCompletedWithin(db, executions, query);

  const rows = await db
    .from(executions.as('x'))
    .select('sopId', 'revision', 'versionId', 'stepId', 'grp')
    .select(db.raw('count(*)::int as count'))
    .select(db.raw('max("budgetMs")::bigint as "budgetMs"'))
    .select(db.raw('percentile_cont(0.5) within group (order by "elapsedMs") as "medianMs"'))
    .select(db.raw('percentile_cont(0.9) within group (order by "elapsedMs") as "p90Ms"'))
    .select(db.raw('max("elapsedMs") as "maxMs"'))
    .select(db.raw('avg(case when "budgetMs" is null then null when "elapsedMs" <= "budgetMs" then 1.0 else 0.0 end) as "withinBudget"'))
    .select(db.raw('percentile_cont(0.5) within group (order by "workMs") as "medianWorkMs"'))
    .select(db.raw('sum(case when overdue then 1 else 0 end)::int as overdue'))
    .select(db.raw('percentile_cont(0.5) within group (order by "waitMs") as "medianWaitMs"'))
    .select(db.raw('max("waitMs") as "maxWaitMs"'))
    .groupBy('sopId', 'revision', 'versionId', 'stepId', 'grp')
    .orderBy([{ column: 'sopId' }, { column: 'revision' }, { column: 'stepId' }, { column: 'grp' }]);

  return rows.map((r: Record<string, unknown>) => ({
    sopId: r.sopId as string,
    revision: Number(r.revision),
    versionId: Number(r.versionId),
    stepId: r.stepId as string,
    group: (r.grp as string | null) ?? null,
    count: Number(r.count),
    budgetMs: r.budgetMs === null ? null : Number(r.budgetMs),
    medianMs: Math.round(Number(r.medianMs)),
    p90Ms: Math.round(Number(r.p90Ms)),
    maxMs: Math.round(Number(r.maxMs)),
    withinBudget: r.withinBudget === null ? null : Number(r.withinBudget),
    medianWorkMs: Math.round(Number(r.medianWorkMs)),
    overdue: Number(r.overdue),
    medianWaitMs: Math.round(Number(r.medianWaitMs)),
    maxWaitMs: Math.round(Number(r.maxWaitMs)),
  }));
}

/** `case when hour >= 23 then '23:00' when hour >= 15 then '15:00' … else '23:00' end`: the shift a local hour falls in. */
function shiftCase(startHours: number[], hour: string): string {
  const sorted = [...startHours].sort((a, b) => b - a);
  const label = (h: number) => `'${String(h).padStart(2, '0')}:00'`;
  const whens = sorted.map((h) => `when ${hour} >= ${Math.trunc(h)} then ${label(h)}`).join(' ');
  return `case ${whens} else ${label(sorted[0]!)} end`;
}

export interface CaseTotalRow {
  sopId: string;
  revision: number;
  versionId: number;
  /** Completed cases. */
  count: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
}

/** Completed cases' total time (started → ended), per SOP revision. */
export async function caseTotals(db: Knex, query: { organizationId?: string; sopId?: string }): Promise<CaseTotalRow[]> {
  const q = db('cases as c')
    .join('sop_versions as v', 'v.id', 'c.sop_version_id')
    .where('c.status', 'completed')
    .select({ sopId: 'c.sop_id', revision: 'v.revision', versionId: 'v.id' })
    .select(db.raw('count(*)::int as count'))
    .select(db.raw('percentile_cont(0.5) within group (order by extract(epoch from (c.ended_at - c.started_at)) * 1000) as "medianMs"'))
    .select(db.raw('percentile_cont(0.9) within group (order by extract(epoch from (c.ended_at - c.started_at)) * 1000) as "p90Ms"'))
    .select(db.raw('max(extract(epoch from (c.ended_at - c.started_at)) * 1000) as "maxMs"'))
    .groupBy('c.sop_id', 'v.revision', 'v.id')
    .orderBy([{ column: 'c.sop_id' }, { column: 'v.revision' }]);
  if (query.organizationId) q.where('c.organization_id', query.organizationId);
  if (query.sopId) q.where('c.sop_id', query.sopId);
  return (await q).map((r: Record<string, unknown>) => ({
    sopId: r.sopId as string, revision: Number(r.revision), versionId: Number(r.versionId), count: Number(r.count),
    medianMs: Math.round(Number(r.medianMs)), p90Ms: Math.round(Number(r.p90Ms)), maxMs: Math.round(Number(r.maxMs)),
  }));
}

export interface RefusalCountRow {
  revision: number;
  stepId: string;
  /** Executions that ended refused (an approval turned down). */
  refused: number;
}

/** Per SOP revision and step, the executions closed as refused in the period (steps completed in [from, to)). */
export async function refusalCounts(db: Knex, query: { organizationId: string; sopId: string; from?: Date; to?: Date }): Promise<RefusalCountRow[]> {
  const q = db('step_executions as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .join('sop_versions as v', 'v.id', 'c.sop_version_id')
    .where({ 'c.organization_id': query.organizationId, 'c.sop_id': query.sopId, 'e.outcome': 'refused' })
    .select({ revision: 'v.revision', stepId: 'e.step_id' })
    .select(db.raw('count(*)::int as refused'))
    .groupBy('v.revision', 'e.step_id');
  if (query.from) q.where('e.completed_at', '>=', query.from);
  if (query.to) q.where('e.completed_at', '<', query.to);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({ revision: Number(r.revision), stepId: r.stepId as string, refused: Number(r.refused) }));
}
