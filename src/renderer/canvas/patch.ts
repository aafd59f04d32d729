// The canvas as a view of the store (DESIGN decision 7): builds keyed element models from
// the document, diffs two models, and applies only the difference to Cytoscape. Never
// rebuilds the graph; never writes to the store. Ids: `n:<node>`, `l:<link>`, `a:<ann>`,
// `s:<link>` for the stub standing for a link's far end on another canvas (IMUNES pseudo).
import type { Core } from 'cytoscape';
import type { AnnotationDoc, LinkDoc, NodeDoc, Point, TopologyDoc } from '../../emulator/topology/document';
import type { LabelToggles } from '../store/ui-store';
import { iconKind } from './icons';
import { linkEndLabel, linkLabel, nodeLabel } from './labels';

export type ElementData = Record<string, string | number>;

export interface ElementModel {
  group: 'nodes' | 'edges';
  data: ElementData & { id: string };
  position?: { x: number; y: number };
  classes: string;
}

export type ElementMap = ReadonlyMap<string, ElementModel>;

export interface Patch {
  add: ElementModel[];
  remove: string[];
  update: { id: string; data?: ElementData; position?: { x: number; y: number }; classes?: string }[];
}

export const nodeKey = (id: string) => `n:${id}`;
export const linkKey = (id: string) => `l:${id}`;
export const annotationKey = (id: string) => `a:${id}`;
export const stubKey = (linkId: string) => `s:${linkId}`;
/** Length of a link stub, centre of the node to centre of the stub, in model units. */
export const STUB_LENGTH = 180;
/** Document id and type from a canvas element id. */
export function parseKey(key: string): { type: 'node' | 'link' | 'annotation'; id: string } | null {
  const type = ({ n: 'node', l: 'link', a: 'annotation' } as const)[key[0] as 'n' | 'l' | 'a'];
  return type && key[1] === ':' ? { type, id: key.slice(2) } : null;
}

function annotationModel(a: AnnotationDoc): ElementModel {
  const [x1 = 0, y1 = 0, x2 = x1, y2 = y1] = a.coords;
  const isText = a.kind === 'text';
  const w = isText ? 1 : Math.max(8, Math.abs(x2 - x1));
  const h = isText ? 1 : Math.max(8, Math.abs(y2 - y1));
  return {
    group: 'nodes',
    data: {
      id: annotationKey(a.id),
      label: a.label ?? '',
      w,
      h,
      color: a.color ?? (isText ? '#1f2937' : '#64748b'),
      fill: a.fill ?? (isText ? '#ffffff' : '#eef2ff'),
      labelColor: a.labelColor ?? a.color ?? '#1f2937',
    },
    position: isText ? { x: x1, y: y1 } : { x: (x1 + x2) / 2, y: (y1 + y2) / 2 },
    classes: `annotation ann-${a.kind === 'oval' ? 'oval' : isText ? 'text' : 'rect'}`,
  };
}

/** Where the file put a node's label (IMUNES `labelcoords`), relative to the node. */
function preferredLabel(pos: Point, label?: Point): ElementData {
  return label ? { preferDx: Math.round(label.x - pos.x), preferDy: Math.round(label.y - pos.y) } : {};
}

/**
 * Where a stub goes: away from the node's other links on this canvas (so it does not lie on
 * top of one), several stubs of one node fanned 40° apart.
 */
export function stubPosition(at: Point, neighbours: readonly Point[], index: number): Point {
  let mx = 0;
  let my = 0;
  for (const p of neighbours) {
    const d = Math.hypot(p.x - at.x, p.y - at.y) || 1;
    mx += (p.x - at.x) / d;
    my += (p.y - at.y) / d;
  }
  const m = Math.hypot(mx, my);
  let angle = m > 1e-6 ? Math.atan2(-my, -mx) : 0;
  angle += (index % 2 === 0 ? 1 : -1) * Math.ceil(index / 2) * (40 * Math.PI) / 180;
  return { x: Math.round(at.x + Math.cos(angle) * STUB_LENGTH), y: Math.round(at.y + Math.sin(angle) * STUB_LENGTH) };
}

function linkData(key: string, l: LinkDoc, source: string, target: string, aText: string, bText: string, midText: string): ElementData & { id: string } {
  return { id: key, source, target, midText, sourceLabel: aText, targetLabel: bText, color: l.color ?? '#64748b', width: l.width ?? 2 };
}

/** Element models for one canvas of the document. */
export function buildElements(doc: TopologyDoc, labels: LabelToggles, canvas = doc.canvases[0]?.id ?? 'c0'): Map<string, ElementModel> {
  const out = new Map<string, ElementModel>();
  const single = doc.canvases.length <= 1;
  for (const a of doc.annotations) if (a.canvas === canvas || single) out.set(annotationKey(a.id), annotationModel(a));
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const here = (n: NodeDoc | undefined) => !!n && (single || n.canvas === canvas);
  for (const n of doc.nodes) {
    if (!here(n)) continue;
    const key = nodeKey(n.id);
    out.set(key, {
      group: 'nodes',
      data: { id: key, name: nodeLabel(n, labels), kind: n.kind, ...preferredLabel(n.position, n.labelPosition) },
      position: { ...n.position },
      classes: `node kind-${iconKind(n.kind)}`,
    });
  }
  const neighbours = new Map<string, Point[]>();
  for (const l of doc.links) {
    const a = byId.get(l.a.node);
    const b = byId.get(l.b.node);
    if (!here(a) || !here(b)) continue;
    neighbours.set(a!.id, [...(neighbours.get(a!.id) ?? []), b!.position]);
    neighbours.set(b!.id, [...(neighbours.get(b!.id) ?? []), a!.position]);
  }
  const stubsOf = new Map<string, number>();
  for (const l of doc.links) {
    const a = byId.get(l.a.node);
    const b = byId.get(l.b.node);
    const key = linkKey(l.id);
    const classes = l.up === false ? 'link down' : 'link';
    if (here(a) && here(b)) {
      const data = linkData(key, l, nodeKey(l.a.node), nodeKey(l.b.node), linkEndLabel(a, l.a.iface, labels), linkEndLabel(b, l.b.iface, labels), labels.linkParams ? linkLabel(l) : '');
      out.set(key, { group: 'edges', data, classes });
      continue;
    }
    // A link to another canvas: a stub on this side, labelled with the node at the far end.
    const [near, far] = here(a) ? [a!, b] : here(b) ? [b!, a] : [null, null];
    if (!near || !far) continue;
    const nearEnd = near === a ? l.a : l.b;
    const farEnd = near === a ? l.b : l.a;
    const index = stubsOf.get(near.id) ?? 0;
    stubsOf.set(near.id, index + 1);
    const farCanvas = doc.canvases.find((c) => c.id === far.canvas);
    const stub = stubKey(l.id);
    out.set(stub, {
      group: 'nodes',
      data: { id: stub, label: `${far.name}:${farEnd.iface} ›`, fs: 12, pad: 5, peer: far.id, peerCanvas: far.canvas, peerCanvasName: farCanvas?.name ?? far.canvas },
      position: stubPosition(near.position, neighbours.get(near.id) ?? [], index),
      classes: 'stub',
    });
    const data = linkData(key, l, nodeKey(near.id), stub, linkEndLabel(near, nearEnd.iface, labels), '', '');
    out.set(key, { group: 'edges', data, classes: `${classes} stub-link` });
  }
  return out;
}

function sameData(a: ElementData, b: ElementData): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

export function diffElements(prev: ElementMap, next: ElementMap): Patch {
  const patch: Patch = { add: [], remove: [], update: [] };
  for (const id of prev.keys()) if (!next.has(id)) patch.remove.push(id);
  for (const [id, m] of next) {
    const old = prev.get(id);
    // An edge whose ends changed is replaced: Cytoscape cannot re-target an edge in place.
    if (!old || (m.group === 'edges' && (old.data.source !== m.data.source || old.data.target !== m.data.target))) {
      if (old) patch.remove.push(id);
      patch.add.push(m);
      continue;
    }
    const u: Patch['update'][number] = { id };
    if (!sameData(old.data, m.data)) u.data = m.data;
    if (m.position && (old.position?.x !== m.position.x || old.position?.y !== m.position.y)) u.position = m.position;
    if (old.classes !== m.classes) u.classes = m.classes;
    if (u.data || u.position || u.classes !== undefined) patch.update.push(u);
  }
  return patch;
}

export function isEmptyPatch(p: Patch): boolean {
  return p.add.length === 0 && p.remove.length === 0 && p.update.length === 0;
}

/** Applies a patch in one batch (one redraw). Nodes are added before edges. */
export function applyPatch(cy: Core, patch: Patch): void {
  if (isEmptyPatch(patch)) return;
  cy.batch(() => {
    for (const id of patch.remove) cy.getElementById(id).remove();
    const nodes = patch.add.filter((m) => m.group === 'nodes');
    const edges = patch.add.filter((m) => m.group === 'edges');
    // A stub is a signpost, not a node: it cannot be moved or selected, only clicked.
    const fixed = (m: ElementModel) => (m.classes === 'stub' ? { grabbable: false, selectable: false } : {});
    if (nodes.length) cy.add(nodes.map((m) => ({ group: m.group, data: { ...m.data }, position: m.position ? { ...m.position } : undefined, classes: m.classes, ...fixed(m) })));
    if (edges.length) cy.add(edges.map((m) => ({ group: m.group, data: { ...m.data }, classes: m.classes })));
    for (const u of patch.update) {
      const el = cy.getElementById(u.id);
      if (el.empty()) continue;
      if (u.data) el.data(u.data);
      if (u.position && el.isNode()) el.position({ ...u.position });
      if (u.classes !== undefined) el.classes(u.classes);
    }
  });
}

/** The canvas to draw: the requested one if the document has it, else its first. */
export function activeCanvas(doc: TopologyDoc, wanted?: string | null): string {
  return (wanted && doc.canvases.some((c) => c.id === wanted) ? wanted : doc.canvases[0]?.id) ?? 'c0';
}

/** Keeps a Cytoscape instance in step with successive documents. */
export function createCanvasPatcher(cy: Core) {
  let current: ElementMap = new Map();
  return {
    sync(doc: TopologyDoc, labels: LabelToggles, canvas?: string | null): Patch {
      const next = buildElements(doc, labels, activeCanvas(doc, canvas));
      const patch = diffElements(current, next);
      applyPatch(cy, patch);
      current = next;
      return patch;
    },
    /** The element models last applied (the label layer reads texts from them). */
    models(): ElementMap {
      return current;
    },
  };
}
