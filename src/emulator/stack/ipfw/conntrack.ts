// Connection tracking for the iptables front end (Linux nf_conntrack as --ctstate sees
// it): every accepted datagram confirms or refreshes its flow's entry; a packet is NEW
// until the other side has answered, then ESTABLISHED. Keyed like ipfw states (state.ts)
// so TCP needs nothing new. Timeouts: nf_conntrack defaults (udp 30 s / 120 s answered,
// icmp 30 s, tcp 120 s / 432000 s established). Must not match rules.

import { IP_PROTO } from '../../wire/ipv4';
import { flowKey } from './state';
import { CT_STATE, type Firewall, type FwPacket } from './types';

const S_NS = 1_000_000_000;
export const CT_MAX = 65536;

function keyOf(p: FwPacket): string {
  const sp = p.srcPort >= 0 ? p.srcPort : p.icmpId >= 0 ? p.icmpId : 0;
  const dp = p.dstPort >= 0 ? p.dstPort : p.icmpId >= 0 ? p.icmpId : 0;
  return flowKey(p.proto, p.src, sp, p.dst, dp);
}

function timeoutNs(proto: number, replied: boolean): number {
  if (proto === IP_PROTO.UDP) return (replied ? 120 : 30) * S_NS;
  if (proto === IP_PROTO.TCP) return (replied ? 432000 : 120) * S_NS;
  return 30 * S_NS;
}

/** The packet's conntrack state bit (CT_STATE) before it is accepted. */
export function ctClassify(fw: Firewall, p: FwPacket, nowNs: number): number {
  // ICMP errors are RELATED to the flow they quote; without reading the quote we call every error RELATED only when tracked flows exist.
  if (p.proto === IP_PROTO.ICMP && p.icmpId < 0 && p.icmpType >= 3 && p.icmpType <= 12) return fw.conntrack !== null && fw.conntrack.size > 0 ? CT_STATE.RELATED : CT_STATE.INVALID;
  const e = fw.conntrack?.get(keyOf(p));
  if (e === undefined || e.expiresNs <= nowNs) return CT_STATE.NEW;
  const original = p.src === e.src && (p.srcPort < 0 || p.srcPort === e.srcPort);
  return e.replied || !original ? CT_STATE.ESTABLISHED : CT_STATE.NEW;
}

/** Confirms an accepted datagram: creates or refreshes its flow's entry. */
export function ctConfirm(fw: Firewall, p: FwPacket, nowNs: number): void {
  let t = fw.conntrack;
  if (t === null) t = fw.conntrack = new Map();
  const key = keyOf(p);
  let e = t.get(key);
  if (e !== undefined && e.expiresNs <= nowNs) {
    t.delete(key);
    e = undefined;
  }
  if (e === undefined) {
    if (t.size >= CT_MAX) for (const [k, x] of t) if (x.expiresNs <= nowNs) t.delete(k);
    if (t.size >= CT_MAX) return; // table full: Linux drops new flows; here they go untracked
    e = { src: p.src, srcPort: p.srcPort >= 0 ? p.srcPort : p.icmpId, replied: false, expiresNs: 0 };
    t.set(key, e);
  } else if (p.src !== e.src) {
    e.replied = true;
  }
  e.expiresNs = nowNs + timeoutNs(p.proto, e.replied);
}
