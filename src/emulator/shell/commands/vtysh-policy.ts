// vtysh's policy views and actions in FRR's layout: `show route-map [NAME]` (entries with
// their match and set clauses and how often each was invoked), `show ip prefix-list [NAME]`,
// `show bgp as-path-access-list`, `show bgp community-list`, and `clear ip bgp *|A.B.C.D [soft [in|out]]`. Reads the
// daemon records; clearing goes through bgpd's own entry point.

import type { NodeDaemons } from '../../node/daemons';
import { clearBgp } from '../../node/daemons/bgpd';
import { formatMatch, formatSet, type PolicyConfig } from '../../node/daemons/frr-conf-policy';
import { formatCidr, parseIpv4 } from '../../wire/addr';
import type { CommandContext } from '../types';
import { communityText } from './vtysh-running';

/** The daemons that hold the node's policy lists, as vtysh heads each one's answer. */
function holders(d: NodeDaemons): string[] {
  return ['ZEBRA', ...(d.rip ? ['RIP'] : []), ...(d.ospf ? ['OSPF'] : []), ...(d.bgp ? ['BGP'] : [])];
}

export function showRouteMap(_ctx: CommandContext, d: NodeDaemons, args: string[]): string[] {
  const p = d.config.policy;
  const names = [...p.routeMaps.keys()].filter((n) => args[0] === undefined || n === args[0]).sort();
  const out: string[] = [];
  for (const who of holders(d)) {
    out.push(`${who}:`);
    for (const name of names) {
      const inv = (k: string) => (who === 'BGP' ? (d.bgp?.rmInvoked.get(k) ?? 0) : 0);
      out.push(`route-map: ${name} Invoked: ${inv(name)} Optimization: enabled Processed Change: false`);
      for (const e of p.routeMaps.get(name)!) {
        out.push(
          ` ${e.permit ? 'permit' : 'deny'}, sequence ${e.seq} Invoked ${inv(`${name}#${e.seq}`)}`,
          '  Match clauses:',
          ...e.matches.map((m) => `    ${formatMatch(m)}`),
          '  Set clauses:',
          ...e.sets.map((s) => `    ${formatSet(s)}`),
          '  Call clause:',
          '  Action:',
          '    Exit routemap',
        );
      }
    }
    if (args[0] !== undefined && names.length === 0) out.push(`${who}: 'route-map ${args[0]}' not found`);
  }
  return out;
}

function prefixListLines(p: PolicyConfig, name: string): string[] {
  const list = p.prefixLists.get(name)!;
  return [
    `ip prefix-list ${name}: ${list.length} entries`,
    ...list.map((e) => `   seq ${e.seq} ${e.permit ? 'permit' : 'deny'} ${e.any ? 'any' : `${formatCidr(e.addr, e.prefixLen)}${e.ge !== null ? ` ge ${e.ge}` : ''}${e.le !== null ? ` le ${e.le}` : ''}`}`),
  ];
}

export function showIpPrefixList(_ctx: CommandContext, d: NodeDaemons, args: string[]): string[] {
  const p = d.config.policy;
  const names = [...p.prefixLists.keys()].filter((n) => args[0] === undefined || n === args[0]).sort();
  const out: string[] = [];
  for (const who of holders(d)) for (const name of names) out.push(...prefixListLines(p, name).map((l, k) => (k === 0 ? `${who}: ${l}` : l)));
  if (args[0] !== undefined && names.length === 0) out.push(`% Can't find specified prefix-list`);
  return out;
}

export function showAsPathAccessList(_ctx: CommandContext, d: NodeDaemons): string[] {
  const out: string[] = [];
  for (const [name, list] of [...d.config.policy.asPathLists].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`AS path access list ${name}`, ...list.map((e) => `    ${e.permit ? 'permit' : 'deny'} ${e.source}`));
  }
  return out;
}

/** `show bgp community-list` as FRR prints standard lists. */
export function showCommunityList(_ctx: CommandContext, d: NodeDaemons): string[] {
  return [...d.config.policy.communityLists].flatMap(([name, list]) => [`Named Community standard list ${name}`, ...list.map((e) => `    ${e.permit ? 'permit' : 'deny'} ${communityText(e)}`)]);
}

/** `clear ip bgp *|A.B.C.D [soft [in|out]]`; FRR prints nothing when it works. */
export function clearIpBgp(_ctx: CommandContext, d: NodeDaemons, args: string[]): string[] | null {
  const b = d.bgp;
  if (b === null) return null;
  const [who, soft, dir] = args;
  const how = soft === undefined ? 'hard' : soft !== 'soft' ? null : dir === undefined ? 'soft' : dir === 'in' || dir === 'out' ? dir : null;
  if (who === undefined || how === null || args.length > 3) return ['% Command incomplete: clear ip bgp *|A.B.C.D [soft [in|out]]'];
  if (who === '*') {
    clearBgp(b, 'all', how);
    return [];
  }
  const addr = parseIpv4(who);
  if (addr === null) return ['% Command incomplete: clear ip bgp *|A.B.C.D [soft [in|out]]'];
  if (!b.peers.has(addr)) return [`% BGP: Unknown neighbor - "${who}"`];
  clearBgp(b, addr, how);
  return [];
}
