/**
 * Reading camera evidence (check results and snapshots). Evidence is written only by the camera
 * adapters and never changed: there is no service here that alters or removes it.
 */
import { getCameraEvidence, getEvidenceSnapshot, listCameraEvidence, type CameraEvidenceRow } from '../adapters/store/camera-evidence-table.js';
import { NotFoundError } from '../engine/index.js';
import type { Viewer } from './access-policy.js';
import type { Alur } from './alur.js';

export interface EvidenceView extends Omit<CameraEvidenceRow, 'probedAt'> {
  probedAt: string;
}

function view(row: CameraEvidenceRow): EvidenceView {
  return { ...row, probedAt: row.probedAt.toISOString() };
}

export async function evidenceList(alur: Alur, viewer: Pick<Viewer, 'organizationId'>, filter: { cameraId?: string; caseId?: string; limit?: number }): Promise<EvidenceView[]> {
  return (await listCameraEvidence(alur.db.knex, viewer.organizationId, filter)).map(view);
}

export async function evidenceItem(alur: Alur, viewer: Pick<Viewer, 'organizationId'>, id: string): Promise<EvidenceView> {
  const row = await getCameraEvidence(alur.db.knex, viewer.organizationId, id);
  if (!row) throw new NotFoundError('evidence', id);
  return view(row);
}

/** The snapshot JPEG of a piece of evidence, with the sha256 it was stored under. */
export async function evidenceSnapshot(alur: Alur, viewer: Pick<Viewer, 'organizationId'>, id: string): Promise<{ jpeg: Buffer; sha256: string }> {
  const row = await getCameraEvidence(alur.db.knex, viewer.organizationId, id);
  const jpeg = row?.snapshotSha256 ? await getEvidenceSnapshot(alur.db.knex, viewer.organizationId, id) : undefined;
  if (!row || !jpeg) throw new NotFoundError('snapshot', id);
  return { jpeg, sha256: row.snapshotSha256! };
}
