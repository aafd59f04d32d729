// ospf6d's database exchange with one neighbor: ExStart (master/slave by router id),
// Exchange (Database Description packets of the area's and the link's LSA headers),
// Loading (Link State Requests) up to Full, and answers to requests. Installs nothing
// itself (ospf6d-lsdb.ts does). RFC 5340 §4.2.2 (DD), RFC 2328 §10.6-10.8.

import { DD_FLAG } from '../../wire/ospf';
import { buildOspf6, OPT6_DEFAULT, OSPF6_TYPE, type Dd6, type Lsa6Header, type LsReq6 } from '../../wire/ospf6';
import { compareLsa, hdrNow, lsaNow } from './ospf-shared';
import { armRxmt6, lsdbOf, sendLsr6, sendOspf6, sendRaw6, setNbrState6 } from './ospf6d-lsdb';
import { KNOWN_TYPES, lsa6Key, NBR_ORDER, type Ospf6Daemon, type Ospf6Iface, type Ospf6Nbr } from './ospf6d-types';

/** Starts (or restarts) the database exchange: ExStart, we claim master. */
export function startExStart6(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  setNbrState6(d, n, 'ExStart');
  n.summary = [];
  n.requests.clear();
  n.rxmt.clear();
  n.master = true;
  n.ddSeq = (d.rng.nextInt(0x7fff) + 1) | 0;
  sendDd(d, oi, n, DD_FLAG.I | DD_FLAG.M | DD_FLAG.MS, []);
  armRxmt6(d, oi, n);
}

function sendDd(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr, flags: number, headers: Lsa6Header[]): void {
  const dd: Dd6 = { options: OPT6_DEFAULT, mtu: d.stack.ifaces[oi.index].mtu, flags, seq: n.ddSeq, headers };
  n.lastDd = buildOspf6({ routerId: d.routerId, areaId: 0, instance: 0, body: { type: OSPF6_TYPE.DD, dd } });
  n.lastMore = (flags & DD_FLAG.M) !== 0;
  sendRaw6(d, oi, n.addr, n.lastDd);
}

/** At most this many LSA headers per DD packet (fits a 1280-byte MTU). */
const DD_MAX = 50;

function sendNextDd(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  const chunk = n.summary.splice(0, DD_MAX);
  sendDd(d, oi, n, (n.summary.length > 0 ? DD_FLAG.M : 0) | (n.master ? DD_FLAG.MS : 0), chunk);
}

function negotiationDone(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  setNbrState6(d, n, 'Exchange');
  n.summary = [...d.lsdb.values(), ...oi.linkLsdb.values()].map((l) => hdrNow(d, l));
}

function exchangeDone(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr): void {
  if (n.requests.size === 0) return setNbrState6(d, n, 'Full');
  setNbrState6(d, n, 'Loading');
  sendLsr6(d, oi, n);
}

/** A Database Description packet from `n`. */
export function ddInput6(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr, dd: Dd6): void {
  const init = (dd.flags & DD_FLAG.I) !== 0;
  const ms = (dd.flags & DD_FLAG.MS) !== 0;
  const more = (dd.flags & DD_FLAG.M) !== 0;
  if (NBR_ORDER[n.state] < NBR_ORDER.ExStart) return;
  if (n.state === 'ExStart') {
    if (init && ms && more && dd.headers.length === 0 && n.routerId > d.routerId) {
      n.master = false; // the neighbor is master: take its sequence number
      n.ddSeq = dd.seq;
    } else if (!init && !ms && dd.seq === n.ddSeq && n.routerId < d.routerId) {
      n.master = true;
    } else return;
    negotiationDone(d, oi, n);
    if (n.master) {
      learnHeaders(d, oi, n, dd.headers);
      n.ddSeq++;
      sendNextDd(d, oi, n);
      armRxmt6(d, oi, n);
    } else sendNextDd(d, oi, n);
    return;
  }
  if (n.state === 'Exchange') {
    if (ms === n.master || init) return startExStart6(d, oi, n); // SeqNumberMismatch
    if (n.master) {
      if (dd.seq !== n.ddSeq) return; // a duplicate or stale answer
      learnHeaders(d, oi, n, dd.headers);
      n.ddSeq++;
      if (n.summary.length === 0 && !more && !n.lastMore) return exchangeDone(d, oi, n);
      sendNextDd(d, oi, n);
      armRxmt6(d, oi, n);
    } else {
      if (dd.seq === n.ddSeq) {
        if (n.lastDd !== null) sendRaw6(d, oi, n.addr, n.lastDd);
        return;
      }
      if (dd.seq !== ((n.ddSeq + 1) | 0)) return startExStart6(d, oi, n);
      n.ddSeq = dd.seq;
      learnHeaders(d, oi, n, dd.headers);
      sendNextDd(d, oi, n);
      if (!more && !n.lastMore) exchangeDone(d, oi, n);
    }
    return;
  }
  // Loading or Full: the slave repeats its last packet on a duplicate; anything else restarts.
  if (!n.master && dd.seq === n.ddSeq && n.lastDd !== null) return sendRaw6(d, oi, n.addr, n.lastDd);
  if (n.master && dd.seq === ((n.ddSeq - 1) | 0)) return;
  startExStart6(d, oi, n);
}

function learnHeaders(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr, headers: Lsa6Header[]): void {
  for (const h of headers) {
    if (!KNOWN_TYPES.has(h.type)) continue;
    const key = lsa6Key(h.type, h.id, h.adv);
    const have = lsdbOf(d, oi, h.type).get(key);
    if (have === undefined && h.age >= 3600) continue; // being flushed and unknown here
    if (have === undefined || compareLsa(h, hdrNow(d, have)) > 0) n.requests.set(key, h);
  }
}

/** A Link State Request: answered with the LSAs in one update. */
export function lsrInput6(d: Ospf6Daemon, oi: Ospf6Iface, n: Ospf6Nbr, reqs: LsReq6[]): void {
  if (NBR_ORDER[n.state] < NBR_ORDER.Exchange) return;
  const lsas: Uint8Array[] = [];
  for (const r of reqs) {
    const l = lsdbOf(d, oi, r.type).get(lsa6Key(r.type, r.id, r.adv));
    if (l === undefined) return startExStart6(d, oi, n); // BadLSReq
    lsas.push(lsaNow(d, l));
  }
  if (lsas.length > 0) sendOspf6(d, oi, n.addr, { type: OSPF6_TYPE.LSU, lsas });
}
