// ripngd: a RIPng daemon on one stack. Input of requests and responses, the route
// database with timeout and garbage-collection timers, regular updates every 30 s with
// jitter and triggered updates, our own routes (RIPng interfaces' prefixes and
// `redistribute`), and interface state. Uses only the socket API, the routing-table API
// (stack/rib6.ts) and interface state, as FRR's ripngd uses zebra. Virtual time only.
// RFC 2080 §2.3 (timers), §2.4.1 (requests), §2.4.2 (responses), §2.1.1 (next hop entry).

import { in6Addrs, in6JoinGroup, in6LeaveGroup } from '../../stack/in6';
import { ifaceWatch } from '../../stack/iface';
import { routeWatch } from '../../stack/programs';
import { rib6Flush, rib6Install, rib6Withdraw } from '../../stack/rib6';
import { ifaceUsable } from '../../stack/route';
import { route6List } from '../../stack/route6';
import { udp6Bind, udp6Unbind } from '../../stack/udp6';
import type { Udp6Delivery } from '../../stack/inet6-types';
import type { Iface, NetStack } from '../../stack/types';
import { formatIpv6, ipv6Equal, ipv6Network, ipv6PrefixMatch, isIpv6LinkLocal, isIpv6Multicast, isIpv6Unspecified, type Ipv6Addr } from '../../wire/ipv6-addr';
import { parseRipng, RIPNG_COMMAND, RIPNG_GROUP, RIPNG_INFINITY, RIPNG_NEXT_HOP_METRIC, RIPNG_PORT, type RipngEntry } from '../../wire/ripng';
import type { RipngConfig } from './frr-conf-ripng';
import { scheduleUpdate, stopClock, trigger } from './rip-clock';
import { ripngAnswerRequest, ripngSendRequest, ripngSendUpdate, ripngSendsOn, ripngSource } from './ripngd-output';
import { RIPNG_MAX_ROUTES, ripngKey, type RipngDaemon, type RipngRoute, type RipngRouteType } from './ripngd-types';

const S = 1_000_000_000;
/** Duplicate address detection of the link-local address ends within 2 s of boot (RFC 4862): ask then. */
const FIRST_ASK_NS = 2_500_000_000;

/** Starts ripngd on `stack`: binds UDP 521, joins ff02::9, asks the neighbors for their tables. */
export function startRipng(stack: NetStack, cfg: RipngConfig): RipngDaemon {
  const d: RipngDaemon = {
    stack,
    cfg,
    routes: new Map(),
    peers: new Map(),
    enabled: new Set(),
    rng: stack.env.rng('ripngd'),
    updateTimer: 0,
    updateNs: 0,
    holdTimer: 0,
    sendTimer: 0,
    syncTimer: 0,
    triggerPending: false,
    clock: { beforeRegular: () => syncOwnRoutes(d), send: (onlyChanged) => ripngSendUpdate(d, onlyChanged) },
    counters: { updatesSent: 0, triggeredSent: 0, responsesReceived: 0, requestsReceived: 0, badPackets: 0, badRoutes: 0, routesRefused: 0 },
    maxRoutes: RIPNG_MAX_ROUTES,
    unwatch: () => {},
    running: true,
  };
  if (udp6Bind(stack, RIPNG_PORT, (m) => ripngInput(d, m)) < 0) throw new Error(`ripngd: cannot bind UDP ${RIPNG_PORT}`);
  refreshEnabled(d);
  const unIf = ifaceWatch(stack, (iface) => ifaceChanged(d, iface));
  const unRt = routeWatch(stack, () => {
    if (d.running && d.syncTimer === 0) d.syncTimer = stack.env.sim.schedule(0, redistributeNow, d);
  });
  d.unwatch = () => {
    unIf();
    unRt();
  };
  syncOwnRoutes(d);
  for (const r of d.routes.values()) r.changed = false;
  d.triggerPending = false;
  if (d.sendTimer !== 0) stack.env.sim.cancel(d.sendTimer);
  d.sendTimer = 0;
  stack.env.sim.schedule(FIRST_ASK_NS, firstAsk, d);
  scheduleUpdate(d);
  return d;
}

/** Stops ripngd: timers cancelled, socket closed, its routes withdrawn from the table. */
export function stopRipng(d: RipngDaemon): void {
  const sim = d.stack.env.sim;
  d.running = false;
  stopClock(d);
  if (d.syncTimer !== 0) sim.cancel(d.syncTimer);
  for (const r of d.routes.values()) clearTimer(d, r);
  d.routes.clear();
  for (const i of d.enabled) in6LeaveGroup(d.stack, i, RIPNG_GROUP);
  udp6Unbind(d.stack, RIPNG_PORT);
  d.unwatch();
  rib6Flush(d.stack, 'ripng');
}

function firstAsk(d: RipngDaemon): void {
  if (!d.running) return;
  for (const i of d.enabled) ripngSendRequest(d, i);
  // Our own routes go out now that the link-local sources exist.
  for (const r of d.routes.values()) r.changed = true;
  trigger(d);
}

function globals(stack: NetStack, i: number): { addr: Ipv6Addr; prefixLen: number }[] {
  return in6Addrs(stack, i).filter((a) => !a.linkLocal);
}

function covered(cfg: RipngConfig, stack: NetStack, iface: Iface): boolean {
  if (cfg.networkIfaces.includes(iface.name)) return true;
  return globals(stack, iface.index).some((a) => cfg.networks.some((n) => ipv6PrefixMatch(n.prefix, a.addr, n.prefixLen)));
}

function refreshEnabled(d: RipngDaemon): void {
  const before = new Set(d.enabled);
  d.enabled.clear();
  for (const iface of d.stack.ifaces) {
    if (iface.loopback || in6Addrs(d.stack, iface.index).length === 0 || !covered(d.cfg, d.stack, iface)) continue;
    d.enabled.add(iface.index);
    if (!before.has(iface.index)) in6JoinGroup(d.stack, iface.index, RIPNG_GROUP);
  }
  for (const i of before) if (!d.enabled.has(i)) in6LeaveGroup(d.stack, i, RIPNG_GROUP);
}

// ---- timers ---------------------------------------------------------------------------

interface RouteArg {
  d: RipngDaemon;
  r: RipngRoute;
}

function setTimer(d: RipngDaemon, r: RipngRoute, delayNs: number): void {
  const sim = d.stack.env.sim;
  if (r.timer !== 0) sim.cancel(r.timer);
  r.timerNs = sim.now() + delayNs;
  r.timer = sim.schedule(delayNs, routeTimer, { d, r } satisfies RouteArg);
}

function clearTimer(d: RipngDaemon, r: RipngRoute): void {
  if (r.timer !== 0) d.stack.env.sim.cancel(r.timer);
  r.timer = 0;
  r.timerNs = 0;
}

function routeTimer(a: RouteArg): void {
  const { d, r } = a;
  r.timer = 0;
  if (!d.running) return;
  if (!r.inGc) return startDeletion(d, r); // 180 s unheard (§2.3)
  const key = ripngKey(r.prefix, r.prefixLen);
  if (d.routes.get(key) === r) d.routes.delete(key);
}

/** Metric 16, out of the forwarding table, advertised as unreachable until garbage collection. */
function startDeletion(d: RipngDaemon, r: RipngRoute): void {
  if (r.inGc) return;
  if (r.type === 'ripng') rib6Withdraw(d.stack, r.prefix, r.prefixLen, 'ripng');
  r.metric = RIPNG_INFINITY;
  r.inGc = true;
  r.changed = true;
  setTimer(d, r, d.cfg.garbageS * S);
  trigger(d);
}

function install(d: RipngDaemon, r: RipngRoute): void {
  rib6Install(d.stack, { dest: r.prefix, prefixLen: r.prefixLen, gateway: r.nextHop!, ifIndex: r.ifIndex, origin: 'ripng' });
}

function redistributeNow(d: RipngDaemon): void {
  d.syncTimer = 0;
  if (d.running) syncOwnRoutes(d);
}

// ---- our own routes --------------------------------------------------------------------

interface Own {
  prefix: Ipv6Addr;
  prefixLen: number;
  type: RipngRouteType;
  ofInterface: boolean;
  ifIndex: number;
  metric: number;
}

/** Prefixes of RIPng interfaces (C(i)) and redistributed connected/static/OSPFv3 routes (C(r), S(r), O(r)). */
function ownRoutes(d: RipngDaemon): Map<string, Own> {
  const want = new Map<string, Own>();
  for (const i of d.enabled) {
    if (!ifaceUsable(d.stack.ifaces[i])) continue;
    for (const a of globals(d.stack, i)) {
      if (a.prefixLen >= 128) continue;
      const k = ripngKey(a.addr, a.prefixLen);
      if (!want.has(k)) want.set(k, { prefix: ipv6Network(a.addr, a.prefixLen), prefixLen: a.prefixLen, type: 'connected', ofInterface: true, ifIndex: i, metric: 1 });
    }
  }
  for (const info of route6List(d.stack)) {
    if (info.kind !== 'connected' && info.kind !== 'static' && info.kind !== 'ospf6') continue;
    const metric = d.cfg.redistribute.get(info.kind);
    if (metric === undefined || isIpv6LinkLocal(info.dest) || info.prefixLen === 128) continue;
    const k = ripngKey(info.dest, info.prefixLen);
    if (want.has(k)) continue;
    const ifIndex = d.stack.ifaces.findIndex((x) => x.name === info.iface);
    if (ifIndex < 0 || !ifaceUsable(d.stack.ifaces[ifIndex])) continue;
    want.set(k, { prefix: info.dest, prefixLen: info.prefixLen, type: info.kind, ofInterface: false, ifIndex, metric: metric ?? d.cfg.defaultMetric });
  }
  return want;
}

function syncOwnRoutes(d: RipngDaemon): void {
  const want = ownRoutes(d);
  let changed = false;
  for (const [k, r] of d.routes) {
    if (r.type === 'ripng') continue;
    const w = want.get(k);
    if (w === undefined) {
      if (!r.inGc) {
        startDeletion(d, r);
        changed = true;
      }
    } else if (r.inGc || r.metric !== w.metric || r.ifIndex !== w.ifIndex || r.type !== w.type) {
      clearTimer(d, r);
      Object.assign(r, { type: w.type, ofInterface: w.ofInterface, ifIndex: w.ifIndex, metric: w.metric, inGc: false, changed: true });
      changed = true;
    }
  }
  for (const [k, w] of want) {
    const r = d.routes.get(k);
    if (r !== undefined && r.type !== 'ripng') continue;
    if (r !== undefined) {
      clearTimer(d, r);
      if (!r.inGc) rib6Withdraw(d.stack, r.prefix, r.prefixLen, 'ripng');
    }
    d.routes.set(k, { ...w, nextHop: null, tag: 0, changed: true, inGc: false, timerNs: 0, timer: 0 });
    changed = true;
  }
  if (changed) trigger(d);
}

function ifaceChanged(d: RipngDaemon, iface: Iface): void {
  if (!d.running) return;
  const wasEnabled = d.enabled.has(iface.index);
  refreshEnabled(d);
  if (!ifaceUsable(iface) || !d.enabled.has(iface.index)) {
    for (const r of d.routes.values()) if (r.type === 'ripng' && r.ifIndex === iface.index) startDeletion(d, r);
  } else if (ripngSource(d, iface.index) !== null) ripngSendRequest(d, iface.index);
  // The link-local address is tentative again after the link came back (DAD): ask once it is ready.
  else d.stack.env.sim.schedule(FIRST_ASK_NS, firstAsk, d);
  if (wasEnabled || d.enabled.has(iface.index)) syncOwnRoutes(d);
}

// ---- input -----------------------------------------------------------------------------

function ripngInput(d: RipngDaemon, m: Udp6Delivery): void {
  if (!d.running || !d.enabled.has(m.ifIndex)) return;
  const msg = parseRipng(m.payload, 0, m.payload.length);
  if (typeof msg === 'string' || msg.version === 0) return void d.counters.badPackets++;
  if (msg.command === RIPNG_COMMAND.REQUEST) {
    d.counters.requestsReceived++;
    if (ripngSendsOn(d, m.ifIndex) || m.srcPort !== RIPNG_PORT) ripngAnswerRequest(d, m.ifIndex, msg.entries, { addr: m.src, port: m.srcPort });
    return;
  }
  if (msg.command !== RIPNG_COMMAND.RESPONSE) return void d.counters.badPackets++;
  // §2.4.2: from port 521, a link-local source, and hop limit 255 (sent on this very link).
  if (m.srcPort !== RIPNG_PORT || !isIpv6LinkLocal(m.src) || m.hopLimit !== 255) return void d.counters.badPackets++;
  if (in6Addrs(d.stack, m.ifIndex).some((a) => ipv6Equal(a.addr, m.src))) return; // our own multicast
  d.counters.responsesReceived++;
  const pk = `${formatIpv6(m.src)}%${m.ifIndex}`;
  const peer = d.peers.get(pk) ?? { addr: m.src, ifIndex: m.ifIndex, lastNs: 0, badPackets: 0, badRoutes: 0 };
  peer.lastNs = d.stack.env.sim.now();
  d.peers.set(pk, peer);
  let nextHop = m.src;
  for (const e of msg.entries) {
    if (e.metric === RIPNG_NEXT_HOP_METRIC) {
      // §2.1.1: a link-local next hop applies to the entries after it; anything else means the sender.
      nextHop = isIpv6LinkLocal(e.prefix) ? e.prefix : m.src;
      continue;
    }
    if (!entryValid(e)) {
      d.counters.badRoutes++;
      peer.badRoutes++;
      continue;
    }
    learn(d, m.ifIndex, nextHop, e);
  }
}

function entryValid(e: RipngEntry): boolean {
  if (e.metric < 1 || e.metric > RIPNG_INFINITY || e.prefixLen > 128) return false;
  return !isIpv6Multicast(e.prefix) && !isIpv6LinkLocal(e.prefix) && !(isIpv6Unspecified(e.prefix) && e.prefixLen !== 0);
}

/** §2.4.2: add, refresh, improve or delete one destination from one neighbor's response. */
function learn(d: RipngDaemon, ifIndex: number, nextHop: Ipv6Addr, e: RipngEntry): void {
  const metric = Math.min(e.metric + 1, RIPNG_INFINITY);
  const key = ripngKey(e.prefix, e.prefixLen);
  const r = d.routes.get(key);
  if (r !== undefined && r.type !== 'ripng' && !r.inGc) return; // our own route wins
  if (r === undefined || r.type !== 'ripng') {
    if (metric >= RIPNG_INFINITY) return;
    if (r === undefined && d.routes.size >= d.maxRoutes) return void d.counters.routesRefused++;
    if (r !== undefined) clearTimer(d, r);
    const nr: RipngRoute = { prefix: ipv6Network(e.prefix, e.prefixLen), prefixLen: e.prefixLen, type: 'ripng', ofInterface: false, nextHop: nextHop.slice(), ifIndex, metric, tag: e.tag, changed: true, inGc: false, timerNs: 0, timer: 0 };
    d.routes.set(key, nr);
    setTimer(d, nr, d.cfg.timeoutS * S);
    install(d, nr);
    trigger(d);
    return;
  }
  const same = r.nextHop !== null && ipv6Equal(r.nextHop, nextHop) && r.ifIndex === ifIndex;
  if (same && metric < RIPNG_INFINITY) {
    const renew = r.inGc || r.metric !== metric;
    setTimer(d, r, d.cfg.timeoutS * S);
    if (renew) {
      Object.assign(r, { metric, tag: e.tag, inGc: false, changed: true });
      install(d, r);
      trigger(d);
    }
  } else if (same && !r.inGc) {
    startDeletion(d, r); // the neighbor we route through says unreachable
  } else if (metric < r.metric) {
    Object.assign(r, { metric, nextHop: nextHop.slice(), ifIndex, tag: e.tag, inGc: false, changed: true });
    setTimer(d, r, d.cfg.timeoutS * S);
    install(d, r);
    trigger(d);
  }
}
