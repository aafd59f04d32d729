// Editing operations on annotations, duplication of node groups and alignment. Pure
// functions returning a new document; never mutate the input. Duplicates get fresh
// names, MACs and addresses exactly as if the user had drawn them.

import type { AnnotationDoc, Point, TopologyDoc } from './document';
import { addLink, addNode } from './edit';

export type AnnotationInput = Omit<AnnotationDoc, 'id'>;

export function addAnnotation(doc: TopologyDoc, ann: AnnotationInput): { doc: TopologyDoc; annotationId: string } {
  const used = new Set(doc.annotations.map((a) => a.id));
  let i = 0;
  while (used.has(`a${i}`)) i++;
  const annotationId = `a${i}`;
  const copy: AnnotationDoc = { ...ann, id: annotationId, coords: [...ann.coords] };
  return { doc: { ...doc, annotations: [...doc.annotations, copy] }, annotationId };
}

export function updateAnnotation(doc: TopologyDoc, id: string, patch: Partial<AnnotationInput>): { doc: TopologyDoc } | { error: string } {
  if (!doc.annotations.some((a) => a.id === id)) return { error: `no annotation with id "${id}"` };
  if (patch.coords && patch.coords.some((c) => !Number.isFinite(c))) return { error: 'annotation coordinates must be numbers' };
  return { doc: { ...doc, annotations: doc.annotations.map((a) => (a.id === id ? { ...a, ...patch, id } : a)) } };
}

export function removeAnnotations(doc: TopologyDoc, ids: readonly string[]): TopologyDoc {
  const gone = new Set(ids);
  return { ...doc, annotations: doc.annotations.filter((a) => !gone.has(a.id)) };
}

/**
 * Copy nodes and the links among them, shifted by `offset`. Copies get fresh ids, names,
 * MACs and autoconfigured addresses; routes are not copied (they name old addresses).
 */
export function duplicateNodes(doc: TopologyDoc, ids: readonly string[], offset: Point): { doc: TopologyDoc; idMap: Record<string, string> } {
  const chosen = new Set(ids);
  const idMap: Record<string, string> = {};
  let next = doc;
  for (const n of doc.nodes) {
    if (!chosen.has(n.id)) continue;
    const r = addNode(next, n.kind, { x: n.position.x + offset.x, y: n.position.y + offset.y }, { canvas: n.canvas, forwarding: n.forwarding });
    next = r.doc;
    idMap[n.id] = r.nodeId;
  }
  for (const l of doc.links) {
    const a = idMap[l.a.node];
    const b = idMap[l.b.node];
    if (!a || !b) continue;
    const r = addLink(next, a, b);
    if ('error' in r) continue;
    next = { ...r.doc, links: r.doc.links.map((x) => (x.id === r.linkId ? { ...x, params: { ...l.params }, ...(l.paramsBA ? { paramsBA: { ...l.paramsBA } } : {}) } : x)) };
  }
  return { doc: next, idMap };
}

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
