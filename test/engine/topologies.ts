// Small topology documents for engine tests (STYLE: scenario tests from topology helpers).
// Plain TopologyDoc values, addressed the way IMUNES autoconfiguration would.
import { chainDoc } from '../../src/emulator/bench';
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type LinkParams, type NodeDoc, type TopologyDoc } from '../../src/emulator/topology/document';

export function node(id: string, kind: string, name: string, ifaces: { name: string; ipv4?: string[]; mac?: string }[], routes4: { dest: string; gateway: string }[] = []): NodeDoc {
  return {
    id,
    kind,
    name,
    canvas: 'c0',
    position: { x: 0, y: 0 },
    interfaces: ifaces.map((i) => ({ name: i.name, type: 'phys', mac: i.mac, ipv4: i.ipv4 ?? [], ipv6: [] })),
    routes4,
    routes6: [],
  };
}

export function doc(nodes: NodeDoc[], links: [string, string, string, string, Partial<LinkParams>?][]): TopologyDoc {
  return {
    version: DOC_VERSION,
    nodes,
    links: links.map(([an, ai, bn, bi, p], k) => ({ id: `l${k}`, a: { node: an, iface: ai }, b: { node: bn, iface: bi }, params: { ...DEFAULT_LINK_PARAMS, ...p } })),
    annotations: [],
    canvases: [{ id: 'c0', name: 'Canvas0' }],
  };
}

const mac = (k: number) => `42:00:aa:00:00:${k.toString(16).padStart(2, '0')}`;

/** pc1 — switch — pc2 (and a hub variant), 10.0.0.0/24. */
export function pcSwitchPc(kind: 'lanswitch' | 'hub' = 'lanswitch', params: Partial<LinkParams> = {}): TopologyDoc {
  return doc(
    [
      node('n0', 'pc', 'pc1', [{ name: 'eth0', ipv4: ['10.0.0.20/24'], mac: mac(1) }]),
      node('n1', kind, 'sw1', [{ name: 'e0' }, { name: 'e1' }, { name: 'e2' }]),
      node('n2', 'pc', 'pc2', [{ name: 'eth0', ipv4: ['10.0.0.21/24'], mac: mac(2) }]),
    ],
    [
      ['n0', 'eth0', 'n1', 'e0', params],
      ['n2', 'eth0', 'n1', 'e1', params],
    ],
  );
}

/** pc1 — r1 — … — rN — pc2, one /24 per link: 10.0.k.0/24 between hop k and k+1 (the bench's chain). */
export function chain(routers: number, params: Partial<LinkParams> = {}): TopologyDoc {
  return chainDoc(routers, params);
}
