// Label placement for the canvas: each label gets the first of its candidate positions that
// overlaps no icon and no label already placed (greedy, in priority order), preferring spots
// that cross fewer links; a label with no free spot is hidden. Pure: no Cytoscape, no DOM.
import type { Point } from '../../emulator/topology/document';

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Segment {
  a: Point;
  b: Point;
  /** Labels of this owner do not count crossing it (a link's own labels sit on it). */
  owner: string;
}

export interface LabelRequest {
  id: string;
  /** Owner for segment crossings (the link id for link labels). */
  owner?: string;
  w: number;
  h: number;
  /** Label centres to try, best first. */
  candidates: Point[];
}

export interface PlacedLabel {
  id: string;
  x: number;
  y: number;
  box: Box;
}

export const boxAt = (c: Point, w: number, h: number): Box => ({ x1: c.x - w / 2, y1: c.y - h / 2, x2: c.x + w / 2, y2: c.y + h / 2 });

export const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** Items bucketed by their bounding boxes on a grid, so each test looks only nearby. */
class GridIndex<T> {
  private cells = new Map<string, T[]>();
  constructor(private readonly cell: number) {}
  private keys(b: Box): string[] {
    const out: string[] = [];
    const c = this.cell;
    for (let x = Math.floor(b.x1 / c); x <= Math.floor(b.x2 / c); x++) for (let y = Math.floor(b.y1 / c); y <= Math.floor(b.y2 / c); y++) out.push(`${x},${y}`);
    return out;
  }
  add(b: Box, item: T): void {
    for (const k of this.keys(b)) {
      const list = this.cells.get(k);
      if (list) list.push(item);
      else this.cells.set(k, [item]);
    }
  }
  near(b: Box): Set<T> {
    const out = new Set<T>();
    for (const k of this.keys(b)) for (const o of this.cells.get(k) ?? []) out.add(o);
    return out;
  }
}

function segmentCrossesBox(s: Segment, b: Box): boolean {
  // Liang–Barsky clipping of the segment against the box.
  let t0 = 0;
  let t1 = 1;
  const dx = s.b.x - s.a.x;
  const dy = s.b.y - s.a.y;
  const tests: [number, number][] = [[-dx, s.a.x - b.x1], [dx, b.x2 - s.a.x], [-dy, s.a.y - b.y1], [dy, b.y2 - s.a.y]];
  for (const [p, q] of tests) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return false;
  }
  return true;
}

/**
 * Places labels in the order given (callers put the most important first). Obstacles are
 * boxes no label may cover (node icons); segments are links a label should rather not
 * cross. Returns the placed labels; a label absent from the result is hidden.
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[], segments: readonly Segment[] = []): Map<string, PlacedLabel> {
  const sizes = requests.map((r) => Math.max(r.w, r.h));
  const cell = Math.max(32, ...sizes.slice(0, 200)) * 2;
  const boxes = new GridIndex<Box>(cell);
  for (const o of obstacles) boxes.add(o, o);
  const lines = new GridIndex<Segment>(cell);
  for (const s of segments) lines.add({ x1: Math.min(s.a.x, s.b.x), y1: Math.min(s.a.y, s.b.y), x2: Math.max(s.a.x, s.b.x), y2: Math.max(s.a.y, s.b.y) }, s);
  const placed = new Map<string, PlacedLabel>();
  for (const r of requests) {
    let best: { c: Point; box: Box; cost: number } | null = null;
    r.candidates.forEach((c, i) => {
      if (best && best.cost <= i) return; // later candidates cannot beat it
      const box = boxAt(c, r.w, r.h);
      for (const o of boxes.near(box)) if (overlaps(box, o)) return;
      let crossings = 0;
      for (const s of lines.near(box)) if (s.owner !== r.owner && segmentCrossesBox(s, box)) crossings++;
      const cost = i + crossings * 4;
      if (!best || cost < best.cost) best = { c, box, cost };
    });
    if (!best) continue;
    const { c, box } = best as { c: Point; box: Box };
    boxes.add(box, box);
    placed.set(r.id, { id: r.id, x: c.x, y: c.y, box });
  }
  return placed;
}
