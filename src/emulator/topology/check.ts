// Semantic checks over a whole topology document (what a schema cannot say): unique ids,
// names, MACs and addresses, link ends that exist, valid addresses, routes and link
// parameters, layer-2 loops with no STP (l2-loops.ts). Reports problems with a JSON path;
// never throws, never repairs.

import type { LinkDoc, NodeDoc, TopologyDoc } from './document';
import {
  LINK_PARAM_FIELDS, validateIpv4Cidr, validateIpv6Cidr, validateLinkParam, validateMac, validateMtu, validateRoute,
} from './validate-fields';
import { layer2Loops } from './l2-loops';

export type DocPath = (string | number)[];

export interface DocIssue {
  path: DocPath;
  message: string;
  severity: 'error' | 'warning';
}

function checkNode(n: NodeDoc, i: number, out: DocIssue[]): void {
  const seen = new Set<string>();
  n.interfaces.forEach((f, j) => {
    const at: DocPath = ['nodes', i, 'interfaces', j];
    if (seen.has(f.name)) out.push({ path: [...at, 'name'], message: `${n.name}: interface ${f.name} appears twice`, severity: 'error' });
    seen.add(f.name);
    if (f.mac !== undefined && validateMac(f.mac)) out.push({ path: [...at, 'mac'], message: `${n.name} ${f.name}: ${validateMac(f.mac)}`, severity: 'error' });
    f.ipv4.forEach((a, k) => {
      const why = validateIpv4Cidr(a);
      if (why) out.push({ path: [...at, 'ipv4', k], message: `${n.name} ${f.name}: ${why}`, severity: 'error' });
    });
    f.ipv6.forEach((a, k) => {
      const why = validateIpv6Cidr(a);
      if (why) out.push({ path: [...at, 'ipv6', k], message: `${n.name} ${f.name}: ${why}`, severity: 'error' });
    });
    if (f.mtu !== undefined && validateMtu(f.mtu)) out.push({ path: [...at, 'mtu'], message: `${n.name} ${f.name}: ${validateMtu(f.mtu)}`, severity: 'error' });
  });
  for (const [key, v6] of [['routes4', false], ['routes6', true]] as const) {
    n[key].forEach((r, k) => {
      const why = validateRoute(r.dest, r.gateway, v6);
      if (why) out.push({ path: ['nodes', i, key, k], message: `${n.name} route: ${why}`, severity: 'error' });
    });
  }
}

function checkLink(l: LinkDoc, i: number, byId: Map<string, NodeDoc>, used: Map<string, string>, out: DocIssue[]): void {
  for (const side of ['a', 'b'] as const) {
    const end = l[side];
    const node = byId.get(end.node);
    if (!node) {
      out.push({ path: ['links', i, side, 'node'], message: `link ${l.id}: no node "${end.node}"`, severity: 'error' });
      continue;
    }
    if (!node.interfaces.some((f) => f.name === end.iface)) {
      out.push({ path: ['links', i, side, 'iface'], message: `link ${l.id}: ${node.name} has no interface ${end.iface}`, severity: 'error' });
    }
    const key = `${end.node}\u0000${end.iface}`;
    const other = used.get(key);
    if (other) out.push({ path: ['links', i, side, 'iface'], message: `link ${l.id}: ${node.name} ${end.iface} is already used by link ${other}`, severity: 'error' });
    used.set(key, l.id);
  }
  for (const [key, p] of [['params', l.params], ['paramsBA', l.paramsBA]] as const) {
    if (!p) continue;
    for (const f of LINK_PARAM_FIELDS) {
      const why = validateLinkParam(f, p[f]);
      if (why) out.push({ path: ['links', i, key, f], message: `link ${l.id}: ${why}`, severity: 'error' });
    }
  }
}

/** Every semantic problem of the document (empty when it is valid). */
export function checkDocument(doc: TopologyDoc): DocIssue[] {
  const out: DocIssue[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  const macs = new Map<string, string>();
  const addrs = new Map<string, string>();
  doc.nodes.forEach((n, i) => {
    if (ids.has(n.id)) out.push({ path: ['nodes', i, 'id'], message: `duplicate node id "${n.id}"`, severity: 'error' });
    if (names.has(n.name)) out.push({ path: ['nodes', i, 'name'], message: `duplicate node name "${n.name}"`, severity: 'error' });
    ids.add(n.id);
    names.add(n.name);
    checkNode(n, i, out);
    n.interfaces.forEach((f, j) => {
      const mac = f.mac?.toLowerCase();
      if (mac && macs.has(mac)) out.push({ path: ['nodes', i, 'interfaces', j, 'mac'], message: `${n.name} ${f.name}: MAC ${mac} is also used by ${macs.get(mac)}`, severity: 'warning' });
      if (mac) macs.set(mac, `${n.name} ${f.name}`);
      f.ipv4.forEach((a, k) => {
        const ip = a.split('/')[0]!;
        if (!sharesAddressSpace(f, ip)) return;
        if (addrs.has(ip)) out.push({ path: ['nodes', i, 'interfaces', j, 'ipv4', k], message: `${n.name} ${f.name}: address ${ip} is also used by ${addrs.get(ip)}`, severity: 'warning' });
        addrs.set(ip, `${n.name} ${f.name}`);
      });
    });
  });
  const canvases = new Set(doc.canvases.map((c) => c.id));
  doc.nodes.forEach((n, i) => {
    if (!canvases.has(n.canvas)) out.push({ path: ['nodes', i, 'canvas'], message: `${n.name} is drawn on canvas "${n.canvas}", which the document does not define`, severity: 'warning' });
  });
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));
  const linkIds = new Set<string>();
  const used = new Map<string, string>();
  doc.links.forEach((l, i) => {
    if (linkIds.has(l.id)) out.push({ path: ['links', i, 'id'], message: `duplicate link id "${l.id}"`, severity: 'error' });
    linkIds.add(l.id);
    checkLink(l, i, byId, used, out);
  });
  out.push(...layer2Loops(doc));
  return out;
}

/**
 * Whether an interface's address can clash with another node's: every node has its own
 * loopback and 127.0.0.0/8 (RFC 1122 §3.2.1.3), so only other addresses are shared.
 */
export function sharesAddressSpace(iface: { type: string }, ip: string): boolean {
  return iface.type !== 'lo' && !ip.startsWith('127.');
}
