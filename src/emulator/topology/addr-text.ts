// Text helpers for addresses inside the topology document that wire/addr.ts (IPv4, CIDR,
// MAC values) does not cover: IPv6 text checks and MAC text. IPv4 parsing is wire/addr's,
// so the document and the engine accept exactly the same addresses.
// RFC 4291 §2.2 (IPv6 text form), RFC 5952 (canonical IPv6 text).

import { parseIpv4 } from '../wire/addr';

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
      if (parseIpv4(g) === null) return false;
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
