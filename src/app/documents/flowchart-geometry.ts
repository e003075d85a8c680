/**
 * The geometry of a laid-out SOP flowchart table: what the SVG draws and what the structural tests
 * check. Coordinates are CSS pixels (96 per inch) inside one page's drawing, y growing downwards.
 */

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The five Permenpan symbols, less the arrow (which is an `Arrow`). */
export type SymbolKind = 'terminator' | 'process' | 'decision' | 'connector';

export type Port = 'top' | 'bottom' | 'left' | 'right';

export interface PlacedSymbol {
  /** Unique on its page: the step id, `step@role` for a row's other pelaksana, `conn:…` for a connector. */
  id: string;
  kind: SymbolKind;
  /** The step the symbol stands for; absent for a page-break connector. */
  stepId?: string;
  /** The lane (pelaksana) it is drawn in. */
  role: string;
  box: Box;
  /** Text inside the symbol (connectors only: their number or letter). */
  label?: string;
}

export interface Arrow {
  from: string;
  to: string;
  /** Branch label printed at the start of the arrow: ya / tidak. */
  label?: string;
  /** An orthogonal polyline: every segment is horizontal or vertical; the last point touches `to`. */
  points: Point[];
  /** `flow` ends in an arrowhead; `together` joins the lanes of a row that several pelaksana do (dashed when any one of them may). */
  kind: 'flow' | 'together' | 'either';
}

export type ColumnKey = 'number' | 'activity' | 'lane' | 'requirements' | 'time' | 'output' | 'note';

export interface TableColumn {
  key: ColumnKey;
  x: number;
  width: number;
  /** For a lane: the pelaksana's role id. */
  role?: string;
  title: string;
}

export interface TableRow {
  /** `step`: a row of the SOP; `band`: a strip that holds only off-page connectors (page breaks, a procedure's entry). */
  kind: 'step' | 'band';
  stepId?: string;
  y: number;
  height: number;
  /** The printed No (empty when the row continues the one above). */
  number: string;
  cells: Record<'activity' | 'requirements' | 'time' | 'output' | 'note', string[]>;
}

export interface FlowPage {
  width: number;
  height: number;
  /** Above the table: the name of an on-demand procedure's chart; absent for the main table. */
  caption?: string[];
  header: { y: number; groupHeight: number; height: number; laneTitles: string[][] };
  rows: TableRow[];
  symbols: PlacedSymbol[];
  arrows: Arrow[];
  /** The jumlah waktu row, on the last page of the main table. */
  footer?: { y: number; height: number; label: string; total: string };
}

export interface FlowchartLayout {
  columns: TableColumn[];
  /** Group headings (No, Kegiatan, Pelaksana, Mutu Baku, Keterangan) and the sub-headings, as the SOP labels them. */
  labels: { number: string; activity: string; roles: string; qualityStandard: string; requirements: string; time: string; output: string; note: string };
  pages: FlowPage[];
}

export function center(box: Box): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

export function portPoint(box: Box, port: Port): Point {
  const c = center(box);
  switch (port) {
    case 'top': return { x: c.x, y: box.y };
    case 'bottom': return { x: c.x, y: box.y + box.height };
    case 'left': return { x: box.x, y: c.y };
    case 'right': return { x: box.x + box.width, y: c.y };
  }
}

/** Whether the axis-parallel segment a–b passes through the inside of `box` (touching its edge does not count). */
export function segmentCrossesBox(a: Point, b: Point, box: Box): boolean {
  const minX = Math.min(a.x, b.x), maxX = Math.max(a.x, b.x), minY = Math.min(a.y, b.y), maxY = Math.max(a.y, b.y);
  const epsilon = 0.5;
  return maxX > box.x + epsilon && minX < box.x + box.width - epsilon && maxY > box.y + epsilon && minY < box.y + box.height - epsilon;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
