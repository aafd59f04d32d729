// Dynamic rules (ipfw keep-state / check-state; the connection tracking iptables' conntrack
// maps onto): a flow key that matches both directions, lifetimes per protocol and TCP
// phase, lazy expiry in virtual time (no timers), and the bound dyn_max. Keyed generically
// on (proto, addresses, ports or ICMP id) so TCP needs nothing new here. Must not match rules.

import { IP_PROTO } from '../../wire/ipv4';
import type { Firewall, FwPacket, FwRule, FwState } from './types';

const S_NS = 1_000_000_000;
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;

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

function lifetimeNs(fw: Firewall, s: FwState, flags: number): number {
  const l = fw.lifetimes;
  if (s.proto === IP_PROTO.UDP) return l.udp * S_NS;
  if (s.proto !== IP_PROTO.TCP) return l.short * S_NS;
  if ((flags & TH_RST) !== 0) return l.rst * S_NS;
  if ((s.tcpSeen & 0b1100) === 0b1100) return l.fin * S_NS; // FIN both ways
  if ((s.tcpSeen & 0b11) === 0b11) return l.ack * S_NS; // SYN both ways: established
  return l.syn * S_NS;
}

function touch(fw: Firewall, s: FwState, p: FwPacket, nowNs: number): void {
  s.packets++;
  s.bytes += p.len;
  if (p.tcpFlags >= 0) {
    const fwd = p.src === s.src && p.srcPort === s.srcPort;
    if ((p.tcpFlags & TH_SYN) !== 0) s.tcpSeen |= fwd ? 1 : 2;
    if ((p.tcpFlags & TH_FIN) !== 0) s.tcpSeen |= fwd ? 4 : 8;
  }
  s.expiresNs = nowNs + lifetimeNs(fw, s, p.tcpFlags < 0 ? 0 : p.tcpFlags);
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
  touch(fw, s, p, nowNs);
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
    s = { rule, proto: p.proto, src: p.src, dst: p.dst, srcPort: sp, dstPort: dp, expiresNs: 0, packets: 0, bytes: 0, tcpSeen: 0 };
    fw.states.set(key, s);
  }
  touch(fw, s, p, nowNs);
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
