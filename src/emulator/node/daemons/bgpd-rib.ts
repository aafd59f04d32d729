// bgpd's routing side: our own paths (`network` with FRR's import check, `redistribute`),
// the decision process over Adj-RIBs-In, installing the Loc-RIB's winners in the node's
// table (origin bgp, next hop resolved through the IGP as zebra does), and the UPDATEs
// that bring each peer's Adj-RIB-Out in line, with each peer's policy (bgpd-policy.ts)
// applied inbound before the decision and outbound per peer. Must not touch sockets except through bgpd-io.
// RFC 4271 §9.1.1-9.1.3 (decision), §9.2 (update-send, iBGP not re-advertised to iBGP),
// §5.1.3 (NEXT_HOP), §5.1.4 (MED not passed between ASes), §5.1.5 (LOCAL_PREF iBGP only).

import { ribInstall, ribWithdraw } from '../../stack/rib';
import { maskOf, routeList, type RouteInfo } from '../../stack/route';
import { BGP_HEADER_LEN, BGP_MAX_LEN, BGP_ORIGIN, BGP_SEGMENT, formatAsPath, type BgpAttrs, type BgpPrefix, type BgpSegment } from '../../wire/bgp';
import { bgpSend } from './bgpd-io';
import { applyRouteMap, inboundPath, outboundAttrs } from './bgpd-policy';
import { prefixKey, type BgpDaemon, type BgpPath, type BgpPeer } from './bgpd-types';

const LOCAL_WEIGHT = 32768;
const DEFAULT_LOCAL_PREF = 100;

/** Runs the decision process at the end of this event (many changes, one run). */
export function scheduleDecision(d: BgpDaemon): void {
  if (!d.running || d.decisionTimer !== 0) return;
  d.decisionTimer = d.stack.env.sim.schedule(0, decide, d);
}

/** AS_PATH length for the decision: a sequence counts each AS, a set counts one (§9.1.2.2 a). */
export function asPathLength(segs: BgpSegment[]): number {
  return segs.reduce((n, g) => n + (g.type === BGP_SEGMENT.AS_SET ? 1 : g.asns.length), 0);
}

function firstAs(segs: BgpSegment[]): number {
  const g = segs[0];
  return g !== undefined && g.type === BGP_SEGMENT.AS_SEQUENCE ? (g.asns[0] ?? 0) : 0;
}

// ---- our own paths --------------------------------------------------------------------

function samePath(a: BgpPath, b: BgpPath): boolean {
  return a.source === b.source && a.origin === b.origin && a.med === b.med && a.localPref === b.localPref && a.weight === b.weight && formatAsPath(a.asPath) === formatAsPath(b.asPath) && String(a.communities) === String(b.communities);
}

function localPaths(d: BgpDaemon, table: RouteInfo[]): Map<number, BgpPath> {
  const out = new Map<number, BgpPath>();
  const now = d.stack.env.sim.now();
  const add = (r: RouteInfo, source: BgpPath['source'], origin: number, med: number | null, routeMap: string | null) => {
    const k = prefixKey(r.dest, r.prefixLen);
    if (out.has(k)) return;
    const p: BgpPath = { dest: r.dest, prefixLen: r.prefixLen, from: null, source, origin, asPath: [], nextHop: 0, med, localPref: null, communities: null, weight: LOCAL_WEIGHT, receivedNs: now };
    // `network … route-map` / `redistribute … route-map`: a deny keeps the route out of BGP (FRR).
    if (routeMap !== null && !applyRouteMap(d, routeMap, r.dest, r.prefixLen, p)) return;
    // The same route as before keeps its object: the decision sees no change.
    const old = d.local.get(k);
    if (old !== undefined && samePath(old, p)) return void out.set(k, old);
    out.set(k, p);
  };
  const usable = table.filter((r) => r.usable && r.kind !== 'local' && r.kind !== 'bgp' && r.iface !== 'lo0');
  // `network`: advertised only while the table holds exactly that prefix (FRR's import check).
  for (const n of d.cfg.networks) {
    const dest = (n.addr & maskOf(n.prefixLen)) >>> 0;
    const r = usable.find((x) => x.dest === dest && x.prefixLen === n.prefixLen);
    if (r !== undefined) add(r, 'network', BGP_ORIGIN.IGP, 0, n.routeMap ?? null);
  }
  for (const r of usable) {
    if (r.kind === 'connected' || r.kind === 'static' || r.kind === 'kernel' || r.kind === 'rip' || r.kind === 'ospf') {
      const med = d.cfg.redistribute.get(r.kind);
      if (med !== undefined) add(r, r.kind, BGP_ORIGIN.INCOMPLETE, med ?? 0, d.cfg.redistributeRouteMap.get(r.kind) ?? null);
    }
  }
  return out;
}

// ---- the decision process -------------------------------------------------------------

export interface Resolved {
  gateway: number;
  ifIndex: number;
  igpMetric: number;
}

/** The IGP route to a next hop (longest match among non-BGP routes), as zebra's nexthop tracking finds it. */
function resolve(d: BgpDaemon, igp: RouteInfo[], nh: number): Resolved | null {
  for (const r of igp) {
    if (((nh & maskOf(r.prefixLen)) >>> 0) !== r.dest) continue;
    const ifIndex = d.stack.ifaces.findIndex((i) => i.name === r.iface);
    return { gateway: r.gateway ?? nh, ifIndex, igpMetric: r.kind === 'connected' ? 0 : 1 };
  }
  return null;
}

/**
 * The peer's routes after inbound policy (FRR applies it as each UPDATE arrives; here it runs
 * again only for paths or policies that changed, so an unchanged route keeps its object).
 */
export function acceptedPaths(d: BgpDaemon, peer: BgpPeer): Map<number, BgpPath> {
  const out = new Map<number, BgpPath>();
  for (const k of peer.accepted.keys()) if (!peer.adjIn.has(k)) peer.accepted.delete(k);
  for (const [k, raw] of peer.adjIn) {
    let c = peer.accepted.get(k);
    if (c === undefined || c.raw !== raw || c.gen !== d.policyGen) {
      c = { raw, gen: d.policyGen, path: inboundPath(d, peer, raw) };
      peer.accepted.set(k, c);
    }
    if (c.path !== null) out.set(k, c.path);
  }
  return out;
}

/**
 * Whether a is better than b, and the step that decided, named as FRR's
 * bgp_path_selection_reason2str names it (bgp_path_info_cmp over RFC 4271 §9.1.2.2).
 */
export function comparePaths(a: BgpPath, ra: Resolved | null, b: BgpPath, rb: Resolved | null, d: BgpDaemon): [boolean, string] {
  if (a.weight !== b.weight) return [a.weight > b.weight, 'Weight'];
  const lpA = a.localPref ?? DEFAULT_LOCAL_PREF;
  const lpB = b.localPref ?? DEFAULT_LOCAL_PREF;
  if (lpA !== lpB) return [lpA > lpB, 'Local Pref'];
  if ((a.from === null) !== (b.from === null)) return [a.from === null, 'Local Route'];
  const la = asPathLength(a.asPath);
  const lb = asPathLength(b.asPath);
  if (la !== lb) return [la < lb, 'AS Path'];
  if (a.origin !== b.origin) return [a.origin < b.origin, 'Origin'];
  // MED only between routes from the same neighboring AS (§9.1.2.2 c).
  if (firstAs(a.asPath) === firstAs(b.asPath) && (a.med ?? 0) !== (b.med ?? 0)) return [(a.med ?? 0) < (b.med ?? 0), 'MED'];
  const ea = a.from !== null && !a.from.ibgp;
  const eb = b.from !== null && !b.from.ibgp;
  if (ea !== eb) return [ea, 'Peer Type'];
  const ma = ra?.igpMetric ?? 0;
  const mb = rb?.igpMetric ?? 0;
  if (ma !== mb) return [ma < mb, 'IGP Metric'];
  // FRR: between two eBGP paths the older one stays (fewer flaps), unless compare-routerid.
  if (ea && eb && !d.cfg.compareRouterId && a.receivedNs !== b.receivedNs) return [a.receivedNs < b.receivedNs, 'Older Path'];
  const ida = a.from?.remoteId ?? d.routerId;
  const idb = b.from?.remoteId ?? d.routerId;
  if (ida !== idb) return [ida >>> 0 < idb >>> 0, 'Router ID'];
  return [(a.from?.addr ?? 0) >>> 0 < (b.from?.addr ?? 0) >>> 0, 'Neighbor IP'];
}

function better(a: BgpPath, ra: Resolved | null, b: BgpPath, rb: Resolved | null, d: BgpDaemon): boolean {
  return comparePaths(a, ra, b, rb, d)[0];
}

function decide(d: BgpDaemon): void {
  d.decisionTimer = 0;
  if (!d.running) return;
  const table = routeList(d.stack);
  d.local = localPaths(d, table);
  const igp = table.filter((r) => r.usable && r.kind !== 'bgp' && r.kind !== 'local').sort((a, b) => b.prefixLen - a.prefixLen);
  const candidates = new Map<number, { path: BgpPath; res: Resolved | null }[]>();
  const offer = (k: number, path: BgpPath, res: Resolved | null) => {
    const list = candidates.get(k);
    if (list === undefined) candidates.set(k, [{ path, res }]);
    else list.push({ path, res });
  };
  for (const [k, p] of d.local) offer(k, p, null);
  for (const peer of d.peers.values()) {
    for (const [k, p] of acceptedPaths(d, peer)) {
      const res = resolve(d, igp, p.nextHop);
      if (res !== null) offer(k, p, res); // an unresolvable next hop makes the route unusable (§9.1.2.1)
    }
  }
  for (const [k, list] of candidates) {
    let win = list[0]!;
    for (const c of list) if (c !== win && better(c.path, c.res, win.path, win.res, d)) win = c;
    const old = d.best.get(k);
    const gateway = win.res?.gateway ?? 0;
    const ifIndex = win.res?.ifIndex ?? -1;
    const installed = win.path.from !== null && win.res !== null && mayInstall(win.path, table);
    if (old !== undefined && old.path === win.path && old.gateway === gateway && old.ifIndex === ifIndex && old.installed === installed) continue;
    if (old !== undefined && old.installed && !installed) ribWithdraw(d.stack, old.path.dest, old.path.prefixLen, 'bgp');
    if (installed) ribInstall(d.stack, { dest: win.path.dest, prefixLen: win.path.prefixLen, gateway, ifIndex, origin: 'bgp', metric: win.path.med ?? 0 });
    const moved = old === undefined || old.path !== win.path;
    d.best.set(k, { path: win.path, gateway, ifIndex, installed, version: moved ? ++d.tableVersion : old.version });
  }
  for (const [k, old] of d.best) {
    if (candidates.has(k)) continue;
    if (old.installed) ribWithdraw(d.stack, old.path.dest, old.path.prefixLen, 'bgp');
    d.best.delete(k);
    d.tableVersion++;
  }
  for (const peer of d.peers.values()) if (peer.established !== null) updatePeer(d, peer);
}

/**
 * zebra takes a BGP route unless a better origin holds the prefix (ribInstall decides for
 * eBGP, distance 20). iBGP routes carry FRR's distance 200: they never displace an IGP or
 * static route the table holds, and go in once that route is gone (the next run).
 */
function mayInstall(p: BgpPath, table: RouteInfo[]): boolean {
  return !p.from!.ibgp || !table.some((r) => r.dest === p.dest && r.prefixLen === p.prefixLen && r.kind !== 'bgp');
}

// ---- Adj-RIB-Out ----------------------------------------------------------------------

/** The attributes `p` carries to `peer`, or null when it is not advertised there (§9.2). */
function exportAttrs(d: BgpDaemon, peer: BgpPeer, p: BgpPath): BgpAttrs | null {
  const from = p.from;
  if (from === peer) return null; // never back to the peer it came from (FRR)
  if (from !== null && from.ibgp && peer.ibgp) return null; // §9.2: iBGP-learned not to iBGP peers
  const local = peer.established!.localAddr;
  const base: BgpAttrs = peer.ibgp
    ? {
        origin: p.origin,
        asPath: p.asPath,
        // §5.1.3: iBGP keeps the next hop, except our own routes and next-hop-self.
        nextHop: from === null || peer.nextHopSelf || p.nextHop === 0 ? local : p.nextHop,
        med: p.med,
        localPref: p.localPref ?? DEFAULT_LOCAL_PREF,
        other: [],
      }
    : // §5.1.4: a MED learned from another AS is not passed on; our own routes carry theirs.
      { origin: p.origin, asPath: p.asPath, nextHop: local, med: from === null ? p.med : null, localPref: null, other: [] };
  return outboundAttrs(d, peer, p, base);
}

function signature(a: BgpAttrs): string {
  const other = a.other.map((x) => `${x.type}:${x.value.join(',')}`).join(';');
  return `${a.origin}|${a.asPath?.map((g) => `${g.type}:${g.asns.join(',')}`).join(';')}|${a.nextHop}|${a.med}|${a.localPref}|${other}`;
}

/** Sends what changed for `peer` since its Adj-RIB-Out (everything after Established). */
export function updatePeer(d: BgpDaemon, peer: BgpPeer): void {
  const conn = peer.established;
  if (conn === null) return;
  const groups = new Map<string, { attrs: BgpAttrs; nlri: BgpPrefix[] }>();
  const withdrawn: BgpPrefix[] = [];
  const want = new Set<number>();
  for (const [k, b] of d.best) {
    const attrs = exportAttrs(d, peer, b.path);
    if (attrs === null) continue;
    want.add(k);
    const sig = signature(attrs);
    if (peer.adjOut.get(k) === sig) continue;
    peer.adjOut.set(k, sig);
    const g = groups.get(sig);
    const pfx = { addr: b.path.dest, prefixLen: b.path.prefixLen };
    if (g === undefined) groups.set(sig, { attrs, nlri: [pfx] });
    else g.nlri.push(pfx);
  }
  for (const k of [...peer.adjOut.keys()]) {
    if (want.has(k)) continue;
    peer.adjOut.delete(k);
    withdrawn.push({ addr: Math.floor(k / 64), prefixLen: k % 64 });
  }
  // Each UPDATE stays within 4096 bytes (§4.1): at most 5 bytes per IPv4 prefix.
  const per = (room: number) => Math.max(1, Math.floor(room / 5));
  for (let i = 0; i < withdrawn.length; i += per(BGP_MAX_LEN - BGP_HEADER_LEN - 4)) {
    bgpSend(d, conn, { type: 'update', withdrawn: withdrawn.slice(i, i + per(BGP_MAX_LEN - BGP_HEADER_LEN - 4)), attrs: null, nlri: [] });
  }
  for (const g of groups.values()) {
    const n = per(BGP_MAX_LEN - BGP_HEADER_LEN - 4 - 64 - 4 * asPathLength(g.attrs.asPath ?? []));
    for (let i = 0; i < g.nlri.length; i += n) bgpSend(d, conn, { type: 'update', withdrawn: [], attrs: g.attrs, nlri: g.nlri.slice(i, i + n) });
  }
}

/** Forgets what was installed (bgpd stopping): its routes leave the table. */
export function flushLocRib(d: BgpDaemon): void {
  for (const b of d.best.values()) if (b.installed) ribWithdraw(d.stack, b.path.dest, b.path.prefixLen, 'bgp');
  d.best.clear();
}
