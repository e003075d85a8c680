/** Evidence of camera checks and snapshots: append-only (the database refuses UPDATE and DELETE). */
import type { Knex } from 'knex';

export interface CameraProbe {
  codec?: string;
  width?: number;
  height?: number;
  fps?: number;
}

export interface CameraEvidenceRow {
  id: string;
  organizationId: string;
  cameraId: string;
  caseId: string | null;
  step: string | null;
  kind: 'check' | 'snapshot';
  probedAt: Date;
  ok: boolean;
  error: string | null;
  probe: CameraProbe | null;
  snapshotSha256: string | null;
}

const COLUMNS = {
  id: 'id', organizationId: 'organization_id', cameraId: 'camera_id', caseId: 'case_id', step: 'step', kind: 'kind', probedAt: 'probed_at',
  ok: 'ok', error: 'error', probe: 'probe', snapshotSha256: 'snapshot_sha256',
};

function toRow(row: CameraEvidenceRow): CameraEvidenceRow {
  return { ...row, probedAt: new Date(row.probedAt) };
}

export async function insertCameraEvidence(db: Knex, evidence: CameraEvidenceRow & { snapshot: Buffer | null }): Promise<void> {
  await db('camera_evidence').insert({
    id: evidence.id, organization_id: evidence.organizationId, camera_id: evidence.cameraId, case_id: evidence.caseId, step: evidence.step, kind: evidence.kind,
    probed_at: evidence.probedAt, ok: evidence.ok, error: evidence.error, probe: evidence.probe === null ? null : JSON.stringify(evidence.probe),
    snapshot: evidence.snapshot, snapshot_sha256: evidence.snapshotSha256,
  });
}

export async function getCameraEvidence(db: Knex, organizationId: string, id: string): Promise<CameraEvidenceRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db('camera_evidence').select(COLUMNS).where({ organization_id: organizationId, id }).first();
  return row ? toRow(row) : undefined;
}

/** The JPEG of one piece of evidence, or undefined when it has none. */
export async function getEvidenceSnapshot(db: Knex, organizationId: string, id: string): Promise<Buffer | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db('camera_evidence').select('snapshot').where({ organization_id: organizationId, id }).first();
  const bytes = row?.snapshot as Buffer | Uint8Array | null | undefined;
  return bytes ? Buffer.from(bytes) : undefined;
}

/** Evidence of one camera (newest first) or of one case. */
export async function listCameraEvidence(db: Knex, organizationId: string, filter: { cameraId?: string; caseId?: string; limit?: number }): Promise<CameraEvidenceRow[]> {
  const query = db('camera_evidence').select(COLUMNS).where({ organization_id: organizationId }).orderBy([{ column: 'probed_at', order: 'desc' }, { column: 'id' }]).limit(filter.limit ?? 100);
  if (filter.cameraId !== undefined) query.where('camera_id', filter.cameraId);
  if (filter.caseId !== undefined) query.where('case_id', filter.caseId);
  return (await query).map(toRow);
}
