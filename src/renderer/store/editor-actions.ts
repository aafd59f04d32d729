// Editor verbs (placeNode, connectNodes, deleteSelection, paste …) that turn gestures and
// commands into document edits through topology/edit.ts (IMUNES autoconfig lives there,
// never here). Pure functions of a DocStore; no DOM, no Cytoscape.
import type { LinkParams, NodeKind, Point, RouteDoc, TopologyDoc } from '../../emulator/topology/document';
import * as E from '../../emulator/topology/edit';
import type { DocStore } from './doc-store';

export const PASTE_OFFSET: Point = { x: 40, y: 40 };

export function snapPoint(p: Point, gridPx: number | null): Point {
  if (!gridPx) return { x: Math.round(p.x), y: Math.round(p.y) };
  return { x: Math.round(p.x / gridPx) * gridPx, y: Math.round(p.y / gridPx) * gridPx };
}

export function placeNode(store: DocStore, kind: NodeKind, position: Point, canvas?: string): string {
  let id = '';
  store.getState().edit((doc) => {
    const r = E.addNode(doc, kind, position, canvas ? { canvas } : {});
    id = r.nodeId;
    return r.doc;
  });
  store.getState().select({ nodes: [id], links: [], annotations: [] });
  return id;
}

/** Links two nodes; returns the refusal reason or null. */
export function connectNodes(store: DocStore, a: string, b: string): string | null {
  let linkId = '';
  const err = store.getState().edit((doc) => {
    const r = E.addLink(doc, a, b);
    if ('error' in r) return r;
    linkId = r.linkId;
    return r.doc;
  });
  if (!err) store.getState().select({ nodes: [], links: [linkId], annotations: [] });
  return err;
}

export function deleteSelection(store: DocStore): void {
  const { nodes, links, annotations } = store.getState().selection;
  if (nodes.length + links.length + annotations.length === 0) return;
  store.getState().edit((doc) => E.removeAnnotations(E.removeNodes(E.removeLinks(doc, links), nodes), annotations));
}

export function moveNodes(store: DocStore, positions: Readonly<Record<string, Point>>): void {
  store.getState().edit((doc) => E.setNodePositions(doc, positions));
}

export function moveAnnotation(store: DocStore, id: string, coords: number[]): void {
  store.getState().edit((doc) => E.updateAnnotation(doc, id, { coords }));
}

/** Duplicates the given nodes (and links among them) with fresh names/MACs/addresses. */
export function duplicate(store: DocStore, ids: readonly string[], offset: Point = PASTE_OFFSET): string[] {
  if (ids.length === 0) return [];
  let fresh: string[] = [];
  store.getState().edit((doc) => {
    const r = E.duplicateNodes(doc, ids, offset);
    fresh = Object.values(r.idMap);
    return r.doc;
  });
  store.getState().select({ nodes: fresh, links: [], annotations: [] });
  return fresh;
}

/** A tiny clipboard of node ids: paste duplicates them, each paste a step further away. */
export function createClipboard() {
  let ids: string[] = [];
  let pastes = 0;
  return {
    copy(store: DocStore) {
      ids = [...store.getState().selection.nodes];
      pastes = 0;
      return ids.length;
    },
    paste(store: DocStore): string[] {
      const live = ids.filter((id) => store.getState().doc.nodes.some((n) => n.id === id));
      pastes += 1;
      return duplicate(store, live, { x: PASTE_OFFSET.x * pastes, y: PASTE_OFFSET.y * pastes });
    },
    /** Pastes so the copied nodes' centre lands on `at` (the canvas menu's Paste). */
    pasteAt(store: DocStore, at: Point, gridPx: number | null = null): string[] {
      const nodes = store.getState().doc.nodes.filter((n) => ids.includes(n.id));
      if (nodes.length === 0) return [];
      const cx = nodes.reduce((s, n) => s + n.position.x, 0) / nodes.length;
      const cy = nodes.reduce((s, n) => s + n.position.y, 0) / nodes.length;
      const offset = snapPoint({ x: at.x - cx, y: at.y - cy }, gridPx);
      return duplicate(store, nodes.map((n) => n.id), offset);
    },
    get size() {
      return ids.length;
    },
  };
}

export function selectAll(store: DocStore): void {
  const { doc } = store.getState();
  store.getState().select({ nodes: doc.nodes.map((n) => n.id), links: doc.links.map((l) => l.id), annotations: doc.annotations.map((a) => a.id) });
}

export const align = (store: DocStore, how: E.Alignment) => store.getState().edit((doc) => E.alignNodes(doc, store.getState().selection.nodes, how));
export const renameNode = (store: DocStore, id: string, name: string) => store.getState().edit((doc) => E.renameNode(doc, id, name));
export const setLinkParam = (store: DocStore, link: string, field: keyof LinkParams, value: number, direction: 'both' | 'ab' | 'ba' = 'both') =>
  store.getState().edit((doc) => E.setLinkParams(doc, link, { [field]: value }, direction));
export const setLinkUp = (store: DocStore, link: string, up: boolean) => store.getState().edit((doc) => E.setLinkUp(doc, link, up));
export const setAddresses = (store: DocStore, node: string, iface: string, ipv4: string[]) =>
  store.getState().edit((doc) => E.setInterfaceAddresses(doc, node, iface, ipv4));
/** Replace an interface's IPv6 addresses (CIDR), keeping its IPv4 ones. */
export const setAddresses6 = (store: DocStore, node: string, iface: string, ipv6: string[]) =>
  store.getState().edit((doc) => {
    const i = doc.nodes.find((n) => n.id === node)?.interfaces.find((x) => x.name === iface);
    return E.setInterfaceAddresses(doc, node, iface, i?.ipv4 ?? [], ipv6);
  });
export const setMac = (store: DocStore, node: string, iface: string, mac: string) => store.getState().edit((doc) => E.setInterfaceMac(doc, node, iface, mac));
export const setMtu = (store: DocStore, node: string, iface: string, mtu: number) => store.getState().edit((doc) => E.setInterfaceMtu(doc, node, iface, mtu));
export const setDhcp = (store: DocStore, node: string, iface: string, on: boolean) => store.getState().edit((doc) => E.setInterfaceDhcp(doc, node, iface, on));
export const setRoutes = (store: DocStore, node: string, routes: RouteDoc[], v6 = false) => store.getState().edit((doc) => E.setRoutes(doc, node, routes, v6));
export const setForwarding = (store: DocStore, node: string, on: boolean) => store.getState().edit((doc) => E.setForwarding(doc, node, on));
export const setStartup = (store: DocStore, node: string, lines: readonly string[]) => store.getState().edit((doc) => E.setStartup(doc, node, lines));
export const setStpBridge = (store: DocStore, node: string, fields: E.StpBridgeFields) => store.getState().edit((doc) => E.setStpBridge(doc, node, fields));
export const setStpPort = (store: DocStore, node: string, iface: string, fields: E.StpPortFields) => store.getState().edit((doc) => E.setStpPort(doc, node, iface, fields));
export const setPackgen = (store: DocStore, node: string, rate: string, frames: readonly string[]) => store.getState().edit((doc) => E.setPackgen(doc, node, rate, frames));
export const setFilterRules = (store: DocStore, node: string, iface: string, lines: readonly string[]) => store.getState().edit((doc) => E.setFilterRules(doc, node, iface, lines));

export type AnnotationShape = 'text' | 'rectangle' | 'oval';

export function addAnnotation(store: DocStore, shape: AnnotationShape, at: Point, canvas = 'c0'): string {
  let id = '';
  store.getState().edit((doc: TopologyDoc) => {
    const coords = shape === 'text' ? [at.x, at.y] : [at.x - 100, at.y - 60, at.x + 100, at.y + 60];
    const r = E.addAnnotation(doc, {
      kind: shape,
      canvas,
      coords,
      label: shape === 'text' ? 'Text' : '',
      color: shape === 'text' ? '#1f2937' : '#64748b',
      fill: shape === 'text' ? undefined : '#eef2ff',
    });
    id = r.annotationId;
    return r.doc;
  });
  store.getState().select({ nodes: [], links: [], annotations: [id] });
  return id;
}

export const updateAnnotation = (store: DocStore, id: string, patch: Partial<E.AnnotationInput>) => store.getState().edit((doc) => E.updateAnnotation(doc, id, patch));
