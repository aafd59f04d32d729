// IPv6 input (FreeBSD ip6_input.c): header checks, the local-delivery decision (our
// unicast addresses, joined groups), extension headers walked before dispatch, reassembly
// (frag6.ts), and the upper-layer protocols. Never throws on bad bytes: every discard is traced with a reason.
// RFC 8200 §3-4 (§4.2 option actions, §4.4 routing, §4.5 fragments), RFC 4291 §2.7,
// RFC 4862 §5.4 (tentative addresses receive only NDP).

import { ICMPV6_PARAM, ICMPV6_TYPE } from '../wire/icmpv6';
import { IPV6_HEADER_LEN, IPV6_NEXT, IPV6_NEXT_HEADER_OFF, isIpv6ExtHeader, walkIpv6Chain } from '../wire/ipv6';
import { ipv6Key, isIpv6Multicast } from '../wire/ipv6-addr';
import { DROP } from './env';
import { icmp6Input, icmp6SendError } from './icmp6';
import { in6GroupJoined, in6Local, in6Usable, inet6Of } from './in6';
import { ip6Forward, ip6ForwardFlow } from './ip6-forward';
import { reassemble6 } from './frag6';
import { traceDrop } from './link-output';
import { raw6Input } from './raw6';
import { udp6Input } from './udp6';
import { tcpInput6 } from './tcp';
import type { In6Addr } from './inet6-types';
import type { Iface, NetStack } from './types';

/** An IPv6 packet at `off` of a frame from `iface`; `linkGroup` when its MAC was multicast/broadcast. */
export function ip6Input(stack: NetStack, iface: Iface, frame: Uint8Array, off: number, linkGroup: boolean): void {
  const inet6 = stack.inet6;
  const avail = frame.length - off;
  if (avail < IPV6_HEADER_LEN || frame[off] >>> 4 !== 6) {
    iface.counters.errors++;
    return traceDrop(stack, iface.index, frame, DROP.MALFORMED);
  }
  const end = off + IPV6_HEADER_LEN + ((frame[off + 4] << 8) | frame[off + 5]);
  if (end > frame.length) {
    iface.counters.errors++;
    return traceDrop(stack, iface.index, frame, DROP.MALFORMED);
  }
  // FreeBSD ND6_IFF_IFDISABLED: an interface without IPv6 configuration drops IPv6.
  if (inet6 === null || inet6.ifs[iface.index].disabled) return traceDrop(stack, iface.index, frame, DROP.UNSUPPORTED);
  inet6.stats.received++;
  if (isIpv6Multicast(frame, off + 8)) {
    iface.counters.errors++;
    return traceDrop(stack, iface.index, frame, DROP.MALFORMED); // RFC 4291 §2.7: never a source
  }
  // The flow forwarded last from this interface, again (ip6-forward.ts): no local-address check, no lookups.
  if (inet6.flows !== null && off === 14 && !linkGroup && ip6ForwardFlow(stack, inet6, iface, frame, end)) return;
  if (isIpv6Multicast(frame, off + 24)) {
    if (!in6GroupJoined(stack, iface.index, frame, off + 24)) return traceDrop(stack, iface.index, frame, DROP.NOT_FOR_US);
    return ip6LocalInput(stack, iface, frame, off, end, null);
  }
  const mine = in6Local(stack, frame, off + 24);
  if (mine !== null) return ip6LocalInput(stack, iface, frame, off, end, mine);
  if (linkGroup) return traceDrop(stack, iface.index, frame, DROP.NOT_FOR_US);
  if (!inet6.forwarding) return traceDrop(stack, iface.index, frame, DROP.NOT_FORWARDING);
  ip6Forward(stack, iface, frame, off, end);
}

/**
 * A packet for us (header at `off`, bytes up to `end`): extension headers, then the upper
 * layer. `mine`: our address it is sent to, when the caller found it already (null for a
 * group), or undefined to look it up.
 */
export function ip6LocalInput(stack: NetStack, iface: Iface, buf: Uint8Array, off: number, end: number, mine?: In6Addr | null): void {
  const next = buf[off + IPV6_NEXT_HEADER_OFF];
  // Most packets carry no extension header: hand them up without walking (or allocating) a chain.
  if (!isIpv6ExtHeader(next)) return ip6Deliver(stack, iface, buf, off, next, off + IPV6_HEADER_LEN, end - off - IPV6_HEADER_LEN, IPV6_NEXT_HEADER_OFF, mine);
  const chain = walkIpv6Chain(buf, off, end);
  if (!chain.ok) {
    iface.counters.errors++;
    return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
  }
  const c = chain.value;
  if (c.badOptionPointer >= 0) {
    icmp6SendError(stack, buf, off, ICMPV6_TYPE.PARAM_PROBLEM, ICMPV6_PARAM.OPTION, c.badOptionPointer, iface.index);
    return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
  }
  if (c.routingSegmentsLeft > 0) {
    // RFC 5095: type 0 is deprecated and no other type is implemented → pointer at its type field.
    const rh = c.exts.find((e) => e.type === IPV6_NEXT.ROUTING)!;
    icmp6SendError(stack, buf, off, ICMPV6_TYPE.PARAM_PROBLEM, ICMPV6_PARAM.HEADER, rh.off + 2 - off, iface.index);
    return traceDrop(stack, iface.index, buf, DROP.UNSUPPORTED);
  }
  if (c.fragment !== null && (c.fragment.more || c.fragment.offset > 0)) {
    const fragOff = c.fragment.headerOff;
    // Only a packet whose fragment header follows the fixed header is reassembled here.
    if (fragOff !== off + IPV6_HEADER_LEN) return traceDrop(stack, iface.index, buf, DROP.UNSUPPORTED);
    const whole = reassemble6(stack, iface.index, buf, off, fragOff, fragOff + 8, end);
    return whole === null ? undefined : ip6LocalInput(stack, iface, whole, 0, whole.length, mine);
  }
  // The Next Header field that names the upper layer: the fixed header's, or the last extension's.
  const nextAt = c.exts.length === 0 ? IPV6_NEXT_HEADER_OFF : c.exts[c.exts.length - 1].off - off;
  ip6Deliver(stack, iface, buf, off, c.proto, c.upperOff, c.upperLen, nextAt, mine);
}

/** The upper layer `proto` at `upperOff` (`nextAt`: where its Next Header field sits, from `off`). */
function ip6Deliver(stack: NetStack, iface: Iface, buf: Uint8Array, off: number, proto: number, upperOff: number, upperLen: number, nextAt: number, mine: In6Addr | null | undefined): void {
  const isNd = proto === IPV6_NEXT.ICMPV6 && upperLen > 0 && (buf[upperOff] === ICMPV6_TYPE.NEIGHBOR_SOLICIT || buf[upperOff] === ICMPV6_TYPE.NEIGHBOR_ADVERT);
  if (!isNd && !isIpv6Multicast(buf, off + 24)) {
    // RFC 4862 §5.4: a tentative address receives only NDP.
    const a = mine === undefined ? in6Local(stack, buf, off + 24) : mine;
    if (a !== null && !in6Usable(a)) return traceDrop(stack, iface.index, buf, DROP.NOT_FOR_US);
  }
  inet6Of(stack).stats.delivered++;
  switch (proto) {
    case IPV6_NEXT.ICMPV6:
      return icmp6Input(stack, iface, buf, off, upperOff, upperLen);
    case IPV6_NEXT.UDP:
      return udp6Input(stack, iface, buf, off, upperOff, upperLen);
    case IPV6_NEXT.TCP:
      return tcpInput6(stack, iface, buf, off, upperOff, upperLen);
    case IPV6_NEXT.NO_NEXT:
      return;
    default: {
      if (raw6Input(stack, iface, buf, off, proto, upperOff, upperLen)) return;
      // RFC 8200 §4: unrecognised Next Header → parameter problem code 1 at that field.
      icmp6SendError(stack, buf, off, ICMPV6_TYPE.PARAM_PROBLEM, ICMPV6_PARAM.NEXT_HEADER, nextAt, iface.index);
      return traceDrop(stack, iface.index, buf, DROP.PROTO_UNREACHABLE);
    }
  }
}
