// ICMPv4 messages: view, repr, parse, emit, format, and builders for echo and for error
// messages quoting the offending datagram. Only bytes: when to send an error is stack/'s call.
// RFC 792 (formats), RFC 1191 §4 (next-hop MTU), RFC 1122 §3.2.2, RFC 1812 §4.3.2.3.

import { readU16, readU32, writeU16, writeU32, type Ipv4Addr } from './addr';
import { internetChecksum } from './checksum';

export const ICMP_TYPE = {
  ECHO_REPLY: 0,
  DST_UNREACHABLE: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  ROUTER_ADVERT: 9,
  ROUTER_SOLICIT: 10,
  TIME_EXCEEDED: 11,
  PARAM_PROBLEM: 12,
  TIMESTAMP: 13,
  TIMESTAMP_REPLY: 14,
} as const;

/** Destination unreachable codes (RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1). */
export const ICMP_UNREACH = {
  NET: 0,
  HOST: 1,
  PROTO: 2,
  PORT: 3,
  FRAG_NEEDED: 4,
  SRC_ROUTE_FAILED: 5,
  NET_UNKNOWN: 6,
  HOST_UNKNOWN: 7,
  ISOLATED: 8,
  NET_PROHIBITED: 9,
  HOST_PROHIBITED: 10,
  TOS_NET: 11,
  TOS_HOST: 12,
  ADMIN_PROHIBITED: 13,
  HOST_PRECEDENCE: 14,
  PRECEDENCE_CUTOFF: 15,
} as const;

export const ICMP_TIME_EXCEEDED = { TTL: 0, REASSEMBLY: 1 } as const;

export const ICMP_HEADER_LEN = 8;
/** Bytes of the original datagram's data quoted after its header (RFC 792). */
export const ICMP_QUOTED_DATA_LEN = 8;

export interface IcmpRepr {
  type: number;
  code: number;
  /** Echo/timestamp identifier and sequence number. */
  ident?: number;
  seq?: number;
  /** Next-hop MTU of a "fragmentation needed" message (RFC 1191 §4). */
  nextHopMtu?: number;
  /** Gateway address of a redirect. */
  gateway?: Ipv4Addr;
  /** The raw second header word for other types (round-trips unknown types). */
  rest?: number;
  /** Bytes after the 8-byte header: echo data, or the quoted IPv4 header + 8 bytes. */
  data: Uint8Array;
}

export class IcmpView {
  constructor(
    public buf: Uint8Array,
    public off: number,
    /** Length of the whole ICMP message (header + data), needed for the checksum. */
    public len: number,
  ) {}

  reset(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = len;
    return this;
  }

  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= ICMP_HEADER_LEN && off + len <= buf.length;
  }

  get type(): number {
    return this.buf[this.off];
  }
  set type(v: number) {
    this.buf[this.off] = v;
  }
  get code(): number {
    return this.buf[this.off + 1];
  }
  set code(v: number) {
    this.buf[this.off + 1] = v;
  }
  get checksum(): number {
    return readU16(this.buf, this.off + 2);
  }
  get ident(): number {
    return readU16(this.buf, this.off + 4);
  }
  set ident(v: number) {
    writeU16(this.buf, this.off + 4, v);
  }
  get seq(): number {
    return readU16(this.buf, this.off + 6);
  }
  set seq(v: number) {
    writeU16(this.buf, this.off + 6, v);
  }
  get rest(): number {
    return readU32(this.buf, this.off + 4);
  }
  set rest(v: number) {
    writeU32(this.buf, this.off + 4, v);
  }
  get nextHopMtu(): number {
    return readU16(this.buf, this.off + 6);
  }
  get dataOffset(): number {
    return this.off + ICMP_HEADER_LEN;
  }
  get dataLen(): number {
    return this.len - ICMP_HEADER_LEN;
  }
  checksumValid(): boolean {
    return internetChecksum(this.buf, this.off, this.len) === 0;
  }
  fillChecksum(): void {
    writeU16(this.buf, this.off + 2, 0);
    writeU16(this.buf, this.off + 2, internetChecksum(this.buf, this.off, this.len));
  }
}

function isEchoLike(type: number): boolean {
  return (
    type === ICMP_TYPE.ECHO_REQUEST ||
    type === ICMP_TYPE.ECHO_REPLY ||
    type === ICMP_TYPE.TIMESTAMP ||
    type === ICMP_TYPE.TIMESTAMP_REPLY
  );
}

export function isIcmpError(type: number): boolean {
  return (
    type === ICMP_TYPE.DST_UNREACHABLE ||
    type === ICMP_TYPE.SOURCE_QUENCH ||
    type === ICMP_TYPE.REDIRECT ||
    type === ICMP_TYPE.TIME_EXCEEDED ||
    type === ICMP_TYPE.PARAM_PROBLEM
  );
}

/** Never throws. `len` is the whole message; null if truncated or (by default) bad checksum. */
export function parseIcmp(buf: Uint8Array, off: number, len: number, verifyChecksum = true): IcmpRepr | null {
  if (!IcmpView.check(buf, off, len)) return null;
  const v = new IcmpView(buf, off, len);
  if (verifyChecksum && !v.checksumValid()) return null;
  const repr: IcmpRepr = { type: v.type, code: v.code, data: buf.subarray(off + ICMP_HEADER_LEN, off + len) };
  if (isEchoLike(repr.type)) {
    repr.ident = v.ident;
    repr.seq = v.seq;
  } else if (repr.type === ICMP_TYPE.DST_UNREACHABLE && repr.code === ICMP_UNREACH.FRAG_NEEDED && v.ident === 0) {
    repr.nextHopMtu = v.nextHopMtu;
  } else if (repr.type === ICMP_TYPE.REDIRECT) {
    repr.gateway = v.rest;
  } else {
    repr.rest = v.rest;
  }
  return repr;
}

export function icmpLen(repr: IcmpRepr): number {
  return ICMP_HEADER_LEN + repr.data.length;
}

/** Writes header + data with the checksum at `off`; returns the message length. */
export function emitIcmp(repr: IcmpRepr, buf: Uint8Array, off: number): number {
  const len = icmpLen(repr);
  const v = new IcmpView(buf, off, len);
  v.type = repr.type;
  v.code = repr.code;
  if (repr.ident !== undefined || repr.seq !== undefined) {
    v.ident = repr.ident ?? 0;
    v.seq = repr.seq ?? 0;
  } else if (repr.nextHopMtu !== undefined) {
    v.rest = repr.nextHopMtu & 0xffff;
  } else if (repr.gateway !== undefined) {
    v.rest = repr.gateway;
  } else {
    v.rest = repr.rest ?? 0;
  }
  // byteOffset first: reading `.buffer` of a small on-heap typed array forces V8 to
  // externalize it, which costs more than the copy this check avoids.
  if (repr.data.byteOffset !== buf.byteOffset + off + ICMP_HEADER_LEN || repr.data.buffer !== buf.buffer) {
    buf.set(repr.data, off + ICMP_HEADER_LEN);
  }
  v.fillChecksum();
  return len;
}

export function buildIcmp(repr: IcmpRepr): Uint8Array {
  const out = new Uint8Array(icmpLen(repr));
  emitIcmp(repr, out, 0);
  return out;
}

export function icmpEchoRequest(ident: number, seq: number, data: Uint8Array): IcmpRepr {
  return { type: ICMP_TYPE.ECHO_REQUEST, code: 0, ident, seq, data };
}

export function icmpEchoReply(request: IcmpRepr): IcmpRepr {
  return { type: ICMP_TYPE.ECHO_REPLY, code: 0, ident: request.ident ?? 0, seq: request.seq ?? 0, data: request.data };
}

/**
 * The quoted part of an error: the original IPv4 header (IHL-sized, options included)
 * plus the first `dataBytes` of its data (at least the 8 of RFC 792; routers may quote
 * up to 576 − 28 bytes, RFC 1812 §4.3.2.3), copied so the caller may reuse its buffer.
 */
export function icmpQuote(datagram: Uint8Array, off = 0, len = datagram.length - off, dataBytes = ICMP_QUOTED_DATA_LEN): Uint8Array {
  const hl = len > 0 ? (datagram[off] & 0x0f) * 4 : 0;
  const n = Math.min(len, hl + Math.max(ICMP_QUOTED_DATA_LEN, dataBytes));
  return datagram.slice(off, off + n);
}

/** An error message (unreachable, time exceeded, …) about `datagram`. */
export function icmpError(type: number, code: number, datagram: Uint8Array, opts: { nextHopMtu?: number; quoteBytes?: number } = {}): IcmpRepr {
  const repr: IcmpRepr = { type, code, data: icmpQuote(datagram, 0, datagram.length, opts.quoteBytes) };
  if (type === ICMP_TYPE.DST_UNREACHABLE && code === ICMP_UNREACH.FRAG_NEEDED) repr.nextHopMtu = opts.nextHopMtu ?? 0;
  else repr.rest = 0;
  return repr;
}

const UNREACH_TEXT = [
  'Network unreachable',
  'Host unreachable',
  'Protocol unreachable',
  'Port unreachable',
  'Fragmentation needed',
  'Source route failed',
  'Destination network unknown',
  'Destination host unknown',
  'Source host isolated',
  'Network administratively prohibited',
  'Host administratively prohibited',
  'Network unreachable for TOS',
  'Host unreachable for TOS',
  'Communication administratively filtered',
  'Host precedence violation',
  'Precedence cutoff in effect',
];

const TYPE_TEXT: Record<number, string> = {
  [ICMP_TYPE.ECHO_REPLY]: 'Echo (ping) reply',
  [ICMP_TYPE.DST_UNREACHABLE]: 'Destination unreachable',
  [ICMP_TYPE.SOURCE_QUENCH]: 'Source quench (flow control)',
  [ICMP_TYPE.REDIRECT]: 'Redirect',
  [ICMP_TYPE.ECHO_REQUEST]: 'Echo (ping) request',
  [ICMP_TYPE.ROUTER_ADVERT]: 'Router advertisement',
  [ICMP_TYPE.ROUTER_SOLICIT]: 'Router solicitation',
  [ICMP_TYPE.TIME_EXCEEDED]: 'Time-to-live exceeded',
  [ICMP_TYPE.PARAM_PROBLEM]: 'Parameter problem',
  [ICMP_TYPE.TIMESTAMP]: 'Timestamp request',
  [ICMP_TYPE.TIMESTAMP_REPLY]: 'Timestamp reply',
};

const TIME_EXCEEDED_TEXT = ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'];

/** Wireshark's name of a type, e.g. `Destination unreachable`. */
export function icmpTypeName(type: number): string {
  return TYPE_TEXT[type] ?? 'Unknown ICMP type';
}

/** Wireshark's name of a code where the type has named codes, else null. */
export function icmpCodeName(type: number, code: number): string | null {
  if (type === ICMP_TYPE.DST_UNREACHABLE) return UNREACH_TEXT[code] ?? `Unknown code: ${code}`;
  if (type === ICMP_TYPE.TIME_EXCEEDED) return TIME_EXCEEDED_TEXT[code] ?? `Unknown code: ${code}`;
  return null;
}

/** Wireshark's type (code) wording, e.g. `Destination unreachable (Port unreachable)`. */
export function icmpTypeText(type: number, code: number): string {
  if (!(type in TYPE_TEXT)) return `Unknown ICMP (type=${type}, code=${code})`;
  const codeName = icmpCodeName(type, code);
  return codeName === null ? icmpTypeName(type) : `${icmpTypeName(type)} (${codeName})`;
}

function swap16(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}

/** tshark-like Info text without the IP ttl, e.g. `Echo (ping) request  id=0x0001, seq=1/256`. */
export function formatIcmp(repr: IcmpRepr): string {
  const text = icmpTypeText(repr.type, repr.code);
  if (repr.type === ICMP_TYPE.ECHO_REQUEST || repr.type === ICMP_TYPE.ECHO_REPLY) {
    const ident = repr.ident ?? 0;
    const seq = repr.seq ?? 0;
    // Wireshark pads the type to 20 columns ("%-20s"), then " id=…".
    return `${text.padEnd(20)} id=0x${ident.toString(16).padStart(4, '0')}, seq=${seq}/${swap16(seq)}`;
  }
  return text;
}
