// ospf6d's `redistribute connected|static|ripng`: the table's IPv6 routes of those origins
// that OSPFv3 does not already carry, as AS-External-LSAs with a type-2 metric of 20 (FRR's
// default), each under a Link State ID kept for its prefix. RFC 5340 §4.4.3.5, A.4.7.

import { route6List } from '../../stack/route6';
import { formatIpv6, ipv6PrefixMatch, isIpv6LinkLocal, isIpv6Loopback, isIpv6Multicast, type Ipv6Addr } from '../../wire/ipv6-addr';
import { external6LsaBody } from '../../wire/ospf6';
import { in6Addrs } from '../../stack/in6';
import type { Ospf6Daemon } from './ospf6d-types';

/** FRR's default metric of redistributed routes (type 2). */
export const EXTERNAL_METRIC = 20;

export interface External6 {
  id: number;
  dest: Ipv6Addr;
  prefixLen: number;
}

/** Whether one of the OSPFv3 interfaces has an address in `dest/prefixLen` (an intra-area prefix already). */
function inOspf(d: Ospf6Daemon, dest: Ipv6Addr, prefixLen: number): boolean {
  for (const oi of d.ifaces.values()) for (const a of in6Addrs(d.stack, oi.index)) if (!a.linkLocal && a.prefixLen === prefixLen && ipv6PrefixMatch(a.addr, dest, prefixLen)) return true;
  return false;
}

export function externals6(d: Ospf6Daemon): External6[] {
  const out: External6[] = [];
  if (d.cfg.redistribute.size === 0) return out;
  const seen = new Set<string>();
  for (const r of route6List(d.stack)) {
    const src = r.kind === 'connected' || r.kind === 'static' || r.kind === 'ripng' ? r.kind : null;
    if (src === null || !d.cfg.redistribute.has(src)) continue;
    if (isIpv6LinkLocal(r.dest) || isIpv6Multicast(r.dest) || isIpv6Loopback(r.dest) || inOspf(d, r.dest, r.prefixLen)) continue;
    const k = `${formatIpv6(r.dest)}/${r.prefixLen}`;
    if (seen.has(k)) continue;
    seen.add(k);
    let id = d.extIds.get(k);
    if (id === undefined) {
      id = d.extIds.size + 1;
      d.extIds.set(k, id);
    }
    out.push({ id, dest: r.dest, prefixLen: r.prefixLen });
  }
  return out;
}

export function external6LsaFor(e: External6): Uint8Array {
  return external6LsaBody(EXTERNAL_METRIC, e.prefixLen, e.dest);
}
