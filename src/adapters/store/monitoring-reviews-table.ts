/** The auditor's entries on monitoring forms: append-only (the database refuses UPDATE and DELETE). */
import type { Knex } from 'knex';

export interface MonitoringFormKey {
  organizationId: string;
  sopId: string;
  revision: number;
  period: string;
}

export interface MonitoringReviewRow extends MonitoringFormKey {
  id: number;
  kind: 'step' | 'sign-off';
  stepId: string | null;
  assessment: 'berjalan' | 'tidak-berjalan' | null;
  note: string;
  action: string;
  formHash: string | null;
  writtenBy: string;
  writtenAt: Date;
}

const COLUMNS = {
  id: 'id', organizationId: 'organization_id', sopId: 'sop_id', revision: 'revision', period: 'period', kind: 'kind', stepId: 'step_id',
  assessment: 'assessment', note: 'note', action: 'action', formHash: 'form_hash', writtenBy: 'written_by', writtenAt: 'written_at',
} as const;

export async function insertMonitoringReviews(db: Knex, rows: ReadonlyArray<Omit<MonitoringReviewRow, 'id'>>): Promise<void> {
  if (rows.length === 0) return;
  await db('monitoring_reviews').insert(rows.map((r) => ({
    organization_id: r.organizationId, sop_id: r.sopId, revision: r.revision, period: r.period, kind: r.kind, step_id: r.stepId,
    assessment: r.assessment, note: r.note, action: r.action, form_hash: r.formHash, written_by: r.writtenBy, written_at: r.writtenAt,
  })));
}

/** Every entry of one form, oldest first (its whole history). */
export async function listMonitoringReviews(db: Knex, key: MonitoringFormKey): Promise<MonitoringReviewRow[]> {
  const rows = await db('monitoring_reviews').select(COLUMNS)
    .where({ organization_id: key.organizationId, sop_id: key.sopId, revision: key.revision, period: key.period }).orderBy('id');
  return rows.map((r: MonitoringReviewRow) => ({ ...r, id: Number(r.id), writtenAt: new Date(r.writtenAt) }));
}
