// UDP over IPv6 for one stack: port demultiplexing to bound listeners, port unreachable
// for the rest (what traceroute6 relies on), and sending. Must not touch IPv4 sockets.
// RFC 768, RFC 8200 §8.1 (mandatory checksum), RFC 4443 §3.1 (code 4).

import { inet6Of } from './in6';
import { upperChecksumOkIpv6 } from '../wire/checksum';
import { ICMPV6_TYPE, ICMPV6_UNREACH } from '../wire/icmpv6';
import { IPV6_NEXT } from '../wire/ipv6';
import { isIpv6Multicast, readIpv6, type Ipv6Addr } from '../wire/ipv6-addr';
import { UDP_HEADER_LEN } from '../wire/udp';
import { DROP } from './env';
import type { SendResult } from './errno';
import { icmp6SendError } from './icmp6';
import type { Udp6Delivery, Udp6Listener } from './inet6-types';
import { ip6Send } from './ip6-output';
import { traceDrop } from './link-output';
import type { Iface, NetStack } from './types';

/** Binds `port` (0 for an ephemeral one); returns the port, or -1 when it is taken. */
export function udp6Bind(stack: NetStack, port: number, listener: Udp6Listener): number {
  const map = (inet6Of(stack).udp ??= new Map());
  let p = port;
  if (p === 0) {
    p = 49152;
    while (map.has(p) && p < 65535) p++;
  }
  if (map.has(p)) return -1;
  map.set(p, listener);
  return p;
}

export function udp6Unbind(stack: NetStack, port: number): void {
  inet6Of(stack).udp?.delete(port);
}

export interface Udp6SendOptions {
  dst: Ipv6Addr;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  hopLimit?: number;
  zone?: number;
  src?: Ipv6Addr;
}

export function udp6Send(stack: NetStack, o: Udp6SendOptions): SendResult {
  // ip6Send writes the UDP header in front of the data in the frame itself.
  return ip6Send(stack, { dst: o.dst, src: o.src, next: IPV6_NEXT.UDP, payload: o.payload, checksumAt: 6, hopLimit: o.hopLimit, zone: o.zone, udp: o });
}

/** A UDP datagram for us at `off`/`len` inside the packet at `ipOff`. */
export function udp6Input(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, off: number, len: number): void {
  const ulen = len >= UDP_HEADER_LEN ? (buf[off + 4] << 8) | buf[off + 5] : 0;
  if (ulen < UDP_HEADER_LEN || ulen > len) return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
  const sum = (buf[off + 6] << 8) | buf[off + 7];
  if (sum === 0 || !upperChecksumOkIpv6(buf, ipOff, off, ulen, IPV6_NEXT.UDP)) {
    return traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
  }
  const dstPort = (buf[off + 2] << 8) | buf[off + 3];
  const l = inet6Of(stack).udp?.get(dstPort);
  if (l === undefined) {
    if (!isIpv6Multicast(buf, ipOff + 24)) icmp6SendError(stack, buf, ipOff, ICMPV6_TYPE.DST_UNREACHABLE, ICMPV6_UNREACH.PORT, 0, iface.index);
    return traceDrop(stack, iface.index, buf, DROP.NO_LISTENER);
  }
  l(new Udp6Datagram(buf, ipOff, off, ulen, dstPort, stack.env.sim.now(), iface.index));
}

/**
 * A delivered datagram whose addresses and data are copied out of the (immutable) received
 * frame only when a listener reads them: many listeners read neither, and the data's copy
 * (a `slice` of a frame-slab view) was the costliest line of the receive path in a profile.
 */
class Udp6Datagram implements Udp6Delivery {
  private srcCopy: Ipv6Addr | null = null;
  private dstCopy: Ipv6Addr | null = null;
  private dataCopy: Uint8Array | null = null;
  readonly hopLimit: number;
  readonly srcPort: number;
  constructor(
    private readonly frame: Uint8Array,
    private readonly ipOff: number,
    /** The UDP header's offset in `frame`, and the datagram's length (header included). */
    private readonly udpOff: number,
    private readonly udpLen: number,
    readonly dstPort: number,
    readonly timeNs: number,
    readonly ifIndex: number,
  ) {
    this.hopLimit = frame[ipOff + 7];
    this.srcPort = (frame[udpOff] << 8) | frame[udpOff + 1];
  }
  get src(): Ipv6Addr {
    return (this.srcCopy ??= readIpv6(this.frame, this.ipOff + 8));
  }
  get dst(): Ipv6Addr {
    return (this.dstCopy ??= readIpv6(this.frame, this.ipOff + 24));
  }
  get payload(): Uint8Array {
    return (this.dataCopy ??= this.frame.slice(this.udpOff + UDP_HEADER_LEN, this.udpOff + this.udpLen));
  }
}
