// ospf6d's routing table calculation: Dijkstra over the area's Router- and Network-LSAs
// (topology only, no addresses in OSPFv3) from our router vertex, next hops the neighbors'
// link-local addresses, then the prefixes of the Intra-Area-Prefix-LSAs attached to each
// reached vertex and AS-External-LSAs (type 2 metric), installed into the IPv6 table with
// origin 'ospf6'. RFC 5340 §4.8.1 (SPF), §4.8.2 (next hops), §4.8.3 (prefixes).

import { rib6Install, rib6Withdraw } from '../../stack/rib6';
import { formatIpv6, type Ipv6Addr } from '../../wire/ipv6-addr';
import { LSA6_TYPE, parseExternal6Lsa, parseIntraPrefix6Lsa, parseNetwork6Lsa, parseRouter6Lsa, ROUTER6_LINK, type Router6Link } from '../../wire/ospf6';
import { lsa6Key, S, type Lsa6, type Ospf6Daemon, type Ospf6Route } from './ospf6d-types';

interface Hop {
  /** Null: the vertex is a network we are attached to (no gateway). */
  gateway: Ipv6Addr | null;
  ifIndex: number;
}

interface Vertex {
  kind: 'R' | 'N';
  /** Router id (R) or the DR's router id (N). */
  rid: number;
  /** The DR's Interface ID (N). */
  ifId: number;
  dist: number;
  hops: Hop[];
  done: boolean;
}

const vkey = (kind: 'R' | 'N', rid: number, ifId: number) => (kind === 'R' ? `R${rid >>> 0}` : `N${rid >>> 0}.${ifId >>> 0}`);

function live(d: Ospf6Daemon, l: Lsa6): boolean {
  return l.hdr.age + Math.floor((d.stack.env.sim.now() - l.installedNs) / S) < 3600;
}

/** The links of every live Router-LSA of `rid` (a router may split them over several). */
function routerLinks(d: Ospf6Daemon, rid: number): Router6Link[] | null {
  let out: Router6Link[] | null = null;
  for (const l of d.lsdb.values()) {
    if (l.hdr.type !== LSA6_TYPE.ROUTER || l.hdr.adv !== rid || !live(d, l)) continue;
    const r = parseRouter6Lsa(l.bytes);
    if (r !== null) out = [...(out ?? []), ...r.links];
  }
  return out;
}

function networkRouters(d: Ospf6Daemon, rid: number, ifId: number): number[] | null {
  const l = d.lsdb.get(lsa6Key(LSA6_TYPE.NETWORK, ifId, rid));
  return l === undefined || !live(d, l) ? null : (parseNetwork6Lsa(l.bytes)?.routers ?? null);
}

/** Our interface with Interface ID `ifId`. */
function ourIface(d: Ospf6Daemon, ifId: number): number {
  for (const oi of d.ifaces.values()) if (oi.ifId === ifId) return oi.index;
  return -1;
}

/** The link-local address of neighbor `rid` on interface `ifIndex`, from its hellos. */
function nbrAddr(d: Ospf6Daemon, ifIndex: number, rid: number): Ipv6Addr | null {
  return d.ifaces.get(ifIndex)?.nbrs.get(rid)?.addr ?? null;
}

/** Runs SPF and brings the table's 'ospf6' routes in line with it. */
export function runSpf6(d: Ospf6Daemon): void {
  d.counters.spfRuns++;
  const root: Vertex = { kind: 'R', rid: d.routerId, ifId: 0, dist: 0, hops: [], done: false };
  const verts = new Map<string, Vertex>([[vkey('R', root.rid, 0), root]]);
  for (;;) {
    let v: Vertex | null = null;
    for (const x of verts.values()) if (!x.done && (v === null || x.dist < v.dist || (x.dist === v.dist && x.kind === 'N' && v.kind === 'R'))) v = x;
    if (v === null) break;
    v.done = true;
    const edges: { kind: 'R' | 'N'; rid: number; ifId: number; cost: number; localIfId: number }[] = [];
    if (v.kind === 'R') {
      for (const l of routerLinks(d, v.rid) ?? []) {
        if (l.type === ROUTER6_LINK.TRANSIT) {
          if (networkRouters(d, l.nbrRid, l.nbrIfId)?.includes(v.rid)) edges.push({ kind: 'N', rid: l.nbrRid, ifId: l.nbrIfId, cost: l.metric, localIfId: l.ifId });
        } else if (l.type === ROUTER6_LINK.P2P && routerLinks(d, l.nbrRid)?.some((b) => b.type === ROUTER6_LINK.P2P && b.nbrRid === v!.rid)) {
          edges.push({ kind: 'R', rid: l.nbrRid, ifId: 0, cost: l.metric, localIfId: l.ifId });
        }
      }
    } else {
      for (const r of networkRouters(d, v.rid, v.ifId) ?? []) {
        const back = routerLinks(d, r)?.some((l) => l.type === ROUTER6_LINK.TRANSIT && l.nbrRid === v!.rid && l.nbrIfId === v!.ifId);
        if (back) edges.push({ kind: 'R', rid: r, ifId: 0, cost: 0, localIfId: 0 });
      }
    }
    for (const e of edges) {
      const key = vkey(e.kind, e.rid, e.ifId);
      const dist = v.dist + e.cost;
      let w = verts.get(key);
      if (w?.done) continue;
      // Next hops (§4.8.2): a network on our link has none; a router across it is reached
      // through its link-local address there; a point-to-point neighbor through its own.
      let hops: Hop[];
      if (v === root) {
        const ifIndex = ourIface(d, e.localIfId);
        const gw = e.kind === 'R' ? nbrAddr(d, ifIndex, e.rid) : null;
        hops = ifIndex < 0 || (e.kind === 'R' && gw === null) ? [] : [{ gateway: gw, ifIndex }];
      } else if (v.kind === 'N' && v.hops.length === 1 && v.hops[0].gateway === null) {
        const gw = nbrAddr(d, v.hops[0].ifIndex, e.rid);
        hops = gw === null ? [] : [{ gateway: gw, ifIndex: v.hops[0].ifIndex }];
      } else hops = v.hops;
      if (w === undefined) {
        w = { kind: e.kind, rid: e.rid, ifId: e.ifId, dist, hops, done: false };
        verts.set(key, w);
      } else if (dist < w.dist) {
        w.dist = dist;
        w.hops = hops;
      }
    }
  }
  const want = new Map<string, Ospf6Route>();
  const add = (dest: Ipv6Addr, prefixLen: number, cost: number, hops: Hop[], kind: Ospf6Route['kind']) => {
    const h = hops[0];
    if (h === undefined || h.gateway === null) return; // ours, or on a link we are attached to
    const k = `${formatIpv6(dest)}/${prefixLen}`;
    const old = want.get(k);
    if (old !== undefined && old.kind === 'intra' && kind === 'E2') return;
    if (old !== undefined && old.kind === kind && old.cost <= cost) return;
    want.set(k, { dest, prefixLen, cost, gateway: h.gateway, ifIndex: h.ifIndex, kind });
  };
  const ours = new Set<string>();
  for (const l of d.lsdb.values()) {
    if (l.hdr.type !== LSA6_TYPE.INTRA_PREFIX || !live(d, l)) continue;
    const p = parseIntraPrefix6Lsa(l.bytes);
    if (p === null) continue;
    const v = p.refType === LSA6_TYPE.ROUTER ? verts.get(vkey('R', p.refAdv, 0)) : p.refType === LSA6_TYPE.NETWORK ? verts.get(vkey('N', p.refAdv, p.refId)) : undefined;
    if (v === undefined || !v.done) continue;
    for (const x of p.prefixes) {
      // A prefix of a vertex we own or are attached to is connected here: never via OSPF.
      if (v === root || (v.hops.length > 0 && v.hops[0].gateway === null)) ours.add(`${formatIpv6(x.prefix)}/${x.prefixLen}`);
      else add(x.prefix, x.prefixLen, v.dist + x.metric, v.hops, 'intra');
    }
  }
  for (const k of ours) want.delete(k);
  // AS-External-LSAs, type 2 metric: the external cost, reached through the ASBR.
  for (const l of d.lsdb.values()) {
    if (l.hdr.type !== LSA6_TYPE.EXTERNAL || !live(d, l) || l.hdr.adv === d.routerId) continue;
    const asbr = verts.get(vkey('R', l.hdr.adv, 0));
    const e = parseExternal6Lsa(l.bytes);
    if (asbr === undefined || !asbr.done || e === null || ours.has(`${formatIpv6(e.prefix.prefix)}/${e.prefix.prefixLen}`)) continue;
    add(e.prefix.prefix, e.prefix.prefixLen, e.metric, asbr.hops, 'E2');
  }
  for (const [k, r] of d.routes) if (!want.has(k)) rib6Withdraw(d.stack, r.dest, r.prefixLen, 'ospf6');
  for (const r of want.values()) rib6Install(d.stack, { dest: r.dest, prefixLen: r.prefixLen, gateway: r.gateway, ifIndex: r.ifIndex, origin: 'ospf6' });
  d.routes = want;
}
