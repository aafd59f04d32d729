// The IPv6 routing-table API for programs (zebra's side of the routing socket for
// ripngd and ospf6d): a daemon installs, replaces and withdraws routes of its own origin and never
// touches another origin's routes; among routes of one prefix the table prefers the
// lower administrative distance (route6.ts ROUTE6_DISTANCE). Must not send packets.

import { formatIpv6, ipv6Equal, ipv6Network, isIpv6LinkLocal, type Ipv6Addr } from '../wire/ipv6-addr';
import { configError, type ConfigResult } from './errno';
import { inet6Of } from './in6';
import { ROUTE6_KIND, type Route6 } from './inet6-types';
import { noteInstalled } from './programs';
import { route6Insert, route6RemoveWhere } from './route6';
import type { NetStack } from './types';

export type ProtoRoute6Kind = typeof ROUTE6_KIND.RIPNG | typeof ROUTE6_KIND.OSPF6;

export interface ProtoRoute6 {
  dest: Ipv6Addr;
  prefixLen: number;
  /** The neighbor's link-local address (RFC 2080 §2.1.1), or a global one on the link. */
  gateway: Ipv6Addr;
  ifIndex: number;
  origin: ProtoRoute6Kind;
}

function samePrefix(r: Route6, dest: Ipv6Addr, prefixLen: number): boolean {
  return r.prefixLen === prefixLen && ipv6Equal(ipv6Network(r.dest, r.prefixLen), dest);
}

/** Installs or replaces the route of `r.origin` for its prefix; other origins' routes stay. */
export function rib6Install(stack: NetStack, r: ProtoRoute6): ConfigResult {
  if (!(Number.isInteger(r.prefixLen) && r.prefixLen >= 0 && r.prefixLen <= 128)) return configError('EINVAL');
  if (!(r.ifIndex >= 0 && r.ifIndex < stack.ifaces.length)) return configError('EINVAL', `${formatIpv6(r.dest)}/${r.prefixLen}: no interface`);
  const dest = ipv6Network(r.dest, r.prefixLen);
  const old = inet6Of(stack).routes.find((x) => x.kind === r.origin && samePrefix(x, dest, r.prefixLen));
  if (old !== undefined && old.ifIndex === r.ifIndex && old.gateway !== null && ipv6Equal(old.gateway, r.gateway)) return { ok: true };
  if (old !== undefined) route6RemoveWhere(stack, (x) => x === old);
  const route: Route6 = { dest, prefixLen: r.prefixLen, gateway: r.gateway.slice(), ifIndex: r.ifIndex, kind: r.origin };
  route6Insert(stack, route);
  noteInstalled(stack, route);
  return { ok: true };
}

/** Withdraws the route of `origin` for the prefix; ESRCH when there is none. */
export function rib6Withdraw(stack: NetStack, dest: Ipv6Addr, prefixLen: number, origin: ProtoRoute6Kind): ConfigResult {
  const d = ipv6Network(dest, prefixLen);
  const before = inet6Of(stack).routes.length;
  route6RemoveWhere(stack, (x) => x.kind === origin && samePrefix(x, d, prefixLen));
  return inet6Of(stack).routes.length < before ? { ok: true } : configError('ESRCH', `${formatIpv6(d)}/${prefixLen}: not in table`);
}

/** Withdraws every route of `origin` (a daemon stopping); returns how many went. */
export function rib6Flush(stack: NetStack, origin: ProtoRoute6Kind): number {
  if (stack.inet6 === null) return 0;
  const before = stack.inet6.routes.length;
  route6RemoveWhere(stack, (x) => x.kind === origin);
  return before - stack.inet6.routes.length;
}

/** Whether the table's route for the prefix (the one forwarding uses) is of `origin`. */
export function rib6Selected(stack: NetStack, dest: Ipv6Addr, prefixLen: number, origin: ProtoRoute6Kind): boolean {
  const d = ipv6Network(dest, prefixLen);
  const first = stack.inet6?.routes.find((x) => samePrefix(x, d, prefixLen) && !(isIpv6LinkLocal(d) && x.kind !== ROUTE6_KIND.LOCAL));
  return first?.kind === origin;
}
