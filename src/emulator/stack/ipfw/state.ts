// Dynamic rules (ipfw keep-state / check-state): a flow key that matches both directions,
// lifetimes per protocol and TCP phase as FreeBSD's sys/netpfil/ipfw/ip_fw_dynamic.c sets
// them (net.inet.ip.fw.dyn_{syn,ack,fin,rst,udp,short}_lifetime), lazy expiry in virtual
// time (no timers; dyn_keepalive probes are not sent), and the bound dyn_max. Must not match rules.

import { IP_PROTO } from '../../wire/ipv4';
import type { Firewall, FwPacket, FwRule, FwState } from './types';

const S_NS = 1_000_000_000;
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
/** q->state bits of ip_fw_dynamic.c: forward flags in the low byte, reverse ones << 8, then the ACK pair. */
const BOTH_SYN = TH_SYN | (TH_SYN << 8);
const BOTH_FIN = TH_FIN | (TH_FIN << 8);
const TCP_FLAGS = 0xffff;
const ACK_FWD = 0x10000;
const ACK_REV = 0x20000;

/** The flow's port pair as the state sees it: TCP/UDP ports, the ICMP echo id on both sides, else 0. */
function portsOf(p: FwPacket): [number, number] {
  if (p.srcPort >= 0) return [p.srcPort, p.dstPort];
  if (p.icmpId >= 0) return [p.icmpId, p.icmpId];
  return [0, 0];
}

/** One key for both directions: the lower (address, port) end first. */
export function flowKey(proto: number, a: number, ap: number, b: number, bp: number): string {
  return a < b || (a === b && ap <= bp) ? `${proto} ${a} ${ap} ${b} ${bp}` : `${proto} ${b} ${bp} ${a} ${ap}`;
}

/** (int)(a - b) >= 0 on 32-bit sequence numbers. */
const seqGe = (a: number, b: number): boolean => ((a - b) | 0) >= 0;

/**
 * A TCP packet of the state's flow moves its phase and lifetime as FreeBSD's
 * lookup_dyn_rule_locked does: SYN one way → dyn_syn_lifetime; SYN both ways (with at most
 * one FIN) → dyn_ack_lifetime, renewed only once an advancing ACK has been seen each way;
 * FIN both ways → dyn_fin_lifetime; anything else (a RST, a SYN only from the responder) →
 * dyn_rst_lifetime. `withAck` is false when the state is just being installed (tcp == NULL).
 */
function tcpUpdate(fw: Firewall, s: FwState, p: FwPacket, fwd: boolean, nowNs: number, withAck: boolean): void {
  const l = fw.lifetimes;
  const flags = p.tcpFlags & (TH_FIN | TH_SYN | TH_RST);
  s.tcpState |= fwd ? flags : flags << 8;
  switch (s.tcpState & TCP_FLAGS) {
    case TH_SYN:
      s.expiresNs = nowNs + l.syn * S_NS;
      break;
    case BOTH_SYN:
    case BOTH_SYN | TH_FIN:
    case BOTH_SYN | (TH_FIN << 8):
      if (!withAck) break;
      if (fwd) {
        if (s.ackFwd === 0 || seqGe(p.tcpAck, s.ackFwd)) (s.ackFwd = p.tcpAck), (s.tcpState |= ACK_FWD);
      } else if (s.ackRev === 0 || seqGe(p.tcpAck, s.ackRev)) (s.ackRev = p.tcpAck), (s.tcpState |= ACK_REV);
      if ((s.tcpState & (ACK_FWD | ACK_REV)) === (ACK_FWD | ACK_REV)) {
        s.expiresNs = nowNs + l.ack * S_NS;
        s.tcpState &= ~(ACK_FWD | ACK_REV);
      }
      break;
    case BOTH_SYN | BOTH_FIN:
      s.expiresNs = nowNs + l.fin * S_NS;
      break;
    default:
      s.expiresNs = nowNs + l.rst * S_NS;
  }
}

function touch(fw: Firewall, s: FwState, p: FwPacket, nowNs: number, installing: boolean): void {
  s.packets++;
  s.bytes += p.len;
  if (s.proto === IP_PROTO.TCP && p.tcpFlags >= 0) {
    const fwd = p.src === s.src && p.dst === s.dst && p.srcPort === s.srcPort && p.dstPort === s.dstPort;
    tcpUpdate(fw, s, p, fwd, nowNs, !installing);
  } else {
    s.expiresNs = nowNs + (s.proto === IP_PROTO.UDP ? fw.lifetimes.udp : fw.lifetimes.short) * S_NS;
  }
}

/** Whether the state is TCP and established (SYN seen both ways, not both FINs): `ipfw -d show` and the inspector. */
export function stateTcpPhase(s: FwState): 'syn' | 'established' | 'fin' | 'rst' | null {
  if (s.proto !== IP_PROTO.TCP) return null;
  const f = s.tcpState & TCP_FLAGS;
  if (f === TH_SYN) return 'syn';
  if (f === BOTH_SYN || f === (BOTH_SYN | TH_FIN) || f === (BOTH_SYN | (TH_FIN << 8))) return 'established';
  if (f === (BOTH_SYN | BOTH_FIN)) return 'fin';
  return 'rst';
}

/** The live state of this packet's flow, refreshed, or null (an expired one is removed). */
export function stateLookup(fw: Firewall, p: FwPacket, nowNs: number): FwState | null {
  if (fw.states.size === 0) return null;
  const [sp, dp] = portsOf(p);
  const key = flowKey(p.proto, p.src, sp, p.dst, dp);
  const s = fw.states.get(key);
  if (s === undefined) return null;
  if (s.expiresNs <= nowNs) {
    fw.states.delete(key);
    return null;
  }
  touch(fw, s, p, nowNs, false);
  return s;
}

/** Installs the state for a packet matching a keep-state rule; false when dyn_max is reached. */
export function stateInstall(fw: Firewall, rule: FwRule, p: FwPacket, nowNs: number): boolean {
  const [sp, dp] = portsOf(p);
  const key = flowKey(p.proto, p.src, sp, p.dst, dp);
  let s = fw.states.get(key);
  if (s === undefined) {
    if (fw.states.size >= fw.stateMax) stateExpire(fw, nowNs);
    if (fw.states.size >= fw.stateMax) return false;
    s = { rule, proto: p.proto, src: p.src, dst: p.dst, srcPort: sp, dstPort: dp, expiresNs: 0, packets: 0, bytes: 0, tcpState: 0, ackFwd: 0, ackRev: 0 };
    fw.states.set(key, s);
  }
  // FreeBSD installs, then runs the lookup without the TCP header ("XXX just set lifetime").
  touch(fw, s, p, nowNs, true);
  return true;
}

/** Drops every expired state (on listing and when the table is full). */
export function stateExpire(fw: Firewall, nowNs: number): void {
  for (const [k, s] of fw.states) if (s.expiresNs <= nowNs) fw.states.delete(k);
}

/** Removes the states a deleted rule created (ipfw delete / flush do the same). */
export function stateForgetRule(fw: Firewall, rule: FwRule): void {
  for (const [k, s] of fw.states) if (s.rule === rule) fw.states.delete(k);
}
