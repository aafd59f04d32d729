// Aligning and evenly distributing nodes on the canvas: a pure function returning a new
// document with moved icon (and label) centres. Geometry only; no other edits.

import type { Point, TopologyDoc } from './document';

export type Alignment = 'left' | 'right' | 'top' | 'bottom' | 'center-x' | 'center-y' | 'distribute-x' | 'distribute-y';

/** Align or evenly distribute the chosen nodes' icon centres. */
export function alignNodes(doc: TopologyDoc, ids: readonly string[], how: Alignment): TopologyDoc {
  const chosen = doc.nodes.filter((n) => ids.includes(n.id));
  if (chosen.length < 2) return doc;
  const xs = chosen.map((n) => n.position.x);
  const ys = chosen.map((n) => n.position.y);
  const target = new Map<string, Point>();
  const put = (id: string, p: Point) => target.set(id, p);
  const distribute = (axis: 'x' | 'y') => {
    const sorted = [...chosen].sort((p, q) => p.position[axis] - q.position[axis]);
    const lo = sorted[0]!.position[axis];
    const step = (sorted[sorted.length - 1]!.position[axis] - lo) / (sorted.length - 1);
    sorted.forEach((n, i) => put(n.id, { ...n.position, [axis]: lo + step * i }));
  };
  for (const n of chosen) {
    const p = n.position;
    if (how === 'left') put(n.id, { x: Math.min(...xs), y: p.y });
    if (how === 'right') put(n.id, { x: Math.max(...xs), y: p.y });
    if (how === 'top') put(n.id, { x: p.x, y: Math.min(...ys) });
    if (how === 'bottom') put(n.id, { x: p.x, y: Math.max(...ys) });
    if (how === 'center-x') put(n.id, { x: (Math.min(...xs) + Math.max(...xs)) / 2, y: p.y });
    if (how === 'center-y') put(n.id, { x: p.x, y: (Math.min(...ys) + Math.max(...ys)) / 2 });
  }
  if (how === 'distribute-x') distribute('x');
  if (how === 'distribute-y') distribute('y');
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = target.get(n.id);
      if (!p) return n;
      const moved = { ...n, position: p };
      if (n.labelPosition) moved.labelPosition = { x: n.labelPosition.x + p.x - n.position.x, y: n.labelPosition.y + p.y - n.position.y };
      return moved;
    }),
  };
}
