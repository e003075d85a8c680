import type { Knex } from 'knex';

export interface StepExecutionRow {
  id: number;
  caseId: string;
  stepId: string;
  procedure: string | null;
  kind: string;
  role: string | null;
  /** Every role that may act on it. */
  roles: string[];
  visit: number;
  budgetMs: number | null;
  availableAt: Date;
  /** available + budget: when the step's waktu runs out. */
  dueAt: Date | null;
  startedAt: Date | null;
  startedBy: string | null;
  startImplicit: boolean;
  completedAt: Date | null;
  actors: string[];
  outcome: string | null;
  output: unknown;
  overdue: boolean;
}

const COLUMNS = {
  id: 'id', caseId: 'case_id', stepId: 'step_id', procedure: 'procedure', kind: 'kind', role: 'role', roles: 'roles', visit: 'visit',
  budgetMs: 'budget_ms', availableAt: 'available_at', dueAt: 'due_at', startedAt: 'started_at', startedBy: 'started_by',
  startImplicit: 'start_implicit', completedAt: 'completed_at', actors: 'actors', outcome: 'outcome', output: 'output', overdue: 'overdue',
} as const;

function fromRow(row: Record<string, unknown>): StepExecutionRow {
  return { ...(row as unknown as StepExecutionRow), id: Number(row.id), budgetMs: row.budgetMs === null ? null : Number(row.budgetMs) };
}


/** Mark the open row of a step started (work begins; waiting ends). */
export async function markStarted(db: Knex, caseId: string, stepId: string, at: Date, actorId: string): Promise<void> {
  await db('step_executions').where({ case_id: caseId, step_id: stepId }).whereNull('completed_at').update({ started_at: at, started_by: actorId });
}



export async function markOverdue(db: Knex, caseId: string, stepId: string, visit: number): Promise<void> {
  await db('step_executions').where({ case_id: caseId, step_id: stepId, visit }).update({ overdue: true });
}

export async function getExecution(db: Knex, id: number): Promise<StepExecutionRow | undefined> {
  const row = await db('step_executions').select(COLUMNS).where({ id }).first();
  return row ? fromRow(row) : undefined;
}

export async function caseTimeline(db: Knex, caseId: string): Promise<StepExecutionRow[]> {
  return (await db('step_executions').select(COLUMNS).where({ case_id: caseId }).orderBy([{ column: 'available_at' }, { column: 'id' }])).map(fromRow);
}

/** Open steps of active cases of one organisation whose role is one of `roles`, oldest first (a keyset page after `after`). */
export async function openTasks(db: Knex, filter: { organizationId: string; roles: readonly string[]; sopId?: string; limit?: number; after?: { availableAt: Date; id: number } }): Promise<Array<StepExecutionRow & { sopId: string; sopVersionId: number; caseTitle: string | null }>> {
  if (filter.roles.length === 0) return [];
  const query = db('step_executions as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .select({ ...Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, `e.${v}`])), sopId: 'c.sop_id', sopVersionId: 'c.sop_version_id', caseTitle: 'c.title' })
    .whereNull('e.completed_at')
    .where('c.status', 'active')
    .where('c.organization_id', filter.organizationId)
    .whereRaw('e.roles \\?| ?', [[...filter.roles]])
    .orderBy([{ column: 'e.available_at' }, { column: 'e.id' }])
    .limit(filter.limit ?? 500);
  if (filter.sopId) query.where('c.sop_id', filter.sopId);
  if (filter.after) query.whereRaw('(e.available_at, e.id) > (?, ?)', [filter.after.availableAt, filter.after.id]);
  return (await query).map((row) => ({ ...fromRow(row), sopId: row.sopId, sopVersionId: Number(row.sopVersionId), caseTitle: row.caseTitle }));
}
