// DNS messages (the UDP payload on port 53): header view, repr, parse, emit, format.
// Only bytes and their presentation: resolution, zones and caches live in node/services.
// RFC 1035 §4.1 (header, question, resource record), §4.1.4 (name compression: followed
// on parse with loop protection, used on emit), §3.3 (RDATA of NS, CNAME, SOA, PTR, MX,
// TXT), §3.4.1 (A), RFC 3596 §2.2 (AAAA), §5.1 (master-file escapes in names and TXT).
// Parse never throws: it returns the reason the bytes are not a DNS message.

import { formatIpv4, readU16, readU32, writeU16, writeU32 } from './addr';
import { formatIpv6 } from './ipv6-addr';

export const DNS_PORT = 53;
export const DNS_HEADER_LEN = 12;
/** RFC 1035 §2.3.4: 512 bytes of UDP payload without EDNS. */
export const DNS_UDP_MAX = 512;
/** RFC 1035 §2.3.4: a name is at most 255 bytes on the wire, a label 63. */
export const DNS_NAME_MAX = 255;
export const DNS_LABEL_MAX = 63;
/** Compression pointers followed before a name is refused as a loop. */
const POINTER_HOPS_MAX = 64;

export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 } as const;
export const DNS_CLASS_IN = 1;
export const DNS_OPCODE_QUERY = 0;
export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** Offsets in the 12-byte header (RFC 1035 §4.1.1). */
const F = { ID: 0, FLAGS: 2, QDCOUNT: 4, ANCOUNT: 6, NSCOUNT: 8, ARCOUNT: 10 } as const;
/** Flag bits within the 16-bit flags word. */
const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080, Z: 0x0040, AD: 0x0020, CD: 0x0010 } as const;

export class DnsHeaderView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= DNS_HEADER_LEN && off + len <= buf.length;
  }
  get id(): number {
    return readU16(this.buf, this.off + F.ID);
  }
  get flags(): number {
    return readU16(this.buf, this.off + F.FLAGS);
  }
  get qr(): boolean {
    return (this.flags & FLAG.QR) !== 0;
  }
  get opcode(): number {
    return (this.flags >> 11) & 0xf;
  }
  get rcode(): number {
    return this.flags & 0xf;
  }
  get qdcount(): number {
    return readU16(this.buf, this.off + F.QDCOUNT);
  }
  get ancount(): number {
    return readU16(this.buf, this.off + F.ANCOUNT);
  }
  get nscount(): number {
    return readU16(this.buf, this.off + F.NSCOUNT);
  }
  get arcount(): number {
    return readU16(this.buf, this.off + F.ARCOUNT);
  }
}

export type DnsRdata =
  | { type: typeof DNS_TYPE.A; addr: number }
  | { type: typeof DNS_TYPE.AAAA; addr: Uint8Array }
  | { type: typeof DNS_TYPE.NS | typeof DNS_TYPE.CNAME | typeof DNS_TYPE.PTR; name: string }
  | { type: typeof DNS_TYPE.MX; preference: number; exchange: string }
  | { type: typeof DNS_TYPE.SOA; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  | { type: typeof DNS_TYPE.TXT; strings: string[] }
  /** Any other type (and OPT): the RDATA bytes, kept and round-tripped. */
  | { type: number; raw: Uint8Array };

export interface DnsQuestion {
  /** Fully qualified, presentation form with a trailing dot (`www.example.com.`, root `.`). */
  name: string;
  type: number;
  class: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: DnsRdata;
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved bit (must be zero), kept so a parse round-trips. */
  z: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
}

export type DnsParseError = 'truncated' | 'bad-name' | 'name-loop' | 'bad-rdata' | 'trailing-bytes';

/** A query message with one question (RD set as a stub resolver sends it). */
export function dnsQuery(id: number, name: string, type: number, rd = true): DnsMessage {
  return {
    id, qr: false, opcode: DNS_OPCODE_QUERY, aa: false, tc: false, rd, ra: false, z: false, ad: false, cd: false, rcode: 0,
    questions: [{ name, type, class: DNS_CLASS_IN }], answers: [], authority: [], additional: [],
  };
}

/** The empty reply to `q` with `rcode` (question kept, id and RD copied; RFC 1035 §4.1.1). */
export function dnsReply(q: DnsMessage, rcode: number): DnsMessage {
  return { ...q, qr: true, aa: false, tc: false, ra: false, z: false, ad: false, rcode, answers: [], authority: [], additional: [] };
}

// ---- names --------------------------------------------------------------------------

/** One label in presentation form: `.` and `\` escaped, bytes outside printable ASCII as `\DDD`. */
function labelText(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = buf[off + i];
    if (c === 0x2e || c === 0x5c || c === 0x22 || c === 0x3b || c === 0x28 || c === 0x29 || c === 0x40 || c === 0x24) s += '\\' + String.fromCharCode(c);
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s;
}

interface NameRead {
  name: string;
  /** Offset just after the name where it started (after the first pointer, if any). */
  next: number;
}

/** Reads a possibly compressed name at `pos` in the message `[start, end)` (§4.1.4). */
function readName(buf: Uint8Array, start: number, end: number, pos: number): NameRead | DnsParseError {
  const labels: string[] = [];
  let wireLen = 1;
  let next = -1;
  let hops = 0;
  let p = pos;
  for (;;) {
    if (p >= end) return 'truncated';
    const len = buf[p];
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= end) return 'truncated';
      const target = start + (((len & 0x3f) << 8) | buf[p + 1]);
      if (next < 0) next = p + 2;
      // A pointer must point backwards, and hops are bounded: no loop can be followed.
      if (target >= p || ++hops > POINTER_HOPS_MAX) return 'name-loop';
      p = target;
      continue;
    }
    if ((len & 0xc0) !== 0) return 'bad-name'; // 0x40 / 0x80 label types are obsolete (RFC 6891 §5)
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if (p + 1 + len > end) return 'truncated';
    wireLen += len + 1;
    if (wireLen > DNS_NAME_MAX) return 'bad-name';
    labels.push(labelText(buf, p + 1, len));
    p += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : labels.join('.') + '.', next };
}

/**
 * The wire labels of a presentation-form name (`\.` and `\DDD` escapes understood), or
 * null when a label is empty or too long or the name exceeds 255 bytes.
 */
export function nameLabels(name: string): Uint8Array[] | null {
  if (name === '.' || name === '') return [];
  const labels: Uint8Array[] = [];
  let cur: number[] = [];
  let total = 1;
  const text = name;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      const d = /^[0-9]{3}/.exec(text.slice(i + 1, i + 4));
      if (d) {
        const v = Number(d[0]);
        if (v > 255) return null;
        cur.push(v);
        i += 3;
      } else if (i + 1 < text.length) cur.push(text.charCodeAt(++i) & 0xff);
      else return null;
    } else if (ch === '.') {
      if (cur.length === 0 || cur.length > DNS_LABEL_MAX) return null;
      labels.push(Uint8Array.from(cur));
      total += cur.length + 1;
      cur = [];
    } else cur.push(text.charCodeAt(i) & 0xff);
  }
  if (cur.length > DNS_LABEL_MAX) return null;
  if (cur.length > 0) {
    labels.push(Uint8Array.from(cur));
    total += cur.length + 1;
  }
  return total > DNS_NAME_MAX ? null : labels;
}

/** Names compare without regard to ASCII case (RFC 1035 §2.3.3). */
export function dnsNameKey(name: string): string {
  return name.toLowerCase();
}

// ---- parse --------------------------------------------------------------------------

function parseRdata(buf: Uint8Array, start: number, end: number, type: number, p: number, rdlen: number): DnsRdata | DnsParseError {
  const rdEnd = p + rdlen;
  const nameAt = (at: number): NameRead | DnsParseError => {
    const n = readName(buf, start, end, at);
    return typeof n === 'string' ? n : n.next > rdEnd ? 'bad-rdata' : n;
  };
  switch (type) {
    case DNS_TYPE.A:
      return rdlen === 4 ? { type, addr: readU32(buf, p) } : 'bad-rdata';
    case DNS_TYPE.AAAA:
      return rdlen === 16 ? { type, addr: buf.slice(p, p + 16) } : 'bad-rdata';
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR: {
      const n = nameAt(p);
      if (typeof n === 'string') return n;
      return n.next === rdEnd ? { type, name: n.name } : 'bad-rdata';
    }
    case DNS_TYPE.MX: {
      if (rdlen < 3) return 'bad-rdata';
      const n = nameAt(p + 2);
      if (typeof n === 'string') return n;
      return n.next === rdEnd ? { type, preference: readU16(buf, p), exchange: n.name } : 'bad-rdata';
    }
    case DNS_TYPE.SOA: {
      const m = nameAt(p);
      if (typeof m === 'string') return m;
      const r = nameAt(m.next);
      if (typeof r === 'string') return r;
      if (r.next + 20 !== rdEnd) return 'bad-rdata';
      const q = r.next;
      return { type, mname: m.name, rname: r.name, serial: readU32(buf, q), refresh: readU32(buf, q + 4), retry: readU32(buf, q + 8), expire: readU32(buf, q + 12), minimum: readU32(buf, q + 16) };
    }
    case DNS_TYPE.TXT: {
      const strings: string[] = [];
      let q = p;
      while (q < rdEnd) {
        const l = buf[q];
        if (q + 1 + l > rdEnd) return 'bad-rdata';
        strings.push(String.fromCharCode(...buf.subarray(q + 1, q + 1 + l)));
        q += 1 + l;
      }
      return strings.length > 0 ? { type, strings } : 'bad-rdata';
    }
    default:
      return { type, raw: buf.slice(p, rdEnd) };
  }
}

interface Cursor {
  p: number;
}

function parseRecord(buf: Uint8Array, start: number, end: number, c: Cursor): DnsRecord | DnsParseError {
  const n = readName(buf, start, end, c.p);
  if (typeof n === 'string') return n;
  const p = n.next;
  if (p + 10 > end) return 'truncated';
  const type = readU16(buf, p);
  const klass = readU16(buf, p + 2);
  const ttl = readU32(buf, p + 4);
  const rdlen = readU16(buf, p + 8);
  if (p + 10 + rdlen > end) return 'truncated';
  const data = parseRdata(buf, start, end, type, p + 10, rdlen);
  if (typeof data === 'string') return data;
  c.p = p + 10 + rdlen;
  return { name: n.name, type, class: klass, ttl, data };
}

/** Byte range of one question or record, in message order (for the capture tree). */
export interface DnsSpan {
  start: number;
  end: number;
}

/**
 * Never throws; the reason when `[off, off+len)` is not a DNS message. With `spans`, the
 * byte range of each question and record is appended to it in message order.
 */
export function parseDns(buf: Uint8Array, off: number, len: number, spans?: DnsSpan[]): DnsMessage | DnsParseError {
  if (!DnsHeaderView.check(buf, off, len)) return 'truncated';
  const v = new DnsHeaderView(buf, off);
  const end = off + len;
  const flags = v.flags;
  const msg: DnsMessage = {
    id: v.id, qr: v.qr, opcode: v.opcode, aa: (flags & FLAG.AA) !== 0, tc: (flags & FLAG.TC) !== 0, rd: (flags & FLAG.RD) !== 0,
    ra: (flags & FLAG.RA) !== 0, z: (flags & FLAG.Z) !== 0, ad: (flags & FLAG.AD) !== 0, cd: (flags & FLAG.CD) !== 0, rcode: v.rcode,
    questions: [], answers: [], authority: [], additional: [],
  };
  const c: Cursor = { p: off + DNS_HEADER_LEN };
  for (let i = 0; i < v.qdcount; i++) {
    const n = readName(buf, off, end, c.p);
    if (typeof n === 'string') return n;
    if (n.next + 4 > end) return 'truncated';
    msg.questions.push({ name: n.name, type: readU16(buf, n.next), class: readU16(buf, n.next + 2) });
    spans?.push({ start: c.p, end: n.next + 4 });
    c.p = n.next + 4;
  }
  const sections: [DnsRecord[], number][] = [[msg.answers, v.ancount], [msg.authority, v.nscount], [msg.additional, v.arcount]];
  for (const [list, count] of sections) {
    for (let i = 0; i < count; i++) {
      const start = c.p;
      const r = parseRecord(buf, off, end, c);
      if (typeof r === 'string') return r;
      list.push(r);
      spans?.push({ start, end: c.p });
    }
  }
  return c.p === end ? msg : 'trailing-bytes';
}

// ---- emit ---------------------------------------------------------------------------

/** Appends bytes, remembering where each name suffix was written for compression. */
class Writer {
  readonly bytes: number[] = [];
  private readonly suffixes = new Map<string, number>();

  u16(v: number): void {
    this.bytes.push((v >>> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  /** A name, compressed against earlier ones (§4.1.4); an unencodable name becomes the root. */
  name(name: string, compress = true): void {
    const labels = nameLabels(name) ?? [];
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).map((l) => String.fromCharCode(...l).toLowerCase()).join('.');
      const at = this.suffixes.get(key);
      if (compress && at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.bytes.length < 0x4000) this.suffixes.set(key, this.bytes.length);
      this.bytes.push(labels[i].length, ...labels[i]);
    }
    this.bytes.push(0);
  }
}

function emitRdata(w: Writer, d: DnsRdata): void {
  const lenAt = w.bytes.length;
  w.u16(0);
  if ('raw' in d) w.bytes.push(...d.raw);
  else {
    switch (d.type) {
      case DNS_TYPE.A:
        w.u32(d.addr >>> 0);
        break;
      case DNS_TYPE.AAAA:
        w.bytes.push(...d.addr.subarray(0, 16));
        break;
      case DNS_TYPE.NS:
      case DNS_TYPE.CNAME:
      case DNS_TYPE.PTR:
        w.name(d.name);
        break;
      case DNS_TYPE.MX:
        w.u16(d.preference);
        w.name(d.exchange);
        break;
      case DNS_TYPE.SOA:
        w.name(d.mname);
        w.name(d.rname);
        for (const v of [d.serial, d.refresh, d.retry, d.expire, d.minimum]) w.u32(v >>> 0);
        break;
      case DNS_TYPE.TXT:
        for (const s of d.strings) {
          const b = Array.from(s.slice(0, 255), (ch) => ch.charCodeAt(0) & 0xff);
          w.bytes.push(b.length, ...b);
        }
        break;
      default:
        d satisfies never;
    }
  }
  const len = w.bytes.length - lenAt - 2;
  w.bytes[lenAt] = len >>> 8;
  w.bytes[lenAt + 1] = len & 0xff;
}

/** The message as bytes, names compressed. */
export function buildDns(m: DnsMessage): Uint8Array {
  const w = new Writer();
  w.u16(m.id);
  const flags =
    (m.qr ? FLAG.QR : 0) | ((m.opcode & 0xf) << 11) | (m.aa ? FLAG.AA : 0) | (m.tc ? FLAG.TC : 0) | (m.rd ? FLAG.RD : 0) |
    (m.ra ? FLAG.RA : 0) | (m.z ? FLAG.Z : 0) | (m.ad ? FLAG.AD : 0) | (m.cd ? FLAG.CD : 0) | (m.rcode & 0xf);
  w.u16(flags);
  for (const n of [m.questions.length, m.answers.length, m.authority.length, m.additional.length]) w.u16(n);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const r of [...m.answers, ...m.authority, ...m.additional]) {
    w.name(r.name);
    w.u16(r.type);
    w.u16(r.class);
    w.u32(r.ttl >>> 0);
    emitRdata(w, r.data);
  }
  return Uint8Array.from(w.bytes);
}

/** Writes the message at `off` (the caller sized `buf` with buildDns's length); returns its length. */
export function emitDns(m: DnsMessage, buf: Uint8Array, off: number): number {
  const b = buildDns(m);
  buf.set(b, off);
  return b.length;
}

/** Whether `name` is encodable (labels 1–63 bytes, name ≤ 255 bytes). */
export function isValidDnsName(name: string): boolean {
  return nameLabels(name) !== null;
}

// ---- format -------------------------------------------------------------------------

const TYPE_NAMES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 41: 'OPT', 252: 'AXFR', 255: 'ANY' };
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** `A`, `MX` … or RFC 3597's `TYPE65` for a type without a mnemonic. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `TYPE${type}`;
}

/** The type numbered by a mnemonic (`mx`, `TYPE28`), or null. */
export function dnsTypeByName(text: string): number | null {
  const up = text.toUpperCase();
  for (const [n, name] of Object.entries(TYPE_NAMES)) if (name === up) return Number(n);
  const m = /^TYPE([0-9]{1,5})$/.exec(up);
  return m && Number(m[1]) <= 0xffff ? Number(m[1]) : null;
}

export function dnsClassName(klass: number): string {
  return klass === DNS_CLASS_IN ? 'IN' : klass === 3 ? 'CH' : klass === 4 ? 'HS' : `CLASS${klass}`;
}

export function dnsRcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RESERVED${rcode}`;
}

function txtText(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += '\\' + String(c).padStart(3, '0');
  }
  return out + '"';
}

/** RDATA in master-file form as dig prints it: `10 mail.example.com.`, `"text"`, RFC 3597 `\# 2 abcd`. */
export function formatRdata(d: DnsRdata): string {
  if ('raw' in d) return `\\# ${d.raw.length}${d.raw.length ? ' ' + Array.from(d.raw, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase() : ''}`;
  switch (d.type) {
    case DNS_TYPE.A:
      return formatIpv4(d.addr);
    case DNS_TYPE.AAAA:
      return formatIpv6(d.addr);
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR:
      return d.name;
    case DNS_TYPE.MX:
      return `${d.preference} ${d.exchange}`;
    case DNS_TYPE.SOA:
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    case DNS_TYPE.TXT:
      return d.strings.map(txtText).join(' ');
    default:
      return d satisfies never;
  }
}

/** Wireshark's Info column: `Standard query 0x1a2b A www.example.com` / `Standard query response 0x1a2b A 10.0.0.1`. */
export function formatDns(m: DnsMessage): string {
  const q = m.questions.map((x) => `${dnsTypeName(x.type)} ${x.name === '.' ? '<Root>' : x.name.replace(/\.$/, '')}`).join(' ');
  const id = `0x${m.id.toString(16).padStart(4, '0')}`;
  if (!m.qr) return `Standard query ${id} ${q}`.trimEnd();
  const err = m.rcode !== 0 ? ` ${dnsRcodeName(m.rcode) === 'NXDOMAIN' ? 'No such name' : dnsRcodeName(m.rcode)}` : '';
  const ans = m.answers.map((r) => `${dnsTypeName(r.type)} ${formatRdata(r.data).replace(/\.$/, '')}`).join(' ');
  return `Standard query response ${id}${err} ${q}${ans ? ' ' + ans : ''}`.trimEnd();
}
