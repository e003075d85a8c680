/**
 * Checks every laid-out SOP flowchart must pass, shared by the seed tests and the property test:
 * symbols inside their lane and row and never overlapping, arrows orthogonal from the boundary of
 * one symbol to the boundary of another without passing through any symbol, pages that fit A4,
 * and every step a row with its kegiatan and mutu baku.
 */
import { expect } from 'vitest';
import { boxesOverlap, segmentCrossesBox, type Box, type FlowchartLayout, type Point } from '../../src/app/documents/flowchart-geometry.js';
import { PAGE_HEIGHT } from '../../src/app/documents/flowchart-layout.js';
import type { SopDefinition } from '../../src/engine/index.js';

/** Wrapping may break after a slash; compare text without its white space. */
export const bare = (text: string) => text.replace(/\s+/g, '');

/** The steps each arrow joins, with connectors resolved: an arrow into a page-break connector continues from its partner. */
export function logicalEdges(layout: FlowchartLayout): string[] {
  const edges: string[] = [];
  for (const page of layout.pages) {
    for (const arrow of page.arrows) {
      if (arrow.kind !== 'flow' || arrow.from.startsWith('conn:top:')) continue;
      const to = arrow.to.startsWith('conn:bottom:') ? arrow.to.split(':')[2]! : arrow.to;
      edges.push(`${arrow.from} -${arrow.label ?? ''}-> ${to}`);
    }
  }
  return edges.sort();
}

function onBoundary(point: Point, box: Box): boolean {
  const withinX = point.x >= box.x - 0.01 && point.x <= box.x + box.width + 0.01;
  const withinY = point.y >= box.y - 0.01 && point.y <= box.y + box.height + 0.01;
  const onEdgeX = Math.abs(point.x - box.x) < 0.01 || Math.abs(point.x - box.x - box.width) < 0.01;
  const onEdgeY = Math.abs(point.y - box.y) < 0.01 || Math.abs(point.y - box.y - box.height) < 0.01;
  return withinX && withinY && (onEdgeX || onEdgeY);
}

/** Geometry every page of every SOP must satisfy. */
export function expectSoundGeometry(definition: SopDefinition, layout: FlowchartLayout): void {
  const lanes = layout.columns.filter((c) => c.key === 'lane');
  for (const page of layout.pages) {
    expect(page.height).toBeLessThanOrEqual(PAGE_HEIGHT);
    const byId = new Map(page.symbols.map((s) => [s.id, s]));
    expect(byId.size).toBe(page.symbols.length);
    for (const [i, a] of page.symbols.entries()) {
      // Inside its own lane, clear of the lane's margins where channels run.
      const lane = lanes.find((l) => l.role === a.role)!;
      expect(a.box.x).toBeGreaterThan(lane.x);
      expect(a.box.x + a.box.width).toBeLessThan(lane.x + lane.width);
      if (a.stepId) {
        const row = page.rows.find((r) => r.stepId === a.stepId)!;
        expect(a.box.y).toBeGreaterThan(row.y);
        expect(a.box.y + a.box.height).toBeLessThan(row.y + row.height);
      }
      for (const b of page.symbols.slice(i + 1)) expect(boxesOverlap(a.box, b.box), `${a.id} overlaps ${b.id}`).toBe(false);
    }
    for (const arrow of page.arrows) {
      const from = byId.get(arrow.from)!, to = byId.get(arrow.to)!;
      expect(onBoundary(arrow.points[0]!, from.box), `${arrow.from}→${arrow.to} starts on ${arrow.from}`).toBe(true);
      expect(onBoundary(arrow.points[arrow.points.length - 1]!, to.box), `${arrow.from}→${arrow.to} ends on ${arrow.to}`).toBe(true);
      for (let k = 1; k < arrow.points.length; k++) {
        const p = arrow.points[k - 1]!, q = arrow.points[k]!;
        expect(p.x === q.x || p.y === q.y, `${arrow.from}→${arrow.to} segment ${k} is orthogonal`).toBe(true);
        for (const symbol of page.symbols) expect(segmentCrossesBox(p, q, symbol.box), `${arrow.from}→${arrow.to} passes through ${symbol.id}`).toBe(false);
      }
    }
  }
  // Every step is a row, with its kegiatan and mutu baku as written.
  const rows = layout.pages.flatMap((p) => p.rows.filter((r) => r.kind === 'step'));
  expect(rows.map((r) => r.stepId).sort()).toEqual(definition.steps.map((s) => s.id).sort());
  for (const step of definition.steps) {
    const row = rows.find((r) => r.stepId === step.id)!;
    expect(bare(row.cells.activity.join(' '))).toBe(bare(step.activity));
    for (const item of step.requirements) expect(bare(row.cells.requirements.join(' '))).toContain(bare(item));
    expect(bare(row.cells.time.join(' '))).toBe(bare(step.time ?? ''));
    expect(bare(row.cells.output.join(' '))).toBe(bare(step.output?.name ?? ''));
    expect(bare(row.cells.note.join(' '))).toBe(bare([step.note ?? '', step.kind === 'duty' ? `setiap ${step.every}` : ''].join('')));
  }
}

