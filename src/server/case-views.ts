/** What the API shows of a case: summary, timeline, events and the open steps with their mutu baku. */
import type { Knex } from 'knex';
import { NotFoundError, own, stepMeta, type CaseContext, type RunnableVersion } from '../engine/index.js';
import type { Alur } from '../app/alur.js';
import { getCaseRow, type CaseRow } from '../adapters/store/cases-table.js';
import { listEvents } from '../adapters/store/case-events-table.js';
import { caseTimeline, type StepExecutionRow } from '../adapters/store/step-executions-table.js';
import type { AuthenticatedUser } from './auth/authenticate.js';
import { SYSTEM_ROLES } from './auth/authenticate.js';
import { HttpProblem } from './problem.js';

export function caseSummary(row: CaseRow) {
  return {
    id: row.id, sopId: row.sopId, sopVersionId: row.sopVersionId, title: row.title, status: row.status, seq: row.seq,
    activeSteps: row.activeSteps, startedAt: row.startedAt.toISOString(), startedBy: row.startedBy, endedAt: row.endedAt?.toISOString() ?? null,
  };
}

/** The case if the user may see it: same organisation (else 404) and a role in its SOP or a system role (else 403). */
export async function loadVisibleCase(alur: Alur, user: AuthenticatedUser, caseId: string, db: Knex = alur.db.knex): Promise<{ row: CaseRow; version: RunnableVersion }> {
  const row = await getCaseRow(db, caseId);
  if (!row || row.organizationId !== user.organizationId) throw new NotFoundError('case', caseId);
  const version = await alur.versions.get(db, row.sopVersionId);
  const sopRoles = version.definition.roles.map((r) => r.id);
  if (!user.roles.some((r) => sopRoles.includes(r) || (SYSTEM_ROLES as readonly string[]).includes(r))) {
    throw new HttpProblem(403, 'forbidden', `case ${caseId} belongs to SOP "${row.sopId}", in which you hold no role`);
  }
  return { row, version };
}

/** Commands need a role of the case's SOP; system roles only read. */
export function requireSopRole(user: AuthenticatedUser, version: RunnableVersion): void {
  const sopRoles = version.definition.roles.map((r) => r.id);
  if (!user.roles.some((r) => sopRoles.includes(r))) {
    throw new HttpProblem(403, 'forbidden', `only the SOP's pelaksana (${sopRoles.join(', ')}) can act on its cases`);
  }
}

export async function caseDetail(alur: Alur, row: CaseRow, version: RunnableVersion) {
  const db = alur.db.knex;
  const [timeline, events] = await Promise.all([caseTimeline(db, row.id), listEvents(db, row.id)]);
  const context = ((row.snapshot as { context?: CaseContext }).context ?? {}) as CaseContext;
  const definition = version.definition;
  const openSteps = timeline.filter((e) => e.completedAt === null).map((execution) => openStepView(version, execution, context));
  const idleProcedures = definition.steps.filter((s) => s.kind === 'procedure' && !(context.openProcedures ?? []).includes(s.id));
  return {
    case: caseSummary(row),
    sop: { id: definition.id, title: definition.identity.title, version: definition.version, roles: definition.roles },
    openSteps,
    rules: definition.steps.filter((s) => s.kind === 'rule').map((rule) => ({ ...stepMeta(rule), acknowledgedBy: own(context.acknowledgements ?? {}, rule.id) ?? null })),
    procedures: row.status === 'active' ? idleProcedures.map((p) => ({ id: p.id, activity: p.activity, role: p.role })) : [],
    timeline: timeline.map(executionView),
    events: events.map((e) => ({ seq: e.seq, type: e.type, payload: e.payload, actor: { id: e.actorId, roles: e.actorRoles }, at: e.at.toISOString(), hash: e.hash })),
  };
}

function openStepView(version: RunnableVersion, execution: StepExecutionRow, context: CaseContext) {
  const step = version.steps.get(execution.stepId)!;
  return {
    ...stepMeta(step),
    visit: execution.visit,
    availableAt: execution.availableAt.toISOString(),
    startedAt: execution.startedAt?.toISOString() ?? null,
    dueAt: execution.startedAt && execution.budgetMs !== null ? new Date(execution.startedAt.getTime() + execution.budgetMs).toISOString() : null,
    overdue: execution.overdue,
    signatures: own(context.signatures ?? {}, step.id) ?? {},
    adapterResult: own(context.adapterResults ?? {}, step.id) ?? null,
    ...(step.kind === 'decision' ? { branches: Object.keys(step.branches) } : step.kind === 'loop' ? { branches: ['repeat', 'exit'] } : {}),
  };
}

export function executionView(e: StepExecutionRow) {
  return {
    step: e.stepId, visit: e.visit, procedure: e.procedure, kind: e.kind, role: e.role, budgetMs: e.budgetMs,
    availableAt: e.availableAt.toISOString(), startedAt: e.startedAt?.toISOString() ?? null, completedAt: e.completedAt?.toISOString() ?? null,
    startImplicit: e.startImplicit, workMs: e.startedAt && e.completedAt ? e.completedAt.getTime() - e.startedAt.getTime() : null,
    actors: e.actors, outcome: e.outcome, output: e.output, overdue: e.overdue,
  };
}

/** `If-Match: "7"` → 7. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  return Number(header.replace(/^W\//, '').replace(/"/g, ''));
}

