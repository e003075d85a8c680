import type { Knex } from 'knex';
import type { CaseStatus } from '../../engine/index.js';

export interface CaseRow {
  id: string;
  sopVersionId: number;
  sopId: string;
  status: CaseStatus;
  seq: number;
  snapshot: unknown;
  activeSteps: string[];
  title: string | null;
  startedBy: string;
  startKey: string | null;
  startedAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  organizationId: string | null;
}

const COLUMNS = {
  id: 'id', sopVersionId: 'sop_version_id', sopId: 'sop_id', status: 'status', seq: 'seq', snapshot: 'snapshot',
  activeSteps: 'active_steps', title: 'title', startedBy: 'started_by', startKey: 'start_key', startedAt: 'started_at',
  updatedAt: 'updated_at', endedAt: 'ended_at', organizationId: 'organization_id',
} as const;

function fromRow(row: Record<string, unknown>): CaseRow {
  return { ...(row as unknown as CaseRow), sopVersionId: Number(row.sopVersionId) };
}

export async function insertCase(db: Knex, row: Omit<CaseRow, 'updatedAt' | 'endedAt'>): Promise<void> {
  await db('cases').insert({
    id: row.id, sop_version_id: row.sopVersionId, sop_id: row.sopId, status: row.status, seq: row.seq,
    snapshot: JSON.stringify(row.snapshot), active_steps: JSON.stringify(row.activeSteps), title: row.title,
    started_by: row.startedBy, start_key: row.startKey, started_at: row.startedAt, updated_at: row.startedAt,
    organization_id: row.organizationId,
  });
}

export async function getCaseRow(db: Knex, id: string, options: { forUpdate?: boolean } = {}): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  const query = db('cases').select(COLUMNS).where({ id }).first();
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  return row ? fromRow(row) : undefined;
}

/** Cases whose stored machine state an older Alur wrote: an XState error state, or a context without visit counts. */
export async function listCaseIdsNeedingRepair(db: Knex): Promise<string[]> {
  return (await db('cases').select('id').whereRaw("snapshot->>'status' = 'error' or not (snapshot->'context' \\? 'visits')")).map((r) => r.id as string);
}

/** Replace a case's derived state (machine state, open steps, status) without a new event. */
export async function rewriteCaseState(db: Knex, id: string, state: { snapshot: unknown; activeSteps: string[]; status: CaseStatus }): Promise<void> {
  await db('cases').where({ id }).update({ snapshot: JSON.stringify(state.snapshot), active_steps: JSON.stringify(state.activeSteps), status: state.status });
}

export async function findCaseByStartKey(db: Knex, startKey: string): Promise<CaseRow | undefined> {
  const row = await db('cases').select(COLUMNS).where({ start_key: startKey }).first();
  return row ? fromRow(row) : undefined;
}


export interface CaseFilter {
  organizationId?: string;
  /** Who is looking: only their organisation's cases, and only of SOP versions with one of `sopRoles` when given. */
  scope?: { organizationId: string; sopRoles?: readonly string[] };
  sopId?: string;
  status?: CaseStatus;
  limit?: number;
  /** Keyset page: only cases after this one in the list's order (newest first). */
  before?: { startedAt: Date; id: string };
}

export async function listCases(db: Knex, filter: CaseFilter = {}): Promise<CaseRow[]> {
  const query = db('cases as c').select(Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, `c.${v}`]))).orderBy([{ column: 'c.started_at', order: 'desc' }, { column: 'c.id', order: 'desc' }]).limit(filter.limit ?? 100);
  if (filter.before) query.whereRaw('(c.started_at, c.id) < (?, ?)', [filter.before.startedAt, filter.before.id]);
  if (filter.organizationId) query.where('c.organization_id', filter.organizationId);
  if (filter.scope) {
    query.where('c.organization_id', filter.scope.organizationId);
    const roles = filter.scope.sopRoles;
    if (roles !== undefined) {
      query.whereExists((q) => q.select(db.raw('1')).from('sop_roles as r').whereRaw('r.sop_version_id = c.sop_version_id').whereIn('r.role', [...roles]));
    }
  }
  if (filter.sopId) query.where('c.sop_id', filter.sopId);
  if (filter.status) query.where('c.status', filter.status);
  return (await query).map(fromRow);
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
