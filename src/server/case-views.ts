/** What the API shows of a case: summary, timeline, events and the open steps with their mutu baku. */
import { own, rolesOfStep, stepMeta, type CaseContext, type ChainedEvent, type RunnableVersion } from '../engine/index.js';
import type { CaseRow, StepExecutionRow } from '../app/case-queries.js';

export function caseSummary(row: CaseRow) {
  return {
    id: row.id, sopId: row.sopId, sopVersionId: row.sopVersionId, title: row.title, status: row.status, seq: row.seq,
    activeSteps: row.activeSteps, startedAt: row.startedAt.toISOString(), startedBy: row.startedBy, endedAt: row.endedAt?.toISOString() ?? null,
  };
}

export function caseDetail(row: CaseRow, version: RunnableVersion, record: { timeline: StepExecutionRow[]; events: ChainedEvent[] }) {
  const { timeline, events } = record;
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
    timeline: timeline.map((e) => executionView(e, version)),
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
    dueAt: execution.dueAt?.toISOString() ?? null,
    roles: rolesOfStep(step),
    overdue: execution.overdue,
    signatures: own(context.signatures ?? {}, step.id) ?? {},
    adapterResult: own(context.adapterResults ?? {}, step.id) ?? null,
    ...(step.kind === 'decision' ? { branches: Object.keys(step.branches) } : step.kind === 'loop' ? { branches: ['repeat', 'exit'] } : {}),
  };
}

/** One visit of a step in a case's timeline; `row` is the step's No in the printed SOP. */
export function executionView(e: StepExecutionRow, version: RunnableVersion) {
  return {
    step: e.stepId, row: version.steps.get(e.stepId)?.row ?? null, visit: e.visit, procedure: e.procedure, kind: e.kind, role: e.role, budgetMs: e.budgetMs,
    availableAt: e.availableAt.toISOString(), dueAt: e.dueAt?.toISOString() ?? null, startedAt: e.startedAt?.toISOString() ?? null,
    completedAt: e.completedAt?.toISOString() ?? null, startImplicit: e.startImplicit,
    // Waiting (available → started) and work (started → completed) are kept apart; the waktu counts from available.
    waitMs: e.startedAt ? e.startedAt.getTime() - e.availableAt.getTime() : null,
    workMs: e.startedAt && e.completedAt ? e.completedAt.getTime() - e.startedAt.getTime() : null,
    elapsedMs: e.completedAt ? e.completedAt.getTime() - e.availableAt.getTime() : null,
    actors: e.actors, outcome: e.outcome, output: e.output, overdue: e.overdue,
  };
}

/** `If-Match: "7"` → 7. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  return Number(header.replace(/^W\//, '').replace(/"/g, ''));
}

