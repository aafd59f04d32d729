// The routing table of one stack: connected, local (host routes of our addresses),
// static and default routes, longest-prefix match with a lookup cache, and the
// route(8)/netstat -rn views. Must not send packets. RFC 1812 §5.2.4 (route selection),
// RFC 4632 (CIDR), FreeBSD route(8) error texts.

import { formatCidr, formatIpv4 } from '../wire/addr';
import { configError, type ConfigResult } from './errno';
import { installedNs, noteInstalled, notifyRouteChange } from './programs';
import { ROUTE_KIND, type Iface, type NetStack, type Route, type RouteKind, type RouteTable } from './types';

/** Netmask per prefix length 0..32 (a constant table, never written). */
const MASKS: readonly number[] = Array.from({ length: 33 }, (_, len) =>
  len === 0 ? 0 : len === 32 ? 0xffff_ffff : (0xffff_ffff << (32 - len)) >>> 0,
);
const CACHE_MAX = 1024;

export function maskOf(prefixLen: number): number {
  return MASKS[prefixLen];
}

export function createRouteTable(): RouteTable {
  return { byLen: [], lens: [], cache: new Map(), lastDst: 0.5, lastRoute: null, explained: null };
}

/** Longest-prefix match (RFC 1812 §5.2.4.3), cached per destination. Hot path. */
export function routeFind(stack: NetStack, dst: number): Route | null {
  const t = stack.routes;
  const key = dst | 0; // int32 keys: small integers for every address, no boxing
  if (t.lastDst === key) return t.lastRoute;
  let r = t.cache.get(key);
  if (r === undefined) {
    r = routeFindUncached(t, dst >>> 0);
    if (t.cache.size >= CACHE_MAX) t.cache.clear();
    t.cache.set(key, r);
  }
  t.lastDst = key;
  t.lastRoute = r;
  return r;
}

export function routeFindUncached(t: RouteTable, dst: number): Route | null {
  const lens = t.lens;
  for (let i = 0; i < lens.length; i++) {
    const len = lens[i];
    const r = (t.byLen[len] as Map<number, Route>).get((dst & MASKS[len]) >>> 0);
    if (r !== undefined) return r;
  }
  return null;
}

/** Inserts without checks; returns false when an identical prefix exists. */
export function routeInsert(stack: NetStack, r: Route): boolean {
  const t = stack.routes;
  let m = t.byLen[r.prefixLen];
  if (m === undefined) {
    m = new Map();
    t.byLen[r.prefixLen] = m;
    t.lens.push(r.prefixLen);
    t.lens.sort((a, b) => b - a);
  }
  if (m.has(r.dest)) return false;
  m.set(r.dest, r);
  noteInstalled(stack, r);
  invalidateCache(t);
  return true;
}

export function routeRemove(stack: NetStack, dest: number, prefixLen: number): Route | null {
  const t = stack.routes;
  const m = t.byLen[prefixLen];
  const r = m?.get(dest);
  if (m === undefined || r === undefined) return null;
  m.delete(dest);
  if (m.size === 0) {
    t.byLen[prefixLen] = undefined;
    t.lens = t.lens.filter((l) => l !== prefixLen);
  }
  invalidateCache(t);
  return r;
}

export function invalidateCache(t: RouteTable): void {
  t.cache.clear();
  t.lastDst = 0.5; // matches no int32 key
  t.lastRoute = null;
  t.explained = null;
}

/** Every route, sorted by destination then prefix length. */
export function allRoutes(stack: NetStack): Route[] {
  const out: Route[] = [];
  for (const m of stack.routes.byLen) if (m) for (const r of m.values()) out.push(r);
  out.sort((a, b) => a.dest - b.dest || a.prefixLen - b.prefixLen);
  return out;
}

/** Removes every connected/local route pointing at interface `ifIndex` for one address. */
export function removeRoutesWhere(stack: NetStack, pred: (r: Route) => boolean): void {
  for (const r of allRoutes(stack)) if (pred(r)) routeRemove(stack, r.dest, r.prefixLen);
}

export function ifaceUsable(iface: Iface): boolean {
  return iface.up && iface.carrier;
}

/** Interface whose connected subnet holds `addr` (on-link test for gateways). */
export function onLinkIface(stack: NetStack, addr: number): Iface | null {
  for (const iface of stack.ifaces) {
    if (iface.loopback) continue;
    for (const a of iface.addrs) {
      const m = MASKS[a.prefixLen];
      if (((a.addr ^ addr) & m) === 0 && a.prefixLen < 32) return iface;
    }
  }
  return null;
}

export interface RouteSpec {
  dest: number;
  prefixLen: number;
  gateway?: number;
  /** Interface name (route add -iface / -interface). */
  iface?: string;
}

/** route add (FreeBSD route(8) semantics and errors). */
export function routeAdd(stack: NetStack, spec: RouteSpec): ConfigResult {
  const { prefixLen } = spec;
  if (!(prefixLen >= 0 && prefixLen <= 32) || !Number.isInteger(prefixLen)) return configError('EINVAL');
  const dest = (spec.dest & MASKS[prefixLen]) >>> 0;
  const what = `${prefixLen === 32 ? 'host' : 'net'} ${prefixLen === 0 ? 'default' : formatCidr(dest, prefixLen)}`;
  let ifIndex = -1;
  if (spec.iface !== undefined) {
    const iface = stack.ifaces.find((i) => i.name === spec.iface);
    if (!iface) return configError('ENXIO', `${what}: interface ${spec.iface} does not exist`);
    ifIndex = iface.index;
  }
  const gateway = spec.gateway === undefined ? 0 : spec.gateway >>> 0;
  if (spec.gateway !== undefined) {
    const via = onLinkIface(stack, gateway);
    if (!via || (ifIndex >= 0 && via.index !== ifIndex)) {
      return configError('ENETUNREACH', `${what}: gateway ${formatIpv4(gateway)} fib 0: Network is unreachable`);
    }
    ifIndex = via.index;
  }
  if (ifIndex < 0) return configError('EINVAL', `${what}: gateway or interface required`);
  const r: Route = { dest, prefixLen, gateway, ifIndex, kind: ROUTE_KIND.STATIC, broadcast: -1 };
  if (!routeInsert(stack, r)) return configError('EEXIST', `${what}: gateway ${gatewayText(stack, r)} fib 0: route already in table`);
  notifyRouteChange(stack);
  return { ok: true };
}

/** route delete: only the exact prefix; ESRCH "not in table" otherwise. */
/** Destination as route(8)/netstat print it: `default`, a host address, or `net/len`. */
export function routeDestText(dest: number, prefixLen: number): string {
  if (prefixLen === 0) return 'default';
  return prefixLen === 32 ? formatIpv4(dest) : formatCidr(dest, prefixLen);
}

export function routeDelete(stack: NetStack, spec: { dest: number; prefixLen: number }): ConfigResult {
  const prefixLen = spec.prefixLen;
  if (!(prefixLen >= 0 && prefixLen <= 32)) return configError('EINVAL');
  const dest = (spec.dest & MASKS[prefixLen]) >>> 0;
  const what = `${prefixLen === 32 ? 'host' : 'net'} ${prefixLen === 0 ? 'default' : formatCidr(dest, prefixLen)}`;
  const r = stack.routes.byLen[prefixLen]?.get(dest);
  if (!r) return configError('ESRCH', `${what}: not in table`);
  routeRemove(stack, dest, prefixLen);
  notifyRouteChange(stack);
  return { ok: true };
}

/**
 * The Gateway column: the next hop, else `link#N` of the interface. A local host route
 * leaves through lo0 but, as FreeBSD's ifa_maintain_loopback_route() installs it, its
 * gateway is the link of the interface that owns the address (`10.0.0.20 link#1 UHS lo0`).
 */
function gatewayText(stack: NetStack, r: Route): string {
  if (r.gateway !== 0) return formatIpv4(r.gateway);
  const owner = r.kind === ROUTE_KIND.LOCAL ? stack.local.get(r.dest) : undefined;
  return `link#${(owner ?? r.ifIndex) + 1}`;
}

/**
 * FreeBSD netstat -rn flags, in netstat's order: U up, G gateway, H host, S static,
 * 1 RTF_PROTO1 (zebra marks every route it installs for a routing daemon with it, so a RIP
 * route shows as UG1).
 */
export function routeFlags(stack: NetStack, r: Route): string {
  const iface = stack.ifaces[r.ifIndex];
  let f = iface && ifaceUsable(iface) ? 'U' : '';
  if (r.gateway !== 0) f += 'G';
  if (r.prefixLen === 32) f += 'H';
  // FreeBSD marks the host routes of interface addresses static (UHS), not 127.0.0.1 (UH).
  if (r.kind === ROUTE_KIND.STATIC || (r.kind === ROUTE_KIND.LOCAL && r.dest !== 0x7f000001)) f += 'S';
  if (r.kind === ROUTE_KIND.RIP || r.kind === ROUTE_KIND.OSPF || r.kind === ROUTE_KIND.BGP) f += '1';
  return f;
}

export interface RouteInfo {
  dest: number;
  prefixLen: number;
  /** Next-hop router, null for on-link routes (shown as `link#N`). */
  gateway: number | null;
  gatewayText: string;
  iface: string;
  flags: string;
  kind: RouteKind;
  usable: boolean;
  /** Virtual time the route was installed or last replaced. */
  installedNs: number;
}

export function routeInfo(stack: NetStack, r: Route): RouteInfo {
  const iface = stack.ifaces[r.ifIndex];
  return {
    dest: r.dest,
    prefixLen: r.prefixLen,
    gateway: r.gateway === 0 ? null : r.gateway,
    gatewayText: gatewayText(stack, r),
    iface: iface.name,
    flags: routeFlags(stack, r),
    kind: r.kind,
    usable: ifaceUsable(iface),
    installedNs: installedNs(stack, r),
  };
}

/** netstat -rn: the whole table. */
export function routeList(stack: NetStack): RouteInfo[] {
  return allRoutes(stack).map((r) => routeInfo(stack, r));
}

export interface RouteLookupResult {
  route: RouteInfo;
  iface: string;
  /** Next hop: the gateway, or the destination itself when on-link. */
  gateway: number;
  explanation: string[];
}

/** route get: the chosen route and why (every matching prefix considered, the longest wins). */
export function routeLookup(stack: NetStack, dst: number): RouteLookupResult | null {
  const d = dst >>> 0;
  const explanation: string[] = [];
  const candidates = allRoutes(stack).sort((a, b) => b.prefixLen - a.prefixLen);
  let chosen: Route | null = null;
  for (const r of candidates) {
    if (((d & MASKS[r.prefixLen]) >>> 0) !== r.dest) continue;
    const via = r.gateway !== 0 ? `via ${formatIpv4(r.gateway)}` : 'directly connected';
    const name = stack.ifaces[r.ifIndex].name;
    explanation.push(`${formatCidr(r.dest, r.prefixLen)} ${via} on ${name} matches (prefix length ${r.prefixLen})`);
    if (!chosen) chosen = r;
  }
  if (!chosen) {
    explanation.push(`no route matches ${formatIpv4(d)} and there is no default route`);
    return null;
  }
  const others = explanation.length - 1;
  explanation.push(
    `chosen: ${formatCidr(chosen.dest, chosen.prefixLen)} — the longest matching prefix` +
      (others > 0 ? ` of ${explanation.length} candidates` : ''),
  );
  const info = routeInfo(stack, chosen);
  return { route: info, iface: info.iface, gateway: chosen.gateway !== 0 ? chosen.gateway : d, explanation };
}
