// ospfd's routing table calculation: Dijkstra over the area's router- and network-LSAs
// from our router vertex, next hops inherited from the first hop, then stub networks and
// AS-external-LSAs (type 2 metric), installed into the stack's table with origin 'ospf'.
// RFC 2328 §16.1 (SPF tree), §16.1.1 (next hops), §16.4 (external routes).

import { ribInstall, ribWithdraw } from '../../stack/rib';
import { maskOf } from '../../stack/route';
import { maskToPrefixLen } from '../../wire/addr';
import { LSA_TYPE, parseExternalLsa, parseNetworkLsa, parseRouterLinks, ROUTER_LINK, type RouterLink } from '../../wire/ospf';
import { lsaKey, MAX_AGE_S, S, type Lsa, type OspfDaemon, type OspfRoute } from './ospfd-types';

interface Hop {
  nextHop: number;
  ifIndex: number;
}

interface Vertex {
  key: string;
  kind: 'R' | 'N';
  id: number;
  dist: number;
  hops: Hop[];
  done: boolean;
}

/** An LSA at MaxAge (flushed, or not refreshed for an hour) takes no part in SPF (§16). */
function live(d: OspfDaemon, l: Lsa): boolean {
  return l.hdr.age + Math.floor((d.stack.env.sim.now() - l.installedNs) / S) < MAX_AGE_S;
}

/** A router's links from its live router-LSA; `memo` keeps each lookup for one SPF run. */
function routerLinks(d: OspfDaemon, rid: number, memo: Map<number, RouterLink[] | null>): RouterLink[] | null {
  const m = memo.get(rid);
  if (m !== undefined) return m;
  const l = d.lsdb.get(lsaKey(LSA_TYPE.ROUTER, rid, rid));
  let links: RouterLink[] | null = null;
  if (l !== undefined && live(d, l)) {
    if (l.links === undefined) l.links = parseRouterLinks(l.bytes);
    links = l.links;
  }
  memo.set(rid, links);
  return links;
}

function networkLsa(d: OspfDaemon, id: number): { mask: number; routers: number[]; adv: number } | null {
  for (const l of d.lsdb.values()) {
    if (l.hdr.type === LSA_TYPE.NETWORK && l.hdr.id === id && live(d, l)) {
      const n = parseNetworkLsa(l.bytes);
      return n === null ? null : { ...n, adv: l.hdr.adv };
    }
  }
  return null;
}

/** Which of our interfaces holds `addr` on its subnet. */
function ifaceFor(d: OspfDaemon, addr: number): number {
  for (const oi of d.ifaces.values()) if (((oi.addr ^ addr) & maskOf(oi.prefixLen)) === 0) return oi.index;
  return -1;
}

/** A point-to-point neighbor of ours: its address on the link whose local address is `local`. */
function p2pHop(d: OspfDaemon, local: number, rid: number): Hop[] {
  for (const oi of d.ifaces.values()) {
    if (oi.addr !== local) continue;
    for (const n of oi.nbrs.values()) if (n.routerId === rid && n.state === 'Full') return [{ nextHop: n.addr, ifIndex: oi.index }];
  }
  return [];
}

/** Runs SPF and brings the table's 'ospf' routes in line with it. */
export function runSpf(d: OspfDaemon): void {
  d.counters.spfRuns++;
  const memo = new Map<number, RouterLink[] | null>();
  const root = d.routerId;
  const verts = new Map<string, Vertex>();
  const rootV: Vertex = { key: `R${root}`, kind: 'R', id: root, dist: 0, hops: [], done: false };
  verts.set(rootV.key, rootV);
  const stubsOf: { v: Vertex; links: RouterLink[] }[] = [];
  for (;;) {
    let v: Vertex | null = null;
    for (const x of verts.values()) if (!x.done && (v === null || x.dist < v.dist || (x.dist === v.dist && x.kind === 'N' && v.kind === 'R'))) v = x;
    if (v === null) break;
    v.done = true;
    const edges: { kind: 'R' | 'N'; id: number; cost: number; via: number }[] = [];
    if (v.kind === 'R') {
      const links = routerLinks(d, v.id, memo);
      if (links === null) continue;
      stubsOf.push({ v, links });
      for (const l of links) {
        if (l.type === ROUTER_LINK.TRANSIT) {
          const n = networkLsa(d, l.id);
          if (n !== null && n.routers.includes(v.id)) edges.push({ kind: 'N', id: l.id, cost: l.metric, via: l.data });
        } else if (l.type === ROUTER_LINK.P2P && routerLinks(d, l.id, memo)?.some((b) => b.type === ROUTER_LINK.P2P && b.id === v!.id)) {
          edges.push({ kind: 'R', id: l.id, cost: l.metric, via: l.data });
        }
      }
    } else {
      const n = networkLsa(d, v.id);
      if (n === null) continue;
      for (const r of n.routers) {
        const back = routerLinks(d, r, memo);
        const link = back?.find((l) => l.type === ROUTER_LINK.TRANSIT && l.id === v!.id);
        if (link !== undefined) edges.push({ kind: 'R', id: r, cost: 0, via: link.data });
      }
    }
    for (const e of edges) {
      const key = `${e.kind}${e.id}`;
      const dist = v.dist + e.cost;
      let w = verts.get(key);
      if (w?.done) continue;
      // §16.1.1: next hops of a vertex one hop from the root: the interface (network) or
      // the neighbor's address on a network attached to us; else the parent's.
      let hops: Hop[];
      if (v === rootV) hops = e.kind === 'N' ? [{ nextHop: 0, ifIndex: ifaceFor(d, e.via) }] : p2pHop(d, e.via, e.id);
      else if (v.kind === 'N' && v.hops.length === 1 && v.hops[0].nextHop === 0) hops = [{ nextHop: e.via, ifIndex: v.hops[0].ifIndex }];
      else hops = v.hops;
      if (w === undefined) {
        w = { key, kind: e.kind, id: e.id, dist, hops, done: false };
        verts.set(key, w);
      } else if (dist < w.dist) {
        w.dist = dist;
        w.hops = hops;
      }
    }
  }
  const want = new Map<number, OspfRoute>();
  const add = (dest: number, prefixLen: number, cost: number, hops: Hop[], kind: OspfRoute['kind']) => {
    const h = hops[0];
    if (h === undefined || h.nextHop === 0 || h.ifIndex < 0) return; // ours, or directly connected
    const k = dest * 64 + prefixLen;
    const old = want.get(k);
    if (old !== undefined && (old.kind === 'intra' ? 0 : 1) < (kind === 'intra' ? 0 : 1)) return;
    if (old !== undefined && old.kind === kind && old.cost <= cost) return;
    want.set(k, { dest, prefixLen, cost, nextHop: h.nextHop, ifIndex: h.ifIndex, kind });
  };
  for (const v of verts.values()) {
    if (!v.done || v.kind !== 'N') continue;
    const n = networkLsa(d, v.id);
    if (n !== null) add((v.id & n.mask) >>> 0, maskToPrefixLen(n.mask) ?? 32, v.dist, v.hops, 'intra');
  }
  for (const { v, links } of stubsOf) {
    for (const l of links) if (l.type === ROUTER_LINK.STUB) add((l.id & l.data) >>> 0, maskToPrefixLen(l.data) ?? 32, v.dist + l.metric, v.hops, 'intra');
  }
  // §16.4: AS-external-LSAs, type 2 metric: the external cost, ties by the distance to the ASBR.
  for (const l of d.lsdb.values()) {
    if (l.hdr.type !== LSA_TYPE.EXTERNAL || !live(d, l) || l.hdr.adv === root) continue;
    const asbr = verts.get(`R${l.hdr.adv}`);
    const e = parseExternalLsa(l.bytes);
    if (asbr === undefined || !asbr.done || e === null) continue;
    add((l.hdr.id & e.mask) >>> 0, maskToPrefixLen(e.mask) ?? 32, e.metric, asbr.hops, 'E2');
  }
  for (const [k, r] of d.routes) if (!want.has(k)) ribWithdraw(d.stack, r.dest, r.prefixLen, 'ospf');
  for (const r of want.values()) ribInstall(d.stack, { dest: r.dest, prefixLen: r.prefixLen, gateway: r.nextHop, ifIndex: r.ifIndex, origin: 'ospf', metric: r.cost });
  d.routes = want;
}
