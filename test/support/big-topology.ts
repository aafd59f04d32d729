// Generators of big topology documents for the file benchmarks and complexity tests: a
// network of LANs (router + switch + pcs each, routers in a chain) of any size, built
// directly (the edit operations copy the document per step, which is quadratic by design).
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type LinkDoc, type NodeDoc, type TopologyDoc } from '../../src/emulator/topology/document';

const mac = (i: number) => `42:00:aa:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;

/** About `nodes` nodes: LANs of one router, one switch and up to 98 pcs; routers chained. */
export function bigNetwork(nodes: number): TopologyDoc {
  const out: NodeDoc[] = [];
  const links: LinkDoc[] = [];
  let macs = 0;
  const lans = Math.max(1, Math.ceil(nodes / 100));
  const link = (a: NodeDoc, ai: string, b: NodeDoc, bi: string) => {
    links.push({ id: `l${links.length}`, a: { node: a.id, iface: ai }, b: { node: b.id, iface: bi }, params: { ...DEFAULT_LINK_PARAMS } });
  };
  const node = (kind: string, name: string, x: number, y: number): NodeDoc => {
    const n: NodeDoc = { id: `n${out.length}`, kind, name, canvas: 'c0', position: { x, y }, interfaces: [], routes4: [], routes6: [] };
    out.push(n);
    return n;
  };
  let prev: NodeDoc | null = null;
  for (let k = 0; k < lans && out.length < nodes; k++) {
    const net = `10.${k >> 8}.${k & 255}`;
    const r = node('router', `router${k + 1}`, k * 200, 0);
    r.forwarding = true;
    r.interfaces.push({ name: 'eth0', type: 'phys', mac: mac(macs++), ipv4: [`${net}.1/24`], ipv6: [] });
    const sw = node('lanswitch', `switch${k + 1}`, k * 200, 100);
    sw.interfaces.push({ name: 'e0', type: 'phys', ipv4: [], ipv6: [] });
    link(r, 'eth0', sw, 'e0');
    if (prev) {
      const t = `172.${16 + (k >> 14)}.${(k >> 6) & 255}.${(k & 63) * 4}`;
      const p = prev;
      const base = t.split('.').map(Number);
      p.interfaces.push({ name: 'eth1', type: 'phys', mac: mac(macs++), ipv4: [`${base[0]}.${base[1]}.${base[2]}.${base[3]! + 1}/30`], ipv6: [] });
      r.interfaces.push({ name: 'eth2', type: 'phys', mac: mac(macs++), ipv4: [`${base[0]}.${base[1]}.${base[2]}.${base[3]! + 2}/30`], ipv6: [] });
      link(p, 'eth1', r, 'eth2');
    }
    prev = r;
    for (let i = 0; i < 98 && out.length < nodes; i++) {
      const pc = node('pc', `pc${k + 1}-${i + 1}`, k * 200 + i, 200);
      pc.interfaces.push({ name: 'eth0', type: 'phys', mac: mac(macs++), ipv4: [`${net}.${20 + i}/24`], ipv6: [] });
      pc.routes4.push({ dest: '0.0.0.0/0', gateway: `${net}.1` });
      sw.interfaces.push({ name: `e${i + 1}`, type: 'phys', ipv4: [], ipv6: [] });
      link(pc, 'eth0', sw, `e${i + 1}`);
    }
  }
  return { version: DOC_VERSION, nodes: out, links, annotations: [], canvases: [{ id: 'c0', name: 'Canvas0' }] };
}

/** A valid two-node document plus `bad` links whose ends name nodes that do not exist. */
export function badLinks(bad: number): TopologyDoc {
  const doc = bigNetwork(2);
  for (let i = 0; i < bad; i++) {
    doc.links.push({ id: `bad${i}`, a: { node: `missing${i}`, iface: 'eth0' }, b: { node: 'n0', iface: `eth${i + 9}` }, params: { ...DEFAULT_LINK_PARAMS } });
  }
  return doc;
}
