// In-kernel NAT with libalias semantics (FreeBSD ipfw_nat / libalias(3)): outgoing
// datagrams take the alias address and an alias port (TCP/UDP) or echo id (ICMP) chosen
// at random in 32768–65535 (same_ports: the original first), unique per remote endpoint;
// replies are mapped back; ICMP errors have their quoted datagram restored; redirect_port
// and redirect_addr are permanent links. Links expire lazily (libalias alias_db.c: 60 s for
// UDP and ICMP; TCP 300 s, 86400 s connected both ways, 90 s half closed, 10 s closed).
// RFC 3022, RFC 5508 (ICMP).

import { IP_PROTO } from '../../wire/ipv4';
import { rewriteAddr, rewriteIcmpId, rewritePort, rewriteQuotedSource } from '../../wire/rewrite';
import type { NetStack } from '../types';
import type { NatInstance, NatLink } from './types';

export const NAT_RESULT = { OK: 0, UNCHANGED: 1, DENY: 2 } as const;
export type NatResult = (typeof NAT_RESULT)[keyof typeof NAT_RESULT];

const S_NS = 1_000_000_000;
const ALIAS_PORT_BASE = 0x8000;
const ALIAS_PORT_MASK = 0x7fff;
const MAX_TRIALS = 20;
export const NAT_LINKS_MAX = 65536;

const rd16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const rd32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

export function natCreate(n: number): NatInstance {
  return { n, ifName: null, ip: 0, samePorts: false, via: null, denyIn: false, unregOnly: false, out: new Map(), in: new Map(), addrOut: new Map(), addrIn: new Map(), configText: `ipfw nat ${n} config` };
}

/** The alias address now: the primary address of `if IFACE`, else `ip ADDR`; 0 when none. */
export function natAliasAddr(stack: NetStack, nat: NatInstance): number {
  if (nat.ifName === null) return nat.ip;
  const iface = stack.ifaces.find((i) => i.name === nat.ifName);
  return iface !== undefined && iface.addrs.length > 0 ? iface.addrs[0].addr >>> 0 : 0;
}

/** libalias TCP link states (alias_db.c ALIAS_TCP_STATE_*). */
export const NAT_TCP = { NOT_CONNECTED: 0, CONNECTED: 1, DISCONNECTED: 2 } as const;

/** libalias expire times (alias_db.c): ICMP/UDP 60 s; TCP 300 s until connected both ways, then 86400 s; 90 s with one side closed, 10 s with both. */
const EXPIRE = { ICMP: 60, UDP: 60, TCP_INITIAL: 300, TCP_CONNECTED: 86400, TCP_SINGLEDEAD: 90, TCP_DEAD: 10 } as const;
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;

function initialLifetimeNs(proto: number): number {
  return (proto === IP_PROTO.TCP ? EXPIRE.TCP_INITIAL : proto === IP_PROTO.UDP ? EXPIRE.UDP : EXPIRE.ICMP) * S_NS;
}

/**
 * libalias TcpMonitorIn/TcpMonitorOut and SetStateIn/Out: a SYN connects a side, a FIN or
 * RST disconnects it (a RST before connecting too); the link lives 86400 s once both sides
 * are connected, 90 s once one has closed, 10 s once both have.
 */
function tcpMonitor(l: NatLink, flags: number, out: boolean): void {
  const mine = (out ? l.tcpOut : l.tcpIn) ?? NAT_TCP.NOT_CONNECTED;
  let next: number = mine;
  if (mine === NAT_TCP.NOT_CONNECTED) next = (flags & TH_RST) !== 0 ? NAT_TCP.DISCONNECTED : (flags & TH_SYN) !== 0 ? NAT_TCP.CONNECTED : mine;
  else if (mine === NAT_TCP.CONNECTED && (flags & (TH_FIN | TH_RST)) !== 0) next = NAT_TCP.DISCONNECTED;
  if (next === mine) return;
  if (out) l.tcpOut = next;
  else l.tcpIn = next;
  const other = (out ? l.tcpIn : l.tcpOut) ?? NAT_TCP.NOT_CONNECTED;
  if (next === NAT_TCP.DISCONNECTED) l.lifetimeNs = (other !== NAT_TCP.CONNECTED ? EXPIRE.TCP_DEAD : EXPIRE.TCP_SINGLEDEAD) * S_NS;
  else if (other === NAT_TCP.CONNECTED) l.lifetimeNs = EXPIRE.TCP_CONNECTED * S_NS;
}

/** A packet used the link: TCP state as libalias tracks it, then the expiry from now. */
function touchLink(l: NatLink, proto: number, tcpFlags: number, out: boolean, nowNs: number): void {
  if (l.permanent) return;
  if (proto === IP_PROTO.TCP) tcpMonitor(l, tcpFlags, out);
  l.expiresNs = nowNs + (l.lifetimeNs ?? initialLifetimeNs(proto));
}

const outKey = (proto: number, la: number, lp: number, ra: number, rp: number): string => `${proto} ${la} ${lp} ${ra} ${rp}`;
const inKey = (proto: number, aa: number, ap: number, ra: number, rp: number): string => `${proto} ${aa} ${ap} ${ra} ${rp}`;

function live(nat: NatInstance, l: NatLink | undefined, nowNs: number): NatLink | null {
  if (l === undefined) return null;
  if (l.permanent || l.expiresNs > nowNs) return l;
  nat.out.delete(outKey(l.proto, l.localAddr, l.localPort, l.remoteAddr, l.remotePort));
  nat.in.delete(inKey(l.proto, l.aliasAddr, l.aliasPort, l.remoteAddr, l.remotePort));
  return null;
}

/** Drops expired links (when listing and when the table is full). */
export function natExpire(nat: NatInstance, nowNs: number): void {
  for (const l of [...nat.out.values()]) live(nat, l, nowNs);
}

/** An alias port free toward (remote, remotePort): libalias GetNewPort. -1 when none is left. */
function newAliasPort(stack: NetStack, nat: NatInstance, proto: number, alias: number, want: number, ra: number, rp: number): number {
  const free = (p: number): boolean => !nat.in.has(inKey(proto, alias, p, ra, rp)) && !nat.in.has(inKey(proto, alias, p, 0, 0));
  if (nat.samePorts && want > 0 && free(want)) return want;
  const rng = stack.env.rng(`node:${stack.name}:nat:${nat.n}`);
  for (let i = 0; i < MAX_TRIALS; i++) {
    const p = ALIAS_PORT_BASE + (rng.nextU32() & ALIAS_PORT_MASK);
    if (free(p)) return p;
  }
  for (let p = ALIAS_PORT_BASE; p <= 0xffff; p++) if (free(p)) return p;
  return -1;
}

/** Adds a link to both lookups. */
export function natAddLink(nat: NatInstance, l: NatLink): void {
  nat.out.set(outKey(l.proto, l.localAddr, l.localPort, l.remoteAddr, l.remotePort), l);
  nat.in.set(inKey(l.proto, l.aliasAddr, l.aliasPort, l.remoteAddr, l.remotePort), l);
}

/** LibAliasOut: translates the datagram at `off` (a buffer the caller owns) leaving through the NAT. */
export function natOut(stack: NetStack, nat: NatInstance, b: Uint8Array, off: number): NatResult {
  const src = rd32(b, off + 12);
  const pub = nat.addrOut.get(src);
  if (pub !== undefined) {
    rewriteAddr(b, off, 12, pub);
    return NAT_RESULT.OK;
  }
  const alias = natAliasAddr(stack, nat);
  if (alias === 0 || src === alias) return NAT_RESULT.UNCHANGED;
  const proto = b[off + 9];
  const t = off + ((b[off] & 0x0f) << 2);
  const firstFrag = ((b[off + 6] & 0x1f) | b[off + 7]) === 0;
  const ports = firstFrag && (proto === IP_PROTO.UDP || proto === IP_PROTO.TCP);
  const echo = firstFrag && proto === IP_PROTO.ICMP && b[t] === 8;
  if (ports || echo) {
    const dst = rd32(b, off + 16);
    const lp = echo ? rd16(b, t + 4) : rd16(b, t);
    const rp = echo ? 0 : rd16(b, t + 2);
    const now = stack.env.sim.now();
    let l = live(nat, nat.out.get(outKey(proto, src, lp, dst, rp)), now) ?? live(nat, nat.out.get(outKey(proto, src, lp, 0, 0)), now);
    if (l === null) {
      if (nat.out.size >= NAT_LINKS_MAX) natExpire(nat, now);
      const ap = nat.out.size >= NAT_LINKS_MAX ? -1 : newAliasPort(stack, nat, proto, alias, lp, dst, rp);
      if (ap < 0) return NAT_RESULT.DENY;
      l = { proto, localAddr: src, localPort: lp, aliasAddr: alias, aliasPort: ap, remoteAddr: dst, remotePort: rp, expiresNs: 0, permanent: false };
      natAddLink(nat, l);
    }
    touchLink(l, proto, proto === IP_PROTO.TCP ? b[t + 13] : 0, true, now);
    if (echo) rewriteIcmpId(b, off, l.aliasPort);
    else rewritePort(b, off, 0, l.aliasPort);
  }
  rewriteAddr(b, off, 12, alias);
  return NAT_RESULT.OK;
}

/** LibAliasIn: maps a datagram arriving for the alias address back to its local endpoint. */
export function natIn(stack: NetStack, nat: NatInstance, b: Uint8Array, off: number): NatResult {
  const dst = rd32(b, off + 16);
  const local = nat.addrIn.get(dst);
  if (local !== undefined) {
    rewriteAddr(b, off, 16, local);
    return NAT_RESULT.OK;
  }
  const alias = natAliasAddr(stack, nat);
  if (alias === 0 || dst !== alias) return NAT_RESULT.UNCHANGED;
  const proto = b[off + 9];
  const t = off + ((b[off] & 0x0f) << 2);
  const src = rd32(b, off + 12);
  const now = stack.env.sim.now();
  if (((b[off + 6] & 0x1f) | b[off + 7]) !== 0) return NAT_RESULT.UNCHANGED;
  if (proto === IP_PROTO.UDP || proto === IP_PROTO.TCP) {
    const ap = rd16(b, t + 2);
    const sp = rd16(b, t);
    const l = live(nat, nat.in.get(inKey(proto, alias, ap, src, sp)), now) ?? live(nat, nat.in.get(inKey(proto, alias, ap, 0, 0)), now);
    if (l === null) return nat.denyIn ? NAT_RESULT.DENY : NAT_RESULT.UNCHANGED;
    touchLink(l, proto, proto === IP_PROTO.TCP ? b[t + 13] : 0, false, now);
    rewritePort(b, off, 2, l.localPort);
    rewriteAddr(b, off, 16, l.localAddr);
    return NAT_RESULT.OK;
  }
  if (proto !== IP_PROTO.ICMP) return nat.denyIn ? NAT_RESULT.DENY : NAT_RESULT.UNCHANGED;
  const type = b[t];
  if (type === 0) {
    // Echo reply: only for an echo we sent out (libalias IcmpAliasIn1), else ignored → denied.
    const l = live(nat, nat.in.get(inKey(IP_PROTO.ICMP, alias, rd16(b, t + 4), src, 0)), now);
    if (l === null) return NAT_RESULT.DENY;
    touchLink(l, IP_PROTO.ICMP, 0, false, now);
    rewriteIcmpId(b, off, l.localPort);
    rewriteAddr(b, off, 16, l.localAddr);
    return NAT_RESULT.OK;
  }
  if (type === 3 || type === 11 || type === 12 || type === 4) return icmpErrorIn(nat, b, off, t, alias, now);
  return nat.denyIn && type !== 8 ? NAT_RESULT.DENY : NAT_RESULT.UNCHANGED;
}

/** An ICMP error about a datagram we translated: the quoted datagram gets its local endpoint back (libalias IcmpAliasIn2). */
function icmpErrorIn(nat: NatInstance, b: Uint8Array, off: number, t: number, alias: number, now: number): NatResult {
  const q = t + 8;
  if (q + 28 > b.length || rd32(b, q + 12) !== alias) return NAT_RESULT.UNCHANGED;
  const qp = b[q + 9];
  const qt = q + ((b[q] & 0x0f) << 2);
  if (qt + 8 > b.length) return NAT_RESULT.UNCHANGED;
  const qdst = rd32(b, q + 16);
  const key =
    qp === IP_PROTO.ICMP ? inKey(qp, alias, rd16(b, qt + 4), qdst, 0) : qp === IP_PROTO.UDP || qp === IP_PROTO.TCP ? inKey(qp, alias, rd16(b, qt), qdst, rd16(b, qt + 2)) : '';
  const l = key === '' ? null : live(nat, nat.in.get(key), now);
  if (l === null) return NAT_RESULT.UNCHANGED;
  if (!rewriteQuotedSource(b, off, l.localAddr, l.localPort)) return NAT_RESULT.UNCHANGED;
  rewriteAddr(b, off, 16, l.localAddr);
  return NAT_RESULT.OK;
}
