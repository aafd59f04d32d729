// IMUNES `auto_default_routes`: when a pc or host has it enabled, IMUNES adds a default
// route toward each router on the subnets of its interfaces when the lab starts
// (nodecfg.tcl getDefaultRoutesConfig / getSubnetNextIpAndGateways); the first one the
// kernel accepts wins. Routers get none here (IMUNES gives them only ext/extnat gateways).
// Only computes from the document; the World installs the routes.

import { maskOf } from '../../stack/route';
import { parseCidr } from '../../wire/addr';
import type { NodeDoc, TopologyDoc } from '../document';

const L2_KINDS = new Set(['lanswitch', 'hub', 'stpswitch']);
const GATEWAY_KINDS = new Set(['router', 'nat64']);

export function autoDefaultRoutesOn(n: NodeDoc): boolean {
  const v = n.extra?.auto_default_routes ?? n.extra?.legacy_auto_default_routes;
  return v === 'enabled';
}

/** Gateways (IPv4 text) for node `n`, in the order IMUNES finds them, or [] when the option is off. */
export function imunesDefaultGateways(doc: TopologyDoc, n: NodeDoc): string[] {
  if ((n.kind !== 'pc' && n.kind !== 'host') || !autoDefaultRoutesOn(n)) return [];
  const byId = new Map(doc.nodes.map((x) => [x.id, x]));
  const peers = new Map<string, { node: string; iface: string }[]>();
  for (const l of doc.links) {
    if (l.up === false) continue;
    const a = `${l.a.node}:${l.a.iface}`;
    const b = `${l.b.node}:${l.b.iface}`;
    peers.set(a, [...(peers.get(a) ?? []), l.b]);
    peers.set(b, [...(peers.get(b) ?? []), l.a]);
  }
  const out: string[] = [];
  for (const i of n.interfaces) {
    const mine = i.ipv4.map(parseCidr).filter((c) => c !== null);
    if (mine.length === 0) continue;
    // The broadcast domain of this interface: across switches and hubs, to the L3 ends.
    const seen = new Set<string>([n.id]);
    const queue = [...(peers.get(`${n.id}:${i.name}`) ?? [])];
    while (queue.length > 0) {
      const end = queue.shift()!;
      const node = byId.get(end.node);
      if (node === undefined) continue;
      if (L2_KINDS.has(node.kind)) {
        if (seen.has(node.id)) continue;
        seen.add(node.id);
        for (const p of node.interfaces) queue.push(...(peers.get(`${node.id}:${p.name}`) ?? []));
        continue;
      }
      if (!GATEWAY_KINDS.has(node.kind)) continue;
      const gwIface = node.interfaces.find((x) => x.name === end.iface);
      for (const cidr of gwIface?.ipv4 ?? []) {
        const g = parseCidr(cidr);
        if (g === null) continue;
        const match = mine.some((m) => m.prefixLen === g.prefixLen && ((m.addr ^ g.addr) & maskOf(g.prefixLen)) === 0);
        const text = cidr.split('/')[0]!;
        if (match && !out.includes(text)) out.push(text);
      }
    }
  }
  return out;
}
