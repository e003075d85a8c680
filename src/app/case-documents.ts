/**
 * The berita acara of a case's step: the template the SOP names on the step (`document:`), filled
 * from what the case recorded when the step was done (its output, who signed, when) and stamped
 * with the hash of the case's last event.
 */
import { listEvents } from '../adapters/store/case-events-table.js';
import { getCaseRow } from '../adapters/store/cases-table.js';
import { getSopVersion } from '../adapters/store/sop-versions-table.js';
import { caseTimeline, type StepExecutionRow } from '../adapters/store/step-executions-table.js';
import { ConflictError, isDocumentTemplateName, NotFoundError, type SopStep } from '../engine/index.js';
import type { Alur } from './alur.js';
import { organizationTimeZone } from './organizations.js';
import type { BeritaAcara, BeritaAcaraField, BeritaAcaraSignatory } from './documents/berita-acara-html.js';

/** The berita acara of step `stepId` of case `caseId` (its latest completed visit unless `visit`); the caller has checked access. */
export async function caseStepDocument(alur: Alur, caseId: string, stepId: string, options: { visit?: number } = {}): Promise<BeritaAcara> {
  const db = alur.db.knex;
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const [published, timeline, events, timeZone] = await Promise.all([
    getSopVersion(db, row.sopVersionId), caseTimeline(db, caseId), listEvents(db, caseId), organizationTimeZone(alur, row.organizationId),
  ]);
  const definition = (await alur.versions.get(db, row.sopVersionId)).definition;
  const step = definition.steps.find((s) => s.id === stepId);
  if (!step) throw new NotFoundError('step', stepId);
  if (step.kind !== 'task' || step.document === undefined || !isDocumentTemplateName(step.document)) {
    const named = definition.steps.filter((s) => s.kind === 'task' && s.document !== undefined).map((s) => s.id);
    throw new NoStepDocumentError(stepId, named);
  }
  const done = timeline.filter((e) => e.stepId === stepId && e.completedAt !== null && (options.visit === undefined || e.visit === options.visit));
  const execution = done.at(-1);
  if (!execution) {
    throw new ConflictError(`step "${stepId}"${options.visit ? ` (visit ${options.visit})` : ''} has not been done in case ${caseId}; its ${step.document} is made once it is done`, row.activeSteps, row.seq);
  }
  const completedAt = execution.completedAt!;
  const completions = events.filter((e) => e.type === 'step.completed' && (e.payload as { step?: string }).step === stepId
    && e.at >= execution.availableAt && e.at <= completedAt);
  const roleTitle = definition.roles.find((r) => r.id === step.role)?.title ?? step.role;
  const signatories = completions.map((e): BeritaAcaraSignatory => {
    const party = step.parties.find((p) => p.id === (e.payload as { party?: string }).party);
    return { as: party?.title ?? roleTitle, actorId: e.actorId, signedAt: e.at };
  });
  const basisExecution = step.document === 'berita-acara-tindak-lanjut'
    ? timeline.filter((e) => e.stepId !== stepId && e.completedAt !== null && e.completedAt <= execution.availableAt && isRecord(e.output)).at(-1)
    : undefined;
  const basisStep = basisExecution && definition.steps.find((s) => s.id === basisExecution.stepId);
  const last = events.at(-1)!;
  return {
    template: step.document, definition, revision: published?.revision ?? 0, caseId, caseTitle: row.title, stepId,
    activity: oneLine(step.activity), visit: execution.visit, completedAt, timeZone, fields: outputFields(step, execution), signatories,
    basis: basisExecution && basisStep ? { activity: oneLine(basisStep.activity), fields: outputFields(basisStep, basisExecution) } : null,
    lastEvent: { seq: last.seq, hash: last.hash },
  };
}

/** The SOP names no document for the step (a 404, like any other thing that does not exist). */
export class NoStepDocumentError extends NotFoundError {
  constructor(stepId: string, withDocuments: readonly string[]) {
    super('document of step', stepId);
    this.message = `the SOP names no document for step "${stepId}" (no "document:" on it); steps with a document: ${withDocuments.join(', ') || 'none'}`;
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The output's fields in the order the SOP's schema lists them, titled as it titles them. */
function outputFields(step: SopStep, execution: StepExecutionRow): BeritaAcaraField[] {
  if (!isRecord(execution.output)) return [];
  const output = execution.output;
  const properties = (step.output?.schema?.properties ?? {}) as Record<string, { title?: string }>;
  const keys = [...Object.keys(properties).filter((k) => k in output), ...Object.keys(output).filter((k) => !(k in properties))];
  return keys.map((key) => ({ title: properties[key]?.title ?? key, value: fieldText(output[key]) }));
}

function fieldText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Ya' : 'Tidak';
  if (Array.isArray(value)) return value.map(fieldText).join(', ');
  if (isRecord(value)) return JSON.stringify(value);
  return value === null || value === undefined ? '' : String(value);
}
