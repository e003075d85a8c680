import type { Response } from 'express';
import type { Alur } from '../../app/alur.js';
import { CASE_REPORT_FORMATS, createDocumentRenderer, DOCUMENT_FORMATS, type CaseReportFormat, MONITORING_FORMATS, PrinterBusyError, type DocumentFormat, type DocumentRenderer, type MonitoringFormat, type RenderedDocument } from '../../app/documents/render-sop-document.js';
import { exportCase } from '../../app/case-export/export-case.js';
import { caseStepDocument } from '../../app/case-documents.js';
import { findVisibleCase } from '../../app/case-queries.js';
import { MonitoringReviewError, reviewedMonitoringForm, saveMonitoringReview, signOffMonitoringForm, type StepReviewInput } from '../../app/monitoring-review.js';
import { findSopRevision } from '../../app/sop-queries.js';
import type { AlurConfig } from '../../config.js';
import { HttpProblem } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, slug, uuid } from '../schemas.js';

/**
 * A document is self-contained (inline styles, inline fonts, no script), so it is served with a
 * policy that allows exactly that and nothing else, whatever the API's default policy is.
 */
const DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

/**
 * The official document of a published SOP revision, for anyone of the SOP's organisation (the
 * same rule as reading the SOP itself; another organisation's SOP is not found).
 */
export function registerDocumentRoutes(routes: RouteRegistry, alur: Alur, config: Pick<AlurConfig, 'chromiumPath'>, renderer: DocumentRenderer = createDocumentRenderer(config.chromiumPath ? { chromiumPath: config.chromiumPath } : {})): void {
  routes.add<{ sopId: string }, { format?: DocumentFormat; revision?: number }>({
    method: 'get', path: '/sops/:sopId/document', tag: 'sops', access: 'user',
    summary: 'The official SOP document (Permenpan RB 35/2012): identity page and flowchart table as HTML, PDF (A4 landscape) or SVG (the flowchart)',
    params: { type: 'object', properties: { sopId: slug }, required: ['sopId'] },
    query: {
      type: 'object', additionalProperties: false,
      properties: { format: { enum: [...DOCUMENT_FORMATS] }, revision: { type: 'integer', minimum: 1, maximum: 2147483647 } },
    },
    responses: {
      200: { description: 'The document (HTML by default)', contentType: 'text/html, application/pdf, image/svg+xml' },
      404: { description: 'No such SOP or revision in your organisation' },
      503: { description: 'Too many PDFs are being printed; retry after the Retry-After seconds' },
    },
    handler: async ({ user, params, query, res }) => {
      const format = query.format ?? 'html';
      const { revision: row } = await findSopRevision(alur, user.organizationId, params.sopId, query.revision);
      const document = await printing(res, () => renderer.render(row.definition, format, { revisionNote: `terbitan ${row.revision}` }));
      send(res, document, `${row.sopId}-r${row.revision}.${format}`);
      return undefined;
    },
  });

  routes.add<{ sopId: string }, { format?: MonitoringFormat | 'json'; revision?: number; from?: string; to?: string; threshold?: number }>({
    method: 'get', path: '/sops/:sopId/monitoring', tag: 'audit', access: 'user',
    summary: 'The monitoring form (Monitoring Pelaksanaan SOP AP) of an SOP revision for a period, pre-filled from the measured step times',
    params: { type: 'object', properties: { sopId: slug }, required: ['sopId'] },
    query: {
      type: 'object', additionalProperties: false,
      properties: {
        format: { enum: ['json', ...MONITORING_FORMATS] }, revision: { type: 'integer', minimum: 1, maximum: 2147483647 },
        from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, threshold: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    responses: {
      200: { description: 'The form: JSON (default), HTML, PDF or CSV', schema: anyObject, contentType: 'application/json, text/html, application/pdf, text/csv' },
      403: { description: 'Needs the auditor or process-owner role' }, 404: { description: 'No such SOP or revision in your organisation' },
    },
    handler: async ({ user, params, query, res }) => {
      const form = await reviewedMonitoringForm(alur, user, params.sopId, {
        ...(query.from ? { from: new Date(query.from) } : {}), ...(query.to ? { to: new Date(query.to) } : {}),
        ...(query.revision ? { revision: query.revision } : {}), ...(query.threshold !== undefined ? { threshold: query.threshold } : {}),
      });
      const format = query.format ?? 'json';
      if (format === 'json') return { form };
      const document = await printing(res, () => renderer.renderMonitoring(form, format));
      send(res, document, document.fileName);
      return undefined;
    },
  });

  const period = {
    from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
    revision: { type: 'integer', minimum: 1, maximum: 2147483647 }, threshold: { type: 'number', minimum: 0, maximum: 1 },
  };
  type PeriodBody = { from?: string; to?: string; revision?: number; threshold?: number };
  const monitoringQuery = (body: PeriodBody) => ({
    ...(body.from ? { from: new Date(body.from) } : {}), ...(body.to ? { to: new Date(body.to) } : {}),
    ...(body.revision ? { revision: body.revision } : {}), ...(body.threshold !== undefined ? { threshold: body.threshold } : {}),
  });
  routes.add<{ sopId: string }, Record<string, unknown>, PeriodBody & { steps: StepReviewInput[] }>({
    method: 'put', path: '/sops/:sopId/monitoring/review', tag: 'audit', access: 'user',
    summary: 'The auditor\'s assessment, note and action for steps of a monitoring form (same period fields as GET …/monitoring); each save is a new revision, earlier ones are kept',
    params: { type: 'object', properties: { sopId: slug }, required: ['sopId'] },
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
      200: { description: 'The form as it now reads', schema: anyObject }, 403: { description: 'Needs the auditor role' },
      404: { description: 'No such SOP or revision in your organisation' }, 422: { description: 'A step the form does not have' },
    },
    handler: async ({ user, params, body }) => {
      try {
        return { form: await saveMonitoringReview(alur, user, params.sopId, monitoringQuery(body), body.steps) };
      } catch (error) {
        if (error instanceof MonitoringReviewError) throw new HttpProblem(422, 'unknown-step', error.message);
        throw error;
      }
    },
  });
  routes.add<{ sopId: string }, Record<string, unknown>, PeriodBody>({
    method: 'post', path: '/sops/:sopId/monitoring/sign-off', tag: 'audit', access: 'user',
    summary: 'The auditor signs the monitoring form of a period as it now reads (a later edit marks the sign-off as outdated)',
    params: { type: 'object', properties: { sopId: slug }, required: ['sopId'] },
    body: { type: 'object', additionalProperties: false, properties: period },
    responses: { 200: { description: 'The signed form', schema: anyObject }, 403: { description: 'Needs the auditor role' }, 404: { description: 'No such SOP or revision in your organisation' } },
    handler: async ({ user, params, body }) => ({ form: await signOffMonitoringForm(alur, user, params.sopId, monitoringQuery(body ?? {})) }),
  });

  routes.add<{ caseId: string }, { report?: CaseReportFormat }>({
    method: 'get', path: '/cases/:caseId/export', tag: 'cases', access: 'user',
    summary: 'The evidence export of a case (zip): event log as JSON Lines, step timeline, SOP source, camera evidence, a report and a manifest of sha256 sums with the case head; verify it offline with `alur audit verify --export`',
    params: { type: 'object', properties: { caseId: uuid }, required: ['caseId'] },
    query: { type: 'object', additionalProperties: false, properties: { report: { enum: [...CASE_REPORT_FORMATS] } } },
    responses: {
      200: { description: 'The zip', contentType: 'application/zip' },
      403: { description: 'You hold no role in the case\'s SOP' }, 404: { description: 'No such case in your organisation' },
      503: { description: 'Too many PDFs are being printed; retry after the Retry-After seconds' },
    },
    handler: async ({ user, params, query, res }) => {
      await findVisibleCase(alur, user, params.caseId);
      const exported = await printing(res, () => exportCase(alur, renderer, params.caseId, { report: query.report ?? 'html' }));
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="${exported.fileName}"`);
      res.setHeader('Cache-Control', 'private, no-cache');
      res.status(200).send(exported.zip);
      return undefined;
    },
  });

  routes.add<{ caseId: string; stepId: string }, { format?: CaseReportFormat; visit?: number }>({
    method: 'get', path: '/cases/:caseId/documents/:stepId', tag: 'cases', access: 'user',
    summary: 'The berita acara the SOP names for a step (document: berita-acara-serah-terima | berita-acara-tindak-lanjut), made from what the case recorded, with the case id and the hash of its last event in the footer',
    params: { type: 'object', properties: { caseId: uuid, stepId: slug }, required: ['caseId', 'stepId'] },
    query: { type: 'object', additionalProperties: false, properties: { format: { enum: [...CASE_REPORT_FORMATS] }, visit: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
    responses: {
      200: { description: 'The document (HTML by default)', contentType: 'text/html, application/pdf' },
      403: { description: 'You hold no role in the case\'s SOP' }, 404: { description: 'No such case in your organisation, or the SOP names no document for the step' },
      409: { description: 'The step has not been done yet' }, 503: { description: 'Too many PDFs are being printed; retry after the Retry-After seconds' },
    },
    handler: async ({ user, params, query, res }) => {
      await findVisibleCase(alur, user, params.caseId);
      const data = await caseStepDocument(alur, params.caseId, params.stepId, query.visit ? { visit: query.visit } : {});
      const document = await printing(res, () => renderer.renderBeritaAcara(data, query.format ?? 'html'));
      send(res, document, document.fileName);
      return undefined;
    },
  });
}

/** Runs a render; a full print queue becomes 503 with Retry-After. */
async function printing<T>(res: Response, render: () => Promise<T>): Promise<T> {
  try {
    return await render();
  } catch (error) {
    if (!(error instanceof PrinterBusyError)) throw error;
    res.setHeader('Retry-After', '5');
    throw new HttpProblem(503, 'printer-busy', error.message);
  }
}

function send(res: Response, document: RenderedDocument, fileName: string): void {
  res.setHeader('Content-Type', document.contentType);
  res.setHeader('Content-Disposition', `${document.format === 'pdf' || document.format === 'csv' ? 'attachment' : 'inline'}; filename="${fileName}"`);
  res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.status(200).send(document.body);
}
