// IPv6 forwarding (FreeBSD ip6_forward.c): scope checks, hop limit, route lookup,
// Packet Too Big instead of fragmenting, and the ICMPv6 errors a router sends. Must not
// deliver locally. RFC 8200 §3 (hop limit), §5 (no router fragmentation), RFC 4443 §3.1-3.3,
// RFC 4291 §2.5.6 (link-local packets are never forwarded).

import { inet6Of } from './in6';
import { ICMPV6_TIME_EXCEEDED, ICMPV6_TYPE, ICMPV6_UNREACH } from '../wire/icmpv6';
import { ipv6Equal, ipv6WordsEqual, isIpv6LinkLocal, isIpv6LinkScope, isIpv6Unspecified, setIpv6Words } from '../wire/ipv6-addr';
import { writeMacParts } from '../wire/addr';
import { DROP } from './env';
import { icmp6SendError } from './icmp6';
import { ip6OutputFrame } from './ip6-output';
import { traceDrop, transmitFrame, writeSrcMac } from './link-output';
import { ND_STATE, type Fwd6Flow, type Inet6State, type NdEntry } from './inet6-types';
import { route6Find } from './route6';
import { explainRoute6 } from './explain';
import { REWRITE_MIN_BYTES } from './frame-alloc';
import type { Iface, NetStack } from './types';

export function ip6Forward(stack: NetStack, iface: Iface, frame: Uint8Array, off: number, end: number): void {
  if (isIpv6LinkScope(frame, off + 24) || isIpv6Unspecified(frame, off + 8)) {
    return traceDrop(stack, iface.index, frame, DROP.NOT_FOR_US);
  }
  if (isIpv6LinkLocal(frame, off + 8)) {
    // A link-local source cannot leave its link (RFC 4443 §3.1 code 2).
    icmp6SendError(stack, frame, off, ICMPV6_TYPE.DST_UNREACHABLE, ICMPV6_UNREACH.BEYOND_SCOPE, 0, iface.index);
    return traceDrop(stack, iface.index, frame, DROP.NO_ROUTE);
  }
  const hlim = frame[off + 7];
  if (hlim <= 1) {
    icmp6SendError(stack, frame, off, ICMPV6_TYPE.TIME_EXCEEDED, ICMPV6_TIME_EXCEEDED.HOP_LIMIT, 0, iface.index);
    return traceDrop(stack, iface.index, frame, DROP.TTL_EXCEEDED);
  }
  // FreeBSD ip6_forward decrements the hop limit before the route lookup, so the packet an
  // error quotes already carries the decremented value.
  const len = end - off;
  // Received frames are immutable (the trace may hold them): forward a copy, made with one
  // memcpy when the packet sits right after an untagged Ethernet header (as ip-forward.ts does).
  let copy: Uint8Array;
  if (off === 14) copy = stack.env.frames.copy(frame, 0, end, Math.max(60, end));
  else {
    copy = stack.env.frames.alloc(Math.max(60, 14 + len));
    copy.set(frame.subarray(off, end), 14);
    copy[12] = 0x86;
    copy[13] = 0xdd;
  }
  copy[14 + 7] = hlim - 1;
  const r = route6Find(stack, copy, 14 + 24, -1);
  if (stack.explain !== null) explainRoute6(stack, stack.explain, copy, 14 + 24, r);
  if (r === null) {
    icmp6SendError(stack, copy, 14, ICMPV6_TYPE.DST_UNREACHABLE, ICMPV6_UNREACH.NO_ROUTE, 0, iface.index);
    return traceDrop(stack, iface.index, frame, DROP.NO_ROUTE);
  }
  const out = stack.ifaces[r.ifIndex];
  if (len > out.mtu) {
    // RFC 8200 §5: routers never fragment; the source learns the MTU (RFC 8201).
    icmp6SendError(stack, copy, 14, ICMPV6_TYPE.PACKET_TOO_BIG, 0, out.mtu, iface.index);
    return traceDrop(stack, iface.index, frame, DROP.FRAG_NEEDED);
  }
  if (out.loopback || inet6Of(stack).ifs[r.ifIndex].disabled) return traceDrop(stack, iface.index, frame, DROP.NO_ROUTE);
  writeSrcMac(copy, out);
  inet6Of(stack).stats.forwarded++;
  if (r.gateway !== null) ip6OutputFrame(stack, out, copy, r.gateway, 0, iface.index);
  else ip6OutputFrame(stack, out, copy, copy, 14 + 24, iface.index);
  if (off === 14) rememberFlow(stack, iface.index, out.index, copy, r.gateway);
}

/** After a forward: remember the flow when its frame went straight to a known neighbor (not held). */
function rememberFlow(stack: NetStack, inIf: number, outIf: number, copy: Uint8Array, gateway: Uint8Array | null): void {
  const inet6 = inet6Of(stack);
  const e = inet6.ifs[outIf].ndLast;
  if (e === null || !neighborSends(stack, e)) return;
  if (gateway !== null ? !ipv6Equal(e.addr, gateway) : !ipv6Equal(e.addr, copy, 0, 14 + 24)) return;
  const flows = (inet6.flows ??= new Array<Fwd6Flow | null>(stack.ifaces.length).fill(null));
  const f = (flows[inIf] ??= { d0: 0, d1: 0, d2: 0, d3: 0, inIf, outIf, nd: e });
  setIpv6Words(f, copy, 38);
  f.inIf = inIf;
  f.outIf = outIf;
  f.nd = e;
}

/** A neighbor nd6Output sends to as it is: REACHABLE and not yet due, or DELAY/PROBE (nd6.ts). */
function neighborSends(stack: NetStack, e: NdEntry): boolean {
  const st = e.state;
  return (st === ND_STATE.REACHABLE && stack.env.sim.now() < e.expiresNs) || st === ND_STATE.DELAY || st === ND_STATE.PROBE;
}

/**
 * The next packet of the remembered flow (untagged, off 14), forwarded as ip6Forward would
 * forward it: same route (the table has not changed), same neighbor (still the interface's
 * last and still sending). Anything unusual (an error to send, a neighbor to resolve,
 * explanations on) returns false and takes the full path. RFC 8200 §3: the hop limit is
 * decremented without parsing the packet again, in a copy or, when the router alone holds
 * the frame, in place (nothing can fail once it is rewritten).
 */
export function ip6ForwardFlow(stack: NetStack, inet6: Inet6State, iface: Iface, frame: Uint8Array, end: number): boolean {
  const f = inet6.flows?.[iface.index];
  if (f == null || stack.explain !== null || !inet6.forwarding) return false;
  const off = 14;
  if (!ipv6WordsEqual(f, frame, off + 24)) return false;
  // A link-local or unspecified-looking source, or an expiring hop limit: the full path sends the error.
  const s0 = frame[off + 8];
  if (s0 === 0 || (s0 === 0xfe && (frame[off + 9] & 0xc0) === 0x80)) return false;
  const hlim = frame[off + 7];
  if (hlim <= 1) return false;
  const out = stack.ifaces[f.outIf];
  if (!out.up || !out.carrier || out.loopback || end - off > out.mtu) return false;
  const o6 = inet6.ifs[f.outIf];
  const e = f.nd;
  if (o6.disabled || o6.ndLast !== e || !neighborSends(stack, e)) return false;
  // A large frame this router alone holds is rewritten in place (frame-alloc.ts), else copied.
  const copy = end === frame.length && end > REWRITE_MIN_BYTES && stack.env.claimForRewrite !== undefined && stack.env.claimForRewrite(frame) ? frame : stack.env.frames.copy(frame, 0, end, Math.max(60, end));
  copy[off + 7] = hlim - 1;
  writeSrcMac(copy, out);
  inet6.stats.forwarded++;
  writeMacParts(copy, 0, e.macHi, e.macLo);
  transmitFrame(stack, out, copy, iface.index);
  return true;
}
