// ICMPv4 behaviour of one stack: echo replies, error generation (unreachable, time
// exceeded) with the rules about when never to send one, FreeBSD's icmplim rate limit
// as a token bucket in virtual time, and delivery of received messages to local apps.
// Must not build headers by hand (wire/icmp.ts does). RFC 792, RFC 1122 §3.2.2, RFC 1812 §4.3.2.

import { internetChecksum } from '../wire/checksum';
import { buildIcmp, ICMP_HEADER_LEN, ICMP_TYPE, icmpError, isIcmpError } from '../wire/icmp';
import { IP_PROTO, Ipv4View, parseIpv4Quoted } from '../wire/ipv4';
import { DROP } from './env';
import { traceDrop } from './link-output';
import { ipSend } from './ip-output';
import type { IcmpDelivery, IcmpListener, IcmpQuoted, Iface, NetStack } from './types';

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
 * or multicast destination or link-layer broadcast, bad source) or the rate limit applies.
 */
export function icmpSendError(stack: NetStack, buf: Uint8Array, ipOff: number, type: number, code: number, nextHopMtu: number, inIf: number): void {
  if (!Ipv4View.checkHeader(buf, ipOff, buf.length - ipOff)) return;
  const v = new Ipv4View(buf, ipOff);
  const src = v.src;
  const dst = v.dst;
  if (v.fragOffset !== 0 || isBadSource(stack, src)) return;
  if (dst === 0xffff_ffff || dst >>> 28 === 0xe || stack.broadcasts.has(dst)) return;
  if (ipOff >= 14 && (buf[0] & 1) === 1) return; // received as link-layer broadcast/multicast
  const hl = v.headerLen;
  if (v.proto === IP_PROTO.ICMP && buf.length > ipOff + hl && isIcmpError(buf[ipOff + hl])) return;
  if (!rateAllows(stack)) {
    stack.stats.icmpRateLimited++;
    return;
  }
  const avail = Math.min(v.totalLen, buf.length - ipOff);
  const datagram = buf.subarray(ipOff, ipOff + avail);
  const msg = buildIcmp(icmpError(type, code, datagram, { nextHopMtu, quoteBytes: ICMP_QUOTE_BYTES }));
  // FreeBSD icmp_reflect: answer from the address the datagram was sent to when it is
  // ours, else from the address of the interface it arrived on.
  let from = stack.local.has(dst) ? dst : 0;
  if (from === 0 && inIf >= 0) {
    const iface = stack.ifaces[inIf];
    if (iface !== undefined && iface.addrs.length > 0 && !iface.loopback) from = iface.addrs[0].addr;
  }
  stack.stats.icmpSent++;
  ipSend(stack, from !== 0 ? { dst: src, proto: IP_PROTO.ICMP, payload: msg, src: from } : { dst: src, proto: IP_PROTO.ICMP, payload: msg });
}

/**
 * ICMP message in the datagram at `ipOff` (header length `hl`, total length `totalLen`),
 * delivered to us. Replies to echo requests (not to broadcasts: FreeBSD bmcastecho=0).
 */
export function icmpInput(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, hl: number, totalLen: number, broadcast: boolean): void {
  const off = ipOff + hl;
  const len = totalLen - hl;
  if (len < ICMP_HEADER_LEN) {
    traceDrop(stack, iface.index, buf, DROP.MALFORMED);
    return;
  }
  if (internetChecksum(buf, off, len) !== 0) {
    traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
    return;
  }
  stack.stats.icmpReceived++;
  const type = buf[off];
  const src = ((buf[ipOff + 12] << 24) | (buf[ipOff + 13] << 16) | (buf[ipOff + 14] << 8) | buf[ipOff + 15]) >>> 0;
  const dst = ((buf[ipOff + 16] << 24) | (buf[ipOff + 17] << 16) | (buf[ipOff + 18] << 8) | buf[ipOff + 19]) >>> 0;
  if (type === ICMP_TYPE.ECHO_REQUEST && !broadcast) {
    const reply = buf.slice(off, off + len);
    reply[0] = ICMP_TYPE.ECHO_REPLY;
    reply[2] = 0;
    reply[3] = 0;
    const c = internetChecksum(reply, 0, len);
    reply[2] = c >>> 8;
    reply[3] = c & 0xff;
    stack.stats.icmpSent++;
    ipSend(stack, { dst: src, proto: IP_PROTO.ICMP, payload: reply, src: stack.local.has(dst) ? dst : undefined });
  }
  if (stack.icmpListeners.length > 0) deliver(stack, iface, buf, ipOff, off, len, src, dst);
}

function deliver(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, off: number, len: number, src: number, dst: number): void {
  const type = buf[off];
  const m: IcmpDelivery = {
    src,
    dst,
    ttl: buf[ipOff + 8],
    type,
    code: buf[off + 1],
    payload: buf.slice(off + ICMP_HEADER_LEN, off + len),
    timeNs: stack.env.sim.now(),
    ifIndex: iface.index,
  };
  if (type === ICMP_TYPE.ECHO_REPLY || type === ICMP_TYPE.ECHO_REQUEST || type === ICMP_TYPE.TIMESTAMP || type === ICMP_TYPE.TIMESTAMP_REPLY) {
    m.ident = (buf[off + 4] << 8) | buf[off + 5];
    m.seq = (buf[off + 6] << 8) | buf[off + 7];
  } else if (isIcmpError(type)) {
    if (type === ICMP_TYPE.DST_UNREACHABLE && m.code === 4) m.nextHopMtu = (buf[off + 6] << 8) | buf[off + 7];
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
  const hl = (data[0] & 0x0f) * 4;
  if (r.fragOffset === 0 && data.length >= hl + 8) {
    const w0 = (data[hl] << 8) | data[hl + 1];
    const w1 = (data[hl + 2] << 8) | data[hl + 3];
    if (r.proto === IP_PROTO.UDP || r.proto === IP_PROTO.TCP) {
      q.srcPort = w0;
      q.dstPort = w1;
    } else if (r.proto === IP_PROTO.ICMP) {
      q.icmpType = data[hl];
      q.ident = (data[hl + 4] << 8) | data[hl + 5];
      q.seq = (data[hl + 6] << 8) | data[hl + 7];
    }
  }
  return q;
}
