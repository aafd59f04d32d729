// ripd: a RIPv2 daemon on one stack. Input processing of requests and responses, the
// route database with timeout and garbage-collection timers, regular updates every 30 s
// with jitter and triggered updates, our own routes (RIP interfaces' subnets and
// `redistribute`), and interface state. Uses only the socket API, the routing-table API
// (stack/rib.ts) and interface state (ifaceWatch), as ripd uses zebra. Virtual time only.
// RFC 2453 §3.4 (metric, infinity 16), §3.8 (timers), §3.9 (input), §3.10 (output), §5.1.

import { ribFlush, ribInstall, ribWithdraw } from '../../stack/rib';
import { ifaceWatch } from '../../stack/iface';
import { routeWatch } from '../../stack/programs';
import { ipJoinGroup } from '../../stack/mcast';
import { ifaceUsable, maskOf, routeList } from '../../stack/route';
import { udpBind } from '../../stack/udp';
import type { Iface, NetStack, UdpDelivery } from '../../stack/types';
import { maskToPrefixLen } from '../../wire/addr';
import { parseRip, RIP_AFI_INET, RIP_COMMAND, RIP_GROUP, RIP_INFINITY, RIP_PORT, type RipEntry } from '../../wire/rip';
import type { RipConfig, SplitHorizon } from './frr-conf';
import { ripAnswerRequest, ripSendRequest, ripSendUpdate } from './rip-output';
import { scheduleUpdate, stopClock, trigger } from './rip-clock';
import { RIP_MAX_ROUTES, ripKey, type RipDaemon, type RipRoute, type RipRouteType } from './rip-types';

const S = 1_000_000_000;

/** Starts ripd on `stack`: binds UDP 520, joins 224.0.0.9, asks the neighbors for their tables. */
export function startRip(stack: NetStack, cfg: RipConfig, splitHorizon: Map<string, SplitHorizon>): RipDaemon {
  const d: RipDaemon = {
    stack,
    cfg,
    splitHorizon,
    routes: new Map(),
    socket: null,
    rng: stack.env.rng('ripd'),
    updateTimer: 0,
    updateNs: 0,
    holdTimer: 0,
    triggerPending: false,
    sendTimer: 0,
    syncTimer: 0,
    enabled: new Set(),
    peers: new Map(),
    clock: { beforeRegular: () => syncOwnRoutes(d), send: (onlyChanged) => ripSendUpdate(d, onlyChanged) },
    counters: { updatesSent: 0, triggeredSent: 0, responsesReceived: 0, requestsReceived: 0, badPackets: 0, badRoutes: 0, routesRefused: 0 },
    maxRoutes: RIP_MAX_ROUTES,
    unwatch: () => {},
    running: true,
  };
  const sock = udpBind(stack, RIP_PORT, (m) => ripInput(d, m));
  if ('errno' in sock) throw new Error(`ripd: cannot bind UDP ${RIP_PORT}: ${sock.errno}`);
  d.socket = sock;
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
  // The first regular update carries our own routes: no triggered update (and so no
  // hold-down) at boot, so what the neighbors' answers teach us goes out at once.
  for (const r of d.routes.values()) r.changed = false;
  d.triggerPending = false;
  if (d.sendTimer !== 0) stack.env.sim.cancel(d.sendTimer);
  d.sendTimer = 0;
  for (const i of d.enabled) ripSendRequest(d, i);
  scheduleUpdate(d);
  return d;
}

/** Stops ripd: timers cancelled, socket closed, its routes withdrawn from the table. */
export function stopRip(d: RipDaemon): void {
  const sim = d.stack.env.sim;
  d.running = false;
  stopClock(d);
  if (d.syncTimer !== 0) sim.cancel(d.syncTimer);
  for (const r of d.routes.values()) clearTimer(r);
  d.routes.clear();
  d.socket?.close();
  d.socket = null;
  d.unwatch();
  ribFlush(d.stack, 'rip');
}

function covered(cfg: RipConfig, iface: Iface): boolean {
  if (cfg.networkIfaces.includes(iface.name)) return true;
  return iface.addrs.some((a) => cfg.networks.some((n) => ((a.addr & maskOf(n.prefixLen)) >>> 0) === ((n.addr & maskOf(n.prefixLen)) >>> 0)));
}

function refreshEnabled(d: RipDaemon): void {
  d.enabled.clear();
  for (const iface of d.stack.ifaces) {
    if (iface.loopback || iface.addrs.length === 0 || !covered(d.cfg, iface)) continue;
    d.enabled.add(iface.index);
    ipJoinGroup(d.stack, iface.index, RIP_GROUP);
  }
}

// ---- timers ---------------------------------------------------------------------------

interface RouteArg {
  d: RipDaemon;
  r: RipRoute;
  gen: number;
}

/** (Re)starts the route's timeout or garbage-collection timer, `delayNs` from now. */
function setTimer(d: RipDaemon, r: RipRoute, delayNs: number, kind: 'timeout' | 'gc'): void {
  const sim = d.stack.env.sim;
  const due = sim.now() + delayNs;
  r.timerNs = due;
  r.timerKind = kind;
  if (r.timer !== 0 && r.timerEventNs <= due) return; // fires earlier, then re-arms for `due`
  r.timerGen++;
  r.timerEventNs = due;
  r.timer = sim.schedule(delayNs, routeTimer, { d, r, gen: r.timerGen } satisfies RouteArg);
}

function clearTimer(r: RipRoute): void {
  r.timerGen++;
  r.timer = 0;
}

function routeTimer(a: RouteArg): void {
  const { d, r } = a;
  if (a.gen !== r.timerGen || !d.running) return; // disowned
  r.timer = 0;
  const now = d.stack.env.sim.now();
  if (now < r.timerNs) return setTimer(d, r, r.timerNs - now, r.timerKind);
  if (r.timerKind === 'timeout') return startDeletion(d, r); // 180 s unheard (§3.8)
  const key = ripKey(r.dest, r.prefixLen);
  if (d.routes.get(key) === r) d.routes.delete(key);
}

/** Metric 16, out of the forwarding table, advertised as unreachable until garbage collection (§3.8). */
function startDeletion(d: RipDaemon, r: RipRoute): void {
  if (r.inGc) return;
  if (r.type === 'rip') ribWithdraw(d.stack, r.dest, r.prefixLen, 'rip');
  r.metric = RIP_INFINITY;
  r.inGc = true;
  r.changed = true;
  setTimer(d, r, d.cfg.garbageS * S, 'gc');
  trigger(d);
}

function install(d: RipDaemon, r: RipRoute): void {
  ribInstall(d.stack, { dest: r.dest, prefixLen: r.prefixLen, gateway: r.nextHop, ifIndex: r.ifIndex, origin: 'rip', metric: r.metric });
}

/** zebra tells ripd of a static route change at once: redistribute it (end of this event). */
function redistributeNow(d: RipDaemon): void {
  d.syncTimer = 0;
  if (d.running) syncOwnRoutes(d);
}

// ---- our own routes --------------------------------------------------------------------

interface Own {
  type: RipRouteType;
  ofInterface: boolean;
  ifIndex: number;
  /** The redistributed route's gateway (FRR's Next Hop column for S(r) and the like), 0 for a subnet. */
  nextHop: number;
  metric: number;
}

/** Connected subnets of RIP interfaces (C(i)) and redistributed routes (C(r), S(r) …), as the table is now. */
function ownRoutes(d: RipDaemon): Map<number, Own & { dest: number; prefixLen: number }> {
  const want = new Map<number, Own & { dest: number; prefixLen: number }>();
  for (const i of d.enabled) {
    const iface = d.stack.ifaces[i];
    if (!ifaceUsable(iface)) continue;
    for (const a of iface.addrs) {
      if (a.prefixLen >= 32) continue;
      const dest = (a.addr & maskOf(a.prefixLen)) >>> 0;
      const k = ripKey(dest, a.prefixLen);
      if (!want.has(k)) want.set(k, { dest, prefixLen: a.prefixLen, type: 'connected', ofInterface: true, ifIndex: i, nextHop: 0, metric: 1 });
    }
  }
  for (const info of routeList(d.stack)) {
    if (!info.usable || info.kind === 'local' || info.kind === 'rip') continue;
    const metric = d.cfg.redistribute.get(info.kind);
    if (metric === undefined) continue;
    const k = ripKey(info.dest, info.prefixLen);
    if (want.has(k) || info.dest >>> 24 === 127) continue;
    const ifIndex = d.stack.ifaces.findIndex((x) => x.name === info.iface);
    want.set(k, { dest: info.dest, prefixLen: info.prefixLen, type: info.kind, ofInterface: false, ifIndex, nextHop: info.gateway ?? 0, metric: metric ?? d.cfg.defaultMetric });
  }
  return want;
}

/** Brings our own routes in line with the interfaces and the table; changes trigger an update. */
function syncOwnRoutes(d: RipDaemon): void {
  const want = ownRoutes(d);
  let changed = false;
  for (const [k, r] of d.routes) {
    if (r.type === 'rip') continue;
    const w = want.get(k);
    if (w === undefined) {
      if (!r.inGc) {
        startDeletion(d, r);
        changed = true;
      }
    } else if (r.inGc || r.metric !== w.metric || r.ifIndex !== w.ifIndex || r.type !== w.type || r.nextHop !== w.nextHop) {
      Object.assign(r, { type: w.type, ofInterface: w.ofInterface, ifIndex: w.ifIndex, nextHop: w.nextHop, metric: w.metric, inGc: false, changed: true });
      clearTimer(r);
      changed = true;
    }
  }
  for (const [k, w] of want) {
    const r = d.routes.get(k);
    if (r !== undefined && r.type !== 'rip') continue;
    if (r !== undefined) {
      // Our own route replaces a learned one (FRR: connected and redistributed win in ripd).
      clearTimer(r);
      if (!r.inGc) ribWithdraw(d.stack, r.dest, r.prefixLen, 'rip');
      d.routes.delete(k);
    }
    d.routes.set(k, { dest: w.dest, prefixLen: w.prefixLen, type: w.type, ofInterface: w.ofInterface, nextHop: w.nextHop, from: 0, ifIndex: w.ifIndex, metric: w.metric, tag: 0, changed: true, timer: 0, timerNs: 0, timerKind: 'gc', timerEventNs: 0, timerGen: 0, inGc: false });
    changed = true;
  }
  if (changed) trigger(d);
}

function ifaceChanged(d: RipDaemon, iface: Iface): void {
  if (!d.running) return;
  const wasEnabled = d.enabled.has(iface.index);
  refreshEnabled(d);
  if (!ifaceUsable(iface) || !d.enabled.has(iface.index)) {
    // Routes learned through a dead interface go at once (FRR: interface down event), §3.8.
    for (const r of d.routes.values()) if (r.type === 'rip' && r.ifIndex === iface.index) startDeletion(d, r);
  } else if (d.enabled.has(iface.index)) {
    ripSendRequest(d, iface.index);
  }
  if (wasEnabled || d.enabled.has(iface.index)) syncOwnRoutes(d);
}

// ---- input -----------------------------------------------------------------------------

function onLink(iface: Iface, addr: number): boolean {
  return iface.addrs.some((a) => a.prefixLen < 32 && ((a.addr ^ addr) & maskOf(a.prefixLen)) === 0);
}

function ripInput(d: RipDaemon, m: UdpDelivery): void {
  if (!d.running) return;
  const iface = d.stack.ifaces[m.ifIndex];
  if (iface === undefined || !d.enabled.has(m.ifIndex) || d.stack.local.has(m.src)) return;
  const msg = parseRip(m.payload, 0, m.payload.length);
  if (typeof msg === 'string' || msg.version === 0) {
    d.counters.badPackets++;
    return;
  }
  if (msg.command === RIP_COMMAND.REQUEST) {
    d.counters.requestsReceived++;
    if (d.cfg.passiveDefault || d.cfg.passive.has(iface.name)) return;
    ripAnswerRequest(d, m.ifIndex, msg.entries, { addr: m.src, port: m.srcPort });
    return;
  }
  if (msg.command !== RIP_COMMAND.RESPONSE) return void d.counters.badPackets++;
  // §3.9.2: only from port 520 and from a neighbor on the receiving interface's subnet.
  if (m.srcPort !== RIP_PORT || !onLink(iface, m.src)) return void d.counters.badPackets++;
  d.counters.responsesReceived++;
  const peer = d.peers.get(m.src) ?? { addr: m.src, lastNs: 0, badPackets: 0, badRoutes: 0 };
  peer.lastNs = d.stack.env.sim.now();
  d.peers.set(m.src, peer);
  for (const e of msg.entries) {
    if (e.afi !== RIP_AFI_INET) continue; // authentication entries: no authentication is configured
    if (!entryValid(e, msg.version)) {
      d.counters.badRoutes++;
      peer.badRoutes++;
      continue;
    }
    learn(d, iface, m.src, e, msg.version);
  }
}

function prefixLenOf(e: RipEntry, version: number): number | null {
  if (version >= 2 && e.mask !== 0) return maskToPrefixLen(e.mask);
  if (e.addr === 0) return 0;
  const first = e.addr >>> 24; // RIPv1: classful (RFC 1058 §3.2)
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

function entryValid(e: RipEntry, version: number): boolean {
  if (e.metric < 1 || e.metric > RIP_INFINITY) return false;
  const first = e.addr >>> 24;
  if (first === 127 || first >= 224 || (first === 0 && e.addr !== 0)) return false;
  const len = prefixLenOf(e, version);
  return len !== null && ((e.addr & ~maskOf(len)) >>> 0) === 0;
}

/** §3.9.2: add, refresh, improve or delete one destination from one neighbor's response. */
function learn(d: RipDaemon, iface: Iface, src: number, e: RipEntry, version: number): void {
  const prefixLen = prefixLenOf(e, version)!;
  const metric = Math.min(e.metric + 1, RIP_INFINITY);
  const nextHop = e.nextHop !== 0 && onLink(iface, e.nextHop) && !d.stack.local.has(e.nextHop) ? e.nextHop : src;
  const key = ripKey(e.addr, prefixLen);
  const r = d.routes.get(key);
  if (r !== undefined && r.type !== 'rip' && !r.inGc) return; // our own route wins
  if (r === undefined || (r.type !== 'rip' && r.inGc)) {
    if (metric >= RIP_INFINITY) return;
    if (r === undefined && d.routes.size >= d.maxRoutes) return void d.counters.routesRefused++;
    if (r !== undefined) clearTimer(r);
    const nr: RipRoute = { dest: e.addr, prefixLen, type: 'rip', ofInterface: false, nextHop, from: src, ifIndex: iface.index, metric, tag: e.tag, changed: true, timer: 0, timerNs: 0, timerKind: 'timeout', timerEventNs: 0, timerGen: 0, inGc: false };
    d.routes.set(key, nr);
    setTimer(d, nr, d.cfg.timeoutS * S, 'timeout');
    install(d, nr);
    trigger(d);
    return;
  }
  const same = r.from === src && r.ifIndex === iface.index;
  if (same && metric < RIP_INFINITY) {
    const renew = r.inGc || r.metric !== metric || r.nextHop !== nextHop;
    setTimer(d, r, d.cfg.timeoutS * S, 'timeout');
    if (renew) {
      Object.assign(r, { metric, nextHop, tag: e.tag, inGc: false, changed: true });
      install(d, r);
      trigger(d);
    }
  } else if (same && !r.inGc) {
    startDeletion(d, r); // the neighbor we route through says unreachable
  } else if (metric < r.metric) {
    Object.assign(r, { metric, nextHop, from: src, ifIndex: iface.index, tag: e.tag, inGc: false, changed: true });
    setTimer(d, r, d.cfg.timeoutS * S, 'timeout');
    install(d, r);
    trigger(d);
  }
}
