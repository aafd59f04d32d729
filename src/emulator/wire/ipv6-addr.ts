// IPv6 address values: 16-byte arrays, text parsing (RFC 4291 §2.2) and the canonical text
// form (RFC 5952 §4), prefixes, scopes, and the addresses NDP derives (modified EUI-64,
// solicited-node groups, 33:33 multicast MACs). Parsers return null on bad text, never throw.
// RFC 4291 §2.2, §2.5.1, §2.7.1, Appendix A; RFC 5952 §4; RFC 2464 §7.

import { parseIpv4, type MacAddr } from './addr';

/** An IPv6 address: exactly 16 bytes, network order. */
export type Ipv6Addr = Uint8Array;

export const IPV6_ADDR_LEN = 16;

export function ipv6Any(): Ipv6Addr {
  return new Uint8Array(16);
}

export function ipv6Loopback(): Ipv6Addr {
  const a = new Uint8Array(16);
  a[15] = 1;
  return a;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(text: string, out: number[]): boolean {
  if (text === '') return true;
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4(p);
      if (v4 === null) return false;
      out.push(v4 >>> 16, v4 & 0xffff);
    } else if (HEXTET.test(p)) out.push(parseInt(p, 16));
    else return false;
  }
  return true;
}

/** Text (with `::` and an embedded dotted quad) → 16 bytes, or null. A `%zone` is not accepted here. */
export function parseIpv6(text: string): Ipv6Addr | null {
  const s = text.trim();
  if (s.length < 2 || s.length > 45) return null;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const head: number[] = [];
  const tail: number[] = [];
  if (dbl >= 0) {
    if (!parseGroups(s.slice(0, dbl), head) || !parseGroups(s.slice(dbl + 2), tail)) return null;
    if (head.length + tail.length > 7) return null;
  } else if (!parseGroups(s, head) || head.length !== 8) return null;
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i] >>> 8;
    out[2 * i + 1] = groups[i] & 0xff;
  }
  return out;
}

/** `fe80::1%eth0` → address and zone (null when absent); null for bad text. */
export function parseIpv6Scoped(text: string): { addr: Ipv6Addr; zone: string | null } | null {
  const pct = text.indexOf('%');
  const addr = parseIpv6(pct < 0 ? text : text.slice(0, pct));
  if (addr === null) return null;
  const zone = pct < 0 ? null : text.slice(pct + 1);
  if (zone === '') return null;
  return { addr, zone };
}

/** `fc00:1::20/64` → address and prefix length (a bare address means /128). */
export function parseIpv6Cidr(text: string): { addr: Ipv6Addr; prefixLen: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const addr = parseIpv6(text);
    return addr === null ? null : { addr, prefixLen: 128 };
  }
  const addr = parseIpv6(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (addr === null || !/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return null;
  const prefixLen = Number(lenText);
  return prefixLen > 128 ? null : { addr, prefixLen };
}

/** Canonical text (RFC 5952 §4): lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(a: Uint8Array, off = 0): string {
  // The first longest run of zero groups, found in one pass with no arrays (every drained
  // IPv6 frame's summary formats two addresses: the traffic view's hot path).
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if ((a[off + 2 * i] | a[off + 2 * i + 1]) !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = i;
    if (i - runStart + 1 > bestLen) {
      bestStart = runStart;
      bestLen = i - runStart + 1;
    }
  }
  // RFC 5952 §5: ::ffff:a.b.c.d keeps its dotted quad.
  if (bestStart === 0 && bestLen === 5 && a[off + 10] === 0xff && a[off + 11] === 0xff) {
    return `::ffff:${a[off + 12]}.${a[off + 13]}.${a[off + 14]}.${a[off + 15]}`;
  }
  let s = '';
  for (let i = 0; i < 8; ) {
    if (i === bestStart) {
      s += '::';
      i += bestLen;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLen) s += ':';
    s += hexGroup((a[off + 2 * i] << 8) | a[off + 2 * i + 1]);
    i++;
  }
  return s;
}

const HEX_DIGITS = '0123456789abcdef';

/** A 16-bit group in lower-case hex without leading zeros (RFC 5952 §4.1). */
function hexGroup(g: number): string {
  if (g < 0x10) return HEX_DIGITS[g];
  if (g < 0x100) return HEX_DIGITS[g >>> 4] + HEX_DIGITS[g & 15];
  if (g < 0x1000) return HEX_DIGITS[g >>> 8] + HEX_DIGITS[(g >>> 4) & 15] + HEX_DIGITS[g & 15];
  return HEX_DIGITS[g >>> 12] + HEX_DIGITS[(g >>> 8) & 15] + HEX_DIGITS[(g >>> 4) & 15] + HEX_DIGITS[g & 15];
}

export function readIpv6(buf: Uint8Array, off: number): Ipv6Addr {
  // A fresh 16-byte (on-heap) array filled by a loop: `slice` of a view into a frame slab
  // takes V8's slow path (a new ArrayBuffer through the species constructor).
  const a = new Uint8Array(16);
  for (let i = 0; i < 16; i++) a[i] = buf[off + i];
  return a;
}

export function writeIpv6(buf: Uint8Array, off: number, a: Ipv6Addr): void {
  // Sixteen plain stores: less than half the cost of a `set` call (a builtin) for 16 bytes,
  // and every locally sent IPv6 packet writes two addresses.
  buf[off] = a[0];
  buf[off + 1] = a[1];
  buf[off + 2] = a[2];
  buf[off + 3] = a[3];
  buf[off + 4] = a[4];
  buf[off + 5] = a[5];
  buf[off + 6] = a[6];
  buf[off + 7] = a[7];
  buf[off + 8] = a[8];
  buf[off + 9] = a[9];
  buf[off + 10] = a[10];
  buf[off + 11] = a[11];
  buf[off + 12] = a[12];
  buf[off + 13] = a[13];
  buf[off + 14] = a[14];
  buf[off + 15] = a[15];
}

/** One of an address's four big-endian 32-bit words, at `off` (an int32: a small integer in V8, for cache keys). */
export function ipv6Word(buf: Uint8Array, off: number): number {
  return (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
}

/** An address held as its four big-endian 32-bit words (a cache key compared without a string). */
export interface Ipv6Words {
  d0: number;
  d1: number;
  d2: number;
  d3: number;
}

/** Stores the address at `off` of `buf` into `w`. */
export function setIpv6Words(w: Ipv6Words, buf: Uint8Array, off: number): void {
  w.d0 = ipv6Word(buf, off);
  w.d1 = ipv6Word(buf, off + 4);
  w.d2 = ipv6Word(buf, off + 8);
  w.d3 = ipv6Word(buf, off + 12);
}

/** True when the address at `off` of `buf` is the one `w` holds (last word first: it differs most). */
export function ipv6WordsEqual(w: Ipv6Words, buf: Uint8Array, off: number): boolean {
  return ipv6Word(buf, off + 12) === w.d3 && ipv6Word(buf, off + 8) === w.d2 && ipv6Word(buf, off + 4) === w.d1 && ipv6Word(buf, off) === w.d0;
}

/**
 * True when the 16 bytes at `aOff` of `a` and at `bOff` of `b` are the same address (both in
 * bounds). Compared as four words, last first (it differs most): half the cost of a byte loop.
 */
export function ipv6Equal(a: Uint8Array, b: Uint8Array, aOff = 0, bOff = 0): boolean {
  return (
    ipv6Word(a, aOff + 12) === ipv6Word(b, bOff + 12) &&
    ipv6Word(a, aOff + 8) === ipv6Word(b, bOff + 8) &&
    ipv6Word(a, aOff + 4) === ipv6Word(b, bOff + 4) &&
    ipv6Word(a, aOff) === ipv6Word(b, bOff)
  );
}

/** A compact Map key for an address: its 16 bytes as a one-byte-per-char string (not for display). */
export function ipv6Key(a: Uint8Array, off = 0): string {
  return String.fromCharCode(a[off], a[off + 1], a[off + 2], a[off + 3], a[off + 4], a[off + 5], a[off + 6], a[off + 7], a[off + 8], a[off + 9], a[off + 10], a[off + 11], a[off + 12], a[off + 13], a[off + 14], a[off + 15]);
}

/** `a` with bits past `prefixLen` cleared (a new array). */
export function ipv6Network(a: Uint8Array, prefixLen: number): Ipv6Addr {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const bits = prefixLen - 8 * i;
    out[i] = bits >= 8 ? a[i] : bits <= 0 ? 0 : a[i] & (0xff << (8 - bits));
  }
  return out;
}

/** True when the first `prefixLen` bits of `a` and `b` are equal. */
export function ipv6PrefixMatch(a: Uint8Array, b: Uint8Array, prefixLen: number): boolean {
  for (let i = 0; i < 16; i++) {
    const bits = prefixLen - 8 * i;
    if (bits <= 0) return true;
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

export function isIpv6Unspecified(a: Uint8Array, off = 0): boolean {
  for (let i = 0; i < 16; i++) if (a[off + i] !== 0) return false;
  return true;
}

export function isIpv6Loopback(a: Uint8Array, off = 0): boolean {
  for (let i = 0; i < 15; i++) if (a[off + i] !== 0) return false;
  return a[off + 15] === 1;
}

export function isIpv6Multicast(a: Uint8Array, off = 0): boolean {
  return a[off] === 0xff;
}

/** fe80::/10 (RFC 4291 §2.5.6). */
export function isIpv6LinkLocal(a: Uint8Array, off = 0): boolean {
  return a[off] === 0xfe && (a[off + 1] & 0xc0) === 0x80;
}

/** Link-local scope: fe80::/10 unicast or a multicast group of scope 1 or 2 (RFC 4291 §2.7). */
export function isIpv6LinkScope(a: Uint8Array, off = 0): boolean {
  return isIpv6LinkLocal(a, off) || (a[off] === 0xff && (a[off + 1] & 0x0f) <= 2);
}

/** Interface identifier from a MAC by modified EUI-64 (RFC 4291 Appendix A): flip U/L, insert ff:fe. */
export function eui64FromMac(mac: MacAddr): Uint8Array {
  const hi = Math.floor(mac / 0x1_0000_0000);
  const lo = mac >>> 0;
  return Uint8Array.of(((hi >>> 8) & 0xff) ^ 0x02, hi & 0xff, lo >>> 24, 0xff, 0xfe, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff);
}

/** fe80::/64 plus the modified EUI-64 of `mac`, as FreeBSD's in6_get_hw_ifid derives it. */
export function linkLocalFromMac(mac: MacAddr): Ipv6Addr {
  const a = new Uint8Array(16);
  a[0] = 0xfe;
  a[1] = 0x80;
  a.set(eui64FromMac(mac), 8);
  return a;
}

/** ff02::1:ffXX:XXXX for `a` (RFC 4291 §2.7.1). */
export function solicitedNode(a: Uint8Array, off = 0): Ipv6Addr {
  const g = new Uint8Array(16);
  g[0] = 0xff;
  g[1] = 0x02;
  g[11] = 0x01;
  g[12] = 0xff;
  g[13] = a[off + 13];
  g[14] = a[off + 14];
  g[15] = a[off + 15];
  return g;
}

/** ff02::1 (all nodes) and ff02::2 (all routers). */
export function ipv6AllNodes(): Ipv6Addr {
  const a = new Uint8Array(16);
  a[0] = 0xff;
  a[1] = 0x02;
  a[15] = 1;
  return a;
}

export function ipv6AllRouters(): Ipv6Addr {
  const a = ipv6AllNodes();
  a[15] = 2;
  return a;
}

/** The Ethernet group address of an IPv6 multicast group: 33:33 + its low 32 bits (RFC 2464 §7). */
export function multicastMacOf(group: Uint8Array, off = 0): MacAddr {
  return 0x3333 * 0x1_0000_0000 + (((group[off + 12] << 24) | (group[off + 13] << 16) | (group[off + 14] << 8) | group[off + 15]) >>> 0);
}
