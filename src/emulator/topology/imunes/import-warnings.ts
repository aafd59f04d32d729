// Warnings for IMUNES features a loaded topology uses that VirtNet does not run yet:
// non-emulated node kinds, routing daemons other than RIP, RIPng, OSPF, OSPFv3 and BGP, IPsec,
// services, custom configs that do not boot FRR, VLAN settings that cannot run — one line per
// node. Only reports; never changes the document. 802.1Q switches, vlan interfaces, IPv6
// addresses/static routes and RIP run.

import { isEmulatedKind, type TopologyDoc } from '../document';
import { diag, nameText as q, quoteText, type Diagnostic } from '../diagnostics';
import type { Locator } from './json3-model';
import { enabledProtocols, routerModel } from './frr-conf';

/** IMUNES `services` entries VirtNet starts at Start (engine/startup.ts). */
export const RUNNABLE_SERVICES: ReadonlySet<string> = new Set(['dhcpd', 'isc-dhcpd', 'dhcrelay', 'dhclient']);

const DAEMON_NAMES: Record<string, string> = {
  rip: 'RIP', ripng: 'RIPng', ospf: 'OSPF', ospf6: 'OSPFv3', bgp: 'BGP', isis: 'IS-IS',
};

/**
 * Routing daemons configured for a router that VirtNet does not run: the `router X`
 * sections of its frr.conf other than RIP, RIPng, OSPF, OSPFv3 and BGP (which run); none for model `static` (IMUNES
 * runs none either); for other models, every protocol `router_config` enables.
 */
function daemonsOf(n: TopologyDoc['nodes'][number]): { off: string[]; ripRuns: boolean } {
  if (n.kind !== 'router' || routerModel(n) === 'static') return { off: [], ripRuns: false };
  if (n.frrConf === undefined) {
    const model = routerModel(n);
    const off = model === 'frr' || model === 'quagga' ? [] : enabledProtocols(n.extra?.router_config).map((p) => DAEMON_NAMES[p] ?? p);
    return { off, ripRuns: false };
  }
  const sections = [...n.frrConf.matchAll(/^\s*router\s+(\S+)/gm)].map((m) => m[1]!);
  const runs = new Set(['rip', 'ripng', 'ospf', 'ospf6', 'bgp']);
  const off = [...new Set(sections.filter((p) => !runs.has(p)))].map((p) => DAEMON_NAMES[p] ?? p);
  return { off, ripRuns: sections.some((p) => runs.has(p)) };
}

/** A custom config that is FRR's configuration runs (frrboot.sh): only others are "kept but not run". */
function customNotRun(n: TopologyDoc['nodes'][number]): boolean {
  const ex = n.extra ?? {};
  return (ex.custom_enabled === 'true' || ex.custom_configs !== undefined) && n.frrConf === undefined;
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
    if (!isEmulatedKind(n.kind)) parts.push(`node kind ${quoteText(n.kind)} is kept but will not run (VirtNet emulates pc, host, router, lanswitch, hub, stpswitch, filter and packgen)`);
    const { off: daemons, ripRuns } = daemonsOf(n);
    if (daemons.length) parts.push(`${daemons.join(', ')} will not run yet${ripRuns ? '' : '; remote subnets need static routes'}`);
    const ex = n.extra ?? {};
    if (Object.keys(ex).some((k) => /ipsec/i.test(k))) parts.push('IPsec configuration is kept but will not run');
    const idle = Array.isArray(ex.services) ? ex.services.filter((x) => !RUNNABLE_SERVICES.has(String(x))) : [];
    if (idle.length) parts.push(`services (${idle.slice(0, 8).map(q).join(', ')}${idle.length > 8 ? ' …' : ''}) are kept but will not run`);
    if (customNotRun(n)) parts.push('custom configuration is kept but will not run (its addresses and routes are not applied)');
    const vlans = isEmulatedKind(n.kind) ? vlanProblems(n) : '';
    if (vlans) parts.push(vlans);
    if (parts.length) out.push(diag(file, locate(['nodes', n.id]), `${daemons.length ? 'router ' : ''}${q(n.name)}: ${parts.join('; ')}`, 'warning'));
  }
  return out;
}
