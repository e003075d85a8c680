/**
 * The auditor's part of the monitoring form: per step the assessment (confirming or overriding the
 * one pre-filled from the data), a note and the action to take, and the sign-off of the whole form.
 * Stored append-only (monitoring_reviews): each save adds rows, the latest per step counts, and a
 * sign-off records the hash of the form it signed, so a later edit shows the sign-off as outdated.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { insertMonitoringReviews, listMonitoringReviews, type MonitoringFormKey, type MonitoringReviewRow } from '../adapters/store/monitoring-reviews-table.js';
import { requireRole, type Viewer } from './access-policy.js';
import type { Alur } from './alur.js';
import type { Assessment, MonitoringForm } from './documents/monitoring-form.js';
import { monitoringReport, type MonitoringQuery } from './monitoring-report.js';

export interface StepReviewInput {
  stepId: string;
  assessment?: 'berjalan' | 'tidak-berjalan';
  note?: string;
  action?: string;
}

/**
 * One row as the auditor's editor needs it: the assessment the data suggests and the text measured,
 * apart from what the auditor wrote last (no override, no note, no action until they write one).
 */
export interface AuditorRow {
  stepId: string;
  measured: Assessment;
  measuredNote: string;
  assessment: 'berjalan' | 'tidak-berjalan' | null;
  note: string;
  action: string;
  writtenBy: string | null;
  writtenAt: string | null;
}

/** The form as it reads (the auditor's entries applied) and, per row, the auditor's own part. */
export interface ReviewedMonitoringForm {
  form: MonitoringForm;
  review: AuditorRow[];
}

/** An entry names a step the form does not have. */
export class MonitoringReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MonitoringReviewError';
  }
}

export function formKey(form: Pick<MonitoringForm, 'sopId' | 'revision' | 'from' | 'to'>, organizationId: string): MonitoringFormKey {
  return { organizationId, sopId: form.sopId, revision: form.revision, period: `${form.from ?? ''}/${form.to ?? ''}` };
}

function latestPerStep(entries: readonly MonitoringReviewRow[]): Map<string, MonitoringReviewRow> {
  const latest = new Map<string, MonitoringReviewRow>();
  for (const e of entries) if (e.kind === 'step' && e.stepId !== null) latest.set(e.stepId, e);
  return latest;
}

/** The form with the latest entry of each step applied and its sign-off, if any. */
export function applyReview(form: MonitoringForm, entries: readonly MonitoringReviewRow[]): MonitoringForm {
  const latest = latestPerStep(entries);
  const rows = form.rows.map((row) => {
    const review = latest.get(row.stepId);
    if (!review) return row;
    return {
      ...row, assessment: review.assessment ?? row.assessment, action: review.action,
      note: review.note ? `${row.note} Catatan auditor: ${review.note}` : row.note,
    };
  });
  const reviewed: MonitoringForm = { ...form, rows, revisions: entries.filter((e) => e.kind === 'step').length };
  const signOff = entries.filter((e) => e.kind === 'sign-off').at(-1);
  return signOff
    ? { ...reviewed, signedOff: { by: signOff.writtenBy, at: signOff.writtenAt.toISOString(), current: signOff.formHash === formHash(reviewed) } }
    : reviewed;
}

/** The measured form with the auditor's entries applied, and each row's measured and written parts apart. */
export function reviewFor(measured: MonitoringForm, entries: readonly MonitoringReviewRow[]): ReviewedMonitoringForm {
  const latest = latestPerStep(entries);
  const review = measured.rows.map((row): AuditorRow => {
    const e = latest.get(row.stepId);
    return {
      stepId: row.stepId, measured: row.assessment, measuredNote: row.note, assessment: e?.assessment ?? null, note: e?.note ?? '', action: e?.action ?? '',
      writtenBy: e?.writtenBy ?? null, writtenAt: e?.writtenAt.toISOString() ?? null,
    };
  });
  return { form: applyReview(measured, entries), review };
}

/** The sha256 of what a sign-off vouches for: the period and every row's figures, assessment, note and action. */
export function formHash(form: MonitoringForm): string {
  const { signedOff: _signedOff, revisions: _revisions, ...content } = form;
  return createHash('sha256').update(canonicalize(content) ?? '').digest('hex');
}

/** The monitoring form with the auditor's entries applied. */
export async function reviewedMonitoringForm(alur: Alur, viewer: Viewer, sopId: string, query: MonitoringQuery = {}): Promise<MonitoringForm> {
  return (await monitoringFormForAuditor(alur, viewer, sopId, query)).form;
}

/** The same, with each row's auditor part apart (for an editor). */
export async function monitoringFormForAuditor(alur: Alur, viewer: Viewer, sopId: string, query: MonitoringQuery = {}): Promise<ReviewedMonitoringForm> {
  const form = await monitoringReport(alur, viewer, sopId, query);
  return reviewFor(form, await listMonitoringReviews(alur.db.knex, formKey(form, viewer.organizationId)));
}

/** Store the auditor's entries for some steps (a new revision of each); returns the form as it now reads. */
export async function saveMonitoringReview(alur: Alur, viewer: Viewer, sopId: string, query: MonitoringQuery, steps: readonly StepReviewInput[]): Promise<ReviewedMonitoringForm> {
  requireRole(viewer, 'auditor');
  const form = await monitoringReport(alur, viewer, sopId, query);
  const known = new Set(form.rows.map((r) => r.stepId));
  const unknown = steps.find((s) => !known.has(s.stepId));
  if (unknown) throw new MonitoringReviewError(`the monitoring form of "${sopId}" has no step "${unknown.stepId}"; its steps: ${[...known].join(', ')}`);
  const key = formKey(form, viewer.organizationId);
  const at = alur.clock.now();
  await insertMonitoringReviews(alur.db.knex, steps.map((s) => ({
    ...key, kind: 'step' as const, stepId: s.stepId, assessment: s.assessment ?? null, note: s.note ?? '', action: s.action ?? '', formHash: null, writtenBy: viewer.username, writtenAt: at,
  })));
  return reviewFor(form, await listMonitoringReviews(alur.db.knex, key));
}

/** The auditor signs the form as it now reads. */
export async function signOffMonitoringForm(alur: Alur, viewer: Viewer, sopId: string, query: MonitoringQuery): Promise<ReviewedMonitoringForm> {
  requireRole(viewer, 'auditor');
  const form = await monitoringReport(alur, viewer, sopId, query);
  const key = formKey(form, viewer.organizationId);
  const signed = applyReview(form, await listMonitoringReviews(alur.db.knex, key));
  await insertMonitoringReviews(alur.db.knex, [{
    ...key, kind: 'sign-off', stepId: null, assessment: null, note: '', action: '', formHash: formHash(signed), writtenBy: viewer.username, writtenAt: alur.clock.now(),
  }]);
  return reviewFor(form, await listMonitoringReviews(alur.db.knex, key));
}
