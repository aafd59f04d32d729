// UDP over IPv6: parse and emit with the IPv6 pseudo-header checksum, which is mandatory
// (a zero checksum is invalid over IPv6). Only bytes; the header layout is udp.ts's view.
// RFC 8200 §8.1 (pseudo-header, zero checksum discarded), RFC 768.

import { writeU16 } from './addr';
import { internetChecksum, pseudoHeaderSumIpv6Addrs } from './checksum';
import { IPV6_NEXT, type WireResult } from './ipv6';
import type { Ipv6Addr } from './ipv6-addr';
import { UDP_HEADER_LEN, UdpView, type UdpRepr } from './udp';

export function udp6ChecksumOver(src: Ipv6Addr, dst: Ipv6Addr, buf: Uint8Array, off: number, len: number): number {
  return internetChecksum(buf, off, len, pseudoHeaderSumIpv6Addrs(src, dst, IPV6_NEXT.UDP, len));
}

/** Never throws. With addresses, the checksum is verified and a zero checksum refused (RFC 8200 §8.1). */
export function parseUdp6(buf: Uint8Array, off: number, len: number, addrs?: { src: Ipv6Addr; dst: Ipv6Addr }): WireResult<UdpRepr> {
  if (off < 0 || len < 0 || off + len > buf.length) return { ok: false, reason: 'bad range' };
  if (!UdpView.check(buf, off, len)) return { ok: false, reason: `truncated UDP: ${len} bytes` };
  const v = new UdpView(buf, off);
  if (addrs !== undefined) {
    if (v.checksum === 0) return { ok: false, reason: 'zero UDP checksum over IPv6' };
    if (udp6ChecksumOver(addrs.src, addrs.dst, buf, off, v.length) !== 0) return { ok: false, reason: 'bad UDP checksum' };
  }
  return { ok: true, value: { srcPort: v.srcPort, dstPort: v.dstPort, payload: buf.subarray(off + UDP_HEADER_LEN, off + v.length) } };
}

/** Writes header + payload with the IPv6 checksum at `off`; returns the datagram length. */
export function emitUdp6(repr: UdpRepr, buf: Uint8Array, off: number, src: Ipv6Addr, dst: Ipv6Addr): number {
  const len = UDP_HEADER_LEN + repr.payload.length;
  writeU16(buf, off, repr.srcPort);
  writeU16(buf, off + 2, repr.dstPort);
  writeU16(buf, off + 4, len);
  writeU16(buf, off + 6, 0);
  buf.set(repr.payload, off + UDP_HEADER_LEN);
  const c = udp6ChecksumOver(src, dst, buf, off, len);
  writeU16(buf, off + 6, c === 0 ? 0xffff : c);
  return len;
}

export function buildUdp6(repr: UdpRepr, src: Ipv6Addr, dst: Ipv6Addr): Uint8Array {
  const out = new Uint8Array(UDP_HEADER_LEN + repr.payload.length);
  emitUdp6(repr, out, 0, src, dst);
  return out;
}
