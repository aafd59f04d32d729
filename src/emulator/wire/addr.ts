// IPv4 and MAC address values: uint32 / 48-bit numbers, text parsing and formatting, CIDR.
// Must not allocate per packet on hot paths; parse functions return null on bad text,
// never throw. Dotted-quad per RFC 791 §3.2, prefixes per RFC 4632 §3.1.

/** IPv4 address as an unsigned 32-bit number (always `>>> 0`). */
export type Ipv4Addr = number;
/** MAC address as a 48-bit number (exact in a double). */
export type MacAddr = number;

export const MAC_BROADCAST: MacAddr = 0xffff_ffff_ffff;
export const IPV4_BROADCAST: Ipv4Addr = 0xffff_ffff;
export const IPV4_ANY: Ipv4Addr = 0;

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

export function parseIpv4(s: string): Ipv4Addr | null {
  const parts = s.trim().split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value >>> 0;
}

export function formatIpv4(n: Ipv4Addr): string {
  return `${(n >>> 24) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

const HEX_OCTET = /^[0-9a-fA-F]{1,2}$/;

/** Accepts `42:00:aa:00:00:01` and `42-00-aa-00-00-01`. */
export function parseMac(s: string): MacAddr | null {
  const parts = s.trim().split(/[:-]/);
  if (parts.length !== 6) return null;
  let value = 0;
  for (const part of parts) {
    if (!HEX_OCTET.test(part)) return null;
    value = value * 256 + parseInt(part, 16);
  }
  return value;
}

/** Two lowercase hex digits per byte value (a constant table: every traffic event formats two MACs). */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => (b < 16 ? '0' : '') + b.toString(16));

export function formatMac(n: MacAddr): string {
  const hi = Math.floor(n / 0x1_0000_0000);
  const lo = n >>> 0;
  return `${HEX2[(hi >>> 8) & 0xff]}:${HEX2[hi & 0xff]}:${HEX2[lo >>> 24]}:${HEX2[(lo >>> 16) & 0xff]}:${HEX2[(lo >>> 8) & 0xff]}:${HEX2[lo & 0xff]}`;
}

/** Netmask for a prefix length 0..32 as uint32. */
export function prefixMask(len: number): number {
  if (len <= 0) return 0;
  if (len >= 32) return 0xffff_ffff;
  return (0xffff_ffff << (32 - len)) >>> 0;
}

/** Prefix length of a contiguous netmask, or null if the mask is not contiguous. */
export function maskToPrefixLen(mask: number): number | null {
  const m = mask >>> 0;
  const len = Math.clz32(~m >>> 0); // the leading one bits; the mask is theirs alone or not a prefix mask
  return prefixMask(len) === m ? len : null;
}

/** `10.0.0.1/24` → `{ addr, prefixLen }`; a bare address means /32. */
export function parseCidr(s: string): { addr: Ipv4Addr; prefixLen: number } | null {
  const text = s.trim();
  const slash = text.indexOf('/');
  if (slash < 0) {
    const addr = parseIpv4(text);
    return addr === null ? null : { addr, prefixLen: 32 };
  }
  const addr = parseIpv4(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (addr === null || !/^(0|[1-9][0-9]?)$/.test(lenText)) return null;
  const prefixLen = Number(lenText);
  if (prefixLen > 32) return null;
  return { addr, prefixLen };
}

export function formatCidr(addr: Ipv4Addr, len: number): string {
  return `${formatIpv4(addr)}/${len}`;
}

/** Network part of `addr` under a prefix length. */
export function networkOf(addr: Ipv4Addr, prefixLen: number): Ipv4Addr {
  return (addr & prefixMask(prefixLen)) >>> 0;
}

export function isMulticastIpv4(addr: Ipv4Addr): boolean {
  return addr >>> 28 === 0xe;
}

export function isMulticastMac(mac: MacAddr): boolean {
  return (Math.floor(mac / 0x100_0000_0000) & 1) === 1;
}

/** Reads a 48-bit MAC at `off` (network byte order). */
export function readMac(buf: Uint8Array, off: number): MacAddr {
  return (
    ((buf[off] << 8) | buf[off + 1]) * 0x1_0000_0000 +
    (((buf[off + 2] << 24) | (buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5]) >>> 0)
  );
}

export function writeMac(buf: Uint8Array, off: number, mac: MacAddr): void {
  writeMacParts(buf, off, Math.floor(mac / 0x1_0000_0000), mac >>> 0);
}

/** A MAC given as its high 16 and low 32 bits (how the stack keeps them: no float math per packet). */
export function writeMacParts(buf: Uint8Array, off: number, hi: number, lo: number): void {
  buf[off] = (hi >>> 8) & 0xff;
  buf[off + 1] = hi & 0xff;
  buf[off + 2] = lo >>> 24;
  buf[off + 3] = (lo >>> 16) & 0xff;
  buf[off + 4] = (lo >>> 8) & 0xff;
  buf[off + 5] = lo & 0xff;
}

export function readU16(buf: Uint8Array, off: number): number {
  return (buf[off] << 8) | buf[off + 1];
}

export function writeU16(buf: Uint8Array, off: number, v: number): void {
  buf[off] = (v >>> 8) & 0xff;
  buf[off + 1] = v & 0xff;
}

export function readU32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

export function writeU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 24;
  buf[off + 1] = (v >>> 16) & 0xff;
  buf[off + 2] = (v >>> 8) & 0xff;
  buf[off + 3] = v & 0xff;
}
