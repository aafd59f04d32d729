// ospfd's link-state database: sending packets, our router- and network-LSAs (and
// AS-external-LSAs for `redistribute`) with their 30-min refresh, updates with flooding,
// acknowledgments and retransmission every RxmtInterval. The database exchange that fills
// it is ospfd-exchange.ts. RFC 2328 §12.4 (origination), §13 (flooding), §13.5-13.6 (acks).

import { rawSend } from '../../stack/raw';
import { ifaceUsable, maskOf, routeList } from '../../stack/route';
import { formatIpv4 } from '../../wire/addr';
import {
  buildLsa, buildOspf, externalLsaBody, INITIAL_SEQ, LSA_TYPE, networkLsaBody, OPT_E, OSPF_ALL_DR, OSPF_ALL_SPF, OSPF_PROTO, OSPF_TYPE,
  readLsaHeader, ROUTER_LINK, routerLsaBody, type LsaHeader, type LsReq, type OspfBody, type RouterLink,
} from '../../wire/ospf';
import { runSpf } from './ospfd-spf';
import { lsaKey, NBR_ORDER, RXMT_S, S, type Lsa, type NbrState, type OspfDaemon, type OspfIface, type OspfNbr } from './ospfd-types';

export function sendOspf(d: OspfDaemon, oi: OspfIface, dst: number, body: OspfBody): void {
  const payload = buildOspf({ routerId: d.routerId, areaId: 0, body });
  rawSend(d.stack, { dst, proto: OSPF_PROTO, payload, ttl: 1, tos: 0xc0, src: oi.addr, multicastIf: oi.index });
  d.counters.packetsSent++;
}

import { ageOf, compareLsa, hdrNow, lsaNow } from './ospf-shared';

export { ackInput, ageOf, compareLsa, hdrNow, lsaNow } from './ospf-shared';

export function scheduleSpf(d: OspfDaemon): void {
  if (d.spfPending) return;
  d.spfPending = true;
  d.stack.env.sim.schedule(0, (x: OspfDaemon) => {
    x.spfPending = false;
    if (x.running) runSpf(x);
  }, d);
}

/** Our LSAs are rebuilt at the end of this event (coalescing several neighbor changes). */
export function scheduleOriginate(d: OspfDaemon): void {
  if (d.originatePending) return;
  d.originatePending = true;
  d.stack.env.sim.schedule(0, (x: OspfDaemon) => {
    x.originatePending = false;
    if (x.running) originateAll(x);
  }, d);
}

function fullWithDr(oi: OspfIface): boolean {
  if (oi.dr === oi.addr) return [...oi.nbrs.values()].some((n) => n.state === 'Full');
  const dr = oi.nbrs.get(oi.dr);
  return dr !== undefined && dr.state === 'Full';
}

function routerLinksOf(d: OspfDaemon): RouterLink[] {
  const links: RouterLink[] = [];
  for (const oi of d.ifaces.values()) {
    const iface = d.stack.ifaces[oi.index];
    if (!ifaceUsable(iface) || oi.state === 'Down') continue;
    const mask = maskOf(oi.prefixLen);
    if (oi.p2p) {
      // §12.4.1.1: a point-to-point link per Full neighbor, and the subnet as a stub.
      for (const n of oi.nbrs.values()) if (n.state === 'Full') links.push({ id: n.routerId, data: oi.addr, type: ROUTER_LINK.P2P, metric: oi.cost });
      links.push({ id: (oi.addr & mask) >>> 0, data: mask, type: ROUTER_LINK.STUB, metric: oi.cost });
      continue;
    }
    if (oi.state !== 'Waiting' && oi.dr !== 0 && fullWithDr(oi)) links.push({ id: oi.dr, data: oi.addr, type: ROUTER_LINK.TRANSIT, metric: oi.cost });
    else links.push({ id: (oi.addr & mask) >>> 0, data: mask, type: ROUTER_LINK.STUB, metric: oi.cost });
  }
  return links;
}

function originate(d: OspfDaemon, type: number, id: number, body: Uint8Array | null): void {
  const key = lsaKey(type, id, d.routerId);
  const old = d.lsdb.get(key);
  if (body === null) {
    // Flush: MaxAge, flooded, then gone (§14.1).
    if (old === undefined || old.hdr.age >= 3600) return;
    const seq = d.ownSeq.get(key) ?? INITIAL_SEQ;
    d.ownSeq.set(key, seq + 1);
    const bytes = buildLsa({ age: 3600, options: OPT_E, type, id, adv: d.routerId, seq }, old.bytes.subarray(20));
    installAndFlood(d, bytes, null);
    return;
  }
  if (old !== undefined && old.hdr.age < 3600 && old.bytes.length === body.length + 20 && old.bytes.subarray(20).every((v, k) => v === body[k])) return;
  const seq = d.ownSeq.get(key) ?? INITIAL_SEQ;
  d.ownSeq.set(key, seq + 1);
  installAndFlood(d, buildLsa({ age: 0, options: OPT_E, type, id, adv: d.routerId, seq }, body), null);
}

/** LSRefreshTime (RFC 2328 B: 30 min): our LSAs go out again with a new sequence number. */
export const LS_REFRESH_S = 1800;

export function refreshOwn(d: OspfDaemon): void {
  if (!d.running) return;
  for (const l of [...d.lsdb.values()]) {
    if (l.hdr.adv !== d.routerId || l.hdr.age >= 3600 || ageOf(d, l) < LS_REFRESH_S - 1) continue;
    const key = lsaKey(l.hdr.type, l.hdr.id, l.hdr.adv);
    const seq = d.ownSeq.get(key) ?? INITIAL_SEQ;
    d.ownSeq.set(key, seq + 1);
    installAndFlood(d, buildLsa({ age: 0, options: l.hdr.options, type: l.hdr.type, id: l.hdr.id, adv: d.routerId, seq }, l.bytes.subarray(20)), null);
  }
}

/** Our router-LSA, the network-LSAs of the networks we are DR on, our AS-external-LSAs. */
export function originateAll(d: OspfDaemon): void {
  const ext = externals(d);
  originate(d, LSA_TYPE.ROUTER, d.routerId, routerLsaBody(ext.size > 0 ? 0x02 : 0, routerLinksOf(d)));
  const drOn = new Set<number>();
  for (const oi of d.ifaces.values()) {
    const full = [...oi.nbrs.values()].filter((n) => n.state === 'Full').map((n) => n.routerId);
    if (oi.state === 'DR' && full.length > 0) {
      drOn.add(oi.addr);
      originate(d, LSA_TYPE.NETWORK, oi.addr, networkLsaBody(maskOf(oi.prefixLen), [d.routerId, ...full.sort((a, b) => a - b)]));
    }
  }
  for (const l of [...d.lsdb.values()]) {
    if (l.hdr.adv !== d.routerId) continue;
    if (l.hdr.type === LSA_TYPE.NETWORK && !drOn.has(l.hdr.id)) originate(d, LSA_TYPE.NETWORK, l.hdr.id, null);
    if (l.hdr.type === LSA_TYPE.EXTERNAL && !ext.has(l.hdr.id)) originate(d, LSA_TYPE.EXTERNAL, l.hdr.id, null);
  }
  for (const [id, e] of ext) originate(d, LSA_TYPE.EXTERNAL, id, externalLsaBody(maskOf(e.prefixLen), e.metric));
}

/** `redistribute SOURCE`: the table's routes of those origins not already in OSPF. */
function externals(d: OspfDaemon): Map<number, { prefixLen: number; metric: number }> {
  const out = new Map<number, { prefixLen: number; metric: number }>();
  if (d.cfg.redistribute.size === 0) return out;
  const inOspf = (dest: number) => [...d.ifaces.values()].some((oi) => ((oi.addr & maskOf(oi.prefixLen)) >>> 0) === dest);
  for (const r of routeList(d.stack)) {
    if (!r.usable || r.kind === 'local' || r.kind === 'ospf') continue;
    const metric = d.cfg.redistribute.get(r.kind);
    if (metric === undefined || r.dest >>> 24 === 127 || r.prefixLen === 32 || inOspf(r.dest) || out.has(r.dest)) continue;
    out.set(r.dest, { prefixLen: r.prefixLen, metric });
  }
  return out;
}

/** Installs `bytes` and floods it to every adjacency but the one it came from (§13.3). */
function installAndFlood(d: OspfDaemon, bytes: Uint8Array, from: { oi: OspfIface; nbr: OspfNbr } | null): void {
  const hdr = readLsaHeader(bytes, 0);
  const key = lsaKey(hdr.type, hdr.id, hdr.adv);
  const l: Lsa = { hdr, bytes, installedNs: d.stack.env.sim.now() };
  d.lsdb.delete(key);
  d.lsdb.set(key, l);
  for (const oi of d.ifaces.values()) for (const n of oi.nbrs.values()) n.requests.delete(key);
  scheduleSpf(d);
  for (const oi of d.ifaces.values()) {
    if (oi.passive) continue;
    const targets = [...oi.nbrs.values()].filter((n) => NBR_ORDER[n.state] >= NBR_ORDER.Exchange && n !== from?.nbr);
    if (targets.length === 0) continue;
    if (from !== null && from.oi === oi) {
      // Came in here: the DR floods it back; a BDR or DROther leaves it to the DR.
      if (from.nbr.addr === oi.dr || from.nbr.addr === oi.bdr || oi.state === 'Backup' || oi.state === 'DROther') continue;
    }
    for (const n of targets) {
      n.rxmt.set(key, l);
      armRxmt(d, oi, n);
    }
    const dst = oi.p2p || oi.state === 'DR' || oi.state === 'Backup' ? OSPF_ALL_SPF : OSPF_ALL_DR;
    sendOspf(d, oi, dst, { type: OSPF_TYPE.LSU, lsas: [lsaNow(d, l)] });
    d.counters.lsasFlooded++;
  }
  if (hdr.age >= 3600 && hdr.adv === d.routerId) {
    // A flushed LSA of ours leaves the database once acknowledged; here: after one RxmtInterval.
    d.stack.env.sim.schedule(RXMT_S * 2 * S, (x: { d: OspfDaemon; key: string; l: Lsa }) => {
      if (x.d.lsdb.get(x.key) === x.l) x.d.lsdb.delete(x.key);
    }, { d, key, l });
  }
}

// ---- neighbor state changes --------------------------------------------------------

export function setNbrState(d: OspfDaemon, oi: OspfIface, n: OspfNbr, s: NbrState): void {
  const was = n.state;
  if (was === s) return;
  n.state = s;
  if (NBR_ORDER[s] < NBR_ORDER.Exchange) {
    n.summary = [];
    n.requests.clear();
    n.rxmt.clear();
    n.lastDd = null;
  }
  if (was === 'Full' || s === 'Full') {
    scheduleOriginate(d);
    // FRR's log-adjacency-changes line (AdjChg) when an adjacency becomes or stops being Full.
    d.stack.env.log?.(() => `ospfd: AdjChg: Nbr ${formatIpv4(n.routerId)} on ${oi.name}:${formatIpv4(oi.addr)}: ${was} -> ${s}`);
  }
}

export function sendLsr(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  const requests: LsReq[] = [...n.requests.values()].slice(0, 100).map((h) => ({ type: h.type, id: h.id, adv: h.adv }));
  if (requests.length > 0) sendOspf(d, oi, n.addr, { type: OSPF_TYPE.LSR, requests });
  armRxmt(d, oi, n);
}

/** A Link State Update (§13): install what is newer, flood it, acknowledge every LSA. */
export function lsuInput(d: OspfDaemon, oi: OspfIface, n: OspfNbr, lsas: Uint8Array[]): void {
  if (NBR_ORDER[n.state] < NBR_ORDER.Exchange) return;
  const acks: LsaHeader[] = [];
  for (const bytes of lsas) {
    const h = readLsaHeader(bytes, 0);
    if (h.type < LSA_TYPE.ROUTER || h.type > LSA_TYPE.EXTERNAL) continue;
    const key = lsaKey(h.type, h.id, h.adv);
    const asked = n.requests.get(key);
    if (asked !== undefined && compareLsa(h, asked) >= 0) n.requests.delete(key); // what we asked for, or newer
    const have = d.lsdb.get(key);
    const cmp = have === undefined ? 1 : compareLsa(h, hdrNow(d, have));
    if (have === undefined && h.age >= 3600) {
      acks.push(h);
      continue;
    }
    if (cmp > 0) {
      if (h.adv === d.routerId) {
        // An old instance of ours (from before a restart): move past it and re-originate (§13.4).
        d.ownSeq.set(key, Math.max(d.ownSeq.get(key) ?? INITIAL_SEQ, (h.seq + 1) | 0));
        installAndFlood(d, bytes, { oi, nbr: n });
        d.lsdb.delete(key);
        scheduleOriginate(d);
        acks.push(h);
        continue;
      }
      n.rxmt.delete(key);
      installAndFlood(d, bytes, { oi, nbr: n });
      acks.push(h);
    } else if (cmp === 0) {
      if (n.rxmt.has(key)) n.rxmt.delete(key); // implied acknowledgment
      else acks.push(h);
    } else if (have !== undefined) {
      sendOspf(d, oi, n.addr, { type: OSPF_TYPE.LSU, lsas: [lsaNow(d, have)] });
    }
  }
  if (acks.length > 0) sendOspf(d, oi, n.addr, { type: OSPF_TYPE.ACK, headers: acks });
  if (n.state === 'Loading' && n.requests.size === 0) setNbrState(d, oi, n, 'Full');
}

// ---- retransmission ------------------------------------------------------------------

interface RxArg {
  d: OspfDaemon;
  oi: OspfIface;
  n: OspfNbr;
  gen: number;
}

/** Every RxmtInterval: the master's last DD, outstanding requests, unacknowledged LSAs. */
export function armRxmt(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  if (n.rxmtArmed) return;
  n.rxmtArmed = true;
  d.stack.env.sim.schedule(RXMT_S * S, rxmtFire, { d, oi, n, gen: n.rxmtGen } satisfies RxArg);
}

function rxmtFire(a: RxArg): void {
  const { d, oi, n } = a;
  if (a.gen !== n.rxmtGen) return;
  n.rxmtArmed = false;
  if (!d.running || n.state === 'Down' || !oi.nbrs.has(n.addr)) return;
  let again = false;
  if ((n.state === 'ExStart' || (n.state === 'Exchange' && n.master)) && n.lastDd !== null) {
    rawSend(d.stack, { dst: n.addr, proto: OSPF_PROTO, payload: n.lastDd, ttl: 1, tos: 0xc0, src: oi.addr });
    again = true;
  }
  if (n.state === 'Loading' && n.requests.size > 0) {
    sendLsr(d, oi, n);
    return;
  }
  if (n.rxmt.size > 0) {
    const lsas = [...n.rxmt.values()].slice(0, 20).map((l) => lsaNow(d, l));
    d.counters.lsasRetransmitted += lsas.length;
    sendOspf(d, oi, n.addr, { type: OSPF_TYPE.LSU, lsas });
    again = true;
  }
  if (again) armRxmt(d, oi, n);
}
