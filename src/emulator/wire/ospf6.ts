// OSPFv3 packets (IPv6 next header 89) and LSAs: parse and build the five packet types
// (Hello, Database Description, Link State Request, Link State Update, Link State
// Acknowledgment), the 20-byte LSA header (same layout and Fletcher checksum as OSPFv2, the
// LS type a 16-bit field), and the Router-, Network-, Link- and Intra-Area-Prefix-LSA
// bodies. The packet checksum covers the IPv6 pseudo-header and is filled by the stack
// (IPV6_CHECKSUM at offset 12). Only bytes; the daemon lives in node/daemons/ospf6d*.
// RFC 5340 appendix A.3 (packets), A.4 (LSAs), A.4.1 (prefix representation).

import { readU16, readU32, writeU16, writeU32 } from './addr';
import type { Ipv6Addr } from './ipv6-addr';
import { LSA_HEADER_LEN, lsaChecksum, lsuBodyBytes, parseLsuBody } from './ospf';

export { lsaChecksumValid } from './ospf';
export { LSA_HEADER_LEN };

export const OSPF6_NEXT = 89;
/** ff02::5 AllSPFRouters, ff02::6 AllDRouters (RFC 5340 A.1). */
export const OSPF6_ALL_SPF: Ipv6Addr = Uint8Array.of(0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5);
export const OSPF6_ALL_DR: Ipv6Addr = Uint8Array.of(0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6);
export const OSPF6_HEADER_LEN = 16;
/** Where the packet checksum sits (the stack fills it over the pseudo-header). */
export const OSPF6_CHECKSUM_AT = 12;
export const OSPF6_TYPE = { HELLO: 1, DD: 2, LSR: 3, LSU: 4, ACK: 5 } as const;
/** LS types with their U and S bits (RFC 5340 A.4.2.1). */
export const LSA6_TYPE = { ROUTER: 0x2001, NETWORK: 0x2002, INTER_PREFIX: 0x2003, INTER_ROUTER: 0x2004, EXTERNAL: 0x4005, LINK: 0x0008, INTRA_PREFIX: 0x2009 } as const;
export const ROUTER6_LINK = { P2P: 1, TRANSIT: 2, VIRTUAL: 4 } as const;
/** Options (A.2): V6, E, R, as FRR sets them. */
export const OPT6_V6 = 0x01;
export const OPT6_E = 0x02;
export const OPT6_R = 0x10;
export const OPT6_DEFAULT = OPT6_V6 | OPT6_E | OPT6_R;

/** Header field offsets (A.3.1). */
const H = { VERSION: 0, TYPE: 1, LENGTH: 2, ROUTER_ID: 4, AREA_ID: 8, CHECKSUM: 12, INSTANCE: 14 } as const;
/** LSA header field offsets (A.4.2). */
const L = { AGE: 0, TYPE: 2, ID: 4, ADV: 8, SEQ: 12, CHECKSUM: 16, LENGTH: 18 } as const;

export interface Lsa6Header {
  age: number;
  type: number;
  id: number;
  adv: number;
  seq: number;
  checksum: number;
  length: number;
}

export interface Hello6 {
  ifId: number;
  priority: number;
  options: number;
  helloInterval: number;
  deadInterval: number;
  dr: number;
  bdr: number;
  neighbors: number[];
}

export interface Dd6 {
  options: number;
  mtu: number;
  flags: number;
  seq: number;
  headers: Lsa6Header[];
}

export interface LsReq6 {
  type: number;
  id: number;
  adv: number;
}

export type Ospf6Body =
  | { type: typeof OSPF6_TYPE.HELLO; hello: Hello6 }
  | { type: typeof OSPF6_TYPE.DD; dd: Dd6 }
  | { type: typeof OSPF6_TYPE.LSR; requests: LsReq6[] }
  | { type: typeof OSPF6_TYPE.LSU; lsas: Uint8Array[] }
  | { type: typeof OSPF6_TYPE.ACK; headers: Lsa6Header[] };

export interface Ospf6Packet {
  routerId: number;
  areaId: number;
  instance: number;
  body: Ospf6Body;
}

export interface Router6Link {
  type: number;
  metric: number;
  ifId: number;
  nbrIfId: number;
  nbrRid: number;
}

export interface Prefix6 {
  prefixLen: number;
  options: number;
  metric: number;
  /** 16 bytes, the bits past prefixLen zero. */
  prefix: Ipv6Addr;
}

export function readLsa6Header(b: Uint8Array, o: number): Lsa6Header {
  return { age: readU16(b, o + L.AGE), type: readU16(b, o + L.TYPE), id: readU32(b, o + L.ID), adv: readU32(b, o + L.ADV), seq: readU32(b, o + L.SEQ) | 0, checksum: readU16(b, o + L.CHECKSUM), length: readU16(b, o + L.LENGTH) };
}

function writeLsa6Header(b: Uint8Array, o: number, h: Lsa6Header): void {
  writeU16(b, o + L.AGE, h.age);
  writeU16(b, o + L.TYPE, h.type);
  writeU32(b, o + L.ID, h.id);
  writeU32(b, o + L.ADV, h.adv);
  writeU32(b, o + L.SEQ, h.seq >>> 0);
  writeU16(b, o + L.CHECKSUM, h.checksum);
  writeU16(b, o + L.LENGTH, h.length);
}

/** An LSA with header `h` (length and Fletcher checksum filled in, as OSPFv2's) and `body`. */
export function buildLsa6(h: Omit<Lsa6Header, 'length' | 'checksum'>, body: Uint8Array): Uint8Array {
  const lsa = new Uint8Array(LSA_HEADER_LEN + body.length);
  writeLsa6Header(lsa, 0, { ...h, checksum: 0, length: lsa.length });
  lsa.set(body, LSA_HEADER_LEN);
  writeU16(lsa, L.CHECKSUM, lsaChecksum(lsa));
  return lsa;
}

/** Bytes an address prefix of `len` bits takes (A.4.1: whole 32-bit words). */
function prefixBytes(len: number): number {
  return Math.ceil(len / 32) * 4;
}

function writePrefix(b: Uint8Array, o: number, p: Prefix6, third: number): number {
  b[o] = p.prefixLen;
  b[o + 1] = p.options;
  writeU16(b, o + 2, third);
  const n = prefixBytes(p.prefixLen);
  b.set(p.prefix.subarray(0, n), o + 4);
  return o + 4 + n;
}

/** Reads `count` prefixes from `o`; null when they overrun `end`. */
function readPrefixes(b: Uint8Array, o: number, end: number, count: number): Prefix6[] | null {
  const out: Prefix6[] = [];
  for (let k = 0; k < count; k++) {
    if (o + 4 > end) return null;
    const prefixLen = b[o];
    const n = prefixBytes(prefixLen);
    if (prefixLen > 128 || o + 4 + n > end) return null;
    const prefix = new Uint8Array(16);
    prefix.set(b.subarray(o + 4, o + 4 + n));
    out.push({ prefixLen, options: b[o + 1], metric: readU16(b, o + 2), prefix });
    o += 4 + n;
  }
  return out;
}

const prefixesLen = (ps: Prefix6[]) => ps.reduce((s, p) => s + 4 + prefixBytes(p.prefixLen), 0);

function lsaLen(lsa: Uint8Array, min: number): number | null {
  if (lsa.length < LSA_HEADER_LEN) return null;
  const len = readU16(lsa, L.LENGTH);
  return len < min || len > lsa.length ? null : len;
}

export function router6LsaBody(flags: number, options: number, links: Router6Link[]): Uint8Array {
  const b = new Uint8Array(4 + 16 * links.length);
  writeU32(b, 0, ((flags << 24) | options) >>> 0);
  links.forEach((l, k) => {
    const o = 4 + 16 * k;
    b[o] = l.type;
    writeU16(b, o + 2, l.metric);
    writeU32(b, o + 4, l.ifId);
    writeU32(b, o + 8, l.nbrIfId);
    writeU32(b, o + 12, l.nbrRid);
  });
  return b;
}

export function parseRouter6Lsa(lsa: Uint8Array): { flags: number; options: number; links: Router6Link[] } | null {
  const len = lsaLen(lsa, 24);
  if (len === null || (len - 24) % 16 !== 0) return null;
  const links: Router6Link[] = [];
  for (let o = 24; o < len; o += 16) links.push({ type: lsa[o], metric: readU16(lsa, o + 2), ifId: readU32(lsa, o + 4), nbrIfId: readU32(lsa, o + 8), nbrRid: readU32(lsa, o + 12) });
  return { flags: lsa[20], options: readU32(lsa, 20) & 0xffffff, links };
}

export function network6LsaBody(options: number, routers: number[]): Uint8Array {
  const b = new Uint8Array(4 + 4 * routers.length);
  writeU32(b, 0, options & 0xffffff);
  routers.forEach((r, k) => writeU32(b, 4 + 4 * k, r));
  return b;
}

export function parseNetwork6Lsa(lsa: Uint8Array): { options: number; routers: number[] } | null {
  const len = lsaLen(lsa, 24);
  if (len === null || (len - 24) % 4 !== 0) return null;
  const routers: number[] = [];
  for (let o = 24; o < len; o += 4) routers.push(readU32(lsa, o));
  return { options: readU32(lsa, 20) & 0xffffff, routers };
}

export interface Link6Lsa {
  priority: number;
  options: number;
  linkLocal: Ipv6Addr;
  prefixes: Prefix6[];
}

export function link6LsaBody(l: Link6Lsa): Uint8Array {
  const b = new Uint8Array(24 + prefixesLen(l.prefixes));
  writeU32(b, 0, ((l.priority << 24) | (l.options & 0xffffff)) >>> 0);
  b.set(l.linkLocal, 4);
  writeU32(b, 20, l.prefixes.length);
  let o = 24;
  for (const p of l.prefixes) o = writePrefix(b, o, p, 0);
  return b;
}

export function parseLink6Lsa(lsa: Uint8Array): Link6Lsa | null {
  const len = lsaLen(lsa, 44);
  if (len === null) return null;
  const count = readU32(lsa, 40);
  if (count > 1000) return null;
  const prefixes = readPrefixes(lsa, 44, len, count);
  return prefixes === null ? null : { priority: lsa[20], options: readU32(lsa, 20) & 0xffffff, linkLocal: lsa.slice(24, 40), prefixes };
}

export interface IntraPrefix6Lsa {
  refType: number;
  refId: number;
  refAdv: number;
  prefixes: Prefix6[];
}

export function intraPrefix6LsaBody(l: IntraPrefix6Lsa): Uint8Array {
  const b = new Uint8Array(12 + prefixesLen(l.prefixes));
  writeU16(b, 0, l.prefixes.length);
  writeU16(b, 2, l.refType);
  writeU32(b, 4, l.refId);
  writeU32(b, 8, l.refAdv);
  let o = 12;
  for (const p of l.prefixes) o = writePrefix(b, o, p, p.metric);
  return b;
}

export function parseIntraPrefix6Lsa(lsa: Uint8Array): IntraPrefix6Lsa | null {
  const len = lsaLen(lsa, 32);
  if (len === null) return null;
  const prefixes = readPrefixes(lsa, 32, len, readU16(lsa, 20));
  return prefixes === null ? null : { refType: readU16(lsa, 22), refId: readU32(lsa, 24), refAdv: readU32(lsa, 28), prefixes };
}

function bodyBytes(body: Ospf6Body): Uint8Array {
  switch (body.type) {
    case OSPF6_TYPE.HELLO: {
      const h = body.hello;
      const b = new Uint8Array(20 + 4 * h.neighbors.length);
      writeU32(b, 0, h.ifId);
      writeU32(b, 4, ((h.priority << 24) | (h.options & 0xffffff)) >>> 0);
      writeU16(b, 8, h.helloInterval);
      writeU16(b, 10, h.deadInterval);
      writeU32(b, 12, h.dr);
      writeU32(b, 16, h.bdr);
      h.neighbors.forEach((n, k) => writeU32(b, 20 + 4 * k, n));
      return b;
    }
    case OSPF6_TYPE.DD: {
      const d = body.dd;
      const b = new Uint8Array(12 + LSA_HEADER_LEN * d.headers.length);
      writeU32(b, 0, d.options & 0xffffff);
      writeU16(b, 4, d.mtu);
      b[7] = d.flags;
      writeU32(b, 8, d.seq >>> 0);
      d.headers.forEach((h, k) => writeLsa6Header(b, 12 + LSA_HEADER_LEN * k, h));
      return b;
    }
    case OSPF6_TYPE.LSR: {
      const b = new Uint8Array(12 * body.requests.length);
      body.requests.forEach((r, k) => {
        writeU16(b, 12 * k + 2, r.type);
        writeU32(b, 12 * k + 4, r.id);
        writeU32(b, 12 * k + 8, r.adv);
      });
      return b;
    }
    case OSPF6_TYPE.LSU:
      return lsuBodyBytes(body.lsas);
    case OSPF6_TYPE.ACK: {
      const b = new Uint8Array(LSA_HEADER_LEN * body.headers.length);
      body.headers.forEach((h, k) => writeLsa6Header(b, LSA_HEADER_LEN * k, h));
      return b;
    }
  }
}

/** An OSPFv3 packet with a zero checksum (the stack computes it over the pseudo-header). */
export function buildOspf6(p: Ospf6Packet): Uint8Array {
  const body = bodyBytes(p.body);
  const b = new Uint8Array(OSPF6_HEADER_LEN + body.length);
  b[H.VERSION] = 3;
  b[H.TYPE] = p.body.type;
  writeU16(b, H.LENGTH, b.length);
  writeU32(b, H.ROUTER_ID, p.routerId);
  writeU32(b, H.AREA_ID, p.areaId);
  b[H.INSTANCE] = p.instance;
  b.set(body, OSPF6_HEADER_LEN);
  return b;
}

/** Parses an OSPFv3 packet (its checksum already verified by the stack), or says why it is malformed. Never throws. */
export function parseOspf6(b: Uint8Array): Ospf6Packet | string {
  if (b.length < OSPF6_HEADER_LEN) return 'shorter than the OSPFv3 header';
  if (b[H.VERSION] !== 3) return `version ${b[H.VERSION]}, not 3`;
  const len = readU16(b, H.LENGTH);
  if (len < OSPF6_HEADER_LEN || len > b.length) return `bad length ${len}`;
  const routerId = readU32(b, H.ROUTER_ID);
  const areaId = readU32(b, H.AREA_ID);
  const instance = b[H.INSTANCE];
  const head = { routerId, areaId, instance };
  const o = OSPF6_HEADER_LEN;
  const n = len - o;
  switch (b[H.TYPE]) {
    case OSPF6_TYPE.HELLO: {
      if (n < 20 || (n - 20) % 4 !== 0) return 'bad hello length';
      const neighbors: number[] = [];
      for (let k = o + 20; k < len; k += 4) neighbors.push(readU32(b, k));
      const hello: Hello6 = { ifId: readU32(b, o), priority: b[o + 4], options: readU32(b, o + 4) & 0xffffff, helloInterval: readU16(b, o + 8), deadInterval: readU16(b, o + 10), dr: readU32(b, o + 12), bdr: readU32(b, o + 16), neighbors };
      return { ...head, body: { type: OSPF6_TYPE.HELLO, hello } };
    }
    case OSPF6_TYPE.DD: {
      if (n < 12 || (n - 12) % LSA_HEADER_LEN !== 0) return 'bad database description length';
      const headers: Lsa6Header[] = [];
      for (let k = o + 12; k < len; k += LSA_HEADER_LEN) headers.push(readLsa6Header(b, k));
      return { ...head, body: { type: OSPF6_TYPE.DD, dd: { options: readU32(b, o) & 0xffffff, mtu: readU16(b, o + 4), flags: b[o + 7], seq: readU32(b, o + 8) | 0, headers } } };
    }
    case OSPF6_TYPE.LSR: {
      if (n % 12 !== 0) return 'bad link state request length';
      const requests: LsReq6[] = [];
      for (let k = o; k < len; k += 12) requests.push({ type: readU16(b, k + 2), id: readU32(b, k + 4), adv: readU32(b, k + 8) });
      return { ...head, body: { type: OSPF6_TYPE.LSR, requests } };
    }
    case OSPF6_TYPE.LSU: {
      const lsas = parseLsuBody(b, o, len);
      return typeof lsas === 'string' ? lsas : { ...head, body: { type: OSPF6_TYPE.LSU, lsas } };
    }
    case OSPF6_TYPE.ACK: {
      if (n % LSA_HEADER_LEN !== 0) return 'bad link state acknowledgment length';
      const headers: Lsa6Header[] = [];
      for (let k = o; k < len; k += LSA_HEADER_LEN) headers.push(readLsa6Header(b, k));
      return { ...head, body: { type: OSPF6_TYPE.ACK, headers } };
    }
    default:
      return `unknown packet type ${b[H.TYPE]}`;
  }
}

/** AS-External-LSA flags (A.4.7): E (type 2 metric), F (forwarding address), T (route tag). */
const EXT = { E: 0x04, F: 0x02, T: 0x01 } as const;

/** AS-External-LSA body: type-2 metric, no forwarding address, tag or referenced LSA. */
export function external6LsaBody(metric: number, prefixLen: number, prefix: Ipv6Addr): Uint8Array {
  const b = new Uint8Array(8 + prefixBytes(prefixLen));
  writeU32(b, 0, ((EXT.E << 24) | (metric & 0xffffff)) >>> 0);
  writePrefix(b, 4, { prefixLen, options: 0, metric: 0, prefix }, 0);
  return b;
}

export function parseExternal6Lsa(lsa: Uint8Array): { e2: boolean; metric: number; prefix: Prefix6 } | null {
  const len = lsaLen(lsa, 28);
  if (len === null) return null;
  const flags = lsa[20];
  const ps = readPrefixes(lsa, 24, len, 1);
  if (ps === null) return null;
  const after = 28 + prefixBytes(ps[0].prefixLen) + (flags & EXT.F ? 16 : 0) + (flags & EXT.T ? 4 : 0) + (readU16(lsa, 26) !== 0 ? 4 : 0);
  if (after > len) return null;
  return { e2: (flags & EXT.E) !== 0, metric: readU32(lsa, 20) & 0xffffff, prefix: { ...ps[0], metric: 0 } };
}
