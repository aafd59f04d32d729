// ospfd's link-state databases (one per area, plus the AS-external-LSAs): sending packets,
// our router- and network-LSAs per area, an ABR's summary-LSAs (and AS-external-LSAs for
// `redistribute`) with their 30-min refresh, updates with flooding within each LSA's scope,
// acknowledgments and retransmission every RxmtInterval. The database exchange that fills
// it is ospfd-exchange.ts. RFC 2328 §12.4 (origination), §12.4.3 (summaries), §13
// (flooding), §13.5-13.6 (acks).

import { rawSend } from '../../stack/raw';
import { ifaceUsable, maskOf, routeList } from '../../stack/route';
import { formatIpv4 } from '../../wire/addr';
import {
  buildLsa, buildOspf, buildOspfLsu, externalLsaBody, INITIAL_SEQ, LS_INFINITY, LSA_TYPE, networkLsaBody, summaryLsaBody, OPT_E, OSPF_ALL_DR, OSPF_ALL_SPF, OSPF_PROTO, OSPF_TYPE,
  readLsaHeader, ROUTER_LINK, routerLsaBody, type LsaHeader, type LsReq, type OspfBody, type RouterLink,
} from '../../wire/ospf';
import { runSpf } from './ospfd-spf';
import { ospfStubArea } from './frr-conf';
import { ACK_DELAY_S, AS_SCOPE, dbKey, lsaKey, NBR_ORDER, RXMT_S, S, scopeOf, type Lsa, type NbrState, type OspfDaemon, type OspfIface, type OspfNbr } from './ospfd-types';

export function sendOspf(d: OspfDaemon, oi: OspfIface, dst: number, body: OspfBody): void {
  sendPayload(d, oi, dst, buildOspf({ routerId: d.routerId, areaId: oi.area, body }));
}

function sendPayload(d: OspfDaemon, oi: OspfIface, dst: number, payload: Uint8Array): void {
  rawSend(d.stack, { dst, proto: OSPF_PROTO, payload, ttl: 1, tos: 0xc0, src: oi.addr, multicastIf: oi.index });
  d.counters.packetsSent++;
}

/** A Link State Update of stored LSAs, each aged by InfTransDelay (1 s) on the way out. */
function sendLsu(d: OspfDaemon, oi: OspfIface, dst: number, lsas: readonly Lsa[]): void {
  const ages = lsas.map((l) => Math.min(3600, ageOf(d, l) + 1));
  sendPayload(d, oi, dst, buildOspfLsu(d.routerId, oi.area, lsas.map((l) => l.bytes), ages));
}

import { ageOf, compareLsa, hdrNow } from './ospf-shared';

export { ackInput, ageOf, compareLsa, hdrNow, lsaNow } from './ospf-shared';

/**
 * SPF as FRR schedules it (`timers throttle spf DELAY HOLD MAX`, default 0 50 5000 ms): at
 * once (DELAY) when the last run is older than the hold time, else when the hold time has
 * passed, the hold time growing by HOLD (up to MAX) while changes keep coming within it.
 */
export function scheduleSpf(d: OspfDaemon): void {
  if (d.spfPending) return;
  d.spfPending = true;
  const t = d.cfg.spfThrottleMs;
  const elapsedMs = Math.floor((d.stack.env.sim.now() - d.spfLastNs) / MS);
  const holdMs = Math.min(t.hold * d.spfHoldMult, t.max);
  let delayMs = t.delay;
  if (elapsedMs < holdMs) {
    if (holdMs < t.max) d.spfHoldMult++;
    delayMs = Math.max(t.delay, holdMs - elapsedMs);
  } else {
    d.spfHoldMult = 1;
  }
  d.stack.env.sim.schedule(delayMs * MS, (x: OspfDaemon) => {
    x.spfPending = false;
    if (!x.running) return;
    x.spfLastNs = x.stack.env.sim.now();
    runSpf(x);
    originateSummaries(x);
  }, d);
}

const MS = 1_000_000;

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

function routerLinksOf(d: OspfDaemon, area: number): RouterLink[] {
  const links: RouterLink[] = [];
  for (const oi of d.ifaces.values()) {
    if (oi.area !== area) continue;
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

function originate(d: OspfDaemon, area: number, type: number, id: number, body: Uint8Array | null): void {
  const key = dbKey(area, type, id, d.routerId);
  const old = d.lsdb.get(key);
  if (body === null) {
    // Flush: MaxAge, flooded, then gone (§14.1).
    if (old === undefined || old.hdr.age >= 3600) return;
    const seq = d.ownSeq.get(key) ?? INITIAL_SEQ;
    d.ownSeq.set(key, seq + 1);
    const bytes = buildLsa({ age: 3600, options: lsaOptions(d, area), type, id, adv: d.routerId, seq }, old.bytes.subarray(20));
    installAndFlood(d, area, bytes, null);
    return;
  }
  if (old !== undefined && old.hdr.age < 3600 && old.bytes.length === body.length + 20 && old.bytes.subarray(20).every((v, k) => v === body[k])) return;
  const seq = d.ownSeq.get(key) ?? INITIAL_SEQ;
  d.ownSeq.set(key, seq + 1);
  installAndFlood(d, area, buildLsa({ age: 0, options: lsaOptions(d, area), type, id, adv: d.routerId, seq }, body), null);
}

/** The options of an LSA we originate: the E-bit, except in a stub area (§12.1.2). */
function lsaOptions(d: OspfDaemon, area: number): number {
  return area !== AS_SCOPE && ospfStubArea(d.cfg, area) ? 0 : OPT_E;
}

/** LSRefreshTime (RFC 2328 B: 30 min): our LSAs go out again with a new sequence number. */
export const LS_REFRESH_S = 1800;

export function refreshOwn(d: OspfDaemon): void {
  if (!d.running) return;
  for (const l of [...d.lsdb.values()]) {
    if (l.hdr.adv !== d.routerId || l.hdr.age >= 3600 || ageOf(d, l) < LS_REFRESH_S - 1) continue;
    const key = dbKey(l.area, l.hdr.type, l.hdr.id, l.hdr.adv);
    const seq = d.ownSeq.get(key) ?? INITIAL_SEQ;
    d.ownSeq.set(key, seq + 1);
    installAndFlood(d, l.area, buildLsa({ age: 0, options: l.hdr.options, type: l.hdr.type, id: l.hdr.id, adv: d.routerId, seq }, l.bytes.subarray(20)), null);
  }
}

/** Router-LSA flags (RFC 2328 A.4.2): B, an area border router; E, an AS boundary router. */
const RTR_FLAG_B = 0x01;
const RTR_FLAG_E = 0x02;

/**
 * Per attached area our router-LSA and the network-LSAs of the networks we are DR on; our
 * AS-external-LSAs; an ABR's summaries. An area we left has our LSAs flushed from it.
 */
export function originateAll(d: OspfDaemon): void {
  // A router whose areas are all stubs is no AS boundary router: its externals could go nowhere.
  const ext = [...d.ifaces.values()].some((oi) => !oi.stub) ? externals(d) : new Map<number, { prefixLen: number; metric: number }>();
  const areas = new Set([...d.ifaces.values()].map((oi) => oi.area));
  // The E flag only where externals flood: not in a stub area (as FRR's router-LSA).
  const flags = (area: number) => (d.abr ? RTR_FLAG_B : 0) | (ext.size > 0 && !ospfStubArea(d.cfg, area) ? RTR_FLAG_E : 0);
  for (const area of areas) originate(d, area, LSA_TYPE.ROUTER, d.routerId, routerLsaBody(flags(area), routerLinksOf(d, area)));
  const drOn = new Set<string>();
  for (const oi of d.ifaces.values()) {
    const full = [...oi.nbrs.values()].filter((n) => n.state === 'Full').map((n) => n.routerId);
    if (oi.state === 'DR' && full.length > 0) {
      drOn.add(`${oi.area}/${oi.addr}`);
      originate(d, oi.area, LSA_TYPE.NETWORK, oi.addr, networkLsaBody(maskOf(oi.prefixLen), [d.routerId, ...full.sort((a, b) => a - b)]));
    }
  }
  for (const l of [...d.lsdb.values()]) {
    if (l.hdr.adv !== d.routerId) continue;
    if (l.hdr.type === LSA_TYPE.ROUTER && !areas.has(l.area)) originate(d, l.area, LSA_TYPE.ROUTER, l.hdr.id, null);
    if (l.hdr.type === LSA_TYPE.NETWORK && !drOn.has(`${l.area}/${l.hdr.id}`)) originate(d, l.area, LSA_TYPE.NETWORK, l.hdr.id, null);
    if (l.hdr.type === LSA_TYPE.EXTERNAL && !ext.has(l.hdr.id)) originate(d, AS_SCOPE, LSA_TYPE.EXTERNAL, l.hdr.id, null);
  }
  for (const [id, e] of ext) originate(d, AS_SCOPE, LSA_TYPE.EXTERNAL, id, externalLsaBody(maskOf(e.prefixLen), e.metric));
  originateSummaries(d);
}

/**
 * An ABR's summary-LSAs (§12.4.3), from the last SPF: into each attached area, a type-3 for
 * every network reached inside another area, and (into non-backbone areas only) for every
 * inter-area route learned from the backbone; a type-4 for every AS boundary router reached
 * in another area. Nothing is summarized back into the area it was found in. Summaries no
 * longer wanted (or all, when we stop being an ABR) are flushed.
 */
export function originateSummaries(d: OspfDaemon): void {
  const want = new Map<string, { area: number; type: number; id: number; mask: number; metric: number }>();
  if (d.abr) {
    const areas = [...d.areaSpf.keys()];
    // The best intra-area path to each network, and the area it lies in.
    const intra = new Map<number, { dest: number; prefixLen: number; cost: number; area: number }>();
    const asbrs = new Map<number, { cost: number; area: number }>();
    for (const [area, spf] of d.areaSpf) {
      for (const [k, n] of spf.nets) {
        const old = intra.get(k);
        if (old === undefined || n.cost < old.cost) intra.set(k, { ...n, area });
      }
      for (const [rid, r] of spf.routers) {
        if (rid === d.routerId || (r.flags & RTR_FLAG_E) === 0) continue;
        const old = asbrs.get(rid);
        if (old === undefined || r.dist < old.cost) asbrs.set(rid, { cost: r.dist, area });
      }
    }
    const put = (area: number, type: number, id: number, mask: number, metric: number) => {
      const key = dbKey(area, type, id, d.routerId);
      if (!want.has(key)) want.set(key, { area, type, id, mask, metric });
    };
    // §12.4.3: an area's networks inside one of its ranges go out as the range (cost: the
    // highest of theirs, or the configured one), or not at all (not-advertise).
    const ranged = new Map<number, { area: number; dest: number; prefixLen: number; cost: number } | null>();
    for (const [k, n] of intra) {
      const r = d.cfg.ranges.find((x) => x.area === n.area && x.prefixLen <= n.prefixLen && ((n.dest ^ x.addr) & maskOf(x.prefixLen)) === 0);
      if (r === undefined) continue;
      ranged.set(k, null);
      if (!r.advertise) continue;
      const rk = r.addr * 64 + r.prefixLen + 0.5; // apart from any network's own key
      const old = ranged.get(rk);
      ranged.set(rk, { area: r.area, dest: r.addr, prefixLen: r.prefixLen, cost: r.cost ?? Math.max(n.cost, old?.cost ?? 0) });
    }
    for (const a of areas) {
      const stub = ospfStubArea(d.cfg, a);
      // §12.4.3.1: into a stub area a default summary; no ASBR-summaries (no externals there), and with no-summary nothing else.
      if (stub) put(a, LSA_TYPE.SUMMARY, 0, 0, d.cfg.defaultCost.get(a) ?? 1);
      if (stub && d.cfg.stubAreas.get(a)!.noSummary) continue;
      for (const [k, n] of intra) if (n.area !== a && !ranged.has(k)) put(a, LSA_TYPE.SUMMARY, n.dest, maskOf(n.prefixLen), n.cost);
      for (const r of ranged.values()) if (r !== null && r.area !== a) put(a, LSA_TYPE.SUMMARY, r.dest, maskOf(r.prefixLen), r.cost);
      if (!stub) for (const [rid, r] of asbrs) if (r.area !== a) put(a, LSA_TYPE.ASBR_SUMMARY, rid, 0, r.cost);
      if (a === 0) continue;
      for (const r of d.routes.values()) if (r.kind === 'inter' && !intra.has(r.dest * 64 + r.prefixLen)) put(a, LSA_TYPE.SUMMARY, r.dest, maskOf(r.prefixLen), r.cost);
      if (!stub) for (const [rid, r] of d.interAsbrs) if (!asbrs.has(rid) && rid !== d.routerId) put(a, LSA_TYPE.ASBR_SUMMARY, rid, 0, r.cost);
    }
  }
  for (const l of [...d.lsdb.values()]) {
    if (l.hdr.adv !== d.routerId || (l.hdr.type !== LSA_TYPE.SUMMARY && l.hdr.type !== LSA_TYPE.ASBR_SUMMARY)) continue;
    if (!want.has(dbKey(l.area, l.hdr.type, l.hdr.id, l.hdr.adv))) originate(d, l.area, l.hdr.type, l.hdr.id, null);
  }
  for (const w of want.values()) originate(d, w.area, w.type, w.id, summaryLsaBody(w.mask, Math.min(w.metric, LS_INFINITY)));
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

/**
 * Installs `bytes` in `area`'s database (the AS's for an AS-external-LSA) and floods it to
 * every adjacency in its scope but the one it came from (§13.3).
 */
function installAndFlood(d: OspfDaemon, area: number, bytes: Uint8Array, from: { oi: OspfIface; nbr: OspfNbr } | null): void {
  const hdr = readLsaHeader(bytes, 0);
  const scope = scopeOf(hdr.type, area);
  const dkey = dbKey(scope, hdr.type, hdr.id, hdr.adv);
  const key = lsaKey(hdr.type, hdr.id, hdr.adv);
  const l: Lsa = { hdr, bytes, installedNs: d.stack.env.sim.now(), area: scope };
  const old = d.lsdb.get(dkey);
  d.lsdb.delete(dkey);
  d.lsdb.set(dkey, l);
  for (const oi of d.ifaces.values()) if (scope === AS_SCOPE || oi.area === scope) for (const n of oi.nbrs.values()) n.requests.delete(key);
  // As FRR's ospf_lsa_different: a new instance with the same contents (a refresh) changes
  // no route, and its parsed links are the old ones. Our own summaries change nothing in our
  // table either (§16.2 skips them).
  const same = old !== undefined && sameContents(old, l);
  if (same && old.links !== undefined) l.links = old.links;
  if (!same && (hdr.adv !== d.routerId || (hdr.type !== LSA_TYPE.SUMMARY && hdr.type !== LSA_TYPE.ASBR_SUMMARY))) scheduleSpf(d);
  for (const oi of d.ifaces.values()) {
    if (oi.passive || (scope !== AS_SCOPE ? oi.area !== scope : oi.stub)) continue;
    // Came in here: the DR floods it back; a BDR or DROther leaves it to the DR.
    if (from !== null && from.oi === oi && (from.nbr.addr === oi.dr || from.nbr.addr === oi.bdr || oi.state === 'Backup' || oi.state === 'DROther')) continue;
    let flooded = false;
    for (const n of oi.nbrs.values()) {
      if (n === from?.nbr || NBR_ORDER[n.state] < NBR_ORDER.Exchange) continue;
      n.rxmt.set(key, l);
      armRxmt(d, oi, n);
      flooded = true;
    }
    if (!flooded) continue;
    queueUpdate(d, oi, key, l);
    d.counters.lsasFlooded++;
  }
  if (hdr.age >= 3600) d.stack.env.sim.schedule(RXMT_S * 2 * S, maxAgeSweep, { d, dkey, key, l } satisfies SweepArg);
}

/** Whether two instances say the same (body bytes, and both or neither at MaxAge). */
function sameContents(a: Lsa, b: Lsa): boolean {
  if (a.bytes.length !== b.bytes.length || (a.hdr.age >= 3600) !== (b.hdr.age >= 3600)) return false;
  for (let k = 20; k < a.bytes.length; k++) if (a.bytes[k] !== b.bytes[k]) return false;
  return true;
}

interface SweepArg {
  d: OspfDaemon;
  dkey: string;
  key: string;
  l: Lsa;
}

/**
 * A MaxAge LSA (ours flushed, or another router's) leaves the database once no neighbor
 * still has it to acknowledge (§14); until then it is looked at again every RxmtInterval.
 */
function maxAgeSweep(x: SweepArg): void {
  if (!x.d.running || x.d.lsdb.get(x.dkey) !== x.l) return;
  for (const oi of x.d.ifaces.values()) {
    for (const n of oi.nbrs.values()) {
      if (n.rxmt.get(x.key) === x.l || n.state === 'Exchange' || n.state === 'Loading') return void x.d.stack.env.sim.schedule(RXMT_S * S, maxAgeSweep, x);
    }
  }
  x.d.lsdb.delete(x.dkey);
}

/** Where flooded updates and delayed acks go (§13.3, §13.5): all routers from the DR/BDR or on a point-to-point link, else the DRs. */
function floodDst(oi: OspfIface): number {
  return oi.p2p || oi.state === 'DR' || oi.state === 'Backup' ? OSPF_ALL_SPF : OSPF_ALL_DR;
}

/** The most LSA bytes in one update: an Ethernet MTU less the IP and OSPF headers and the LSA count. */
const UPD_MAX_BYTES = 1500 - 20 - 24 - 4;
/** The most LSA headers in one acknowledgment. */
const ACK_MAX = Math.floor((1500 - 20 - 24) / 20);

interface IfArg {
  d: OspfDaemon;
  oi: OspfIface;
}

/**
 * Queues `l` for the interface's next flooded update: every LSA flooded out of it while one
 * event runs goes in one Link State Update (as FRR's ls_upd_queue event does), a newer
 * instance replacing a queued older one.
 */
function queueUpdate(d: OspfDaemon, oi: OspfIface, key: string, l: Lsa): void {
  const first = oi.updQueue.size === 0;
  oi.updQueue.delete(key);
  oi.updQueue.set(key, l);
  if (first) d.stack.env.sim.schedule(0, flushUpdates, { d, oi } satisfies IfArg);
}

function flushUpdates(a: IfArg): void {
  const { d, oi } = a;
  const queued = [...oi.updQueue.values()];
  oi.updQueue.clear();
  if (!d.running || d.ifaces.get(oi.index) !== oi) return;
  let lsas: Lsa[] = [];
  let bytes = 0;
  for (const l of queued) {
    if (lsas.length > 0 && bytes + l.bytes.length > UPD_MAX_BYTES) {
      sendLsu(d, oi, floodDst(oi), lsas);
      lsas = [];
      bytes = 0;
    }
    lsas.push(l);
    bytes += l.bytes.length;
  }
  if (lsas.length > 0) sendLsu(d, oi, floodDst(oi), lsas);
}

/** Queues a delayed acknowledgment (§13.5): one packet per interface within ACK_DELAY_S. */
function queueAck(d: OspfDaemon, oi: OspfIface, h: LsaHeader): void {
  if (oi.ackQueue.length === 0) d.stack.env.sim.schedule(ACK_DELAY_S * S, flushAcks, { d, oi } satisfies IfArg);
  oi.ackQueue.push(h);
}

function flushAcks(a: IfArg): void {
  const { d, oi } = a;
  const headers = oi.ackQueue;
  oi.ackQueue = [];
  if (!d.running || d.ifaces.get(oi.index) !== oi) return;
  for (let k = 0; k < headers.length; k += ACK_MAX) sendOspf(d, oi, floodDst(oi), { type: OSPF_TYPE.ACK, headers: headers.slice(k, k + ACK_MAX) });
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

/**
 * A Link State Update (§13): install what is newer, flood it and acknowledge it in a delayed
 * acknowledgment; a duplicate that is not an implied acknowledgment, or a MaxAge LSA we do
 * not hold, is acknowledged directly (§13.5).
 */
export function lsuInput(d: OspfDaemon, oi: OspfIface, n: OspfNbr, lsas: Uint8Array[]): void {
  if (NBR_ORDER[n.state] < NBR_ORDER.Exchange) return;
  const acks: LsaHeader[] = [];
  for (const bytes of lsas) {
    const h = readLsaHeader(bytes, 0);
    if (h.type < LSA_TYPE.ROUTER || h.type > LSA_TYPE.EXTERNAL) continue;
    if (h.type === LSA_TYPE.EXTERNAL && oi.stub) continue; // §13 (3): none in a stub area
    const key = lsaKey(h.type, h.id, h.adv);
    const dkey = dbKey(oi.area, h.type, h.id, h.adv);
    const asked = n.requests.get(key);
    if (asked !== undefined && compareLsa(h, asked) >= 0) n.requests.delete(key); // what we asked for, or newer
    const have = d.lsdb.get(dkey);
    const cmp = have === undefined ? 1 : compareLsa(h, hdrNow(d, have));
    if (have === undefined && h.age >= 3600) {
      acks.push(h);
      continue;
    }
    if (cmp > 0) {
      if (h.adv === d.routerId) {
        // An old instance of ours (from before a restart): move past it and re-originate (§13.4).
        d.ownSeq.set(dkey, Math.max(d.ownSeq.get(dkey) ?? INITIAL_SEQ, (h.seq + 1) | 0));
        installAndFlood(d, oi.area, bytes, { oi, nbr: n });
        d.lsdb.delete(dkey);
        scheduleOriginate(d);
        queueAck(d, oi, h);
        continue;
      }
      n.rxmt.delete(key);
      installAndFlood(d, oi.area, bytes, { oi, nbr: n });
      queueAck(d, oi, h);
    } else if (cmp === 0) {
      if (n.rxmt.has(key)) n.rxmt.delete(key); // implied acknowledgment
      else acks.push(h);
    } else if (have !== undefined) {
      sendLsu(d, oi, n.addr, [have]);
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
    const lsas = [...n.rxmt.values()].slice(0, 20);
    d.counters.lsasRetransmitted += lsas.length;
    sendLsu(d, oi, n.addr, lsas);
    again = true;
  }
  if (again) armRxmt(d, oi, n);
}
