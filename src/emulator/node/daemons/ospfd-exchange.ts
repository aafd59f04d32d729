// ospfd's database exchange with one neighbor: ExStart (master/slave by router id),
// Exchange (Database Description packets of LSA headers), Loading (Link State Requests)
// up to Full, and answers to requests. Never installs LSAs itself (ospfd-lsdb.ts does).
// RFC 2328 §10.6 (receiving DD), §10.7 (requests), §10.8 (sending DD).

import { rawSend } from '../../stack/raw';
import { buildOspf, DD_FLAG, OPT_E, OSPF_PROTO, OSPF_TYPE, type Dd, type LsaHeader, type LsReq } from '../../wire/ospf';
import { armRxmt, compareLsa, hdrNow, lsaNow, sendLsr, sendOspf, setNbrState } from './ospfd-lsdb';
import { AS_SCOPE, dbKey, lsaKey, NBR_ORDER, type OspfDaemon, type OspfIface, type OspfNbr } from './ospfd-types';

/** Starts (or restarts) the database exchange: ExStart, we claim master (§10.8). */
export function startExStart(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  setNbrState(d, oi, n, 'ExStart');
  n.summary = [];
  n.requests.clear();
  n.rxmt.clear();
  n.master = true;
  n.ddSeq = (d.rng.nextInt(0x7fff) + 1) | 0;
  sendDd(d, oi, n, DD_FLAG.I | DD_FLAG.M | DD_FLAG.MS, []);
  armRxmt(d, oi, n);
}

function sendDd(d: OspfDaemon, oi: OspfIface, n: OspfNbr, flags: number, headers: LsaHeader[]): void {
  const dd: Dd = { mtu: d.stack.ifaces[oi.index].mtu, options: oi.stub ? 0 : OPT_E, flags, seq: n.ddSeq, headers };
  const payload = buildOspf({ routerId: d.routerId, areaId: oi.area, body: { type: OSPF_TYPE.DD, dd } });
  n.lastDd = payload;
  rawSend(d.stack, { dst: n.addr, proto: OSPF_PROTO, payload, ttl: 1, tos: 0xc0, src: oi.addr });
  d.counters.packetsSent++;
}

/** At most this many LSA headers per DD packet (fits a 1500-byte MTU). */
const DD_MAX = 60;

function sendNextDd(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  const chunk = n.summary.splice(0, DD_MAX);
  const more = n.summary.length > 0 ? DD_FLAG.M : 0;
  sendDd(d, oi, n, more | (n.master ? DD_FLAG.MS : 0), chunk);
}

function negotiationDone(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  setNbrState(d, oi, n, 'Exchange');
  n.summary = [];
  for (const l of d.lsdb.values()) if (l.area === oi.area || (l.area === AS_SCOPE && !oi.stub)) n.summary.push(hdrNow(d, l));
}

function exchangeDone(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  if (n.requests.size === 0) return setNbrState(d, oi, n, 'Full');
  setNbrState(d, oi, n, 'Loading');
  sendLsr(d, oi, n);
}

/** A Database Description packet from `n` (§10.6). */
export function ddInput(d: OspfDaemon, oi: OspfIface, n: OspfNbr, dd: Dd, routerId: number): void {
  const init = (dd.flags & DD_FLAG.I) !== 0;
  const ms = (dd.flags & DD_FLAG.MS) !== 0;
  const more = (dd.flags & DD_FLAG.M) !== 0;
  if (n.state === 'Down' || n.state === 'Init' || n.state === '2-Way') return;
  if (n.state === 'ExStart') {
    if (init && ms && more && dd.headers.length === 0 && routerId > d.routerId) {
      n.master = false; // the neighbor is master: take its sequence number
      n.ddSeq = dd.seq;
    } else if (!init && !ms && dd.seq === n.ddSeq && routerId < d.routerId) {
      n.master = true;
    } else return;
    negotiationDone(d, oi, n);
    if (n.master) {
      learnHeaders(d, oi, n, dd.headers);
      n.ddSeq++;
      sendNextDd(d, oi, n);
      armRxmt(d, oi, n);
    } else {
      sendNextDd(d, oi, n);
    }
    return;
  }
  if (n.state === 'Exchange') {
    if (ms === n.master || init) return seqMismatch(d, oi, n);
    if (n.master) {
      if (dd.seq !== n.ddSeq) return; // a duplicate or stale answer
      learnHeaders(d, oi, n, dd.headers);
      n.ddSeq++;
      if (n.summary.length === 0 && !more && ((n.lastDd?.[24 + 3] ?? 0) & DD_FLAG.M) === 0) return exchangeDone(d, oi, n);
      sendNextDd(d, oi, n);
      armRxmt(d, oi, n);
    } else {
      if (dd.seq === n.ddSeq) {
        if (n.lastDd !== null) rawSend(d.stack, { dst: n.addr, proto: OSPF_PROTO, payload: n.lastDd, ttl: 1, tos: 0xc0, src: oi.addr });
        return;
      }
      if (dd.seq !== ((n.ddSeq + 1) | 0)) return seqMismatch(d, oi, n);
      n.ddSeq = dd.seq;
      learnHeaders(d, oi, n, dd.headers);
      sendNextDd(d, oi, n);
      const sentMore = ((n.lastDd?.[24 + 3] ?? 0) & DD_FLAG.M) !== 0;
      if (!more && !sentMore) exchangeDone(d, oi, n);
    }
    return;
  }
  // Loading or Full: the slave repeats its last packet on a duplicate; anything else restarts.
  if (!n.master && dd.seq === n.ddSeq && n.lastDd !== null) {
    rawSend(d.stack, { dst: n.addr, proto: OSPF_PROTO, payload: n.lastDd, ttl: 1, tos: 0xc0, src: oi.addr });
    return;
  }
  if (n.master && dd.seq === ((n.ddSeq - 1) | 0)) return;
  seqMismatch(d, oi, n);
}

function seqMismatch(d: OspfDaemon, oi: OspfIface, n: OspfNbr): void {
  startExStart(d, oi, n);
}

function learnHeaders(d: OspfDaemon, oi: OspfIface, n: OspfNbr, headers: LsaHeader[]): void {
  for (const h of headers) {
    const key = lsaKey(h.type, h.id, h.adv);
    const have = d.lsdb.get(dbKey(oi.area, h.type, h.id, h.adv));
    if (have === undefined && h.age >= 3600) continue; // being flushed and unknown here: nothing to fetch
    if (have === undefined || compareLsa(h, hdrNow(d, have)) > 0) n.requests.set(key, h);
  }
}

/** A Link State Request: answered with the LSAs in one update (§10.7). */
export function lsrInput(d: OspfDaemon, oi: OspfIface, n: OspfNbr, reqs: LsReq[]): void {
  if (NBR_ORDER[n.state] < NBR_ORDER.Exchange) return;
  const lsas: Uint8Array[] = [];
  for (const r of reqs) {
    const l = d.lsdb.get(dbKey(oi.area, r.type, r.id, r.adv));
    if (l === undefined) return startExStart(d, oi, n); // BadLSReq
    lsas.push(lsaNow(d, l));
  }
  if (lsas.length > 0) sendOspf(d, oi, n.addr, { type: OSPF_TYPE.LSU, lsas });
}

