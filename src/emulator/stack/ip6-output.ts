// IPv6 output of locally originated packets: destination checks, route lookup (with the
// zone of link-local destinations), source address selection, header emission, the
// upper-layer checksum over the chosen source, loopback of packets for our own addresses,
// multicast straight to its 33:33 group MAC, unicast through neighbor discovery, and
// fragmentation to the path MTU (frag6.ts). Must not forward (ip6-forward.ts).
// RFC 8200 §3, RFC 6724 §5 (source selection, simplified), RFC 2464 §7, RFC 4007 §6.

import { fillUpperChecksumIpv6 } from '../wire/checksum';
import { emitIpv6Fields, IPV6_HEADER_LEN, IPV6_MIN_MTU } from '../wire/ipv6';
import { emitUdpHeader, UDP_HEADER_LEN } from '../wire/udp';
import { fragment6, pmtuFor } from './frag6';
import { ipv6WordsEqual, isIpv6LinkLocal, setIpv6Words, isIpv6Loopback, isIpv6LinkScope, isIpv6Multicast, isIpv6Unspecified, multicastMacOf, type Ipv6Addr } from '../wire/ipv6-addr';
import { writeMacParts } from '../wire/addr';
import { sendError, SEND_OK, type SendResult } from './errno';
import { in6Local, in6Loopback, in6Usable, inet6Of } from './in6';
import type { In6Addr, Inet6State } from './inet6-types';
import { ip6LocalInput } from './ip6-input';
import { transmitFrame, writeSrcMac } from './link-output';
import { nd6Output } from './nd6';
import { nd6LinkMtu } from './nd6-rtr';
import { route6Find } from './route6';
import { explainRoute6 } from './explain';
import type { Iface, NetStack } from './types';

export interface Ip6SendOptions {
  dst: Ipv6Addr;
  /** Next Header of the payload (58 ICMPv6, 17 UDP). */
  next: number;
  /** Upper-layer header + data. */
  payload: Uint8Array;
  /** Offset in `payload` of a checksum to fill over the pseudo-header (IPV6_CHECKSUM), -1 for none. */
  checksumAt: number;
  /** Source address; must be one of ours. Default: chosen for the destination. */
  src?: Ipv6Addr;
  hopLimit?: number;
  /** Outgoing interface of a link-scope destination (`fe80::1%eth0`, `ff02::1%eth0`), -1 when none. */
  zone?: number;
  /** ifIndex a forwarded-style send came in on, for the trace (ICMPv6 errors); -1 otherwise. */
  inIf?: number;
  /** IPV6_USE_MIN_MTU: fragment to 1280 bytes whatever the path MTU (ping6 without -u). */
  minMtu?: boolean;
  /**
   * A UDP datagram (udp6.ts): `payload` is its data and the 8-byte header with these ports is
   * written in front of it in the frame (no intermediate copy); `next` and `checksumAt` are then UDP's.
   */
  udp?: { srcPort: number; dstPort: number };
}

/** Upper-layer bytes of a send: the payload, plus the UDP header written in front of it. */
function upperLen(opts: Ip6SendOptions): number {
  return opts.udp === undefined ? opts.payload.length : 8 + opts.payload.length;
}

function scopeMatches(a: In6Addr, dst: Ipv6Addr): boolean {
  return isIpv6LinkScope(a.addr) === isIpv6LinkScope(dst);
}

/** Leading bits `a` and `b` share (RFC 6724 rule 8, longest matching prefix). */
function commonPrefixLen(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 16; i++) {
    const x = a[i] ^ b[i];
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return 128;
}

/**
 * Source for `dst` leaving through `ifIndex` (RFC 6724 §5, the rules that matter here):
 * a usable (preferred or optimistic) address of the same scope, on the outgoing interface first, longest
 * matching prefix first; tentative and duplicated addresses are never used. Null if none.
 */
export function in6SelectSource(stack: NetStack, dst: Ipv6Addr, ifIndex: number): Ipv6Addr | null {
  const inet6 = inet6Of(stack);
  const own = inet6.ifs[ifIndex];
  // Plain loops, no closure: this runs for every packet a host sends.
  let best = own !== undefined && !own.disabled ? bestSource(own.addrs, dst, null) : null;
  if (best !== null || isIpv6LinkScope(dst)) return best === null ? null : best.addr;
  // Other interfaces' addresses may serve (RFC 6724 §5, weak host), never lo0's ::1 outside.
  for (let k = 0; k < inet6.ifs.length; k++) {
    const i = inet6.ifs[k];
    if (!i.disabled && k !== stack.loIndex) best = bestSource(i.addrs, dst, best);
  }
  return best === null ? null : best.addr;
}

/** The best of `addrs` for `dst`, or `best` when none beats it (longest matching prefix). */
function bestSource(addrs: readonly In6Addr[], dst: Ipv6Addr, best: In6Addr | null): In6Addr | null {
  let bestLen = best === null ? -1 : commonPrefixLen(best.addr, dst);
  for (let k = 0; k < addrs.length; k++) {
    const a = addrs[k];
    if (!in6Usable(a) || !scopeMatches(a, dst)) continue;
    const len = commonPrefixLen(a.addr, dst);
    if (len > bestLen) {
      best = a;
      bestLen = len;
    }
  }
  return best;
}

/** Sends one packet from this stack (raw IPv6 output, like ip6_output(9)). */
export function ip6Send(stack: NetStack, opts: Ip6SendOptions): SendResult {
  const inet6 = inet6Of(stack);
  const dst = opts.dst;
  if (isIpv6Unspecified(dst)) return sendError('EADDRNOTAVAIL');
  let src = opts.src ?? null;
  if (src !== null && !isIpv6Unspecified(src) && in6Local(stack, src, 0) === null) return sendError('EADDRNOTAVAIL');
  const zone = opts.zone ?? -1;
  if (isIpv6Loopback(dst) || (zone === stack.loIndex && isIpv6LinkLocal(dst))) in6Loopback(stack);
  // The destination sent to last without a source: known not ours, its source chosen (no address changed since).
  const c = src === null ? inet6.srcCache : null;
  const again = c !== null && ipv6WordsEqual(c, dst, 0);
  if (!again && in6Local(stack, dst, 0) !== null) {
    src ??= dst;
    loopback(stack, buildPacket(stack, src, dst, opts));
    return SEND_OK;
  }
  let ifIndex: number;
  let nextHop = dst;
  if (isIpv6Multicast(dst)) {
    if (zone < 0) return sendError('EHOSTUNREACH');
    ifIndex = zone;
  } else {
    const r = route6Find(stack, dst, 0, zone);
    if (stack.explain !== null) explainRoute6(stack, stack.explain, dst, 0, r, zone);
    if (r === null) return sendError('EHOSTUNREACH');
    ifIndex = r.ifIndex;
    if (r.gateway !== null) nextHop = r.gateway;
  }
  const iface = stack.ifaces[ifIndex];
  if (!iface.up || (!iface.loopback && !iface.carrier)) {
    iface.counters.errors++;
    return sendError('ENETDOWN');
  }
  if (inet6.ifs[ifIndex].disabled) return sendError('ENETDOWN');
  if (src === null) {
    if (again && c.ifIndex === ifIndex) src = c.src;
    else {
      src = in6SelectSource(stack, dst, ifIndex);
      if (src === null) return sendError('EADDRNOTAVAIL');
      // Unicast only: an idle node's own multicast (DAD, MLD) never creates the cache.
      if (!isIpv6Multicast(dst)) rememberSource(inet6, dst, ifIndex, src);
    }
  }
  const len = IPV6_HEADER_LEN + upperLen(opts);
  // RFC 4861 §6.3.4: a link MTU advertised by a router caps the interface's (host with RAs only).
  const linkMtu = inet6.rtr === undefined ? iface.mtu : nd6LinkMtu(stack, ifIndex);
  const mtu = opts.minMtu ? Math.min(IPV6_MIN_MTU, linkMtu) : pmtuFor(stack, dst, linkMtu);
  if (len > mtu) {
    if (len > 65_535 + IPV6_HEADER_LEN) return sendError('EMSGSIZE');
    // RFC 8200 §5: the source fragments to the path MTU.
    const whole = buildPacket(stack, src, dst, opts);
    inet6.stats.sent++;
    for (const f of fragment6(stack, whole, mtu)) {
      const fr = stack.env.frames.alloc(Math.max(60, 14 + f.length));
      fr.set(f, 14);
      writeSrcMac(fr, iface);
      fr[12] = 0x86;
      fr[13] = 0xdd;
      const r = ip6OutputFrame(stack, iface, fr, nextHop, 0, opts.inIf ?? -1);
      if (!r.ok) return r;
    }
    return SEND_OK;
  }
  const frame = stack.env.frames.alloc(Math.max(60, 14 + len));
  writeSrcMac(frame, iface);
  frame[12] = 0x86;
  frame[13] = 0xdd;
  emitInto(stack, frame, 14, src, dst, opts);
  inet6.stats.sent++;
  return ip6OutputFrame(stack, iface, frame, nextHop, 0, opts.inIf ?? -1);
}

/** Caches the source chosen for `dst` (not one of ours) leaving by `ifIndex`, reusing the cache object. */
function rememberSource(inet6: Inet6State, dst: Ipv6Addr, ifIndex: number, src: Ipv6Addr): void {
  const c = (inet6.srcCache ??= { d0: 0, d1: 0, d2: 0, d3: 0, ifIndex, src });
  setIpv6Words(c, dst, 0);
  c.ifIndex = ifIndex;
  c.src = src;
}

/**
 * A finished IPv6 frame onto `iface` toward the next hop (16 bytes at `hopOff` of `hop`, so the
 * forwarding path need not copy it): multicast by its group MAC, unicast through ND.
 */
export function ip6OutputFrame(stack: NetStack, iface: Iface, frame: Uint8Array, hop: Uint8Array, hopOff: number, inIf: number): SendResult {
  if (isIpv6Multicast(hop, hopOff)) {
    const mac = multicastMacOf(hop, hopOff);
    writeMacParts(frame, 0, Math.floor(mac / 0x1_0000_0000), mac >>> 0);
    transmitFrame(stack, iface, frame, inIf);
    return SEND_OK;
  }
  const errno = nd6Output(stack, iface.index, hop, hopOff, frame, inIf);
  return errno === null ? SEND_OK : sendError(errno);
}

function emitInto(stack: NetStack, buf: Uint8Array, off: number, src: Ipv6Addr, dst: Ipv6Addr, opts: Ip6SendOptions): void {
  const ulen = upperLen(opts);
  emitIpv6Fields(buf, off, src, dst, opts.next, opts.hopLimit ?? inet6Of(stack).hopLimit, ulen);
  let p = off + IPV6_HEADER_LEN;
  const upper = p;
  if (opts.udp !== undefined) {
    emitUdpHeader(buf, p, opts.udp.srcPort, opts.udp.dstPort, ulen);
    p += UDP_HEADER_LEN;
  }
  buf.set(opts.payload, p);
  if (opts.checksumAt >= 0) fillUpperChecksumIpv6(buf, off, upper, ulen, opts.next, upper + opts.checksumAt);
}

function buildPacket(stack: NetStack, src: Ipv6Addr, dst: Ipv6Addr, opts: Ip6SendOptions): Uint8Array {
  const buf = new Uint8Array(IPV6_HEADER_LEN + upperLen(opts));
  emitInto(stack, buf, 0, src, dst, opts);
  return buf;
}

interface LoopArg {
  stack: NetStack;
  packet: Uint8Array;
}

/** Packets to our own addresses come back in as lo0 input on the next event. */
function loopback(stack: NetStack, packet: Uint8Array): void {
  const lo = stack.ifaces[stack.loIndex];
  lo.counters.txPackets++;
  lo.counters.txBytes += packet.length;
  inet6Of(stack).stats.sent++;
  stack.env.sim.schedule(0, loopDeliver, { stack, packet } satisfies LoopArg);
}

function loopDeliver(arg: LoopArg): void {
  const lo = arg.stack.ifaces[arg.stack.loIndex];
  lo.counters.rxPackets++;
  lo.counters.rxBytes += arg.packet.length;
  ip6LocalInput(arg.stack, lo, arg.packet, 0, arg.packet.length);
}
