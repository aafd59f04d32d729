// rtadvd(8) as a program on a stack: router advertisements on the named interfaces,
// unsolicited at random intervals (the first few faster) and in answer to router
// solicitations, with a prefix option per on-link prefix, the source link-layer option, and
// the MTU, RDNSS and DNSSL options where rtadvd.conf asks for them (rtadvd-conf.ts).
// RFC 4861 §6.2 (router behaviour), §4.6.4, §10 (constants); RFC 8106 §5; rtadvd.conf(5) defaults.

import { icmp6Open } from '../../stack/icmp6';
import { in6Addrs, in6JoinGroup, in6LeaveGroup, in6Usable, inet6Of } from '../../stack/in6';
import { ip6Send } from '../../stack/ip6-output';
import type { NetStack } from '../../stack/types';
import type { TimerId } from '../../sim/scheduler';
import type { Rng } from '../../sim/rng';
import { buildIcmpv6, ICMPV6_TYPE, type NdOption } from '../../wire/icmpv6';
import { IPV6_MIN_MTU, IPV6_NEXT } from '../../wire/ipv6';
import { emptyIfConf, type RtadvConf, type RtadvIfConf } from './rtadvd-conf';
import { ipv6AllNodes, ipv6AllRouters, ipv6Key, ipv6Network } from '../../wire/ipv6-addr';
import type { Icmp6Delivery } from '../../stack/inet6-types';

const SEC = 1_000_000_000;
/** rtadvd.conf(5) defaults: maxinterval 600 s, mininterval 0.33 × max, router lifetime 3 × max. */
export const RTADV_MAX_INTERVAL_NS = 600 * SEC;
export const RTADV_MIN_INTERVAL_NS = 198 * SEC;
export const RTADV_ROUTER_LIFETIME_S = 1800;
/** rtadvd.conf(5): vltime 30 days, pltime 7 days. */
export const RTADV_VALID_LIFETIME_S = 2_592_000;
export const RTADV_PREFERRED_LIFETIME_S = 604_800;
/** RFC 4861 §10 router constants. */
export const MAX_INITIAL_RTR_ADVERT_INTERVAL_NS = 16 * SEC;
export const MAX_INITIAL_RTR_ADVERTISEMENTS = 3;
export const MIN_DELAY_BETWEEN_RAS_NS = 3 * SEC;
export const MAX_RA_DELAY_TIME_NS = 500_000_000;

interface RtadvIf {
  d: RtadvdDaemon;
  ifIndex: number;
  initialLeft: number;
  timer: TimerId;
  /** When the last multicast RA went out (-Infinity before the first). */
  lastNs: number;
  /** A solicited RA is already scheduled. */
  answering: boolean;
  /** This interface's rtadvd.conf entry (defaults when it has none). */
  conf: RtadvIfConf;
}

export interface RtadvdDaemon {
  stack: NetStack;
  ifs: RtadvIf[];
  rng: Rng;
  close: () => void;
  running: boolean;
  /** RAs sent and RS answered (rtadvd -s style counters). */
  stats: { raSent: number; rsReceived: number };
}

/** rtadvd.conf(5): RDNSS and DNSSL lifetimes default to 1.5 × maxinterval. */
export const RTADV_DNS_LIFETIME_S = (RTADV_MAX_INTERVAL_NS / SEC) * 1.5;

/**
 * Starts rtadvd on `ifNames` with their rtadvd.conf entries (`conf`, none: every default);
 * the error text (rtadvd's) when an interface does not exist or its advertised MTU is invalid.
 */
export function startRtadvd(stack: NetStack, ifNames: readonly string[], conf: RtadvConf = new Map()): RtadvdDaemon | string {
  const idx: number[] = [];
  for (const n of ifNames) {
    const k = stack.ifaces.findIndex((i) => i.name === n && !i.loopback);
    if (k < 0) return `rtadvd: interface ${n} not found`;
    const mtu = conf.get(n)?.mtu ?? 0;
    const phys = stack.ifaces[k].mtu;
    // FreeBSD rtadvd config.c refuses an MTU outside [1280, the interface's].
    if (typeof mtu === 'number' && mtu !== 0 && (mtu < IPV6_MIN_MTU || mtu > phys)) {
      return `rtadvd: advertised link mtu (${mtu}) on ${n} is invalid (must be between least MTU (${IPV6_MIN_MTU}) and physical link MTU (${phys}))`;
    }
    if (!idx.includes(k)) idx.push(k);
  }
  const d: RtadvdDaemon = { stack, ifs: [], rng: stack.env.rng(`node:${stack.name}:rtadvd`), close: () => {}, running: true, stats: { raSent: 0, rsReceived: 0 } };
  for (const k of idx) {
    const ri: RtadvIf = { d, ifIndex: k, initialLeft: MAX_INITIAL_RTR_ADVERTISEMENTS, timer: 0, lastNs: Number.NEGATIVE_INFINITY, answering: false, conf: conf.get(stack.ifaces[k].name) ?? emptyIfConf() };
    d.ifs.push(ri);
    // Solicitations go to ff02::2, which only routers' interfaces listen to.
    in6JoinGroup(stack, k, ipv6AllRouters());
    ri.timer = stack.env.sim.schedule(nextInterval(ri), unsolicited, ri);
  }
  d.close = icmp6Open(stack, (m) => rsInput(d, m));
  return d;
}

/** Stops rtadvd: a final RA with router lifetime 0 on each interface (RFC 4861 §6.2.5), timers cancelled. */
export function stopRtadvd(d: RtadvdDaemon): void {
  if (!d.running) return;
  d.running = false;
  d.close();
  for (const ri of d.ifs) {
    if (ri.timer !== 0) d.stack.env.sim.cancel(ri.timer);
    ri.timer = 0;
    sendRa(ri, 0);
    in6LeaveGroup(d.stack, ri.ifIndex, ipv6AllRouters());
  }
}

/** §6.2.4: uniform in [Min, Max]; the first few no longer than MAX_INITIAL_RTR_ADVERT_INTERVAL. */
function nextInterval(ri: RtadvIf): number {
  const t = RTADV_MIN_INTERVAL_NS + ri.d.rng.nextInt(RTADV_MAX_INTERVAL_NS - RTADV_MIN_INTERVAL_NS + 1);
  if (ri.initialLeft > 0) {
    ri.initialLeft--;
    return Math.min(t, ri.d.rng.nextInt(MAX_INITIAL_RTR_ADVERT_INTERVAL_NS) + 1);
  }
  return t;
}

function unsolicited(ri: RtadvIf): void {
  ri.timer = 0;
  if (!ri.d.running) return;
  sendRa(ri, RTADV_ROUTER_LIFETIME_S);
  ri.timer = ri.d.stack.env.sim.schedule(nextInterval(ri), unsolicited, ri);
}

/** §6.2.6: an RS is answered by a multicast RA after a random delay, no sooner than MIN_DELAY_BETWEEN_RAS after the last. */
function rsInput(d: RtadvdDaemon, m: Icmp6Delivery): void {
  if (m.type !== ICMPV6_TYPE.ROUTER_SOLICIT || m.code !== 0 || m.hopLimit !== 255) return;
  const ri = d.ifs.find((x) => x.ifIndex === m.ifIndex);
  if (ri === undefined || ri.answering) return;
  d.stats.rsReceived++;
  ri.answering = true;
  const now = d.stack.env.sim.now();
  const at = Math.max(now + d.rng.nextInt(MAX_RA_DELAY_TIME_NS), ri.lastNs + MIN_DELAY_BETWEEN_RAS_NS);
  d.stack.env.sim.scheduleAt(at, answer, ri);
}

function answer(ri: RtadvIf): void {
  ri.answering = false;
  if (ri.d.running) sendRa(ri, RTADV_ROUTER_LIFETIME_S);
}

/** One RA to ff02::1 from the interface's link-local address (skipped while it has none usable). */
function sendRa(ri: RtadvIf, routerLifetimeS: number): void {
  const stack = ri.d.stack;
  const iface = stack.ifaces[ri.ifIndex];
  const addrs = in6Addrs(stack, ri.ifIndex);
  const ll = addrs.find((a) => a.linkLocal && in6Usable(a));
  if (ll === undefined || !iface.up || !iface.carrier) return;
  const options: NdOption[] = [{ kind: 'source-ll', mac: iface.mac }];
  const c = ri.conf;
  if (c.mtu !== 0) options.push({ kind: 'mtu', mtu: c.mtu === 'auto' ? iface.mtu : c.mtu });
  const seen = new Set<string>();
  for (const a of addrs) {
    if (a.linkLocal || a.prefixLen >= 128 || a.state === 'duplicated') continue;
    const prefix = ipv6Network(a.addr, a.prefixLen);
    const key = `${ipv6Key(prefix)}/${a.prefixLen}`;
    if (seen.has(key)) continue;
    seen.add(key);
    options.push({ kind: 'prefix', prefixLen: a.prefixLen, onLink: true, autonomous: true, validLifetimeS: RTADV_VALID_LIFETIME_S, preferredLifetimeS: RTADV_PREFERRED_LIFETIME_S, prefix });
  }
  if (c.rdnss.length > 0) options.push({ kind: 'rdnss', lifetimeS: c.rdnssLifetimeS ?? RTADV_DNS_LIFETIME_S, servers: c.rdnss });
  if (c.dnssl.length > 0) options.push({ kind: 'dnssl', lifetimeS: c.dnsslLifetimeS ?? RTADV_DNS_LIFETIME_S, domains: c.dnssl });
  // §6.2.5: a node that does not forward advertises prefixes but is no default router.
  if (!inet6Of(stack).forwarding) routerLifetimeS = 0;
  const nd = { curHopLimit: 64, managed: false, otherConfig: false, routerLifetimeS, reachableTimeMs: 0, retransTimerMs: 0, options };
  const payload = buildIcmpv6({ type: ICMPV6_TYPE.ROUTER_ADVERT, code: 0, data: new Uint8Array(0), nd }, new Uint8Array(16), new Uint8Array(16));
  ri.lastNs = stack.env.sim.now();
  ri.d.stats.raSent++;
  ip6Send(stack, { dst: ipv6AllNodes(), src: ll.addr, next: IPV6_NEXT.ICMPV6, payload, checksumAt: 2, hopLimit: 255, zone: ri.ifIndex });
}
