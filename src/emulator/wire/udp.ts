// UDP datagrams: view, repr, parse, emit (checksum with the IPv4 pseudo-header), format.
// Only bytes: sockets and port demultiplexing live in stack/.
// RFC 768 (format, pseudo-header, zero checksum sent as all ones), RFC 1122 §4.1.3.4.

import { readU16, writeU16, type Ipv4Addr } from './addr';
import { internetChecksum, pseudoHeaderSumIpv4 } from './checksum';
import { IP_PROTO } from './ipv4';

export const UDP_HEADER_LEN = 8;

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

export class UdpView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  reset(buf: Uint8Array, off: number): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** Header present and its length field within [8, len]. */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < UDP_HEADER_LEN || off + len > buf.length) return false;
    const l = readU16(buf, off + 4);
    return l >= UDP_HEADER_LEN && l <= len;
  }

  get srcPort(): number {
    return readU16(this.buf, this.off);
  }
  set srcPort(v: number) {
    writeU16(this.buf, this.off, v);
  }
  get dstPort(): number {
    return readU16(this.buf, this.off + 2);
  }
  set dstPort(v: number) {
    writeU16(this.buf, this.off + 2, v);
  }
  get length(): number {
    return readU16(this.buf, this.off + 4);
  }
  get checksum(): number {
    return readU16(this.buf, this.off + 6);
  }
  get payloadOffset(): number {
    return this.off + UDP_HEADER_LEN;
  }
  get payloadLen(): number {
    return this.length - UDP_HEADER_LEN;
  }
  /** A zero checksum means "not computed" and is accepted (RFC 768). */
  checksumValid(src: Ipv4Addr, dst: Ipv4Addr): boolean {
    if (this.checksum === 0) return true;
    const l = this.length;
    return internetChecksum(this.buf, this.off, l, pseudoHeaderSumIpv4(src, dst, IP_PROTO.UDP, l)) === 0;
  }
  fillChecksum(src: Ipv4Addr, dst: Ipv4Addr): void {
    const l = this.length;
    writeU16(this.buf, this.off + 6, 0);
    const c = internetChecksum(this.buf, this.off, l, pseudoHeaderSumIpv4(src, dst, IP_PROTO.UDP, l));
    writeU16(this.buf, this.off + 6, c === 0 ? 0xffff : c); // RFC 768: 0 is sent as all ones
  }
}

/**
 * Never throws. With `src`/`dst` the checksum is verified and a mismatch returns null;
 * without them it is not checked.
 */
export function parseUdp(buf: Uint8Array, off: number, len: number, src?: Ipv4Addr, dst?: Ipv4Addr): UdpRepr | null {
  if (!UdpView.check(buf, off, len)) return null;
  const v = new UdpView(buf, off);
  if (src !== undefined && dst !== undefined && !v.checksumValid(src, dst)) return null;
  return { srcPort: v.srcPort, dstPort: v.dstPort, payload: buf.subarray(off + UDP_HEADER_LEN, off + v.length) };
}

export function udpLen(repr: UdpRepr): number {
  return UDP_HEADER_LEN + repr.payload.length;
}

/** The 8-byte header of a datagram of `len` bytes at `off`, its checksum zero (filled afterwards over a pseudo-header). */
export function emitUdpHeader(buf: Uint8Array, off: number, srcPort: number, dstPort: number, len: number): void {
  writeU16(buf, off, srcPort);
  writeU16(buf, off + 2, dstPort);
  writeU16(buf, off + 4, len);
  writeU16(buf, off + 6, 0);
}

/** Writes header + payload with the checksum at `off`; returns the datagram length. */
export function emitUdp(repr: UdpRepr, buf: Uint8Array, off: number, src: Ipv4Addr, dst: Ipv4Addr): number {
  const len = udpLen(repr);
  writeU16(buf, off, repr.srcPort);
  writeU16(buf, off + 2, repr.dstPort);
  writeU16(buf, off + 4, len);
  // byteOffset first: `.buffer` on a small on-heap typed array is slow (see icmp.ts).
  if (repr.payload.byteOffset !== buf.byteOffset + off + UDP_HEADER_LEN || repr.payload.buffer !== buf.buffer) {
    buf.set(repr.payload, off + UDP_HEADER_LEN);
  }
  new UdpView(buf, off).fillChecksum(src, dst);
  return len;
}

export function buildUdp(repr: UdpRepr, src: Ipv4Addr, dst: Ipv4Addr): Uint8Array {
  const out = new Uint8Array(udpLen(repr));
  emitUdp(repr, out, 0, src, dst);
  return out;
}

/** tshark-like Info, e.g. `33434 → 33435 Len=32`. */
export function formatUdp(repr: UdpRepr): string {
  return `${repr.srcPort} → ${repr.dstPort} Len=${repr.payload.length}`;
}
