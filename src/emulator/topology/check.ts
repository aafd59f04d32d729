// Semantic checks over a whole topology document (what a schema cannot say): unique ids,
// names, MACs and addresses, link ends that exist, valid addresses, routes and link
// parameters, layer-2 loops with no STP (l2-loops.ts). Reports problems with a JSON path;
// never throws, never repairs.

import { nameText as q, quoteText } from './diagnostics';
import { isEmulatedKind, type LinkDoc, type NodeDoc, type TopologyDoc } from './document';
import { checkLab } from './lab-check';
import { LIMITS } from './limits';
import {
  LINK_PARAM_FIELDS, validateIpv4Cidr, validateIpv6Cidr, validateLinkParam, validateMac, validateMtu, validateRoute,
} from './validate-fields';
import { layer2Loops } from './l2-loops';
import type { DocIssue, DocPath } from './doc-issue';

export type { DocIssue, DocPath } from './doc-issue';

/** Control characters and line breaks: a name shows in prompts, menus and one-line messages. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function checkNode(n: NodeDoc, i: number, out: DocIssue[]): void {
  const seen = new Set<string>();
  if (CONTROL.test(n.name)) out.push({ path: ['nodes', i, 'name'], message: `node name ${quoteText(n.name)} must not contain control characters or line breaks`, severity: 'error' });
  // pc, host and router stacks bring their own lo0 (stack.ts createStack): another
  // interface of that name would be a second lo0 the engine cannot tell apart.
  const stack = n.kind === 'pc' || n.kind === 'host' || n.kind === 'router';
  n.interfaces.forEach((f, j) => {
    const at: DocPath = ['nodes', i, 'interfaces', j];
    if (CONTROL.test(f.name)) out.push({ path: [...at, 'name'], message: `${q(n.name)}: interface name ${quoteText(f.name)} must not contain control characters or line breaks`, severity: 'error' });
    if (stack && f.name === 'lo0' && f.type !== 'lo') out.push({ path: [...at, 'type'], message: `${q(n.name)} lo0: the loopback interface must have type "lo", not ${quoteText(f.type)}`, severity: 'error' });
    if (seen.has(f.name)) out.push({ path: [...at, 'name'], message: `${q(n.name)}: interface ${q(f.name)} appears twice`, severity: 'error' });
    seen.add(f.name);
    if (f.mac !== undefined && validateMac(f.mac)) out.push({ path: [...at, 'mac'], message: `${q(n.name)} ${q(f.name)}: ${validateMac(f.mac)}`, severity: 'error' });
    f.ipv4.forEach((a, k) => {
      const why = validateIpv4Cidr(a);
      if (why) out.push({ path: [...at, 'ipv4', k], message: `${q(n.name)} ${q(f.name)}: ${why}`, severity: 'error' });
    });
    f.ipv6.forEach((a, k) => {
      const why = validateIpv6Cidr(a);
      if (why) out.push({ path: [...at, 'ipv6', k], message: `${q(n.name)} ${q(f.name)}: ${why}`, severity: 'error' });
    });
    if (f.dhcp === true && (!stack || f.type === 'lo')) out.push({ path: [...at, 'dhcp'], message: `${q(n.name)} ${q(f.name)}: "dhcp" needs an Ethernet interface of a pc, host or router (dhclient runs there)`, severity: 'error' });
    if (f.mtu !== undefined && validateMtu(f.mtu)) out.push({ path: [...at, 'mtu'], message: `${q(n.name)} ${q(f.name)}: ${validateMtu(f.mtu)}`, severity: 'error' });
  });
  for (const [key, v6] of [['routes4', false], ['routes6', true]] as const) {
    n[key].forEach((r, k) => {
      const why = validateRoute(r.dest, r.gateway, v6);
      if (why) out.push({ path: ['nodes', i, key, k], message: `${q(n.name)} route: ${why}`, severity: 'error' });
    });
  }
}

function checkLink(l: LinkDoc, i: number, byId: Map<string, NodeDoc>, used: Map<string, string>, out: DocIssue[]): void {
  for (const side of ['a', 'b'] as const) {
    const end = l[side];
    const node = byId.get(end.node);
    if (!node) {
      out.push({ path: ['links', i, side, 'node'], message: `link ${q(l.id)}: no node ${quoteText(end.node)}`, severity: 'error' });
      continue;
    }
    if (!node.interfaces.some((f) => f.name === end.iface)) {
      out.push({ path: ['links', i, side, 'iface'], message: `link ${q(l.id)}: ${q(node.name)} has no interface ${q(end.iface)}`, severity: 'error' });
    }
    const key = `${end.node}\u0000${end.iface}`;
    const other = used.get(key);
    if (other) out.push({ path: ['links', i, side, 'iface'], message: `link ${q(l.id)}: ${q(node.name)} ${q(end.iface)} is already used by link ${q(other)}`, severity: 'error' });
    used.set(key, l.id);
  }
  for (const [key, p] of [['params', l.params], ['paramsBA', l.paramsBA]] as const) {
    if (!p) continue;
    for (const f of LINK_PARAM_FIELDS) {
      const why = validateLinkParam(f, p[f]);
      if (why) out.push({ path: ['links', i, key, f], message: `link ${q(l.id)}: ${why}`, severity: 'error' });
    }
  }
}

/** Every semantic problem of the document (empty when it is valid). */
export function checkDocument(doc: TopologyDoc): DocIssue[] {
  const out: DocIssue[] = [];
  let ifaces = 0;
  for (const n of doc.nodes) ifaces += n.interfaces.length;
  if (ifaces > LIMITS.MAX_INTERFACES) {
    out.push({ path: ['nodes'], message: `${ifaces} interfaces in all; a topology may have at most ${LIMITS.MAX_INTERFACES}`, severity: 'error' });
    return out;
  }
  const ids = new Set<string>();
  const names = new Set<string>();
  const macs = new Map<string, string>();
  const addrs = new Map<string, string>();
  doc.nodes.forEach((n, i) => {
    if (ids.has(n.id)) out.push({ path: ['nodes', i, 'id'], message: `duplicate node id ${quoteText(n.id)}`, severity: 'error' });
    if (names.has(n.name)) out.push({ path: ['nodes', i, 'name'], message: `duplicate node name ${quoteText(n.name)}`, severity: 'error' });
    ids.add(n.id);
    names.add(n.name);
    checkNode(n, i, out);
    n.interfaces.forEach((f, j) => {
      const mac = f.mac?.toLowerCase();
      if (mac && macs.has(mac)) out.push({ path: ['nodes', i, 'interfaces', j, 'mac'], message: `${q(n.name)} ${q(f.name)}: MAC ${q(mac)} is also used by ${macs.get(mac)}`, severity: 'warning' });
      if (mac) macs.set(mac, `${q(n.name)} ${q(f.name)}`);
      f.ipv4.forEach((a, k) => {
        const ip = a.split('/')[0]!;
        if (!sharesAddressSpace(f, ip)) return;
        if (addrs.has(ip)) out.push({ path: ['nodes', i, 'interfaces', j, 'ipv4', k], message: `${q(n.name)} ${q(f.name)}: address ${q(ip)} is also used by ${addrs.get(ip)}`, severity: 'warning' });
        addrs.set(ip, `${q(n.name)} ${q(f.name)}`);
      });
    });
  });
  const canvases = new Set(doc.canvases.map((c) => c.id));
  doc.nodes.forEach((n, i) => {
    if (!canvases.has(n.canvas)) out.push({ path: ['nodes', i, 'canvas'], message: `${q(n.name)} is drawn on canvas ${quoteText(n.canvas)}, which the document does not define`, severity: 'warning' });
  });
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));
  const linkIds = new Set<string>();
  const used = new Map<string, string>();
  doc.links.forEach((l, i) => {
    if (linkIds.has(l.id)) out.push({ path: ['links', i, 'id'], message: `duplicate link id ${quoteText(l.id)}`, severity: 'error' });
    linkIds.add(l.id);
    checkLink(l, i, byId, used, out);
  });
  out.push(...layer2Loops(doc));
  if (doc.lab) out.push(...checkLab(doc.lab, doc));
  return out;
}

/**
 * Whether an interface's address can clash with another node's: every node has its own
 * loopback and 127.0.0.0/8 (RFC 1122 §3.2.1.3), so only other addresses are shared.
 */
export function sharesAddressSpace(iface: { type: string }, ip: string): boolean {
  return iface.type !== 'lo' && !ip.startsWith('127.');
}
