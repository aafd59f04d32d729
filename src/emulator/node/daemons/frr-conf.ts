// Reads a node's FRR/Quagga configuration text (frr.conf, as zebra, staticd and ripd read
// it, or a `vtysh` script of the same statements) into what the daemons run. Every
// statement VirtNet does not implement becomes a located problem (`frr.conf:12: …`); a
// statement that configures nothing observable here (hostname, log, line vty) is accepted.
// Must not touch a stack: node/daemons/index.ts applies the result.

import { parseCidr, parseIpv4 } from '../../wire/addr';
import { maskOf } from '../../stack/route';
import { newOspf6, ospf6Statement, parseArea, type Ospf6Config } from './frr-conf-ospf6';
import { newRipng, ripngStatement, type RipngConfig } from './frr-conf-ripng';
import { bgpStatement, newBgpConfig, parseAsn, type BgpConfig } from './frr-conf-bgp';
import { asPathListStatement, communityListStatement, newPolicy, prefixListStatement, routeMapHead, routeMapStatement, type PolicyConfig, type RouteMapEntry } from './frr-conf-policy';

export const FRR_CONF_FILE = 'frr.conf';

export type RedistSource = 'connected' | 'static' | 'kernel' | 'ospf' | 'bgp';

export interface RipConfig {
  /** `network A.B.C.D/M`: interfaces with an address inside run RIP. */
  networks: { addr: number; prefixLen: number }[];
  /** `network IFNAME`. */
  networkIfaces: string[];
  /** `redistribute SOURCE [metric N]` → metric (null: the default metric). */
  redistribute: Map<RedistSource, number | null>;
  passive: Set<string>;
  passiveDefault: boolean;
  /** `default-metric N` (FRR default 1). */
  defaultMetric: number;
  /** `timers basic UPDATE TIMEOUT GARBAGE` in seconds (RFC 2453 §3.8: 30, 180, 120). */
  updateS: number;
  timeoutS: number;
  garbageS: number;
}

export interface OspfConfig {
  /** `ospf router-id A.B.C.D` (null: the highest interface address, as FRR picks it). */
  routerId: number | null;
  /** `network A.B.C.D/M area N` (N a number or A.B.C.D): interfaces with an address inside run OSPF in that area. */
  networks: { addr: number; prefixLen: number; area: number }[];
  /** `redistribute connected|static|rip|kernel|bgp [metric N]` as AS-external-LSAs (type 2 metric, default 20). */
  redistribute: Map<'connected' | 'static' | 'rip' | 'kernel' | 'bgp', number>;
  passive: Set<string>;
  passiveDefault: boolean;
  /** `timers throttle spf DELAY HOLD MAX` in ms (FRR's defaults 0 50 5000). */
  spfThrottleMs: { delay: number; hold: number; max: number };
  /**
   * `area A stub [no-summary]` (RFC 2328 §3.6): no AS-external-LSAs in A, its ABRs send a
   * default summary-LSA into it instead; with no-summary (totally stubby) no other summary.
   */
  stubAreas: Map<number, { noSummary: boolean }>;
  /** `area A default-cost N`: the metric of that default summary-LSA (FRR's default 1). */
  defaultCost: Map<number, number>;
  /**
   * `area A range P [not-advertise | cost N]` (§12.4.3): an ABR summarizes A's networks
   * inside P into the other areas as one summary-LSA for P (cost: the highest of theirs,
   * or N), or, not-advertise, hides them.
   */
  ranges: OspfRange[];
}

export interface OspfRange {
  area: number;
  addr: number;
  prefixLen: number;
  advertise: boolean;
  /** `cost N`, else null: the largest cost of the networks inside. */
  cost: number | null;
}

/** Whether `area` is configured as a stub area (the backbone never is). */
export function ospfStubArea(cfg: OspfConfig, area: number): boolean {
  return area !== 0 && cfg.stubAreas.has(area);
}

export interface OspfIfaceConf {
  /** `ip ospf cost N`. */
  cost: number | null;
  /** `ip ospf priority N` (default 1). */
  priority: number | null;
  /** `ip ospf area A`: the interface runs OSPF in that area. */
  area: number | null;
  /** `ip ospf hello-interval N`, `ip ospf dead-interval N`. */
  helloS: number | null;
  deadS: number | null;
  /** `ip ospf network point-to-point|broadcast` (default broadcast on Ethernet). */
  p2p: boolean | null;
}

export interface StaticRouteConf {
  dest: number;
  prefixLen: number;
  gateway: number | null;
  iface: string | null;
  line: number;
}

export type SplitHorizon = 'none' | 'simple' | 'poisoned';

export interface FrrProblem {
  line: number;
  message: string;
}

export interface FrrConfig {
  rip: RipConfig | null;
  /** `router ripng` (ripngd). */
  ripng: RipngConfig | null;
  ospf: OspfConfig | null;
  /** `router bgp ASN` (one per node, as FRR allows without VRFs). */
  bgp: BgpConfig | null;
  /** `interface X` / ` ip ospf …` statements. */
  ospfIfaces: Map<string, OspfIfaceConf>;
  /** `router ospf6` (ospf6d). */
  ospf6: Ospf6Config | null;
  /** `interface X` / ` ipv6 ospf6 …` statements (same parameters as OSPFv2's). */
  ospf6Ifaces: Map<string, OspfIfaceConf>;
  staticRoutes: StaticRouteConf[];
  /** `interface X` / ` ip address A.B.C.D/M`: zebra configures these addresses. */
  ifaceAddrs: { iface: string; addr: number; prefixLen: number; line: number }[];
  /** `ip rip split-horizon [poisoned-reverse]` / `no ip rip split-horizon` per interface (default: simple split horizon, as FRR's `ip rip split-horizon`). */
  ripSplitHorizon: Map<string, SplitHorizon>;
  /** `ip prefix-list`, `bgp as-path access-list`, `route-map` (frr-conf-policy.ts). */
  policy: PolicyConfig;
  /** Lines read into `bgp` and `policy`: `show running-config` shows those from the model, as FRR does. */
  modelLines: Set<number>;
  /** `router ospf`, `router bgp 100`, `router ripng` … present but not run, with the line. */
  notRunning: { protocol: string; line: number }[];
  problems: FrrProblem[];
}

/** Statements that configure nothing VirtNet shows differently; accepted without a warning. */
const HARMLESS = /^(hostname|password|enable password|log|line vty|service|frr version|frr defaults|ip forwarding|ipv6 forwarding|end|exit|exit-vrf|vtysh|conf|configure|debug|username|agentx|write|no ipv6 forwarding|ipv6 nd|no ipv6 nd|description|link-detect|no link-detect|__EOF__|vtysh <<)/;
/** Statements only valid at the top level: they end a `router` or `interface` section. */
const TOP_LEVEL = /^(hostname|password|enable password|log|line vty|service|frr version|frr defaults|ip forwarding|ipv6 forwarding|no ipv6 forwarding|end|exit|debug|username|agentx|access-list|route-map|ip prefix-list|ipv6 route|key chain|__EOF__|vtysh <<)/;
/** Interface statements VirtNet applies elsewhere (addresses from the topology) or that need no action. */
const IFACE_OK = /^(ip address|ipv6 address|description|shutdown|no shutdown|link-detect|no link-detect|type|multicast|bandwidth|mac address|mtu)\b/;
/** Interface statements that belong to a protocol that does not run yet (reported once with it). */
const IFACE_LATER = /^(ipv6 ospf |ip router isis|ipv6 router isis|isis|ipv6 rip|ip rip authentication)\b/;

const PROTOCOL_NAMES: Record<string, string> = { ospf: 'OSPF', ospf6: 'OSPFv3', bgp: 'BGP', ripng: 'RIPng', isis: 'IS-IS', babel: 'Babel', eigrp: 'EIGRP', pim: 'PIM' };

export function protocolName(word: string): string {
  const inst = /^ospf (\d+)$/.exec(word);
  if (inst) return `OSPF instance ${inst[1]} (multi-instance)`;
  return PROTOCOL_NAMES[word] ?? word;
}

/** FRR's range for each of `timers basic UPDATE TIMEOUT GARBAGE`, in seconds. */
export const RIP_TIMER_MIN_S = 5;
export const RIP_TIMER_MAX_S = 2_147_483_647;

function newRip(): RipConfig {
  return {
    networks: [],
    networkIfaces: [],
    redistribute: new Map(),
    passive: new Set(),
    passiveDefault: false,
    defaultMetric: 1,
    updateS: 30,
    timeoutS: 180,
    garbageS: 120,
  };
}

type Section = { kind: 'top' } | { kind: 'rip' } | { kind: 'ripng' } | { kind: 'ospf' } | { kind: 'ospf6' } | { kind: 'bgp' } | { kind: 'iface'; name: string } | { kind: 'rmap'; entry: RouteMapEntry | null } | { kind: 'other'; protocol: string };

/** Parses frr.conf text; `firstLine` numbers the first line (1 for a file). */
export function parseFrrConf(text: string, firstLine = 1): FrrConfig {
  const cfg: FrrConfig = { rip: null, ripng: null, ospf: null, ospfIfaces: new Map(), ospf6: null, ospf6Ifaces: new Map(), bgp: null, staticRoutes: [], ifaceAddrs: [], ripSplitHorizon: new Map(), policy: newPolicy(), modelLines: new Set(), notRunning: [], problems: [] };
  let section: Section = { kind: 'top' };
  text.split('\n').forEach((raw, i) => {
    const line = firstLine + i;
    const t = raw.replace(/[#].*$/, '').trim();
    if (t === '') return;
    if (t.startsWith('!')) return; // a comment; sections end at the next top-level statement, as in FRR
    const w = t.split(/\s+/);
    const problem = (message: string) => cfg.problems.push({ line, message });
    // A top-level statement ends the section (FRR leaves the node on any top-level command).
    if (w[0] === 'router' && w[1] !== undefined) {
      if (w[1] === 'rip') {
        cfg.rip ??= newRip();
        section = { kind: 'rip' };
      } else if (w[1] === 'ripng' && w.length === 2) {
        cfg.ripng ??= newRipng();
        section = { kind: 'ripng' };
      } else if (w[1] === 'ospf' && w.length === 2) {
        cfg.ospf ??= { routerId: null, networks: [], redistribute: new Map(), passive: new Set(), passiveDefault: false, spfThrottleMs: { ...SPF_THROTTLE_DEFAULT_MS }, stubAreas: new Map(), defaultCost: new Map(), ranges: [] };
        section = { kind: 'ospf' };
      } else if (w[1] === 'bgp' && w.length <= 3) {
        cfg.modelLines.add(line);
        const asn = w[2] === undefined ? (cfg.bgp?.asn ?? null) : parseAsn(w[2]);
        if (asn === null) problem(`"${t}": expected router bgp ASN (1-4294967295)`);
        else if (cfg.bgp !== null && cfg.bgp.asn !== asn) problem(`"${t}": BGP is already running; AS is ${cfg.bgp.asn}`);
        else cfg.bgp ??= newBgpConfig(asn, line);
        section = cfg.bgp !== null && (asn === null || cfg.bgp.asn === asn) ? { kind: 'bgp' } : { kind: 'other', protocol: 'bgp' };
      } else if (w[1] === 'ospf6' && w.length === 2) {
        cfg.ospf6 ??= newOspf6(line);
        section = { kind: 'ospf6' };
      } else {
        const proto = w[1] === 'ospf' && w[2] !== undefined ? `ospf ${w[2]}` : w[1];
        if (!cfg.notRunning.some((p) => p.protocol === proto)) cfg.notRunning.push({ protocol: proto, line });
        section = { kind: 'other', protocol: proto };
      }
      return;
    }
    if (w[0] === 'no' && w[1] === 'router' && (w[2] === 'rip' || w[2] === 'ripng' || w[2] === 'ospf' || w[2] === 'ospf6' || w[2] === 'bgp')) {
      if (w[2] === 'bgp') cfg.modelLines.add(line);
      if (w[2] === 'rip') cfg.rip = null;
      else if (w[2] === 'ripng') cfg.ripng = null;
      else if (w[2] === 'ospf6') cfg.ospf6 = null;
      else if (w[2] === 'bgp') cfg.bgp = null;
      else cfg.ospf = null;
      section = { kind: 'top' };
      return;
    }
    // quagga's `interface IFNAME area A` is a statement of router ospf6, not a new section.
    if (section.kind === 'ospf6' && w[0] === 'interface' && w[2] === 'area') return ospf6Statement(cfg.ospf6!, w, t, problem);
    if (w[0] === 'interface' && w[1] !== undefined) {
      section = { kind: 'iface', name: w[1] };
      return;
    }
    if (w[0] === 'ip' && w[1] === 'route') {
      section = { kind: 'top' };
      staticRoute(cfg, w, line, problem);
      return;
    }
    if (w[0] === 'route-map' || (w[0] === 'no' && w[1] === 'route-map')) {
      section = { kind: 'rmap', entry: routeMapHead(cfg.policy, w, t, problem) };
      cfg.modelLines.add(line);
      return;
    }
    if (prefixListStatement(cfg.policy, w, t, problem) || asPathListStatement(cfg.policy, w, t, problem) || communityListStatement(cfg.policy, w, t, problem)) {
      cfg.modelLines.add(line);
      section = { kind: 'top' };
      return;
    }
    if (TOP_LEVEL.test(t)) section = { kind: 'top' };
    if (section.kind === 'bgp' || section.kind === 'rmap' || (section.kind === 'other' && section.protocol === 'bgp')) cfg.modelLines.add(line);
    if (section.kind === 'rmap') return section.entry === null ? problem(`"${t}": the route-map entry above was not accepted; ignored`) : routeMapStatement(section.entry, w, t, problem);
    if (section.kind === 'rip') return ripStatement(cfg.rip!, w, t, problem);
    if (section.kind === 'ripng') return ripngStatement(cfg.ripng!, w, t, problem);
    if (section.kind === 'ospf') return ospfStatement(cfg.ospf!, w, t, problem);
    if (section.kind === 'bgp') return bgpStatement(cfg.bgp!, w, t, line, problem);
    if (section.kind === 'ospf6') return ospf6Statement(cfg.ospf6!, w, t, problem);
    if (section.kind === 'iface') return ifaceStatement(cfg, section.name, w, t, problem, line);
    if (section.kind === 'other') return; // reported once as a protocol that does not run
    if (HARMLESS.test(t)) return;
    problem(`"${t}" is not implemented in VirtNet and is ignored`);
  });
  return cfg;
}

function staticRoute(cfg: FrrConfig, w: string[], line: number, problem: (m: string) => void): void {
  const dest = w[2] === undefined ? null : parseCidr(w[2]);
  const via = w[3];
  if (dest === null || via === undefined) return problem(`"${w.join(' ')}": expected ip route A.B.C.D/M GATEWAY|IFNAME`);
  if (w.length > 4 && !/^\d+$/.test(w[4]!)) return problem(`"${w.join(' ')}": only ip route A.B.C.D/M GATEWAY|IFNAME [DISTANCE] is implemented`);
  const gw = parseIpv4(via);
  cfg.staticRoutes.push({ dest: dest.addr, prefixLen: dest.prefixLen, gateway: gw, iface: gw === null ? via : null, line });
}

function ripStatement(rip: RipConfig, w: string[], t: string, problem: (m: string) => void): void {
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  if (w[0] === 'network' && w[1] !== undefined && w.length === 2) {
    const c = parseCidr(w[1]);
    if (c) rip.networks.push(c);
    else if (/^[A-Za-z][\w.-]*$/.test(w[1])) rip.networkIfaces.push(w[1]);
    else problem(`"${t}": expected network A.B.C.D/M or network IFNAME`);
    return;
  }
  if (w[0] === 'redistribute' && w[1] !== undefined) {
    const src = w[1];
    if (src !== 'connected' && src !== 'static' && src !== 'kernel' && src !== 'ospf' && src !== 'bgp') return problem(`"${t}": redistributing ${src} is not implemented in VirtNet`);
    const metric = w[2] === 'metric' ? num(w[3]) : null;
    if (w.length > 2 && (metric === null || metric < 0 || metric > 16 || w.length > 4)) return problem(`"${t}": only redistribute ${src} [metric 0-16] is implemented (route-map is not)`);
    rip.redistribute.set(src, metric);
    return;
  }
  if (w[0] === 'passive-interface' && w[1] !== undefined) {
    if (w[1] === 'default') rip.passiveDefault = true;
    else rip.passive.add(w[1]);
    return;
  }
  if (w[0] === 'no' && w[1] === 'passive-interface' && w[2] !== undefined) {
    rip.passive.delete(w[2]);
    return;
  }
  if (w[0] === 'version' && (w[1] === '2' || w[1] === '1') && w.length === 2) {
    if (w[1] === '1') problem(`"${t}": RIP version 1 is not implemented in VirtNet; RIPv2 runs`);
    return;
  }
  if (w[0] === 'default-metric' && num(w[1]) !== null && num(w[1])! >= 1 && num(w[1])! <= 16) {
    rip.defaultMetric = num(w[1])!;
    return;
  }
  if (w[0] === 'timers' && w[1] === 'basic') {
    // FRR's range for each (frr-ripd.yang); anything else keeps the timers as they were.
    const v = w.slice(2).map(num);
    if (v.length !== 3 || v.some((x) => x === null || x < RIP_TIMER_MIN_S || x > RIP_TIMER_MAX_S)) {
      return problem(`"${t}": expected timers basic UPDATE TIMEOUT GARBAGE (${RIP_TIMER_MIN_S}-${RIP_TIMER_MAX_S} seconds each); the timers stay ${rip.updateS} ${rip.timeoutS} ${rip.garbageS}`);
    }
    [rip.updateS, rip.timeoutS, rip.garbageS] = v as [number, number, number];
    return;
  }
  if (w[0] === 'no' && w[1] === 'timers' && w[2] === 'basic') {
    const d = newRip();
    [rip.updateS, rip.timeoutS, rip.garbageS] = [d.updateS, d.timeoutS, d.garbageS];
    return;
  }
  problem(`"${t}" (router rip) is not implemented in VirtNet and is ignored`);
}

function ifaceStatement(cfg: FrrConfig, name: string, w: string[], t: string, problem: (m: string) => void, line: number): void {
  if (w[0] === 'ip' && w[1] === 'address' && w[2] !== undefined) {
    const c = parseCidr(w[2]);
    if (c === null) return problem(`"${t}": expected ip address A.B.C.D/M`);
    cfg.ifaceAddrs.push({ iface: name, addr: c.addr, prefixLen: c.prefixLen, line });
    return;
  }
  if (IFACE_OK.test(t) || IFACE_LATER.test(t)) return;
  if (w[0] === 'ip' && w[1] === 'ospf') return ospfIfaceStatement(cfg.ospfIfaces, 'ip ospf', name, w, t, problem);
  if (w[0] === 'ipv6' && w[1] === 'ospf6') return ospfIfaceStatement(cfg.ospf6Ifaces, 'ipv6 ospf6', name, w, t, problem);
  const sh = t.match(/^(no )?ip rip split-horizon( poisoned-reverse)?$/);
  if (sh) {
    cfg.ripSplitHorizon.set(name, sh[1] ? 'none' : sh[2] ? 'poisoned' : 'simple');
    return;
  }
  problem(`"${t}" (interface ${name}) is not implemented in VirtNet and is ignored`);
}


/** FRR's `timers throttle spf` defaults: SPF at once, then at least 50 ms apart, backing off to 5 s. */
export const SPF_THROTTLE_DEFAULT_MS = { delay: 0, hold: 50, max: 5000 } as const;

/** `area A …` statements of ospfd VirtNet does not implement, and what happens instead. */
const AREA_OPTIONS: Readonly<Record<string, string>> = {
  nssa: 'NSSAs are not implemented in VirtNet; area AREA runs as a normal area (AS-external-LSAs flood into it)',
  'virtual-link': 'virtual links are not implemented in VirtNet; ignored (an area not attached to the backbone gets no inter-area routes)',
};

/** `[no] area A stub [no-summary]`, `[no] area A default-cost N`, `[no] area A range P [not-advertise | cost N]`; false: not one of them. */
function ospfAreaStatement(o: OspfConfig, w: string[], t: string, problem: (m: string) => void): boolean {
  const neg = w[0] === 'no';
  const v = neg ? w.slice(1) : w;
  const area = v[0] === 'area' ? parseArea(v[1]) : null;
  if (area === null) return false;
  const kw = v[2];
  if (kw === 'stub') {
    if (v.length > 4 || (v[3] !== undefined && v[3] !== 'no-summary')) return problem(`"${t}": expected area A stub [no-summary]`), true;
    if (area === 0) return problem(`"${t}": the backbone cannot be a stub area; ignored`), true;
    if (neg && v[3] === 'no-summary') o.stubAreas.set(area, { noSummary: false });
    else if (neg) o.stubAreas.delete(area);
    else o.stubAreas.set(area, { noSummary: v[3] === 'no-summary' });
    return true;
  }
  if (kw === 'default-cost') {
    const n = /^\d+$/.test(v[3] ?? '') && v.length === 4 ? Number(v[3]) : null;
    if (neg) o.defaultCost.delete(area);
    else if (n === null || n > 0xffffff) problem(`"${t}": expected area A default-cost N (0-16777215)`);
    else o.defaultCost.set(area, n);
    return true;
  }
  if (kw === 'range') {
    const c = v[3] === undefined ? null : parseCidr(v[3]);
    const rest = v.slice(4).join(' ');
    const cost = /^cost \d+$/.test(rest) ? Number(v[5]) : null;
    if (c === null || !(rest === '' || rest === 'advertise' || rest === 'not-advertise' || (cost !== null && cost <= 0xffffff))) {
      return problem(`"${t}": expected area A range A.B.C.D/M [advertise | not-advertise | cost N]`), true;
    }
    const addr = (c.addr & maskOf(c.prefixLen)) >>> 0;
    o.ranges = o.ranges.filter((r) => !(r.area === area && r.addr === addr && r.prefixLen === c.prefixLen));
    if (!neg) o.ranges.push({ area, addr, prefixLen: c.prefixLen, advertise: rest !== 'not-advertise', cost });
    return true;
  }
  return false;
}

function ospfStatement(o: OspfConfig, w: string[], t: string, problem: (m: string) => void): void {
  if ((w[0] === 'ospf' && w[1] === 'router-id' && w.length === 3) || (w[0] === 'router-id' && w.length === 2)) {
    const id = parseIpv4(w[w.length - 1]!);
    if (id === null) return problem(`"${t}": expected a router id A.B.C.D`);
    o.routerId = id;
    return;
  }
  if (w[0] === 'network' && w[2] === 'area' && w.length === 4) {
    const c = w[1] === undefined ? null : parseCidr(w[1]);
    const area = parseArea(w[3]);
    if (c === null || area === null) return problem(`"${t}": expected network A.B.C.D/M area N`);
    o.networks.push({ ...c, area });
    return;
  }
  if (w[0] === 'redistribute' && w[1] !== undefined) {
    const src = w[1];
    const metric = w[2] === 'metric' && /^\d+$/.test(w[3] ?? '') ? Number(w[3]) : null;
    if (src === 'connected' || src === 'static' || src === 'rip' || src === 'kernel' || src === 'bgp') {
      if (w.length > 2 && (metric === null || w.length > 4)) return problem(`"${t}": only redistribute ${src} [metric N] is implemented`);
      o.redistribute.set(src, metric ?? 20);
      return;
    }
    return problem(`"${t}": redistributing ${src} into OSPF is not implemented in VirtNet`);
  }
  if (w[0] === 'passive-interface' && w[1] !== undefined) {
    if (w[1] === 'default') o.passiveDefault = true;
    else o.passive.add(w[1]);
    return;
  }
  if (w[0] === 'no' && w[1] === 'passive-interface' && w[2] !== undefined) {
    o.passive.delete(w[2]);
    return;
  }
  if (w[0] === 'timers' && w[1] === 'throttle' && w[2] === 'spf') {
    const v = w.slice(3).map((x) => (/^\d+$/.test(x) ? Number(x) : NaN));
    if (v.length !== 3 || v.some((x) => !(x <= 600_000))) return problem(`"${t}": expected timers throttle spf DELAY HOLD MAX (0-600000 ms each)`);
    o.spfThrottleMs = { delay: v[0]!, hold: v[1]!, max: v[2]! };
    return;
  }
  if (w[0] === 'no' && w[1] === 'timers' && w[2] === 'throttle' && w[3] === 'spf') {
    o.spfThrottleMs = { ...SPF_THROTTLE_DEFAULT_MS };
    return;
  }
  if (w[0] === 'log-adjacency-changes' || (w[0] === 'auto-cost' && w[1] === 'reference-bandwidth')) return;
  if (ospfAreaStatement(o, w, t, problem)) return;
  const areaOpt = w[0] === 'area' && parseArea(w[1]) !== null ? AREA_OPTIONS[w[2] ?? ''] : undefined;
  if (areaOpt !== undefined) return problem(`"${t}": ${areaOpt.replace('AREA', w[1]!)}`);
  problem(`"${t}" (router ospf) is not implemented in VirtNet and is ignored`);
}

/** FRR's ranges for the numeric `ip ospf` interface statements. */
const OSPF_IFACE_RANGES: Record<string, [number, number]> = { cost: [1, 65535], priority: [0, 255], 'hello-interval': [1, 65535], 'dead-interval': [1, 65535] };

function ospfIfaceStatement(map: Map<string, OspfIfaceConf>, kw: string, name: string, w: string[], t: string, problem: (m: string) => void): void {
  const c = map.get(name) ?? { cost: null, priority: null, area: null, helloS: null, deadS: null, p2p: null };
  map.set(name, c);
  const n = /^\d+$/.test(w[3] ?? '') && w.length === 4 ? Number(w[3]) : null;
  const range = OSPF_IFACE_RANGES[w[2] ?? ''];
  if (range !== undefined && (n === null || n < range[0] || n > range[1])) {
    // A value FRR itself refuses: say so, rather than calling the statement unimplemented.
    problem(`"${t}" (interface ${name}): ${kw} ${w[2]} takes a number from ${range[0]} to ${range[1]}; ignored`);
  } else if (w[2] === 'cost' && n !== null) c.cost = n;
  else if (w[2] === 'priority' && n !== null) c.priority = n;
  else if (w[2] === 'hello-interval' && n !== null) c.helloS = n;
  else if (w[2] === 'dead-interval' && n !== null) c.deadS = n;
  else if (w[2] === 'network' && w.length === 4 && (w[3] === 'point-to-point' || w[3] === 'broadcast')) c.p2p = w[3] === 'point-to-point';
  else if (w[2] === 'area' && w.length === 4 && parseArea(w[3]) !== null) c.area = parseArea(w[3]);
  else problem(`"${t}" (interface ${name}) is not implemented in VirtNet and is ignored`);
}
