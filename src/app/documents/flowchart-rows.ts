/**
 * The table of an SOP flowchart before it is cut into pages: its columns (No, Kegiatan, one lane
 * per pelaksana in order, the three mutu baku columns, Keterangan) and one row per step with the
 * wrapped text of each cell and the height that text and the row's symbol need.
 */
import type { SopDefinition, SopStep } from '../../engine/index.js';
import type { SymbolKind, TableColumn, TableRow } from './flowchart-geometry.js';
import { LANE_MARGIN } from './flowchart-routing.js';
import { wrapText, type TextStyle } from './text-metrics.js';

export const BODY_TEXT: TextStyle = { size: 11 };
export const HEADER_TEXT: TextStyle = { size: 11, bold: true };
export const LINE_HEIGHT = 13;
export const CELL_PADDING = 5;
/** Room above and below a symbol for arrows to turn and for ya/tidak labels. */
const SYMBOL_CLEARANCE = 16;
const TABLE_WIDTH = 1040;
const FIXED = { number: 30, requirements: 122, time: 58, output: 86, note: 92 };
const MIN_ACTIVITY = 220;

export function tableColumns(definition: SopDefinition): TableColumn[] {
  const labels = definition.labels;
  const fixed = FIXED.number + FIXED.requirements + FIXED.time + FIXED.output + FIXED.note;
  const laneWidth = Math.max(70, Math.min(150, (TABLE_WIDTH - fixed - MIN_ACTIVITY) / definition.roles.length));
  const activity = Math.max(MIN_ACTIVITY, TABLE_WIDTH - fixed - laneWidth * definition.roles.length);
  const columns: TableColumn[] = [];
  let x = 0;
  const add = (column: Omit<TableColumn, 'x'>) => {
    columns.push({ ...column, x });
    x += column.width;
  };
  add({ key: 'number', width: FIXED.number, title: labels.number });
  add({ key: 'activity', width: activity, title: labels.activity });
  for (const role of definition.roles) add({ key: 'lane', width: laneWidth, role: role.id, title: role.title });
  add({ key: 'requirements', width: FIXED.requirements, title: labels.requirements });
  add({ key: 'time', width: FIXED.time, title: labels.time });
  add({ key: 'output', width: FIXED.output, title: labels.output });
  add({ key: 'note', width: FIXED.note, title: labels.note });
  return columns;
}

/** The symbol a step is drawn with: Permenpan draws the first and the last kegiatan of a flow as terminators. */
export function symbolOf(step: SopStep, firstOfFlow: boolean): SymbolKind | null {
  switch (step.kind) {
    case 'end': return 'terminator';
    case 'task': return firstOfFlow || step.next === null ? 'terminator' : 'process';
    case 'decision': case 'loop': case 'approval': return 'decision';
    case 'procedure': return 'connector';
    // A periodic duty runs beside the flow: a process box with no arrows, its interval in the keterangan.
    case 'duty': return 'process';
    case 'rule': return null;
  }
}

export function symbolSize(kind: SymbolKind, laneWidth: number): { width: number; height: number } {
  const room = laneWidth - 2 * LANE_MARGIN;
  switch (kind) {
    case 'process': return { width: Math.min(84, room), height: 30 };
    case 'terminator': return { width: Math.min(84, room), height: 26 };
    case 'decision': return { width: Math.min(64, room), height: 40 };
    case 'connector': return { width: 24, height: 26 };
  }
}

/** Kelengkapan as printed: the items of a group in one line of text each; alternatives as "salah satu: a / b". */
export function requirementText(step: SopStep): string[] {
  if (step.requirementGroups.length === 0) return step.requirements.length > 0 ? [step.requirements.join(', ')] : [];
  const allOf = step.requirementGroups.filter((g) => g.kind === 'all-of').flatMap((g) => g.items);
  const oneOf = step.requirementGroups.filter((g) => g.kind === 'one-of').map((g) => `salah satu: ${g.items.join(' / ')}`);
  return [...(allOf.length > 0 ? [allOf.join(', ')] : []), ...oneOf];
}

function wrapCell(texts: string[], width: number): string[] {
  return texts.flatMap((text) => wrapText(text, width - 2 * CELL_PADDING, BODY_TEXT));
}

/** One table row for `step`, placed at y = 0; `number` is the No to print (empty when the row continues the one above). */
export function stepRow(step: SopStep, columns: TableColumn[], number: string, symbol: SymbolKind | null): TableRow {
  const width = (key: TableColumn['key']) => columns.find((c) => c.key === key)!.width;
  const cells = {
    activity: wrapCell([step.activity], width('activity')),
    requirements: wrapCell(requirementText(step), width('requirements')),
    time: wrapCell(step.time ? [step.time] : [], width('time')),
    output: wrapCell(step.output ? [step.output.name] : [], width('output')),
    note: wrapCell([...(step.note ? [step.note] : []), ...(step.kind === 'duty' ? [`setiap ${step.every}`] : [])], width('note')),
  };
  const lines = Math.max(1, ...Object.values(cells).map((c) => c.length), number ? 1 : 0);
  const laneWidth = columns.find((c) => c.key === 'lane')?.width ?? 100;
  const symbolHeight = symbol ? symbolSize(symbol, laneWidth).height + 2 * SYMBOL_CLEARANCE : 0;
  return { kind: 'step', stepId: step.id, y: 0, height: Math.max(lines * LINE_HEIGHT + 2 * CELL_PADDING, symbolHeight), number, cells };
}

export const BAND_HEIGHT = 42;

/** A band for off-page connectors, `levels` slots deep. */
export function emptyBand(levels = 1): TableRow {
  return { kind: 'band', y: 0, height: BAND_HEIGHT * levels, number: '', cells: { activity: [], requirements: [], time: [], output: [], note: [] } };
}

/** The two header rows: group headings, then the lane titles and the mutu baku sub-headings, wrapped. */
export function headerLayout(columns: TableColumn[]): { groupHeight: number; height: number; laneTitles: string[][] } {
  const wrapped = columns.filter((c) => c.key === 'lane' || c.key === 'requirements' || c.key === 'time' || c.key === 'output')
    .map((c) => wrapText(c.title, c.width - 2 * CELL_PADDING, HEADER_TEXT));
  const groupHeight = LINE_HEIGHT + 2 * CELL_PADDING;
  const subLines = Math.max(1, ...wrapped.map((w) => w.length));
  return { groupHeight, height: groupHeight + subLines * LINE_HEIGHT + 2 * CELL_PADDING, laneTitles: columns.filter((c) => c.key === 'lane').map((c) => wrapText(c.title, c.width - 2 * CELL_PADDING, HEADER_TEXT)) };
}
