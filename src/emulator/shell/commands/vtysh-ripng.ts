// vtysh's IPv6 views: `show ipv6 route` (zebra's IPv6 table with FRR's codes, e.g.
// `R>* fc00:2::/64 [120/2] via fe80::4000:aaff:fe00:3, eth1, 00:00:55`) and
// `show ipv6 ripng` (ripngd's database, FRR's two-line rows). Reads only; prints FRR's format.

import type { NodeDaemons } from '../../node/daemons';
import type { RipngRoute } from '../../node/daemons/ripngd-types';
import { ROUTE6_DISTANCE, route6List } from '../../stack/route6';
import { formatIpv6 } from '../../wire/ipv6-addr';
import type { CommandContext } from '../types';
import { zebraUptime } from './vtysh';

const ROUTE6_CODES = [
  'Codes: K - kernel route, C - connected, S - static, R - RIPng,',
  '       O - OSPFv3, I - IS-IS, B - BGP, N - NHRP, T - Table,',
  '       v - VNC, V - VNC-Direct, A - Babel, F - PBR,',
  '       f - OpenFabric,',
  '       > - selected route, * - FIB route, q - queued, r - rejected, b - backup',
  '       t - trapped, o - offload failure',
  '',
];

const CODE6: Readonly<Record<string, string>> = { connected: 'C', static: 'S', ripng: 'R', ospf6: 'O', ra: 'K' };

function ripngMetric(d: NodeDaemons, dest: Uint8Array, len: number): number {
  const text = `${formatIpv6(dest)}/${len}`;
  for (const r of d.ripng?.routes.values() ?? []) if (r.prefixLen === len && `${formatIpv6(r.prefix)}/${len}` === text) return r.metric;
  return 0;
}

export function showIpv6Route(ctx: CommandContext, d: NodeDaemons): string[] {
  const now = ctx.world.sim.now();
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const r of route6List(ctx.stack)) {
    if (r.kind === 'local' || r.iface === 'lo0' || r.prefixLen === 128) continue;
    const dest = `${formatIpv6(r.dest)}/${r.prefixLen}`;
    // Several routes of one prefix: the first (best distance) is the selected one.
    const best = !seen.has(dest);
    seen.add(dest);
    const code = CODE6[r.kind] ?? 'K';
    const fib = best ? '>*' : '  ';
    const age = zebraUptime(now - r.installedNs);
    if (r.gateway === null) rows.push(`${code}${fib} ${dest} is directly connected, ${r.iface}, ${age}`);
    else {
      const metric = r.kind === 'ripng' ? ripngMetric(d, r.dest, r.prefixLen) : r.kind === 'ospf6' ? (d.ospf6?.routes.get(dest)?.cost ?? 0) : 0;
      rows.push(`${code}${fib} ${dest} [${ROUTE6_DISTANCE[r.kind as keyof typeof ROUTE6_DISTANCE] ?? 0}/${metric}] via ${formatIpv6(r.gateway)}, ${r.iface}, ${age}`);
    }
  }
  return [...ROUTE6_CODES, ...rows];
}

function ripngRow(ctx: CommandContext, r: RipngRoute, nowNs: number): string[] {
  const code = r.type === 'ripng' ? 'R(n)' : `${r.type === 'static' ? 'S' : r.type === 'ospf6' ? 'O' : 'C'}(${r.ofInterface ? 'i' : 'r'})`;
  const hop = r.nextHop === null ? '::' : formatIpv6(r.nextHop);
  const via = r.type === 'ripng' ? ctx.stack.ifaces[r.ifIndex].name : 'self';
  const left = Math.max(0, Math.ceil((r.timerNs - nowNs) / 1e9));
  const time = r.timerNs === 0 ? '' : `${String(Math.floor(left / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
  return [`${code} ${formatIpv6(r.prefix)}/${r.prefixLen}`, `${' '.repeat(22)}${hop.padEnd(27)} ${via.padEnd(6)} ${String(r.metric).padStart(4)} ${String(r.tag).padStart(4)} ${time}`.trimEnd()];
}

export function showIpv6Ripng(ctx: CommandContext, d: NodeDaemons): string[] | null {
  if (d.ripng === null) return null;
  const now = ctx.world.sim.now();
  const routes = [...d.ripng.routes.values()].sort((a, b) => {
    for (let i = 0; i < 16; i++) if (a.prefix[i] !== b.prefix[i]) return a.prefix[i] - b.prefix[i];
    return a.prefixLen - b.prefixLen;
  });
  return [
    'Codes: R - RIPng, C - connected, S - Static, O - OSPF, B - BGP',
    'Sub-codes:',
    '      (n) - normal, (s) - static, (d) - default, (r) - redistribute,',
    '      (i) - interface, (a/S) - aggregated/Suppressed',
    '',
    '   Network      Next Hop                      Via     Metric Tag Time',
    ...routes.flatMap((r) => ripngRow(ctx, r, now)),
  ];
}
