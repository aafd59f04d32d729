// The `router ripng` section of frr.conf (ripngd's statements) as the daemon runs it.
// Statements VirtNet does not implement are located problems. Must not touch a stack.

import { parseIpv6Cidr, type Ipv6Addr } from '../../wire/ipv6-addr';

export interface RipngConfig {
  /** `network X:X::X:X/M`: interfaces with an IPv6 address inside run RIPng (::/0: every one). */
  networks: { prefix: Ipv6Addr; prefixLen: number }[];
  /** `network IFNAME`. */
  networkIfaces: string[];
  /** `redistribute connected|static|ospf6 [metric N]` → metric (null: the default metric). */
  redistribute: Map<'connected' | 'static' | 'ospf6', number | null>;
  passive: Set<string>;
  /** `default-metric N` (FRR default 1). */
  defaultMetric: number;
  /** `timers basic UPDATE TIMEOUT GARBAGE` in seconds (RFC 2080 §2.3: 30, 180, 120). */
  updateS: number;
  timeoutS: number;
  garbageS: number;
}

export function newRipng(): RipngConfig {
  return { networks: [], networkIfaces: [], redistribute: new Map(), passive: new Set(), defaultMetric: 1, updateS: 30, timeoutS: 180, garbageS: 120 };
}

/**
 * Sources a config may redistribute into RIPng whose daemons do not run here. FRR accepts
 * them whether or not that daemon runs, and a configured `router bgp` is reported on its
 * own as not running, so they bring no warning here.
 */
const ABSENT_SOURCES = new Set(['bgp', 'kernel', 'babel', 'isis']);

/** One statement inside `router ripng`; `problem` gets what is not implemented. */
export function ripngStatement(c: RipngConfig, w: string[], t: string, problem: (m: string) => void): void {
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  if (w[0] === 'network' && w[1] !== undefined && w.length === 2) {
    const p = parseIpv6Cidr(w[1]);
    if (p !== null) c.networks.push({ prefix: p.addr, prefixLen: p.prefixLen });
    else if (/^[A-Za-z][\w.-]*$/.test(w[1])) c.networkIfaces.push(w[1]);
    else problem(`"${t}": expected network X:X::X:X/M or network IFNAME`);
    return;
  }
  if (w[0] === 'redistribute' && w[1] !== undefined) {
    const src = w[1];
    if (ABSENT_SOURCES.has(src) && w.length === 2) return;
    if (src !== 'connected' && src !== 'static' && src !== 'ospf6') return problem(`"${t}": redistributing ${src} is not implemented in VirtNet`);
    const metric = w[2] === 'metric' ? num(w[3]) : null;
    if (w.length > 2 && (metric === null || metric < 0 || metric > 16 || w.length > 4)) return problem(`"${t}": only redistribute ${src} [metric 0-16] is implemented (route-map is not)`);
    c.redistribute.set(src, metric);
    return;
  }
  if (w[0] === 'passive-interface' && w[1] !== undefined && w.length === 2) {
    c.passive.add(w[1]);
    return;
  }
  if (w[0] === 'no' && w[1] === 'passive-interface' && w[2] !== undefined) {
    c.passive.delete(w[2]);
    return;
  }
  if (w[0] === 'default-metric' && num(w[1]) !== null && num(w[1])! >= 1 && num(w[1])! <= 16) {
    c.defaultMetric = num(w[1])!;
    return;
  }
  if (w[0] === 'timers' && w[1] === 'basic' && w.length === 5 && [2, 3, 4].every((k) => (num(w[k]) ?? 0) >= 1)) {
    c.updateS = num(w[2])!;
    c.timeoutS = num(w[3])!;
    c.garbageS = num(w[4])!;
    return;
  }
  problem(`"${t}" (router ripng) is not implemented in VirtNet and is ignored`);
}
