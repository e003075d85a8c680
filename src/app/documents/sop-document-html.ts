/**
 * The whole SOP document as one HTML page: the identity page, then the flowchart table's pages, each
 * an embedded SVG. Laid out for A4 landscape: on screen as sheets, in print (and in the PDF Chromium
 * makes of it) one sheet per page, numbered in the page margin. Self-contained: the font is inlined,
 * nothing is fetched, so it works on a LAN with no internet.
 */
import type { SopDefinition } from '../../engine/index.js';
import { layoutFlowchart } from './flowchart-layout.js';
import type { FlowchartLayout } from './flowchart-geometry.js';
import { flowPageSvg } from './flowchart-svg.js';
import { identityHtml } from './identity-html.js';
import { escapeXml as esc, FONT_FAMILY } from './markup.js';

export interface DocumentHtmlOptions {
  /** @font-face rules of the bundled font (see src/adapters/documents/bundled-font.ts). */
  fontCss?: string;
  /** Printed in the page footer beside the page number, e.g. "revisi 3". */
  revisionNote?: string;
}

/** A CSS string literal (for `content:` in the page margin). */
function cssString(text: string): string {
  // `<` and `>` as CSS escapes: inside <style>, a "</style>" in an SOP title must stay text.
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/</g, '\\3C ').replace(/>/g, '\\3E ').replace(/\s+/g, ' ')}"`;
}

export function sopDocumentHtml(definition: SopDefinition, options: DocumentHtmlOptions = {}, layout: FlowchartLayout = layoutFlowchart(definition)): string {
  const identity = definition.identity;
  const footer = [identity.number ? `SOP ${identity.number}` : 'SOP', identity.title, options.revisionNote].filter(Boolean).join(' · ');
  const pages = layout.pages.map((page, i) => `<section class="sheet flow" data-part="flowchart" data-page="${i + 1}">${flowPageSvg(layout, page, i)}</section>`);
  return `<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Alur">
<title>${esc(`SOP ${identity.title}${identity.number ? ` (${identity.number})` : ''}`)}</title>
<style>
${options.fontCss ?? ''}
@page {
  size: A4 landscape;
  margin: 10mm 10mm 12mm 10mm;
  @bottom-left { content: ${cssString(footer)}; font: 8pt ${FONT_FAMILY}; color: #444; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 8pt ${FONT_FAMILY}; color: #444; }
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${FONT_FAMILY}; font-size: 10pt; color: #000; background: #e8e8e8; }
.sheet { width: 297mm; min-height: 210mm; margin: 8mm auto; padding: 10mm 10mm 12mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.sheet + .sheet { break-before: page; }
.flow svg { display: block; width: 100%; height: auto; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
.identity th { width: 17%; }
.identity .issuer { text-align: center; vertical-align: middle; }
.identity .emblem { width: 16mm; height: 16mm; margin: 0 auto 3mm; border: 1px dashed #999; border-radius: 50%; }
.identity .body-name { font-weight: bold; font-size: 12pt; }
.identity .unit-name { font-size: 10.5pt; margin-top: 1mm; }
.identity .signature { height: 15mm; }
.identity .name { font-weight: bold; text-decoration: underline; }
.identity .sop-title { font-weight: bold; }
.identity-lists { margin-top: 3mm; }
.identity, .identity-lists { font-size: 9pt; }
tr { break-inside: avoid; }
.identity-lists td { height: 9mm; }
.identity-lists th { text-align: center; }
ol { margin: 0; padding-left: 5mm; }
p { margin: 0 0 2mm; }
@media print {
  body { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
</style>
</head>
<body>
<section class="sheet identity-page" data-part="identity-page">
${identityHtml(identity)}
</section>
${pages.join('\n')}
</body>
</html>
`;
}
