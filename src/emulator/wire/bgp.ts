// BGP-4 messages (the TCP byte stream on port 179): header framing, OPEN with capabilities,
// UPDATE with path attributes, NOTIFICATION, KEEPALIVE; view, repr, parse, emit, format.
// Only bytes: sessions, timers and the decision process live in node/daemons/bgpd*.
// RFC 4271 §4.1-4.5 (messages), §5.1 (ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF), RFC 5492
// (capabilities), RFC 6793 (4-octet AS: AS_PATH carries 4-octet numbers once both sides
// advertise capability 65, as FRR does), RFC 2918 (route refresh, kept as an unknown type).

import { formatCidr, formatIpv4, readU16, readU32, writeU16, writeU32 } from './addr';

export const BGP_PORT = 179;
export const BGP_HEADER_LEN = 19;
/** RFC 4271 §4.1: a message is at most 4096 bytes. */
export const BGP_MAX_LEN = 4096;
export const BGP_OPEN_MIN_LEN = 29;
export const BGP_TYPE = { OPEN: 1, UPDATE: 2, NOTIFICATION: 3, KEEPALIVE: 4, ROUTE_REFRESH: 5 } as const;
export const BGP_ATTR = { ORIGIN: 1, AS_PATH: 2, NEXT_HOP: 3, MED: 4, LOCAL_PREF: 5, COMMUNITIES: 8 } as const;
export const BGP_ATTR_FLAG = { OPTIONAL: 0x80, TRANSITIVE: 0x40, PARTIAL: 0x20, EXTENDED: 0x10 } as const;
export const BGP_ORIGIN = { IGP: 0, EGP: 1, INCOMPLETE: 2 } as const;
export const BGP_SEGMENT = { AS_SET: 1, AS_SEQUENCE: 2 } as const;
export const BGP_CAP = { MULTIPROTOCOL: 1, ROUTE_REFRESH: 2, AS4: 65 } as const;
/** AS_TRANS (RFC 6793 §9): the 2-octet My AS of a speaker whose AS does not fit. */
export const AS_TRANS = 23456;
/** NOTIFICATION error codes (RFC 4271 §4.5) and the subcodes the daemon sends. */
export const BGP_ERR = { HEADER: 1, OPEN: 2, UPDATE: 3, HOLD_TIMER: 4, FSM: 5, CEASE: 6 } as const;
export const BGP_SUBERR = {
  BAD_LENGTH: 2,
  BAD_TYPE: 3,
  BAD_PEER_AS: 2,
  BAD_BGP_ID: 3,
  UNACCEPTABLE_HOLD: 6,
  MALFORMED_ATTRS: 1,
  ADMIN_SHUTDOWN: 2,
  /** Cease subcodes (RFC 4486 §4): the peer was removed, reset by the operator, reconfigured. */
  PEER_DECONFIGURED: 3,
  ADMIN_RESET: 4,
  CONFIG_CHANGE: 6,
  COLLISION: 7,
} as const;

/** Offsets of the common header and of the fixed OPEN fields (smoltcp's `mod field`). */
const H = { MARKER: 0, LENGTH: 16, TYPE: 18 } as const;
const O = { VERSION: 19, MY_AS: 20, HOLD: 22, ID: 24, OPT_LEN: 28, OPT: 29 } as const;

export interface BgpPrefix {
  addr: number;
  prefixLen: number;
}

export interface BgpCapability {
  code: number;
  value: Uint8Array;
}

export interface BgpSegment {
  type: number;
  asns: number[];
}

/** An attribute VirtNet does not interpret: kept and re-emitted as received. */
export interface BgpRawAttr {
  flags: number;
  type: number;
  value: Uint8Array;
}

export interface BgpAttrs {
  origin: number | null;
  asPath: BgpSegment[] | null;
  nextHop: number | null;
  med: number | null;
  localPref: number | null;
  other: BgpRawAttr[];
}

export type BgpMessage =
  | { type: 'open'; version: number; myAs: number; holdTimeS: number; bgpId: number; caps: BgpCapability[] }
  | { type: 'update'; withdrawn: BgpPrefix[]; attrs: BgpAttrs | null; nlri: BgpPrefix[] }
  | { type: 'notification'; code: number; subcode: number; data: Uint8Array }
  | { type: 'keepalive' }
  | { type: 'other'; code: number; body: Uint8Array };

export type BgpParseError = 'truncated' | 'bad-marker' | 'bad-length' | 'bad-open' | 'bad-update' | 'bad-attribute';

/** The common header: one length check up front, after which no getter can fail. */
export class BgpHeaderView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= BGP_HEADER_LEN && off + len <= buf.length;
  }
  get markerOk(): boolean {
    for (let i = 0; i < 16; i++) if (this.buf[this.off + H.MARKER + i] !== 0xff) return false;
    return true;
  }
  get length(): number {
    return readU16(this.buf, this.off + H.LENGTH);
  }
  get type(): number {
    return this.buf[this.off + H.TYPE];
  }
}

/**
 * Framing on the stream: the length of the whole message at `off` when `avail` bytes hold
 * it, 0 when more bytes are needed, or the header error (RFC 4271 §6.1).
 */
export function bgpFrame(buf: Uint8Array, off: number, avail: number): number | 'bad-marker' | 'bad-length' {
  if (avail < BGP_HEADER_LEN) return 0;
  const h = new BgpHeaderView(buf, off);
  if (!h.markerOk) return 'bad-marker';
  const len = h.length;
  if (len < BGP_HEADER_LEN || len > BGP_MAX_LEN) return 'bad-length';
  return avail >= len ? len : 0;
}

/** Never throws; one whole message at `off` of `len` bytes (as framed), or why it is not one. */
export function parseBgp(buf: Uint8Array, off: number, len: number, as4 = true): BgpMessage | BgpParseError {
  if (!BgpHeaderView.check(buf, off, len)) return 'truncated';
  const h = new BgpHeaderView(buf, off);
  if (!h.markerOk) return 'bad-marker';
  if (h.length !== len) return 'bad-length';
  const body = off + BGP_HEADER_LEN;
  const end = off + len;
  switch (h.type) {
    case BGP_TYPE.OPEN:
      return parseOpen(buf, off, len);
    case BGP_TYPE.UPDATE:
      return parseUpdate(buf, body, end, as4);
    case BGP_TYPE.NOTIFICATION:
      if (len < BGP_HEADER_LEN + 2) return 'bad-length';
      return { type: 'notification', code: buf[body], subcode: buf[body + 1], data: buf.slice(body + 2, end) };
    case BGP_TYPE.KEEPALIVE:
      return len === BGP_HEADER_LEN ? { type: 'keepalive' } : 'bad-length';
    default:
      return { type: 'other', code: h.type, body: buf.slice(body, end) };
  }
}

function parseOpen(buf: Uint8Array, off: number, len: number): BgpMessage | BgpParseError {
  if (len < BGP_OPEN_MIN_LEN) return 'bad-length';
  const optLen = buf[off + O.OPT_LEN];
  if (O.OPT + optLen !== len) return 'bad-open';
  const caps: BgpCapability[] = [];
  // Optional parameters (RFC 5492 §4): type 2 holds capabilities (code, length, value)*.
  for (let p = off + O.OPT; p < off + len; ) {
    if (p + 2 > off + len) return 'bad-open';
    const ptype = buf[p];
    const plen = buf[p + 1];
    const pend = p + 2 + plen;
    if (pend > off + len) return 'bad-open';
    if (ptype === 2) {
      for (let c = p + 2; c < pend; ) {
        if (c + 2 > pend || c + 2 + buf[c + 1] > pend) return 'bad-open';
        caps.push({ code: buf[c], value: buf.slice(c + 2, c + 2 + buf[c + 1]) });
        c += 2 + buf[c + 1];
      }
    }
    p = pend;
  }
  return { type: 'open', version: buf[off + O.VERSION], myAs: readU16(buf, off + O.MY_AS), holdTimeS: readU16(buf, off + O.HOLD), bgpId: readU32(buf, off + O.ID), caps };
}

/** Prefixes as (length, the significant octets)* between `p` and `end` (RFC 4271 §4.3). */
function parsePrefixes(buf: Uint8Array, p: number, end: number): BgpPrefix[] | null {
  const out: BgpPrefix[] = [];
  while (p < end) {
    const len = buf[p];
    const octets = (len + 7) >> 3;
    if (len > 32 || p + 1 + octets > end) return null;
    let addr = 0;
    for (let i = 0; i < 4; i++) addr = (addr << 8) | (i < octets ? buf[p + 1 + i] : 0);
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    out.push({ addr: (addr & mask) >>> 0, prefixLen: len });
    p += 1 + octets;
  }
  return out;
}

function parseUpdate(buf: Uint8Array, p: number, end: number, as4: boolean): BgpMessage | BgpParseError {
  if (p + 2 > end) return 'bad-update';
  const wlen = readU16(buf, p);
  if (p + 2 + wlen + 2 > end) return 'bad-update';
  const withdrawn = parsePrefixes(buf, p + 2, p + 2 + wlen);
  const ap = p + 2 + wlen;
  const alen = readU16(buf, ap);
  const attrEnd = ap + 2 + alen;
  if (attrEnd > end || withdrawn === null) return 'bad-update';
  const attrs = alen === 0 ? null : parseAttrs(buf, ap + 2, attrEnd, as4);
  if (attrs === 'bad-attribute') return attrs;
  const nlri = parsePrefixes(buf, attrEnd, end);
  if (nlri === null) return 'bad-update';
  return { type: 'update', withdrawn, attrs, nlri };
}

function parseAttrs(buf: Uint8Array, p: number, end: number, as4: boolean): BgpAttrs | 'bad-attribute' {
  const a: BgpAttrs = { origin: null, asPath: null, nextHop: null, med: null, localPref: null, other: [] };
  while (p < end) {
    if (p + 3 > end) return 'bad-attribute';
    const flags = buf[p];
    const type = buf[p + 1];
    const ext = (flags & BGP_ATTR_FLAG.EXTENDED) !== 0;
    if (ext && p + 4 > end) return 'bad-attribute';
    const len = ext ? readU16(buf, p + 2) : buf[p + 2];
    const v = p + (ext ? 4 : 3);
    if (v + len > end) return 'bad-attribute';
    switch (type) {
      case BGP_ATTR.ORIGIN:
        if (len !== 1) return 'bad-attribute';
        a.origin = buf[v];
        break;
      case BGP_ATTR.AS_PATH: {
        const segs = parseAsPath(buf, v, v + len, as4);
        if (segs === null) return 'bad-attribute';
        a.asPath = segs;
        break;
      }
      case BGP_ATTR.NEXT_HOP:
        if (len !== 4) return 'bad-attribute';
        a.nextHop = readU32(buf, v);
        break;
      case BGP_ATTR.MED:
        if (len !== 4) return 'bad-attribute';
        a.med = readU32(buf, v);
        break;
      case BGP_ATTR.LOCAL_PREF:
        if (len !== 4) return 'bad-attribute';
        a.localPref = readU32(buf, v);
        break;
      default:
        a.other.push({ flags, type, value: buf.slice(v, v + len) });
    }
    p = v + len;
  }
  return a;
}

function parseAsPath(buf: Uint8Array, p: number, end: number, as4: boolean): BgpSegment[] | null {
  const size = as4 ? 4 : 2;
  const segs: BgpSegment[] = [];
  while (p < end) {
    if (p + 2 > end) return null;
    const type = buf[p];
    const n = buf[p + 1];
    if (p + 2 + n * size > end || (type !== BGP_SEGMENT.AS_SET && type !== BGP_SEGMENT.AS_SEQUENCE)) return null;
    const asns: number[] = [];
    for (let i = 0; i < n; i++) asns.push(as4 ? readU32(buf, p + 2 + i * 4) : readU16(buf, p + 2 + i * 2));
    segs.push({ type, asns });
    p += 2 + n * size;
  }
  return segs;
}

// ---- emit -------------------------------------------------------------------------------

function prefixesLen(ps: BgpPrefix[]): number {
  return ps.reduce((s, x) => s + 1 + ((x.prefixLen + 7) >> 3), 0);
}

function emitPrefixes(ps: BgpPrefix[], buf: Uint8Array, p: number): number {
  for (const x of ps) {
    const octets = (x.prefixLen + 7) >> 3;
    buf[p] = x.prefixLen;
    for (let i = 0; i < octets; i++) buf[p + 1 + i] = (x.addr >>> (24 - 8 * i)) & 0xff;
    p += 1 + octets;
  }
  return p;
}

/** The attributes' values in type-code order (RFC 4271 §5 recommends ascending order). */
function attrList(a: BgpAttrs, as4: boolean): BgpRawAttr[] {
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    writeU32(b, 0, n >>> 0);
    return b;
  };
  const WT = BGP_ATTR_FLAG.TRANSITIVE;
  const out: BgpRawAttr[] = [];
  if (a.origin !== null) out.push({ flags: WT, type: BGP_ATTR.ORIGIN, value: Uint8Array.of(a.origin) });
  if (a.asPath !== null) {
    const size = as4 ? 4 : 2;
    const v = new Uint8Array(a.asPath.reduce((s, g) => s + 2 + g.asns.length * size, 0));
    let p = 0;
    for (const g of a.asPath) {
      v[p] = g.type;
      v[p + 1] = g.asns.length;
      g.asns.forEach((n, i) => (as4 ? writeU32(v, p + 2 + i * 4, n >>> 0) : writeU16(v, p + 2 + i * 2, n > 0xffff ? AS_TRANS : n)));
      p += 2 + g.asns.length * size;
    }
    out.push({ flags: WT, type: BGP_ATTR.AS_PATH, value: v });
  }
  if (a.nextHop !== null) out.push({ flags: WT, type: BGP_ATTR.NEXT_HOP, value: u32(a.nextHop) });
  if (a.med !== null) out.push({ flags: BGP_ATTR_FLAG.OPTIONAL, type: BGP_ATTR.MED, value: u32(a.med) });
  if (a.localPref !== null) out.push({ flags: WT, type: BGP_ATTR.LOCAL_PREF, value: u32(a.localPref) });
  out.push(...a.other);
  return out;
}

function attrWireLen(x: BgpRawAttr): number {
  return (x.value.length > 255 || (x.flags & BGP_ATTR_FLAG.EXTENDED) !== 0 ? 4 : 3) + x.value.length;
}

function bodyLen(m: BgpMessage, as4: boolean): number {
  switch (m.type) {
    case 'open':
      return O.OPT - BGP_HEADER_LEN + (m.caps.length === 0 ? 0 : 2 + m.caps.reduce((s, c) => s + 2 + c.value.length, 0));
    case 'update':
      return 4 + prefixesLen(m.withdrawn) + (m.attrs === null ? 0 : attrList(m.attrs, as4).reduce((s, x) => s + attrWireLen(x), 0)) + prefixesLen(m.nlri);
    case 'notification':
      return 2 + m.data.length;
    case 'keepalive':
      return 0;
    case 'other':
      return m.body.length;
    default:
      return m satisfies never;
  }
}

export function bgpLen(m: BgpMessage, as4 = true): number {
  return BGP_HEADER_LEN + bodyLen(m, as4);
}

function typeCode(m: BgpMessage): number {
  switch (m.type) {
    case 'open':
      return BGP_TYPE.OPEN;
    case 'update':
      return BGP_TYPE.UPDATE;
    case 'notification':
      return BGP_TYPE.NOTIFICATION;
    case 'keepalive':
      return BGP_TYPE.KEEPALIVE;
    case 'other':
      return m.code;
    default:
      return m satisfies never;
  }
}

/** Writes the message at `off`; returns its length. */
export function emitBgp(m: BgpMessage, buf: Uint8Array, off: number, as4 = true): number {
  const len = bgpLen(m, as4);
  buf.fill(0xff, off + H.MARKER, off + H.MARKER + 16);
  writeU16(buf, off + H.LENGTH, len);
  buf[off + H.TYPE] = typeCode(m);
  let p = off + BGP_HEADER_LEN;
  switch (m.type) {
    case 'open': {
      buf[off + O.VERSION] = m.version;
      writeU16(buf, off + O.MY_AS, m.myAs);
      writeU16(buf, off + O.HOLD, m.holdTimeS);
      writeU32(buf, off + O.ID, m.bgpId >>> 0);
      buf[off + O.OPT_LEN] = len - O.OPT;
      p = off + O.OPT;
      if (m.caps.length > 0) {
        buf[p] = 2;
        buf[p + 1] = len - O.OPT - 2;
        p += 2;
        for (const c of m.caps) {
          buf[p] = c.code;
          buf[p + 1] = c.value.length;
          buf.set(c.value, p + 2);
          p += 2 + c.value.length;
        }
      }
      break;
    }
    case 'update': {
      writeU16(buf, p, prefixesLen(m.withdrawn));
      p = emitPrefixes(m.withdrawn, buf, p + 2);
      const attrs = m.attrs === null ? [] : attrList(m.attrs, as4);
      writeU16(buf, p, attrs.reduce((s, x) => s + attrWireLen(x), 0));
      p += 2;
      for (const x of attrs) {
        const ext = attrWireLen(x) - x.value.length === 4;
        buf[p] = ext ? x.flags | BGP_ATTR_FLAG.EXTENDED : x.flags;
        buf[p + 1] = x.type;
        if (ext) writeU16(buf, p + 2, x.value.length);
        else buf[p + 2] = x.value.length;
        p += ext ? 4 : 3;
        buf.set(x.value, p);
        p += x.value.length;
      }
      emitPrefixes(m.nlri, buf, p);
      break;
    }
    case 'notification':
      buf[p] = m.code;
      buf[p + 1] = m.subcode;
      buf.set(m.data, p + 2);
      break;
    case 'keepalive':
      break;
    case 'other':
      buf.set(m.body, p);
      break;
    default:
      m satisfies never;
  }
  return len;
}

export function buildBgp(m: BgpMessage, as4 = true): Uint8Array {
  const out = new Uint8Array(bgpLen(m, as4));
  emitBgp(m, out, 0, as4);
  return out;
}

/** The capabilities FRR advertises for IPv4 unicast: multiprotocol 1/1, route refresh, 4-octet AS. */
export function bgpCapabilities(asn: number): BgpCapability[] {
  const as4 = new Uint8Array(4);
  writeU32(as4, 0, asn >>> 0);
  return [
    { code: BGP_CAP.MULTIPROTOCOL, value: Uint8Array.of(0, 1, 0, 1) },
    { code: BGP_CAP.ROUTE_REFRESH, value: new Uint8Array(0) },
    { code: BGP_CAP.AS4, value: as4 },
  ];
}

/** The 4-octet AS a peer advertises in capability 65, or null when it does not. */
export function bgpAs4(caps: BgpCapability[]): number | null {
  const c = caps.find((x) => x.code === BGP_CAP.AS4 && x.value.length === 4);
  return c === undefined ? null : readU32(c.value, 0);
}

// ---- format -----------------------------------------------------------------------------

const TYPE_NAMES: Record<number, string> = { 1: 'OPEN Message', 2: 'UPDATE Message', 3: 'NOTIFICATION Message', 4: 'KEEPALIVE Message', 5: 'ROUTE-REFRESH Message' };

/** The message as Wireshark's Info column names it (`UPDATE Message`). */
export function bgpTypeName(code: number): string {
  return TYPE_NAMES[code] ?? `Unknown Message (${code})`;
}

/** AS_PATH as FRR prints it: `65002 65004`, a set as `{65001,65003}`. */
/** RFC 1997 COMMUNITIES from an UPDATE's other attributes: null when absent or malformed (length not a multiple of 4). */
export function bgpCommunities(other: BgpRawAttr[]): number[] | null {
  const a = other.find((x) => x.type === BGP_ATTR.COMMUNITIES);
  if (a === undefined || a.value.length % 4 !== 0) return null;
  const out: number[] = [];
  for (let i = 0; i < a.value.length; i += 4) out.push(readU32(a.value, i));
  return out;
}

/** The COMMUNITIES attribute (optional transitive, RFC 1997 §3) carrying `cs`. */
export function bgpCommunitiesAttr(cs: number[]): BgpRawAttr {
  const value = new Uint8Array(cs.length * 4);
  cs.forEach((c, i) => writeU32(value, i * 4, c >>> 0));
  return { flags: BGP_ATTR_FLAG.OPTIONAL | BGP_ATTR_FLAG.TRANSITIVE, type: BGP_ATTR.COMMUNITIES, value };
}

export function formatAsPath(segs: BgpSegment[] | null): string {
  if (segs === null) return '';
  return segs.map((g) => (g.type === BGP_SEGMENT.AS_SET ? `{${g.asns.join(',')}}` : g.asns.join(' '))).join(' ');
}

export function formatBgp(m: BgpMessage): string {
  switch (m.type) {
    case 'open':
      return `OPEN AS ${bgpAs4(m.caps) ?? m.myAs} hold ${m.holdTimeS}s id ${formatIpv4(m.bgpId)}`;
    case 'update': {
      const path = m.attrs === null ? '' : ` path [${formatAsPath(m.attrs.asPath)}]${m.attrs.nextHop === null ? '' : ` nh ${formatIpv4(m.attrs.nextHop)}`}`;
      const nlri = m.nlri.map((x) => formatCidr(x.addr, x.prefixLen)).join(' ');
      const wd = m.withdrawn.map((x) => formatCidr(x.addr, x.prefixLen)).join(' ');
      return `UPDATE${nlri ? ` ${nlri}` : ''}${path}${wd ? ` withdrawn ${wd}` : ''}`;
    }
    case 'notification':
      return `NOTIFICATION ${m.code}/${m.subcode}`;
    case 'keepalive':
      return 'KEEPALIVE';
    case 'other':
      return bgpTypeName(m.code);
    default:
      return m satisfies never;
  }
}
