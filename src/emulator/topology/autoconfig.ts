// IMUNES-style address autoconfiguration when links are drawn: one /24 per broadcast
// domain from 10.0.0.0/24 upward (fc00:N::/64 beside it), host part by node kind, and
// default routes from pcs/hosts toward a router of the same subnet. Pure; never renumbers
// addresses that already exist. RFC 1918 §3 (10/8 private space), RFC 4193 (fc00::/7).

import type { InterfaceDoc, LinkEnd, NodeDoc, RouteDoc, TopologyDoc } from './document';
import { formatIpv4, networkOf, parseCidr, prefixMask } from '../wire/addr';

/** First host number each kind takes in a subnet (IMUNES: router .1, host .10, pc .20). */
export const HOST_PART_BY_KIND = { router: 1, host: 10, pc: 20 } as const;

export function isBridgeKind(kind: string): boolean {
  return kind === 'lanswitch' || kind === 'hub' || kind === 'stpswitch' || kind === 'filter';
}

export function isAddressedKind(kind: string): kind is keyof typeof HOST_PART_BY_KIND {
  return kind === 'router' || kind === 'host' || kind === 'pc';
}

/** The peer end of the link attached to `end`, or null if the interface is unlinked. */
function peerOf(doc: TopologyDoc, end: LinkEnd): LinkEnd | null {
  for (const l of doc.links) {
    if (l.a.node === end.node && l.a.iface === end.iface) return l.b;
    if (l.b.node === end.node && l.b.iface === end.iface) return l.a;
  }
  return null;
}

/**
 * Every addressed endpoint in the broadcast domain of `end` (itself included): the peer
 * directly, or everything reachable through switches and hubs.
 */
export function broadcastDomain(doc: TopologyDoc, end: LinkEnd): LinkEnd[] {
  const kindOf = new Map(doc.nodes.map((n) => [n.id, n.kind] as const));
  const out: LinkEnd[] = [];
  const seenBridges = new Set<string>();
  const queue: LinkEnd[] = [end];
  const seenEnds = new Set<string>();
  while (queue.length > 0) {
    const cur = queue.shift()!;
    const key = `${cur.node}\u0000${cur.iface}`;
    if (seenEnds.has(key)) continue;
    seenEnds.add(key);
    const kind = kindOf.get(cur.node) ?? '';
    if (!isBridgeKind(kind)) {
      out.push(cur);
      const peer = peerOf(doc, cur);
      if (peer) queue.push(peer);
      continue;
    }
    if (seenBridges.has(cur.node)) continue;
    seenBridges.add(cur.node);
    for (const l of doc.links) {
      if (l.a.node === cur.node) queue.push(l.b);
      if (l.b.node === cur.node) queue.push(l.a);
    }
  }
  return out;
}

function ifaceOf(doc: TopologyDoc, end: LinkEnd): InterfaceDoc | undefined {
  return doc.nodes.find((n) => n.id === end.node)?.interfaces.find((i) => i.name === end.iface);
}

function usedIpv4(doc: TopologyDoc): Set<number> {
  const used = new Set<number>();
  for (const n of doc.nodes) for (const i of n.interfaces) for (const a of i.ipv4) {
    const c = parseCidr(a);
    if (c) used.add(c.addr);
  }
  return used;
}

/** Smallest 10.x.y.0/24 no interface of the document uses. */
function freeSubnet(doc: TopologyDoc): number {
  const nets = new Set<number>();
  for (const n of doc.nodes) for (const i of n.interfaces) for (const a of i.ipv4) {
    const c = parseCidr(a);
    if (c) nets.add((c.addr & 0xffffff00) >>> 0);
  }
  for (let idx = 0; idx < 65536; idx++) {
    const net = (0x0a000000 + idx * 256) >>> 0;
    if (!nets.has(net)) return net;
  }
  return 0x0a000000;
}

/** IMUNES pairs 10.0.N.0/24 with fc00:N::/64 (N in hex); `fc00::` for N = 0. */
function ipv6PrefixFor(net: number): string {
  const idx = (net >>> 8) & 0xffff;
  return idx === 0 ? 'fc00::' : `fc00:${idx.toString(16)}::`;
}

/**
 * Give the interface at `end` an IPv4 (and IPv6) address in its broadcast domain's subnet
 * unless its node kind takes no address or it already has one.
 */
export function autoAddress(doc: TopologyDoc, end: LinkEnd): TopologyDoc {
  const node = doc.nodes.find((n) => n.id === end.node);
  const iface = ifaceOf(doc, end);
  if (!node || !iface || !isAddressedKind(node.kind) || iface.ipv4.length > 0) return doc;
  let net: number | null = null;
  let prefixLen = 24;
  let v6Prefix: string | null = null;
  for (const member of broadcastDomain(doc, end)) {
    const other = ifaceOf(doc, member);
    const c = other?.ipv4[0] !== undefined ? parseCidr(other.ipv4[0]) : null;
    if (!other || !c) continue;
    net = networkOf(c.addr, c.prefixLen);
    prefixLen = c.prefixLen;
    const v6 = other.ipv6[0];
    if (v6 && v6.includes('::')) v6Prefix = v6.slice(0, v6.indexOf('::') + 2);
    break;
  }
  if (net === null) net = freeSubnet(doc);
  const used = usedIpv4(doc);
  const size = 2 ** (32 - prefixLen);
  let host = HOST_PART_BY_KIND[node.kind];
  while (host < size - 1 && used.has((net + host) >>> 0)) host++;
  if (host >= size - 1) return doc;
  const ipv4 = [`${formatIpv4((net + host) >>> 0)}/${prefixLen}`];
  const ipv6 = [`${v6Prefix ?? ipv6PrefixFor(net)}${host}/64`];
  return replaceIface(doc, end, { ...iface, ipv4, ipv6 });
}

export function replaceIface(doc: TopologyDoc, end: LinkEnd, next: InterfaceDoc): TopologyDoc {
  return {
    ...doc,
    nodes: doc.nodes.map((n) =>
      n.id !== end.node ? n : { ...n, interfaces: n.interfaces.map((i) => (i.name === end.iface ? next : i)) },
    ),
  };
}

function hasDefault(routes: RouteDoc[], dest: string): boolean {
  return routes.some((r) => r.dest === dest);
}

/**
 * In the broadcast domain of `end`, give every pc/host without a default route one via
 * the first router address of the same subnet (IPv6 likewise via the router's fc00 address).
 */
export function autoDefaultRoutes(doc: TopologyDoc, end: LinkEnd): TopologyDoc {
  const members = broadcastDomain(doc, end);
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));
  let gw4: { net: number; len: number; addr: string } | null = null;
  let gw6: string | null = null;
  for (const m of members) {
    if (byId.get(m.node)?.kind !== 'router') continue;
    const i = ifaceOf(doc, m);
    const c = i?.ipv4[0] !== undefined ? parseCidr(i.ipv4[0]) : null;
    if (!i || !c) continue;
    gw4 = { net: networkOf(c.addr, c.prefixLen), len: c.prefixLen, addr: formatIpv4(c.addr) };
    gw6 = i.ipv6[0]?.split('/')[0] ?? null;
    break;
  }
  if (!gw4) return doc;
  const updates = new Map<string, NodeDoc>();
  for (const m of members) {
    const n = updates.get(m.node) ?? byId.get(m.node);
    if (!n || (n.kind !== 'pc' && n.kind !== 'host')) continue;
    const c = ifaceOf(doc, m)?.ipv4.map(parseCidr).find((x) => x !== null);
    if (!c || ((c.addr & prefixMask(gw4.len)) >>> 0) !== gw4.net) continue;
    let next = n;
    if (!hasDefault(n.routes4, '0.0.0.0/0')) next = { ...next, routes4: [...next.routes4, { dest: '0.0.0.0/0', gateway: gw4.addr }] };
    if (gw6 && !hasDefault(n.routes6, '::/0')) next = { ...next, routes6: [...next.routes6, { dest: '::/0', gateway: gw6 }] };
    if (next !== n) updates.set(n.id, next);
  }
  if (updates.size === 0) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => updates.get(n.id) ?? n) };
}
