// IPv6 addresses of one stack's interfaces (FreeBSD in6.c + in6_ifattach.c): the
// link-local address derived from the MAC, configured addresses with their connected
// prefix and local host route, multicast group membership for NDP, the NIC filter for
// 33:33 group MACs, and the state a new stack starts with. Must not parse packets.
// RFC 4291 §2.5.1, §2.5.6, §2.7.1, Appendix A; RFC 4862 §5.3-5.4; RFC 2464 §7.

import { ipv6AllNodes, ipv6Equal, ipv6AllRouters, ipv6Key, ipv6Loopback, ipv6PrefixMatch, isIpv6LinkLocal, isIpv6Multicast, isIpv6Unspecified, linkLocalFromMac, solicitedNode, type Ipv6Addr } from '../wire/ipv6-addr';
import { configError, type ConfigResult } from './errno';
import { IN6_STATE, ROUTE6_KIND, type In6Addr, type In6Iface, type Inet6State } from './inet6-types';
import { dadStart } from './nd6';
import { route6Insert, route6RemoveWhere } from './route6';
import type { Iface, NetStack } from './types';

const SEC = 1_000_000_000;
/** RFC 4861 §10 MAX_RTR_SOLICITATION_DELAY: the random delay before the link-local address's DAD. */
const LINK_LOCAL_DAD_DELAY_MAX_NS = 1 * SEC;
/** FreeBSD net.inet6.icmp6.errppslimit */
export const ICMP6_ERRPPS_LIMIT = 100;
export const IPV6_DEFAULT_HLIM = 64;

/**
 * `list` with `item` inserted at `at` (default: at the end), as a new array of exactly that
 * length. The config-time lists of an idle stack (addresses, joined groups, routes) grow
 * this way: V8 grows an array pushed into by 16 spare slots (~130 bytes each time here).
 */
export function withAdded<T>(list: readonly T[], item: T, at = list.length): T[] {
  return list.slice(0, at).concat([item], list.slice(at));
}

export function createInet6(ifaceCount: number, nowNs: number, forwarding: boolean): Inet6State {
  const ifs = Array.from({ length: ifaceCount }, (): In6Iface => ({ addrs: [], nd: null, ndLast: null, groups: [], disabled: true, attached: false }));
  return {
    forwarding,
    hopLimit: IPV6_DEFAULT_HLIM,
    ifs,
    routes: [],
    cache: null,
    flows: null,
    srcCache: null,
    icmpLimit: { tokens: ICMP6_ERRPPS_LIMIT, lastNs: nowNs, perSecond: ICMP6_ERRPPS_LIMIT },
    listeners: [],
    udp: null,
    pmtu: null,
    reass: null,
    reassTimer: 0,
    fragId: 0,
    stats: { received: 0, delivered: 0, forwarded: 0, sent: 0, icmpReceived: 0, icmpSent: 0, icmpRateLimited: 0, nsSent: 0, naSent: 0, dadDuplicates: 0 },
  };
}

/**
 * lo0's ::1/128 and fe80::1%lo0/64, attached the first time anything needs them (a send to
 * a loopback address, or a tool that shows addresses or routes). Null-safe for IPv4-only stacks.
 */
export function in6Loopback(stack: NetStack): void {
  if (stack.inet6 !== null) in6Attach(stack, stack.ifaces[stack.loIndex], false);
}

/** The IPv6 state of `stack`, created on first use with IPv4's forwarding switch (IMUNES routers forward both). */
export function inet6Of(stack: NetStack): Inet6State {
  return (stack.inet6 ??= createInet6(stack.ifaces.length, stack.env.sim.now(), stack.forwarding));
}

/**
 * in6_ifattach for one interface, run when it gets its first IPv6 address (FreeBSD keeps
 * interfaces without IPv6 configuration ND6_IFF_IFDISABLED): an Ethernet interface joins
 * ff02::1 (and ff02::2 on a router) and gets fe80::/64 + its modified EUI-64, whose DAD
 * starts after a random delay of up to a second (RFC 4862 §5.4.2). lo0's ::1 and
 * fe80::1%lo0 come with `in6Loopback`, on first use: an idle pc stays small.
 */
function in6Attach(stack: NetStack, iface: Iface, optimistic: boolean): void {
  const i6 = inet6Of(stack).ifs[iface.index];
  if (i6.attached) return;
  i6.attached = true;
  i6.disabled = false;
  in6AddrsChanged(stack);
  if (iface.loopback) {
    addAddr(stack, iface, ipv6Loopback(), 128, false, -1, false);
    const ll = new Uint8Array(16);
    ll[0] = 0xfe;
    ll[1] = 0x80;
    ll[15] = 1;
    addAddr(stack, iface, ll, 64, true, -1, false);
    return;
  }
  join(stack, iface.index, ipv6AllNodes());
  const rtr = inet6Of(stack).rtr;
  if (rtr?.defaultAccept && !rtr.accept.includes(iface.index)) rtr.accept.push(iface.index);
  if (inet6Of(stack).forwarding) join(stack, iface.index, ipv6AllRouters());
  const delay = stack.env.rng(`node:${stack.name}:inet6`).nextInt(LINK_LOCAL_DAD_DELAY_MAX_NS);
  addAddr(stack, iface, linkLocalFromMac(iface.mac), 64, true, delay, optimistic);
}

/** `ifconfig IF inet6 -ifdisabled` (and accept_rtadv): the interface gets its link-local address now. */
export function in6Enable(stack: NetStack, iface: Iface): void {
  in6Attach(stack, iface, false);
}

function join(stack: NetStack, ifIndex: number, group: Ipv6Addr): void {
  const i6 = inet6Of(stack).ifs[ifIndex];
  i6.groups = withAdded(i6.groups, ipv6Key(group));
}

function leave(stack: NetStack, ifIndex: number, group: Ipv6Addr): void {
  const g = inet6Of(stack).ifs[ifIndex].groups;
  const k = g.indexOf(ipv6Key(group));
  if (k >= 0) g.splice(k, 1);
}

/** IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP for programs (rtadvd joins ff02::2); joins are counted. */
export function in6JoinGroup(stack: NetStack, ifIndex: number, group: Ipv6Addr): void {
  join(stack, ifIndex, group);
}

export function in6LeaveGroup(stack: NetStack, ifIndex: number, group: Ipv6Addr): void {
  leave(stack, ifIndex, group);
}

/** True when a frame to 33:33:xx:xx:xx:xx belongs to a group `iface` joined (the NIC's multicast filter). */
export function in6GroupMacJoined(stack: NetStack, iface: Iface, frame: Uint8Array): boolean {
  if (frame[0] !== 0x33 || frame[1] !== 0x33 || stack.inet6 === null) return false;
  const i6 = stack.inet6.ifs[iface.index];
  if (i6 === undefined) return false;
  for (const k of i6.groups) {
    if (k.charCodeAt(12) === frame[2] && k.charCodeAt(13) === frame[3] && k.charCodeAt(14) === frame[4] && k.charCodeAt(15) === frame[5]) return true;
  }
  return false;
}

/** True when `group` was joined on `ifIndex` (IPv6 input for a multicast destination). */
export function in6GroupJoined(stack: NetStack, ifIndex: number, group: Uint8Array, off: number): boolean {
  const i6 = inet6Of(stack).ifs[ifIndex];
  return i6 !== undefined && i6.groups.includes(ipv6Key(group, off));
}

/** sysctl net.inet6.ip6.forwarding: a router also listens to ff02::2 (RFC 4291 §2.7.1). */
export function in6SetForwarding(stack: NetStack, on: boolean): void {
  if (inet6Of(stack).forwarding === on) return;
  inet6Of(stack).forwarding = on;
  for (const iface of stack.ifaces) {
    if (iface.loopback || !inet6Of(stack).ifs[iface.index].attached) continue;
    if (on) join(stack, iface.index, ipv6AllRouters());
    else leave(stack, iface.index, ipv6AllRouters());
  }
}

function addAddr(stack: NetStack, iface: Iface, addr: Ipv6Addr, prefixLen: number, linkLocal: boolean, dadDelayNs: number, optimistic: boolean): In6Addr {
  const a: In6Addr = { owner: stack, ifIndex: iface.index, addr: addr.slice(), key: ipv6Key(addr), prefixLen, state: IN6_STATE.PREFERRED, linkLocal, optimistic, dadLeft: 0, dadTimer: 0 };
  const i6 = inet6Of(stack).ifs[iface.index];
  i6.addrs = withAdded(i6.addrs, a);
  in6AddrsChanged(stack);
  route6Insert(stack, { dest: a.addr, prefixLen: 128, gateway: null, ifIndex: iface.index, kind: ROUTE6_KIND.LOCAL });
  if (prefixLen < 128 && !iface.loopback) {
    const dup = inet6Of(stack).routes.some((r) => r.kind === ROUTE6_KIND.CONNECTED && r.ifIndex === iface.index && r.prefixLen === prefixLen && ipv6PrefixMatch(r.dest, addr, prefixLen));
    // The connected route shares the address's bytes (matching reads only the prefix).
    if (!dup) route6Insert(stack, { dest: a.addr, prefixLen, gateway: null, ifIndex: iface.index, kind: ROUTE6_KIND.CONNECTED });
  }
  if (!iface.loopback) {
    join(stack, iface.index, solicitedNode(addr));
    if (dadDelayNs >= 0) dadStart(stack, a, dadDelayNs);
  }
  return a;
}

/**
 * `ifconfig IF inet6 ADDR/LEN [alias]`: adds an address (FreeBSD replaces nothing for
 * inet6: every address is an alias). DAD starts at once (RFC 4862 §5.4); `boot` addresses
 * (from the topology, at start) are optimistic meanwhile.
 */
export function in6AddAddress(stack: NetStack, ifName: string, addr: Ipv6Addr, prefixLen: number, opts: { boot?: boolean } = {}): ConfigResult {
  const iface = stack.ifaces.find((i) => i.name === ifName);
  if (iface === undefined) return configError('ENXIO', `interface ${ifName} does not exist`);
  if (isIpv6Multicast(addr) || isIpv6Unspecified(addr) || prefixLen < 0 || prefixLen > 128) return configError('EINVAL');
  const boot = opts.boot ?? false;
  in6Attach(stack, iface, boot);
  if (in6Local(stack, addr, 0) !== null) return { ok: true };
  addAddr(stack, iface, addr, prefixLen, isIpv6LinkLocal(addr), iface.loopback ? -1 : 0, boot);
  return { ok: true };
}

/** `ifconfig IF inet6 ADDR -alias` / `delete`: removes the address, its host route and, when last, its prefix. */
export function in6RemoveAddress(stack: NetStack, ifName: string, addr: Ipv6Addr): ConfigResult {
  const iface = stack.ifaces.find((i) => i.name === ifName);
  if (iface === undefined) return configError('ENXIO', `interface ${ifName} does not exist`);
  const i6 = inet6Of(stack).ifs[iface.index];
  const key = ipv6Key(addr);
  const k = i6.addrs.findIndex((a) => a.key === key);
  if (k < 0) return configError('EADDRNOTAVAIL');
  const [a] = i6.addrs.splice(k, 1);
  in6AddrsChanged(stack);
  if (a.dadTimer !== 0) stack.env.sim.cancel(a.dadTimer);
  if (!iface.loopback) leave(stack, iface.index, solicitedNode(a.addr));
  const prefixStillUsed = i6.addrs.some((o) => o.prefixLen === a.prefixLen && ipv6PrefixMatch(o.addr, a.addr, a.prefixLen));
  route6RemoveWhere(
    stack,
    (r) =>
      (r.kind === ROUTE6_KIND.LOCAL && r.prefixLen === 128 && ipv6PrefixMatch(r.dest, a.addr, 128)) ||
      (!prefixStillUsed && r.kind === ROUTE6_KIND.CONNECTED && r.ifIndex === iface.index && r.prefixLen === a.prefixLen && ipv6PrefixMatch(r.dest, a.addr, a.prefixLen)),
  );
  return { ok: true };
}

/**
 * Our address equal to the 16 bytes at `off` of `buf` (any state), or null. A scan, not a
 * Map: a stack has a handful of addresses, and comparing bytes needs no key per packet.
 */
export function in6Local(stack: NetStack, buf: Uint8Array, off: number): In6Addr | null {
  const inet6 = stack.inet6;
  if (inet6 === null) return null;
  for (const i6 of inet6.ifs) {
    for (const a of i6.addrs) {
      const x = a.addr;
      if (x[15] === buf[off + 15] && x[14] === buf[off + 14] && ipv6Equal(x, buf, 0, off)) return a;
    }
  }
  return null;
}

/**
 * Something the source selection depends on changed (an address added or removed, its DAD
 * state, an interface's IPv6 enabled or disabled): forget the cached choice (ip6-output.ts).
 */
export function in6AddrsChanged(stack: NetStack): void {
  const inet6 = stack.inet6;
  if (inet6 !== null) inet6.srcCache = null;
}

/** Usable as a source or destination: preferred, or tentative but optimistic (RFC 4429 §3.1). */
export function in6Usable(a: In6Addr): boolean {
  return a.state === IN6_STATE.PREFERRED || (a.state === IN6_STATE.TENTATIVE && a.optimistic);
}

/** The addresses of an interface, link-local first (what ifconfig prints). */
export function in6Addrs(stack: NetStack, ifIndex: number): readonly In6Addr[] {
  return stack.inet6?.ifs[ifIndex]?.addrs ?? [];
}
