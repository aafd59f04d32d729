// The routing-table API for programs (what zebra does with FreeBSD's routing socket):
// a daemon installs, replaces and withdraws routes of its own origin, and never touches
// another origin's routes. Selection between origins follows FRR's administrative
// distances (connected 0, static 1, eBGP 20, OSPF 110, RIP 120, iBGP 200). Must not send
// packets. RFC 1812 §5.2.4.4 (choosing among routing protocols).

import { formatCidr, formatIpv4 } from '../wire/addr';
import { configError, type ConfigResult } from './errno';
import { maskOf, onLinkIface, routeInsert, routeRemove } from './route';
import { ROUTE_KIND, type NetStack, type ProtoRouteKind, type RouteKind } from './types';

/** FRR's default administrative distance per origin (lower wins). */
export const ADMIN_DISTANCE: Readonly<Record<RouteKind, number>> = {
  connected: 0,
  local: 0,
  static: 1,
  kernel: 0,
  bgp: 20,
  ospf: 110,
  rip: 120,
};

export interface ProtoRoute {
  dest: number;
  prefixLen: number;
  /** Next-hop router on a connected subnet; 0 for an on-link route (then `ifIndex` is required). */
  gateway: number;
  /** Outgoing interface; -1 to take the one whose subnet holds `gateway`. */
  ifIndex: number;
  origin: ProtoRouteKind;
  /** The protocol's metric: kept by the daemon (as zebra keeps it), not by the kernel table. */
  metric: number;
}

/**
 * Installs `r`, replacing the route of the same prefix when it is ours or another daemon's
 * with a worse distance. EEXIST when a better route (connected, static, a better protocol)
 * holds the prefix: like zebra, the daemon keeps its route and the table keeps the better one.
 */
export function ribInstall(stack: NetStack, r: ProtoRoute): ConfigResult {
  const prefixLen = r.prefixLen;
  if (!(Number.isInteger(prefixLen) && prefixLen >= 0 && prefixLen <= 32)) return configError('EINVAL');
  const dest = (r.dest & maskOf(prefixLen)) >>> 0;
  const gateway = r.gateway >>> 0;
  let ifIndex = r.ifIndex;
  if (gateway !== 0) {
    const via = onLinkIface(stack, gateway);
    if (via === null || (ifIndex >= 0 && via.index !== ifIndex)) {
      return configError('ENETUNREACH', `${formatCidr(dest, prefixLen)}: gateway ${formatIpv4(gateway)}: Network is unreachable`);
    }
    ifIndex = via.index;
  }
  if (!(ifIndex >= 0 && ifIndex < stack.ifaces.length)) return configError('EINVAL', `${formatCidr(dest, prefixLen)}: gateway or interface required`);
  const old = stack.routes.byLen[prefixLen]?.get(dest);
  if (old !== undefined && old.kind !== r.origin && ADMIN_DISTANCE[old.kind] <= ADMIN_DISTANCE[r.origin]) {
    return configError('EEXIST', `${formatCidr(dest, prefixLen)}: route already in table`);
  }
  if (old !== undefined && old.kind === r.origin && old.gateway === gateway && old.ifIndex === ifIndex) {
    return { ok: true }; // same next hop: keep the install time (the route's age), as the kernel does
  }
  if (old !== undefined) routeRemove(stack, dest, prefixLen);
  routeInsert(stack, { dest, prefixLen, gateway, ifIndex, kind: r.origin, broadcast: -1 });
  stack.env.log?.(() => `zebra: route ${formatCidr(dest, prefixLen)} ${gateway !== 0 ? `via ${formatIpv4(gateway)}` : `on ${stack.ifaces[ifIndex].name}`} ${old === undefined ? 'added' : 'changed'} (${r.origin})`);
  return { ok: true };
}

/**
 * Whether the table already holds exactly this route of `origin` (same next hop and
 * interface): installing it again would change nothing, so a daemon that recomputes its
 * whole table can skip it.
 */
export function ribHolds(stack: NetStack, dest: number, prefixLen: number, origin: ProtoRouteKind, gateway: number, ifIndex: number): boolean {
  const old = stack.routes.byLen[prefixLen]?.get((dest & maskOf(prefixLen)) >>> 0);
  return old !== undefined && old.kind === origin && old.gateway === gateway >>> 0 && (ifIndex < 0 || old.ifIndex === ifIndex);
}

/** Withdraws the route of `origin` for the prefix; ESRCH when the table holds none of that origin. */
export function ribWithdraw(stack: NetStack, dest: number, prefixLen: number, origin: ProtoRouteKind): ConfigResult {
  if (!(Number.isInteger(prefixLen) && prefixLen >= 0 && prefixLen <= 32)) return configError('EINVAL');
  const d = (dest & maskOf(prefixLen)) >>> 0;
  const old = stack.routes.byLen[prefixLen]?.get(d);
  if (old === undefined || old.kind !== origin) return configError('ESRCH', `${formatCidr(d, prefixLen)}: not in table`);
  routeRemove(stack, d, prefixLen);
  stack.env.log?.(() => `zebra: route ${formatCidr(d, prefixLen)} removed (${origin})`);
  return { ok: true };
}

/** Withdraws every route of `origin` (a daemon stopping). Returns how many went. */
export function ribFlush(stack: NetStack, origin: ProtoRouteKind): number {
  let n = 0;
  for (const m of stack.routes.byLen) {
    if (!m) continue;
    for (const r of [...m.values()]) if (r.kind === origin && routeRemove(stack, r.dest, r.prefixLen)) n++;
  }
  if (n > 0) stack.env.log?.(() => `zebra: ${n} ${origin} route${n === 1 ? '' : 's'} removed`);
  return n;
}

export { ROUTE_KIND };
