// IPv4 forwarding on routers (RFC 1812 §5.2–5.3): TTL check and incremental-checksum
// decrement, route lookup, next-hop resolution, fragmentation or frag-needed, and the
// ICMP errors a router sends. The hot path: at most one frame copy (none when the router
// alone holds the frame: it is rewritten in place), no closures, no string keys.
// Must not deliver locally (ip-input.ts decides that before calling here).

import { fragmentIpv4 } from '../wire/fragment';
import { ICMP_TIME_EXCEEDED, ICMP_TYPE, ICMP_UNREACH } from '../wire/icmp';
import { ipv4DecrementTtl } from '../wire/ipv4';
import { arpOutput } from './arp';
import { DROP } from './env';
import { explainRoute, explainTtl } from './explain';
import { REWRITABLE_BYTES, REWRITE_MIN_BYTES, saveRewritable, swapRewritable } from './frame-alloc';
import { icmpSendError } from './icmp';
import { ipOutputDatagram } from './ip-output';
import { allocIpv4Frame, traceDrop, writeSrcMac } from './link-output';
import { pfilOut } from './pfil';
import { routeFind } from './route';
import type { Iface, NetStack } from './types';

/** Forwards the validated datagram at `off` in `frame` (header length `hl`, total length `total`). */
export function ipForward(stack: NetStack, inIface: Iface, frame: Uint8Array, off: number, hl: number, total: number): void {
  const inIf = inIface.index;
  const src = ((frame[off + 12] << 24) | (frame[off + 13] << 16) | (frame[off + 14] << 8) | frame[off + 15]) >>> 0;
  // dst and nextHop stay int32 (small integers in V8) for the Map keys of the route cache and ARP.
  const dst = (frame[off + 16] << 24) | (frame[off + 17] << 16) | (frame[off + 18] << 8) | frame[off + 19];
  // RFC 1812 §5.3.7: martian source or destination addresses are never forwarded.
  if (src === 0 || src >>> 24 === 127 || src >>> 28 >= 0xe || dst === 0 || dst >>> 24 === 127) {
    traceDrop(stack, inIf, frame, DROP.MALFORMED);
    return;
  }
  if (frame[off + 8] <= 1) {
    icmpSendError(stack, frame, off, ICMP_TYPE.TIME_EXCEEDED, ICMP_TIME_EXCEEDED.TTL, 0, inIf); // RFC 1812 §5.3.1
    traceDrop(stack, inIf, frame, DROP.TTL_EXCEEDED);
    return;
  }
  const route = routeFind(stack, dst);
  if (stack.explain !== null) explainRoute(stack, stack.explain, dst, route);
  if (route === null) {
    icmpSendError(stack, frame, off, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.NET, 0, inIf);
    traceDrop(stack, inIf, frame, DROP.NO_ROUTE);
    return;
  }
  const out = stack.ifaces[route.ifIndex];
  if (!out.up || !out.carrier || out.loopback) {
    icmpSendError(stack, frame, off, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.HOST, 0, inIf);
    // Charged to the interface that could not send it, with why: carrier lost or admin down.
    if (out.loopback) traceDrop(stack, inIf, frame, DROP.NO_ROUTE);
    else traceDrop(stack, out.index, frame, out.up ? DROP.LINK_DOWN : DROP.IFACE_DOWN);
    return;
  }
  if (dst >>> 0 === route.broadcast) {
    traceDrop(stack, inIf, frame, DROP.NOT_FORWARDING); // directed broadcast (RFC 2644)
    return;
  }
  if (stack.fw !== null && !pfilOut(stack, out, frame, off, inIf)) return;
  const nextHop = route.gateway !== 0 ? route.gateway | 0 : dst;
  if (total > out.mtu) {
    forwardFragmented(stack, inIf, out, frame, off, total, nextHop, route.gateway !== 0);
    return;
  }
  const inPlace = rewritable(stack, frame, off, total);
  let copy: Uint8Array;
  if (inPlace) {
    // FreeBSD's ip_forward keeps the header aside for an ICMP error before it decrements the TTL.
    saveRewritable(frame, quoteHead, 0);
    writeSrcMac(frame, out);
    copy = frame;
  } else copy = copyForOutput(stack, out, frame, off, total);
  ipv4DecrementTtl(copy, 14);
  if (stack.explain !== null) explainTtl(stack, stack.explain, frame, off, copy, 14);
  stack.stats.ipForwarded++;
  if (arpOutput(stack, out, nextHop, copy, inIf, route.gateway !== 0) !== null) {
    // Next hop is down (ARP gave up): the frame was not sent, and the error quotes it as it came in.
    if (inPlace) swapRewritable(frame, quoteHead, 0);
    icmpSendError(stack, frame, off, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.HOST, 0, inIf);
  }
}

/** The REWRITABLE bytes of a frame rewritten in place, as it came in (one forward at a time). */
const quoteHead = new Uint8Array(REWRITABLE_BYTES);

/**
 * The frame can be forwarded by rewriting it in place (frame-alloc.ts): large, untagged,
 * exactly the datagram (no trailer to clear), and held by this stack alone (asked last:
 * once granted, it must be rewritten).
 */
function rewritable(stack: NetStack, frame: Uint8Array, off: number, total: number): boolean {
  return off === 14 && frame.length > REWRITE_MIN_BYTES && frame.length === 14 + total && stack.explain === null && stack.env.claimForRewrite !== undefined && stack.env.claimForRewrite(frame);
}

/**
 * The outgoing frame: one copy of the datagram behind a fresh Ethernet header (the input
 * frame is immutable). An untagged input frame is copied whole (one memcpy into frame
 * memory from frame-alloc.ts), then its source MAC rewritten.
 */
function copyForOutput(stack: NetStack, out: Iface, frame: Uint8Array, off: number, total: number): Uint8Array {
  const flen = total < 46 ? 60 : 14 + total;
  if (off !== 14 || frame.length < flen) {
    const copy = allocIpv4Frame(stack, out, total);
    copy.set(frame.subarray(off, off + total), 14);
    return copy;
  }
  // Ethernet padding past the datagram stays zero: it carries no input bytes.
  const copy = stack.env.frames.copy(frame, 0, 14 + total, flen);
  writeSrcMac(copy, out);
  return copy;
}

/** Datagram larger than the outgoing MTU: frag-needed when DF is set (RFC 1191), else fragments (RFC 791). */
function forwardFragmented(stack: NetStack, inIf: number, out: Iface, frame: Uint8Array, off: number, total: number, nextHop: number, viaGateway: boolean): void {
  if ((frame[off + 6] & 0x40) !== 0) {
    icmpSendError(stack, frame, off, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.FRAG_NEEDED, out.mtu, inIf);
    traceDrop(stack, inIf, frame, DROP.FRAG_NEEDED);
    return;
  }
  const datagram = frame.slice(off, off + total);
  ipv4DecrementTtl(datagram, 0);
  const pieces = fragmentIpv4(datagram, out.mtu);
  if (pieces === null) {
    traceDrop(stack, inIf, frame, DROP.MALFORMED);
    return;
  }
  stack.stats.ipForwarded++;
  stack.stats.ipFragmentsCreated += pieces.length;
  for (const p of pieces) {
    if (ipOutputDatagram(stack, out, p, nextHop, false, inIf, viaGateway) !== null) {
      icmpSendError(stack, frame, off, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.HOST, 0, inIf);
      return;
    }
  }
}
