// OSPFv2 packets (IP protocol 89) and LSAs: parse and build the five packet types (Hello,
// Database Description, Link State Request, Link State Update, Link State Acknowledgment),
// the LSA header with its Fletcher checksum, and the router-, network-, summary- and
// AS-external-LSA bodies. Only bytes: neighbors, flooding and SPF live in node/daemons/ospfd*.
// RFC 2328 appendix A.3 (packets), A.4 (LSAs), §12.1.7 (LSA checksum), RFC 905 annex B.

import { readU16, readU32, writeU16, writeU32 } from './addr';
import { internetChecksum } from './checksum';

export const OSPF_PROTO = 89;
/** 224.0.0.5 AllSPFRouters, 224.0.0.6 AllDRouters (RFC 2328 A.1). */
export const OSPF_ALL_SPF = 0xe0000005;
export const OSPF_ALL_DR = 0xe0000006;
export const OSPF_HEADER_LEN = 24;
export const LSA_HEADER_LEN = 20;
export const OSPF_TYPE = { HELLO: 1, DD: 2, LSR: 3, LSU: 4, ACK: 5 } as const;
export const LSA_TYPE = { ROUTER: 1, NETWORK: 2, SUMMARY: 3, ASBR_SUMMARY: 4, EXTERNAL: 5 } as const;
export const ROUTER_LINK = { P2P: 1, TRANSIT: 2, STUB: 3, VIRTUAL: 4 } as const;
export const DD_FLAG = { MS: 1, M: 2, I: 4 } as const;
/** The E bit of the options field: the area carries AS-external-LSAs (RFC 2328 A.2). */
export const OPT_E = 0x02;
export const MAX_AGE = 3600;
export const INITIAL_SEQ = 0x80000001 | 0;

export interface LsaHeader {
  age: number;
  options: number;
  type: number;
  id: number;
  adv: number;
  seq: number;
  checksum: number;
  length: number;
}

export interface Hello {
  mask: number;
  helloInterval: number;
  options: number;
  priority: number;
  deadInterval: number;
  dr: number;
  bdr: number;
  neighbors: number[];
}

export interface Dd {
  mtu: number;
  options: number;
  flags: number;
  seq: number;
  headers: LsaHeader[];
}

export interface LsReq {
  type: number;
  id: number;
  adv: number;
}

export type OspfBody =
  | { type: typeof OSPF_TYPE.HELLO; hello: Hello }
  | { type: typeof OSPF_TYPE.DD; dd: Dd }
  | { type: typeof OSPF_TYPE.LSR; requests: LsReq[] }
  | { type: typeof OSPF_TYPE.LSU; lsas: Uint8Array[] }
  | { type: typeof OSPF_TYPE.ACK; headers: LsaHeader[] };

export interface OspfPacket {
  routerId: number;
  areaId: number;
  body: OspfBody;
}

export interface RouterLink {
  id: number;
  data: number;
  type: number;
  metric: number;
}

export function readLsaHeader(b: Uint8Array, o: number): LsaHeader {
  return { age: readU16(b, o), options: b[o + 2], type: b[o + 3], id: readU32(b, o + 4), adv: readU32(b, o + 8), seq: readU32(b, o + 12) | 0, checksum: readU16(b, o + 16), length: readU16(b, o + 18) };
}

function writeLsaHeader(b: Uint8Array, o: number, h: LsaHeader): void {
  writeU16(b, o, h.age);
  b[o + 2] = h.options;
  b[o + 3] = h.type;
  writeU32(b, o + 4, h.id);
  writeU32(b, o + 8, h.adv);
  writeU32(b, o + 12, h.seq >>> 0);
  writeU16(b, o + 16, h.checksum);
  writeU16(b, o + 18, h.length);
}

/** The Fletcher checksum of an LSA (all but LS age), as the two bytes at offset 16. */
export function lsaChecksum(lsa: Uint8Array): number {
  const len = readU16(lsa, 18);
  let c0 = 0;
  let c1 = 0;
  for (let i = 2; i < len; i++) {
    const v = i === 16 || i === 17 ? 0 : lsa[i];
    c0 = (c0 + v) % 255;
    c1 = (c1 + c0) % 255;
  }
  const pos = 14; // offset of the checksum inside the checksummed bytes
  let x = (((len - 2 - pos - 1) * c0 - c1) % 255 + 255) % 255;
  if (x === 0) x = 255;
  let y = 510 - c0 - x;
  if (y > 255) y -= 255;
  return ((x & 0xff) << 8) | (y & 0xff);
}

export function lsaChecksumValid(lsa: Uint8Array): boolean {
  const len = readU16(lsa, 18);
  if (len < LSA_HEADER_LEN || len > lsa.length) return false;
  let c0 = 0;
  let c1 = 0;
  for (let i = 2; i < len; i++) {
    c0 = (c0 + lsa[i]) % 255;
    c1 = (c1 + c0) % 255;
  }
  return c0 === 0 && c1 === 0;
}

/** An LSA with header `h` (length and checksum filled in) and `body`. */
export function buildLsa(h: Omit<LsaHeader, 'length' | 'checksum'>, body: Uint8Array): Uint8Array {
  const lsa = new Uint8Array(LSA_HEADER_LEN + body.length);
  writeLsaHeader(lsa, 0, { ...h, checksum: 0, length: lsa.length });
  lsa.set(body, LSA_HEADER_LEN);
  writeU16(lsa, 16, lsaChecksum(lsa));
  return lsa;
}

export function routerLsaBody(flags: number, links: RouterLink[]): Uint8Array {
  const b = new Uint8Array(4 + 12 * links.length);
  b[0] = flags;
  writeU16(b, 2, links.length);
  links.forEach((l, k) => {
    const o = 4 + 12 * k;
    writeU32(b, o, l.id);
    writeU32(b, o + 4, l.data);
    b[o + 8] = l.type;
    writeU16(b, o + 10, l.metric);
  });
  return b;
}

/** The links of a router-LSA (whole LSA bytes), or null when malformed. */
export function parseRouterLinks(lsa: Uint8Array): RouterLink[] | null {
  const len = readU16(lsa, 18);
  if (len < 24 || len > lsa.length) return null;
  const n = readU16(lsa, 22);
  const out: RouterLink[] = [];
  let o = 24;
  for (let k = 0; k < n; k++) {
    if (o + 12 > len) return null;
    const tos = lsa[o + 9];
    out.push({ id: readU32(lsa, o), data: readU32(lsa, o + 4), type: lsa[o + 8], metric: readU16(lsa, o + 10) });
    o += 12 + 4 * tos;
  }
  return out;
}

export function networkLsaBody(mask: number, routers: number[]): Uint8Array {
  const b = new Uint8Array(4 + 4 * routers.length);
  writeU32(b, 0, mask);
  routers.forEach((r, k) => writeU32(b, 4 + 4 * k, r));
  return b;
}

export function parseNetworkLsa(lsa: Uint8Array): { mask: number; routers: number[] } | null {
  const len = readU16(lsa, 18);
  if (len < 24 || len > lsa.length || (len - 24) % 4 !== 0) return null;
  const routers: number[] = [];
  for (let o = 24; o < len; o += 4) routers.push(readU32(lsa, o));
  return { mask: readU32(lsa, 20), routers };
}

/** AS-external-LSA body: type-2 metric (E bit set), no forwarding address, tag 0. */
export function externalLsaBody(mask: number, metric: number): Uint8Array {
  const b = new Uint8Array(16);
  writeU32(b, 0, mask);
  writeU32(b, 4, (0x80000000 | (metric & 0xffffff)) >>> 0);
  return b;
}

export function parseExternalLsa(lsa: Uint8Array): { mask: number; e2: boolean; metric: number; fwd: number } | null {
  const len = readU16(lsa, 18);
  if (len < 36 || len > lsa.length) return null;
  const w = readU32(lsa, 24);
  return { mask: readU32(lsa, 20), e2: (w & 0x80000000) !== 0, metric: w & 0xffffff, fwd: readU32(lsa, 28) };
}

/** Summary-LSA body (type 3 network, type 4 ASBR with mask 0): mask, TOS 0 metric (RFC 2328 A.4.4). */
export function summaryLsaBody(mask: number, metric: number): Uint8Array {
  const b = new Uint8Array(8);
  writeU32(b, 0, mask);
  writeU32(b, 4, metric & 0xffffff);
  return b;
}

export function parseSummaryLsa(lsa: Uint8Array): { mask: number; metric: number } | null {
  const len = readU16(lsa, 18);
  if (len < 28 || len > lsa.length) return null;
  return { mask: readU32(lsa, 20), metric: readU32(lsa, 24) & 0xffffff };
}

/** LSInfinity (RFC 2328 B): a summary with this metric advertises an unreachable destination. */
export const LS_INFINITY = 0xffffff;

/** A Link State Update body: the LSA count, then the LSAs (the same in OSPFv2 and v3). */
export function lsuBodyBytes(lsas: Uint8Array[]): Uint8Array {
  const b = new Uint8Array(lsas.reduce((s, l) => s + l.length, 4));
  writeU32(b, 0, lsas.length);
  let o = 4;
  for (const l of lsas) {
    b.set(l, o);
    o += l.length;
  }
  return b;
}

/** The LSAs of a Link State Update body at `o` (packet length `len`), or why it is malformed. */
export function parseLsuBody(b: Uint8Array, o: number, len: number): Uint8Array[] | string {
  if (len - o < 4) return 'bad link state update length';
  const count = readU32(b, o);
  const lsas: Uint8Array[] = [];
  let k = o + 4;
  for (let i = 0; i < count; i++) {
    if (k + LSA_HEADER_LEN > len) return 'truncated LSA';
    const l = readU16(b, k + 18);
    if (l < LSA_HEADER_LEN || k + l > len) return 'bad LSA length';
    lsas.push(b.slice(k, k + l));
    k += l;
  }
  return lsas;
}

function bodyBytes(body: OspfBody): Uint8Array {
  switch (body.type) {
    case OSPF_TYPE.HELLO: {
      const h = body.hello;
      const b = new Uint8Array(20 + 4 * h.neighbors.length);
      writeU32(b, 0, h.mask);
      writeU16(b, 4, h.helloInterval);
      b[6] = h.options;
      b[7] = h.priority;
      writeU32(b, 8, h.deadInterval);
      writeU32(b, 12, h.dr);
      writeU32(b, 16, h.bdr);
      h.neighbors.forEach((n, k) => writeU32(b, 20 + 4 * k, n));
      return b;
    }
    case OSPF_TYPE.DD: {
      const d = body.dd;
      const b = new Uint8Array(8 + LSA_HEADER_LEN * d.headers.length);
      writeU16(b, 0, d.mtu);
      b[2] = d.options;
      b[3] = d.flags;
      writeU32(b, 4, d.seq >>> 0);
      d.headers.forEach((h, k) => writeLsaHeader(b, 8 + LSA_HEADER_LEN * k, h));
      return b;
    }
    case OSPF_TYPE.LSR: {
      const b = new Uint8Array(12 * body.requests.length);
      body.requests.forEach((r, k) => {
        writeU32(b, 12 * k, r.type);
        writeU32(b, 12 * k + 4, r.id);
        writeU32(b, 12 * k + 8, r.adv);
      });
      return b;
    }
    case OSPF_TYPE.LSU:
      return lsuBodyBytes(body.lsas);
    case OSPF_TYPE.ACK: {
      const b = new Uint8Array(LSA_HEADER_LEN * body.headers.length);
      body.headers.forEach((h, k) => writeLsaHeader(b, LSA_HEADER_LEN * k, h));
      return b;
    }
  }
}

/** An OSPF packet with null authentication and its checksum (RFC 2328 D.4.1). */
export function buildOspf(p: OspfPacket): Uint8Array {
  const body = bodyBytes(p.body);
  const b = new Uint8Array(OSPF_HEADER_LEN + body.length);
  b[0] = 2;
  b[1] = p.body.type;
  writeU16(b, 2, b.length);
  writeU32(b, 4, p.routerId);
  writeU32(b, 8, p.areaId);
  b.set(body, OSPF_HEADER_LEN);
  writeU16(b, 12, internetChecksum(b, 0, b.length));
  return b;
}

/**
 * A Link State Update packet straight from stored LSAs, `ages[k]` written into LSA k's LS age
 * (not covered by the LSA checksum): the same bytes as buildOspf with one copy per LSA.
 */
export function buildOspfLsu(routerId: number, areaId: number, lsas: readonly Uint8Array[], ages: readonly number[]): Uint8Array {
  let len = OSPF_HEADER_LEN + 4;
  for (const l of lsas) len += l.length;
  const b = new Uint8Array(len);
  b[0] = 2;
  b[1] = OSPF_TYPE.LSU;
  writeU16(b, 2, len);
  writeU32(b, 4, routerId);
  writeU32(b, 8, areaId);
  writeU32(b, OSPF_HEADER_LEN, lsas.length);
  let o = OSPF_HEADER_LEN + 4;
  for (let k = 0; k < lsas.length; k++) {
    const l = lsas[k]!;
    b.set(l, o);
    writeU16(b, o, ages[k]!);
    o += l.length;
  }
  writeU16(b, 12, internetChecksum(b, 0, len));
  return b;
}

/** Parses an OSPFv2 packet, or says why it is malformed. */
export function parseOspf(b: Uint8Array): OspfPacket | string {
  if (b.length < OSPF_HEADER_LEN) return 'shorter than the OSPF header';
  if (b[0] !== 2) return `version ${b[0]}, not 2`;
  const len = readU16(b, 2);
  if (len < OSPF_HEADER_LEN || len > b.length) return `bad length ${len}`;
  if (readU16(b, 14) !== 0) return 'authentication type is not null';
  if (internetChecksum(b, 0, len) !== 0) return 'bad checksum';
  const routerId = readU32(b, 4);
  const areaId = readU32(b, 8);
  const o = OSPF_HEADER_LEN;
  const n = len - o;
  switch (b[1]) {
    case OSPF_TYPE.HELLO: {
      if (n < 20 || (n - 20) % 4 !== 0) return 'bad hello length';
      const neighbors: number[] = [];
      for (let k = o + 20; k < len; k += 4) neighbors.push(readU32(b, k));
      return { routerId, areaId, body: { type: OSPF_TYPE.HELLO, hello: { mask: readU32(b, o), helloInterval: readU16(b, o + 4), options: b[o + 6], priority: b[o + 7], deadInterval: readU32(b, o + 8), dr: readU32(b, o + 12), bdr: readU32(b, o + 16), neighbors } } };
    }
    case OSPF_TYPE.DD: {
      if (n < 8 || (n - 8) % LSA_HEADER_LEN !== 0) return 'bad database description length';
      const headers: LsaHeader[] = [];
      for (let k = o + 8; k < len; k += LSA_HEADER_LEN) headers.push(readLsaHeader(b, k));
      return { routerId, areaId, body: { type: OSPF_TYPE.DD, dd: { mtu: readU16(b, o), options: b[o + 2], flags: b[o + 3], seq: readU32(b, o + 4) | 0, headers } } };
    }
    case OSPF_TYPE.LSR: {
      if (n % 12 !== 0) return 'bad link state request length';
      const requests: LsReq[] = [];
      for (let k = o; k < len; k += 12) requests.push({ type: readU32(b, k), id: readU32(b, k + 4), adv: readU32(b, k + 8) });
      return { routerId, areaId, body: { type: OSPF_TYPE.LSR, requests } };
    }
    case OSPF_TYPE.LSU: {
      const lsas = parseLsuBody(b, o, len);
      return typeof lsas === 'string' ? lsas : { routerId, areaId, body: { type: OSPF_TYPE.LSU, lsas } };
    }
    case OSPF_TYPE.ACK: {
      if (n % LSA_HEADER_LEN !== 0) return 'bad link state acknowledgment length';
      const headers: LsaHeader[] = [];
      for (let k = o; k < len; k += LSA_HEADER_LEN) headers.push(readLsaHeader(b, k));
      return { routerId, areaId, body: { type: OSPF_TYPE.ACK, headers } };
    }
    default:
      return `unknown packet type ${b[1]}`;
  }
}
