// Warnings for IMUNES features a loaded topology uses that VirtNet does not run yet:
// non-emulated node kinds, IPv6, routing daemons, IPsec, services, custom configs, VLANs —
// one line per node (plus one for IPv6). Only reports; never changes the document.

import { isEmulatedKind, type TopologyDoc } from '../document';
import { diag, type Diagnostic } from '../diagnostics';
import type { Locator } from './json3-model';

const DAEMON_NAMES: Record<string, string> = {
  rip: 'RIP', ripng: 'RIPng', ospf: 'OSPF', ospf6: 'OSPFv3', bgp: 'BGP', isis: 'IS-IS',
};

function daemonsOf(extra: Record<string, unknown> | undefined): string[] {
  const cfg = typeof extra?.router_config === 'string' ? extra.router_config : '';
  const words = cfg.trim().split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 2) {
    const name = words[i]!;
    if (name && words[i + 1] !== '0') out.push(DAEMON_NAMES[name] ?? name);
  }
  return out;
}

function usesVlans(n: TopologyDoc['nodes'][number]): boolean {
  if (n.extra?.vlan_filtering === '1' || n.extra?.vlan_filtering === 1) return true;
  return n.interfaces.some((i) => i.type === 'vlan' || (i.extra !== undefined && (i.extra.vlan_tag !== undefined || i.extra.vlan_type !== undefined)));
}

export function importWarnings(doc: TopologyDoc, file: string, locate: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const v6Nodes: string[] = [];
  let v6Line = 0;
  for (const n of doc.nodes) {
    const line = locate(['nodes', n.id]);
    // One line per node: everything about it that will not run, most important first.
    const parts: string[] = [];
    if (!isEmulatedKind(n.kind)) parts.push(`node kind "${n.kind}" is kept but will not run (VirtNet emulates pc, host, router, lanswitch and hub)`);
    const daemons = daemonsOf(n.extra);
    if (daemons.length) parts.push(`${daemons.join(', ')} will not run yet; remote subnets need static routes`);
    const ex = n.extra ?? {};
    if (Object.keys(ex).some((k) => /ipsec/i.test(k))) parts.push('IPsec configuration is kept but will not run');
    if (Array.isArray(ex.services) && ex.services.length) parts.push(`services (${ex.services.join(', ')}) are kept but will not run`);
    if (ex.custom_enabled === 'true' || ex.custom_configs !== undefined) parts.push('custom configuration is kept but will not run (its addresses and routes are not applied)');
    if (usesVlans(n)) parts.push('VLAN settings (802.1Q tags, vlan interfaces, VLAN filtering) are kept but will not run yet: VLANs are not isolated');
    if (parts.length) out.push(diag(file, line, `${daemons.length ? 'router ' : ''}${n.name}: ${parts.join('; ')}`, 'warning'));
    const hasV6 = n.interfaces.some((i) => i.ipv6.some((a) => !a.startsWith('::1/'))) || n.routes6.length > 0;
    if (hasV6) {
      if (v6Nodes.length === 0) v6Line = line;
      v6Nodes.push(n.name);
    }
  }
  if (v6Nodes.length) {
    const list = v6Nodes.length > 4 ? `${v6Nodes.slice(0, 4).join(', ')} and ${v6Nodes.length - 4} more` : v6Nodes.join(', ');
    out.push(diag(file, v6Line, `IPv6 addresses and routes (${list}) are kept but IPv6 does not run yet`, 'warning'));
  }
  return out;
}
