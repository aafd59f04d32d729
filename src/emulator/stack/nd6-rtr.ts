// The host side of router discovery (FreeBSD nd6_rtr.c, rtsol(8)): interfaces with
// ACCEPT_RTADV take router advertisements, form addresses by SLAAC with their lifetimes
// in virtual time, and install a default route via the router's link-local address.
// RFC 4861 §6.3.4 (RA processing), §6.3.7 (solicitations), RFC 4862 §5.5 (SLAAC).

import { buildIcmpv6, ICMPV6_TYPE, type NdOption, type NdRepr } from '../wire/icmpv6';
import { IPV6_MIN_MTU, IPV6_NEXT } from '../wire/ipv6';
import { formatIpv6, ipv6AllRouters, ipv6Equal, ipv6Key, isIpv6LinkLocal, isIpv6Multicast, linkLocalFromMac, type Ipv6Addr } from '../wire/ipv6-addr';
import { configError, type ConfigResult } from './errno';
import { in6AddAddress, in6Addrs, in6Enable, in6RemoveAddress, in6Usable, inet6Of } from './in6';
import { ROUTE6_KIND, type Nd6RtrState } from './inet6-types';
import { ip6Send } from './ip6-output';
import { nd6Update } from './nd6';
import { route6Insert, route6RemoveWhere } from './route6';
import type { NetStack } from './types';

const SEC = 1_000_000_000;
/** RFC 4861 §10: MAX_RTR_SOLICITATIONS, RTR_SOLICITATION_INTERVAL. */
export const MAX_RTR_SOLICITATIONS = 3;
export const RTR_SOLICITATION_INTERVAL_NS = 4 * SEC;
/** RFC 4862 §5.5.3(e): a received valid lifetime under two hours cannot shorten a longer one below it. */
const TWO_HOURS_NS = 7200 * SEC;
const INFINITE_LIFETIME = 0xffffffff;

function rtrOf(stack: NetStack): Nd6RtrState {
  const inet6 = inet6Of(stack);
  return (inet6.rtr ??= { accept: [], defaultAccept: false, autoconf: [], routers: [], timer: 0, rsLeft: new Map(), rsTimer: 0, stats: { raReceived: 0, rsSent: 0 }, linkMtu: new Map() });
}

/** True when `ifIndex` has ND6_IFF_ACCEPT_RTADV. */
export function nd6AcceptsRtadv(stack: NetStack, ifIndex: number): boolean {
  return stack.inet6?.rtr?.accept.includes(ifIndex) ?? false;
}

/**
 * sysctl net.inet6.ip6.accept_rtadv (FreeBSD: the default ND6_IFF_ACCEPT_RTADV of interfaces
 * attached afterwards; interfaces that already have IPv6 keep their flag).
 */
export function nd6SetDefaultAcceptRtadv(stack: NetStack, on: boolean): void {
  if (!on && stack.inet6?.rtr === undefined) return;
  rtrOf(stack).defaultAccept = on;
}

/** `ifconfig IF inet6 [-]accept_rtadv`: the interface is enabled for IPv6 (link-local) when turned on. */
export function nd6SetAcceptRtadv(stack: NetStack, ifName: string, on: boolean): ConfigResult {
  const iface = stack.ifaces.find((i) => i.name === ifName);
  if (iface === undefined) return configError('ENXIO', `interface ${ifName} does not exist`);
  if (iface.loopback) return configError('EINVAL');
  if (!on && stack.inet6?.rtr === undefined) return { ok: true };
  const r = rtrOf(stack);
  const k = r.accept.indexOf(iface.index);
  if (on && k < 0) {
    in6Enable(stack, iface);
    r.accept.push(iface.index);
  } else if (!on && k >= 0) r.accept.splice(k, 1);
  return { ok: true };
}

/**
 * `rtsol IF`: up to MAX_RTR_SOLICITATIONS router solicitations to ff02::2, RTR_SOLICITATION_INTERVAL
 * apart, until an RA arrives on the interface. The interface gets IPv6 (its link-local) if it had none;
 * RAs are taken only where accept_rtadv is set (by ifconfig or the sysctl's default).
 */
export function nd6Rtsol(stack: NetStack, ifName: string): ConfigResult {
  const iface = stack.ifaces.find((i) => i.name === ifName);
  if (iface === undefined) return configError('ENXIO', `interface ${ifName} does not exist`);
  if (iface.loopback) return configError('EINVAL');
  in6Enable(stack, iface);
  const r = rtrOf(stack);
  r.rsLeft.set(iface.index, MAX_RTR_SOLICITATIONS);
  if (r.rsTimer === 0) r.rsTimer = stack.env.sim.schedule(0, rsTimer, stack);
  return { ok: true };
}

function rsTimer(stack: NetStack): void {
  const r = rtrOf(stack);
  r.rsTimer = 0;
  for (const [ifIndex, left] of [...r.rsLeft]) {
    if (left <= 0) {
      r.rsLeft.delete(ifIndex);
      continue;
    }
    r.rsLeft.set(ifIndex, left - 1);
    sendRs(stack, ifIndex);
  }
  if (r.rsLeft.size > 0) r.rsTimer = stack.env.sim.schedule(RTR_SOLICITATION_INTERVAL_NS, rsTimer, stack);
}

/** RFC 4861 §4.1: from the link-local address with its link-layer option, or from :: without one. */
function sendRs(stack: NetStack, ifIndex: number): void {
  const iface = stack.ifaces[ifIndex];
  const ll = in6Addrs(stack, ifIndex).find((a) => a.linkLocal && in6Usable(a));
  const options: NdOption[] = ll === undefined ? [] : [{ kind: 'source-ll', mac: iface.mac }];
  const payload = buildIcmpv6({ type: ICMPV6_TYPE.ROUTER_SOLICIT, code: 0, data: new Uint8Array(0), nd: { options } }, new Uint8Array(16), new Uint8Array(16));
  rtrOf(stack).stats.rsSent++;
  ip6Send(stack, { dst: ipv6AllRouters(), src: ll?.addr ?? new Uint8Array(16), next: IPV6_NEXT.ICMPV6, payload, checksumAt: 2, hopLimit: 255, zone: ifIndex });
}

function lifetimeNs(now: number, s: number): number {
  return s === INFINITE_LIFETIME ? Number.POSITIVE_INFINITY : now + s * SEC;
}

/**
 * An RA (already checksummed and parsed) on `ifIndex`. Ignored unless the interface accepts
 * RAs, the source is link-local and the hop limit 255 (RFC 4861 §6.1.2). Learns the router's
 * MAC, installs/refreshes/withdraws the default route, forms SLAAC addresses for autonomous /64s.
 */
export function nd6RaInput(stack: NetStack, ifIndex: number, src: Ipv6Addr, hopLimit: number, nd: NdRepr): void {
  if (!nd6AcceptsRtadv(stack, ifIndex) || hopLimit !== 255 || !isIpv6LinkLocal(src)) return;
  const r = rtrOf(stack);
  r.stats.raReceived++;
  r.rsLeft.delete(ifIndex);
  const now = stack.env.sim.now();
  if (nd.curHopLimit !== undefined && nd.curHopLimit > 0) inet6Of(stack).hopLimit = nd.curHopLimit;
  for (const o of nd.options) if (o.kind === 'source-ll') nd6Update(stack, ifIndex, src, o.mac, true);
  defRouter(stack, r, ifIndex, src, (nd.routerLifetimeS ?? 0) * SEC, now);
  for (const o of nd.options) if (o.kind === 'prefix') prefixInput(stack, r, ifIndex, o, now);
  for (const o of nd.options) if (o.kind === 'mtu') mtuInput(stack, r, ifIndex, o.mtu);
  reschedule(stack, r);
}

/**
 * RFC 4861 §6.3.4: an MTU option sets the link's MTU for IPv6 when it lies between the IPv6
 * minimum (1280) and the interface's own MTU; other values are ignored (FreeBSD nd6_ra_input).
 */
function mtuInput(stack: NetStack, r: Nd6RtrState, ifIndex: number, mtu: number): void {
  if (mtu < IPV6_MIN_MTU || mtu > stack.ifaces[ifIndex].mtu) return;
  r.linkMtu.set(ifIndex, mtu);
}

/** The MTU IPv6 sends with on `ifIndex`: the one an RA advertised (RFC 4861 §6.3.4), else the interface's. */
export function nd6LinkMtu(stack: NetStack, ifIndex: number): number {
  const own = stack.ifaces[ifIndex].mtu;
  const ra = stack.inet6?.rtr?.linkMtu.get(ifIndex);
  return ra === undefined ? own : Math.min(ra, own);
}

function defRouter(stack: NetStack, r: Nd6RtrState, ifIndex: number, src: Ipv6Addr, lifeNs: number, now: number): void {
  const key = ipv6Key(src);
  const k = r.routers.findIndex((d) => d.ifIndex === ifIndex && d.key === key);
  if (lifeNs === 0) {
    if (k >= 0) removeRouter(stack, r, k);
    return;
  }
  if (k >= 0) {
    r.routers[k].untilNs = now + lifeNs;
    return;
  }
  r.routers.push({ ifIndex, addr: src.slice(), key, untilNs: now + lifeNs });
  route6Insert(stack, { dest: new Uint8Array(16), prefixLen: 0, gateway: src.slice(), ifIndex, kind: ROUTE6_KIND.RA });
}

function removeRouter(stack: NetStack, r: Nd6RtrState, k: number): void {
  const [d] = r.routers.splice(k, 1);
  route6RemoveWhere(stack, (x) => x.kind === ROUTE6_KIND.RA && x.ifIndex === d.ifIndex && x.gateway !== null && ipv6Equal(x.gateway, d.addr));
}

/** RFC 4862 §5.5.3: prefix + modified EUI-64 for autonomous /64 prefixes, lifetimes with the two-hour rule. */
function prefixInput(stack: NetStack, r: Nd6RtrState, ifIndex: number, o: Extract<NdOption, { kind: 'prefix' }>, now: number): void {
  if (!o.autonomous || isIpv6LinkLocal(o.prefix) || isIpv6Multicast(o.prefix)) return;
  if (o.preferredLifetimeS > o.validLifetimeS) return; // §5.5.3(c)
  if (o.prefixLen !== 64) return; // §5.5.3(d): the interface identifier is 64 bits on Ethernet
  const addr = linkLocalFromMac(stack.ifaces[ifIndex].mac);
  addr.set(o.prefix.subarray(0, 8), 0);
  const key = ipv6Key(addr);
  const validNs = lifetimeNs(now, o.validLifetimeS);
  const preferredNs = lifetimeNs(now, o.preferredLifetimeS);
  const a = r.autoconf.find((x) => x.ifIndex === ifIndex && x.key === key);
  if (a !== undefined) {
    a.preferredUntilNs = preferredNs;
    const remaining = a.validUntilNs - now;
    if (validNs - now > TWO_HOURS_NS || validNs > a.validUntilNs) a.validUntilNs = validNs;
    else if (remaining > TWO_HOURS_NS) a.validUntilNs = now + TWO_HOURS_NS;
    return;
  }
  if (o.validLifetimeS === 0) return;
  if (in6Addrs(stack, ifIndex).some((x) => x.key === key)) return; // configured by hand
  const res = in6AddAddress(stack, stack.ifaces[ifIndex].name, addr, 64);
  if (res.ok) r.autoconf.push({ ifIndex, addr, key, validUntilNs: validNs, preferredUntilNs: preferredNs });
}

/** One timer for the earliest valid-lifetime or router-lifetime expiry. */
function reschedule(stack: NetStack, r: Nd6RtrState): void {
  if (r.timer !== 0) stack.env.sim.cancel(r.timer);
  r.timer = 0;
  let next = Number.POSITIVE_INFINITY;
  for (const a of r.autoconf) next = Math.min(next, a.validUntilNs);
  for (const d of r.routers) next = Math.min(next, d.untilNs);
  if (next !== Number.POSITIVE_INFINITY) r.timer = stack.env.sim.scheduleAt(Math.max(next, stack.env.sim.now()), expire, stack);
}

/** Lifetimes ran out: the default route goes (§6.3.5), the address is removed (RFC 4862 §5.5.4). */
function expire(stack: NetStack): void {
  const r = rtrOf(stack);
  r.timer = 0;
  const now = stack.env.sim.now();
  for (let k = r.routers.length - 1; k >= 0; k--) if (r.routers[k].untilNs <= now) removeRouter(stack, r, k);
  for (let k = r.autoconf.length - 1; k >= 0; k--) {
    const a = r.autoconf[k];
    if (a.validUntilNs > now) continue;
    r.autoconf.splice(k, 1);
    in6RemoveAddress(stack, stack.ifaces[a.ifIndex].name, a.addr);
  }
  reschedule(stack, r);
}

/** Seconds left of a SLAAC address's lifetimes (Infinity for infinite), or null when it is not one. */
export function nd6AutoconfLifetimes(stack: NetStack, ifIndex: number, key: string): { validS: number; preferredS: number } | null {
  const a = stack.inet6?.rtr?.autoconf.find((x) => x.ifIndex === ifIndex && x.key === key);
  if (a === undefined) return null;
  const now = stack.env.sim.now();
  const left = (t: number) => Math.max(0, Math.floor((t - now) / SEC));
  return { validS: left(a.validUntilNs), preferredS: left(a.preferredUntilNs) };
}

/** ifconfig's words after an address: `autoconf pltime N vltime N` (deprecated once preferred ran out). */
export function nd6AutoconfText(stack: NetStack, ifIndex: number, key: string): string {
  const a = stack.inet6?.rtr?.autoconf.find((x) => x.ifIndex === ifIndex && x.key === key);
  if (a === undefined) return '';
  const now = stack.env.sim.now();
  const left = (t: number) => (t === Number.POSITIVE_INFINITY ? 'infty' : String(Math.max(0, Math.floor((t - now) / SEC))));
  return ` autoconf${a.preferredUntilNs <= now ? ' deprecated' : ''} pltime ${left(a.preferredUntilNs)} vltime ${left(a.validUntilNs)}`;
}

function duration(ns: number): string {
  let s = Math.max(0, Math.floor(ns / SEC));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${d > 0 ? `${d}d` : ''}${d > 0 || h > 0 ? `${h}h` : ''}${d > 0 || h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

/** `ndp -r`: the default router list. */
export function nd6RouterLines(stack: NetStack): string[] {
  const now = stack.env.sim.now();
  return (stack.inet6?.rtr?.routers ?? []).map((d) => {
    const name = stack.ifaces[d.ifIndex].name;
    return `${formatIpv6(d.addr)}%${name} if=${name}, flags=, pref=medium, expire=${duration(d.untilNs - now)}`;
  });
}

/** `ndp -p`: the prefixes SLAAC used, with their lifetimes. */
export function nd6PrefixLines(stack: NetStack): string[] {
  const now = stack.env.sim.now();
  const out: string[] = [];
  for (const a of stack.inet6?.rtr?.autoconf ?? []) {
    const p = a.addr.slice();
    p.fill(0, 8);
    const exp = a.validUntilNs === Number.POSITIVE_INFINITY ? 'Never' : duration(a.validUntilNs - now);
    out.push(`${formatIpv6(p)}/64 if=${stack.ifaces[a.ifIndex].name}`, `flags=LAO vltime=${exp}, expire=${exp}, ref=1`);
  }
  return out;
}
