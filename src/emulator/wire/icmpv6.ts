// ICMPv6 messages: view, repr, parse, emit, format for echo, the four error types and the
// NDP messages (RS, RA, NS, NA, redirect) with their options. Only bytes: when to answer or
// send an error is stack/'s decision. Parsing never throws and says why it failed.
// RFC 4443 §2-4 (formats, checksum), RFC 4861 §4 (NDP messages), §4.6 (options), §6.1.2/§7.1.

import { formatMac, readMac, readU16, readU32, writeMac, writeU16, writeU32, type MacAddr } from './addr';
import { internetChecksum, pseudoHeaderSumIpv6Addrs } from './checksum';
import { IPV6_NEXT, type WireResult } from './ipv6';
import { formatIpv6, readIpv6, writeIpv6, type Ipv6Addr } from './ipv6-addr';

export const ICMPV6_TYPE = {
  DST_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAM_PROBLEM: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  ROUTER_SOLICIT: 133,
  ROUTER_ADVERT: 134,
  NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136,
  REDIRECT: 137,
} as const;

/** Destination unreachable codes (RFC 4443 §3.1). */
export const ICMPV6_UNREACH = { NO_ROUTE: 0, ADMIN: 1, BEYOND_SCOPE: 2, ADDRESS: 3, PORT: 4, POLICY: 5, REJECT: 6 } as const;
export const ICMPV6_TIME_EXCEEDED = { HOP_LIMIT: 0, REASSEMBLY: 1 } as const;
export const ICMPV6_PARAM = { HEADER: 0, NEXT_HEADER: 1, OPTION: 2 } as const;

export const ICMPV6_HEADER_LEN = 8;
/** An error quotes as much of the offending packet as fits in the minimum MTU (RFC 4443 §2.4(c)). */
export const ICMPV6_ERROR_MAX = 1280 - 40;

export const ND_OPT = { SOURCE_LL: 1, TARGET_LL: 2, PREFIX: 3, REDIRECTED: 4, MTU: 5, RDNSS: 25, DNSSL: 31 } as const;

export type NdOption =
  | { kind: 'source-ll'; mac: MacAddr }
  | { kind: 'target-ll'; mac: MacAddr }
  | { kind: 'prefix'; prefixLen: number; onLink: boolean; autonomous: boolean; validLifetimeS: number; preferredLifetimeS: number; prefix: Ipv6Addr }
  | { kind: 'redirected'; data: Uint8Array }
  | { kind: 'mtu'; mtu: number }
  /** RFC 8106 §5.1: recursive DNS servers, valid for `lifetimeS` (0xffffffff: forever). */
  | { kind: 'rdnss'; lifetimeS: number; servers: Ipv6Addr[] }
  /** RFC 8106 §5.2: the DNS search list, names in presentation form without the final dot. */
  | { kind: 'dnssl'; lifetimeS: number; domains: string[] }
  | { kind: 'unknown'; type: number; data: Uint8Array };

/** The NDP message part after type/code/checksum (RFC 4861 §4.1-4.5). */
export interface NdRepr {
  /** NS, NA, redirect: the target address. */
  target?: Ipv6Addr;
  /** Redirect: the destination being redirected. */
  dest?: Ipv6Addr;
  /** NA flags (R, S, O). */
  router?: boolean;
  solicited?: boolean;
  override?: boolean;
  /** RA fields. */
  curHopLimit?: number;
  managed?: boolean;
  otherConfig?: boolean;
  routerLifetimeS?: number;
  reachableTimeMs?: number;
  retransTimerMs?: number;
  options: NdOption[];
}

export interface Icmpv6Repr {
  type: number;
  code: number;
  ident?: number;
  seq?: number;
  /** Packet Too Big: the next-hop MTU (RFC 4443 §3.2). */
  mtu?: number;
  /** Parameter Problem: offset of the error (RFC 4443 §3.4). */
  pointer?: number;
  /** Echo data, or the quoted packet of an error, or the raw body of an unknown type. */
  data: Uint8Array;
  nd?: NdRepr;
}

export class Icmpv6View {
  constructor(
    public buf: Uint8Array,
    public off: number,
    public len: number,
  ) {}

  reset(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = len;
    return this;
  }

  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= ICMPV6_HEADER_LEN && off + len <= buf.length;
  }

  get type(): number {
    return this.buf[this.off];
  }
  get code(): number {
    return this.buf[this.off + 1];
  }
  get checksum(): number {
    return readU16(this.buf, this.off + 2);
  }
  get ident(): number {
    return readU16(this.buf, this.off + 4);
  }
  get seq(): number {
    return readU16(this.buf, this.off + 6);
  }
  /** The second 32-bit word: MTU, pointer, NA flags, or unused. */
  get word(): number {
    return readU32(this.buf, this.off + 4);
  }
  get dataOffset(): number {
    return this.off + ICMPV6_HEADER_LEN;
  }
  get dataLen(): number {
    return this.len - ICMPV6_HEADER_LEN;
  }
}

/** Checksum over the pseudo-header and the message (RFC 4443 §2.3); 0 when valid. */
export function icmpv6ChecksumOver(src: Ipv6Addr, dst: Ipv6Addr, buf: Uint8Array, off: number, len: number): number {
  return internetChecksum(buf, off, len, pseudoHeaderSumIpv6Addrs(src, dst, IPV6_NEXT.ICMPV6, len));
}

/**
 * The echo reply to the echo request at `off`/`len` (RFC 4443 §4.2: same identifier, sequence
 * and data), as a new message whose checksum the sender fills over its own pseudo-header.
 */
export function icmpv6EchoReplyTo(buf: Uint8Array, off: number, len: number): Uint8Array {
  const reply = buf.slice(off, off + len);
  reply[0] = ICMPV6_TYPE.ECHO_REPLY;
  reply[2] = 0;
  reply[3] = 0;
  return reply;
}

export function isIcmpv6Error(type: number): boolean {
  return type < 128;
}

export function isNdType(type: number): boolean {
  return type >= ICMPV6_TYPE.ROUTER_SOLICIT && type <= ICMPV6_TYPE.REDIRECT;
}

/**
 * The domain names of a DNSSL option (RFC 8106 §5.2): uncompressed wire names one after
 * another, zero bytes padding the end. Null when a name runs past the option or a label
 * is too long (the option is then kept as unknown: §5.3.1 ignores an invalid option).
 */
function parseDnsslNames(buf: Uint8Array, start: number, end: number): string[] | null {
  const names: string[] = [];
  let i = start;
  while (i < end && buf[i] !== 0) {
    const labels: string[] = [];
    while (i < end && buf[i] !== 0) {
      const n = buf[i];
      if (n > 63 || i + 1 + n > end) return null;
      labels.push(String.fromCharCode(...buf.subarray(i + 1, i + 1 + n)));
      i += 1 + n;
    }
    if (i >= end) return null; // no root label
    names.push(labels.join('.'));
    i++;
  }
  for (; i < end; i++) if (buf[i] !== 0) return null;
  return names.length === 0 ? null : names;
}

/** Wire bytes of the DNSSL names: each name's labels and its root label (no compression, §5.2). */
function dnsslNameBytes(domains: readonly string[]): number[] {
  const out: number[] = [];
  for (const d of domains) {
    for (const label of d.split('.').filter((l) => l !== '')) {
      out.push(Math.min(label.length, 63));
      for (let k = 0; k < Math.min(label.length, 63); k++) out.push(label.charCodeAt(k) & 0xff);
    }
    out.push(0);
  }
  return out;
}

/** The options of an NDP message between `start` and `end` (RFC 4861 §4.6). */
export function parseNdOptions(buf: Uint8Array, start: number, end: number): WireResult<NdOption[]> {
  const out: NdOption[] = [];
  let i = start;
  while (i < end) {
    if (end - i < 2) return { ok: false, reason: 'truncated NDP option' };
    const type = buf[i];
    const len = buf[i + 1] * 8;
    // RFC 4861 §4.6: a zero length option makes the whole message invalid.
    if (len === 0) return { ok: false, reason: `NDP option ${type} has length 0` };
    if (i + len > end) return { ok: false, reason: `NDP option ${type} runs past the message` };
    if ((type === ND_OPT.SOURCE_LL || type === ND_OPT.TARGET_LL) && len >= 8) {
      out.push({ kind: type === ND_OPT.SOURCE_LL ? 'source-ll' : 'target-ll', mac: readMac(buf, i + 2) });
    } else if (type === ND_OPT.PREFIX && len === 32) {
      out.push({
        kind: 'prefix',
        prefixLen: buf[i + 2],
        onLink: (buf[i + 3] & 0x80) !== 0,
        autonomous: (buf[i + 3] & 0x40) !== 0,
        validLifetimeS: readU32(buf, i + 4),
        preferredLifetimeS: readU32(buf, i + 8),
        prefix: readIpv6(buf, i + 16),
      });
    } else if (type === ND_OPT.MTU && len === 8) {
      out.push({ kind: 'mtu', mtu: readU32(buf, i + 4) });
    } else if (type === ND_OPT.RDNSS && len >= 24 && (len - 8) % 16 === 0) {
      const servers: Ipv6Addr[] = [];
      for (let k = i + 8; k < i + len; k += 16) servers.push(readIpv6(buf, k));
      out.push({ kind: 'rdnss', lifetimeS: readU32(buf, i + 4), servers });
    } else if (type === ND_OPT.DNSSL && len >= 16 && parseDnsslNames(buf, i + 8, i + len) !== null) {
      out.push({ kind: 'dnssl', lifetimeS: readU32(buf, i + 4), domains: parseDnsslNames(buf, i + 8, i + len)! });
    } else if (type === ND_OPT.REDIRECTED) {
      out.push({ kind: 'redirected', data: buf.slice(i + 8, i + len) });
    } else {
      out.push({ kind: 'unknown', type, data: buf.slice(i + 2, i + len) });
    }
    i += len;
  }
  return { ok: true, value: out };
}

/** Fixed part of each NDP message after the 4-byte type/code/checksum (RFC 4861 §4). */
function ndFixedLen(type: number): number {
  switch (type) {
    case ICMPV6_TYPE.ROUTER_SOLICIT:
      return 4;
    case ICMPV6_TYPE.ROUTER_ADVERT:
      return 12;
    case ICMPV6_TYPE.NEIGHBOR_SOLICIT:
    case ICMPV6_TYPE.NEIGHBOR_ADVERT:
      return 20;
    default:
      return 36; // redirect
  }
}

function parseNd(v: Icmpv6View): WireResult<NdRepr> {
  const { buf, off, len, type } = v;
  const fixed = 4 + ndFixedLen(type);
  if (len < fixed) return { ok: false, reason: `truncated ${icmpv6TypeName(type)}: ${len} < ${fixed} bytes` };
  const opts = parseNdOptions(buf, off + fixed, off + len);
  if (!opts.ok) return opts;
  const nd: NdRepr = { options: opts.value };
  if (type === ICMPV6_TYPE.ROUTER_ADVERT) {
    nd.curHopLimit = buf[off + 4];
    nd.managed = (buf[off + 5] & 0x80) !== 0;
    nd.otherConfig = (buf[off + 5] & 0x40) !== 0;
    nd.routerLifetimeS = readU16(buf, off + 6);
    nd.reachableTimeMs = readU32(buf, off + 8);
    nd.retransTimerMs = readU32(buf, off + 12);
  } else if (type === ICMPV6_TYPE.NEIGHBOR_SOLICIT || type === ICMPV6_TYPE.NEIGHBOR_ADVERT) {
    nd.target = readIpv6(buf, off + 8);
    if (type === ICMPV6_TYPE.NEIGHBOR_ADVERT) {
      nd.router = (buf[off + 4] & 0x80) !== 0;
      nd.solicited = (buf[off + 4] & 0x40) !== 0;
      nd.override = (buf[off + 4] & 0x20) !== 0;
    }
  } else if (type === ICMPV6_TYPE.REDIRECT) {
    nd.target = readIpv6(buf, off + 8);
    nd.dest = readIpv6(buf, off + 24);
  }
  return { ok: true, value: nd };
}

/**
 * `len` is the whole message. With `src`/`dst` given the checksum is verified over the
 * pseudo-header. Never throws; unknown types round-trip through `data`.
 */
export function parseIcmpv6(buf: Uint8Array, off: number, len: number, addrs?: { src: Ipv6Addr; dst: Ipv6Addr }): WireResult<Icmpv6Repr> {
  if (off < 0 || len < 0 || off + len > buf.length) return { ok: false, reason: 'bad range' };
  if (!Icmpv6View.check(buf, off, len)) return { ok: false, reason: `truncated ICMPv6: ${len} < 8 bytes` };
  if (addrs !== undefined && icmpv6ChecksumOver(addrs.src, addrs.dst, buf, off, len) !== 0) return { ok: false, reason: 'bad ICMPv6 checksum' };
  const v = new Icmpv6View(buf, off, len);
  const type = v.type;
  const repr: Icmpv6Repr = { type, code: v.code, data: buf.subarray(off + ICMPV6_HEADER_LEN, off + len) };
  if (type === ICMPV6_TYPE.ECHO_REQUEST || type === ICMPV6_TYPE.ECHO_REPLY) {
    repr.ident = v.ident;
    repr.seq = v.seq;
  } else if (type === ICMPV6_TYPE.PACKET_TOO_BIG) {
    repr.mtu = v.word;
  } else if (type === ICMPV6_TYPE.PARAM_PROBLEM) {
    repr.pointer = v.word;
  } else if (isNdType(type)) {
    const nd = parseNd(v);
    if (!nd.ok) return nd;
    repr.nd = nd.value;
    repr.data = buf.subarray(off + len, off + len);
  }
  return { ok: true, value: repr };
}

/** The bytes an option takes when emitted (a multiple of 8, RFC 4861 §4.6). */
export function ndOptionWireLen(o: NdOption): number {
  switch (o.kind) {
    case 'source-ll':
    case 'target-ll':
    case 'mtu':
      return 8;
    case 'prefix':
      return 32;
    case 'rdnss':
      return 8 + 16 * o.servers.length;
    case 'dnssl':
      return (8 + dnsslNameBytes(o.domains).length + 7) & ~7;
    case 'redirected':
      return (8 + o.data.length + 7) & ~7;
    case 'unknown':
      return (2 + o.data.length + 7) & ~7;
    default:
      return o satisfies never;
  }
}

function emitNdOption(o: NdOption, buf: Uint8Array, i: number): number {
  const len = ndOptionWireLen(o);
  buf.fill(0, i, i + len);
  buf[i + 1] = len / 8;
  switch (o.kind) {
    case 'source-ll':
    case 'target-ll':
      buf[i] = o.kind === 'source-ll' ? ND_OPT.SOURCE_LL : ND_OPT.TARGET_LL;
      writeMac(buf, i + 2, o.mac);
      break;
    case 'mtu':
      buf[i] = ND_OPT.MTU;
      writeU32(buf, i + 4, o.mtu);
      break;
    case 'prefix':
      buf[i] = ND_OPT.PREFIX;
      buf[i + 2] = o.prefixLen;
      buf[i + 3] = (o.onLink ? 0x80 : 0) | (o.autonomous ? 0x40 : 0);
      writeU32(buf, i + 4, o.validLifetimeS);
      writeU32(buf, i + 8, o.preferredLifetimeS);
      writeIpv6(buf, i + 16, o.prefix);
      break;
    case 'rdnss':
      buf[i] = ND_OPT.RDNSS;
      writeU32(buf, i + 4, o.lifetimeS);
      o.servers.forEach((a, k) => writeIpv6(buf, i + 8 + 16 * k, a));
      break;
    case 'dnssl':
      buf[i] = ND_OPT.DNSSL;
      writeU32(buf, i + 4, o.lifetimeS);
      buf.set(dnsslNameBytes(o.domains), i + 8);
      break;
    case 'redirected':
      buf[i] = ND_OPT.REDIRECTED;
      buf.set(o.data, i + 8);
      break;
    case 'unknown':
      buf[i] = o.type;
      buf.set(o.data, i + 2);
      break;
    default:
      return o satisfies never;
  }
  return len;
}

export function icmpv6Len(repr: Icmpv6Repr): number {
  if (repr.nd === undefined) return ICMPV6_HEADER_LEN + repr.data.length;
  let n = 4 + ndFixedLen(repr.type);
  for (const o of repr.nd.options) n += ndOptionWireLen(o);
  return n;
}

function emitNd(repr: Icmpv6Repr, nd: NdRepr, buf: Uint8Array, off: number): void {
  const t = repr.type;
  if (t === ICMPV6_TYPE.ROUTER_ADVERT) {
    buf[off + 4] = nd.curHopLimit ?? 0;
    buf[off + 5] = (nd.managed ? 0x80 : 0) | (nd.otherConfig ? 0x40 : 0);
    writeU16(buf, off + 6, nd.routerLifetimeS ?? 0);
    writeU32(buf, off + 8, nd.reachableTimeMs ?? 0);
    writeU32(buf, off + 12, nd.retransTimerMs ?? 0);
  } else if (t === ICMPV6_TYPE.NEIGHBOR_SOLICIT || t === ICMPV6_TYPE.NEIGHBOR_ADVERT || t === ICMPV6_TYPE.REDIRECT) {
    if (t === ICMPV6_TYPE.NEIGHBOR_ADVERT) buf[off + 4] = (nd.router ? 0x80 : 0) | (nd.solicited ? 0x40 : 0) | (nd.override ? 0x20 : 0);
    if (nd.target) writeIpv6(buf, off + 8, nd.target);
    if (t === ICMPV6_TYPE.REDIRECT && nd.dest) writeIpv6(buf, off + 24, nd.dest);
  }
  let i = off + 4 + ndFixedLen(t);
  for (const o of nd.options) i += emitNdOption(o, buf, i);
}

/** Writes the message at `off` with its checksum over the pseudo-header of `src` → `dst`; returns its length. */
export function emitIcmpv6(repr: Icmpv6Repr, buf: Uint8Array, off: number, src: Ipv6Addr, dst: Ipv6Addr): number {
  const len = icmpv6Len(repr);
  buf.fill(0, off, off + (repr.nd ? len : ICMPV6_HEADER_LEN));
  buf[off] = repr.type;
  buf[off + 1] = repr.code;
  if (repr.nd !== undefined) emitNd(repr, repr.nd, buf, off);
  else {
    if (repr.ident !== undefined || repr.seq !== undefined) {
      writeU16(buf, off + 4, repr.ident ?? 0);
      writeU16(buf, off + 6, repr.seq ?? 0);
    } else if (repr.mtu !== undefined) writeU32(buf, off + 4, repr.mtu);
    else if (repr.pointer !== undefined) writeU32(buf, off + 4, repr.pointer);
    buf.set(repr.data, off + ICMPV6_HEADER_LEN);
  }
  writeU16(buf, off + 2, icmpv6ChecksumOver(src, dst, buf, off, len));
  return len;
}

export function buildIcmpv6(repr: Icmpv6Repr, src: Ipv6Addr, dst: Ipv6Addr): Uint8Array {
  const out = new Uint8Array(icmpv6Len(repr));
  emitIcmpv6(repr, out, 0, src, dst);
  return out;
}

/** An error about `packet` (its IPv6 header first), quoting as much as fits in 1280 bytes (RFC 4443 §2.4(c)). */
export function icmpv6Error(type: number, code: number, packet: Uint8Array, word = 0): Icmpv6Repr {
  const data = packet.slice(0, Math.min(packet.length, ICMPV6_ERROR_MAX - ICMPV6_HEADER_LEN));
  const repr: Icmpv6Repr = { type, code, data };
  if (type === ICMPV6_TYPE.PACKET_TOO_BIG) repr.mtu = word;
  else if (type === ICMPV6_TYPE.PARAM_PROBLEM) repr.pointer = word;
  return repr;
}

const TYPE_TEXT: Record<number, string> = {
  [ICMPV6_TYPE.DST_UNREACHABLE]: 'Destination Unreachable',
  [ICMPV6_TYPE.PACKET_TOO_BIG]: 'Packet Too Big',
  [ICMPV6_TYPE.TIME_EXCEEDED]: 'Time Exceeded',
  [ICMPV6_TYPE.PARAM_PROBLEM]: 'Parameter Problem',
  [ICMPV6_TYPE.ECHO_REQUEST]: 'Echo (ping) request',
  [ICMPV6_TYPE.ECHO_REPLY]: 'Echo (ping) reply',
  [ICMPV6_TYPE.ROUTER_SOLICIT]: 'Router Solicitation',
  [ICMPV6_TYPE.ROUTER_ADVERT]: 'Router Advertisement',
  [ICMPV6_TYPE.NEIGHBOR_SOLICIT]: 'Neighbor Solicitation',
  [ICMPV6_TYPE.NEIGHBOR_ADVERT]: 'Neighbor Advertisement',
  [ICMPV6_TYPE.REDIRECT]: 'Redirect',
};

/** Wireshark's wording (packet-icmpv6.c), capitals included. */
const UNREACH_TEXT = [
  'no route to destination',
  'Administratively prohibited',
  'Beyond scope of source address',
  'Address unreachable',
  'Port unreachable',
  'Source address failed ingress/egress policy',
  'Reject route to destination',
];

/** Wireshark's name of a type. */
export function icmpv6TypeName(type: number): string {
  return TYPE_TEXT[type] ?? `Unknown (${type})`;
}

export function icmpv6CodeName(type: number, code: number): string | null {
  if (type === ICMPV6_TYPE.DST_UNREACHABLE) return UNREACH_TEXT[code] ?? `Unknown code: ${code}`;
  if (type === ICMPV6_TYPE.TIME_EXCEEDED) return code === 0 ? 'hop limit exceeded in transit' : code === 1 ? 'fragment reassembly time exceeded' : `Unknown code: ${code}`;
  if (type === ICMPV6_TYPE.PARAM_PROBLEM) return ['erroneous header field encountered', 'unrecognized Next Header type encountered', 'unrecognized IPv6 option encountered'][code] ?? `Unknown code: ${code}`;
  return null;
}

/** tshark-like Info text, e.g. `Echo (ping) request id=0x0001, seq=1` or `Neighbor Solicitation for fc00::1`. */
export function formatIcmpv6(repr: Icmpv6Repr): string {
  const name = icmpv6TypeName(repr.type);
  if (repr.type === ICMPV6_TYPE.ECHO_REQUEST || repr.type === ICMPV6_TYPE.ECHO_REPLY) {
    return `${name} id=0x${(repr.ident ?? 0).toString(16).padStart(4, '0')}, seq=${repr.seq ?? 0}`;
  }
  const nd = repr.nd;
  if (nd !== undefined) {
    let mac: number | null = null;
    for (const o of nd.options) if (o.kind === 'source-ll' || o.kind === 'target-ll') mac ??= o.mac;
    const target = nd.target === undefined ? '' : formatIpv6(nd.target);
    switch (repr.type) {
      case ICMPV6_TYPE.NEIGHBOR_SOLICIT:
        return `${name} for ${target}${mac === null ? '' : ` from ${formatMac(mac)}`}`;
      case ICMPV6_TYPE.NEIGHBOR_ADVERT: {
        const flags = [nd.router ? 'rtr' : '', nd.solicited ? 'sol' : '', nd.override ? 'ovr' : ''].filter(Boolean).join(', ');
        return `${name} ${target}${flags ? ` (${flags})` : ''}${mac === null ? '' : ` is at ${formatMac(mac)}`}`;
      }
      case ICMPV6_TYPE.ROUTER_SOLICIT:
      case ICMPV6_TYPE.ROUTER_ADVERT:
        return mac === null ? name : `${name} from ${formatMac(mac)}`;
      default:
        return name;
    }
  }
  const code = icmpv6CodeName(repr.type, repr.code);
  return code === null ? name : `${name} (${code})`;
}
