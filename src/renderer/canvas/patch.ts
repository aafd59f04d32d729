// The canvas as a view of the store (DESIGN decision 7): builds keyed element models from
// the document, diffs two models, and applies only the difference to Cytoscape. Never
// rebuilds the graph; never writes to the store. Ids: `n:<node>`, `l:<link>`, `a:<ann>`.
import type { Core } from 'cytoscape';
import type { AnnotationDoc, TopologyDoc } from '../../emulator/topology/document';
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

/**
 * Where a node's label goes: below the icon by default; where the file put it (IMUNES
 * `labelcoords`, the label's centre) when it has a label position — below or above the
 * 48 px icon so the (possibly multi-line) label never covers it.
 */
export function labelMargin(pos: { x: number; y: number }, label?: { x: number; y: number }): { dx: number; dy: number; above: boolean } {
  if (!label) return { dx: 0, dy: 6, above: false };
  const dx = Math.round(label.x - pos.x);
  const dy = Math.round(label.y - pos.y);
  return dy >= 0 ? { dx, dy: Math.max(2, dy - 22), above: false } : { dx, dy: Math.min(-2, dy + 22), above: true };
}

/** Element models for one canvas of the document. */
export function buildElements(doc: TopologyDoc, labels: LabelToggles, canvas = doc.canvases[0]?.id ?? 'c0'): Map<string, ElementModel> {
  const out = new Map<string, ElementModel>();
  for (const a of doc.annotations) if (a.canvas === canvas || doc.canvases.length <= 1) out.set(annotationKey(a.id), annotationModel(a));
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  for (const n of doc.nodes) {
    if (n.canvas !== canvas && doc.canvases.length > 1) continue;
    const key = nodeKey(n.id);
    const lm = labelMargin(n.position, n.labelPosition);
    out.set(key, {
      group: 'nodes',
      data: { id: key, label: nodeLabel(n, labels), kind: n.kind, labelDx: lm.dx, labelDy: lm.dy },
      position: { ...n.position },
      classes: `node kind-${iconKind(n.kind)}${lm.above ? ' label-above' : ''}`,
    });
  }
  for (const l of doc.links) {
    const a = byId.get(l.a.node);
    const b = byId.get(l.b.node);
    if (!out.has(nodeKey(l.a.node)) || !out.has(nodeKey(l.b.node))) continue;
    const key = linkKey(l.id);
    const data: ElementData & { id: string } = {
      id: key,
      source: nodeKey(l.a.node),
      target: nodeKey(l.b.node),
      label: labels.linkParams ? linkLabel(l) : '',
      sourceLabel: linkEndLabel(a, l.a.iface, labels),
      targetLabel: linkEndLabel(b, l.b.iface, labels),
      color: l.color ?? '#64748b',
      width: l.width ?? 2,
    };
    out.set(key, { group: 'edges', data, classes: l.up === false ? 'link down' : 'link' });
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
    if (nodes.length) cy.add(nodes.map((m) => ({ group: m.group, data: { ...m.data }, position: m.position ? { ...m.position } : undefined, classes: m.classes })));
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
  };
}
