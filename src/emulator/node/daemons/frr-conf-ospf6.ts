// The `router ospf6` section of frr.conf (ospf6d's statements) as the daemon runs it: FRR's
// `ospf6 router-id`, quagga's `router-id` and `interface IFNAME area A` (IMUNES writes the
// latter for quagga routers), `redistribute`. Interface statements (`ipv6 ospf6 area 0`,
// cost, priority, timers, network type) are parsed in frr-conf.ts with `ip ospf`'s. Statements
// VirtNet does not implement are located problems. Must not touch a stack.

import { parseIpv4 } from '../../wire/addr';

export type Ospf6Source = 'connected' | 'static' | 'ripng';

export interface Ospf6Config {
  /** The line of `router ospf6` (for located messages). */
  line: number;
  /** `ospf6 router-id A.B.C.D` (null: zebra's router id, as FRR picks it). */
  routerId: number | null;
  /** quagga's `interface IFNAME area A` inside the section. */
  areaIfaces: Set<string>;
  /** `redistribute connected|static|ripng` as AS-external-LSAs (type 2 metric 20, FRR's default). */
  redistribute: Set<Ospf6Source>;
}

export function newOspf6(line: number): Ospf6Config {
  return { line, routerId: null, areaIfaces: new Set(), redistribute: new Set() };
}

/** An area as `N` or `A.B.C.D`, or null. */
export function parseArea(s: string | undefined): number | null {
  if (s === undefined) return null;
  if (/^\d+$/.test(s) && Number(s) <= 0xffffffff) return Number(s) >>> 0;
  return parseIpv4(s);
}

/** One statement inside `router ospf6`; `problem` gets what is not implemented. */
export function ospf6Statement(c: Ospf6Config, w: string[], t: string, problem: (m: string) => void): void {
  if ((w[0] === 'ospf6' && w[1] === 'router-id' && w.length === 3) || (w[0] === 'router-id' && w.length === 2)) {
    const id = parseIpv4(w[w.length - 1]!);
    if (id === null) return problem(`"${t}": expected a router id A.B.C.D`);
    c.routerId = id;
    return;
  }
  if (w[0] === 'interface' && w[1] !== undefined && w[2] === 'area' && w.length === 4) {
    const a = parseArea(w[3]);
    if (a === null) return problem(`"${t}": expected interface IFNAME area A.B.C.D`);
    if (a !== 0) problem(`"${t}": only area 0 runs in VirtNet (no ABR yet); the interface joins area 0`);
    c.areaIfaces.add(w[1]);
    return;
  }
  if (w[0] === 'redistribute' && w[1] !== undefined) {
    const src = w[1];
    if (src !== 'connected' && src !== 'static' && src !== 'ripng') return problem(`"${t}": redistributing ${src} is not implemented in VirtNet`);
    if (w.length > 2) return problem(`"${t}": only redistribute ${src} is implemented (metric and route-map are not)`);
    c.redistribute.add(src);
    return;
  }
  problem(`"${t}" (router ospf6) is not implemented in VirtNet and is ignored`);
}
