// Decisions a node makes while handling a frame, as plain data (simulation mode's "why":
// longest-prefix match with the routes that lost, ARP/NDP cache hit or miss, the switch's
// MAC table, TTL and checksum, firewall rule and NAT, the socket that received it). Built
// only when the world turns explanations on (`stack.explain !== null`): every hook here is
// called behind that one check, so the hot path pays nothing when they are off. Must not
// decide anything itself; it formats what the stack already decided. RFC 1812 §5.2.4.3.

import { formatCidr, formatIpv4 } from '../wire/addr';
import { formatIpv6, ipv6Network, ipv6PrefixMatch, isIpv6LinkLocal } from '../wire/ipv6-addr';
import { DROP } from './env';
import { ROUTE6_KIND, type Route6 } from './inet6-types';
import type { FwVerdict } from './ipfw/chk';
import { ruleBody } from './ipfw/format';
import { FW_DIR, type Firewall, type FwPacket } from './ipfw/types';
import { allRoutes, maskOf } from './route';
import type { Iface, NetStack, Route } from './types';

/** OSI layer a step belongs to (the explain view lays steps out by layer, in and out). */
export type DecisionLayer = 'link' | 'network' | 'transport' | 'app';

/** One route as a decision shows it: `10.0.1.0/24 via 10.0.12.2 on eth1`. */
export interface RouteRef {
  prefix: string;
  gateway?: string;
  iface: string;
  kind: string;
}

export interface RouteLoser extends RouteRef {
  /**
   * Why it lost: it matched but a longer prefix did, or it does not cover the destination;
   * IPv6 also: the same prefix from an origin of higher administrative distance won
   * (zebra's selection), its interface is down, or it is a link-local prefix of another
   * interface than the destination's zone (RFC 4007 §6).
   */
  why: 'shorter-prefix' | 'no-match' | 'higher-distance' | 'interface-down' | 'other-zone';
}

/** Routes listed as losers per lookup at most (a big table lists the closest ones and counts the rest). */
export const ROUTE_LOSERS_MAX = 12;

export type DecisionStep =
  | { kind: 'route'; layer: 'network'; family: 4 | 6; dst: string; matched: RouteRef | null; losers: RouteLoser[]; losersOmitted: number }
  | { kind: 'local'; layer: 'network'; dst: string; iface: string; broadcast: boolean }
  | { kind: 'ttl'; layer: 'network'; before: number; after: number; checksumBefore: string; checksumAfter: string }
  | { kind: 'icmp-error'; layer: 'network'; type: number; code: number; to: string }
  | { kind: 'echo-reply'; layer: 'network'; to: string }
  | { kind: 'firewall'; layer: 'network'; dir: 'in' | 'out'; rule: number | null; ruleText: string; verdict: FirewallVerdict }
  | { kind: 'nat'; layer: 'network'; dir: 'in' | 'out'; before: string; after: string }
  | { kind: 'neighbor'; layer: 'link'; proto: 'arp' | 'ndp'; iface: string; nextHop: string; result: NeighborResult; mac?: string; held?: number }
  | { kind: 'neighbor-learn'; layer: 'link'; proto: 'arp' | 'ndp'; iface: string; ip: string; mac: string; released: number }
  | { kind: 'switch'; layer: 'link'; inPort: string; src: string; dst: string; vlan?: number; learned: boolean; result: SwitchResult; outPorts: string[] }
  /** A hub repeats every frame out of every other port (it reads nothing). */
  | { kind: 'repeat'; layer: 'link'; inPort: string; outPorts: string[] }
  /** An ARP request for one of our addresses, answered (RFC 826). */
  | { kind: 'arp-answer'; layer: 'link'; iface: string; ip: string; mac: string; to: string }
  | { kind: 'deliver'; layer: 'transport'; proto: string; socket: string | null; why?: string }
  | { kind: 'drop'; layer: DecisionLayer; reason: string; rule?: number };

export type NeighborResult = 'hit' | 'miss' | 'pending' | 'down';
export type SwitchResult = 'forward' | 'flood' | 'filter';
export type FirewallVerdict = 'pass' | 'deny' | 'unreach' | 'pipe' | 'nat';

/** What one node decided while handling one frame (or sending one of its own). */
export interface Decision {
  /** Node name. */
  node: string;
  /** The interface the frame that started it came in on; absent for the node's own sends. */
  in?: string;
  steps: DecisionStep[];
}

/** Steps kept per decision (a flood on a 500-port switch is one step; a broadcast storm is bounded). */
export const DECISION_STEPS_MAX = 32;

/** Where a stack (or switch) writes its decisions; the World implements it. */
export interface Explainer {
  step(nodeIndex: number, s: DecisionStep): void;
}

export function routeRef(stack: NetStack, r: Route): RouteRef {
  const ref: RouteRef = { prefix: formatCidr(r.dest, r.prefixLen), iface: stack.ifaces[r.ifIndex]?.name ?? '?', kind: r.kind };
  if (r.gateway !== 0) ref.gateway = formatIpv4(r.gateway >>> 0);
  return ref;
}

/**
 * The longest-prefix match for `dst` and the routes that lost: those covering `dst` lost
 * to a longer prefix, the rest do not match (RFC 1812 §5.2.4.3). Covering routes first.
 */
export function explainRoute(stack: NetStack, ex: Explainer, dst: number, matched: Route | null): void {
  const t = stack.routes;
  const cached = t.explained?.get(dst | 0) as DecisionStep | undefined;
  if (cached !== undefined) return ex.step(stack.nodeIndex, cached);
  const step = routeStep(stack, dst >>> 0, matched);
  // A multicast or limited-broadcast "route" is made up per send (ip-output.ts): never cached.
  if (dst >>> 28 === 0xe || dst === -1 || dst >>> 0 === 0xffff_ffff) return ex.step(stack.nodeIndex, step);
  // The same lookup explains every packet to this destination until the table changes
  // (route.ts clears this with its cache): steps are immutable, so decisions share it.
  if (t.explained === null || t.explained.size >= ROUTE_EXPLAINED_MAX) t.explained = new Map();
  t.explained.set(dst | 0, step);
  ex.step(stack.nodeIndex, step);
}

/** Explained destinations kept per table (as many as the lookup cache). */
const ROUTE_EXPLAINED_MAX = 1024;

function routeStep(stack: NetStack, d: number, matched: Route | null): DecisionStep {
  const covering: RouteLoser[] = [];
  const others: RouteLoser[] = [];
  for (const r of allRoutes(stack)) {
    if (r === matched) continue;
    const covers = ((d & maskOf(r.prefixLen)) >>> 0) === r.dest >>> 0;
    (covers ? covering : others).push({ ...routeRef(stack, r), why: covers ? 'shorter-prefix' : 'no-match' });
  }
  // Covering routes, longest first: the ones that came closest to winning.
  covering.sort((x, y) => prefixLenOf(y.prefix) - prefixLenOf(x.prefix));
  const all = covering.concat(others);
  const losers = all.slice(0, ROUTE_LOSERS_MAX);
  return {
    kind: 'route',
    layer: 'network',
    family: 4,
    dst: formatIpv4(d),
    matched: matched === null ? null : routeRef(stack, matched),
    losers,
    losersOmitted: all.length - losers.length,
  };
}

const prefixLenOf = (cidr: string): number => Number(cidr.slice(cidr.indexOf('/') + 1));

/** TTL decremented and the header checksum updated (RFC 1812 §5.3.1, RFC 1624), read from the two headers. */
export function explainTtl(stack: NetStack, ex: Explainer, before: Uint8Array, beforeOff: number, after: Uint8Array, afterOff: number): void {
  const hex = (b: Uint8Array, o: number) => '0x' + ((b[o + 10] << 8) | b[o + 11]).toString(16).padStart(4, '0');
  ex.step(stack.nodeIndex, {
    kind: 'ttl',
    layer: 'network',
    before: before[beforeOff + 8],
    after: after[afterOff + 8],
    checksumBefore: hex(before, beforeOff),
    checksumAfter: hex(after, afterOff),
  });
}

/** IPv4 source, destination and (for TCP/UDP) ports of the datagram at `off`, as `a:p → b:q`. */
export function flowText(b: Uint8Array, off: number): string {
  const ip = (o: number) => formatIpv4(((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0);
  const proto = b[off + 9];
  const hl = (b[off] & 0x0f) << 2;
  if ((proto === 6 || proto === 17) && b.length >= off + hl + 4) {
    const sp = (b[off + hl] << 8) | b[off + hl + 1];
    const dp = (b[off + hl + 2] << 8) | b[off + hl + 3];
    return `${ip(off + 12)}:${sp} → ${ip(off + 16)}:${dp}`;
  }
  return `${ip(off + 12)} → ${ip(off + 16)}`;
}

/** The datagram at `off` is for this node (one of its addresses, a broadcast or a group it joined). */
export function explainLocal(stack: NetStack, ex: Explainer, b: Uint8Array, off: number, iface: Iface, broadcast: boolean): void {
  const dst = formatIpv4(((b[off + 16] << 24) | (b[off + 17] << 16) | (b[off + 18] << 8) | b[off + 19]) >>> 0);
  ex.step(stack.nodeIndex, { kind: 'local', layer: 'network', dst, iface: iface.name, broadcast });
}

/** The socket a transport handed the segment to, or (socket null) why none took it. */
export function explainDeliver(stack: NetStack, ex: Explainer, proto: string, socket: string | null, whyNone: string): void {
  ex.step(stack.nodeIndex, socket === null ? { kind: 'deliver', layer: 'transport', proto, socket, why: whyNone } : { kind: 'deliver', layer: 'transport', proto, socket });
}

function route6Ref(stack: NetStack, r: Route6): RouteRef {
  const ref: RouteRef = { prefix: `${formatIpv6(ipv6Network(r.dest, r.prefixLen))}/${r.prefixLen}`, iface: stack.ifaces[r.ifIndex]?.name ?? '?', kind: r.kind };
  if (r.gateway !== null) ref.gateway = formatIpv6(r.gateway);
  return ref;
}

/** Why `r` lost to `matched` for `dst` (zone: the destination's scope for a link-local one, -1 otherwise). */
function route6LostWhy(stack: NetStack, r: Route6, matched: Route6 | null, dst: Uint8Array, zone: number): RouteLoser['why'] {
  if (!ipv6PrefixMatch(r.dest, dst, r.prefixLen)) return 'no-match';
  if (isIpv6LinkLocal(dst) && r.kind !== ROUTE6_KIND.LOCAL && r.ifIndex !== zone) return 'other-zone';
  const i = stack.ifaces[r.ifIndex];
  if (!i.up || (!i.loopback && !i.carrier)) return 'interface-down';
  return matched !== null && matched.prefixLen === r.prefixLen ? 'higher-distance' : 'shorter-prefix';
}

/**
 * The IPv6 route chosen for the destination at `dstOff` and the routes that lost, as for
 * IPv4: covering routes first in table order (longest prefix, then lowest distance), then
 * the rest; at most ROUTE_LOSERS_MAX listed.
 */
export function explainRoute6(stack: NetStack, ex: Explainer, b: Uint8Array, dstOff: number, r: Route6 | null, zone = -1): void {
  const dst = b.slice(dstOff, dstOff + 16);
  const covering: RouteLoser[] = [];
  const others: RouteLoser[] = [];
  for (const x of stack.inet6?.routes ?? []) {
    if (x === r) continue;
    const why = route6LostWhy(stack, x, r, dst, zone);
    (why === 'no-match' ? others : covering).push({ ...route6Ref(stack, x), why });
  }
  const all = covering.concat(others);
  const losers = all.slice(0, ROUTE_LOSERS_MAX);
  ex.step(stack.nodeIndex, { kind: 'route', layer: 'network', family: 6, dst: formatIpv6(dst), matched: r === null ? null : route6Ref(stack, r), losers, losersOmitted: all.length - losers.length });
}

const VERDICT_NAMES: readonly FirewallVerdict[] = ['pass', 'deny', 'unreach', 'pipe', 'nat'];

/** The rule that decided a firewall pass (ipfw list's text, `null` when none matched) and its verdict. */
export function explainFirewall(stack: NetStack, ex: Explainer, fw: Firewall, p: FwPacket, verdict: FwVerdict): void {
  const rule = fw.hit;
  ex.step(stack.nodeIndex, {
    kind: 'firewall',
    layer: 'network',
    dir: p.dir === FW_DIR.IN ? 'in' : 'out',
    rule: rule === null ? null : rule.num,
    ruleText: rule === null ? '' : `${String(rule.num).padStart(5, '0')} ${ruleBody(rule)}`,
    verdict: VERDICT_NAMES[verdict],
  });
}

/** The layer a drop reason belongs to (DROP in env.ts), for laying a decision out by layer. */
export function dropLayer(reason: string): DecisionLayer {
  switch (reason) {
    case DROP.LINK_LOSS:
    case DROP.LINK_BER:
    case DROP.LINK_DOWN:
    case DROP.IFACE_DOWN:
    case DROP.QUEUE_FULL:
    case DROP.LOOP_DETECTED:
    case DROP.ARP_TIMEOUT:
    case DROP.ND_TIMEOUT:
    case DROP.ARP_QUEUE_FULL:
      return 'link';
    case DROP.NO_LISTENER:
    case DROP.TCP_LISTEN_OVERFLOW:
    case DROP.TCP_OUT_OF_WINDOW:
    case DROP.TCP_INVALID:
      return 'transport';
    default:
      return 'network';
  }
}
