// ospfd's routing table calculation: per attached area, Dijkstra over the area's router-
// and network-LSAs from our router vertex (a binary heap, LSAs indexed once per run), next
// hops inherited from the first hop, then stub networks; inter-area routes from the
// summary-LSAs (only the backbone's at an ABR); AS-external-LSAs (type 2 metric) via the
// ASBR reached inside an area or through an ASBR-summary-LSA. Installed into the stack's
// table with origin 'ospf'. RFC 2328 §16.1 (SPF tree), §16.1.1 (next hops), §16.2
// (inter-area routes), §16.4 (external routes).

import { ribHolds, ribInstall, ribWithdraw } from '../../stack/rib';
import { maskOf } from '../../stack/route';
import { maskToPrefixLen } from '../../wire/addr';
import { LS_INFINITY, LSA_TYPE, parseExternalLsa, parseNetworkLsa, parseRouterLinks, parseSummaryLsa, ROUTER_LINK, type RouterLink } from '../../wire/ospf';
import { AS_SCOPE, MAX_AGE_S, S, type AreaSpf, type Lsa, type OspfDaemon, type OspfHop, type OspfRoute, type OspfTableEntry } from './ospfd-types';

const KIND_R = 0;
const KIND_N = 1;

interface Vertex {
  kind: typeof KIND_R | typeof KIND_N;
  id: number;
  dist: number;
  hops: OspfHop[];
  done: boolean;
  /** Insertion order: equal distances are taken networks first, then first found (as before). */
  seq: number;
  /** A router vertex's router-LSA flags (B, E), once reached. */
  flags: number;
}

/** Whether `links` hold a point-to-point link back to router `id` (§16.1 step 2b). */
function linksBack(links: RouterLink[] | null, id: number): boolean {
  if (links === null) return false;
  for (const b of links) if (b.type === ROUTER_LINK.P2P && b.id === id) return true;
  return false;
}

/** One area's live LSAs, indexed once per SPF run. */
interface AreaIndex {
  routers: Map<number, Lsa>;
  networks: Map<number, Lsa>;
  summaries: Lsa[];
  asbrSummaries: Lsa[];
}

/** An LSA at MaxAge (flushed, or not refreshed for an hour) takes no part in SPF (§16). */
function live(nowNs: number, l: Lsa): boolean {
  return l.hdr.age + Math.floor((nowNs - l.installedNs) / S) < MAX_AGE_S;
}

function linksOf(l: Lsa | undefined): RouterLink[] | null {
  if (l === undefined) return null;
  if (l.links === undefined) l.links = parseRouterLinks(l.bytes);
  return l.links;
}

/** Heap order: distance, then network vertices before routers (§16.1 step 3), then insertion. */
function before(a: Vertex, b: Vertex): boolean {
  return a.dist !== b.dist ? a.dist < b.dist : a.kind !== b.kind ? a.kind === KIND_N : a.seq < b.seq;
}

/** A binary min-heap of (vertex, distance when pushed); stale entries are skipped on pop. */
class VertexHeap {
  private readonly v: Vertex[] = [];
  private readonly dist: number[] = [];

  push(x: Vertex): void {
    const v = this.v;
    const dist = this.dist;
    let i = v.length;
    v.push(x);
    dist.push(x.dist);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): Vertex | null {
    const v = this.v;
    while (v.length > 0) {
      const top = v[0]!;
      const topDist = this.dist[0]!;
      const last = v.length - 1;
      this.swap(0, last);
      v.pop();
      this.dist.pop();
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < v.length && this.less(l, m)) m = l;
        if (r < v.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
      if (!top.done && topDist === top.dist) return top;
    }
    return null;
  }

  private less(i: number, j: number): boolean {
    const a = this.v[i]!;
    const b = this.v[j]!;
    const da = this.dist[i]!;
    const db = this.dist[j]!;
    return da !== db ? da < db : before(a, b);
  }

  private swap(i: number, j: number): void {
    const v = this.v;
    const t = v[i]!;
    v[i] = v[j]!;
    v[j] = t;
    const d = this.dist;
    const u = d[i]!;
    d[i] = d[j]!;
    d[j] = u;
  }
}

/** Which of our interfaces holds `addr` on its subnet. */
function ifaceFor(d: OspfDaemon, addr: number): number {
  for (const oi of d.ifaces.values()) if (((oi.addr ^ addr) & maskOf(oi.prefixLen)) === 0) return oi.index;
  return -1;
}

/** A point-to-point neighbor of ours: its address on the link whose local address is `local`. */
function p2pHop(d: OspfDaemon, local: number, rid: number): OspfHop[] {
  for (const oi of d.ifaces.values()) {
    if (oi.addr !== local) continue;
    for (const n of oi.nbrs.values()) if (n.routerId === rid && n.state === 'Full') return [{ nextHop: n.addr, ifIndex: oi.index }];
  }
  return [];
}

function indexLsdb(d: OspfDaemon, nowNs: number): { areas: Map<number, AreaIndex>; externals: Lsa[] } {
  const areas = new Map<number, AreaIndex>();
  for (const oi of d.ifaces.values()) if (!areas.has(oi.area)) areas.set(oi.area, { routers: new Map(), networks: new Map(), summaries: [], asbrSummaries: [] });
  const externals: Lsa[] = [];
  for (const l of d.lsdb.values()) {
    if (!live(nowNs, l)) continue;
    if (l.area === AS_SCOPE) {
      if (l.hdr.type === LSA_TYPE.EXTERNAL) externals.push(l);
      continue;
    }
    const a = areas.get(l.area);
    if (a === undefined) continue;
    switch (l.hdr.type) {
      case LSA_TYPE.ROUTER:
        if (l.hdr.id === l.hdr.adv) a.routers.set(l.hdr.adv, l);
        break;
      case LSA_TYPE.NETWORK:
        if (!a.networks.has(l.hdr.id)) a.networks.set(l.hdr.id, l);
        break;
      case LSA_TYPE.SUMMARY:
        a.summaries.push(l);
        break;
      case LSA_TYPE.ASBR_SUMMARY:
        a.asbrSummaries.push(l);
        break;
    }
  }
  return { areas, externals };
}

/** Dijkstra over one area (§16.1): its routers with their B/E flags, and every network it reaches. */
function spfArea(d: OspfDaemon, area: number, ix: AreaIndex): AreaSpf {
  const root = d.routerId;
  const rv = new Map<number, Vertex>();
  const nv = new Map<number, Vertex>();
  const nets = new Map<number, { mask: number; routers: number[] } | null>();
  const netOf = (id: number) => {
    let n = nets.get(id);
    if (n === undefined) {
      const l = ix.networks.get(id);
      n = l === undefined ? null : parseNetworkLsa(l.bytes);
      nets.set(id, n);
    }
    return n;
  };
  let seq = 0;
  const rootV: Vertex = { kind: KIND_R, id: root, dist: 0, hops: [], done: false, seq: seq++, flags: 0 };
  rv.set(root, rootV);
  const heap = new VertexHeap();
  heap.push(rootV);
  const out: AreaSpf = { routers: new Map(), nets: new Map() };
  const stubsOf: { v: Vertex; links: RouterLink[] }[] = [];
  const relax = (v: Vertex, kind: Vertex['kind'], id: number, cost: number, via: number) => {
    const map = kind === KIND_R ? rv : nv;
    let w = map.get(id);
    if (w?.done) return;
    const dist = v.dist + cost;
    if (w !== undefined && dist >= w.dist) return;
    // §16.1.1: next hops of a vertex one hop from the root: the interface (network) or
    // the neighbor's address on a network attached to us; else the parent's.
    let hops: OspfHop[];
    if (v === rootV) hops = kind === KIND_N ? [{ nextHop: 0, ifIndex: ifaceFor(d, via) }] : p2pHop(d, via, id);
    else if (v.kind === KIND_N && v.hops.length === 1 && v.hops[0]!.nextHop === 0) hops = [{ nextHop: via, ifIndex: v.hops[0]!.ifIndex }];
    else hops = v.hops;
    if (w === undefined) {
      w = { kind, id, dist, hops, done: false, seq: seq++, flags: 0 };
      map.set(id, w);
    } else {
      w.dist = dist;
      w.hops = hops;
    }
    heap.push(w);
  };
  for (let v = heap.pop(); v !== null; v = heap.pop()) {
    v.done = true;
    if (v.kind === KIND_R) {
      const lsa = ix.routers.get(v.id);
      const links = linksOf(lsa);
      if (links === null) continue;
      v.flags = lsa!.bytes[20] ?? 0;
      out.routers.set(v.id, v);
      stubsOf.push({ v, links });
      for (const l of links) {
        if (l.type === ROUTER_LINK.TRANSIT) {
          const n = netOf(l.id);
          if (n !== null && n.routers.includes(v.id)) relax(v, KIND_N, l.id, l.metric, l.data);
        } else if (l.type === ROUTER_LINK.P2P) {
          if (linksBack(linksOf(ix.routers.get(l.id)), v.id)) relax(v, KIND_R, l.id, l.metric, l.data);
        }
      }
    } else {
      const n = netOf(v.id);
      if (n === null) continue;
      const dest = (v.id & n.mask) >>> 0;
      const len = maskToPrefixLen(n.mask) ?? 32;
      addNet(out, area, dest, len, v.dist, v.hops);
      for (const r of n.routers) {
        const link = linksOf(ix.routers.get(r))?.find((l) => l.type === ROUTER_LINK.TRANSIT && l.id === v!.id);
        if (link !== undefined) relax(v, KIND_R, r, 0, link.data);
      }
    }
  }
  for (const { v, links } of stubsOf) {
    for (const l of links) {
      if (l.type !== ROUTER_LINK.STUB) continue;
      // Our own stub networks: directly attached through the interface on them.
      const hops = v === rootV ? [{ nextHop: 0, ifIndex: ifaceFor(d, l.id) }] : v.hops;
      addNet(out, area, (l.id & l.data) >>> 0, maskToPrefixLen(l.data) ?? 32, v.dist + l.metric, hops);
    }
  }
  return out;
}

function addNet(out: AreaSpf, area: number, dest: number, prefixLen: number, cost: number, hops: OspfHop[]): void {
  const k = dest * 64 + prefixLen;
  const old = out.nets.get(k);
  if (old === undefined || cost < old.cost) out.nets.set(k, { dest, prefixLen, cost, hops, kind: 'intra', area, asbrCost: 0 });
}

const RANK: Readonly<Record<OspfRoute['kind'], number>> = { intra: 0, inter: 1, E2: 2 };


/** Runs SPF in every attached area, then the inter-area and external routes, and brings the table's 'ospf' routes in line. */
export function runSpf(d: OspfDaemon): void {
  d.counters.spfRuns++;
  const nowNs = d.stack.env.sim.now();
  const ix = indexLsdb(d, nowNs);
  const areaSpf = new Map<number, AreaSpf>();
  for (const [area, a] of ix.areas) areaSpf.set(area, spfArea(d, area, a));
  d.areaSpf = areaSpf;
  const best = new Map<number, OspfTableEntry>();
  const offer = (c: OspfTableEntry) => {
    const k = c.dest * 64 + c.prefixLen;
    const old = best.get(k);
    if (old === undefined || RANK[c.kind] < RANK[old.kind] || (c.kind === old.kind && c.cost < old.cost)) best.set(k, c);
  };
  for (const spf of areaSpf.values()) for (const n of spf.nets.values()) offer(n);
  // §16.2: an ABR looks only at the backbone's summaries; another router at its areas'.
  const interAreas = d.abr ? [0] : [...areaSpf.keys()];
  const interAsbrs = new Map<number, { cost: number; hops: OspfHop[] }>();
  for (const area of interAreas) {
    const spf = areaSpf.get(area);
    const a = ix.areas.get(area);
    if (spf === undefined || a === undefined) continue;
    for (const l of a.summaries) {
      const s = parseSummaryLsa(l.bytes);
      const abr = spf.routers.get(l.hdr.adv);
      if (s === null || s.metric >= LS_INFINITY || l.hdr.adv === d.routerId || abr === undefined) continue;
      offer({ dest: (l.hdr.id & s.mask) >>> 0, prefixLen: maskToPrefixLen(s.mask) ?? 32, cost: abr.dist + s.metric, hops: abr.hops, kind: 'inter', area, asbrCost: 0 });
    }
    for (const l of a.asbrSummaries) {
      const s = parseSummaryLsa(l.bytes);
      const abr = spf.routers.get(l.hdr.adv);
      if (s === null || s.metric >= LS_INFINITY || l.hdr.adv === d.routerId || abr === undefined) continue;
      const old = interAsbrs.get(l.hdr.id);
      if (old === undefined || abr.dist + s.metric < old.cost) interAsbrs.set(l.hdr.id, { cost: abr.dist + s.metric, hops: abr.hops });
    }
  }
  d.interAsbrs = interAsbrs;
  // §16.4: AS-external-LSAs, type 2 metric: the external cost, via the ASBR reached inside an area, else through a summary.
  for (const l of ix.externals) {
    if (l.hdr.adv === d.routerId) continue;
    const e = parseExternalLsa(l.bytes);
    if (e === null || e.metric >= LS_INFINITY) continue;
    let hops: OspfHop[] | null = null;
    let dist = Infinity;
    let area = 0;
    for (const [a, spf] of areaSpf) {
      const r = spf.routers.get(l.hdr.adv);
      if (r !== undefined && r.dist < dist) ({ hops, dist, area } = { hops: r.hops, dist: r.dist, area: a });
    }
    if (hops === null) {
      const r = interAsbrs.get(l.hdr.adv);
      if (r !== undefined) ({ hops, dist, area } = { hops: r.hops, dist: r.cost, area: 0 });
    }
    if (hops !== null) offer({ dest: (l.hdr.id & e.mask) >>> 0, prefixLen: maskToPrefixLen(e.mask) ?? 32, cost: e.metric, hops, kind: 'E2', area, asbrCost: dist });
  }
  const want = new Map<number, OspfRoute>();
  for (const [k, c] of best) {
    const h = c.hops[0];
    if (h === undefined || h.nextHop === 0 || h.ifIndex < 0) continue; // ours, or directly connected
    const o = d.routes.get(k);
    const same = o !== undefined && o.cost === c.cost && o.nextHop === h.nextHop && o.ifIndex === h.ifIndex && o.kind === c.kind && o.area === c.area;
    want.set(k, same ? o : { dest: c.dest, prefixLen: c.prefixLen, cost: c.cost, nextHop: h.nextHop, ifIndex: h.ifIndex, kind: c.kind, area: c.area });
  }
  for (const [k, r] of d.routes) if (!want.has(k)) ribWithdraw(d.stack, r.dest, r.prefixLen, 'ospf');
  for (const r of want.values()) {
    if (ribHolds(d.stack, r.dest, r.prefixLen, 'ospf', r.nextHop, r.ifIndex)) continue;
    ribInstall(d.stack, { dest: r.dest, prefixLen: r.prefixLen, gateway: r.nextHop, ifIndex: r.ifIndex, origin: 'ospf', metric: r.cost });
  }
  d.routes = want;
  d.table = best;
}
