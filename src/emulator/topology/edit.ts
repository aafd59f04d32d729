// Editing operations over the topology document: pure functions that return a NEW
// document (never mutate the input; untouched parts are shared). Operations that can be
// refused return `{ error }` with the reason instead of clamping. Addressing follows IMUNES
// autoconfiguration (autoconfig.ts); no I/O, no clock, no randomness.

import { sharesAddressSpace } from './check';
import {
  DEFAULT_LINK_PARAMS, type InterfaceDoc, type LinkDoc, type LinkParams, type NodeDoc,
  type NodeKind, type Point, type RouteDoc, type TopologyDoc,
} from './document';
import { autoAddress, autoDefaultRoutes, isBridgeKind, replaceIface } from './autoconfig';
import { macFromIndex } from './addr-text';
import { formatIpv6, parseIpv6 } from '../wire/ipv6-addr';
import { IMUNES_RIP_SECTION } from './imunes/frr-conf';
import {
  validateIpv4Cidr, validateIpv6Cidr, validateLinkParams, validateMac, validateMtu, validateNodeName, validateRoute,
} from './validate-fields';

export { validateLinkParam, validateLinkParams } from './validate-fields';
export { formatFilterRules, packgenFrames, packgenRate, setFilterRules, setPackgen, setStpBridge, setStpPort, type StpBridgeFields, type StpPortFields } from './edit-l2';
import { l2Defaults } from './edit-l2';

export type Refused = { error: string };
export type Edited = { doc: TopologyDoc } | Refused;

/** Name prefix IMUNES gives each kind (lanswitch → switch1). */
export const NAME_PREFIX_BY_KIND: Readonly<Record<string, string>> = {
  pc: 'pc', host: 'host', router: 'router', lanswitch: 'switch', hub: 'hub', stpswitch: 'stpswitch', filter: 'filter', packgen: 'packgen',
};

export interface AddNodeOptions {
  name?: string;
  canvas?: string;
  forwarding?: boolean;
  /** false: a router without IMUNES's default routing daemons (static routing only, as the samples teach). */
  defaultRouting?: boolean;
}

function nextIndexed(prefix: string, used: Set<string>, from: number): string {
  let i = from;
  while (used.has(`${prefix}${i}`)) i++;
  return `${prefix}${i}`;
}

export function namePrefix(kind: string): string {
  // hasOwn: a kind such as "constructor" must not find Object.prototype's member.
  return (Object.hasOwn(NAME_PREFIX_BY_KIND, kind) ? NAME_PREFIX_BY_KIND[kind] : undefined) ?? (kind.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 32) || 'node');
}

/** Add a node of `kind` at `position`: id n0…, IMUNES name pc1…, no interfaces yet. */
export function addNode(doc: TopologyDoc, kind: NodeKind, position: Point, opts: AddNodeOptions = {}): { doc: TopologyDoc; nodeId: string } {
  const nodeId = nextIndexed('n', new Set(doc.nodes.map((n) => n.id)), 0);
  const names = new Set(doc.nodes.map((n) => n.name));
  const name = opts.name !== undefined && !names.has(opts.name) && validateNodeName(opts.name) === null
    ? opts.name
    : nextIndexed(namePrefix(kind), names, 1);
  const node: NodeDoc = {
    id: nodeId, kind, name,
    canvas: opts.canvas ?? doc.canvases[0]?.id ?? 'c0',
    position: { x: position.x, y: position.y },
    interfaces: [], routes4: [], routes6: [],
  };
  if (kind === 'router' || opts.forwarding !== undefined) node.forwarding = opts.forwarding ?? true;
  const l2 = l2Defaults(kind);
  if (l2 !== undefined) node.extra = l2;
  if (kind === 'router' && opts.defaultRouting !== false) {
    // As IMUNES creates a router (model frr, router_config "rip 1 ripng 1 …"), so a new
    // drawing of several routers routes out of the box. RIPng is not in the text: VirtNet does not run it.
    node.extra = { model: 'frr', router_config: 'rip 1 ripng 1 ospf 0 ospf6 0 bgp 0' };
    node.frrConf = `${IMUNES_RIP_SECTION.join('\n')}\n`;
  }
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, nodeId };
}

/** Remove nodes, every link touching them, and the interfaces those links used on peers. */
export function removeNodes(doc: TopologyDoc, ids: readonly string[]): TopologyDoc {
  const gone = new Set(ids);
  const dropLinks = doc.links.filter((l) => gone.has(l.a.node) || gone.has(l.b.node)).map((l) => l.id);
  const trimmed = removeLinks(doc, dropLinks);
  return { ...trimmed, nodes: trimmed.nodes.filter((n) => !gone.has(n.id)) };
}

function usedMacs(doc: TopologyDoc): Set<string> {
  const s = new Set<string>();
  for (const n of doc.nodes) for (const i of n.interfaces) if (i.mac) s.add(i.mac.toLowerCase());
  return s;
}

/** Lowest 42:00:aa:… MAC not in `used`; adds it to `used`. */
export function freshMac(used: Set<string>): string {
  for (let i = 0; ; i++) {
    const m = macFromIndex(i);
    if (!used.has(m)) {
      used.add(m);
      return m;
    }
  }
}

function freshIfaceName(node: NodeDoc): string {
  return nextIndexed('eth', new Set(node.interfaces.map((i) => i.name)), 0);
}

function withIface(doc: TopologyDoc, nodeId: string, iface: InterfaceDoc): TopologyDoc {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, interfaces: [...n.interfaces, iface] } : n)) };
}

/**
 * Link two nodes: new ethN on each end, unique MACs (not on switch/hub ports), then
 * IMUNES autoconfiguration of addresses and default routes on both ends.
 */
export function addLink(doc: TopologyDoc, nodeA: string, nodeB: string): { doc: TopologyDoc; linkId: string } | Refused {
  const a = doc.nodes.find((n) => n.id === nodeA);
  const b = doc.nodes.find((n) => n.id === nodeB);
  if (!a) return { error: `no node with id "${nodeA}"` };
  if (!b) return { error: `no node with id "${nodeB}"` };
  if (a.id === b.id) return { error: `cannot link ${a.name} to itself` };
  // IMUNES's packgen.maxLinks: a packet generator has one interface.
  for (const n of [a, b]) if (n.kind === 'packgen' && n.interfaces.some((i) => i.type !== 'lo')) return { error: `${n.name} is a packet generator: it takes one link` };
  const macs = usedMacs(doc);
  const mkIface = (n: NodeDoc): InterfaceDoc => {
    const iface: InterfaceDoc = { name: freshIfaceName(n), type: 'phys', ipv4: [], ipv6: [] };
    // Switch and hub ports forward frames without a MAC of their own (IMUNES likewise).
    if (!isBridgeKind(n.kind)) iface.mac = freshMac(macs);
    return iface;
  };
  const ia = mkIface(a);
  const ib = mkIface(b);
  const linkId = nextIndexed('l', new Set(doc.links.map((l) => l.id)), 0);
  const link: LinkDoc = { id: linkId, a: { node: a.id, iface: ia.name }, b: { node: b.id, iface: ib.name }, params: { ...DEFAULT_LINK_PARAMS } };
  let next = withIface(withIface(doc, a.id, ia), b.id, ib);
  next = { ...next, links: [...next.links, link] };
  next = autoAddress(next, link.a);
  next = autoAddress(next, link.b);
  // Both ends are in one broadcast domain: one pass gives every pc/host in it its route.
  next = autoDefaultRoutes(next, link.a);
  return { doc: next, linkId };
}

/** Remove links and the interfaces they used (addresses on those interfaces go too). */
export function removeLinks(doc: TopologyDoc, ids: readonly string[]): TopologyDoc {
  const gone = new Set(ids);
  const victims = doc.links.filter((l) => gone.has(l.id));
  if (victims.length === 0) return doc;
  const freed = new Set(victims.flatMap((l) => [`${l.a.node}\u0000${l.a.iface}`, `${l.b.node}\u0000${l.b.iface}`]));
  return {
    ...doc,
    links: doc.links.filter((l) => !gone.has(l.id)),
    nodes: doc.nodes.map((n) => {
      const keep = n.interfaces.filter((i) => !freed.has(`${n.id}\u0000${i.name}`));
      return keep.length === n.interfaces.length ? n : { ...n, interfaces: keep };
    }),
  };
}

export function renameNode(doc: TopologyDoc, nodeId: string, name: string): Edited {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { error: `no node with id "${nodeId}"` };
  const why = validateNodeName(name);
  if (why) return { error: why };
  if (doc.nodes.some((n) => n.id !== nodeId && n.name === name)) return { error: `another node is already named "${name}"` };
  return { doc: mapNode(doc, nodeId, (n) => ({ ...n, name })) };
}

function mapNode(doc: TopologyDoc, nodeId: string, f: (n: NodeDoc) => NodeDoc): TopologyDoc {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? f(n) : n)) };
}

export function setNodePosition(doc: TopologyDoc, nodeId: string, position: Point): TopologyDoc {
  return setNodePositions(doc, { [nodeId]: position });
}

/** Move many nodes at once (a drag of a selection is one undo step). */
export function setNodePositions(doc: TopologyDoc, positions: Readonly<Record<string, Point>>): TopologyDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions[n.id];
      if (!p) return n;
      const dx = p.x - n.position.x;
      const dy = p.y - n.position.y;
      const moved: NodeDoc = { ...n, position: { x: p.x, y: p.y } };
      if (n.labelPosition) moved.labelPosition = { x: n.labelPosition.x + dx, y: n.labelPosition.y + dy };
      return moved;
    }),
  };
}

function findIface(doc: TopologyDoc, nodeId: string, iface: string): Refused | { node: NodeDoc; i: InterfaceDoc } {
  const node = doc.nodes.find((n) => n.id === nodeId);
  if (!node) return { error: `no node with id "${nodeId}"` };
  const i = node.interfaces.find((x) => x.name === iface);
  if (!i) return { error: `${node.name} has no interface ${iface}` };
  return { node, i };
}

/** `fc00:0::1` and `fc00::1` name one address: compare them in RFC 5952 form. */
function canonicalIpv6(text: string): string {
  const a = parseIpv6(text);
  return a === null ? text : formatIpv6(a);
}

/** Replace the IPv4 (and optionally IPv6) addresses of an interface, CIDR strings. */
export function setInterfaceAddresses(doc: TopologyDoc, nodeId: string, iface: string, ipv4: readonly string[], ipv6?: readonly string[]): Edited {
  const f = findIface(doc, nodeId, iface);
  if ('error' in f) return f;
  for (const a of ipv4) {
    const why = validateIpv4Cidr(a);
    if (why) return { error: why };
  }
  for (const a of ipv6 ?? []) {
    const why = validateIpv6Cidr(a);
    if (why) return { error: why };
  }
  const taken = new Set<string>();
  const taken6 = new Set<string>();
  for (const n of doc.nodes) for (const i of n.interfaces) {
    if (n.id === nodeId && i.name === iface) continue;
    for (const a of i.ipv4) if (sharesAddressSpace(i, a.split('/')[0]!)) taken.add(a.split('/')[0]!);
    if (i.type !== 'lo') for (const a of i.ipv6) taken6.add(canonicalIpv6(a.split('/')[0]!));
  }
  const dup = ipv4.find((a) => sharesAddressSpace(f.i, a.split('/')[0]!) && taken.has(a.split('/')[0]!));
  if (dup) return { error: `${dup.split('/')[0]} is already used by another interface` };
  const dup6 = f.i.type === 'lo' ? undefined : (ipv6 ?? []).find((a) => taken6.has(canonicalIpv6(a.split('/')[0]!)));
  if (dup6) return { error: `${dup6.split('/')[0]} is already used by another interface` };
  const next: InterfaceDoc = { ...f.i, ipv4: [...ipv4], ipv6: ipv6 ? [...ipv6] : f.i.ipv6 };
  return { doc: replaceIface(doc, { node: nodeId, iface }, next) };
}

export function setInterfaceMac(doc: TopologyDoc, nodeId: string, iface: string, mac: string): Edited {
  const f = findIface(doc, nodeId, iface);
  if ('error' in f) return f;
  const why = validateMac(mac);
  if (why) return { error: why };
  const lower = mac.toLowerCase();
  const clash = doc.nodes.some((n) => n.interfaces.some((i) => i.mac?.toLowerCase() === lower && !(n.id === nodeId && i.name === iface)));
  if (clash) return { error: `MAC ${lower} is already used by another interface` };
  return { doc: replaceIface(doc, { node: nodeId, iface }, { ...f.i, mac: lower }) };
}

export function setInterfaceMtu(doc: TopologyDoc, nodeId: string, iface: string, mtu: number): Edited {
  const f = findIface(doc, nodeId, iface);
  if ('error' in f) return f;
  const why = validateMtu(mtu);
  if (why) return { error: why };
  return { doc: replaceIface(doc, { node: nodeId, iface }, { ...f.i, mtu }) };
}

/** The interface asks a DHCP server for its address at Start (dhclient), or stops asking. */
export function setInterfaceDhcp(doc: TopologyDoc, nodeId: string, iface: string, on: boolean): Edited {
  const f = findIface(doc, nodeId, iface);
  if ('error' in f) return f;
  const kind = doc.nodes.find((n) => n.id === nodeId)?.kind;
  if (on && (f.i.type === 'lo' || kind === 'lanswitch' || kind === 'hub')) return { error: 'DHCP needs an Ethernet interface of a pc, host or router' };
  const { dhcp: _old, ...rest } = f.i;
  return { doc: replaceIface(doc, { node: nodeId, iface }, on ? { ...rest, dhcp: true } : rest) };
}

/** Replace a node's static routes (IPv4, or IPv6 with v6 = true). */
export function setRoutes(doc: TopologyDoc, nodeId: string, routes: readonly RouteDoc[], v6 = false): Edited {
  if (!doc.nodes.some((n) => n.id === nodeId)) return { error: `no node with id "${nodeId}"` };
  for (const r of routes) {
    const why = validateRoute(r.dest, r.gateway, v6);
    if (why) return { error: why };
  }
  const copy = routes.map((r) => ({ dest: r.dest, gateway: r.gateway }));
  return { doc: mapNode(doc, nodeId, (n) => (v6 ? { ...n, routes6: copy } : { ...n, routes4: copy })) };
}

export function setForwarding(doc: TopologyDoc, nodeId: string, on: boolean): Edited {
  if (!doc.nodes.some((n) => n.id === nodeId)) return { error: `no node with id "${nodeId}"` };
  return { doc: mapNode(doc, nodeId, (n) => ({ ...n, forwarding: on })) };
}

/** A node's startup configuration (shell lines run at Start); [] removes it. Refuses what the schema refuses (1000 lines × 4096 characters). */
export function setStartup(doc: TopologyDoc, nodeId: string, lines: readonly string[]): Edited {
  if (!doc.nodes.some((n) => n.id === nodeId)) return { error: `no node with id "${nodeId}"` };
  if (lines.length > 1000) return { error: 'startup has at most 1000 lines' };
  const long = lines.findIndex((l) => l.length > 4096);
  if (long >= 0) return { error: `line ${long + 1}: a startup line is at most 4096 characters` };
  return { doc: mapNode(doc, nodeId, (n) => {
    const { startup: _old, ...rest } = n;
    return lines.length === 0 ? rest : { ...rest, startup: [...lines] };
  }) };
}

/** Nodes' private files replaced (files kept at Stop); an empty set removes the field. Nodes not named are shared. */
export function setNodeFiles(doc: TopologyDoc, changes: readonly { node: string; files: Readonly<Record<string, string>> }[]): Edited {
  const missing = changes.find((c) => !doc.nodes.some((n) => n.id === c.node));
  if (missing !== undefined) return { error: `no node with id "${missing.node}"` };
  let out = doc;
  for (const c of changes) {
    out = mapNode(out, c.node, (n) => {
      const { files: _old, ...rest } = n;
      return Object.keys(c.files).length === 0 ? rest : { ...rest, files: { ...c.files } };
    });
  }
  return { doc: out };
}

/**
 * Change some link parameters. direction 'both' (default) sets both directions, 'ab' only
 * a→b, 'ba' only b→a (making the link asymmetric). Refuses invalid values with the reason.
 */
export function setLinkParams(doc: TopologyDoc, linkId: string, partial: Partial<LinkParams>, direction: 'both' | 'ab' | 'ba' = 'both'): Edited {
  const link = doc.links.find((l) => l.id === linkId);
  if (!link) return { error: `no link with id "${linkId}"` };
  const why = validateLinkParams(partial);
  if (why) return { error: why };
  const clean = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<LinkParams>;
  const next: LinkDoc = { ...link };
  const ba = link.paramsBA ?? link.params;
  if (direction !== 'ba') next.params = { ...link.params, ...clean };
  if (direction === 'ba' || (direction === 'both' && link.paramsBA)) next.paramsBA = { ...ba, ...clean };
  if (direction === 'ab' && !link.paramsBA) next.paramsBA = { ...link.params };
  if (next.paramsBA && sameParams(next.params, next.paramsBA)) delete next.paramsBA;
  return { doc: { ...doc, links: doc.links.map((l) => (l.id === linkId ? next : l)) } };
}

/** Whether two parameter sets are equal field by field. */
export function sameParams(x: LinkParams, y: LinkParams): boolean {
  return (Object.keys(x) as (keyof LinkParams)[]).every((k) => x[k] === y[k]);
}

export function setLinkUp(doc: TopologyDoc, linkId: string, up: boolean): TopologyDoc {
  return { ...doc, links: doc.links.map((l) => (l.id === linkId ? { ...l, up } : l)) };
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

// The editor's other operations, so `edit` stays its one import (neither imports this file).
export { addAnnotation, updateAnnotation, removeAnnotations, type AnnotationInput } from './annotations';
export { alignNodes, type Alignment } from './arrange';
