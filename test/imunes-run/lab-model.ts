// What IMUNES would connect, from the document alone: per node a routing table as IMUNES
// leaves it after 60 s (connected subnets, static routes, auto default routes, and for
// routers running the same IGP (RIP, OSPF) over shared subnets, a route to every subnet of
// that routing domain, via the shortest path), then hop-by-hop forwarding of a probe and
// its reply. BGP routers form domains too when their frr.conf names neighbors. Test only:
// the reference the lab sweep compares VirtNet against; never imports engine code.

import { parseCidr } from '../../src/emulator/wire/addr';
import { maskOf } from '../../src/emulator/stack/route';
import type { NodeDoc, TopologyDoc } from '../../src/emulator/topology/document';
import { imunesDefaultGateways } from '../../src/emulator/topology/imunes/default-routes';

// A filter passes frames on as its rules say; every IMUNES example's filter hooks each interface to the other.
const L2 = new Set(['lanswitch', 'hub', 'stpswitch', 'filter']);
export const END_KINDS = new Set(['pc', 'host']);
const L3 = new Set(['pc', 'host', 'router']);

interface Addr {
  node: string;
  iface: string;
  addr: number;
  len: number;
}
interface MRoute {
  net: number;
  len: number;
  /** Next hop address, 0 = on-link. */
  via: number;
}

export interface LabModel {
  /** Node id → its IPv4 addresses (non-loopback). */
  addrs: Map<string, Addr[]>;
  /** Whether a probe from `a` to `dst` and the reply back arrive. */
  connects(a: string, dst: number): boolean;
  /** Which routing protocols the model relied on for this example. */
  protocols: Set<string>;
}

function protocolsOf(n: NodeDoc): string[] {
  if (n.kind !== 'router' || n.frrConf === undefined) return [];
  const found = [...new Set([...n.frrConf.matchAll(/^\s*router\s+(rip|ospf|bgp)\b(?!6)/gm)].map((m) => m[1]!))];
  // A BGP speaker with no neighbor address (IMUNES's default: an empty peer group) has no session.
  return found.filter((p) => p !== 'bgp' || /^\s*neighbor\s+\d+\.\d+\.\d+\.\d+\s+remote-as\b/m.test(n.frrConf!));
}

export function buildLabModel(doc: TopologyDoc): LabModel {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const addrs = new Map<string, Addr[]>();
  for (const n of doc.nodes) {
    if (!L3.has(n.kind)) continue;
    const list: Addr[] = [];
    for (const i of n.interfaces) {
      if (i.type === 'lo' || i.type === 'vlan' || i.extra?.vlan_tag !== undefined) continue;
      for (const c of i.ipv4) {
        const p = parseCidr(c);
        if (p && p.prefixLen > 0 && p.prefixLen < 32 && p.addr >>> 24 !== 127) list.push({ node: n.id, iface: i.name, addr: p.addr, len: p.prefixLen });
      }
    }
    addrs.set(n.id, list);
  }
  // Broadcast domains: L3 interfaces joined through switches/hubs (untagged only).
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    const p = parent.get(k) ?? k;
    if (p === k) return k;
    const r = find(p);
    parent.set(k, r);
    return r;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const l of doc.links) if (l.up !== false) union(`${l.a.node}:${l.a.iface}`, `${l.b.node}:${l.b.iface}`);
  for (const n of doc.nodes) {
    if (!L2.has(n.kind) || n.extra?.vlan_filtering === '1') continue;
    const ports = n.interfaces.map((i) => `${n.id}:${i.name}`);
    for (const p of ports.slice(1)) union(ports[0]!, p);
  }
  const domainOf = (a: Addr) => find(`${a.node}:${a.iface}`);
  const sameLink = (a: Addr, b: Addr) => domainOf(a) === domainOf(b) && a.len === b.len && ((a.addr ^ b.addr) & maskOf(a.len)) === 0;
  const all = [...addrs.values()].flat();

  const tables = new Map<string, MRoute[]>();
  for (const n of doc.nodes) {
    if (!L3.has(n.kind)) continue;
    const t: MRoute[] = [];
    for (const a of addrs.get(n.id)!) t.push({ net: (a.addr & maskOf(a.len)) >>> 0, len: a.len, via: 0 });
    for (const r of n.routes4) {
      const d = parseCidr(r.dest === 'default' ? '0.0.0.0/0' : r.dest);
      const g = parseCidr(`${r.gateway}/32`);
      if (d && g) t.push({ net: (d.addr & maskOf(d.prefixLen)) >>> 0, len: d.prefixLen, via: g.addr });
    }
    if (!n.routes4.some((r) => r.dest === '0.0.0.0/0')) {
      const gw = imunesDefaultGateways(doc, n)[0];
      if (gw !== undefined) t.push({ net: 0, len: 0, via: parseCidr(`${gw}/32`)!.addr });
    }
    tables.set(n.id, t);
  }
  // IGP domains: routers running the same protocol on a shared subnet learn every subnet of the domain.
  const protocols = new Set<string>();
  for (const proto of ['rip', 'ospf', 'bgp']) {
    const routers = doc.nodes.filter((n) => protocolsOf(n).includes(proto));
    if (routers.length === 0) continue;
    protocols.add(proto);
    const ids = new Set(routers.map((r) => r.id));
    for (const src of routers) {
      // BFS over router adjacencies (shared subnets) from src: first hop toward each router.
      const firstHop = new Map<string, number>([[src.id, 0]]);
      const queue = [src.id];
      while (queue.length) {
        const cur = queue.shift()!;
        for (const a of addrs.get(cur)!) {
          for (const b of all) {
            if (b.node === cur || !ids.has(b.node) || firstHop.has(b.node) || !sameLink(a, b)) continue;
            firstHop.set(b.node, cur === src.id ? b.addr : firstHop.get(cur)!);
            queue.push(b.node);
          }
        }
      }
      const t = tables.get(src.id)!;
      for (const [rid, hop] of firstHop) {
        if (rid === src.id) continue;
        for (const a of addrs.get(rid)!) {
          const net = (a.addr & maskOf(a.len)) >>> 0;
          if (!t.some((r) => r.net === net && r.len === a.len)) t.push({ net, len: a.len, via: hop });
        }
        // Redistributed static routes of the domain's routers.
        for (const r of byId.get(rid)!.routes4) {
          const d = parseCidr(r.dest);
          if (d && !t.some((x) => x.net === d.addr && x.len === d.prefixLen)) t.push({ net: (d.addr & maskOf(d.prefixLen)) >>> 0, len: d.prefixLen, via: hop });
        }
      }
    }
  }
  const lookup = (node: string, dst: number): MRoute | null => {
    let best: MRoute | null = null;
    for (const r of tables.get(node) ?? []) if (((dst & maskOf(r.len)) >>> 0) === r.net && (best === null || r.len > best.len)) best = r;
    return best;
  };
  /** Delivers a packet from node `from` (source interface chosen by the route) to `dst`; the node that owns dst, or null. */
  const deliver = (from: string, dst: number): { node: string; src: number } | null => {
    let cur = from;
    let src = 0;
    for (let ttl = 64; ttl > 0; ttl--) {
      if (addrs.get(cur)!.some((a) => a.addr === dst)) return { node: cur, src };
      const n = byId.get(cur)!;
      if (cur !== from && n.kind !== 'router') return null; // hosts do not forward
      const r = lookup(cur, dst);
      if (r === null) return null;
      const hop = r.via === 0 ? dst : r.via;
      const out = addrs.get(cur)!.find((a) => a.len <= 32 && ((a.addr ^ hop) & maskOf(a.len)) === 0);
      if (out === undefined) return null;
      if (cur === from) src = out.addr;
      const next = all.find((b) => b.addr === hop && sameLink(out, b));
      if (next === undefined) return null;
      cur = next.node;
    }
    return null;
  };
  return {
    addrs,
    protocols,
    connects(a, dst) {
      const there = deliver(a, dst);
      if (there === null) return false;
      const back = deliver(there.node, there.src);
      return back !== null && back.node === a;
    },
  };
}
