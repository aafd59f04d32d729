// ospf6d: an OSPFv3 daemon on one stack (area 0). Interfaces from `ipv6 ospf6 area` and
// quagga's `interface X area` once their link-local address is usable, hellos every
// HelloInterval to ff02::5 from it, the neighbor state machine up to 2-Way, the Wait timer
// and DR/BDR election (by router id) on broadcast links, inactivity, and dispatch of
// received packets. Raw IPv6 next header 89 only (stack/raw6.ts).
// RFC 5340 §4.2.1 (hello), §4.2.2 (receiving), RFC 2328 §9.4 (election), §10 (neighbors).

import { ifaceWatch } from '../../stack/iface';
import { in6JoinGroup, in6LeaveGroup } from '../../stack/in6';
import { routeWatch } from '../../stack/programs';
import { raw6Bind, type Raw6Delivery } from '../../stack/raw6';
import { rib6Flush } from '../../stack/rib6';
import { ifaceUsable } from '../../stack/route';
import type { NetStack } from '../../stack/types';
import { ipv6Equal, isIpv6LinkLocal } from '../../wire/ipv6-addr';
import { OPT6_DEFAULT, OSPF6_ALL_DR, OSPF6_ALL_SPF, OSPF6_CHECKSUM_AT, OSPF6_NEXT, OSPF6_TYPE, parseOspf6, type Hello6 } from '../../wire/ospf6';
import type { OspfIfaceConf } from './frr-conf';
import type { Ospf6Config } from './frr-conf-ospf6';
import { ddInput6, lsrInput6, startExStart6 } from './ospf6d-exchange';
import { linkLocalOf, lsuInput6, refreshOwn6, scheduleOriginate6, sendOspf6, setNbrState6 } from './ospf6d-lsdb';
import { ackInput, electDrBdr, zebraRouterId, type DrCandidate } from './ospf-shared';
import { NBR_ORDER, S, type Ospf6Daemon, type Ospf6Iface, type Ospf6Nbr } from './ospf6d-types';

const DEFAULT_COST = 10;

export function startOspf6(stack: NetStack, cfg: Ospf6Config, ifCfg: Map<string, OspfIfaceConf>): Ospf6Daemon {
  const d: Ospf6Daemon = {
    stack, cfg, ifCfg, routerId: 0, rng: stack.env.rng('ospf6d'), ifaces: new Map(), lsdb: new Map(), ownSeq: new Map(), extIds: new Map(), routes: new Map(),
    spfPending: false, originatePending: false, pollPending: false,
    counters: { packetsSent: 0, packetsReceived: 0, badPackets: 0, spfRuns: 0, lsasFlooded: 0, lsasRetransmitted: 0 },
    unwatch: () => {}, closeRaw: () => {}, running: true,
  };
  d.routerId = cfg.routerId ?? zebraRouterId(stack);
  const close = raw6Bind(stack, OSPF6_NEXT, OSPF6_CHECKSUM_AT, (m) => ospf6Input(d, m));
  if (close === null) throw new Error('ospf6d: IPv6 next header 89 is already bound');
  d.closeRaw = close;
  const unIf = ifaceWatch(stack, () => refreshIfaces(d));
  const unRt = routeWatch(stack, () => {
    if (d.cfg.redistribute.size > 0) scheduleOriginate6(d);
  });
  d.unwatch = () => {
    unIf();
    unRt();
  };
  refreshIfaces(d);
  scheduleOriginate6(d);
  scheduleRefresh(d);
  return d;
}

/** Every minute: our LSAs older than LSRefreshTime go out again; redistributed routes re-read. */
function scheduleRefresh(d: Ospf6Daemon): void {
  d.stack.env.sim.schedule(60 * S, (x: Ospf6Daemon) => {
    if (!x.running) return;
    refreshOwn6(x);
    if (x.cfg.redistribute.size > 0) scheduleOriginate6(x);
    scheduleRefresh(x);
  }, d);
}

export function stopOspf6(d: Ospf6Daemon): void {
  d.running = false;
  for (const oi of d.ifaces.values()) {
    for (const n of oi.nbrs.values()) n.rxmtGen++;
    in6LeaveGroup(d.stack, oi.index, OSPF6_ALL_SPF);
    in6LeaveGroup(d.stack, oi.index, OSPF6_ALL_DR);
  }
  d.closeRaw();
  d.unwatch();
  rib6Flush(d.stack, 'ospf6');
}

function ifParams(d: Ospf6Daemon, name: string): Pick<Ospf6Iface, 'cost' | 'priority' | 'helloS' | 'deadS' | 'p2p'> {
  const c = d.ifCfg.get(name);
  const helloS = c?.helloS ?? 10;
  return { cost: c?.cost ?? DEFAULT_COST, priority: c?.priority ?? 1, helloS, deadS: c?.deadS ?? helloS * 4, p2p: c?.p2p ?? false };
}

function enabled(d: Ospf6Daemon, name: string): boolean {
  return d.ifCfg.get(name)?.area != null || d.cfg.areaIfaces.has(name);
}

/**
 * Brings the OSPFv3 interfaces in line with the stack's and the configuration. An enabled
 * interface whose link-local address is still tentative (DAD) is looked at again in a second.
 */
function refreshIfaces(d: Ospf6Daemon): void {
  if (!d.running) return;
  let changed = false;
  let waiting = false;
  for (const iface of d.stack.ifaces) {
    const on = !iface.loopback && enabled(d, iface.name);
    const ll = on ? linkLocalOf(d, iface.index) : null;
    if (on && ll === null && ifaceUsable(iface)) waiting = true;
    const up = on && ll !== null && ifaceUsable(iface);
    const want = ifParams(d, iface.name);
    const oi = d.ifaces.get(iface.index);
    const restart = oi !== undefined && up && (!ipv6Equal(oi.linkLocal, ll!) || oi.priority !== want.priority || oi.helloS !== want.helloS || oi.deadS !== want.deadS || oi.p2p !== want.p2p);
    if (oi !== undefined && (!up || restart)) {
      for (const n of oi.nbrs.values()) killNbr(d, oi, n);
      oi.helloGen++;
      oi.waitGen++;
      d.ifaces.delete(iface.index);
      in6LeaveGroup(d.stack, iface.index, OSPF6_ALL_SPF);
      in6LeaveGroup(d.stack, iface.index, OSPF6_ALL_DR);
      changed = true;
    }
    if (up && !d.ifaces.has(iface.index)) {
      const no: Ospf6Iface = { index: iface.index, name: iface.name, ifId: iface.index + 1, linkLocal: ll!.slice(), ...want, state: 'Waiting', dr: 0, bdr: 0, nbrs: new Map(), linkLsdb: new Map(), helloGen: 0, waitGen: 0 };
      d.ifaces.set(iface.index, no);
      in6JoinGroup(d.stack, iface.index, OSPF6_ALL_SPF);
      in6JoinGroup(d.stack, iface.index, OSPF6_ALL_DR);
      if (no.p2p) no.state = 'Point-To-Point';
      else if (no.priority === 0) no.state = 'DROther';
      else d.stack.env.sim.schedule(no.deadS * S, waitTimer, { d, oi: no, gen: no.waitGen });
      sendHello(d, no);
      changed = true;
    } else if (up && d.ifaces.get(iface.index)!.cost !== want.cost) {
      d.ifaces.get(iface.index)!.cost = want.cost;
      changed = true;
    }
  }
  if (changed) scheduleOriginate6(d);
  if (waiting && !d.pollPending) {
    d.pollPending = true;
    d.stack.env.sim.schedule(S, (x: Ospf6Daemon) => {
      x.pollPending = false;
      refreshIfaces(x);
    }, d);
  }
}

/**
 * `configure terminal` changes applied in place, as FRR does: adjacencies stay up and only
 * what changed is re-originated. False when the router id changes (then ospf6d restarts).
 */
export function reconfigureOspf6(d: Ospf6Daemon, cfg: Ospf6Config, ifCfg: Map<string, OspfIfaceConf>): boolean {
  if (!d.running || (cfg.routerId ?? d.routerId) !== d.routerId) return false;
  d.cfg = cfg;
  d.ifCfg = ifCfg;
  refreshIfaces(d);
  scheduleOriginate6(d);
  return true;
}

interface IfArg {
  d: Ospf6Daemon;
  oi: Ospf6Iface;
  gen: number;
}

function waitTimer(a: IfArg): void {
  if (a.gen !== a.oi.waitGen || !a.d.running || a.oi.state !== 'Waiting') return;
  electDr(a.d, a.oi);
}

/** Hellos every HelloInterval to AllSPFRouters, listing the neighbors heard (§4.2.1.1). */
function sendHello(d: Ospf6Daemon, oi: Ospf6Iface): void {
  const neighbors = [...oi.nbrs.values()].filter((n) => n.state !== 'Down').map((n) => n.routerId);
  const hello: Hello6 = { ifId: oi.ifId, priority: oi.priority, options: OPT6_DEFAULT, helloInterval: oi.helloS, deadInterval: oi.deadS, dr: oi.dr, bdr: oi.bdr, neighbors };
  sendOspf6(d, oi, OSPF6_ALL_SPF, { type: OSPF6_TYPE.HELLO, hello });
  d.stack.env.sim.schedule(oi.helloS * S, (x: IfArg) => {
    if (x.gen === x.oi.helloGen && x.d.running && x.d.ifaces.get(x.oi.index) === x.oi) sendHello(x.d, x.oi);
  }, { d, oi, gen: oi.helloGen } satisfies IfArg);
}

function killNbr(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  n.rxmtGen++;
  n.rxmtArmed = false;
  n.deadGen++;
  setNbrState6(d, n, 'Down');
  oi.nbrs.delete(n.routerId);
  // The neighbor's Link-LSA on this link goes with it.
  for (const [k, l] of oi.linkLsdb) if (l.hdr.adv === n.routerId) oi.linkLsdb.delete(k);
}

interface NbrArg {
  d: Ospf6Daemon;
  oi: Ospf6Iface;
  n: Ospf6Nbr;
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
  killNbr(d, oi, n); // InactivityTimer
  if (oi.state !== 'Waiting') electDr(d, oi);
  scheduleOriginate6(d);
}

/** Whether an adjacency forms with `n` on `oi`: one of us is DR or BDR. */
function adjOk(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): boolean {
  return oi.p2p || oi.state === 'DR' || oi.state === 'Backup' || n.routerId === oi.dr || n.routerId === oi.bdr;
}

function helloInput(d: Ospf6Daemon, oi: Ospf6Iface, src: Uint8Array, routerId: number, h: Hello6): void {
  if (h.helloInterval !== oi.helloS || h.deadInterval !== oi.deadS || (h.options & 0x02) === 0) return void d.counters.badPackets++;
  let n = oi.nbrs.get(routerId);
  const now = d.stack.env.sim.now();
  if (n === undefined) {
    n = { routerId, addr: src.slice(), ifId: h.ifId, priority: h.priority, dr: h.dr, bdr: h.bdr, state: 'Init', sinceNs: now, deadNs: now + oi.deadS * S, deadGen: 0, master: false, ddSeq: 0, summary: [], requests: new Map(), rxmt: new Map(), lastDd: null, lastMore: false, rxmtGen: 0, rxmtArmed: false };
    oi.nbrs.set(routerId, n);
    d.stack.env.sim.schedule(oi.deadS * S, deadTimer, { d, oi, n, gen: n.deadGen } satisfies NbrArg);
  }
  n.deadNs = now + oi.deadS * S;
  const prevPri = n.priority;
  const prevDr = n.dr;
  const prevBdr = n.bdr;
  n.addr = src.slice();
  n.ifId = h.ifId;
  n.priority = h.priority;
  n.dr = h.dr;
  n.bdr = h.bdr;
  if (!h.neighbors.includes(d.routerId)) {
    if (NBR_ORDER[n.state] >= NBR_ORDER['2-Way']) {
      setNbrState6(d, n, 'Init'); // 1-WayReceived
      electDr(d, oi);
    }
    return;
  }
  if (n.state === 'Init') {
    setNbrState6(d, n, '2-Way');
    if (adjOk(d, oi, n)) startExStart6(d, oi, n);
    if (oi.state !== 'Waiting') electDr(d, oi);
  }
  // BackupSeen ends the Wait timer early.
  if (oi.state === 'Waiting' && (h.bdr === routerId || (h.dr === routerId && h.bdr === 0))) return electDr(d, oi);
  if (oi.state !== 'Waiting' && (prevPri !== n.priority || (prevDr === routerId) !== (h.dr === routerId) || (prevBdr === routerId) !== (h.bdr === routerId))) electDr(d, oi);
}

/** DR and BDR election by router id (RFC 2328 §9.4 as RFC 5340 §4.2 amends it), then AdjOK?. */
function electDr(d: Ospf6Daemon, oi: Ospf6Iface): void {
  if (oi.p2p) return;
  const oldDr = oi.dr;
  const oldBdr = oi.bdr;
  const others: DrCandidate[] = [...oi.nbrs.values()].filter((n) => NBR_ORDER[n.state] >= NBR_ORDER['2-Way'] && n.priority > 0).map((n) => ({ id: n.routerId, rid: n.routerId, pri: n.priority, dr: n.dr, bdr: n.bdr }));
  const self = oi.priority > 0 ? { id: d.routerId, rid: d.routerId, pri: oi.priority, dr: oi.dr, bdr: oi.bdr } : null;
  ({ dr: oi.dr, bdr: oi.bdr } = electDrBdr(others, self));
  const me = (r: number) => r === d.routerId;
  oi.state = me(oi.dr) ? 'DR' : me(oi.bdr) ? 'Backup' : 'DROther';
  for (const n of oi.nbrs.values()) {
    if (n.state === '2-Way' && adjOk(d, oi, n)) startExStart6(d, oi, n);
    else if (NBR_ORDER[n.state] >= NBR_ORDER.ExStart && !adjOk(d, oi, n)) setNbrState6(d, n, '2-Way');
  }
  if (oi.dr !== oldDr || oi.bdr !== oldBdr) scheduleOriginate6(d);
}

function ospf6Input(d: Ospf6Daemon, m: Raw6Delivery): void {
  if (!d.running) return;
  const oi = d.ifaces.get(m.ifIndex);
  if (oi === undefined) return;
  // RFC 5340 §4.2.2: link-local sources only, and never our own packets.
  if (!isIpv6LinkLocal(m.src) || ipv6Equal(m.src, oi.linkLocal)) return void d.counters.badPackets++;
  const p = parseOspf6(m.payload);
  if (typeof p === 'string' || p.areaId !== 0 || p.instance !== 0 || p.routerId === d.routerId) return void d.counters.badPackets++;
  if (ipv6Equal(m.dst, OSPF6_ALL_DR) && oi.state !== 'DR' && oi.state !== 'Backup') return;
  d.counters.packetsReceived++;
  const b = p.body;
  if (b.type === OSPF6_TYPE.HELLO) return helloInput(d, oi, m.src, p.routerId, b.hello);
  const n = oi.nbrs.get(p.routerId);
  if (n === undefined) return;
  switch (b.type) {
    case OSPF6_TYPE.DD:
      return ddInput6(d, oi, n, b.dd);
    case OSPF6_TYPE.LSR:
      return lsrInput6(d, oi, n, b.requests);
    case OSPF6_TYPE.LSU:
      return lsuInput6(d, oi, n, b.lsas);
    case OSPF6_TYPE.ACK:
      return ackInput(n, b.headers);
  }
}
