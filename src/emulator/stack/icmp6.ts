// ICMPv6 behaviour of one stack (FreeBSD icmp6.c): echo replies, NDP dispatch, error
// generation with the rules about when never to send one, the errppslimit token bucket in
// virtual time, FreeBSD's icmp6_reflect source choice, and delivery to local listeners.
// Must not build message bytes by hand beyond echo (wire/icmpv6.ts does). RFC 4443 §2.2,
// §2.4 (e.1-e.6 never-send rules, f rate limit), §4.2 (echo reply); RFC 4861 §6-7.

import { in6Local, inet6Of } from './in6';
import { upperChecksumOkIpv6 } from '../wire/checksum';
import { buildIcmpv6, ICMPV6_HEADER_LEN, ICMPV6_TYPE, icmpv6EchoReplyTo, icmpv6Error, parseIcmpv6 } from '../wire/icmpv6';
import { IPV6_HEADER_LEN, IPV6_NEXT, Ipv6View, walkIpv6Chain } from '../wire/ipv6';
import { ipv6Key, isIpv6LinkScope, isIpv6Multicast, isIpv6Unspecified, readIpv6 } from '../wire/ipv6-addr';
import { DROP } from './env';
import type { Icmp6Delivery, Icmp6Listener } from './inet6-types';
import { in6SelectSource, ip6Send } from './ip6-output';
import { pmtuUpdate } from './frag6';
import { traceDrop } from './link-output';
import { nd6NaInput, nd6NsInput } from './nd6';
import { nd6RaInput } from './nd6-rtr';
import { route6Find } from './route6';
import type { Iface, NetStack } from './types';

/** Every ICMPv6 message delivered locally goes to `listener` until the returned function is called. */
export function icmp6Open(stack: NetStack, listener: Icmp6Listener): () => void {
  inet6Of(stack).listeners.push(listener);
  return () => {
    const i = inet6Of(stack).listeners.indexOf(listener);
    if (i >= 0) inet6Of(stack).listeners.splice(i, 1);
  };
}

function rateAllows(stack: NetStack): boolean {
  const l = inet6Of(stack).icmpLimit;
  const now = stack.env.sim.now();
  l.tokens = Math.min(l.perSecond, l.tokens + ((now - l.lastNs) * l.perSecond) / 1e9);
  l.lastNs = now;
  if (l.tokens < 1) return false;
  l.tokens -= 1;
  return true;
}

/** net.inet6.icmp6.errppslimit; 0 disables errors. */
export function setIcmp6Limit(stack: NetStack, perSecond: number): void {
  const l = inet6Of(stack).icmpLimit;
  l.perSecond = perSecond;
  l.tokens = Math.min(l.tokens, perSecond);
}

/**
 * Sends an ICMPv6 error about the packet at `ipOff` in `buf` to its source, unless RFC 4443
 * §2.4(e) forbids it (about an error or redirect, to a multicast destination or link-layer
 * multicast except Packet Too Big / unrecognised option, from an unspecified or multicast
 * source) or the rate limit applies (§2.4(f)). The source is FreeBSD icmp6_reflect's: the
 * address the packet was sent to when it is ours, else an address of the interface on the
 * route back to the sender, not the one it came in on.
 */
export function icmp6SendError(stack: NetStack, buf: Uint8Array, ipOff: number, type: number, code: number, word: number, inIf: number): void {
  if (!Ipv6View.checkHeader(buf, ipOff, buf.length - ipOff)) return;
  const v = new Ipv6View(buf, ipOff);
  const src = readIpv6(buf, v.srcOffset);
  const dst = readIpv6(buf, v.dstOffset);
  if (isIpv6Unspecified(src) || isIpv6Multicast(src)) return;
  const mayMulticast = type === ICMPV6_TYPE.PACKET_TOO_BIG || (type === ICMPV6_TYPE.PARAM_PROBLEM && code === 2);
  const linkGroup = ipOff >= 14 && (buf[0] & 1) === 1;
  if ((isIpv6Multicast(dst) || linkGroup) && !mayMulticast) return;
  const end = Math.min(buf.length, ipOff + IPV6_HEADER_LEN + v.payloadLen);
  const chain = walkIpv6Chain(buf, ipOff, end);
  if (chain.ok && chain.value.proto === IPV6_NEXT.ICMPV6 && chain.value.upperLen >= 1) {
    const t = buf[chain.value.upperOff];
    if (t < 128 || t === ICMPV6_TYPE.REDIRECT) return;
  }
  if (!rateAllows(stack)) {
    inet6Of(stack).stats.icmpRateLimited++;
    return;
  }
  const zone = isIpv6LinkScope(src) ? inIf : -1;
  let from = in6Local(stack, dst, 0) !== null ? dst : null;
  if (from === null) {
    const back = route6Find(stack, src, 0, zone);
    if (back === null) return;
    from = in6SelectSource(stack, src, back.ifIndex);
    if (from === null) return;
  }
  const msg = buildIcmpv6(icmpv6Error(type, code, buf.subarray(ipOff, end), word), from, src);
  inet6Of(stack).stats.icmpSent++;
  ip6Send(stack, { dst: src, src: from, next: IPV6_NEXT.ICMPV6, payload: msg, checksumAt: 2, zone });
}

/**
 * An ICMPv6 message for us: `off`/`len` is the message inside the packet at `ipOff`.
 * Answers echo requests (also to ff02::1, as FreeBSD does), feeds NDP, delivers to listeners.
 */
export function icmp6Input(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, off: number, len: number): void {
  if (len < ICMPV6_HEADER_LEN) return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
  if (!upperChecksumOkIpv6(buf, ipOff, off, len, IPV6_NEXT.ICMPV6)) {
    return traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
  }
  inet6Of(stack).stats.icmpReceived++;
  const type = buf[off];
  const src = readIpv6(buf, ipOff + 8);
  const dst = readIpv6(buf, ipOff + 24);
  const hopLimit = buf[ipOff + 7];
  if (type === ICMPV6_TYPE.NEIGHBOR_SOLICIT || type === ICMPV6_TYPE.NEIGHBOR_ADVERT) {
    const m = parseIcmpv6(buf, off, len);
    if (!m.ok || m.value.nd === undefined || buf[off + 1] !== 0) return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
    if (type === ICMPV6_TYPE.NEIGHBOR_SOLICIT) nd6NsInput(stack, iface.index, src, dst, hopLimit, m.value.nd);
    else nd6NaInput(stack, iface.index, dst, hopLimit, m.value.nd);
    return;
  }
  // Router advertisements feed SLAAC on interfaces that accept them (nd6-rtr.ts); RS go to rtadvd through the listeners.
  if (type === ICMPV6_TYPE.ROUTER_ADVERT && stack.inet6?.rtr !== undefined) {
    const m = parseIcmpv6(buf, off, len);
    if (!m.ok || m.value.nd === undefined || buf[off + 1] !== 0) return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
    nd6RaInput(stack, iface.index, src, hopLimit, m.value.nd);
  }
  if (type === ICMPV6_TYPE.ECHO_REQUEST) echoReply(stack, iface, buf, off, len, src, dst);
  // RFC 8201 §4: Packet Too Big about a packet we sent lowers the path MTU to its destination.
  if (type === ICMPV6_TYPE.PACKET_TOO_BIG && len >= ICMPV6_HEADER_LEN + IPV6_HEADER_LEN) {
    pmtuUpdate(stack, buf.subarray(off + 32, off + 48), ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0);
  }
  if (inet6Of(stack).listeners.length > 0) deliver(stack, iface, buf, off, len, src, dst, hopLimit);
}

function echoReply(stack: NetStack, iface: Iface, buf: Uint8Array, off: number, len: number, src: Uint8Array, dst: Uint8Array): void {
  if (isIpv6Unspecified(src) || isIpv6Multicast(src)) return;
  const reply = icmpv6EchoReplyTo(buf, off, len);
  const zone = isIpv6LinkScope(src) ? (iface.loopback ? -1 : iface.index) : -1;
  const from = isIpv6Multicast(dst) ? undefined : dst;
  inet6Of(stack).stats.icmpSent++;
  ip6Send(stack, { dst: src, src: from, next: IPV6_NEXT.ICMPV6, payload: reply, checksumAt: 2, zone });
}

function deliver(stack: NetStack, iface: Iface, buf: Uint8Array, off: number, len: number, src: Uint8Array, dst: Uint8Array, hopLimit: number): void {
  const type = buf[off];
  const m: Icmp6Delivery = {
    src,
    dst,
    hopLimit,
    type,
    code: buf[off + 1],
    payload: buf.slice(off + ICMPV6_HEADER_LEN, off + len),
    length: len,
    timeNs: stack.env.sim.now(),
    ifIndex: iface.index,
  };
  if (type === ICMPV6_TYPE.ECHO_REQUEST || type === ICMPV6_TYPE.ECHO_REPLY) {
    m.ident = (buf[off + 4] << 8) | buf[off + 5];
    m.seq = (buf[off + 6] << 8) | buf[off + 7];
  } else if (type < 128) {
    m.word = ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0;
  }
  for (const l of inet6Of(stack).listeners.slice()) l(m);
}
