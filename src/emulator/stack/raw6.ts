// Raw IPv6 sockets (SOCK_RAW, AF_INET6, with a next-header number): a program receives the
// upper-layer payload of every packet for us carrying that next header, and sends payloads
// under a header the stack writes. With IPV6_CHECKSUM set, the stack verifies incoming
// checksums over the pseudo-header and fills outgoing ones. What ospf6d uses for next
// header 89. RFC 3542 §3.1 (IPV6_CHECKSUM), RFC 5340 §2.5 (OSPFv3 over IPv6).

import { upperChecksumOkIpv6 } from '../wire/checksum';
import { readIpv6, type Ipv6Addr } from '../wire/ipv6-addr';
import { DROP } from './env';
import type { SendResult } from './errno';
import { traceDrop } from './link-output';
import { ip6Send } from './ip6-output';
import { stackPrograms } from './programs';
import type { Iface, NetStack } from './types';

export interface Raw6Delivery {
  src: Ipv6Addr;
  dst: Ipv6Addr;
  hopLimit: number;
  /** The upper-layer payload. */
  payload: Uint8Array;
  ifIndex: number;
}

export interface Raw6Socket {
  listener: (d: Raw6Delivery) => void;
  /** IPV6_CHECKSUM: offset of the checksum in the payload, -1 for none. */
  checksumAt: number;
}

/** Binds next header `next` to `listener`; returns the close function, or null when already bound. */
export function raw6Bind(stack: NetStack, next: number, checksumAt: number, listener: (d: Raw6Delivery) => void): (() => void) | null {
  const map = (stackPrograms(stack).raw6 ??= new Map());
  if (map.has(next)) return null;
  const sock: Raw6Socket = { listener, checksumAt };
  map.set(next, sock);
  return () => {
    if (map.get(next) === sock) map.delete(next);
  };
}

export interface Raw6SendOptions {
  dst: Ipv6Addr;
  next: number;
  payload: Uint8Array;
  src?: Ipv6Addr;
  hopLimit?: number;
  /** Outgoing interface of a link-scope destination. */
  zone: number;
  checksumAt: number;
}

export function raw6Send(stack: NetStack, o: Raw6SendOptions): SendResult {
  return ip6Send(stack, { dst: o.dst, next: o.next, payload: o.payload, checksumAt: o.checksumAt, src: o.src, hopLimit: o.hopLimit, zone: o.zone });
}

/**
 * Delivers a packet for us to the socket bound to `next`; false when none is (the caller
 * then answers with a parameter problem). A bad checksum is traced as a drop (true).
 */
export function raw6Input(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, next: number, off: number, len: number): boolean {
  const sock = stack.programs?.raw6?.get(next);
  if (sock === undefined) return false;
  if (sock.checksumAt >= 0 && (len < sock.checksumAt + 2 || !upperChecksumOkIpv6(buf, ipOff, off, len, next))) {
    traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
    return true;
  }
  sock.listener({ src: readIpv6(buf, ipOff + 8), dst: readIpv6(buf, ipOff + 24), hopLimit: buf[ipOff + 7], payload: buf.slice(off, off + len), ifIndex: iface.index });
  return true;
}
