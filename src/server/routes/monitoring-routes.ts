/**
 * The monitoring form (Monitoring Pelaksanaan SOP AP) over HTTP: read it for a period, pre-filled
 * from the measured step times (JSON with the auditor's part of each row apart, or HTML, PDF, CSV),
 * store the auditor's assessment, note and action per step, and sign it off.
 */
import { MONITORING_FORMATS, type DocumentRenderer, type MonitoringFormat } from '../../app/documents/render-sop-document.js';
import type { Alur } from '../../app/alur.js';
import type { MonitoringQuery } from '../../app/monitoring-report.js';
import { monitoringFormForAuditor, MonitoringReviewError, saveMonitoringReview, signOffMonitoringForm, type StepReviewInput } from '../../app/monitoring-review.js';
import { HttpProblem } from '../problem.js';
import type { JsonSchema, RouteRegistry } from '../route-registry.js';
import { slug } from '../schemas.js';
import { printing, send } from './send-document.js';

const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const nullableMs = { type: ['integer', 'null'], minimum: 0 };
const assessment = { enum: ['berjalan', 'tidak-berjalan', 'belum-dilaksanakan'] };

const period = {
  from: { ...time, description: 'Steps completed at or after this instant (the UI sends local midnight of the first day in the organisation\'s zone)' },
  to: { ...time, description: '… and before this one' },
  revision: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'A published revision; the latest by default' },
  threshold: { type: 'number', minimum: 0, maximum: 1, description: 'Share within the waktu for "berjalan dengan baik" (default 0.9)' },
};

const formRow: JsonSchema = {
  type: 'object',
  required: ['number', 'stepId', 'procedure', 'assessment', 'count', 'withinBudget', 'medianMs', 'budgetMs', 'overdue', 'refused', 'note', 'action'],
  properties: {
    number: { type: 'string', description: 'The No as the flowchart prints it ("5", "9.2")' }, stepId: slug, procedure: { type: 'string' },
    assessment: { ...assessment, description: 'The auditor\'s when they set one, otherwise the one the data suggests' },
    count: { type: 'integer', minimum: 0 }, withinBudget: { type: ['number', 'null'], minimum: 0, maximum: 1 },
    medianMs: nullableMs, budgetMs: nullableMs, overdue: { type: 'integer', minimum: 0 },
    refused: { type: 'integer', minimum: 0, description: 'Executions that ended refused (an approval turned down)' },
    note: { type: 'string', description: 'Catatan hasil penilaian: the measured figures, then "Catatan auditor: …"' }, action: { type: 'string', description: 'Tindakan yang harus diambil' },
  },
};

const monitoringForm: JsonSchema = {
  type: 'object',
  required: ['sopId', 'title', 'number', 'organization', 'revision', 'from', 'to', 'timeZone', 'threshold', 'rows'],
  properties: {
    sopId: slug, title: { type: 'string' }, number: { type: ['string', 'null'] }, organization: { type: 'string' }, revision: { type: 'integer', minimum: 1 },
    from: nullableTime, to: nullableTime, timeZone: { type: 'string', description: 'The organisation\'s IANA zone, in which the printed form shows times' },
    threshold: { type: 'number' }, rows: { type: 'array', items: formRow },
    revisions: { type: 'integer', minimum: 0, description: 'Step entries the auditors have saved on this form' },
    signedOff: { type: 'object', required: ['by', 'at', 'current'], properties: { by: { type: 'string' }, at: time, current: { type: 'boolean', description: 'False once the form changed after the sign-off' } } },
  },
};

const auditorRow: JsonSchema = {
  type: 'object',
  required: ['stepId', 'measured', 'measuredNote', 'assessment', 'note', 'action', 'writtenBy', 'writtenAt'],
  properties: {
    stepId: slug, measured: { ...assessment, description: 'What the data suggests' }, measuredNote: { type: 'string' },
    assessment: { enum: ['berjalan', 'tidak-berjalan', null], description: 'The auditor\'s own, or null to follow the data' },
    note: { type: 'string' }, action: { type: 'string' }, writtenBy: { type: ['string', 'null'] }, writtenAt: nullableTime,
  },
};

const reviewedForm: JsonSchema = {
  type: 'object', required: ['form', 'review'],
  properties: { form: monitoringForm, review: { type: 'array', items: auditorRow, description: 'Per row of the form, in its order: the measured part and what the auditor wrote last' } },
};

type PeriodFields = { from?: string; to?: string; revision?: number; threshold?: number };

function monitoringQuery(fields: PeriodFields): MonitoringQuery {
  return {
    ...(fields.from ? { from: new Date(fields.from) } : {}), ...(fields.to ? { to: new Date(fields.to) } : {}),
    ...(fields.revision ? { revision: fields.revision } : {}), ...(fields.threshold !== undefined ? { threshold: fields.threshold } : {}),
  };
}

const sopParams = { type: 'object', properties: { sopId: slug }, required: ['sopId'] };
const notFound = { description: 'No such SOP or revision in your organisation' };

export function registerMonitoringRoutes(routes: RouteRegistry, alur: Alur, renderer: DocumentRenderer): void {
  routes.add<{ sopId: string }, PeriodFields & { format?: MonitoringFormat | 'json' }>({
    method: 'get', path: '/sops/:sopId/monitoring', tag: 'audit', access: 'user',
    summary: 'The monitoring form (Monitoring Pelaksanaan SOP AP) of an SOP revision for a period, pre-filled from the measured step times',
    params: sopParams,
    query: { type: 'object', additionalProperties: false, properties: { format: { enum: ['json', ...MONITORING_FORMATS] }, ...period } },
    responses: {
      200: { description: 'The form: JSON (default), HTML, PDF or CSV', schema: reviewedForm, contentType: 'application/json, text/html, application/pdf, text/csv' },
      403: { description: 'Needs the auditor or process-owner role' }, 404: notFound,
      503: { description: 'Too many PDFs are being printed; retry after the Retry-After seconds' },
    },
    handler: async ({ user, params, query, res }) => {
      const reviewed = await monitoringFormForAuditor(alur, user, params.sopId, monitoringQuery(query));
      const format = query.format ?? 'json';
      if (format === 'json') return reviewed;
      const document = await printing(res, () => renderer.renderMonitoring(reviewed.form, format));
      send(res, document, document.fileName);
      return undefined;
    },
  });

  routes.add<{ sopId: string }, Record<string, unknown>, PeriodFields & { steps: StepReviewInput[] }>({
    method: 'put', path: '/sops/:sopId/monitoring/review', tag: 'audit', access: 'user',
    summary: 'The auditor\'s assessment, note and action for steps of a monitoring form (same period fields as GET …/monitoring); each entry replaces the step\'s previous one as a new revision, earlier ones are kept',
    params: sopParams,
    body: {
      type: 'object', additionalProperties: false, required: ['steps'],
      properties: {
        ...period,
        steps: {
          type: 'array', minItems: 1, maxItems: 500,
          items: {
            type: 'object', additionalProperties: false, required: ['stepId'],
            properties: { stepId: slug, assessment: { enum: ['berjalan', 'tidak-berjalan'] }, note: { type: 'string', maxLength: 4000 }, action: { type: 'string', maxLength: 4000 } },
          },
        },
      },
    },
    responses: {
      200: { description: 'The form as it now reads', schema: reviewedForm }, 403: { description: 'Needs the auditor role' },
      404: notFound, 422: { description: 'A step the form does not have' },
    },
    handler: async ({ user, params, body }) => {
      try {
        return await saveMonitoringReview(alur, user, params.sopId, monitoringQuery(body), body.steps);
      } catch (error) {
        if (error instanceof MonitoringReviewError) throw new HttpProblem(422, 'unknown-step', error.message);
        throw error;
      }
    },
  });

  routes.add<{ sopId: string }, Record<string, unknown>, PeriodFields>({
    method: 'post', path: '/sops/:sopId/monitoring/sign-off', tag: 'audit', access: 'user',
    summary: 'The auditor signs the monitoring form of a period as it now reads (a later edit marks the sign-off as outdated)',
    params: sopParams,
    body: { type: 'object', additionalProperties: false, properties: period },
    responses: { 200: { description: 'The signed form', schema: reviewedForm }, 403: { description: 'Needs the auditor role' }, 404: notFound },
    handler: async ({ user, params, body }) => signOffMonitoringForm(alur, user, params.sopId, monitoringQuery(body ?? {})),
  });
}
