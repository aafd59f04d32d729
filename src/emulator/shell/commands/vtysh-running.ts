// `show running-config` as FRR prints it: the configuration in force, not the statements
// typed. BGP and routing policy (`router bgp`, `ip prefix-list`, `bgp as-path access-list`,
// `route-map`) are written from what bgpd runs, so `no neighbor …` typed in `configure
// terminal` leaves no trace; the other sections are shown as their text. Reads only.

import type { NodeDaemons } from '../../node/daemons';
import type { BgpConfig, BgpNeighborConf } from '../../node/daemons/frr-conf-bgp';
import { formatCommunity, formatMatch, formatSet, type CommunityEntry, type PolicyConfig } from '../../node/daemons/frr-conf-policy';
import { formatCidr, formatIpv4 } from '../../wire/addr';

function neighborLines(name: string, n: BgpNeighborConf, af: boolean): string[] {
  if (!af) {
    return [
      ...(n.remoteAs !== null ? [` neighbor ${name} remote-as ${n.remoteAs}`] : []),
      ...(n.peerGroup !== null ? [` neighbor ${name} peer-group ${n.peerGroup}`] : []),
      ...(n.shutdown ? [` neighbor ${name} shutdown`] : []),
      ...(n.updateSource !== null ? [` neighbor ${name} update-source ${n.updateSource.name}`] : []),
      ...(n.timers !== null ? [` neighbor ${name} timers ${n.timers.keepaliveS} ${n.timers.holdS}`] : []),
    ];
  }
  const p = n.policy;
  return [
    ...(n.nextHopSelf ? [`  neighbor ${name} next-hop-self`] : []),
    ...(n.weight !== 0 ? [`  neighbor ${name} weight ${n.weight}`] : []),
    ...(p.filterListIn !== null ? [`  neighbor ${name} filter-list ${p.filterListIn} in`] : []),
    ...(p.filterListOut !== null ? [`  neighbor ${name} filter-list ${p.filterListOut} out`] : []),
    ...(p.prefixListIn !== null ? [`  neighbor ${name} prefix-list ${p.prefixListIn} in`] : []),
    ...(p.prefixListOut !== null ? [`  neighbor ${name} prefix-list ${p.prefixListOut} out`] : []),
    ...(p.routeMapIn !== null ? [`  neighbor ${name} route-map ${p.routeMapIn} in`] : []),
    ...(p.routeMapOut !== null ? [`  neighbor ${name} route-map ${p.routeMapOut} out`] : []),
  ];
}

export function bgpRunning(b: BgpConfig): string[] {
  const groups = [...b.peerGroups].map(([name, n]) => [name, n] as const);
  const peers = [...b.neighbors].sort(([x], [y]) => (x >>> 0) - (y >>> 0)).map(([a, n]) => [formatIpv4(a), n] as const);
  const all = [...groups, ...peers];
  const af = [
    ...b.networks.map((n) => `  network ${formatCidr(n.addr, n.prefixLen)}${n.routeMap !== undefined ? ` route-map ${n.routeMap}` : ''}`),
    ...[...b.redistribute].map(([src, metric]) => `  redistribute ${src}${metric !== null ? ` metric ${metric}` : ''}${b.redistributeRouteMap.has(src) ? ` route-map ${b.redistributeRouteMap.get(src)}` : ''}`),
    ...all.flatMap(([name, n]) => neighborLines(name, n, true)),
  ];
  return [
    `router bgp ${b.asn}`,
    ...(b.routerId !== null ? [` bgp router-id ${formatIpv4(b.routerId)}`] : []),
    ...(b.ebgpRequiresPolicy ? [] : [' no bgp ebgp-requires-policy']),
    ...(b.compareRouterId ? [' bgp bestpath compare-routerid'] : []),
    ...(b.keepaliveS !== 60 || b.holdS !== 180 ? [` timers bgp ${b.keepaliveS} ${b.holdS}`] : []),
    ...groups.map(([name]) => ` neighbor ${name} peer-group`),
    ...all.flatMap(([name, n]) => neighborLines(name, n, false)),
    ...(af.length > 0 ? [' !', ' address-family ipv4 unicast', ...af, ' exit-address-family'] : []),
    'exit',
    '!',
  ];
}

export function communityText(e: CommunityEntry): string {
  return [...(e.any ? ['internet'] : []), ...e.values.map(formatCommunity)].join(' ');
}

export function policyRunning(p: PolicyConfig): string[] {
  const out: string[] = [];
  const block = (lines: string[]) => lines.length > 0 && out.push(...lines, '!');
  block([...p.asPathLists].flatMap(([name, list]) => list.map((e) => `bgp as-path access-list ${name} seq ${e.seq} ${e.permit ? 'permit' : 'deny'} ${e.source}`)));
  block([...p.communityLists].flatMap(([name, list]) => list.map((e) => `bgp community-list standard ${name} seq ${e.seq} ${e.permit ? 'permit' : 'deny'} ${communityText(e)}`)));
  block([...p.prefixLists].flatMap(([name, list]) => list.map((e) => `ip prefix-list ${name} seq ${e.seq} ${e.permit ? 'permit' : 'deny'} ${e.any ? 'any' : `${formatCidr(e.addr, e.prefixLen)}${e.ge !== null ? ` ge ${e.ge}` : ''}${e.le !== null ? ` le ${e.le}` : ''}`}`)));
  for (const [name, entries] of p.routeMaps) {
    for (const e of entries) block([`route-map ${name} ${e.permit ? 'permit' : 'deny'} ${e.seq}`, ...e.matches.map((m) => ` match ${formatMatch(m)}`), ...e.sets.map((s) => ` set ${formatSet(s)}`), 'exit']);
  }
  return out;
}

/** FRR's `show running-config`: the text's other sections, then bgpd's and the policy's from the model. */
export function showRunning(_ctx: unknown, d: NodeDaemons): string[] {
  const model = d.config.modelLines;
  const body: string[] = [];
  d.text.split('\n').forEach((l, k) => {
    if (model.has(k + 1)) return;
    const t = l.trim();
    if (t === '' && k === d.text.split('\n').length - 1) return;
    if (t === '!' && body[body.length - 1]?.trim() === '!') return; // what was between two `!` went to the model
    body.push(l);
  });
  if (body.length > 0 && body[body.length - 1]?.trim() !== '!') body.push('!');
  const bgp = d.config.bgp === null ? [] : bgpRunning(d.config.bgp);
  return ['Building configuration...', '', 'Current configuration:', '!', 'frr defaults traditional', ...body, ...bgp, ...policyRunning(d.config.policy), 'end'];
}
