/**
 * Per case: its total time (start → end) and, for one step, that step's time in the case. The
 * auditor's per-case view and the drill-down from a step row of the timing table to the cases
 * behind it. Counts the same executions as timing-stats (completed, not cancelled).
 */
import type { Knex } from 'knex';
import { executionGroupSql, whereCompletedWithin, type TimingGroup } from './timing-stats.js';

export interface CaseTimingRow {
  caseId: string;
  title: string;
  status: string;
  sopId: string;
  revision: number;
  versionId: number;
  startedAt: Date;
  endedAt: Date | null;
  /** With a step asked for: its completed visits in this case, the longest, whether any ran over. */
  step?: { visits: number; maxMs: number; budgetMs: number | null; overdue: boolean };
}

export interface CaseTimingQuery {
  organizationId?: string;
  sopId?: string;
  revision?: number;
  /** Only cases where this step was completed, with its time there. */
  stepId?: string;
  /** With stepId: only its executions in this group of the timing table (an actor, a local day, a shift's start). */
  group?: { by: Exclude<TimingGroup, 'step'>; value: string };
  /** With stepId: only executions completed within these local days (inclusive), as the timing table counts them. */
  fromDay?: string;
  toDay?: string;
  /** IANA zone and shift start hours for days, shifts and the period. */
  timeZone?: string;
  shiftStartHours?: number[];
  limit: number;
}

export async function caseTimings(db: Knex, query: CaseTimingQuery): Promise<CaseTimingRow[]> {
  const q = db('cases as c')
    .join('sop_versions as v', 'v.id', 'c.sop_version_id')
    .select({ caseId: 'c.id', title: 'c.title', status: 'c.status', sopId: 'c.sop_id', revision: 'v.revision', versionId: 'v.id', startedAt: 'c.started_at', endedAt: 'c.ended_at' })
    .orderBy([{ column: 'c.started_at', order: 'desc' }, { column: 'c.id' }])
    .limit(query.limit);
  if (query.organizationId) q.where('c.organization_id', query.organizationId);
  if (query.sopId) q.where('c.sop_id', query.sopId);
  if (query.revision !== undefined) q.where('v.revision', query.revision);
  if (query.stepId) {
    const visits = db('step_executions as e')
      .where('e.step_id', query.stepId)
      .whereNotNull('e.completed_at')
      .whereNot('e.outcome', 'cancelled')
      .groupBy('e.case_id')
      .select({ caseId: 'e.case_id' })
      .select(db.raw('count(*)::int as visits'))
      .select(db.raw('max(extract(epoch from (e.completed_at - e.available_at)) * 1000) as "maxMs"'))
      .select(db.raw('max(e.budget_ms)::bigint as "budgetMs"'))
      .select(db.raw('bool_or(e.overdue) as overdue'));
    const timeZone = query.timeZone ?? 'UTC';
    if (query.group?.by === 'actor') visits.where(db.raw('e.actors @> jsonb_build_array(?::text)', [query.group.value]));
    else if (query.group) visits.where(executionGroupSql(db, query.group.by, timeZone, query.shiftStartHours ?? [0]), '=', query.group.value);
    whereCompletedWithin(db, visits, { timeZone, ...(query.fromDay ? { fromDay: query.fromDay } : {}), ...(query.toDay ? { toDay: query.toDay } : {}) });
    q.join(visits.as('s'), 's.caseId', 'c.id').select('s.visits', 's.maxMs', 's.budgetMs', 's.overdue');
  }
  return (await q).map((r: Record<string, unknown>) => ({
    caseId: r.caseId as string, title: r.title as string, status: r.status as string, sopId: r.sopId as string,
    revision: Number(r.revision), versionId: Number(r.versionId),
    startedAt: new Date(r.startedAt as string), endedAt: r.endedAt ? new Date(r.endedAt as string) : null,
    ...(query.stepId ? { step: { visits: Number(r.visits), maxMs: Math.round(Number(r.maxMs)), budgetMs: r.budgetMs === null ? null : Number(r.budgetMs), overdue: r.overdue === true } } : {}),
  }));
}
