// Sample topologies built with the edit operations (so they carry exactly what drawing
// them in the editor gives): assets/samples/*.vnet are these, checked by a test. Also
// handy scenario helpers for tests (`pcRouterPc()`). Pure; no file I/O.

import { emptyDocument, type TopologyDoc } from './document';
import { addLink, addNode, setRoutes, type Refused } from './edit';
import { formatIpv4, networkOf, parseCidr } from '../wire/addr';

function ok<T>(r: T | Refused): T {
  if (typeof r === 'object' && r !== null && 'error' in r) throw new Error(`sample construction failed: ${(r as Refused).error}`);
  return r as T;
}

class Builder {
  doc: TopologyDoc;
  constructor(name: string) {
    this.doc = { ...emptyDocument(), name };
  }
  node(kind: string, x: number, y: number): string {
    // The samples teach static routing: their routers run no routing daemon.
    const r = addNode(this.doc, kind, { x, y }, { defaultRouting: false });
    this.doc = r.doc;
    return r.nodeId;
  }
  link(a: string, b: string): string {
    const r = ok(addLink(this.doc, a, b));
    this.doc = r.doc;
    return r.linkId;
  }
}

export function twoPcsSwitch(): TopologyDoc {
  const b = new Builder('two-pcs-switch');
  const sw = b.node('lanswitch', 336, 168);
  b.link(b.node('pc', 144, 288), sw);
  b.link(b.node('pc', 528, 288), sw);
  return b.doc;
}

export function pcRouterPc(): TopologyDoc {
  const b = new Builder('pc-router-pc');
  const pc1 = b.node('pc', 120, 168);
  const r = b.node('router', 456, 168);
  const pc2 = b.node('pc', 792, 168);
  b.link(pc1, r);
  b.link(r, pc2);
  return b.doc;
}

/** Address of `nodeId`'s interface on the subnet of `cidr`. */
function addrOn(doc: TopologyDoc, nodeId: string, net: number): string {
  for (const i of doc.nodes.find((n) => n.id === nodeId)!.interfaces) {
    const c = parseCidr(i.ipv4[0] ?? '');
    if (c && networkOf(c.addr, c.prefixLen) === net) return formatIpv4(c.addr);
  }
  throw new Error(`${nodeId} has no address on ${formatIpv4(net)}`);
}

/** pc1 – router1 – router2 – router3 – router4 – pc2 with static routes both ways. */
export function routerChain4(): TopologyDoc {
  const b = new Builder('router-chain-4');
  const pc1 = b.node('pc', 96, 240);
  const routers = [0, 1, 2, 3].map((i) => b.node('router', 264 + 168 * i, 240));
  const pc2 = b.node('pc', 936, 240);
  const chain = [pc1, ...routers, pc2];
  for (let i = 0; i + 1 < chain.length; i++) b.link(chain[i]!, chain[i + 1]!);
  // Subnet k joins chain[k] and chain[k+1]: 10.0.k.0/24 (autoconfig gives them in order).
  const nets = [0, 1, 2, 3, 4].map((k) => (0x0a000000 + k * 256) >>> 0);
  routers.forEach((r, i) => {
    const pos = i + 1;
    const routes = nets.flatMap((net, k) => {
      if (k === pos - 1 || k === pos) return [];
      const via = k < pos - 1 ? addrOn(b.doc, chain[pos - 1]!, nets[pos - 1]!) : addrOn(b.doc, chain[pos + 1]!, nets[pos]!);
      return [{ dest: `${formatIpv4(net)}/24`, gateway: via }];
    });
    b.doc = ok(setRoutes(b.doc, r, routes)).doc;
  });
  return b.doc;
}

/** LAN1: three pcs on a switch; LAN2: two pcs on a hub; one router between them. */
export function officeTwoLans(): TopologyDoc {
  const b = new Builder('office-two-lans');
  const router = b.node('router', 480, 120);
  const sw = b.node('lanswitch', 240, 264);
  const hub = b.node('hub', 720, 264);
  b.link(router, sw);
  b.link(router, hub);
  for (const x of [96, 240, 384]) b.link(b.node('pc', x, 432), sw);
  for (const x of [648, 792]) b.link(b.node('pc', x, 432), hub);
  return b.doc;
}

export const SAMPLES = {
  'two-pcs-switch.vnet': twoPcsSwitch,
  'pc-router-pc.vnet': pcRouterPc,
  'router-chain-4.vnet': routerChain4,
  'office-two-lans.vnet': officeTwoLans,
} as const;
