// The one place tests build topology documents (STYLE: `hostRouterHost()`): `builder()`
// for most, `node()`/`doc()` where a test needs exact ids, names and MACs, and the named
// shapes (hostRouterHost, routerChain, lan, pcSwitchPc, chain, switchRing). Addresses as
// IMUNES would assign them (router .1, pc .20, MACs 42:00:aa:…). Test support only.

import { chainDoc } from '../../src/emulator/bench';
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type LinkParams, type NodeDoc, type TopologyDoc } from '../../src/emulator/topology/document';

let macSeq = 0;

export interface Builder {
  doc: TopologyDoc;
  node(kind: string, name: string): NodeDoc;
  /** Add an interface with an optional address; returns its name. */
  iface(node: NodeDoc, cidr?: string): string;
  link(a: NodeDoc, b: NodeDoc, opts?: { aIp?: string; bIp?: string; params?: Partial<LinkParams> }): void;
  route(node: NodeDoc, dest: string, gateway: string): void;
}

export function builder(): Builder {
  macSeq = 0;
  const doc: TopologyDoc = { version: DOC_VERSION, nodes: [], links: [], annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] };
  const b: Builder = {
    doc,
    node(kind, name) {
      const n: NodeDoc = { id: `n${doc.nodes.length}`, kind, name, canvas: 'c0', position: { x: 100 * doc.nodes.length, y: 100 }, interfaces: [], routes4: [], routes6: [] };
      doc.nodes.push(n);
      return n;
    },
    iface(node, cidr) {
      const phys = node.interfaces.filter((i) => i.type !== 'lo').length;
      const isBridge = node.kind === 'lanswitch' || node.kind === 'hub' || node.kind === 'stpswitch';
      const name = isBridge ? `e${phys}` : `eth${phys}`;
      macSeq++;
      const mac = isBridge ? undefined : `42:00:aa:00:${(macSeq >> 8).toString(16).padStart(2, '0')}:${(macSeq & 0xff).toString(16).padStart(2, '0')}`;
      node.interfaces.push({ name, type: 'phys', mac, ipv4: cidr ? [cidr] : [], ipv6: [] });
      return name;
    },
    link(a, bNode, opts = {}) {
      const ia = b.iface(a, opts.aIp);
      const ib = b.iface(bNode, opts.bIp);
      doc.links.push({ id: `l${doc.links.length}`, a: { node: a.id, iface: ia }, b: { node: bNode.id, iface: ib }, params: { ...DEFAULT_LINK_PARAMS, ...opts.params } });
    },
    route(node, dest, gateway) {
      node.routes4.push({ dest, gateway });
    },
  };
  return b;
}

/** pc1 (10.0.0.20) — router1 — pc2 (10.0.1.20). */
export function hostRouterHost(params: Partial<LinkParams> = {}, routerName = 'router1'): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', routerName);
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24', params });
  b.link(r1, pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.20/24', params });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(pc2, '0.0.0.0/0', '10.0.1.1');
  return b.doc;
}

/** pc1 — router1 — router2 — router3 — router4 — pc2: subnets 10.0.0.0/24 … 10.0.4.0/24. */
export function routerChain(routers = 4, params: Partial<LinkParams> = {}, routerPrefix = 'router'): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const rs = Array.from({ length: routers }, (_, k) => b.node('router', `${routerPrefix}${k + 1}`));
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, rs[0], { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24', params });
  for (let k = 0; k + 1 < routers; k++) b.link(rs[k], rs[k + 1], { aIp: `10.0.${k + 1}.1/24`, bIp: `10.0.${k + 1}.2/24`, params });
  b.link(rs[routers - 1], pc2, { aIp: `10.0.${routers}.1/24`, bIp: `10.0.${routers}.20/24`, params });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(pc2, '0.0.0.0/0', `10.0.${routers}.1`);
  for (let k = 0; k < routers; k++) {
    // Toward pc2: next router (or connected); toward pc1: previous router.
    if (k + 1 < routers) b.route(rs[k], `10.0.${routers}.0/24`, `10.0.${k + 1}.2`);
    if (k > 0) b.route(rs[k], '10.0.0.0/24', `10.0.${k}.1`);
    for (let s = 1; s < routers; s++) {
      if (s === k || s === k + 1) continue;
      b.route(rs[k], `10.0.${s}.0/24`, s > k ? `10.0.${k + 1}.2` : `10.0.${k}.1`);
    }
  }
  return b.doc;
}

/**
 * A lab of `rows × cols` RIP routers in a grid (link k: 10.1.k.0/24), each with a lanswitch
 * and `pcs` pcs on its LAN 10.2.r.0/24 (router .1, pcs .20 …, default route to .1): with the
 * defaults 40 routers, 40 switches and 120 pcs — the 200-node lab of step back's figure.
 */
export function ripGridLab(rows = 5, cols = 8, pcs = 3): TopologyDoc {
  const b = builder();
  const rs: NodeDoc[] = [];
  for (let r = 0; r < rows * cols; r++) {
    const router = b.node('router', `router${r + 1}`);
    router.frrConf = 'router rip\n network 0.0.0.0/0\n!\n';
    rs.push(router);
    const sw = b.node('lanswitch', `switch${r + 1}`);
    b.link(router, sw, { aIp: `10.2.${r}.1/24` });
    for (let p = 0; p < pcs; p++) {
      const pc = b.node('pc', `pc${r + 1}-${p + 1}`);
      b.link(pc, sw, { aIp: `10.2.${r}.${20 + p}/24` });
      b.route(pc, '0.0.0.0/0', `10.2.${r}.1`);
    }
  }
  let k = 0;
  const join = (a: number, z: number) => {
    b.link(rs[a], rs[z], { aIp: `10.1.${k}.1/24`, bIp: `10.1.${k}.2/24` });
    k++;
  };
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) {
    if (x + 1 < cols) join(y * cols + x, y * cols + x + 1);
    if (y + 1 < rows) join(y * cols + x, (y + 1) * cols + x);
  }
  return b.doc;
}

/** Three PCs on one lanswitch or hub: 10.0.0.20–22. */
export function lan(kind: 'lanswitch' | 'hub' = 'lanswitch', pcs = 3): TopologyDoc {
  const b = builder();
  const sw = b.node(kind, kind === 'hub' ? 'hub1' : 'switch1');
  for (let k = 0; k < pcs; k++) {
    const pc = b.node('pc', `pc${k + 1}`);
    b.link(pc, sw, { aIp: `10.0.0.${20 + k}/24` });
  }
  return b.doc;
}

/**
 * `count` switches (or hubs) in a ring — the IMUNES STP exercise without STP — with pc1 on
 * the first and pc2 on the middle one (10.0.0.20, 10.0.0.21). Ring links get `params`.
 */
export function switchRing(count = 4, kind: 'lanswitch' | 'hub' | 'stpswitch' = 'lanswitch', params: Partial<LinkParams> = {}): TopologyDoc {
  const b = builder();
  const sws = Array.from({ length: count }, (_, k) => b.node(kind, `${kind === 'hub' ? 'hub' : 'switch'}${k + 1}`));
  for (let k = 0; k < count; k++) b.link(sws[k], sws[(k + 1) % count], { params });
  b.link(b.node('pc', 'pc1'), sws[0], { aIp: '10.0.0.20/24' });
  b.link(b.node('pc', 'pc2'), sws[Math.floor(count / 2)], { aIp: '10.0.0.21/24' });
  return b.doc;
}

// ---- exact documents ----------------------------------------------------------------------

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

/** pc1 (10.0.0.20) — pc2 (10.0.0.21) on one link: the smallest network a shell test needs. */
export function twoPcs(params: Partial<LinkParams> = {}): TopologyDoc {
  return doc(
    [node('n0', 'pc', 'pc1', [{ name: 'eth0', ipv4: ['10.0.0.20/24'], mac: mac(1) }]), node('n1', 'pc', 'pc2', [{ name: 'eth0', ipv4: ['10.0.0.21/24'], mac: mac(2) }])],
    [['n0', 'eth0', 'n1', 'eth0', params]],
  );
}

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

/** pc1 — r1 — … — rN — pc2, one /24 per link: 10.0.k.0/24 between hop k and k+1 (the bench's own chain). */
export function chain(routers: number, params: Partial<LinkParams> = {}): TopologyDoc {
  return chainDoc(routers, params);
}
