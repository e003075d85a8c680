import type { Knex } from 'knex';
import type { NotificationDraft } from '../../engine/index.js';

export interface NotificationRow extends NotificationDraft {
  id: number;
  caseId: string;
  createdAt: Date;
}


export async function listNotifications(db: Knex, filter: { caseId?: string; roles?: readonly string[]; organizationId?: string; limit?: number } = {}): Promise<NotificationRow[]> {
  const query = db('notifications as n').select('n.*').orderBy('n.id', filter.organizationId ? 'desc' : 'asc');
  if (filter.caseId) query.where('n.case_id', filter.caseId);
  if (filter.roles) query.whereRaw('n.roles \\?| ?', [[...filter.roles]]);
  if (filter.organizationId) query.join('cases as c', 'c.id', 'n.case_id').where('c.organization_id', filter.organizationId);
  if (filter.limit) query.limit(filter.limit);
  return (await query).map((row) => ({
    id: Number(row.id), caseId: row.case_id, kind: row.kind, stepId: row.step_id, roles: row.roles, message: row.message, data: row.data ?? {}, createdAt: row.created_at,
  }));
}
