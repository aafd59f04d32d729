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
  private cells = new Map<number, T[]>();
  constructor(private readonly cell: number) {}
  private range(b: Box): [number, number, number, number] {
    const c = this.cell;
    return [Math.floor(b.x1 / c), Math.floor(b.y1 / c), Math.floor(b.x2 / c), Math.floor(b.y2 / c)];
  }
  add(b: Box, item: T): void {
    const [x1, y1, x2, y2] = this.range(b);
    for (let x = x1; x <= x2; x++) {
      for (let y = y1; y <= y2; y++) {
        const k = x * 65536 + y;
        const list = this.cells.get(k);
        if (list) list.push(item);
        else this.cells.set(k, [item]);
      }
    }
  }
  /** Calls `f` for each item in the cells `b` touches (an item may come twice); stops at true. */
  some(b: Box, f: (item: T) => boolean): boolean {
    const [x1, y1, x2, y2] = this.range(b);
    for (let x = x1; x <= x2; x++) {
      for (let y = y1; y <= y2; y++) {
        const list = this.cells.get(x * 65536 + y);
        if (list) for (const it of list) if (f(it)) return true;
      }
    }
    return false;
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
  const lines = new GridIndex<number>(cell);
  segments.forEach((s, i) => lines.add({ x1: Math.min(s.a.x, s.b.x), y1: Math.min(s.a.y, s.b.y), x2: Math.max(s.a.x, s.b.x), y2: Math.max(s.a.y, s.b.y) }, i));
  // A segment in several cells is counted once per query: stamp it with the query number.
  const seen = new Int32Array(segments.length);
  let query = 0;
  const placed = new Map<string, PlacedLabel>();
  // The candidate under test, shared by the two callbacks below (no allocation per test).
  const box: Box = { x1: 0, y1: 0, x2: 0, y2: 0 };
  let owner: string | undefined;
  let crossings = 0;
  const hitsBox = (o: Box) => overlaps(box, o);
  const countCrossing = (k: number) => {
    if (seen[k] === query) return false;
    seen[k] = query;
    const s = segments[k]!;
    if (s.owner !== owner && segmentCrossesBox(s, box)) crossings++;
    return false;
  };
  for (const r of requests) {
    owner = r.owner;
    let best = -1;
    let bestCost = Infinity;
    for (let i = 0; i < r.candidates.length && i < bestCost; i++) {
      const c = r.candidates[i]!;
      box.x1 = c.x - r.w / 2;
      box.x2 = c.x + r.w / 2;
      box.y1 = c.y - r.h / 2;
      box.y2 = c.y + r.h / 2;
      if (boxes.some(box, hitsBox)) continue;
      crossings = 0;
      query++;
      lines.some(box, countCrossing);
      const cost = i + crossings * 4;
      if (cost < bestCost) {
        best = i;
        bestCost = cost;
      }
    }
    if (best < 0) continue;
    const c = r.candidates[best]!;
    const b = boxAt(c, r.w, r.h);
    boxes.add(b, b);
    placed.set(r.id, { id: r.id, x: c.x, y: c.y, box: b });
  }
  return placed;
}
