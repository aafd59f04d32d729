// Warnings for IMUNES features a loaded topology uses that VirtNet does not run yet:
// non-emulated node kinds, routing daemons (RIPng/OSPFv3 included), IPsec, services, custom
// configs, VLAN settings that cannot run — one line per node. Only reports; never changes
// the document. 802.1Q switches, vlan interfaces and IPv6 addresses/static routes run.

import { isEmulatedKind, type TopologyDoc } from '../document';
import { diag, nameText as q, quoteText, type Diagnostic } from '../diagnostics';
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

const validVid = (v: unknown) => Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 4094;

/**
 * What of a node's VLAN settings will not run, or '' when they all run (802.1Q switch
 * ports; `vlan` interfaces of pcs, hosts and routers over a plain parent with a 1–4094 tag).
 */
function vlanProblems(n: TopologyDoc['nodes'][number]): string {
  const bad: string[] = [];
  const plain = new Set(n.interfaces.filter((i) => i.type !== 'vlan' && i.type !== 'lo').map((i) => i.name));
  for (const i of n.interfaces) {
    if (i.type !== 'vlan') continue;
    if (n.kind === 'lanswitch' || n.kind === 'hub') bad.push(`${q(i.name)} (a vlan interface on a ${n.kind})`);
    else if (!plain.has(String(i.extra?.vlan_dev)) || !validVid(i.extra?.vlan_tag)) bad.push(`${q(i.name)} (vlan_dev ${q(String(i.extra?.vlan_dev))}, vlan_tag ${q(String(i.extra?.vlan_tag))})`);
  }
  const filtering = n.extra?.vlan_filtering === '1' || n.extra?.vlan_filtering === 1;
  if (n.kind === 'lanswitch' && filtering) {
    for (const i of n.interfaces) {
      const tag = i.extra?.vlan_tag;
      if (i.extra?.vlan_type !== 'trunk' && tag !== undefined && tag !== '' && !validVid(tag)) bad.push(`port ${q(i.name)} (vlan_tag ${q(String(tag))}: VLAN 1 is used)`);
    }
  }
  if (n.kind === 'hub' && filtering) bad.push('VLAN filtering (a hub repeats every frame)');
  return bad.length ? `VLAN settings ${bad.join(', ')} will not run` : '';
}

export function importWarnings(doc: TopologyDoc, file: string, locate: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const n of doc.nodes) {
    // One line per node: everything about it that will not run, most important first.
    const parts: string[] = [];
    if (!isEmulatedKind(n.kind)) parts.push(`node kind ${quoteText(n.kind)} is kept but will not run (VirtNet emulates pc, host, router, lanswitch and hub)`);
    const daemons = daemonsOf(n.extra);
    if (daemons.length) parts.push(`${daemons.join(', ')} will not run yet; remote subnets need static routes`);
    const ex = n.extra ?? {};
    if (Object.keys(ex).some((k) => /ipsec/i.test(k))) parts.push('IPsec configuration is kept but will not run');
    if (Array.isArray(ex.services) && ex.services.length) parts.push(`services (${ex.services.slice(0, 8).map(q).join(', ')}${ex.services.length > 8 ? ' …' : ''}) are kept but will not run`);
    if (ex.custom_enabled === 'true' || ex.custom_configs !== undefined) parts.push('custom configuration is kept but will not run (its addresses and routes are not applied)');
    const vlans = isEmulatedKind(n.kind) ? vlanProblems(n) : '';
    if (vlans) parts.push(vlans);
    if (parts.length) out.push(diag(file, locate(['nodes', n.id]), `${daemons.length ? 'router ' : ''}${q(n.name)}: ${parts.join('; ')}`, 'warning'));
  }
  return out;
}
