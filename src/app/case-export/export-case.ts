/**
 * The evidence export of one case: a zip with its event log as JSON Lines, its step timeline, the
 * SOP source it ran on, its camera evidence and snapshots, a report for people, and a manifest of
 * sha256 sums with the case head (signed with the audit key when one is set), so the export can be
 * verified offline (verify-export.ts) long after, and away from, the database.
 */
import { writeZip, type ArchiveEntry } from '../../adapters/archive/zip-archive.js';
import { getEvidenceSnapshot, listCameraEvidence } from '../../adapters/store/camera-evidence-table.js';
import { keyAdoptions, latestHead } from '../../adapters/store/case-heads-table.js';
import { getCaseRow } from '../../adapters/store/cases-table.js';
import { listEvents } from '../../adapters/store/case-events-table.js';
import { getSopVersion } from '../../adapters/store/sop-versions-table.js';
import { caseTimeline } from '../../adapters/store/step-executions-table.js';
import { NotFoundError, signDocument } from '../../engine/index.js';
import type { Alur } from '../alur.js';
import { auditCase } from '../audit.js';
import { caseStepDocument } from '../case-documents.js';
import { organizationTimeZone } from '../organizations.js';
import type { CaseReportEvidence } from '../documents/case-report-html.js';
import type { CaseReportFormat, DocumentRenderer } from '../documents/render-sop-document.js';
import {
  EVENTS_PATH, EXPORT_FORMAT, eventsToJsonLines, MANIFEST_PATH, sha256, SOP_PATH, type Manifest, type ManifestAdoption, type ManifestHead,
} from './export-format.js';

export interface CaseExport {
  fileName: string;
  zip: Buffer;
  manifest: Manifest;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

/** Export case `caseId` (the caller has checked the reader may see it). */
export async function exportCase(alur: Alur, renderer: DocumentRenderer, caseId: string, options: { report?: CaseReportFormat } = {}): Promise<CaseExport> {
  const db = alur.db.knex;
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const [events, timeline, head, sop, audit] = await Promise.all([
    listEvents(db, caseId), caseTimeline(db, caseId), latestHead(db, caseId), getSopVersion(db, row.sopVersionId),
    auditCase(db, alur.versions, caseId, alur.auditKeys),
  ]);
  if (!sop) throw new NotFoundError('SOP version', String(row.sopVersionId));
  const key = alur.auditKeys[0];
  const adoptionRow = (await keyAdoptions(db, alur.auditKeys.map((k) => k.id))).get(caseId);
  const evidenceRows = row.organizationId === null ? [] : await listCameraEvidence(db, row.organizationId, { caseId, limit: 10_000 });
  const exportedAt = alur.clock.now();
  const timeZone = await organizationTimeZone(alur, row.organizationId);

  const entries: ArchiveEntry[] = [
    { path: EVENTS_PATH, body: Buffer.from(eventsToJsonLines(events)) },
    { path: 'timeline.json', body: json(timeline) },
    { path: 'case.json', body: json({ ...row, snapshot: undefined }) },
    { path: SOP_PATH, body: Buffer.from(sop.source) },
  ];
  const evidence: CaseReportEvidence[] = [];
  for (const e of [...evidenceRows].reverse()) {
    const jpeg = e.snapshotSha256 ? await getEvidenceSnapshot(db, e.organizationId, e.id) : undefined;
    const snapshotPath = jpeg ? `snapshots/${e.id}.jpg` : null;
    if (jpeg && snapshotPath) entries.push({ path: snapshotPath, body: jpeg });
    evidence.push({ id: e.id, cameraId: e.cameraId, step: e.step, kind: e.kind, probedAt: e.probedAt, ok: e.ok, error: e.error, snapshotPath });
  }
  // The berita acara of every done step that names one, in the report's format.
  for (const e of timeline) {
    const step = sop.definition.steps.find((s) => s.id === e.stepId);
    if (step?.kind !== 'task' || step.document === undefined || e.completedAt === null) continue;
    const document = await renderer.renderBeritaAcara(await caseStepDocument(alur, caseId, e.stepId, { visit: e.visit }), options.report ?? 'html');
    entries.push({ path: `documents/${e.stepId}-${e.visit}.${document.format}`, body: document.body });
  }
  if (evidenceRows.length > 0) entries.push({ path: 'evidence.json', body: json(evidenceRows.map((e) => ({ ...e, snapshotPath: evidence.find((v) => v.id === e.id)?.snapshotPath ?? null }))) });
  const finding = audit.chainBreak ? `event ${audit.chainBreak.seq}: ${audit.chainBreak.reason}` : audit.replayMismatch ?? audit.cannotVerify?.reason ?? null;
  const report = await renderer.renderCaseReport({
    caseId, title: row.title, status: row.status, startedAt: row.startedAt, startedBy: row.startedBy, endedAt: row.endedAt, revision: sop.revision,
    definition: sop.definition, timeline, events, evidence, auditStatus: audit.status, auditFinding: finding, exportedAt, timeZone,
  }, options.report ?? 'html');
  entries.push({ path: report.fileName, body: report.body });

  const last = events.at(-1)!;
  const manifestHead: ManifestHead = head
    ? { seq: head.seq, hash: head.hash, keyId: head.keyId, signature: head.signature }
    : { seq: last.seq, hash: last.hash, keyId: last.keyId, signature: null };
  const adoption: ManifestAdoption | null = adoptionRow ? { seq: adoptionRow.seq, hash: adoptionRow.hash, keyId: adoptionRow.keyId, signature: adoptionRow.signature } : null;
  const body = {
    format: EXPORT_FORMAT, caseId, organizationId: row.organizationId, sopId: row.sopId, revision: sop.revision, exportedAt: exportedAt.toISOString(),
    head: manifestHead, adoption, files: entries.map((e) => ({ path: e.path, bytes: e.body.length, sha256: sha256(e.body) })), keyId: key?.id ?? null,
  } as const;
  const manifest: Manifest = { ...body, files: [...body.files], signature: key ? signDocument(body, key) : null };
  const zip = await writeZip([{ path: MANIFEST_PATH, body: json(manifest) }, ...entries], exportedAt);
  return { fileName: `case-${caseId}.zip`, zip, manifest };
}
