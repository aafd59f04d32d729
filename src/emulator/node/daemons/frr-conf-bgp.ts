// Reads the statements of a `router bgp ASN` section of frr.conf into what bgpd runs:
// router id, `network` (CIDR or `mask` form), `redistribute`, neighbors with remote-as,
// weight, next-hop-self, update-source, route-map/prefix-list/filter-list in|out and peer
// groups, `timers bgp`, and the `no` forms `configure terminal` uses to take them back. A
// statement VirtNet does not implement is a located problem. Must not touch a stack.
// RFC 4271 §9.1 inputs.

import { maskToPrefixLen, parseCidr, parseIpv4 } from '../../wire/addr';

export type BgpRedistSource = 'connected' | 'static' | 'kernel' | 'rip' | 'ospf';

export interface BgpNeighborConf {
  /** `neighbor X remote-as N|internal|external` (null until given; `internal` is our AS). */
  remoteAs: number | 'external' | null;
  /** `neighbor X weight N` (FRR default 0; local routes 32768). */
  weight: number;
  nextHopSelf: boolean;
  /** `neighbor X update-source A.B.C.D|IFNAME`, with its line. */
  updateSource: { name: string; line: number } | null;
  /** `neighbor X shutdown`: configured but administratively down. */
  shutdown: boolean;
  peerGroup: string | null;
  /** `neighbor X timers KEEPALIVE HOLDTIME` (null: the router's `timers bgp`). */
  timers: { keepaliveS: number; holdS: number } | null;
  /** `neighbor X route-map|prefix-list|filter-list NAME in|out`: policy names (the lists may not exist yet). */
  policy: NeighborPolicy;
  line: number;
}

export interface NeighborPolicy {
  routeMapIn: string | null;
  routeMapOut: string | null;
  prefixListIn: string | null;
  prefixListOut: string | null;
  filterListIn: string | null;
  filterListOut: string | null;
}

const POLICY_FIELDS: Readonly<Record<string, Record<'in' | 'out', keyof NeighborPolicy>>> = {
  'route-map': { in: 'routeMapIn', out: 'routeMapOut' },
  'prefix-list': { in: 'prefixListIn', out: 'prefixListOut' },
  'filter-list': { in: 'filterListIn', out: 'filterListOut' },
};

export interface BgpConfig {
  asn: number;
  line: number;
  routerId: number | null;
  /** `network A.B.C.D/M [route-map NAME]`. */
  networks: { addr: number; prefixLen: number; routeMap?: string }[];
  /** `redistribute SOURCE [metric N]` → MED (null: the route's own metric). */
  redistribute: Map<BgpRedistSource, number | null>;
  /** `redistribute SOURCE … route-map NAME`. */
  redistributeRouteMap: Map<BgpRedistSource, string>;
  neighbors: Map<number, BgpNeighborConf>;
  peerGroups: Map<string, BgpNeighborConf>;
  /** FRR's `bgp ebgp-requires-policy` (on by default): no eBGP routes in or out without a policy. */
  ebgpRequiresPolicy: boolean;
  /** `bgp bestpath compare-routerid`: between eBGP paths the router id decides, not the older path. */
  compareRouterId: boolean;
  keepaliveS: number;
  holdS: number;
}

export function newBgpConfig(asn: number, line: number): BgpConfig {
  return { asn, line, routerId: null, networks: [], redistribute: new Map(), redistributeRouteMap: new Map(), neighbors: new Map(), peerGroups: new Map(), ebgpRequiresPolicy: true, compareRouterId: false, keepaliveS: 60, holdS: 180 };
}

/** An AS number as FRR reads it: 1..4294967295 (asplain). */
export function parseAsn(s: string | undefined): number | null {
  if (s === undefined || !/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 0xffffffff ? n : null;
}

/** Statements FRR accepts that change nothing VirtNet models (old Quagga habits, logging). */
const BGP_HARMLESS = /^(no synchronization|no auto-summary|bgp log-neighbor-changes|no bgp default ipv4-unicast|address-family ipv4( unicast)?|exit-address-family|no bgp network import-check)$/;

function newNeighbor(line: number): BgpNeighborConf {
  return { remoteAs: null, weight: 0, nextHopSelf: false, updateSource: null, shutdown: false, peerGroup: null, timers: null, policy: { routeMapIn: null, routeMapOut: null, prefixListIn: null, prefixListOut: null, filterListIn: null, filterListOut: null }, line };
}

export function bgpStatement(b: BgpConfig, w: string[], t: string, line: number, problem: (m: string) => void): void {
  if (BGP_HARMLESS.test(t)) return;
  if (w[0] === 'bgp' && w[1] === 'router-id' && w.length === 3) {
    const id = parseIpv4(w[2]!);
    if (id === null) return problem(`"${t}": expected bgp router-id A.B.C.D`);
    b.routerId = id;
    return;
  }
  if (t === 'no bgp ebgp-requires-policy' || t === 'bgp ebgp-requires-policy') {
    b.ebgpRequiresPolicy = w[0] !== 'no';
    return;
  }
  if (t === 'bgp bestpath compare-routerid' || t === 'no bgp bestpath compare-routerid') {
    b.compareRouterId = w[0] !== 'no';
    return;
  }
  if (w[0] === 'no' && w[1] !== undefined) return noStatement(b, w.slice(1), t, problem);
  if (w[0] === 'network' && w[1] !== undefined) {
    // `… route-map NAME` at the end: FRR applies the map to the route it originates.
    const rm = w.length >= 4 && w[w.length - 2] === 'route-map' ? w[w.length - 1]! : null;
    const v = rm === null ? w : w.slice(0, -2);
    const c = v.length === 2 ? parseCidr(v[1]!) : v.length === 4 && v[2] === 'mask' ? maskForm(v[1], v[3]) : null;
    if (c === null) return problem(`"${t}": expected network A.B.C.D/M [route-map NAME] or network A.B.C.D mask M.M.M.M (backdoor is not implemented)`);
    b.networks = b.networks.filter((n) => n.addr !== c.addr || n.prefixLen !== c.prefixLen);
    b.networks.push(rm === null ? c : { ...c, routeMap: rm });
    return;
  }
  if (w[0] === 'redistribute' && w[1] !== undefined) {
    const src = w[1];
    if (src !== 'connected' && src !== 'static' && src !== 'kernel' && src !== 'rip' && src !== 'ospf') return problem(`"${t}": redistributing ${src} into BGP is not implemented in VirtNet`);
    let metric: number | null = null;
    let rm: string | null = null;
    for (let k = 2; k < w.length; k += 2) {
      if (w[k] === 'metric' && /^\d+$/.test(w[k + 1] ?? '')) metric = Number(w[k + 1]);
      else if (w[k] === 'route-map' && w[k + 1] !== undefined) rm = w[k + 1]!;
      else return problem(`"${t}": expected redistribute ${src} [metric N] [route-map NAME]`);
    }
    b.redistribute.set(src, metric);
    if (rm === null) b.redistributeRouteMap.delete(src);
    else b.redistributeRouteMap.set(src, rm);
    return;
  }
  if (w[0] === 'timers' && w[1] === 'bgp' && w.length === 4 && /^\d+$/.test(w[2]!) && /^\d+$/.test(w[3]!)) {
    const k = Number(w[2]);
    const h = Number(w[3]);
    if (k > 65535 || (h !== 0 && h < 3) || h > 65535) return problem(`"${t}": timers bgp takes KEEPALIVE 0-65535 and HOLD 0 or 3-65535; ignored`);
    b.keepaliveS = k;
    b.holdS = h;
    return;
  }
  if (w[0] === 'neighbor' && w[1] !== undefined && w[2] !== undefined) return neighborStatement(b, w, t, line, problem);
  problem(`"${t}" (router bgp) is not implemented in VirtNet and is ignored`);
}

function maskForm(addr: string | undefined, mask: string | undefined): { addr: number; prefixLen: number } | null {
  const a = addr === undefined ? null : parseIpv4(addr);
  const m = mask === undefined ? null : parseIpv4(mask);
  const len = m === null ? null : maskToPrefixLen(m);
  return a === null || len === null ? null : { addr: a, prefixLen: len };
}

function neighborStatement(b: BgpConfig, w: string[], t: string, line: number, problem: (m: string) => void): void {
  const name = w[1]!;
  const addr = parseIpv4(name);
  if (w[2] === 'peer-group' && w.length === 3) {
    if (addr !== null) return problem(`"${t}": a peer group needs a name, not an address`);
    if (!b.peerGroups.has(name)) b.peerGroups.set(name, newNeighbor(line));
    return;
  }
  const target = addr !== null ? (b.neighbors.get(addr) ?? null) : (b.peerGroups.get(name) ?? null);
  if (addr === null && target === null) return problem(`"${t}": ${name} is neither an address nor a peer group defined above`);
  const conf = (): BgpNeighborConf => {
    if (target !== null) return target;
    const n = newNeighbor(line);
    b.neighbors.set(addr!, n);
    return n;
  };
  const verb = w[2]!;
  if (verb === 'remote-as' && w.length === 4) {
    const asn = w[3] === 'internal' ? b.asn : w[3] === 'external' ? 'external' : parseAsn(w[3]);
    if (asn === null) return problem(`"${t}": expected remote-as 1-4294967295|internal|external`);
    conf().remoteAs = asn;
    return;
  }
  if (target === null && addr !== null && verb !== 'peer-group') return problem(`"${t}": specify remote-as or peer-group for ${name} first`);
  const n = conf();
  if (verb === 'peer-group' && w.length === 4) {
    const g = b.peerGroups.get(w[3]!);
    if (g === undefined) return problem(`"${t}": peer group ${w[3]} is not defined`);
    n.peerGroup = w[3]!;
    return;
  }
  if (verb === 'weight' && w.length === 4 && /^\d+$/.test(w[3]!) && Number(w[3]) <= 65535) {
    n.weight = Number(w[3]);
    return;
  }
  if (verb === 'shutdown' && w.length === 3) {
    n.shutdown = true;
    return;
  }
  if (verb === 'next-hop-self' && w.length === 3) {
    n.nextHopSelf = true;
    return;
  }
  if (verb === 'update-source' && w.length === 4) {
    n.updateSource = { name: w[3]!, line };
    return;
  }
  if (verb === 'timers' && w.length === 5 && /^\d+$/.test(w[3]!) && /^\d+$/.test(w[4]!)) {
    const k = Number(w[3]);
    const h = Number(w[4]);
    if (k > 65535 || (h !== 0 && h < 3) || h > 65535) return problem(`"${t}": neighbor timers takes KEEPALIVE 0-65535 and HOLD 0 or 3-65535; ignored`);
    n.timers = { keepaliveS: k, holdS: h };
    return;
  }
  const field = POLICY_FIELDS[verb];
  if (field !== undefined && w.length === 5 && (w[4] === 'in' || w[4] === 'out') && /^[A-Za-z0-9_.:-]{1,64}$/.test(w[3]!)) {
    n.policy[field[w[4]]] = w[3]!;
    return;
  }
  if (verb === 'activate' || verb === 'description' || verb === 'soft-reconfiguration') return;
  problem(`"${t}" (router bgp) is not implemented in VirtNet and is ignored`);
}

/** `no …` inside router bgp: what `configure terminal` takes back (FRR's negated commands). */
function noStatement(b: BgpConfig, w: string[], t: string, problem: (m: string) => void): void {
  if (w[0] === 'network' && w[1] !== undefined) {
    const v = w.length >= 4 && w[w.length - 2] === 'route-map' ? w.slice(0, -2) : w;
    const c = v.length === 2 ? parseCidr(v[1]!) : v.length === 4 && v[2] === 'mask' ? maskForm(v[1], v[3]) : null;
    const at = c === null ? -1 : b.networks.findIndex((n) => n.addr === c.addr && n.prefixLen === c.prefixLen);
    if (at < 0) return problem(`"${t}": can't find the specified static route configuration`);
    b.networks.splice(at, 1);
    return;
  }
  if (w[0] === 'redistribute' && w[1] !== undefined) {
    b.redistribute.delete(w[1] as BgpRedistSource);
    b.redistributeRouteMap.delete(w[1] as BgpRedistSource);
    return;
  }
  if (w[0] === 'bgp' && w[1] === 'router-id') {
    b.routerId = null;
    return;
  }
  if (w[0] === 'neighbor' && w[1] !== undefined) {
    const addr = parseIpv4(w[1]);
    const n = addr !== null ? b.neighbors.get(addr) : b.peerGroups.get(w[1]);
    if (n === undefined) return problem(`"${t}": no such neighbor ${w[1]}`);
    const verb = w[2];
    // `no neighbor X` and `no neighbor X remote-as N` remove the neighbor (FRR).
    if (verb === undefined || verb === 'remote-as' || (verb === 'peer-group' && w.length === 3)) {
      if (addr !== null) b.neighbors.delete(addr);
      else b.peerGroups.delete(w[1]);
      return;
    }
    const field = POLICY_FIELDS[verb];
    if (field !== undefined && (w[4] === 'in' || w[4] === 'out')) return void (n.policy[field[w[4]]] = null);
    if (verb === 'next-hop-self') return void (n.nextHopSelf = false);
    if (verb === 'shutdown') return void (n.shutdown = false);
    if (verb === 'weight') return void (n.weight = 0);
    if (verb === 'update-source') return void (n.updateSource = null);
    if (verb === 'timers') return void (n.timers = null);
    if (verb === 'peer-group') return void (n.peerGroup = null);
    if (verb === 'activate' || verb === 'description' || verb === 'soft-reconfiguration') return;
  }
  problem(`"${t}" (router bgp) is not implemented in VirtNet and is ignored`);
}

/** A neighbor's settings with its peer group's filled in (FRR's inheritance). */
export function effectiveNeighbor(b: BgpConfig, n: BgpNeighborConf): BgpNeighborConf {
  const g = n.peerGroup === null ? undefined : b.peerGroups.get(n.peerGroup);
  if (g === undefined) return n;
  return {
    remoteAs: n.remoteAs ?? g.remoteAs,
    weight: n.weight !== 0 ? n.weight : g.weight,
    nextHopSelf: n.nextHopSelf || g.nextHopSelf,
    shutdown: n.shutdown || g.shutdown,
    updateSource: n.updateSource ?? g.updateSource,
    peerGroup: n.peerGroup,
    timers: n.timers ?? g.timers,
    policy: Object.fromEntries(Object.entries(n.policy).map(([k, v]) => [k, v ?? g.policy[k as keyof NeighborPolicy]])) as unknown as NeighborPolicy,
    line: n.line,
  };
}
