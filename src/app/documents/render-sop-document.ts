/**
 * The official document of an SOP in the format asked for: `svg` (the flowchart table, every page
 * stacked in one drawing), `html` (identity page and flowchart pages, self-contained) or `pdf` (that
 * HTML printed by headless Chromium, A4 landscape, numbered pages). One YAML, one document, for the
 * CLI (`alur render`) and the API (`GET /sops/{id}/document`) alike.
 */
import { bundledFontCss } from '../../adapters/documents/bundled-font.js';
import { createPdfPrinter, type PdfPrinter } from '../../adapters/documents/print-pdf.js';
import type { SopDefinition } from '../../engine/index.js';
import { beritaAcaraHtml, type BeritaAcara } from './berita-acara-html.js';
import { caseReportHtml, type CaseReport } from './case-report-html.js';
import { layoutFlowchart } from './flowchart-layout.js';
import { monitoringCsv, monitoringHtml, type MonitoringForm } from './monitoring-form.js';
import { flowchartSvg } from './flowchart-svg.js';
import { sopDocumentHtml } from './sop-document-html.js';

export const DOCUMENT_FORMATS = ['html', 'pdf', 'svg'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const MONITORING_FORMATS = ['html', 'pdf', 'csv'] as const;
export type MonitoringFormat = (typeof MONITORING_FORMATS)[number];

export interface RenderedDocument {
  format: DocumentFormat | MonitoringFormat;
  contentType: string;
  /** A file name for it: `<sop-id>-v<version>.<format>`. */
  fileName: string;
  body: Buffer;
}

export interface DocumentRenderer {
  render(definition: SopDefinition, format: DocumentFormat, options?: { revisionNote?: string }): Promise<RenderedDocument>;
  /** The monitoring form (Monitoring Pelaksanaan SOP AP) as a printable page, its PDF, or CSV. */
  renderMonitoring(form: MonitoringForm, format: MonitoringFormat): Promise<RenderedDocument>;
  /** The report of one case (for its evidence export) as a printable page or its PDF. */
  renderCaseReport(report: CaseReport, format: CaseReportFormat): Promise<RenderedDocument>;
  /** A berita acara of a case's step as a printable page or its PDF. */
  renderBeritaAcara(document: BeritaAcara, format: CaseReportFormat): Promise<RenderedDocument>;
}

export const CASE_REPORT_FORMATS = ['html', 'pdf'] as const;
export type CaseReportFormat = (typeof CASE_REPORT_FORMATS)[number];

const CONTENT_TYPES: Record<DocumentFormat | MonitoringFormat, string> = {
  html: 'text/html; charset=utf-8', pdf: 'application/pdf', svg: 'image/svg+xml; charset=utf-8', csv: 'text/csv; charset=utf-8',
};

export function createDocumentRenderer(options: { chromiumPath?: string; printer?: PdfPrinter } = {}): DocumentRenderer {
  const printer = options.printer ?? createPdfPrinter(options.chromiumPath ? { chromiumPath: options.chromiumPath } : {});
  return {
    async render(definition, format, renderOptions = {}) {
      const fontCss = await bundledFontCss();
      const layout = layoutFlowchart(definition);
      const html = () => sopDocumentHtml(definition, { fontCss, ...renderOptions }, layout);
      let body: Buffer;
      switch (format) {
        case 'svg': body = Buffer.from(flowchartSvg(layout, { fontCss })); break;
        case 'html': body = Buffer.from(html()); break;
        case 'pdf': body = await printer.print(html()); break;
      }
      return { format, contentType: CONTENT_TYPES[format], fileName: `${definition.id}-v${definition.version}.${format}`, body };
    },
    async renderMonitoring(form, format) {
      let body: Buffer;
      switch (format) {
        case 'csv': body = Buffer.from(monitoringCsv(form)); break;
        case 'html': body = Buffer.from(monitoringHtml(form, { fontCss: await bundledFontCss() })); break;
        case 'pdf': body = await printer.print(monitoringHtml(form, { fontCss: await bundledFontCss() })); break;
      }
      return { format, contentType: CONTENT_TYPES[format], fileName: `monitoring-${form.sopId}-r${form.revision}.${format}`, body };
    },
    async renderCaseReport(report, format) {
      const html = caseReportHtml(report, { fontCss: await bundledFontCss() });
      const body = format === 'pdf' ? await printer.print(html) : Buffer.from(html);
      return { format, contentType: CONTENT_TYPES[format], fileName: `report.${format}`, body };
    },
    async renderBeritaAcara(document, format) {
      const html = beritaAcaraHtml(document, { fontCss: await bundledFontCss() });
      const body = format === 'pdf' ? await printer.print(html) : Buffer.from(html);
      return { format, contentType: CONTENT_TYPES[format], fileName: `${document.template}-${document.stepId}-${document.caseId.slice(0, 8)}.${format}`, body };
    },
  };
}

export { PrinterBusyError } from '../../adapters/documents/print-pdf.js';
