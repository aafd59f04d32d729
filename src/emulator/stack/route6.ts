// The IPv6 routing table of one stack: connected prefixes, host routes of our own
// addresses, static and default routes, longest-prefix match with a per-destination
// cache, and the rows `netstat -rn -f inet6` / `route -6 get` show. Must not send packets.
// RFC 4291 §2.5.6 (link-local scope, per-interface fe80::/64), RFC 4861 §5.2 (next hop).

import { inet6Of, withAdded } from './in6';
import { formatIpv6, ipv6Equal, ipv6Key, ipv6Network, ipv6Word, ipv6PrefixMatch, isIpv6LinkLocal, type Ipv6Addr } from '../wire/ipv6-addr';
import { configError, type ConfigResult } from './errno';
import { installedNs, notifyRouteChange } from './programs';
import { ROUTE6_CACHE_SLOTS, ROUTE6_KIND, type Inet6State, type Route6 } from './inet6-types';
import type { NetStack } from './types';

/**
 * FRR's administrative distance per origin (lower wins): among routes of one prefix the
 * table keeps the best first, so longest-prefix match finds it (zebra's selection).
 */
export const ROUTE6_DISTANCE: Readonly<Record<Route6['kind'], number>> = { connected: 0, local: 0, static: 1, ra: 2, ripng: 120, ospf6: 110 };

function insertSorted(inet6: Inet6State, r: Route6): void {
  let i = 0;
  const d = ROUTE6_DISTANCE[r.kind];
  while (i < inet6.routes.length && (inet6.routes[i].prefixLen > r.prefixLen || (inet6.routes[i].prefixLen === r.prefixLen && ROUTE6_DISTANCE[inet6.routes[i].kind] <= d))) i++;
  inet6.routes = withAdded(inet6.routes, r, i);
  cacheClear(inet6);
}

function cacheClear(inet6: Inet6State): void {
  inet6.cache?.route.fill(null);
  inet6.flows = null;
}

/**
 * Adds a route. Connected and local routes keep `r.dest` itself, unmasked (they share their
 * address's bytes: a 16-byte array costs ~200 bytes of heap); matching reads only the prefix.
 */
export function route6Insert(stack: NetStack, r: Route6): void {
  insertSorted(inet6Of(stack), r.kind === ROUTE6_KIND.STATIC ? { ...r, dest: ipv6Network(r.dest, r.prefixLen) } : r);
}

export function route6RemoveWhere(stack: NetStack, pred: (r: Route6) => boolean): void {
  const inet6 = inet6Of(stack);
  inet6.routes = inet6.routes.filter((r) => !pred(r));
  cacheClear(inet6);
}

function usable(stack: NetStack, r: Route6): boolean {
  const iface = stack.ifaces[r.ifIndex];
  return iface.up && (iface.loopback || iface.carrier);
}

/** Hash bits → slot: the top log2(ROUTE6_CACHE_SLOTS) bits of a 32-bit product. */
const ROUTE6_CACHE_SHIFT = 32 - Math.log2(ROUTE6_CACHE_SLOTS);

/**
 * Longest-prefix match for `dst`. Link-local destinations need `zone` (the ifIndex of their
 * scope, RFC 4007 §6): fe80::/64 exists once per interface. Routes over a down interface
 * are skipped, as FreeBSD skips routes whose ifa is down.
 */
export function route6Find(stack: NetStack, buf: Uint8Array, off: number, zone: number): Route6 | null {
  const inet6 = inet6Of(stack);
  const w0 = ipv6Word(buf, off);
  const w1 = ipv6Word(buf, off + 4);
  const w2 = ipv6Word(buf, off + 8);
  const w3 = ipv6Word(buf, off + 12);
  const slot = Math.imul(w0 ^ w1 ^ w2 ^ w3 ^ zone, 0x9e3779b1) >>> ROUTE6_CACHE_SHIFT;
  const c = inet6.cache;
  if (c !== null) {
    // Cached routes are re-checked for a usable interface (carrier and up/down change without a table change).
    const hit = c.route[slot];
    const k = slot * 4;
    if (hit !== null && c.dst[k + 3] === w3 && c.dst[k + 2] === w2 && c.dst[k + 1] === w1 && c.dst[k] === w0 && c.zone[slot] === zone && usable(stack, hit)) return hit;
  }
  const found = route6Match(stack, inet6, buf, off, zone);
  if (found === null) return null;
  const cache = (inet6.cache ??= { dst: new Int32Array(4 * ROUTE6_CACHE_SLOTS), zone: new Int32Array(ROUTE6_CACHE_SLOTS), route: new Array<Route6 | null>(ROUTE6_CACHE_SLOTS).fill(null) });
  const k = slot * 4;
  cache.dst[k] = w0;
  cache.dst[k + 1] = w1;
  cache.dst[k + 2] = w2;
  cache.dst[k + 3] = w3;
  cache.zone[slot] = zone;
  cache.route[slot] = found;
  return found;
}

/** The table walk behind the cache: the first (longest, then lowest-distance) usable route. */
function route6Match(stack: NetStack, inet6: Inet6State, buf: Uint8Array, off: number, zone: number): Route6 | null {
  const dst = off === 0 && buf.length === 16 ? buf : buf.subarray(off, off + 16);
  const linkLocal = isIpv6LinkLocal(dst);
  for (const r of inet6.routes) {
    if (!ipv6PrefixMatch(r.dest, dst, r.prefixLen)) continue;
    if (linkLocal && r.kind !== ROUTE6_KIND.LOCAL && r.ifIndex !== zone) continue;
    if (!usable(stack, r)) continue;
    return r;
  }
  return null;
}

export interface Route6Spec {
  dest: Ipv6Addr;
  prefixLen: number;
  gateway?: Ipv6Addr;
  /** Interface name: required for a link-local gateway (`fe80::1%eth0`), or for an interface route. */
  iface?: string;
}

/** `route -6 add`: FreeBSD messages (`route already in table`, `Network is unreachable`). */
export function route6Add(stack: NetStack, spec: Route6Spec): ConfigResult {
  const dest = ipv6Network(spec.dest, spec.prefixLen);
  const inet6 = inet6Of(stack);
  if (inet6.routes.some((r) => r.prefixLen === spec.prefixLen && ipv6Equal(r.dest, dest) && r.kind === ROUTE6_KIND.STATIC)) {
    return configError('EEXIST', 'route already in table');
  }
  let ifIndex = -1;
  if (spec.iface !== undefined) {
    ifIndex = stack.ifaces.findIndex((i) => i.name === spec.iface);
    if (ifIndex < 0) return configError('ENXIO', `${spec.iface}: bad interface`);
  }
  const gw = spec.gateway ?? null;
  if (gw !== null && ifIndex < 0) {
    // The gateway must be on a connected prefix (FreeBSD: "Network is unreachable").
    const via = isIpv6LinkLocal(gw) ? null : inet6.routes.find((r) => r.kind === ROUTE6_KIND.CONNECTED && ipv6PrefixMatch(r.dest, gw, r.prefixLen));
    if (via === undefined || via === null) return configError('ENETUNREACH');
    ifIndex = via.ifIndex;
  }
  if (ifIndex < 0) return configError('EINVAL');
  route6Insert(stack, { dest, prefixLen: spec.prefixLen, gateway: gw, ifIndex, kind: ROUTE6_KIND.STATIC });
  notifyRouteChange(stack);
  return { ok: true };
}

export function route6Delete(stack: NetStack, spec: { dest: Ipv6Addr; prefixLen: number }): ConfigResult {
  const dest = ipv6Network(spec.dest, spec.prefixLen);
  const before = inet6Of(stack).routes.length;
  route6RemoveWhere(stack, (r) => r.kind === ROUTE6_KIND.STATIC && r.prefixLen === spec.prefixLen && ipv6Equal(r.dest, dest));
  if (inet6Of(stack).routes.length === before) return configError('ESRCH', 'not in table');
  notifyRouteChange(stack);
  return { ok: true };
}

export interface Route6Info {
  dest: Ipv6Addr;
  prefixLen: number;
  gateway: Ipv6Addr | null;
  /** `link#N` or the gateway address (with `%iface` when link-local), as netstat prints it. */
  gatewayText: string;
  /** Destination as netstat prints it: `fc00:1::/64`, `fe80::%eth0/64`, `fc00:1::20`. */
  destText: string;
  iface: string;
  flags: string;
  kind: string;
  /** When a routing daemon installed it (0: at boot, or not a daemon's route). */
  installedNs: number;
}

function scoped(stack: NetStack, a: Ipv6Addr, ifIndex: number): string {
  return isIpv6LinkLocal(a) ? `${formatIpv6(a)}%${stack.ifaces[ifIndex].name}` : formatIpv6(a);
}

function info(stack: NetStack, route: Route6): Route6Info {
  const r = { ...route, dest: ipv6Network(route.dest, route.prefixLen) };
  // 1: RTF_PROTO1, which zebra sets on every route it installs for a routing daemon.
  const flags = `U${r.gateway ? 'G' : ''}${r.prefixLen === 128 ? 'H' : ''}${r.kind === ROUTE6_KIND.STATIC ? 'S' : r.kind === ROUTE6_KIND.LOCAL ? 'S' : ''}${r.kind === ROUTE6_KIND.RIPNG || r.kind === ROUTE6_KIND.OSPF6 ? '1' : ''}`;
  const base = scoped(stack, r.dest, r.ifIndex);
  const pct = base.indexOf('%');
  const destText = r.prefixLen === 128 ? base : pct < 0 ? `${base}/${r.prefixLen}` : `${base}/${r.prefixLen}`;
  const iface = r.kind === ROUTE6_KIND.LOCAL ? stack.ifaces[stack.loIndex].name : stack.ifaces[r.ifIndex].name;
  return {
    dest: r.dest,
    prefixLen: r.prefixLen,
    gateway: r.gateway,
    gatewayText: r.gateway ? scoped(stack, r.gateway, r.ifIndex) : `link#${r.ifIndex + 1}`,
    destText: r.prefixLen === 0 ? 'default' : destText,
    iface,
    flags,
    kind: r.kind,
    installedNs: installedNs(stack, route),
  };
}

/** Rows in netstat order (destination text order is FreeBSD's radix order; we sort by address). */
export function route6List(stack: NetStack): Route6Info[] {
  return [...(stack.inet6?.routes ?? [])]
    .sort((a, b) => {
      for (let i = 0; i < 16; i++) if (a.dest[i] !== b.dest[i]) return a.dest[i] - b.dest[i];
      return a.prefixLen - b.prefixLen || a.ifIndex - b.ifIndex;
    })
    .map((r) => info(stack, r));
}

export interface Route6LookupResult {
  route: Route6Info;
  /** The neighbor packets go to: the gateway or the destination itself. */
  nextHop: Ipv6Addr;
  ifIndex: number;
}

export function route6Lookup(stack: NetStack, dst: Ipv6Addr, zone = -1): Route6LookupResult | null {
  const r = route6Find(stack, dst, 0, zone);
  if (r === null) return null;
  return { route: info(stack, r), nextHop: r.gateway ?? dst, ifIndex: r.ifIndex };
}
