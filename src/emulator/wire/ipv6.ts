// IPv6 headers: a view over the fixed 40-byte header, repr, parse, emit, format, and a safe
// walk over the extension header chain. Only bytes: routing, NDP and reassembly live in stack/.
// Parsing never throws and says why it failed. RFC 8200 §3 (header), §4 (extension headers,
// order §4.1, options §4.2, routing §4.4, fragment §4.5), RFC 4443 §2.3 (upper-layer checksum).

import { readU16, readU32, writeU16, writeU32 } from './addr';
import { formatIpv6, readIpv6, writeIpv6, type Ipv6Addr } from './ipv6-addr';

export const IPV6_HEADER_LEN = 40;
export const IPV6_MIN_MTU = 1280; // RFC 8200 §5
export const IPV6_DEFAULT_HOP_LIMIT = 64;

/** Next Header values (IANA protocol numbers) that IPv6 itself gives meaning to. */
export const IPV6_NEXT = {
  HOP_BY_HOP: 0,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NO_NEXT: 59,
  DEST_OPTS: 60,
} as const;

/** Field offsets inside the fixed header (smoltcp's `mod field`). */
const F = { VER_TC_FLOW: 0, PAYLOAD_LEN: 4, NEXT: 6, HOP_LIMIT: 7, SRC: 8, DST: 24 } as const;
/** Where the fixed header's Next Header byte sits (for the stack's fast paths). */
export const IPV6_NEXT_HEADER_OFF = F.NEXT;

/** The result of every parser here: the value, or the reason it was refused. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function fail<T>(reason: string): WireResult<T> {
  return { ok: false, reason };
}

export interface Ipv6Repr {
  src: Ipv6Addr;
  dst: Ipv6Addr;
  /** Next Header of the fixed header (the first extension header, or the upper layer). */
  nextHeader: number;
  hopLimit: number;
  trafficClass: number;
  flowLabel: number;
  /** Bytes after the fixed header (extension headers included). */
  payloadLen: number;
}

export class Ipv6View {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  reset(buf: Uint8Array, off: number): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** Version 6, the fixed header present, payload length within `len` (RFC 8200 §3). */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < IPV6_HEADER_LEN || off + len > buf.length) return false;
    return buf[off] >>> 4 === 6 && IPV6_HEADER_LEN + readU16(buf, off + F.PAYLOAD_LEN) <= len;
  }

  /** Like `check` but the payload may be cut short (a header quoted in an ICMPv6 error). */
  static checkHeader(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= IPV6_HEADER_LEN && off + len <= buf.length && buf[off] >>> 4 === 6;
  }

  get version(): number {
    return this.buf[this.off] >>> 4;
  }
  get trafficClass(): number {
    return (readU16(this.buf, this.off) >>> 4) & 0xff;
  }
  get flowLabel(): number {
    return readU32(this.buf, this.off) & 0xfffff;
  }
  get payloadLen(): number {
    return readU16(this.buf, this.off + F.PAYLOAD_LEN);
  }
  set payloadLen(v: number) {
    writeU16(this.buf, this.off + F.PAYLOAD_LEN, v);
  }
  get nextHeader(): number {
    return this.buf[this.off + F.NEXT];
  }
  set nextHeader(v: number) {
    this.buf[this.off + F.NEXT] = v;
  }
  get hopLimit(): number {
    return this.buf[this.off + F.HOP_LIMIT];
  }
  set hopLimit(v: number) {
    this.buf[this.off + F.HOP_LIMIT] = v;
  }
  get src(): Ipv6Addr {
    return readIpv6(this.buf, this.off + F.SRC);
  }
  get dst(): Ipv6Addr {
    return readIpv6(this.buf, this.off + F.DST);
  }
  get srcOffset(): number {
    return this.off + F.SRC;
  }
  get dstOffset(): number {
    return this.off + F.DST;
  }
  get payloadOffset(): number {
    return this.off + IPV6_HEADER_LEN;
  }
}

export function parseIpv6Header(buf: Uint8Array, off: number, len: number): WireResult<Ipv6Repr> {
  if (off < 0 || len < 0 || off + len > buf.length) return fail('bad range');
  if (len < IPV6_HEADER_LEN) return fail(`truncated: ${len} < 40 bytes`);
  if (buf[off] >>> 4 !== 6) return fail(`version ${buf[off] >>> 4}`);
  if (!Ipv6View.check(buf, off, len)) return fail(`payload length ${readU16(buf, off + 4)} exceeds ${len - 40} bytes`);
  const v = new Ipv6View(buf, off);
  return {
    ok: true,
    value: {
      src: v.src,
      dst: v.dst,
      nextHeader: v.nextHeader,
      hopLimit: v.hopLimit,
      trafficClass: v.trafficClass,
      flowLabel: v.flowLabel,
      payloadLen: v.payloadLen,
    },
  };
}

/**
 * The fixed header with traffic class and flow label 0 (what the stack sends), from its
 * fields rather than a Repr: the send path builds no object per packet.
 */
export function emitIpv6Fields(buf: Uint8Array, off: number, src: Ipv6Addr, dst: Ipv6Addr, nextHeader: number, hopLimit: number, payloadLen: number): void {
  buf[off + F.VER_TC_FLOW] = 0x60;
  buf[off + F.VER_TC_FLOW + 1] = 0;
  buf[off + F.VER_TC_FLOW + 2] = 0;
  buf[off + F.VER_TC_FLOW + 3] = 0;
  writeU16(buf, off + F.PAYLOAD_LEN, payloadLen);
  buf[off + F.NEXT] = nextHeader;
  buf[off + F.HOP_LIMIT] = hopLimit;
  writeIpv6(buf, off + F.SRC, src);
  writeIpv6(buf, off + F.DST, dst);
}

/** Writes the fixed header at `off`; returns 40. */
export function emitIpv6(repr: Ipv6Repr, buf: Uint8Array, off: number): number {
  writeU32(buf, off, ((0x60000000 | ((repr.trafficClass & 0xff) << 20) | (repr.flowLabel & 0xfffff)) >>> 0));
  writeU16(buf, off + F.PAYLOAD_LEN, repr.payloadLen);
  buf[off + F.NEXT] = repr.nextHeader;
  buf[off + F.HOP_LIMIT] = repr.hopLimit;
  writeIpv6(buf, off + F.SRC, repr.src);
  writeIpv6(buf, off + F.DST, repr.dst);
  return IPV6_HEADER_LEN;
}

/** A whole packet: fixed header + payload (sets payloadLen). */
export function buildIpv6Packet(repr: Omit<Ipv6Repr, 'payloadLen'>, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(IPV6_HEADER_LEN + payload.length);
  emitIpv6({ ...repr, payloadLen: payload.length }, out, 0);
  out.set(payload, IPV6_HEADER_LEN);
  return out;
}

/** One extension header met on the chain. */
export interface Ipv6ExtHeader {
  type: number;
  off: number;
  len: number;
}

/** The fragment header's fields (RFC 8200 §4.5). */
export interface Ipv6FragmentInfo {
  /** Offset of the fragmentable part, in bytes. */
  offset: number;
  more: boolean;
  ident: number;
  /** Offset of the fragment header itself. */
  headerOff: number;
}

export interface Ipv6Chain {
  exts: Ipv6ExtHeader[];
  /** Upper-layer protocol (Next Header of the last extension), 59 when none follows. */
  proto: number;
  /** Offset and length of the upper-layer data. */
  upperOff: number;
  upperLen: number;
  fragment: Ipv6FragmentInfo | null;
  /** Routing header with segments left > 0 (RFC 8200 §4.4: we are not its final destination). */
  routingSegmentsLeft: number;
  /**
   * Offset (relative to the IPv6 header) of the first unrecognised option whose type says
   * "discard and send a parameter problem" (RFC 8200 §4.2, high bits 10 or 11), else -1.
   */
  badOptionPointer: number;
}

export function isIpv6ExtHeader(type: number): boolean {
  return type === IPV6_NEXT.HOP_BY_HOP || type === IPV6_NEXT.ROUTING || type === IPV6_NEXT.FRAGMENT || type === IPV6_NEXT.DEST_OPTS;
}

/** Checks the TLV options of a hop-by-hop or destination options header (RFC 8200 §4.2). */
function walkOptions(buf: Uint8Array, start: number, end: number, ipOff: number): WireResult<number> {
  let i = start;
  while (i < end) {
    const t = buf[i];
    if (t === 0) {
      i += 1; // Pad1
      continue;
    }
    if (i + 1 >= end) return fail('option runs past its header');
    const l = buf[i + 1];
    if (i + 2 + l > end) return fail(`option ${t} length ${l} runs past its header`);
    // PadN (1) and Router Alert (5) are known; an unknown one with action 10/11 is refused.
    if (t !== 1 && t !== 5 && t >>> 6 >= 2) return { ok: true, value: i - ipOff };
    i += 2 + l;
  }
  return { ok: true, value: -1 };
}

/**
 * Walks the extension headers of the packet whose IPv6 header is at `ipOff` and whose
 * bytes end at `end`. Bounded: every header is at least 8 bytes. Never throws.
 */
export function walkIpv6Chain(buf: Uint8Array, ipOff: number, end: number): WireResult<Ipv6Chain> {
  if (ipOff < 0 || end > buf.length || end - ipOff < IPV6_HEADER_LEN) return fail('truncated IPv6 header');
  const chain: Ipv6Chain = { exts: [], proto: buf[ipOff + F.NEXT], upperOff: ipOff + 40, upperLen: end - ipOff - 40, fragment: null, routingSegmentsLeft: 0, badOptionPointer: -1 };
  let next = chain.proto;
  let off = ipOff + IPV6_HEADER_LEN;
  while (isIpv6ExtHeader(next)) {
    if (next === IPV6_NEXT.HOP_BY_HOP && chain.exts.length > 0) return fail('hop-by-hop header not first');
    if (end - off < 8) return fail(`truncated extension header ${next}`);
    const len = next === IPV6_NEXT.FRAGMENT ? 8 : (buf[off + 1] + 1) * 8;
    if (off + len > end) return fail(`extension header ${next} length ${len} runs past the packet`);
    if (next === IPV6_NEXT.FRAGMENT) {
      const w = readU16(buf, off + 2);
      chain.fragment = { offset: w & 0xfff8, more: (w & 1) === 1, ident: readU32(buf, off + 4), headerOff: off };
    } else if (next === IPV6_NEXT.ROUTING) {
      chain.routingSegmentsLeft = buf[off + 3];
    } else if (chain.badOptionPointer < 0) {
      const r = walkOptions(buf, off + 2, off + len, ipOff);
      if (!r.ok) return r;
      chain.badOptionPointer = r.value;
    }
    chain.exts.push({ type: next, off, len });
    next = buf[off];
    off += len;
    if (chain.fragment !== null && chain.fragment.offset > 0) break; // later fragments carry no headers
  }
  chain.proto = next;
  chain.upperOff = off;
  chain.upperLen = end - off;
  return { ok: true, value: chain };
}

export function ipv6NextName(type: number): string {
  switch (type) {
    case IPV6_NEXT.HOP_BY_HOP:
      return 'IPv6 Hop-by-Hop Option';
    case IPV6_NEXT.TCP:
      return 'TCP';
    case IPV6_NEXT.UDP:
      return 'UDP';
    case IPV6_NEXT.ROUTING:
      return 'Routing Header for IPv6';
    case IPV6_NEXT.FRAGMENT:
      return 'Fragment Header for IPv6';
    case IPV6_NEXT.ESP:
      return 'ESP';
    case IPV6_NEXT.AH:
      return 'AH';
    case IPV6_NEXT.ICMPV6:
      return 'ICMPv6';
    case IPV6_NEXT.NO_NEXT:
      return 'No Next Header for IPv6';
    case IPV6_NEXT.DEST_OPTS:
      return 'Destination Options for IPv6';
    default:
      return `proto ${type}`;
  }
}

export function formatIpv6Header(repr: Ipv6Repr): string {
  return `IPv6 ${formatIpv6(repr.src)} → ${formatIpv6(repr.dst)} ${ipv6NextName(repr.nextHeader)} hlim=${repr.hopLimit} len=${repr.payloadLen}`;
}
