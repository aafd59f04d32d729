// Reference topologies shared by VirtNet and the Linux kernel: a small declarative spec
// (nodes, links with addresses, static routes, probes), turned into a VirtNet document
// here and into network namespaces by netns.ts. Test support only; private addresses only.

import { builder } from '../scenarios/topologies';
import type { TopologyDoc } from '../../src/emulator/topology/document';

export interface RefLink {
  /** [node, address/len]; interfaces are numbered eth0, eth1, … per node in link order. */
  a: [string, string];
  b: [string, string];
}

export interface RefProbe {
  from: string;
  to: string;
  /** `traceroute`: hop addresses; `ping`: the address that answers one echo sent with `ttl`. */
  kind: 'traceroute' | 'ping';
  ttl?: number;
  maxHops?: number;
  /** What the Linux kernel answered (Linux 6.18, recorded with icmp-source.netns.test.ts). */
  expect: string[];
}

export interface RefTopology {
  name: string;
  /** pcs do not forward; routers do. */
  nodes: { name: string; kind: 'pc' | 'router' }[];
  links: RefLink[];
  routes: { node: string; dest: string; gateway: string }[];
  probes: RefProbe[];
}

/** The interfaces each node gets, in link order: node → [iface name, address/len][]. */
export function ifacesOf(t: RefTopology): Map<string, [string, string][]> {
  const m = new Map<string, [string, string][]>(t.nodes.map((n) => [n.name, []]));
  for (const l of t.links) {
    for (const [node, cidr] of [l.a, l.b]) {
      const list = m.get(node);
      if (list === undefined) throw new Error(`${t.name}: link to unknown node ${node}`);
      list.push([`eth${list.length}`, cidr]);
    }
  }
  return m;
}

export function virtnetDoc(t: RefTopology): TopologyDoc {
  const b = builder();
  const nodes = new Map(t.nodes.map((n) => [n.name, b.node(n.kind, n.name)]));
  for (const l of t.links) b.link(nodes.get(l.a[0])!, nodes.get(l.b[0])!, { aIp: l.a[1], bIp: l.b[1] });
  for (const r of t.routes) b.route(nodes.get(r.node)!, r.dest, r.gateway);
  return b.doc;
}

/** A probe as one readable case name, e.g. `asymmetric: pc1 traceroute 10.0.2.20`. */
export function probeName(t: RefTopology, p: RefProbe): string {
  return `${t.name}: ${p.from} ${p.kind === 'ping' ? `ping ttl ${p.ttl}` : 'traceroute'} ${p.to}`;
}

/** Hop addresses from traceroute -n -q 1 output (FreeBSD's or Linux's): `*` for silence. */
export function tracerouteHops(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => /^ ?\d+ /.test(l))
    .map((l) => l.trim().split(/\s+/)[1] ?? '*');
}

/**
 * The address that answered one ping: FreeBSD's `N bytes from A: …` or Linux's
 * `From A icmp_seq=…` / `N bytes from A: icmp_seq=…`; `*` when nothing answered.
 */
export function pingResponder(output: string): string {
  const m = /(?:bytes from|^From) (?:\S+ \()?(\d+\.\d+\.\d+\.\d+)/m.exec(output);
  return m ? m[1] : '*';
}

const pc = (name: string) => ({ name, kind: 'pc' as const });
const router = (name: string) => ({ name, kind: 'router' as const });

/**
 * Asymmetric routes: r1 and r2 joined by two links. r1 sends toward pc2 over link a
 * (10.0.1.0/24), r2 sends toward pc1 over link b (10.0.3.0/24).
 */
export const ASYMMETRIC: RefTopology = {
  name: 'asymmetric',
  nodes: [pc('pc1'), router('r1'), router('r2'), pc('pc2')],
  links: [
    { a: ['pc1', '10.0.0.20/24'], b: ['r1', '10.0.0.1/24'] },
    { a: ['r1', '10.0.1.1/24'], b: ['r2', '10.0.1.2/24'] },
    { a: ['r2', '10.0.2.1/24'], b: ['pc2', '10.0.2.20/24'] },
    { a: ['r1', '10.0.3.1/24'], b: ['r2', '10.0.3.2/24'] },
  ],
  routes: [
    { node: 'pc1', dest: '0.0.0.0/0', gateway: '10.0.0.1' },
    { node: 'pc2', dest: '0.0.0.0/0', gateway: '10.0.2.1' },
    { node: 'r1', dest: '10.0.2.0/24', gateway: '10.0.1.2' },
    { node: 'r2', dest: '10.0.0.0/24', gateway: '10.0.3.1' },
    // r1 sends 10.0.9.0/24 on to r2, which has no route for it: net unreachable from r2.
    { node: 'r1', dest: '10.0.9.0/24', gateway: '10.0.1.2' },
  ],
  probes: [
    // Net unreachable from r2 goes back over link b. First: Linux's ip_error() limiter shares
    // its per-sender tokens with ICMP's, which the other probes' errors would use up.
    // (No traceroute there: FreeBSD checks the TTL before the route, Linux after, so hop 2
    // is time exceeded on FreeBSD and net unreachable on Linux.)
    { from: 'pc1', to: '10.0.9.9', kind: 'ping', ttl: 64, expect: ['10.0.3.2'] },
    // r2 gets the probe on link a and answers over link b, from its link-b address.
    { from: 'pc1', to: '10.0.2.20', kind: 'traceroute', expect: ['10.0.0.1', '10.0.3.2', '10.0.2.20'] },
    { from: 'pc2', to: '10.0.0.20', kind: 'traceroute', expect: ['10.0.2.1', '10.0.1.1', '10.0.0.20'] },
    { from: 'pc1', to: '10.0.2.20', kind: 'ping', ttl: 2, expect: ['10.0.3.2'] },
    { from: 'pc2', to: '10.0.0.20', kind: 'ping', ttl: 2, expect: ['10.0.1.1'] },
    // Addressed to r2's link-a address: answered from that address whatever the way back.
    { from: 'pc1', to: '10.0.1.2', kind: 'ping', ttl: 64, expect: ['10.0.1.2'] },

  ],
};

/**
 * A routing loop over a triangle: r1 → r2 → r3 → r1 for 172.16.0.0/16, while each
 * router's way back to pc1 is its direct link to r1 (or pc1's subnet for r1).
 */
export const LOOP: RefTopology = {
  name: 'routing loop',
  nodes: [pc('pc1'), router('r1'), router('r2'), router('r3')],
  links: [
    { a: ['pc1', '10.1.0.20/24'], b: ['r1', '10.1.0.1/24'] },
    { a: ['r1', '10.1.12.1/24'], b: ['r2', '10.1.12.2/24'] },
    { a: ['r2', '10.1.23.2/24'], b: ['r3', '10.1.23.3/24'] },
    { a: ['r3', '10.1.31.3/24'], b: ['r1', '10.1.31.1/24'] },
  ],
  routes: [
    { node: 'pc1', dest: '0.0.0.0/0', gateway: '10.1.0.1' },
    { node: 'r1', dest: '172.16.0.0/16', gateway: '10.1.12.2' },
    { node: 'r2', dest: '172.16.0.0/16', gateway: '10.1.23.3' },
    { node: 'r3', dest: '172.16.0.0/16', gateway: '10.1.31.1' },
    { node: 'r2', dest: '10.1.0.0/24', gateway: '10.1.12.1' },
    { node: 'r3', dest: '10.1.0.0/24', gateway: '10.1.31.1' },
  ],
  probes: [
    {
      from: 'pc1',
      to: '172.16.0.1',
      kind: 'traceroute',
      maxHops: 8,
      expect: ['10.1.0.1', '10.1.12.2', '10.1.31.3', '10.1.0.1', '10.1.12.2', '10.1.31.3', '10.1.0.1', '10.1.12.2'],
    },
    { from: 'pc1', to: '172.16.0.1', kind: 'ping', ttl: 3, expect: ['10.1.31.3'] },
    { from: 'pc1', to: '172.16.0.1', kind: 'ping', ttl: 4, expect: ['10.1.0.1'] },
    { from: 'pc1', to: '172.16.0.1', kind: 'ping', ttl: 5, expect: ['10.1.12.2'] },
  ],
};

/**
 * A longest-prefix detour: r2 reaches 10.2.0.0/16 over its direct link to r1, but a /32
 * sends pc1 itself round through r3. pc3, on another subnet of r1, gets the direct way.
 */
export const DETOUR: RefTopology = {
  name: 'longest-prefix detour',
  nodes: [pc('pc1'), pc('pc3'), router('r1'), router('r2'), router('r3'), pc('pc2')],
  links: [
    { a: ['pc1', '10.2.0.20/24'], b: ['r1', '10.2.0.1/24'] },
    { a: ['pc3', '10.2.9.20/24'], b: ['r1', '10.2.9.1/24'] },
    { a: ['r1', '10.2.1.1/24'], b: ['r2', '10.2.1.2/24'] },
    { a: ['r2', '10.2.2.1/24'], b: ['pc2', '10.2.2.20/24'] },
    { a: ['r2', '10.2.3.2/24'], b: ['r3', '10.2.3.3/24'] },
    { a: ['r3', '10.2.4.3/24'], b: ['r1', '10.2.4.1/24'] },
  ],
  routes: [
    { node: 'pc1', dest: '0.0.0.0/0', gateway: '10.2.0.1' },
    { node: 'pc3', dest: '0.0.0.0/0', gateway: '10.2.9.1' },
    { node: 'pc2', dest: '0.0.0.0/0', gateway: '10.2.2.1' },
    { node: 'r1', dest: '10.2.2.0/24', gateway: '10.2.1.2' },
    { node: 'r2', dest: '10.2.0.0/16', gateway: '10.2.1.1' },
    { node: 'r2', dest: '10.2.0.20/32', gateway: '10.2.3.3' },
    { node: 'r3', dest: '10.2.0.0/16', gateway: '10.2.4.1' },
    { node: 'r3', dest: '10.2.2.0/24', gateway: '10.2.3.2' },
  ],
  probes: [
    { from: 'pc1', to: '10.2.2.20', kind: 'traceroute', expect: ['10.2.0.1', '10.2.3.2', '10.2.2.20'] },
    { from: 'pc3', to: '10.2.2.20', kind: 'traceroute', expect: ['10.2.9.1', '10.2.1.2', '10.2.2.20'] },
    { from: 'pc1', to: '10.2.2.20', kind: 'ping', ttl: 2, expect: ['10.2.3.2'] },
    { from: 'pc3', to: '10.2.2.20', kind: 'ping', ttl: 2, expect: ['10.2.1.2'] },
  ],
};

/** pc1 — r1 — r2 — pc2 where r2 has no route back to pc1: its errors are never sent. */
export const NO_ROUTE_BACK: RefTopology = {
  name: 'no route back',
  nodes: [pc('pc1'), router('r1'), router('r2'), pc('pc2')],
  links: [
    { a: ['pc1', '10.3.0.20/24'], b: ['r1', '10.3.0.1/24'] },
    { a: ['r1', '10.3.1.1/24'], b: ['r2', '10.3.1.2/24'] },
    { a: ['r2', '10.3.2.1/24'], b: ['pc2', '10.3.2.20/24'] },
  ],
  routes: [
    { node: 'pc1', dest: '0.0.0.0/0', gateway: '10.3.0.1' },
    { node: 'pc2', dest: '0.0.0.0/0', gateway: '10.3.2.1' },
    { node: 'r1', dest: '10.3.2.0/24', gateway: '10.3.1.2' },
  ],
  probes: [
    { from: 'pc1', to: '10.3.2.20', kind: 'ping', ttl: 2, expect: ['*'] },
    { from: 'pc1', to: '10.3.2.20', kind: 'traceroute', maxHops: 3, expect: ['10.3.0.1', '*', '*'] },
  ],
};

export const REFERENCE_TOPOLOGIES: readonly RefTopology[] = [ASYMMETRIC, LOOP, DETOUR, NO_ROUTE_BACK];
