// Warnings for IMUNES features a loaded topology uses that VirtNet does not run yet:
// non-emulated node kinds, IPv6, routing daemons, IPsec, services, custom configs.
// Only reports; never changes the document.

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

export function importWarnings(doc: TopologyDoc, file: string, locate: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const v6Nodes: string[] = [];
  let v6Line = 0;
  for (const n of doc.nodes) {
    const line = locate(['nodes', n.id]);
    const warn = (m: string) => out.push(diag(file, line, m, 'warning'));
    if (!isEmulatedKind(n.kind)) warn(`${n.name}: node kind "${n.kind}" is kept but will not run (VirtNet emulates pc, host, router, lanswitch and hub)`);
    const daemons = daemonsOf(n.extra);
    if (daemons.length) warn(`router ${n.name}: ${daemons.join(', ')} will not run yet; remote subnets need static routes`);
    const ex = n.extra ?? {};
    if (Object.keys(ex).some((k) => /ipsec/i.test(k))) warn(`${n.name}: IPsec configuration is kept but will not run`);
    if (Array.isArray(ex.services) && ex.services.length) warn(`${n.name}: services (${ex.services.join(', ')}) are kept but will not run`);
    if (ex.custom_enabled === 'true' || ex.custom_configs !== undefined) warn(`${n.name}: custom configuration is kept but will not run; its addresses and routes are not applied`);
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
