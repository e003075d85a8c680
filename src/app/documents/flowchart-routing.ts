/**
 * Orthogonal arrows on the grid of the SOP table.
 *
 * Why not a general graph-layout library (elkjs, dagre): those place the nodes themselves, but on
 * the Permenpan table nothing is free to move: every symbol sits in its row (the kegiatan's row)
 * and its column (the pelaksana's lane). What is left is routing arrows between fixed boxes, and on
 * this grid a handful of shapes suffice, tried in the order a person drawing the table would:
 *   1. straight down in the lane;
 *   2. down, then across just above the target (inside the target's row, where no other symbol is),
 *      then down into it;
 *   3. out of the side, across the source's own row, then down into the target;
 *   4. through a channel: out of a side (or the bottom), along a lane's margin, which no symbol
 *      enters, then into the target's side; loops go back up this way, on the left.
 * A shape is taken only when none of its segments passes through another symbol, and each side of a
 * symbol carries either arrows out or arrows in, never both, so branches stay distinguishable.
 * Channel tracks are numbered per lane margin so parallel detours do not run on top of each other.
 */
import { center, portPoint, segmentCrossesBox, type Arrow, type PlacedSymbol, type Point, type Port } from './flowchart-geometry.js';

export interface Lane {
  x: number;
  width: number;
}

/** Gap between a symbol and the lane border, where channels run. */
export const LANE_MARGIN = 22;
const TRACK_START = 5;
const TRACK_STEP = 5;
const ENTRY_GAP = 10;
const BOTTOM_GAP = 8;

interface Candidate {
  out: Port;
  in: Port;
  points: Point[];
  track?: string;
}

export class GridRouter {
  private readonly outPorts = new Map<string, Set<Port>>();
  private readonly inPorts = new Map<string, Set<Port>>();
  private readonly tracks = new Map<string, number>();

  constructor(private readonly symbols: readonly PlacedSymbol[], private readonly lanes: ReadonlyMap<string, Lane>) {}

  /** Joins the symbols of one row that several pelaksana do: a line between neighbours, side to side. */
  link(left: PlacedSymbol, right: PlacedSymbol, kind: 'together' | 'either'): Arrow {
    for (const [symbol, port] of [[left, 'right'], [right, 'left']] as const) {
      this.use(this.outPorts, symbol.id, port);
      this.use(this.inPorts, symbol.id, port);
    }
    return { from: left.id, to: right.id, kind, points: [portPoint(left.box, 'right'), portPoint(right.box, 'left')] };
  }

  route(from: PlacedSymbol, to: PlacedSymbol, label?: string): Arrow {
    // With every port taken (a decision with more branches than sides), share a port rather than draw nothing.
    const candidates = [...this.candidates(from, to, true), ...this.candidates(from, to, false)];
    const chosen = candidates.find((c) => this.isClear(c.points)) ?? candidates[0]!;
    this.use(this.outPorts, from.id, chosen.out);
    this.use(this.inPorts, to.id, chosen.in);
    if (chosen.track) this.tracks.set(chosen.track, (this.tracks.get(chosen.track) ?? 0) + 1);
    return { from: from.id, to: to.id, kind: 'flow', points: simplify(chosen.points), ...(label ? { label } : {}) };
  }

  private candidates(s: PlacedSymbol, t: PlacedSymbol, respectPorts: boolean): Candidate[] {
    const sc = center(s.box), tc = center(t.box);
    const sBottom = s.box.y + s.box.height;
    const list: Candidate[] = [];
    const canOut = (port: Port) => !respectPorts || (!this.has(this.outPorts, s.id, port) && !this.has(this.inPorts, s.id, port));
    const canIn = (port: Port) => !respectPorts || port === 'top' || !this.has(this.outPorts, t.id, port);
    const self = s.id === t.id;
    if (tc.y > sc.y) {
      if (canOut('bottom') && Math.abs(sc.x - tc.x) < 0.5) list.push({ out: 'bottom', in: 'top', points: [portPoint(s.box, 'bottom'), portPoint(t.box, 'top')] });
      const entryY = t.box.y - ENTRY_GAP;
      if (canOut('bottom') && Math.abs(sc.x - tc.x) >= 0.5 && entryY > sBottom + 2) {
        list.push({ out: 'bottom', in: 'top', points: [portPoint(s.box, 'bottom'), { x: sc.x, y: entryY }, { x: tc.x, y: entryY }, portPoint(t.box, 'top')] });
      }
      const side: Port = tc.x > sc.x ? 'right' : 'left';
      if (Math.abs(sc.x - tc.x) >= 0.5 && canOut(side)) list.push({ out: side, in: 'top', points: [portPoint(s.box, side), { x: tc.x, y: sc.y }, portPoint(t.box, 'top')] });
    }
    // Channels: forward edges detour on the right, loops go back up on the left. They enter the
    // target from the side of the channel, or from above when that side is taken (and for a step
    // that repeats itself).
    const order: Port[] = tc.y > sc.y ? ['right', 'left', 'bottom'] : ['left', 'right', 'bottom'];
    for (const out of order) {
      if (!canOut(out)) continue;
      const side: 'left' | 'right' = out === 'bottom' ? (tc.y > sc.y ? 'right' : 'left') : (out as 'left' | 'right');
      const lane = this.outerLane(s, t, side);
      const track = `${lane.key}:${side}`;
      const k = this.tracks.get(track) ?? 0;
      const cx = side === 'right' ? lane.x + lane.width - TRACK_START - k * TRACK_STEP : lane.x + TRACK_START + k * TRACK_STEP;
      const start = portPoint(s.box, out);
      const head: Point[] = out === 'bottom' ? [start, { x: sc.x, y: sBottom + BOTTOM_GAP }, { x: cx, y: sBottom + BOTTOM_GAP }] : [start, { x: cx, y: sc.y }];
      if (!self && canIn(side)) list.push({ out, in: side, track, points: [...head, { x: cx, y: tc.y }, portPoint(t.box, side)] });
      const aboveY = t.box.y - ENTRY_GAP;
      list.push({ out, in: 'top', track, points: [...head, { x: cx, y: aboveY }, { x: tc.x, y: aboveY }, portPoint(t.box, 'top')] });
    }
    return list;
  }

  /** The lane whose margin on `side` lies outside both symbols: the rightmost of the two for the right, the leftmost for the left. */
  private outerLane(s: PlacedSymbol, t: PlacedSymbol, side: 'left' | 'right'): Lane & { key: string } {
    const a = this.lanes.get(s.role)!, b = this.lanes.get(t.role)!;
    const pick = side === 'right' ? (a.x >= b.x ? s.role : t.role) : (a.x <= b.x ? s.role : t.role);
    return { ...this.lanes.get(pick)!, key: pick };
  }

  private isClear(points: Point[]): boolean {
    for (let i = 1; i < points.length; i++) {
      if (this.symbols.some((symbol) => segmentCrossesBox(points[i - 1]!, points[i]!, symbol.box))) return false;
    }
    return true;
  }

  private has(map: Map<string, Set<Port>>, id: string, port: Port): boolean {
    return map.get(id)?.has(port) ?? false;
  }

  private use(map: Map<string, Set<Port>>, id: string, port: Port): void {
    map.set(id, (map.get(id) ?? new Set()).add(port));
  }
}

/** Drops points that do not turn a corner. */
function simplify(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const prev = out[out.length - 1];
    if (prev && prev.x === p.x && prev.y === p.y) continue;
    const before = out[out.length - 2];
    if (before && prev && ((before.x === prev.x && prev.x === p.x) || (before.y === prev.y && prev.y === p.y))) out.pop();
    out.push(p);
  }
  return out;
}
