// Text helpers for addresses inside the topology document: parse/format IPv4, CIDR and
// MAC strings and check IPv6 text. Must not depend on the engine's wire/ module (the
// document is loaded before any engine exists). RFC 4632 §3.1 (CIDR prefix notation),
// RFC 4291 §2.2 (IPv6 text form), RFC 5952 (canonical IPv6 text).

/** IPv4 dotted quad → uint32, or null when malformed. */
export function parseIpv4Text(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    v = v * 256 + o;
  }
  return v >>> 0;
}

export function formatIpv4Text(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr4 {
  addr: number;
  prefixLen: number;
}

/** `10.0.0.20/24` → { addr, prefixLen }; a bare address counts as /32. */
export function parseCidr4Text(s: string): Cidr4 | null {
  const slash = s.indexOf('/');
  const addr = parseIpv4Text(slash < 0 ? s : s.slice(0, slash));
  if (addr === null) return null;
  if (slash < 0) return { addr, prefixLen: 32 };
  const lenText = s.slice(slash + 1);
  if (!/^\d{1,2}$/.test(lenText)) return null;
  const prefixLen = Number(lenText);
  return prefixLen <= 32 ? { addr, prefixLen } : null;
}

export function maskOf(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

export function networkOf(c: Cidr4): number {
  return (c.addr & maskOf(c.prefixLen)) >>> 0;
}

/** Loose IPv6 check (RFC 4291 §2.2 forms incl. `::`, embedded IPv4), optional /len. */
export function isIpv6Text(s: string, withPrefix: boolean): boolean {
  let addr = s;
  const slash = s.indexOf('/');
  if (slash >= 0) {
    if (!withPrefix) return false;
    const len = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(len) || Number(len) > 128) return false;
    addr = s.slice(0, slash);
  } else if (withPrefix) {
    return false;
  }
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || !addr.includes(':')) return false;
  const dbl = addr.split('::');
  if (dbl.length > 2) return false;
  const groups = dbl.flatMap((part) => (part === '' ? [] : part.split(':')));
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i === groups.length - 1 && g.includes('.')) {
      if (parseIpv4Text(g) === null) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return false;
    }
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function isMacText(s: string): boolean {
  return MAC_RE.test(s);
}

/** The n-th VirtNet/IMUNES MAC: 42:00:aa:xx:xx:xx with the low 24 bits = n. */
export function macFromIndex(n: number): string {
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  return `42:00:aa:${hex((n >>> 16) & 255)}:${hex((n >>> 8) & 255)}:${hex(n & 255)}`;
}
