// IPv6 addresses of one stack's interfaces (FreeBSD in6.c + in6_ifattach.c): the
// link-local address derived from the MAC, configured addresses with their connected
// prefix and local host route, multicast group membership for NDP, the NIC filter for
// 33:33 group MACs, and the state a new stack starts with. Must not parse packets.
// RFC 4291 §2.5.1, §2.5.6, §2.7.1, Appendix A; RFC 4862 §5.3-5.4; RFC 2464 §7.

import { ipv6AllNodes, ipv6AllRouters, ipv6Key, ipv6Loopback, ipv6PrefixMatch, isIpv6LinkLocal, isIpv6Multicast, isIpv6Unspecified, linkLocalFromMac, solicitedNode, type Ipv6Addr } from '../wire/ipv6-addr';
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

export function createInet6(ifaceCount: number, nowNs: number, forwarding: boolean): Inet6State {
  const ifs: In6Iface[] = [];
  for (let i = 0; i < ifaceCount; i++) ifs.push({ addrs: [], nd: null, groups: new Map(), disabled: true, attached: false });
  return {
    forwarding,
    hopLimit: IPV6_DEFAULT_HLIM,
    ifs,
    routes: [],
    cache: new Map(),
    local: new Map(),
    icmpLimit: { tokens: ICMP6_ERRPPS_LIMIT, lastNs: nowNs, perSecond: ICMP6_ERRPPS_LIMIT },
    listeners: [],
    udp: null,
    stats: { received: 0, delivered: 0, forwarded: 0, sent: 0, icmpReceived: 0, icmpSent: 0, icmpRateLimited: 0, nsSent: 0, naSent: 0, dadDuplicates: 0 },
  };
}

/**
 * in6_ifattach for one interface, run when it gets its first IPv6 address (FreeBSD keeps
 * interfaces without IPv6 configuration ND6_IFF_IFDISABLED): an Ethernet interface joins
 * ff02::1 (and ff02::2 on a router) and gets fe80::/64 + its modified EUI-64, whose DAD
 * starts after a random delay of up to a second (RFC 4862 §5.4.2); lo0 gets ::1 and
 * fe80::1%lo0 with the first interface. Idle IPv4-only stacks stay as small as before.
 */
function in6Attach(stack: NetStack, iface: Iface, optimistic: boolean): void {
  const i6 = stack.inet6.ifs[iface.index];
  if (i6.attached) return;
  i6.attached = true;
  i6.disabled = false;
  if (iface.loopback) {
    addAddr(stack, iface, ipv6Loopback(), 128, false, -1, false);
    const ll = new Uint8Array(16);
    ll[0] = 0xfe;
    ll[1] = 0x80;
    ll[15] = 1;
    addAddr(stack, iface, ll, 64, true, -1, false);
    return;
  }
  in6Attach(stack, stack.ifaces[stack.loIndex], false);
  join(stack, iface.index, ipv6AllNodes());
  if (stack.inet6.forwarding) join(stack, iface.index, ipv6AllRouters());
  const delay = stack.env.rng(`node:${stack.name}:dad`).nextInt(LINK_LOCAL_DAD_DELAY_MAX_NS);
  addAddr(stack, iface, linkLocalFromMac(iface.mac), 64, true, delay, optimistic);
}

function join(stack: NetStack, ifIndex: number, group: Ipv6Addr): void {
  const g = stack.inet6.ifs[ifIndex].groups;
  const k = ipv6Key(group);
  g.set(k, (g.get(k) ?? 0) + 1);
}

function leave(stack: NetStack, ifIndex: number, group: Ipv6Addr): void {
  const g = stack.inet6.ifs[ifIndex].groups;
  const k = ipv6Key(group);
  const n = (g.get(k) ?? 0) - 1;
  if (n > 0) g.set(k, n);
  else g.delete(k);
}

/** True when a frame to 33:33:xx:xx:xx:xx belongs to a group `iface` joined (the NIC's multicast filter). */
export function in6GroupMacJoined(stack: NetStack, iface: Iface, frame: Uint8Array): boolean {
  if (frame[0] !== 0x33 || frame[1] !== 0x33) return false;
  const i6 = stack.inet6.ifs[iface.index];
  if (i6 === undefined) return false;
  const low = `${hex2(frame[2])}${hex2(frame[3])}${hex2(frame[4])}${hex2(frame[5])}`;
  for (const k of i6.groups.keys()) if (k.endsWith(low)) return true;
  return false;
}

/** True when `group` was joined on `ifIndex` (IPv6 input for a multicast destination). */
export function in6GroupJoined(stack: NetStack, ifIndex: number, group: Uint8Array, off: number): boolean {
  const i6 = stack.inet6.ifs[ifIndex];
  return i6 !== undefined && i6.groups.has(ipv6Key(group, off));
}

function hex2(b: number): string {
  return (b < 16 ? '0' : '') + b.toString(16);
}

/** sysctl net.inet6.ip6.forwarding: a router also listens to ff02::2 (RFC 4291 §2.7.1). */
export function in6SetForwarding(stack: NetStack, on: boolean): void {
  if (stack.inet6.forwarding === on) return;
  stack.inet6.forwarding = on;
  for (const iface of stack.ifaces) {
    if (iface.loopback || !stack.inet6.ifs[iface.index].attached) continue;
    if (on) join(stack, iface.index, ipv6AllRouters());
    else leave(stack, iface.index, ipv6AllRouters());
  }
}

function addAddr(stack: NetStack, iface: Iface, addr: Ipv6Addr, prefixLen: number, linkLocal: boolean, dadDelayNs: number, optimistic: boolean): In6Addr {
  const a: In6Addr = { owner: stack, ifIndex: iface.index, addr: addr.slice(), key: ipv6Key(addr), prefixLen, state: IN6_STATE.PREFERRED, linkLocal, optimistic, dadLeft: 0, dadTimer: 0 };
  stack.inet6.ifs[iface.index].addrs.push(a);
  stack.inet6.local.set(a.key, iface.index);
  route6Insert(stack, { dest: addr, prefixLen: 128, gateway: null, ifIndex: iface.index, kind: ROUTE6_KIND.LOCAL });
  if (prefixLen < 128 && !iface.loopback) {
    const dup = stack.inet6.routes.some((r) => r.kind === ROUTE6_KIND.CONNECTED && r.ifIndex === iface.index && r.prefixLen === prefixLen && ipv6PrefixMatch(r.dest, addr, prefixLen));
    if (!dup) route6Insert(stack, { dest: addr, prefixLen, gateway: null, ifIndex: iface.index, kind: ROUTE6_KIND.CONNECTED });
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
  if (stack.inet6.local.has(ipv6Key(addr))) return { ok: true };
  addAddr(stack, iface, addr, prefixLen, isIpv6LinkLocal(addr), iface.loopback ? -1 : 0, boot);
  return { ok: true };
}

/** `ifconfig IF inet6 ADDR -alias` / `delete`: removes the address, its host route and, when last, its prefix. */
export function in6RemoveAddress(stack: NetStack, ifName: string, addr: Ipv6Addr): ConfigResult {
  const iface = stack.ifaces.find((i) => i.name === ifName);
  if (iface === undefined) return configError('ENXIO', `interface ${ifName} does not exist`);
  const i6 = stack.inet6.ifs[iface.index];
  const key = ipv6Key(addr);
  const k = i6.addrs.findIndex((a) => a.key === key);
  if (k < 0) return configError('EADDRNOTAVAIL');
  const [a] = i6.addrs.splice(k, 1);
  if (a.dadTimer !== 0) stack.env.sim.cancel(a.dadTimer);
  stack.inet6.local.delete(key);
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

/** Usable as a source or destination: preferred, or tentative but optimistic (RFC 4429 §3.1). */
export function in6Usable(a: In6Addr): boolean {
  return a.state === IN6_STATE.PREFERRED || (a.state === IN6_STATE.TENTATIVE && a.optimistic);
}

/** The addresses of an interface, link-local first (what ifconfig prints). */
export function in6Addrs(stack: NetStack, ifIndex: number): readonly In6Addr[] {
  return stack.inet6.ifs[ifIndex]?.addrs ?? [];
}
