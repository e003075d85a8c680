/**
 * Timing of steps against their mutu baku: per SOP revision and step, optionally per actor, day
 * or shift — count, median, p90 and max work time (completed − started) against the budget,
 * the share done within budget, and waiting time (started − available).
 */
import type { Knex } from 'knex';

export type TimingGroup = 'step' | 'actor' | 'day' | 'shift';

export interface TimingRow {
  sopId: string;
  revision: number;
  stepId: string;
  /** Actor id, `YYYY-MM-DD`, or the shift's start (`07:00`); null when grouped by step only. */
  group: string | null;
  count: number;
  budgetMs: number | null;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  /** Share (0–1) of executions done within budget; null for steps without a budget. */
  withinBudget: number | null;
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
}

export async function timingStats(db: Knex, query: TimingQuery): Promise<TimingRow[]> {
  const groupBy = query.groupBy ?? 'step';
  const localStart = db.raw('(e.started_at at time zone ?)', [query.timeZone]);
  const groupExpression = {
    step: db.raw('null::text'),
    actor: db.raw('a.actor'),
    day: db.raw(`to_char(${localStart.toQuery()}, 'YYYY-MM-DD')`),
    shift: db.raw(shiftCase(query.shiftStartHours, `extract(hour from ${localStart.toQuery()})`)),
  }[groupBy];

  const executions = db('step_executions as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .join('sop_versions as v', 'v.id', 'c.sop_version_id')
    .whereNotNull('e.completed_at')
    .whereNot('e.outcome', 'cancelled')
    .select({
      sopId: 'c.sop_id', revision: 'v.revision', stepId: 'e.step_id', budgetMs: 'e.budget_ms', overdue: 'e.overdue',
      workMs: db.raw('extract(epoch from (e.completed_at - e.started_at)) * 1000'),
      waitMs: db.raw('extract(epoch from (e.started_at - e.available_at)) * 1000'),
      grp: groupExpression,
    });
  if (groupBy === 'actor') executions.joinRaw('cross join lateral jsonb_array_elements_text(e.actors) as a(actor)');
  if (query.sopId) executions.where('c.sop_id', query.sopId);
  if (query.organizationId) executions.where('c.organization_id', query.organizationId);
  if (query.from) executions.where('e.completed_at', '>=', query.from);
  if (query.to) executions.where('e.completed_at', '<', query.to);

  const rows = await db
    .from(executions.as('x'))
    .select('sopId', 'revision', 'stepId', 'grp')
    .select(db.raw('count(*)::int as count'))
    .select(db.raw('max("budgetMs")::bigint as "budgetMs"'))
    .select(db.raw('percentile_cont(0.5) within group (order by "workMs") as "medianMs"'))
    .select(db.raw('percentile_cont(0.9) within group (order by "workMs") as "p90Ms"'))
    .select(db.raw('max("workMs") as "maxMs"'))
    .select(db.raw('avg(case when "budgetMs" is null then null when "workMs" <= "budgetMs" then 1.0 else 0.0 end) as "withinBudget"'))
    .select(db.raw('sum(case when overdue then 1 else 0 end)::int as overdue'))
    .select(db.raw('percentile_cont(0.5) within group (order by "waitMs") as "medianWaitMs"'))
    .select(db.raw('max("waitMs") as "maxWaitMs"'))
    .groupBy('sopId', 'revision', 'stepId', 'grp')
    .orderBy([{ column: 'sopId' }, { column: 'revision' }, { column: 'stepId' }, { column: 'grp' }]);

  return rows.map((r: Record<string, unknown>) => ({
    sopId: r.sopId as string,
    revision: Number(r.revision),
    stepId: r.stepId as string,
    group: (r.grp as string | null) ?? null,
    count: Number(r.count),
    budgetMs: r.budgetMs === null ? null : Number(r.budgetMs),
    medianMs: Math.round(Number(r.medianMs)),
    p90Ms: Math.round(Number(r.p90Ms)),
    maxMs: Math.round(Number(r.maxMs)),
    withinBudget: r.withinBudget === null ? null : Number(r.withinBudget),
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
