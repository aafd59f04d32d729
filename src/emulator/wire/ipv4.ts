// IPv4 headers: view with cheap getters/setters, repr, parse, emit, format, and the
// RFC 1624 incremental checksum update for TTL decrement on the forwarding path.
// Only bytes: routing, fragmentation policy and reassembly state live elsewhere.
// RFC 791 §3.1 (header format), RFC 1071 (checksum), RFC 1624 (incremental update).

import { formatIpv4, readU16, readU32, writeU16, writeU32, type Ipv4Addr } from './addr';
import { internetChecksum } from './checksum';

export const IP_PROTO = {
  ICMP: 1,
  IGMP: 2,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  GRE: 47,
  OSPF: 89,
} as const;

export const IPV4_MIN_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;
export const IPV4_DEFAULT_TTL = 64;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const OFFSET_MASK = 0x1fff;

export interface Ipv4Repr {
  src: Ipv4Addr;
  dst: Ipv4Addr;
  proto: number;
  ttl: number;
  /** Whole TOS/DS byte (DSCP << 2 | ECN). */
  tos: number;
  id: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** Fragment offset in bytes (a multiple of 8; the header stores it in 8-byte units). */
  fragOffset: number;
  /** Bytes after the header: total length − header length. */
  payloadLen: number;
  /** Raw option bytes (padded to a multiple of 4), absent when the header is 20 bytes. */
  options?: Uint8Array;
}

/** Zero-copy view over a header at `off`. Getters read bytes directly; no allocation. */
export class Ipv4View {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  reset(buf: Uint8Array, off: number): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /**
   * Version 4, IHL ≥ 5, header and total length within `len` (RFC 791 §3.1; RFC 1122
   * §3.2.1.1-3 say to discard otherwise). Trailing bytes past total length (Ethernet
   * padding) are allowed. Does not verify the checksum: see `checksumValid`.
   */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < IPV4_MIN_HEADER_LEN || off + len > buf.length) return false;
    const vihl = buf[off];
    if (vihl >>> 4 !== 4) return false;
    const hl = (vihl & 0x0f) * 4;
    if (hl < IPV4_MIN_HEADER_LEN || hl > len) return false;
    const total = readU16(buf, off + 2);
    return total >= hl && total <= len;
  }

  /** Like `check` but lets total length exceed `len` (headers quoted in ICMP errors). */
  static checkHeader(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < IPV4_MIN_HEADER_LEN || off + len > buf.length) return false;
    const vihl = buf[off];
    const hl = (vihl & 0x0f) * 4;
    return vihl >>> 4 === 4 && hl >= IPV4_MIN_HEADER_LEN && hl <= len && readU16(buf, off + 2) >= hl;
  }

  /**
   * True when the header checksum of the `hl`-byte header at `off` verifies (RFC 791 §3.1,
   * RFC 1071). Call after `check`. The 20-byte base header is summed unrolled: this runs
   * for every datagram a stack receives.
   */
  static checksumOk(buf: Uint8Array, off: number, hl: number): boolean {
    let sum =
      ((buf[off] << 8) | buf[off + 1]) +
      ((buf[off + 2] << 8) | buf[off + 3]) +
      ((buf[off + 4] << 8) | buf[off + 5]) +
      ((buf[off + 6] << 8) | buf[off + 7]) +
      ((buf[off + 8] << 8) | buf[off + 9]) +
      ((buf[off + 10] << 8) | buf[off + 11]) +
      ((buf[off + 12] << 8) | buf[off + 13]) +
      ((buf[off + 14] << 8) | buf[off + 15]) +
      ((buf[off + 16] << 8) | buf[off + 17]) +
      ((buf[off + 18] << 8) | buf[off + 19]);
    for (let i = off + IPV4_MIN_HEADER_LEN, end = off + hl; i < end; i += 2) sum += (buf[i] << 8) | buf[i + 1]; // options
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = (sum & 0xffff) + (sum >>> 16);
    return sum === 0xffff;
  }

  get version(): number {
    return this.buf[this.off] >>> 4;
  }
  get headerLen(): number {
    return (this.buf[this.off] & 0x0f) * 4;
  }
  get tos(): number {
    return this.buf[this.off + 1];
  }
  set tos(v: number) {
    this.buf[this.off + 1] = v;
  }
  get totalLen(): number {
    return readU16(this.buf, this.off + 2);
  }
  set totalLen(v: number) {
    writeU16(this.buf, this.off + 2, v);
  }
  get id(): number {
    return readU16(this.buf, this.off + 4);
  }
  set id(v: number) {
    writeU16(this.buf, this.off + 4, v);
  }
  get dontFragment(): boolean {
    return (this.buf[this.off + 6] & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.buf[this.off + 6] & 0x20) !== 0;
  }
  /** The reserved (evil) bit, RFC 791 §3.1 bit 0 of flags. */
  get reservedFlag(): boolean {
    return (this.buf[this.off + 6] & 0x80) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragOffset(): number {
    return (readU16(this.buf, this.off + 6) & OFFSET_MASK) * 8;
  }
  /** True for any fragment (MF set or non-zero offset). */
  get isFragment(): boolean {
    return (readU16(this.buf, this.off + 6) & (FLAG_MF | OFFSET_MASK)) !== 0;
  }
  setFragment(dontFragment: boolean, moreFragments: boolean, fragOffset: number): void {
    const word = (dontFragment ? FLAG_DF : 0) | (moreFragments ? FLAG_MF : 0) | ((fragOffset >>> 3) & OFFSET_MASK);
    writeU16(this.buf, this.off + 6, word);
  }
  get ttl(): number {
    return this.buf[this.off + 8];
  }
  set ttl(v: number) {
    this.buf[this.off + 8] = v;
  }
  get proto(): number {
    return this.buf[this.off + 9];
  }
  set proto(v: number) {
    this.buf[this.off + 9] = v;
  }
  get checksum(): number {
    return readU16(this.buf, this.off + 10);
  }
  set checksum(v: number) {
    writeU16(this.buf, this.off + 10, v);
  }
  get src(): Ipv4Addr {
    return readU32(this.buf, this.off + 12);
  }
  set src(v: Ipv4Addr) {
    writeU32(this.buf, this.off + 12, v);
  }
  get dst(): Ipv4Addr {
    return readU32(this.buf, this.off + 16);
  }
  set dst(v: Ipv4Addr) {
    writeU32(this.buf, this.off + 16, v);
  }
  get payloadOffset(): number {
    return this.off + this.headerLen;
  }
  get payloadLen(): number {
    return this.totalLen - this.headerLen;
  }
  checksumValid(): boolean {
    return Ipv4View.checksumOk(this.buf, this.off, this.headerLen);
  }
  /** Recomputes the header checksum after setters changed fields. */
  fillChecksum(): void {
    writeU16(this.buf, this.off + 10, 0);
    writeU16(this.buf, this.off + 10, internetChecksum(this.buf, this.off, this.headerLen));
  }
}

/**
 * Forwarding fast path: TTL − 1 with the checksum updated in place (RFC 1624 eqn. 3,
 * RFC 1812 §5.3.1). Returns the new TTL. The caller has checked TTL > 1.
 */
export function ipv4DecrementTtl(buf: Uint8Array, ipOffset: number): number {
  const ttl = buf[ipOffset + 8];
  const newTtl = (ttl - 1) & 0xff;
  // HC' = ~(~HC + ~m + m') with m − m' = 0x0100, i.e. ~m + m' = 0xfeff (RFC 1624 eqn. 3);
  // inlined because this runs for every forwarded datagram.
  const old = (buf[ipOffset + 10] << 8) | buf[ipOffset + 11];
  let sum = (~old & 0xffff) + (ttl === 0 ? 0xff00 : 0xfeff);
  sum = (sum & 0xffff) + (sum >>> 16);
  const hc = ~sum & 0xffff;
  buf[ipOffset + 10] = hc >>> 8;
  buf[ipOffset + 11] = hc & 0xff;
  buf[ipOffset + 8] = newTtl;
  return newTtl;
}

function reprFromView(v: Ipv4View, payloadLen: number): Ipv4Repr {
  const repr: Ipv4Repr = {
    src: v.src,
    dst: v.dst,
    proto: v.proto,
    ttl: v.ttl,
    tos: v.tos,
    id: v.id,
    dontFragment: v.dontFragment,
    moreFragments: v.moreFragments,
    fragOffset: v.fragOffset,
    payloadLen,
  };
  if (v.headerLen > IPV4_MIN_HEADER_LEN) repr.options = v.buf.slice(v.off + 20, v.off + v.headerLen);
  return repr;
}

/**
 * The `parseXxx` of this module, named `parseIpv4Header` because `addr.ts` owns
 * `parseIpv4(text)`. Never throws. Returns null for a bad header, bad lengths or (by
 * default) a bad checksum.
 */
export function parseIpv4Header(buf: Uint8Array, off: number, len: number, verifyChecksum = true): Ipv4Repr | null {
  if (!Ipv4View.check(buf, off, len)) return null;
  const v = new Ipv4View(buf, off);
  if (verifyChecksum && !v.checksumValid()) return null;
  return reprFromView(v, v.payloadLen);
}

/** Header quoted in an ICMP error: the datagram behind it is truncated, checksum not verified. */
export function parseIpv4Quoted(buf: Uint8Array, off: number, len: number): Ipv4Repr | null {
  if (!Ipv4View.checkHeader(buf, off, len)) return null;
  const v = new Ipv4View(buf, off);
  return reprFromView(v, v.payloadLen);
}

export function ipv4HeaderLen(repr: Ipv4Repr): number {
  const optLen = repr.options ? repr.options.length : 0;
  return IPV4_MIN_HEADER_LEN + ((optLen + 3) & ~3);
}

/** Writes the header (with options and checksum) at `off`; returns the header length. */
export function emitIpv4(repr: Ipv4Repr, buf: Uint8Array, off: number): number {
  const hl = ipv4HeaderLen(repr);
  buf[off] = 0x40 | (hl >>> 2);
  buf[off + 1] = repr.tos;
  writeU16(buf, off + 2, hl + repr.payloadLen);
  writeU16(buf, off + 4, repr.id);
  const v = new Ipv4View(buf, off);
  v.setFragment(repr.dontFragment, repr.moreFragments, repr.fragOffset);
  buf[off + 8] = repr.ttl;
  buf[off + 9] = repr.proto;
  writeU32(buf, off + 12, repr.src);
  writeU32(buf, off + 16, repr.dst);
  if (repr.options) {
    buf.fill(0, off + 20, off + hl); // pad with End of Option List (RFC 791 §3.1)
    buf.set(repr.options.subarray(0, hl - 20), off + 20);
  }
  v.fillChecksum();
  return hl;
}

/** A whole datagram: header + payload (sets `payloadLen` from the payload). */
export function buildIpv4Packet(repr: Omit<Ipv4Repr, 'payloadLen'>, payload: Uint8Array): Uint8Array {
  const full: Ipv4Repr = { ...repr, payloadLen: payload.length };
  const hl = ipv4HeaderLen(full);
  const out = new Uint8Array(hl + payload.length);
  emitIpv4(full, out, 0);
  out.set(payload, hl);
  return out;
}

export function ipProtoName(proto: number): string {
  switch (proto) {
    case IP_PROTO.ICMP:
      return 'ICMP';
    case IP_PROTO.IGMP:
      return 'IGMP';
    case IP_PROTO.TCP:
      return 'TCP';
    case IP_PROTO.UDP:
      return 'UDP';
    case IP_PROTO.IPV6:
      return 'IPv6';
    case IP_PROTO.GRE:
      return 'GRE';
    case IP_PROTO.OSPF:
      return 'OSPF';
    default:
      return `proto ${proto}`;
  }
}

export function formatIpv4Header(repr: Ipv4Repr): string {
  const flags = `${repr.dontFragment ? ' DF' : ''}${repr.moreFragments ? ' MF' : ''}`;
  const frag = repr.fragOffset || repr.moreFragments ? ` off=${repr.fragOffset}` : '';
  return (
    `IPv4 ${formatIpv4(repr.src)} → ${formatIpv4(repr.dst)} ${ipProtoName(repr.proto)} ` +
    `ttl=${repr.ttl} id=0x${repr.id.toString(16).padStart(4, '0')}${flags}${frag} len=${repr.payloadLen}`
  );
}
