/**
 * Reading cases for a person: one case, lists of cases, my tasks, my notifications, timing
 * statistics. Every read applies the access policy, in SQL for lists, so a list never shows what
 * reading the single case would refuse.
 */
import { NotFoundError, type CaseActor, type ChainedEvent, type RunnableVersion } from '../engine/index.js';
import { getOrganization } from '../adapters/store/accounts-table.js';
import { listEvents } from '../adapters/store/case-events-table.js';
import { getCaseRow, listCases, type CaseRow } from '../adapters/store/cases-table.js';
import { listNotifications, type NotificationRow } from '../adapters/store/notifications-table.js';
import { getSopVersion } from '../adapters/store/sop-versions-table.js';
import { caseTimeline, openTasks, type StepExecutionRow } from '../adapters/store/step-executions-table.js';
import { caseTimings, type CaseTimingQuery } from '../adapters/store/case-timings.js';
import { caseTotals, timingStats, type CaseTotalRow, type TimingGroup, type TimingRow } from '../adapters/store/timing-stats.js';
import { caseAccess, caseScopeOf, ForbiddenError, mayActOnCase, type Viewer } from './access-policy.js';
import type { Alur } from './alur.js';

export type { CaseRow, StepExecutionRow, TimingGroup, TimingRow };

export interface VisibleCase {
  row: CaseRow;
  version: RunnableVersion;
}

/** The case if `viewer` may see it: another organisation's is not found (404), one of an SOP the viewer holds no role in is forbidden (403). */
export async function findVisibleCase(alur: Alur, viewer: Viewer, caseId: string): Promise<VisibleCase> {
  const db = alur.db.knex;
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const version = await alur.versions.get(db, row.sopVersionId);
  refuseUnlessVisible(viewer, row, version);
  return { row, version };
}

function refuseUnlessVisible(viewer: Viewer, row: CaseRow, version: RunnableVersion): void {
  const access = caseAccess(viewer, row.organizationId, version);
  if (access === 'not-found') throw new NotFoundError('case', row.id);
  if (access === 'forbidden') throw new ForbiddenError(`case ${row.id} belongs to SOP "${row.sopId}", in which you hold no role`);
}

/** Throws unless `viewer` may give the case commands (the SOP's machine then decides which). */
function refuseUnlessActionable(viewer: Viewer, row: CaseRow, version: RunnableVersion): void {
  refuseUnlessVisible(viewer, row, version);
  if (!mayActOnCase(viewer, version)) {
    throw new ForbiddenError(`only the SOP's pelaksana (${version.definition.roles.map((r) => r.id).join(', ')}) can act on its cases; overseers read them`);
  }
}

/** The case, if `viewer` may give it commands (the SOP's machine then decides which). */
export async function findActionableCase(alur: Alur, viewer: Viewer, caseId: string): Promise<VisibleCase> {
  const visible = await findVisibleCase(alur, viewer, caseId);
  refuseUnlessActionable(viewer, visible.row, visible.version);
  return visible;
}

/** Give a command as `viewer`, within the access policy. */
export async function commandAsViewer(alur: Alur, viewer: Viewer, input: Omit<Parameters<Alur['cases']['execute']>[0], 'actor' | 'organizationId' | 'authorize'>) {
  const actor: CaseActor = { id: viewer.username, roles: viewer.roles };
  // The access check runs on the command's own read of the case, so the command costs no extra read.
  return alur.cases.execute({ ...input, actor, organizationId: viewer.organizationId, authorize: (row, version) => refuseUnlessActionable(viewer, row, version) });
}

/** A case by id, with no access check: for the `alur` command, run by whoever runs the server and its database. */
export async function findCase(alur: Alur, caseId: string): Promise<(VisibleCase & { revision: number }) | undefined> {
  const db = alur.db.knex;
  const row = await getCaseRow(db, caseId);
  if (!row) return undefined;
  const published = await getSopVersion(db, row.sopVersionId);
  return { row, version: await alur.versions.get(db, row.sopVersionId), revision: published?.revision ?? 0 };
}

/** Every organisation's cases (for the `alur` command), newest first. */
export function listAllCases(alur: Alur, filter: { sopId?: string; status?: CaseRow['status']; limit?: number } = {}): Promise<CaseRow[]> {
  return listCases(alur.db.knex, filter);
}

export async function caseRecord(alur: Alur, caseId: string): Promise<{ timeline: StepExecutionRow[]; events: ChainedEvent[] }> {
  const db = alur.db.knex;
  const [timeline, events] = await Promise.all([caseTimeline(db, caseId), listEvents(db, caseId)]);
  return { timeline, events };
}

export async function listVisibleCases(alur: Alur, viewer: Viewer, filter: { sopId?: string; status?: CaseRow['status']; limit: number; before?: { startedAt: Date; id: string } }): Promise<CaseRow[]> {
  return listCases(alur.db.knex, { scope: caseScopeOf(viewer), ...filter });
}

export interface Task extends StepExecutionRow {
  caseTitle: string | null;
  sopId: string;
  version: RunnableVersion;
}

/** Open steps of active cases in the viewer's organisation whose role the viewer holds, oldest first. */
export async function listMyTasks(alur: Alur, viewer: Viewer, limit = 500, after?: { availableAt: Date; id: number }): Promise<Task[]> {
  const db = alur.db.knex;
  const rows = await openTasks(db, { organizationId: viewer.organizationId, roles: viewer.roles, limit, ...(after ? { after } : {}) });
  const tasks: Task[] = [];
  for (const row of rows) tasks.push({ ...row, version: await alur.versions.get(db, row.sopVersionId) });
  return tasks;
}

export async function listMyNotifications(alur: Alur, viewer: Viewer, limit: number): Promise<NotificationRow[]> {
  return listNotifications(alur.db.knex, { organizationId: viewer.organizationId, roles: viewer.roles, limit });
}

export interface StepTiming extends TimingRow {
  /** The step's row (No) in the printed SOP. */
  row: number;
  activity: string;
}

export interface CaseTotal extends CaseTotalRow {
  /** The SOP's declared jumlah waktu, when it declares one. */
  declaredMs: number | null;
  /** Whether the median case stays within the jumlah waktu. */
  medianWithinDeclared: boolean | null;
}

/**
 * Timing against the mutu baku in an organisation (all, for the CLI), in its time zone: steps in
 * the order the SOP prints them with their printed row numbers, and per case the total against the
 * declared jumlah waktu.
 */
export async function timingForOrganization(alur: Alur, organizationId: string | undefined, query: { sopId?: string; groupBy: TimingGroup; defaultTimeZone: string; shiftStartHours: number[]; fromDay?: string; toDay?: string }): Promise<{ steps: StepTiming[]; cases: CaseTotal[] }> {
  const db = alur.db.knex;
  const org = organizationId === undefined ? undefined : await getOrganization(db, organizationId);
  const scope = { ...(organizationId !== undefined ? { organizationId } : {}), ...(query.sopId ? { sopId: query.sopId } : {}) };
  const period = { ...(query.fromDay ? { fromDay: query.fromDay } : {}), ...(query.toDay ? { toDay: query.toDay } : {}) };
  const [rows, totals] = await Promise.all([
    timingStats(db, { timeZone: org?.timeZone ?? query.defaultTimeZone, shiftStartHours: query.shiftStartHours, groupBy: query.groupBy, ...scope, ...period }),
    caseTotals(db, scope),
  ]);
  const steps: Array<StepTiming & { order: number }> = [];
  for (const row of rows) {
    const definition = (await alur.versions.get(db, row.versionId)).definition;
    const order = definition.steps.findIndex((s) => s.id === row.stepId);
    const step = definition.steps[order];
    steps.push({ ...row, row: step?.row ?? 0, activity: step?.activity ?? row.stepId, order });
  }
  steps.sort((a, b) => a.sopId.localeCompare(b.sopId) || a.revision - b.revision || a.order - b.order || String(a.group).localeCompare(String(b.group)));
  const cases: CaseTotal[] = [];
  for (const total of totals) {
    const declared = (await alur.versions.get(db, total.versionId)).definition.totalBudgetMs ?? null;
    cases.push({ ...total, declaredMs: declared, medianWithinDeclared: declared === null ? null : total.medianMs <= declared });
  }
  return { steps: steps.map(({ order: _order, ...step }) => step), cases };
}

/** One case's total against the jumlah waktu of its own revision (and, if asked, one step's time in it). */
export interface CaseTiming {
  caseId: string;
  title: string;
  status: string;
  sopId: string;
  revision: number;
  startedAt: string;
  endedAt: string | null;
  /** Start → end of a completed case; null while it runs or once cancelled (a cancelled case is not measured against the jumlah waktu). */
  totalMs: number | null;
  declaredMs: number | null;
  withinDeclared: boolean | null;
  step?: { visits: number; maxMs: number; budgetMs: number | null; overdue: boolean };
}

/** The cases behind the timing table (or one row of it: a step, in a group, within a period), in the organisation's time zone. */
export async function caseTimingsForOrganization(alur: Alur, organizationId: string, query: Omit<CaseTimingQuery, 'organizationId' | 'timeZone'> & { defaultTimeZone: string }): Promise<CaseTiming[]> {
  const db = alur.db.knex;
  const { defaultTimeZone, ...rest } = query;
  const org = await getOrganization(db, organizationId);
  const rows = await caseTimings(db, { ...rest, organizationId, timeZone: org?.timeZone ?? defaultTimeZone });
  const result: CaseTiming[] = [];
  for (const { versionId, startedAt, endedAt, ...row } of rows) {
    const declaredMs = (await alur.versions.get(db, versionId)).definition.totalBudgetMs ?? null;
    const totalMs = endedAt && row.status === 'completed' ? endedAt.getTime() - startedAt.getTime() : null;
    result.push({
      ...row, startedAt: startedAt.toISOString(), endedAt: endedAt?.toISOString() ?? null, totalMs, declaredMs,
      withinDeclared: totalMs === null || declaredMs === null ? null : totalMs <= declaredMs,
    });
  }
  return result;
}
