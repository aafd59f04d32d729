// ospfd: an OSPFv2 daemon on one stack, in one or several areas. Interfaces from
// `network … area` and `ip ospf area` (each in its area), hellos every HelloInterval to 224.0.0.5, the neighbor state machine
// up to 2-Way, the Wait timer and DR/BDR election on broadcast networks, inactivity
// (RouterDeadInterval), and dispatch of received packets. Raw IP protocol 89 only.
// RFC 2328 §9 (interface), §9.4 (election), §10.2-10.5 (neighbor events, hellos).

import { ribFlush } from '../../stack/rib';
import { ifaceWatch } from '../../stack/iface';
import { ipJoinGroup } from '../../stack/mcast';
import { rawBind, type RawDelivery } from '../../stack/raw';
import { ifaceUsable, maskOf } from '../../stack/route';
import { routeWatch } from '../../stack/programs';
import type { Iface, NetStack } from '../../stack/types';
import { OPT_E, OSPF_ALL_DR, OSPF_ALL_SPF, OSPF_PROTO, OSPF_TYPE, parseOspf, type Hello } from '../../wire/ospf';
import { ospfStubArea, type OspfConfig, type OspfIfaceConf } from './frr-conf';
import { ddInput, lsrInput, startExStart } from './ospfd-exchange';
import { ackInput, lsuInput, refreshOwn, scheduleOriginate, sendOspf, setNbrState } from './ospfd-lsdb';
import { electDrBdr, zebraRouterId, type DrCandidate } from './ospf-shared';
import { NBR_ORDER, S, type OspfDaemon, type OspfIface, type OspfNbr } from './ospfd-types';

const DEFAULT_COST = 10;

export function startOspf(stack: NetStack, cfg: OspfConfig, ifCfg: Map<string, OspfIfaceConf>): OspfDaemon {
  const d: OspfDaemon = {
    stack, cfg, ifCfg, routerId: 0, rng: stack.env.rng('ospfd'), ifaces: new Map(), lsdb: new Map(), abr: false, ownSeq: new Map(), routes: new Map(), table: new Map(), areaSpf: new Map(), interAsbrs: new Map(),
    spfPending: false, spfLastNs: -Infinity, spfHoldMult: 1, originatePending: false, counters: { packetsSent: 0, packetsReceived: 0, badPackets: 0, spfRuns: 0, lsasFlooded: 0, lsasRetransmitted: 0 },
    unwatch: () => {}, closeRaw: () => {}, running: true,
  };
  d.routerId = cfg.routerId ?? zebraRouterId(stack);
  const close = rawBind(stack, OSPF_PROTO, (m) => ospfInput(d, m));
  if (close === null) throw new Error('ospfd: IP protocol 89 is already bound');
  d.closeRaw = close;
  const unIf = ifaceWatch(stack, () => refreshIfaces(d));
  const unRt = routeWatch(stack, () => scheduleOriginate(d));
  d.unwatch = () => {
    unIf();
    unRt();
  };
  refreshIfaces(d);
  scheduleOriginate(d);
  scheduleRefresh(d);
  return d;
}

/**
 * Every minute, our LSAs older than LSRefreshTime are originated again (so none reaches
 * MaxAge), and redistributed routes are re-read (another daemon's routes reach ospfd
 * within a minute; static route changes at once through routeWatch).
 */
function scheduleRefresh(d: OspfDaemon): void {
  d.stack.env.sim.schedule(60 * S, (x: OspfDaemon) => {
    if (!x.running) return;
    refreshOwn(x);
    if (x.cfg.redistribute.size > 0) scheduleOriginate(x);
    scheduleRefresh(x);
  }, d);
}

export function stopOspf(d: OspfDaemon): void {
  d.running = false;
  for (const oi of d.ifaces.values()) for (const n of oi.nbrs.values()) n.rxmtGen++;
  d.closeRaw();
  d.unwatch();
  ribFlush(d.stack, 'ospf');
}

/** The interface's address that OSPF runs on and its area: `ip ospf area`, else the longest matching `network`. */
function covered(d: OspfDaemon, iface: Iface): { addr: number; prefixLen: number; area: number } | null {
  for (const a of iface.addrs) {
    if (a.prefixLen >= 32) continue;
    const ifArea = d.ifCfg.get(iface.name)?.area;
    if (ifArea != null) return { addr: a.addr, prefixLen: a.prefixLen, area: ifArea };
    let best: { prefixLen: number; area: number } | null = null;
    for (const n of d.cfg.networks) if (((a.addr ^ n.addr) & maskOf(n.prefixLen)) === 0 && (best === null || n.prefixLen > best.prefixLen)) best = n;
    if (best !== null) return { addr: a.addr, prefixLen: a.prefixLen, area: best.area };
  }
  return null;
}

/** The interface's configured parameters (FRR defaults: cost 10, priority 1, hello 10 s, dead 4 × hello). */
function ifParams(d: OspfDaemon, name: string): Pick<OspfIface, 'cost' | 'priority' | 'passive' | 'helloS' | 'deadS' | 'p2p'> {
  const c = d.ifCfg.get(name);
  const helloS = c?.helloS ?? 10;
  return { cost: c?.cost ?? DEFAULT_COST, priority: c?.priority ?? 1, passive: d.cfg.passiveDefault || d.cfg.passive.has(name), helloS, deadS: c?.deadS ?? helloS * 4, p2p: c?.p2p ?? false };
}

/** Brings the OSPF interfaces in line with the stack's and the configuration (InterfaceUp / InterfaceDown, §9.3). */
function refreshIfaces(d: OspfDaemon): void {
  if (!d.running) return;
  let changed = false;
  for (const iface of d.stack.ifaces) {
    const a = iface.loopback ? null : covered(d, iface);
    const up = a !== null && ifaceUsable(iface);
    const want = ifParams(d, iface.name);
    const oi = d.ifaces.get(iface.index);
    // A new address, or passive/priority/timers changed: the interface goes down and comes up again.
    const stub = a !== null && ospfStubArea(d.cfg, a.area);
    const restart = oi !== undefined && up && (oi.addr !== a!.addr || oi.area !== a!.area || oi.stub !== stub || oi.passive !== want.passive || oi.priority !== want.priority || oi.helloS !== want.helloS || oi.deadS !== want.deadS || oi.p2p !== want.p2p);
    if (oi !== undefined && (!up || restart)) {
      for (const n of oi.nbrs.values()) killNbr(d, oi, n);
      oi.helloGen++;
      oi.waitGen++;
      d.ifaces.delete(iface.index);
      changed = true;
    }
    if (up && !d.ifaces.has(iface.index)) {
      const no: OspfIface = { index: iface.index, name: iface.name, area: a!.area, addr: a!.addr, prefixLen: a!.prefixLen, ...want, stub, state: 'Waiting', dr: 0, bdr: 0, nbrs: new Map(), helloGen: 0, waitGen: 0, updQueue: new Map(), ackQueue: [] };
      d.ifaces.set(iface.index, no);
      ipJoinGroup(d.stack, iface.index, OSPF_ALL_SPF);
      ipJoinGroup(d.stack, iface.index, OSPF_ALL_DR);
      if (no.p2p) no.state = 'Point-To-Point';
      else if (no.passive || no.priority === 0) no.state = 'DROther'; // ineligible: no Wait timer (§9.3)
      else d.stack.env.sim.schedule(no.deadS * S, waitTimer, { d, oi: no, gen: no.waitGen });
      if (!no.passive) sendHello(d, no);
      changed = true;
    } else if (up && d.ifaces.get(iface.index)!.cost !== want.cost) {
      d.ifaces.get(iface.index)!.cost = want.cost; // a cost change only re-originates our router-LSA
      changed = true;
    }
  }
  if (changed) {
    const areas = new Set([...d.ifaces.values()].map((oi) => oi.area));
    d.abr = areas.size > 1 && areas.has(0);
    scheduleOriginate(d);
  }
}

/**
 * `configure terminal` changes applied in place, as FRR does: adjacencies stay up and only
 * what changed is re-originated. False when the router id changes (then ospfd restarts).
 */
export function reconfigureOspf(d: OspfDaemon, cfg: OspfConfig, ifCfg: Map<string, OspfIfaceConf>): boolean {
  const rid = cfg.routerId ?? d.routerId;
  if (!d.running || rid !== d.routerId) return false;
  d.cfg = cfg;
  d.ifCfg = ifCfg;
  refreshIfaces(d);
  scheduleOriginate(d);
  return true;
}

interface IfArg {
  d: OspfDaemon;
  oi: OspfIface;
  gen: number;
}

function waitTimer(a: IfArg): void {
  if (a.gen !== a.oi.waitGen || !a.d.running || a.oi.state !== 'Waiting') return;
  electDr(a.d, a.oi);
}

/** Hellos every HelloInterval to AllSPFRouters, listing the neighbors heard (§9.5); no jitter, as FRR. */
function sendHello(d: OspfDaemon, oi: OspfIface): void {
  const neighbors = [...oi.nbrs.values()].filter((n) => n.state !== 'Down').map((n) => n.routerId);
  const hello: Hello = { mask: maskOf(oi.prefixLen), helloInterval: oi.helloS, options: oi.stub ? 0 : OPT_E, priority: oi.priority, deadInterval: oi.deadS, dr: oi.dr, bdr: oi.bdr, neighbors };
  sendOspf(d, oi, OSPF_ALL_SPF, { type: OSPF_TYPE.HELLO, hello });
  const gen = oi.helloGen;
  d.stack.env.sim.schedule(oi.helloS * S, (x: IfArg) => {
    if (x.gen === x.oi.helloGen && x.d.running && x.d.ifaces.get(x.oi.index) === x.oi) sendHello(x.d, x.oi);
  }, { d, oi, gen } satisfies IfArg);
}

function killNbr(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  n.rxmtGen++;
  n.rxmtArmed = false;
  n.deadGen++;
  setNbrState(d, oi, n, 'Down');
  oi.nbrs.delete(n.addr);
}

interface NbrArg {
  d: OspfDaemon;
  oi: OspfIface;
  n: OspfNbr;
  gen: number;
}

function deadTimer(a: NbrArg): void {
  const { d, oi, n } = a;
  if (a.gen !== n.deadGen || !d.running) return;
  const now = d.stack.env.sim.now();
  if (now < n.deadNs) {
    d.stack.env.sim.schedule(n.deadNs - now, deadTimer, a);
    return;
  }
  // InactivityTimer: the neighbor is gone (§10.3); a new election, our LSAs rebuilt.
  killNbr(d, oi, n);
  if (oi.state !== 'Waiting') electDr(d, oi);
  scheduleOriginate(d);
}

/** Whether an adjacency forms with `n` on `oi` (§10.4): one of us is DR or BDR. */
function adjOk(oi: OspfIface, n: OspfNbr): boolean {
  return oi.p2p || oi.state === 'DR' || oi.state === 'Backup' || n.addr === oi.dr || n.addr === oi.bdr;
}

function helloInput(d: OspfDaemon, oi: OspfIface, src: number, routerId: number, h: Hello): void {
  if (h.helloInterval !== oi.helloS || h.deadInterval !== oi.deadS || (!oi.p2p && h.mask !== maskOf(oi.prefixLen))) return void d.counters.badPackets++;
  // §10.5: both ends must agree whether the area is a stub (the E-bit), or no adjacency forms.
  if (((h.options & OPT_E) === 0) !== oi.stub) return void d.counters.badPackets++;
  let n = oi.nbrs.get(src);
  const now = d.stack.env.sim.now();
  if (n === undefined) {
    n = { routerId, addr: src, priority: h.priority, dr: h.dr, bdr: h.bdr, state: 'Init', deadNs: 0, deadGen: 0, master: false, ddSeq: 0, summary: [], requests: new Map(), rxmt: new Map(), lastDd: null, rxmtGen: 0, rxmtArmed: false };
    oi.nbrs.set(src, n);
    n.deadNs = now + oi.deadS * S;
    d.stack.env.sim.schedule(oi.deadS * S, deadTimer, { d, oi, n, gen: n.deadGen } satisfies NbrArg);
  }
  n.deadNs = now + oi.deadS * S;
  const prevPri = n.priority;
  const prevDr = n.dr;
  const prevBdr = n.bdr;
  n.routerId = routerId;
  n.priority = h.priority;
  n.dr = h.dr;
  n.bdr = h.bdr;
  const twoWay = h.neighbors.includes(d.routerId);
  if (!twoWay) {
    if (NBR_ORDER[n.state] >= NBR_ORDER['2-Way']) {
      setNbrState(d, oi, n, 'Init'); // 1-WayReceived
      electDr(d, oi);
    }
    return;
  }
  if (n.state === 'Init') {
    setNbrState(d, oi, n, '2-Way');
    if (adjOk(oi, n)) startExStart(d, oi, n);
    if (oi.state !== 'Waiting') electDr(d, oi);
  }
  // BackupSeen ends the Wait timer early (§9.2).
  if (oi.state === 'Waiting' && ((h.bdr === src) || (h.dr === src && h.bdr === 0))) return electDr(d, oi);
  if (oi.state !== 'Waiting' && (prevPri !== n.priority || (prevDr === src) !== (h.dr === src) || (prevBdr === src) !== (h.bdr === src))) electDr(d, oi);
}

/** DR and BDR election (§9.4), then adjacencies re-checked (AdjOK?). */
function electDr(d: OspfDaemon, oi: OspfIface): void {
  if (oi.p2p) return;
  const oldDr = oi.dr;
  const oldBdr = oi.bdr;
  const others: DrCandidate[] = [...oi.nbrs.values()].filter((n) => NBR_ORDER[n.state] >= NBR_ORDER['2-Way'] && n.priority > 0).map((n) => ({ id: n.addr, rid: n.routerId, pri: n.priority, dr: n.dr, bdr: n.bdr }));
  const self = oi.priority > 0 ? { id: oi.addr, rid: d.routerId, pri: oi.priority, dr: oi.dr, bdr: oi.bdr } : null;
  ({ dr: oi.dr, bdr: oi.bdr } = electDrBdr(others, self));
  oi.state = oi.dr === oi.addr ? 'DR' : oi.bdr === oi.addr ? 'Backup' : 'DROther';
  for (const n of oi.nbrs.values()) {
    if (n.state === '2-Way' && adjOk(oi, n)) startExStart(d, oi, n);
    else if (NBR_ORDER[n.state] >= NBR_ORDER.ExStart && !adjOk(oi, n)) setNbrState(d, oi, n, '2-Way');
  }
  if (oi.dr !== oldDr || oi.bdr !== oldBdr) scheduleOriginate(d);
}

function ospfInput(d: OspfDaemon, m: RawDelivery): void {
  if (!d.running) return;
  const oi = d.ifaces.get(m.ifIndex);
  if (oi === undefined || oi.passive || d.stack.local.has(m.src)) return;
  const p = parseOspf(m.payload);
  if (typeof p === 'string' || p.areaId !== oi.area || p.routerId === d.routerId) return void d.counters.badPackets++;
  if (((m.src ^ oi.addr) & maskOf(oi.prefixLen)) !== 0) return void d.counters.badPackets++;
  if (m.dst === OSPF_ALL_DR && oi.state !== 'DR' && oi.state !== 'Backup') return;
  d.counters.packetsReceived++;
  const b = p.body;
  if (b.type === OSPF_TYPE.HELLO) return helloInput(d, oi, m.src, p.routerId, b.hello);
  const n = oi.nbrs.get(m.src);
  if (n === undefined) return;
  switch (b.type) {
    case OSPF_TYPE.DD:
      return ddInput(d, oi, n, b.dd, p.routerId);
    case OSPF_TYPE.LSR:
      return lsrInput(d, oi, n, b.requests);
    case OSPF_TYPE.LSU:
      return lsuInput(d, oi, n, b.lsas);
    case OSPF_TYPE.ACK:
      return ackInput(n, b.headers);
  }
}
