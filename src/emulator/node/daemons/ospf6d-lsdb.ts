// ospf6d's link-state database: sending packets from the link-local address, our Router-,
// Network-, Link- and Intra-Area-Prefix-LSAs, updates with flooding (area scope on every
// interface, link scope on its own link), acknowledgments and retransmission every
// RxmtInterval. The database exchange that fills it is ospf6d-exchange.ts.
// RFC 5340 §4.4.3 (origination), §4.5 (flooding scope), RFC 2328 §13 (flooding, acks).

import { in6Addrs, in6Usable } from '../../stack/in6';
import { raw6Send } from '../../stack/raw6';
import { ifaceUsable } from '../../stack/route';
import { ipv6Network, type Ipv6Addr } from '../../wire/ipv6-addr';
import {
  buildLsa6, buildOspf6, intraPrefix6LsaBody, link6LsaBody, LSA6_TYPE, network6LsaBody, OPT6_DEFAULT, OSPF6_ALL_DR, OSPF6_ALL_SPF, OSPF6_CHECKSUM_AT,
  OSPF6_NEXT, OSPF6_TYPE, parseLink6Lsa, readLsa6Header, ROUTER6_LINK, router6LsaBody, type Lsa6Header, type LsReq6, type Ospf6Body, type Prefix6, type Router6Link,
} from '../../wire/ospf6';
import { INITIAL_SEQ } from '../../wire/ospf';
import { externals6, external6LsaFor } from './ospf6d-external';
import { runSpf6 } from './ospf6d-spf';
import { KNOWN_TYPES, linkScope, lsa6Key, NBR_ORDER, RXMT_S, S, type Lsa6, type NbrState, type Ospf6Daemon, type Ospf6Iface, type Ospf6Nbr } from './ospf6d-types';

export function sendRaw6(d: Ospf6Daemon, oi: Ospf6Iface, dst: Ipv6Addr, payload: Uint8Array): void {
  raw6Send(d.stack, { dst, next: OSPF6_NEXT, payload, src: oi.linkLocal, hopLimit: 1, zone: oi.index, checksumAt: OSPF6_CHECKSUM_AT });
  d.counters.packetsSent++;
}

export function sendOspf6(d: Ospf6Daemon, oi: Ospf6Iface, dst: Ipv6Addr, body: Ospf6Body): void {
  sendRaw6(d, oi, dst, buildOspf6({ routerId: d.routerId, areaId: 0, instance: 0, body }));
}

/** The database an LSA of `type` lives in: its link's for link scope, else the area's. */
export function lsdbOf(d: Ospf6Daemon, oi: Ospf6Iface, type: number): Map<string, Lsa6> {
  return linkScope(type) ? oi.linkLsdb : d.lsdb;
}

import { ageOf, compareLsa, hdrNow, lsaNow } from './ospf-shared';

export function scheduleSpf6(d: Ospf6Daemon): void {
  if (d.spfPending) return;
  d.spfPending = true;
  d.stack.env.sim.schedule(0, (x: Ospf6Daemon) => {
    x.spfPending = false;
    if (x.running) runSpf6(x);
  }, d);
}

/** Our LSAs are rebuilt at the end of this event (coalescing several neighbor changes). */
export function scheduleOriginate6(d: Ospf6Daemon): void {
  if (d.originatePending) return;
  d.originatePending = true;
  d.stack.env.sim.schedule(0, (x: Ospf6Daemon) => {
    x.originatePending = false;
    if (x.running) originateAll6(x);
  }, d);
}

/** The usable link-local address of an interface, or null (still tentative, or none). */
export function linkLocalOf(d: Ospf6Daemon, ifIndex: number): Ipv6Addr | null {
  return in6Addrs(d.stack, ifIndex).find((a) => a.linkLocal && in6Usable(a))?.addr ?? null;
}

/** The global prefixes of an interface (RFC 5340 §4.4.3.6: what its Link-LSA announces). */
function ifacePrefixes(d: Ospf6Daemon, ifIndex: number, metric: number): Prefix6[] {
  const out: Prefix6[] = [];
  for (const a of in6Addrs(d.stack, ifIndex)) {
    if (a.linkLocal || !in6Usable(a)) continue;
    const prefix = ipv6Network(a.addr, a.prefixLen);
    if (!out.some((p) => p.prefixLen === a.prefixLen && p.prefix.every((v, k) => v === prefix[k]))) out.push({ prefixLen: a.prefixLen, options: 0, metric, prefix });
  }
  return out;
}

function fullWithDr(d: Ospf6Daemon, oi: Ospf6Iface): boolean {
  if (oi.dr === d.routerId) return [...oi.nbrs.values()].some((n) => n.state === 'Full');
  return oi.nbrs.get(oi.dr)?.state === 'Full';
}

/** Whether the interface is a transit link (a Network-LSA describes it). */
function transit(d: Ospf6Daemon, oi: Ospf6Iface): boolean {
  return !oi.p2p && oi.state !== 'Waiting' && oi.dr !== 0 && fullWithDr(d, oi);
}

function routerLinksOf(d: Ospf6Daemon): Router6Link[] {
  const links: Router6Link[] = [];
  for (const oi of d.ifaces.values()) {
    if (!ifaceUsable(d.stack.ifaces[oi.index]) || oi.state === 'Down') continue;
    if (oi.p2p) {
      for (const n of oi.nbrs.values()) if (n.state === 'Full') links.push({ type: ROUTER6_LINK.P2P, metric: oi.cost, ifId: oi.ifId, nbrIfId: n.ifId, nbrRid: n.routerId });
    } else if (transit(d, oi)) {
      const drIfId = oi.dr === d.routerId ? oi.ifId : (oi.nbrs.get(oi.dr)?.ifId ?? 0);
      links.push({ type: ROUTER6_LINK.TRANSIT, metric: oi.cost, ifId: oi.ifId, nbrIfId: drIfId, nbrRid: oi.dr });
    }
  }
  return links;
}

/** Originates (or, with a null body, flushes) our LSA of `type`/`id`; link scope on `oi`. */
function originate(d: Ospf6Daemon, type: number, id: number, body: Uint8Array | null, oi: Ospf6Iface | null): void {
  const key = lsa6Key(type, id, d.routerId);
  const db = oi === null ? d.lsdb : oi.linkLsdb;
  const old = db.get(key);
  const seqKey = oi === null ? key : `${key}@${oi.index}`;
  const seq = d.ownSeq.get(seqKey) ?? INITIAL_SEQ;
  if (body === null) {
    if (old === undefined || old.hdr.age >= 3600) return;
    d.ownSeq.set(seqKey, seq + 1);
    installAndFlood(d, buildLsa6({ age: 3600, type, id, adv: d.routerId, seq }, old.bytes.subarray(20)), null, oi);
    return;
  }
  if (old !== undefined && old.hdr.age < 3600 && old.bytes.length === body.length + 20 && old.bytes.subarray(20).every((v, k) => v === body[k])) return;
  d.ownSeq.set(seqKey, seq + 1);
  installAndFlood(d, buildLsa6({ age: 0, type, id, adv: d.routerId, seq }, body), null, oi);
}

/** LSRefreshTime (30 min): our LSAs go out again with a new sequence number. */
const LS_REFRESH_S = 1800;

export function refreshOwn6(d: Ospf6Daemon): void {
  if (!d.running) return;
  const dbs: [Map<string, Lsa6>, Ospf6Iface | null][] = [[d.lsdb, null], ...[...d.ifaces.values()].map((oi) => [oi.linkLsdb, oi] as [Map<string, Lsa6>, Ospf6Iface])];
  for (const [db, oi] of dbs) {
    for (const l of [...db.values()]) {
      if (l.hdr.adv !== d.routerId || l.hdr.age >= 3600 || ageOf(d, l) < LS_REFRESH_S - 1) continue;
      const seqKey = oi === null ? lsa6Key(l.hdr.type, l.hdr.id, l.hdr.adv) : `${lsa6Key(l.hdr.type, l.hdr.id, l.hdr.adv)}@${oi.index}`;
      const seq = d.ownSeq.get(seqKey) ?? INITIAL_SEQ;
      d.ownSeq.set(seqKey, seq + 1);
      installAndFlood(d, buildLsa6({ age: 0, type: l.hdr.type, id: l.hdr.id, adv: d.routerId, seq }, l.bytes.subarray(20)), null, oi);
    }
  }
}

/** Our Router-LSA, Link-LSAs, Network- and Intra-Area-Prefix-LSAs, AS-External-LSAs (§4.4.3). */
export function originateAll6(d: Ospf6Daemon): void {
  const ext = externals6(d);
  originate(d, LSA6_TYPE.ROUTER, 0, router6LsaBody(ext.length > 0 ? 0x02 : 0, OPT6_DEFAULT, routerLinksOf(d)), null);
  const keep = new Set<string>();
  const stubs: Prefix6[] = [];
  for (const oi of d.ifaces.values()) {
    originate(d, LSA6_TYPE.LINK, oi.ifId, link6LsaBody({ priority: oi.priority, options: OPT6_DEFAULT, linkLocal: oi.linkLocal, prefixes: ifacePrefixes(d, oi.index, 0) }), oi);
    for (const l of [...oi.linkLsdb.values()]) if (l.hdr.adv === d.routerId && l.hdr.id !== oi.ifId) originate(d, l.hdr.type, l.hdr.id, null, oi);
    if (!transit(d, oi)) {
      stubs.push(...ifacePrefixes(d, oi.index, oi.cost));
      continue;
    }
    if (oi.dr !== d.routerId) continue;
    // DR: the Network-LSA and the link's prefixes from the Link-LSAs of the Full neighbors (§4.4.3.7).
    const full = [...oi.nbrs.values()].filter((n) => n.state === 'Full').map((n) => n.routerId);
    originate(d, LSA6_TYPE.NETWORK, oi.ifId, network6LsaBody(OPT6_DEFAULT, [d.routerId, ...full.sort((a, b) => a - b)]), null);
    keep.add(lsa6Key(LSA6_TYPE.NETWORK, oi.ifId, d.routerId));
    const prefixes = ifacePrefixes(d, oi.index, 0);
    for (const l of oi.linkLsdb.values()) {
      if (l.hdr.adv === d.routerId || !full.includes(l.hdr.adv) || l.hdr.age >= 3600) continue;
      for (const p of parseLink6Lsa(l.bytes)?.prefixes ?? []) if (!prefixes.some((q) => q.prefixLen === p.prefixLen && q.prefix.every((v, k) => v === p.prefix[k]))) prefixes.push({ ...p, metric: 0 });
    }
    originate(d, LSA6_TYPE.INTRA_PREFIX, oi.ifId, intraPrefix6LsaBody({ refType: LSA6_TYPE.NETWORK, refId: oi.ifId, refAdv: d.routerId, prefixes }), null);
    keep.add(lsa6Key(LSA6_TYPE.INTRA_PREFIX, oi.ifId, d.routerId));
  }
  // Intra-Area-Prefix-LSA id 0 refers to our Router-LSA: the prefixes of our stub links.
  if (stubs.length > 0) {
    originate(d, LSA6_TYPE.INTRA_PREFIX, 0, intraPrefix6LsaBody({ refType: LSA6_TYPE.ROUTER, refId: 0, refAdv: d.routerId, prefixes: stubs }), null);
    keep.add(lsa6Key(LSA6_TYPE.INTRA_PREFIX, 0, d.routerId));
  }
  for (const e of ext) {
    originate(d, LSA6_TYPE.EXTERNAL, e.id, external6LsaFor(e), null);
    keep.add(lsa6Key(LSA6_TYPE.EXTERNAL, e.id, d.routerId));
  }
  for (const l of [...d.lsdb.values()]) {
    const t = l.hdr.type;
    if (l.hdr.adv === d.routerId && t !== LSA6_TYPE.ROUTER && !keep.has(lsa6Key(t, l.hdr.id, l.hdr.adv))) originate(d, t, l.hdr.id, null, null);
  }
}

/** Installs `bytes` and floods it to every adjacency in its scope but the one it came from (§13.3). */
export function installAndFlood(d: Ospf6Daemon, bytes: Uint8Array, from: { oi: Ospf6Iface; nbr: Ospf6Nbr } | null, own: Ospf6Iface | null): void {
  const hdr = readLsa6Header(bytes, 0);
  const key = lsa6Key(hdr.type, hdr.id, hdr.adv);
  const scopeIf = linkScope(hdr.type) ? (from?.oi ?? own) : null;
  const db = scopeIf === null ? d.lsdb : scopeIf.linkLsdb;
  const l: Lsa6 = { hdr, bytes, installedNs: d.stack.env.sim.now() };
  db.delete(key);
  db.set(key, l);
  for (const oi of d.ifaces.values()) for (const n of oi.nbrs.values()) if (scopeIf === null || scopeIf === oi) n.requests.delete(key);
  scheduleSpf6(d);
  // A neighbor's Link-LSA changes the prefixes a DR announces for the link.
  if (scopeIf !== null && hdr.adv !== d.routerId) scheduleOriginate6(d);
  for (const oi of d.ifaces.values()) {
    if (scopeIf !== null && oi !== scopeIf) continue;
    const targets = [...oi.nbrs.values()].filter((n) => NBR_ORDER[n.state] >= NBR_ORDER.Exchange && n !== from?.nbr);
    if (targets.length === 0) continue;
    if (from !== null && from.oi === oi) {
      // Came in here: the DR floods it back; a BDR or DROther leaves it to the DR.
      if (from.nbr.routerId === oi.dr || from.nbr.routerId === oi.bdr || oi.state === 'Backup' || oi.state === 'DROther') continue;
    }
    for (const n of targets) {
      n.rxmt.set(key, l);
      armRxmt6(d, oi, n);
    }
    const dst = oi.p2p || oi.state === 'DR' || oi.state === 'Backup' ? OSPF6_ALL_SPF : OSPF6_ALL_DR;
    sendOspf6(d, oi, dst, { type: OSPF6_TYPE.LSU, lsas: [lsaNow(d, l)] });
    d.counters.lsasFlooded++;
  }
  if (hdr.age >= 3600) {
    // A flushed LSA leaves the database once acknowledged; here: after two RxmtIntervals.
    d.stack.env.sim.schedule(RXMT_S * 2 * S, (x: { db: Map<string, Lsa6>; key: string; l: Lsa6 }) => {
      if (x.db.get(x.key) === x.l) x.db.delete(x.key);
    }, { db, key, l });
  }
}

// ---- neighbor state changes --------------------------------------------------------

export function setNbrState6(d: Ospf6Daemon, n: Ospf6Nbr, s: NbrState): void {
  const was = n.state;
  if (was === s) return;
  n.state = s;
  n.sinceNs = d.stack.env.sim.now();
  if (NBR_ORDER[s] < NBR_ORDER.Exchange) {
    n.summary = [];
    n.requests.clear();
    n.rxmt.clear();
    n.lastDd = null;
  }
  if (was === 'Full' || s === 'Full') scheduleOriginate6(d);
}

export function sendLsr6(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  const requests: LsReq6[] = [...n.requests.values()].slice(0, 100).map((h) => ({ type: h.type, id: h.id, adv: h.adv }));
  if (requests.length > 0) sendOspf6(d, oi, n.addr, { type: OSPF6_TYPE.LSR, requests });
  armRxmt6(d, oi, n);
}

/** A Link State Update (§13): install what is newer, flood it, acknowledge every LSA. */
export function lsuInput6(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr, lsas: Uint8Array[]): void {
  if (NBR_ORDER[n.state] < NBR_ORDER.Exchange) return;
  const acks: Lsa6Header[] = [];
  for (const bytes of lsas) {
    const h = readLsa6Header(bytes, 0);
    if (!KNOWN_TYPES.has(h.type)) {
      acks.push(h);
      continue;
    }
    const key = lsa6Key(h.type, h.id, h.adv);
    const asked = n.requests.get(key);
    if (asked !== undefined && compareLsa(h, asked) >= 0) n.requests.delete(key);
    const have = lsdbOf(d, oi, h.type).get(key);
    if (have === undefined && h.age >= 3600) {
      acks.push(h);
      continue;
    }
    const cmp = have === undefined ? 1 : compareLsa(h, hdrNow(d, have));
    if (cmp > 0) {
      n.rxmt.delete(key);
      if (h.adv === d.routerId) {
        // An old instance of ours (from before a restart): move past it and re-originate (§13.4).
        const seqKey = linkScope(h.type) ? `${key}@${oi.index}` : key;
        d.ownSeq.set(seqKey, Math.max(d.ownSeq.get(seqKey) ?? INITIAL_SEQ, (h.seq + 1) | 0));
        installAndFlood(d, bytes, { oi, nbr: n }, null);
        lsdbOf(d, oi, h.type).delete(key);
        scheduleOriginate6(d);
      } else installAndFlood(d, bytes, { oi, nbr: n }, null);
      acks.push(h);
    } else if (cmp === 0) {
      if (n.rxmt.has(key)) n.rxmt.delete(key); // implied acknowledgment
      else acks.push(h);
    } else if (have !== undefined) {
      sendOspf6(d, oi, n.addr, { type: OSPF6_TYPE.LSU, lsas: [lsaNow(d, have)] });
    }
  }
  if (acks.length > 0) sendOspf6(d, oi, n.addr, { type: OSPF6_TYPE.ACK, headers: acks });
  if (n.state === 'Loading' && n.requests.size === 0) setNbrState6(d, n, 'Full');
}

// ---- retransmission ------------------------------------------------------------------

interface RxArg {
  d: Ospf6Daemon;
  oi: Ospf6Iface;
  n: Ospf6Nbr;
  gen: number;
}

/** Every RxmtInterval: the master's last DD, outstanding requests, unacknowledged LSAs. */
export function armRxmt6(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  if (n.rxmtArmed) return;
  n.rxmtArmed = true;
  d.stack.env.sim.schedule(RXMT_S * S, rxmtFire, { d, oi, n, gen: n.rxmtGen } satisfies RxArg);
}

function rxmtFire(a: RxArg): void {
  const { d, oi, n } = a;
  if (a.gen !== n.rxmtGen) return;
  n.rxmtArmed = false;
  if (!d.running || n.state === 'Down' || oi.nbrs.get(n.routerId) !== n) return;
  let again = false;
  if ((n.state === 'ExStart' || (n.state === 'Exchange' && n.master)) && n.lastDd !== null) {
    sendRaw6(d, oi, n.addr, n.lastDd);
    again = true;
  }
  if (n.state === 'Loading' && n.requests.size > 0) return sendLsr6(d, oi, n);
  if (n.rxmt.size > 0) {
    const lsas = [...n.rxmt.values()].slice(0, 20).map((l) => lsaNow(d, l));
    d.counters.lsasRetransmitted += lsas.length;
    sendOspf6(d, oi, n.addr, { type: OSPF6_TYPE.LSU, lsas });
    again = true;
  }
  if (again) armRxmt6(d, oi, n);
}
