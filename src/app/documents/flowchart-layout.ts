/**
 * Lays out the flowchart table of an SOP as Permenpan RB 35/2012 prints it: the main table, then one
 * chart per on-demand procedure, each cut into A4-landscape pages. Every step is a row in document
 * order; its symbol sits in its pelaksana's lane; arrows are routed on the table's grid
 * (flowchart-routing.ts). An arrow whose ends fall on different pages is drawn as a pair of numbered
 * off-page connectors. Pure: the same definition always gives the same geometry.
 */
import { formatDuration, happyPath, isFlowStep, stepIndex, successors, type SopDefinition, type SopStep } from '../../engine/index.js';
import { type Arrow, type FlowchartLayout, type FlowPage, type PlacedSymbol, type SymbolKind, type TableColumn, type TableRow } from './flowchart-geometry.js';
import { GridRouter, LANE_MARGIN, type Lane } from './flowchart-routing.js';
import { BAND_HEIGHT, emptyBand, CELL_PADDING, headerLayout, LINE_HEIGHT, stepRow, symbolOf, symbolSize, tableColumns } from './flowchart-rows.js';
import { wrapText } from './text-metrics.js';

/** Height of the drawing on one A4-landscape page (297 × 210 mm less the print margins), in CSS pixels. */
export const PAGE_HEIGHT = 690;
const CAPTION_LINE = 16;
/** Distance between two off-page connectors side by side in one lane of a band. */
const CONNECTOR_SLOT = 28;
const BRANCH_LABELS: Record<string, Record<string, string>> = { loop: { repeat: 'ya', exit: 'tidak' }, approval: { approved: 'ya', refused: 'tidak' } };

interface Flow {
  steps: SopStep[];
  /** For a procedure's chart: its letter, caption and the step the entry connector leads to. */
  entry?: { letter: string; caption: string; first: string };
  footer?: { label: string; total: string };
}

export function layoutFlowchart(definition: SopDefinition): FlowchartLayout {
  const columns = tableColumns(definition);
  const flows: Flow[] = [{ steps: definition.steps.filter((s) => s.procedure === undefined), footer: { label: `Jumlah ${definition.labels.time}`, total: totalTime(definition) } }];
  const letters = procedureLetters(definition);
  const byId = stepIndex(definition);
  for (const step of definition.steps) {
    if (step.kind !== 'procedure') continue;
    flows.push({
      steps: step.steps.map((id) => byId.get(id)!),
      entry: { letter: letters.get(step.id)!, caption: `Bagan ${letters.get(step.id)!} (${step.row}): ${step.activity.replace(/\s+/g, ' ')}`, first: step.steps[0]! },
    });
  }
  const pages = flows.flatMap((flow) => layoutFlow(definition, flow, columns, letters));
  return { columns, labels: { ...definition.labels }, pages };
}

/** A, B, C… for the on-demand procedures, in document order: the letter on their off-page connectors. */
export function procedureLetters(definition: SopDefinition): Map<string, string> {
  const ids = definition.steps.filter((s) => s.kind === 'procedure').map((s) => s.id);
  return new Map(ids.map((id, i) => [id, String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '')]));
}

/** The declared jumlah waktu, or the sum of the happy path's waktu. */
export function totalTime(definition: SopDefinition): string {
  if (definition.totalTime) return definition.totalTime;
  const ms = happyPath(definition, definition.start).reduce((sum, step) => sum + (step.budgetMs ?? 0), 0);
  return formatDuration(ms);
}

/** Most levels a band gets: at most 4 × (slots per lane × lanes) arrows cross one page break. */
const MAX_BAND_LEVELS = 4;

function layoutFlow(definition: SopDefinition, flow: Flow, columns: TableColumn[], letters: Map<string, string>, bandLevels = 1, firstTopBand = false): FlowPage[] {
  const bandRow = () => emptyBand(bandLevels);
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const header = headerLayout(columns);
  const caption = flow.entry ? wrapText(flow.entry.caption, width, { size: 12, bold: true }) : undefined;
  const captionHeight = caption ? caption.length * CAPTION_LINE + 6 : 0;
  const firstId = flow.entry?.first ?? definition.start;

  const rows: TableRow[] = [];
  let highest = 0;
  flow.steps.forEach((step, i) => {
    let number = '';
    if (flow.entry) number = `${step.row}.${i + 1}`;
    else if (step.row > highest) number = String(step.row);
    highest = Math.max(highest, step.row);
    rows.push(stepRow(step, columns, number, symbolOf(step, step.id === firstId)));
  });

  const footerHeight = flow.footer ? LINE_HEIGHT + 2 * CELL_PADDING : 0;
  const room = PAGE_HEIGHT - captionHeight - header.height;
  const entryBand = flow.entry ? bandRow().height : 0;
  const sum = rows.reduce((s, r) => s + r.height, 0);
  const pageRows: TableRow[][] = [];
  const multiPage = sum + entryBand + footerHeight > room;
  if (!multiPage) pageRows.push(rows);
  else {
    const band = bandRow().height;
    let current: TableRow[] = [];
    let used = 0;
    // The first page has a top band only for a procedure's entry or an arrow coming back to it from a later page.
    const capacityOf = (index: number) => room - band - (index > 0 || flow.entry || firstTopBand ? band : 0);
    for (const row of rows) {
      const capacity = capacityOf(pageRows.length);
      if (current.length > 0 && used + row.height > capacity) {
        pageRows.push(current);
        current = [];
        used = 0;
      }
      current.push(row);
      used += row.height;
    }
    const lastCapacity = capacityOf(pageRows.length);
    if (used + footerHeight > lastCapacity && current.length > 1) {
      pageRows.push(current.slice(0, -1));
      current = current.slice(-1);
    }
    pageRows.push(current);
  }

  const pages = pageRows.map((list, index): FlowPage => {
    const ordered: TableRow[] = [];
    if (index > 0 || flow.entry || (multiPage && firstTopBand)) ordered.push(bandRow());
    ordered.push(...list.map((r) => ({ ...r })));
    if (multiPage) ordered.push(bandRow());
    let y = (index === 0 ? captionHeight : 0) + header.height;
    const headerY = index === 0 ? captionHeight : 0;
    for (const row of ordered) {
      row.y = y;
      y += row.height;
    }
    const last = index === pageRows.length - 1;
    const footer = last && flow.footer ? { y, height: footerHeight, ...flow.footer } : undefined;
    if (footer) y += footerHeight;
    return {
      width, height: y, ...(index === 0 && caption ? { caption } : {}),
      header: { y: headerY, ...header }, rows: ordered, symbols: [], arrows: [], ...(footer ? { footer } : {}),
    };
  });
  // Where arrows cross page breaks is known only now: when a band is too full, lay out again with deeper bands.
  const placed = placeAndRoute(definition, flow, pages, columns, letters);
  if (placed.needsFirstTopBand && !firstTopBand) return layoutFlow(definition, flow, columns, letters, bandLevels, true);
  if (!placed.fits && bandLevels < MAX_BAND_LEVELS) return layoutFlow(definition, flow, columns, letters, bandLevels + 1, firstTopBand);
  dropEmptyEdgeBands(pages, flow.entry !== undefined);
  return pages;
}

/**
 * Bands are reserved on every page of a chart that spans several, because where arrows cross a
 * page break is known only once the rows are placed; the first page's top band (a loop back to it)
 * and the last page's bottom band (a loop back from it) are dropped again when nothing uses them.
 */
function dropEmptyEdgeBands(pages: FlowPage[], entry: boolean): void {
  if (pages.length < 2) return;
  const first = pages[0]!, last = pages[pages.length - 1]!;
  if (!entry) dropBandIfEmpty(first, first.rows[0]!);
  dropBandIfEmpty(last, last.rows[last.rows.length - 1]!);
}

function dropBandIfEmpty(page: FlowPage, band: TableRow): void {
  const inside = (y: number) => y >= band.y && y < band.y + band.height;
  if (band.kind !== 'band' || page.symbols.some((s) => inside(s.box.y))) return;
  const below = band.y + band.height;
  const up = (y: number) => (y >= below ? y - band.height : y);
  page.rows = page.rows.filter((r) => r !== band).map((r) => ({ ...r, y: up(r.y) }));
  page.symbols = page.symbols.map((s) => ({ ...s, box: { ...s.box, y: up(s.box.y) } }));
  page.arrows = page.arrows.map((a) => ({ ...a, points: a.points.map((p) => ({ x: p.x, y: up(p.y) })) }));
  if (page.footer) page.footer = { ...page.footer, y: up(page.footer.y) };
  page.height -= band.height;
}

/**
 * Places the symbols and routes the arrows. `fits` is false when a band had no free slot for an
 * off-page connector; `needsFirstTopBand` when an arrow comes back to the first page, which has no top band.
 */
function placeAndRoute(definition: SopDefinition, flow: Flow, pages: FlowPage[], columns: TableColumn[], letters: Map<string, string>): { fits: boolean; needsFirstTopBand: boolean } {
  let overflow = false;
  let needsFirstTopBand = false;
  const lanes = new Map<string, Lane>(columns.filter((c) => c.key === 'lane').map((c) => [c.role!, { x: c.x, width: c.width }]));
  const laneWidth = [...lanes.values()][0]?.width ?? 100;
  const byId = stepIndex(definition);
  const inFlow = new Set(flow.steps.map((s) => s.id));
  const pageOf = new Map<string, number>();
  const primary = new Map<string, PlacedSymbol>();
  const firstId = flow.entry?.first ?? definition.start;

  const place = (page: FlowPage, row: TableRow, id: string, kind: SymbolKind, role: string, extra: Partial<PlacedSymbol> = {}, dx = 0, level?: number): PlacedSymbol => {
    const lane = lanes.get(role)!;
    const size = symbolSize(kind, laneWidth);
    const top = level === undefined ? row.y + (row.height - size.height) / 2 : row.y + level * BAND_HEIGHT + (BAND_HEIGHT - size.height) / 2;
    const symbol: PlacedSymbol = { id, kind, role, box: { x: lane.x + (lane.width - size.width) / 2 + dx, y: top, width: size.width, height: size.height }, ...extra };
    page.symbols.push(symbol);
    return symbol;
  };

  pages.forEach((page, p) => {
    for (const row of page.rows) {
      if (row.kind !== 'step') continue;
      const step = byId.get(row.stepId!)!;
      pageOf.set(step.id, p);
      const kind = symbolOf(step, step.id === firstId);
      if (!kind) continue;
      const roles = step.roles.length > 0 ? step.roles : [endLane(definition, step, flow.steps)];
      const extra = kind === 'connector' ? { label: letters.get(step.id)! } : {};
      roles.forEach((role, i) => {
        const symbol = place(page, row, i === 0 ? step.id : `${step.id}@${role}`, kind, role, { stepId: step.id, ...extra });
        if (i === 0) primary.set(step.id, symbol);
      });
    }
  });

  const edges: Array<{ from: string; to: string; label?: string }> = [];
  if (flow.entry) edges.push({ from: `entry:${flow.entry.letter}`, to: flow.entry.first });
  for (const step of flow.steps) {
    if (!isFlowStep(step)) continue;
    for (const edge of successors(step)) {
      if (edge.target === null || !inFlow.has(edge.target)) continue;
      const label = edge.label === null ? undefined : (BRANCH_LABELS[step.kind]?.[edge.label] ?? edge.label);
      edges.push({ from: step.id, to: edge.target, ...(label ? { label } : {}) });
    }
  }

  // Connectors first (they are symbols the router must avoid), then one router per page.
  const bandConnectors = new Map<string, PlacedSymbol>();
  const numbers = new Map<string, string>();
  const connector = (p: number, band: 'top' | 'bottom', target: string, preferredRole: string, label: string): PlacedSymbol => {
    const key = `${p}:${band}:${target}`;
    const existing = bandConnectors.get(key);
    if (existing) return existing;
    const page = pages[p]!;
    const row = band === 'top' ? page.rows[0]! : page.rows[page.rows.length - 1]!;
    if (row.kind !== 'band') needsFirstTopBand = true;
    // A free slot in the band: the source's (or target's) own lane first, centred, then beside the
    // centre, then the nearest other lanes; slots stay out of the lane margins where channels run.
    const inBand = page.symbols.filter((s) => s.box.y >= row.y && s.box.y < row.y + row.height);
    const order = [...lanes.keys()].sort((a, b) => Math.abs(lanes.get(a)!.x - lanes.get(preferredRole)!.x) - Math.abs(lanes.get(b)!.x - lanes.get(preferredRole)!.x));
    const size = symbolSize('connector', laneWidth);
    const reach = (laneWidth - 2 * LANE_MARGIN - size.width) / 2;
    const offsets = [0];
    for (let d = CONNECTOR_SLOT; d <= reach; d += CONNECTOR_SLOT) offsets.push(-d, d);
    // A band with several levels (many arrows crossing one page break) staggers them by half a slot.
    const slots = Array.from({ length: row.height / BAND_HEIGHT }, (_, level) => level)
      .flatMap((level) => order.flatMap((role) => offsets.map((dx) => ({ role, dx: dx + (level % 2 ? CONNECTOR_SLOT / 2 : 0), level }))))
      .filter(({ dx }) => Math.abs(dx) <= Math.max(reach, 0));
    const free = slots.find(({ role, dx, level }) => {
      const x = lanes.get(role)!.x + (laneWidth - size.width) / 2 + dx;
      const y = row.y + level * BAND_HEIGHT;
      return !inBand.some((s) => s.box.x < x + size.width + 2 && x < s.box.x + s.box.width + 2 && s.box.y < y + BAND_HEIGHT && y < s.box.y + s.box.height);
    });
    if (!free) overflow = true;
    const slot = free ?? { role: preferredRole, dx: 0, level: 0 };
    const symbol = place(page, row, `conn:${band}:${target}:${slot.role}`, 'connector', slot.role, { label }, slot.dx, slot.level);
    bandConnectors.set(key, symbol);
    return symbol;
  };

  const perPage: Array<Array<{ from: PlacedSymbol; to: PlacedSymbol; label?: string }>> = pages.map(() => []);
  for (const edge of edges) {
    const to = primary.get(edge.to)!;
    const tp = pageOf.get(edge.to)!;
    if (edge.from.startsWith('entry:')) {
      const entry = place(pages[0]!, pages[0]!.rows[0]!, edge.from, 'connector', to.role, { label: flow.entry!.letter });
      perPage[0]!.push({ from: entry, to });
      continue;
    }
    const from = primary.get(edge.from)!;
    const sp = pageOf.get(edge.from)!;
    if (sp === tp) {
      perPage[sp]!.push({ from, to, ...(edge.label ? { label: edge.label } : {}) });
      continue;
    }
    if (!numbers.has(edge.to)) numbers.set(edge.to, String(numbers.size + 1));
    const number = numbers.get(edge.to)!;
    const out = connector(sp, 'bottom', edge.to, from.role, number);
    const into = connector(tp, 'top', edge.to, to.role, number);
    perPage[sp]!.push({ from, to: out, ...(edge.label ? { label: edge.label } : {}) });
    if (!perPage[tp]!.some((e) => e.from === into)) perPage[tp]!.push({ from: into, to });
  }

  pages.forEach((page, p) => {
    const router = new GridRouter(page.symbols, lanes);
    const arrows: Arrow[] = [];
    for (const step of flow.steps) {
      if (step.roles.length < 2 || pageOf.get(step.id) !== p) continue;
      const symbols = page.symbols.filter((s) => s.stepId === step.id).sort((a, b) => a.box.x - b.box.x);
      for (let i = 1; i < symbols.length; i++) arrows.push(router.link(symbols[i - 1]!, symbols[i]!, step.by === 'any' ? 'either' : 'together'));
    }
    for (const edge of perPage[p]!) arrows.push(router.route(edge.from, edge.to, edge.label));
    page.arrows = arrows;
  });
  return { fits: !overflow, needsFirstTopBand };
}

/** An end row names no pelaksana: it is drawn in the lane of the first step that leads to it. */
function endLane(definition: SopDefinition, step: SopStep, steps: SopStep[]): string {
  const before = steps.find((s) => isFlowStep(s) && successors(s).some((e) => e.target === step.id));
  return before?.role ?? definition.roles[0]!.id;
}

