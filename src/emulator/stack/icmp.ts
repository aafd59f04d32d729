// ICMPv4 behaviour of one stack: echo replies, error generation (unreachable, time
// exceeded) with the rules about when never to send one, the reply's source address
// (FreeBSD icmp_reflect), FreeBSD's icmplim rate limit as a token bucket in virtual time,
// and delivery of received messages to local apps. Must not build headers by hand
// (wire/icmp.ts does). RFC 792, RFC 1122 §3.2.2, RFC 1812 §4.3.2.

import { formatIpv4, readU16 } from '../wire/addr';
import { ETH_HEADER_LEN } from '../wire/ethernet';
import {
  buildIcmp,
  ICMP_HEADER_LEN,
  ICMP_QUOTED_DATA_LEN,
  ICMP_TYPE,
  ICMP_UNREACH,
  icmpEchoReply,
  icmpError,
  IcmpView,
  isIcmpError,
  parseIcmp,
  type IcmpRepr,
} from '../wire/icmp';
import { IP_PROTO, Ipv4View, parseIpv4Quoted } from '../wire/ipv4';
import { DROP } from './env';
import { traceDrop } from './link-output';
import { ipSend, selectSource } from './ip-output';
import { tcpCtlInput } from './tcp/tcp-ctlinput';
import { ifaceUsable, routeFind } from './route';
import type { IcmpDelivery, IcmpListener, IcmpQuoted, Iface, NetStack } from './types';
import { explainDeliver } from './explain';

/** net.inet.icmp.icmplim */
export const ICMP_LIMIT_PER_S = 200;

/** icmpOpen: every ICMP message received locally goes to `listener` until the returned function is called. */
export function icmpOpen(stack: NetStack, listener: IcmpListener): () => void {
  stack.icmpListeners.push(listener);
  return () => {
    const i = stack.icmpListeners.indexOf(listener);
    if (i >= 0) stack.icmpListeners.splice(i, 1);
  };
}

/** Token bucket refilled at icmplim per second of virtual time; true when an error may go out. */
function rateAllows(stack: NetStack): boolean {
  const l = stack.icmpLimit;
  const now = stack.env.sim.now();
  l.tokens = Math.min(l.perSecond, l.tokens + ((now - l.lastNs) * l.perSecond) / 1e9);
  l.lastNs = now;
  if (l.tokens < 1) return false;
  l.tokens -= 1;
  return true;
}

function isBadSource(stack: NetStack, a: number): boolean {
  return a === 0 || a === 0xffff_ffff || a >>> 28 >= 0xe || a >>> 24 === 127 || stack.broadcasts.has(a);
}

/** FreeBSD's net.inet.icmp.quotelen: 576 − 28 bytes of the offending datagram's data (RFC 1812 §4.3.2.3). */
export const ICMP_QUOTE_BYTES = 548;

/**
 * Sends an ICMP error about the datagram at `ipOff` in `buf` back to its source, unless
 * RFC 1812 §4.3.2.7 forbids it (error about an ICMP error, non-first fragment, broadcast
 * or multicast destination or link-layer broadcast, bad source), the rate limit applies,
 * or there is no route back (FreeBSD icmp_reflect: dropped and counted as icmpNoRoute).
 * Returns whether the error went out.
 */
export function icmpSendError(stack: NetStack, buf: Uint8Array, ipOff: number, type: number, code: number, nextHopMtu: number, inIf: number): boolean {
  if (!Ipv4View.checkHeader(buf, ipOff, buf.length - ipOff)) return false;
  const v = new Ipv4View(buf, ipOff);
  const src = v.src;
  const dst = v.dst;
  if (v.fragOffset !== 0 || isBadSource(stack, src)) return false;
  if (dst === 0xffff_ffff || dst >>> 28 === 0xe || stack.broadcasts.has(dst)) return false;
  if (ipOff >= ETH_HEADER_LEN && (buf[0] & 1) === 1) return false; // received as link-layer broadcast/multicast
  const hl = v.headerLen;
  if (v.proto === IP_PROTO.ICMP && buf.length > ipOff + hl && isIcmpError(buf[ipOff + hl])) return false;
  if (!rateAllows(stack)) {
    stack.stats.icmpRateLimited++;
    return false;
  }
  const from = icmpReflectSource(stack, src, dst, inIf);
  if (from === 0) {
    stack.stats.icmpNoRoute++;
    return false;
  }
  const avail = Math.min(v.totalLen, buf.length - ipOff);
  const datagram = buf.subarray(ipOff, ipOff + avail);
  const msg = buildIcmp(icmpError(type, code, datagram, { nextHopMtu, quoteBytes: ICMP_QUOTE_BYTES }));
  if (stack.explain !== null) stack.explain.step(stack.nodeIndex, { kind: 'icmp-error', layer: 'network', type, code, to: formatIpv4(src) });
  stack.stats.icmpSent++;
  return ipSend(stack, { dst: src, proto: IP_PROTO.ICMP, payload: msg, src: from }).ok;
}

/**
 * The source address of an ICMP message answering a datagram from `src` to `dst` that
 * arrived on `inIf` (-1: none), as FreeBSD's icmp_reflect() picks it with
 * net.inet.icmp.reply_from_interface=0 (the default, as Linux's
 * icmp_errors_use_inbound_ifaddr=0): the datagram was addressed to one of our addresses
 * → that address; to the broadcast address of the receiving interface → that interface's
 * address; in transit → the address of the interface on the route back to `src`. Returns
 * 0 when there is no usable route back: the message must not be sent.
 */
export function icmpReflectSource(stack: NetStack, src: number, dst: number, inIf: number): number {
  if (stack.local.has(dst)) return dst;
  const iface = inIf >= 0 ? stack.ifaces[inIf] : undefined;
  if (iface !== undefined && !iface.loopback) {
    for (const a of iface.addrs) if (a.broadcast !== 0 && a.broadcast === dst) return a.addr;
  }
  const back = routeFind(stack, src);
  if (back === null) return 0;
  const out = stack.ifaces[back.ifIndex];
  // fib4_lookup() returns no next hop when its interface's link is down.
  if (!ifaceUsable(out)) return 0;
  // The route back to one of our own addresses is its host route on lo0: that address.
  if (out.loopback) return src;
  return selectSource(out, back.gateway !== 0 ? back.gateway : src);
}

/**
 * ICMP message in the datagram at `ipOff` (header length `hl`, total length `totalLen`),
 * delivered to us. Replies to echo requests (not to broadcasts: FreeBSD bmcastecho=0).
 */
export function icmpInput(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, hl: number, totalLen: number, broadcast: boolean): void {
  const off = ipOff + hl;
  const len = totalLen - hl;
  if (!IcmpView.check(buf, off, len)) {
    traceDrop(stack, iface.index, buf, DROP.MALFORMED);
    return;
  }
  const icmp = new IcmpView(buf, off, len);
  if (!icmp.checksumValid()) {
    traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
    return;
  }
  stack.stats.icmpReceived++;
  const ip = new Ipv4View(buf, ipOff);
  const src = ip.src;
  const dst = ip.dst;
  if (icmp.type === ICMP_TYPE.ECHO_REQUEST && !broadcast) {
    const request = parseIcmp(buf, off, len, false) as IcmpRepr; // IcmpView.check passed
    const from = icmpReflectSource(stack, src, dst, iface.index);
    if (from === 0) {
      stack.stats.icmpNoRoute++;
    } else {
      stack.stats.icmpSent++;
      if (stack.explain !== null) stack.explain.step(stack.nodeIndex, { kind: 'echo-reply', layer: 'network', to: formatIpv4(src) });
      ipSend(stack, { dst: src, proto: IP_PROTO.ICMP, payload: buildIcmp(icmpEchoReply(request)), src: from });
    }
  }
  // Errors about our own TCP segments (tcp_ctlinput).
  if (stack.tcp !== null && isIcmpError(icmp.type)) tcpCtlInput(stack, buf, off, len);
  if (stack.icmpListeners.length > 0) {
    if (stack.explain !== null) explainDeliver(stack, stack.explain, 'icmp', `icmp socket (${stack.icmpListeners.length} open)`, '');
    deliver(stack, iface, ip, icmp, src, dst);
  }
}

function deliver(stack: NetStack, iface: Iface, ip: Ipv4View, icmp: IcmpView, src: number, dst: number): void {
  const type = icmp.type;
  const m: IcmpDelivery = {
    src,
    dst,
    ttl: ip.ttl,
    type,
    code: icmp.code,
    payload: icmp.buf.slice(icmp.dataOffset, icmp.off + icmp.len),
    timeNs: stack.env.sim.now(),
    ifIndex: iface.index,
  };
  if (type === ICMP_TYPE.ECHO_REPLY || type === ICMP_TYPE.ECHO_REQUEST || type === ICMP_TYPE.TIMESTAMP || type === ICMP_TYPE.TIMESTAMP_REPLY) {
    m.ident = icmp.ident;
    m.seq = icmp.seq;
  } else if (isIcmpError(type)) {
    if (type === ICMP_TYPE.DST_UNREACHABLE && m.code === ICMP_UNREACH.FRAG_NEEDED) m.nextHopMtu = icmp.nextHopMtu;
    const q = parseQuoted(m.payload);
    if (q) m.quoted = q;
  }
  for (const l of stack.icmpListeners.slice()) l(m);
}

/** The original header + 8 bytes quoted in an error, with ports or echo ids when present. */
export function parseQuoted(data: Uint8Array): IcmpQuoted | null {
  const r = parseIpv4Quoted(data, 0, data.length);
  if (!r) return null;
  const q: IcmpQuoted = { src: r.src, dst: r.dst, proto: r.proto, id: r.id, ttl: r.ttl };
  const hl = new Ipv4View(data, 0).headerLen;
  if (r.fragOffset === 0 && data.length >= hl + ICMP_QUOTED_DATA_LEN) {
    if (r.proto === IP_PROTO.UDP || r.proto === IP_PROTO.TCP) {
      // Both transports start with source and destination port (RFC 768, RFC 793 §3.1).
      q.srcPort = readU16(data, hl);
      q.dstPort = readU16(data, hl + 2);
    } else if (r.proto === IP_PROTO.ICMP) {
      const quoted = new IcmpView(data, hl, ICMP_HEADER_LEN);
      q.icmpType = quoted.type;
      q.ident = quoted.ident;
      q.seq = quoted.seq;
    }
  }
  return q;
}
