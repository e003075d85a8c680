import type { Alur } from '../../app/alur.js';
import { CASE_REPORT_FORMATS, createDocumentRenderer, DOCUMENT_FORMATS, type CaseReportFormat, type DocumentFormat, type DocumentRenderer } from '../../app/documents/render-sop-document.js';
import { exportCase } from '../../app/case-export/export-case.js';
import { caseStepDocument } from '../../app/case-documents.js';
import { findVisibleCase } from '../../app/case-queries.js';
import { findSopRevision } from '../../app/sop-queries.js';
import type { AlurConfig } from '../../config.js';
import type { RouteRegistry } from '../route-registry.js';
import { slug, uuid } from '../schemas.js';
import { printing, send } from './send-document.js';
import { registerMonitoringRoutes } from './monitoring-routes.js';

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

  registerMonitoringRoutes(routes, alur, renderer);

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
