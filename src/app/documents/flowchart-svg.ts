/**
 * Draws a laid-out flowchart table as SVG: the single drawing that the HTML document embeds and
 * Chromium prints. Every element carries data attributes (step, kind, role, from, to) so the
 * drawing can be checked structurally, not only looked at.
 */
import { center, type Arrow, type FlowchartLayout, type FlowPage, type PlacedSymbol, type TableColumn, type TableRow } from './flowchart-geometry.js';
import { BODY_TEXT, CELL_PADDING, LINE_HEIGHT } from './flowchart-rows.js';
import { escapeXml, FONT_FAMILY, n } from './markup.js';

const PAGE_GAP = 24;

export interface SvgOptions {
  /** CSS with @font-face rules for the bundled font, so a standalone SVG looks as printed. */
  fontCss?: string;
}

/** One page of the table as an `<svg>` element. */
export function flowPageSvg(layout: FlowchartLayout, page: FlowPage, index: number, options: SvgOptions = {}): string {
  const parts: string[] = [];
  // One pixel around the table, so the strokes of its outer border are not cut in half.
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="sop-flowchart-page" data-page="${index + 1}" width="${n(page.width + 2)}" height="${n(page.height + 2)}" viewBox="-1 -1 ${n(page.width + 2)} ${n(page.height + 2)}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${BODY_TEXT.size}">`);
  parts.push(`<defs>${options.fontCss ? `<style>${options.fontCss}</style>` : ''}<marker id="arrowhead-${index}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#000"/></marker></defs>`);
  parts.push(`<rect width="${n(page.width)}" height="${n(page.height)}" fill="#fff"/>`);
  if (page.caption) {
    parts.push(`<text class="caption" font-weight="bold" font-size="12">${page.caption.map((line, i) => `<tspan x="0" y="${n(12 + i * 16)}">${escapeXml(line)}</tspan>`).join('')}</text>`);
  }
  parts.push(headerSvg(layout, page));
  for (const row of page.rows) parts.push(rowSvg(layout.columns, row));
  if (page.footer) parts.push(footerSvg(layout.columns, page.footer));
  parts.push(`<g class="symbols" fill="#fff" stroke="#000" stroke-width="1.2">${page.symbols.map(symbolSvg).join('')}</g>`);
  parts.push(`<g class="arrows" fill="none" stroke="#000" stroke-width="1">${page.arrows.map((a) => arrowSvg(a, index)).join('')}</g>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Every page of the table stacked in one SVG document (what `alur render --format svg` writes). */
export function flowchartSvg(layout: FlowchartLayout, options: SvgOptions = {}): string {
  const width = Math.max(...layout.pages.map((p) => p.width + 2));
  let y = 0;
  const pages = layout.pages.map((page, i) => {
    const svg = flowPageSvg(layout, page, i).replace('<svg xmlns="http://www.w3.org/2000/svg" ', `<svg x="0" y="${n(y)}" `);
    y += page.height + 2 + PAGE_GAP;
    return svg;
  });
  const height = y - PAGE_GAP;
  const style = options.fontCss ? `<defs><style>${options.fontCss}</style></defs>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" class="sop-flowchart" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}">${style}${pages.join('')}</svg>\n`;
}

/** Lines of a cell, the first baseline one line below `top` plus the padding. */
function lines(textLines: string[], x: number, top: number): string {
  return textLines.map((line, i) => `<tspan x="${n(x)}" y="${n(top + CELL_PADDING + BODY_TEXT.size + i * LINE_HEIGHT - 2)}">${escapeXml(line)}</tspan>`).join('');
}

function cellRect(x: number, y: number, width: number, height: number, fill = 'none'): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" fill="${fill}" stroke="#000" stroke-width="0.8"/>`;
}

function headerSvg(layout: FlowchartLayout, page: FlowPage): string {
  const { columns, labels } = layout;
  const { y, groupHeight, height } = page.header;
  const lanes = columns.filter((c) => c.key === 'lane');
  const mutu = columns.filter((c) => c.key === 'requirements' || c.key === 'time' || c.key === 'output');
  const out: string[] = ['<g class="header" font-weight="bold" text-anchor="middle">'];
  const centered = (text: string[], column: { x: number; width: number }, top: number, h: number) => {
    const textTop = top + (h - text.length * LINE_HEIGHT) / 2 - CELL_PADDING;
    return `<text data-heading="${escapeXml(text.join(' '))}">${lines(text, column.x + column.width / 2, textTop)}</text>`;
  };
  for (const key of ['number', 'activity', 'note'] as const) {
    const column = columns.find((c) => c.key === key)!;
    out.push(cellRect(column.x, y, column.width, height, '#f2f2f2'), centered([column.title], column, y, height));
  }
  const span = (list: TableColumn[], title: string) => {
    const x = list[0]!.x, width = list.reduce((s, c) => s + c.width, 0);
    out.push(cellRect(x, y, width, groupHeight, '#f2f2f2'), centered([title], { x, width }, y, groupHeight));
  };
  if (lanes.length > 0) span(lanes, labels.roles);
  span(mutu, labels.qualityStandard);
  lanes.forEach((lane, i) => out.push(cellRect(lane.x, y + groupHeight, lane.width, height - groupHeight, '#f2f2f2'), centered(page.header.laneTitles[i]!, lane, y + groupHeight, height - groupHeight)));
  for (const column of mutu) out.push(cellRect(column.x, y + groupHeight, column.width, height - groupHeight, '#f2f2f2'), centered([column.title], column, y + groupHeight, height - groupHeight));
  out.push('</g>');
  return out.join('');
}

function rowSvg(columns: TableColumn[], row: TableRow): string {
  const out: string[] = [`<g class="row" data-kind="${row.kind}"${row.stepId ? ` data-step="${escapeXml(row.stepId)}"` : ''} data-y="${n(row.y)}" data-height="${n(row.height)}">`];
  for (const column of columns) {
    out.push(cellRect(column.x, row.y, column.width, row.height));
    if (column.key === 'lane') continue;
    const text = column.key === 'number' ? (row.number ? [row.number] : []) : row.cells[column.key];
    if (text.length === 0) continue;
    const middle = column.key === 'number' || column.key === 'time';
    const x = middle ? column.x + column.width / 2 : column.x + CELL_PADDING;
    out.push(`<text data-col="${column.key}"${middle ? ' text-anchor="middle"' : ''}>${lines(text, x, row.y)}</text>`);
  }
  out.push('</g>');
  return out.join('');
}

function footerSvg(columns: TableColumn[], footer: NonNullable<FlowPage['footer']>): string {
  const time = columns.find((c) => c.key === 'time')!;
  const requirements = columns.find((c) => c.key === 'requirements')!;
  const out = ['<g class="footer" font-weight="bold">'];
  out.push(cellRect(0, footer.y, requirements.x + requirements.width, footer.height));
  out.push(`<text data-col="label" text-anchor="end">${lines([footer.label], requirements.x + requirements.width - CELL_PADDING, footer.y)}</text>`);
  // The total may be longer than the Waktu column ("1 jam 35 menit"): it takes the Output cell too.
  const output = columns.find((c) => c.key === 'output')!;
  out.push(cellRect(time.x, footer.y, time.width + output.width, footer.height));
  out.push(`<text data-col="total">${lines([footer.total], time.x + CELL_PADDING, footer.y)}</text>`);
  const rest = columns.filter((c) => c.x > output.x);
  for (const column of rest) out.push(cellRect(column.x, footer.y, column.width, footer.height));
  out.push('</g>');
  return out.join('');
}

function symbolSvg(symbol: PlacedSymbol): string {
  const { x, y, width, height } = symbol.box;
  const c = center(symbol.box);
  let shape: string;
  switch (symbol.kind) {
    case 'process':
      shape = `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}"/>`;
      break;
    case 'terminator':
      shape = `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" rx="${n(height / 2)}" ry="${n(height / 2)}"/>`;
      break;
    case 'decision':
      shape = `<path d="M${n(c.x)},${n(y)} L${n(x + width)},${n(c.y)} L${n(c.x)},${n(y + height)} L${n(x)},${n(c.y)} z"/>`;
      break;
    case 'connector': {
      // Off-page connector: a square with a pointed bottom (the "home plate" of Permenpan's table of symbols).
      const shoulder = y + height * 0.62;
      shape = `<path d="M${n(x)},${n(y)} L${n(x + width)},${n(y)} L${n(x + width)},${n(shoulder)} L${n(c.x)},${n(y + height)} L${n(x)},${n(shoulder)} z"/>`;
      break;
    }
  }
  const label = symbol.label ? `<text x="${n(c.x)}" y="${n(y + height * 0.5)}" text-anchor="middle" fill="#000" stroke="none" font-size="10" font-weight="bold">${escapeXml(symbol.label)}</text>` : '';
  const data = [`data-id="${escapeXml(symbol.id)}"`, `data-kind="${symbol.kind}"`, `data-role="${escapeXml(symbol.role)}"`, ...(symbol.stepId ? [`data-step="${escapeXml(symbol.stepId)}"`] : []),
    `data-box="${[x, y, width, height].map(n).join(' ')}"`];
  return `<g class="symbol" ${data.join(' ')}>${shape}${label}</g>`;
}

function arrowSvg(arrow: Arrow, page: number): string {
  const d = arrow.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)},${n(p.y)}`).join(' ');
  const style = arrow.kind === 'flow' ? ` marker-end="url(#arrowhead-${page})"` : arrow.kind === 'either' ? ' stroke-dasharray="4 3"' : '';
  const label = arrow.label ? labelSvg(arrow) : '';
  const data = `data-from="${escapeXml(arrow.from)}" data-to="${escapeXml(arrow.to)}" data-kind="${arrow.kind}"${arrow.label ? ` data-label="${escapeXml(arrow.label)}"` : ''}`;
  return `<g class="arrow" ${data}><path d="${d}"${style}/>${label}</g>`;
}

/** The branch label beside the arrow's first segment, just outside the decision. */
function labelSvg(arrow: Arrow): string {
  const [a, b] = arrow.points as [{ x: number; y: number }, { x: number; y: number }];
  let x: number, y: number, anchor: string;
  if (a.x === b.x) {
    x = a.x + 4; y = b.y > a.y ? a.y + 11 : a.y - 4; anchor = 'start';
  } else {
    x = b.x > a.x ? a.x + 3 : a.x - 3; y = a.y - 3; anchor = b.x > a.x ? 'start' : 'end';
  }
  return `<text class="branch-label" x="${n(x)}" y="${n(y)}" text-anchor="${anchor}" fill="#000" stroke="none" font-size="10" font-style="italic">${escapeXml(arrow.label!)}</text>`;
}
