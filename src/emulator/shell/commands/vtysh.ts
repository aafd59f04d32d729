// `vtysh -c 'COMMAND'`: FRR's shell on a node that runs FRR. `show ip route` (zebra's
// view: codes legend, `R>* 10.0.8.0/24 [120/2] via 10.0.5.2, eth1, 00:01:23`),
// `show ip rip` (ripd's database), `show ip ospf …`, `show ip bgp [summary|neighbors]`, `show running-config`,
// `show route-map`, `show ip prefix-list`, `clear ip bgp …` (vtysh-policy.ts),
// interactive `vtysh` (vtysh-interactive.ts), and `configure terminal` followed
// by frr.conf statements (`-c 'conf t' -c 'router rip' -c 'network 10.0.0.0/8'`), which
// reconfigure the node's daemons from the extended text (ospfd, ospf6d and bgpd in place).
// Words may be abbreviated (`sh ip ro`).

import { syncDaemonProcs } from '../../node/daemons/daemon-procs';
import { ADMIN_DISTANCE } from '../../stack/rib';
import { routeList, type RouteInfo } from '../../stack/route';
import { formatCidr, formatIpv4 } from '../../wire/addr';
import { reconfigureDaemons, type NodeDaemons } from '../../node/daemons';
import type { RipRoute } from '../../node/daemons/rip-types';
import { showIpOspf, showIpOspfDatabase, showIpOspfInterface, showIpOspfNeighbor, showIpOspfRoute } from './vtysh-ospf';
import { showIpv6Ospf6Neighbor } from './vtysh-ospf6';
import { showIpv6Ripng, showIpv6Route } from './vtysh-ripng';
import { bgpMetric, showIpBgp, showIpBgpNeighbors, showIpBgpSummary } from './vtysh-bgp';
import { clearIpBgp, showAsPathAccessList, showCommunityList, showIpPrefixList, showRouteMap } from './vtysh-policy';
import { showRunning } from './vtysh-running';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { isConfigureTerminal, startInteractiveVtysh } from './vtysh-interactive';

const ROUTE_CODES = [
  'Codes: K - kernel route, C - connected, S - static, R - RIP,',
  '       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,',
  '       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,',
  '       f - OpenFabric,',
  '       > - selected route, * - FIB route, q - queued, r - rejected, b - backup',
  '       t - trapped, o - offload failure',
  '',
];

const CODE: Readonly<Record<string, string>> = { connected: 'C', static: 'S', kernel: 'K', rip: 'R', ospf: 'O', bgp: 'B' };

/** zebra's uptime: hh:mm:ss under a day, 1d02h03m under a week, then 01w2d03h. */
export function zebraUptime(ns: number): string {
  const s = Math.max(0, Math.floor(ns / 1e9));
  const p = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  if (s < 86400) return `${p(h)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
  const d = Math.floor(s / 86400);
  if (d < 7) return `${d}d${p(h % 24)}h${p(Math.floor(s / 60) % 60)}m`;
  return `${p(Math.floor(d / 7))}w${d % 7}d${p(h % 24)}h`;
}

/** The metric zebra holds for a protocol route: the daemon's (ripd's table); 0 for static routes. */
function metricOf(r: RouteInfo, d: NodeDaemons): number {
  if (r.kind === 'ospf') return d.ospf?.routes.get(r.dest * 64 + r.prefixLen)?.cost ?? 0;
  if (r.kind === 'bgp') return bgpMetric(d, r.dest, r.prefixLen);
  if (r.kind !== 'rip' || d.rip === null) return 0;
  for (const x of d.rip.routes.values()) if (x.dest === r.dest && x.prefixLen === r.prefixLen) return x.metric;
  return 0;
}

function routeLine(r: RouteInfo, nowNs: number, metric: number): string {
  const code = CODE[r.kind] ?? 'K';
  const fib = r.usable ? '>*' : '  ';
  const dest = formatCidr(r.dest, r.prefixLen);
  const age = zebraUptime(nowNs - r.installedNs);
  if (r.kind === 'connected') return `${code}${fib} ${dest} is directly connected, ${r.iface}${r.usable ? '' : ' inactive'}, ${age}`;
  const via = r.gateway === null ? `is directly connected, ${r.iface}` : `via ${formatIpv4(r.gateway)}, ${r.iface}`;
  return `${code}${fib} ${dest} [${ADMIN_DISTANCE[r.kind]}/${metric}] ${via}, ${age}`;
}

function showIpRoute(ctx: CommandContext, d: NodeDaemons): string[] {
  const now = ctx.world.sim.now();
  const rows: { dest: number; len: number; text: string }[] = [];
  for (const r of routeList(ctx.stack)) {
    if (r.kind === 'local' || r.iface === 'lo0') continue;
    rows.push({ dest: r.dest, len: r.prefixLen, text: routeLine(r, now, metricOf(r, d)) });
  }
  // RIP routes the table did not take (a better origin holds the prefix): known, not selected.
  for (const r of d.rip?.routes.values() ?? []) {
    if (r.type !== 'rip' || r.inGc) continue;
    const inTable = routeList(ctx.stack).some((x) => x.kind === 'rip' && x.dest === r.dest && x.prefixLen === r.prefixLen);
    if (!inTable) rows.push({ dest: r.dest, len: r.prefixLen, text: `R   ${formatCidr(r.dest, r.prefixLen)} [120/${r.metric}] via ${formatIpv4(r.nextHop)}, ${ctx.stack.ifaces[r.ifIndex].name}` });
  }
  rows.sort((a, b) => a.dest - b.dest || a.len - b.len);
  return [...ROUTE_CODES, ...rows.map((r) => r.text)];
}

const RIP_SUB: Readonly<Record<string, string>> = { rip: 'n' };

function ripLine(r: RipRoute, nowNs: number): string {
  const code = r.type === 'rip' ? 'R' : (CODE[r.type] ?? 'K');
  const sub = r.type === 'rip' ? RIP_SUB.rip : r.ofInterface ? 'i' : 'r';
  const head = `${code}(${sub}) ${formatCidr(r.dest, r.prefixLen)}`;
  const hop = r.nextHop !== 0 ? formatIpv4(r.nextHop) : '0.0.0.0';
  const mmss = () => {
    const s = Math.max(0, Math.ceil((r.timerNs - nowNs) / 1e9));
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  let tail: string;
  if (r.type === 'rip') tail = `${formatIpv4(r.from).padEnd(15)} ${String(r.tag).padStart(3)} ${mmss()}`;
  else if (r.inGc) tail = `self            ${String(r.tag).padStart(3)} ${mmss()}`;
  else tail = `self            ${String(r.tag).padStart(3)}`;
  return `${head.padEnd(24)}${hop.padEnd(20)} ${String(r.metric).padStart(2)} ${tail}`;
}

function showIpRip(ctx: CommandContext, d: NodeDaemons): string[] | null {
  if (d.rip === null) return null;
  const now = ctx.world.sim.now();
  const routes = [...d.rip.routes.values()].sort((a, b) => a.dest - b.dest || a.prefixLen - b.prefixLen);
  return [
    'Codes: R - RIP, C - connected, S - Static, O - OSPF, B - BGP',
    'Sub-codes:',
    '      (n) - normal, (s) - static, (d) - default, (r) - redistribute,',
    '      (i) - interface',
    '',
    '     Network            Next Hop         Metric From            Tag Time',
    ...routes.map((r) => ripLine(r, now)),
  ];
}

/** zebra's route types in their order (FRR lists redistributed sources in it, whatever the configuration's order). */
const ZEBRA_ROUTE_ORDER: readonly string[] = ['kernel', 'connected', 'static', 'rip', 'ripng', 'ospf', 'ospf6', 'bgp'];

/** FRR's `show ip rip status`: timers, redistribution, interfaces, networks and the neighbors heard. */
function showIpRipStatus(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const rip = d.rip;
  if (rip === null) return null;
  const now = ctx.world.sim.now();
  const c = rip.cfg;
  const secs = (ns: number) => Math.max(0, Math.round(ns / 1e9));
  const ifaces = [...rip.enabled].sort((a, b) => a - b).map((i) => ctx.stack.ifaces[i]);
  const passive = ifaces.filter((i) => c.passiveDefault || c.passive.has(i.name));
  const active = ifaces.filter((i) => !passive.includes(i));
  return [
    'Routing Protocol is "rip"',
    `  Sending updates every ${c.updateS} seconds with +/-50%, next due in ${secs(rip.updateNs - now)} seconds`,
    `  Timeout after ${c.timeoutS} seconds, garbage collect after ${c.garbageS} seconds`,
    '  Outgoing update filter list for all interface is not set',
    '  Incoming update filter list for all interface is not set',
    `  Default redistribution metric is ${c.defaultMetric}`,
    `  Redistributing:${[...c.redistribute.keys()].sort((a, b) => ZEBRA_ROUTE_ORDER.indexOf(a) - ZEBRA_ROUTE_ORDER.indexOf(b)).map((k) => ` ${k}`).join('')}`,
    '  Default version control: send version 2, receive any version ',
    '    Interface        Send  Recv   Key-chain',
    ...active.map((i) => `    ${i.name.padEnd(17)}2     1 2    `),
    '  Routing for Networks:',
    ...c.networks.map((n) => `    ${formatCidr(n.addr, n.prefixLen)}`),
    ...c.networkIfaces.map((n) => `    ${n}`),
    ...(passive.length ? ['  Passive Interface(s):', ...passive.map((i) => `    ${i.name}`)] : []),
    '  Routing Information Sources:',
    '    Gateway          BadPackets BadRoutes  Distance Last Update',
    ...[...rip.peers.values()].map((p) => `    ${formatIpv4(p.addr).padEnd(16)} ${String(p.badPackets).padStart(9)} ${String(p.badRoutes).padStart(9)} ${String(120).padStart(9)}   ${zebraUptime(now - p.lastNs)}`),
    '  Distance: (default is 120)',
  ];
}


type Show = (ctx: CommandContext, d: NodeDaemons, args: string[]) => string[] | null;
interface Command {
  words: string[];
  /** How many words may follow (a name, a neighbor); 0 when absent. */
  args?: number;
  run: Show;
}
const COMMANDS: Command[] = [
  { words: ['show', 'ip', 'route'], run: showIpRoute },
  { words: ['show', 'ip', 'rip'], run: showIpRip },
  { words: ['show', 'ip', 'rip', 'status'], run: showIpRipStatus },
  { words: ['show', 'ip', 'ospf'], run: showIpOspf },
  { words: ['show', 'ip', 'ospf', 'neighbor'], run: showIpOspfNeighbor },
  { words: ['show', 'ip', 'ospf', 'route'], run: showIpOspfRoute },
  { words: ['show', 'ip', 'ospf', 'interface'], run: showIpOspfInterface },
  { words: ['show', 'ip', 'ospf', 'database'], run: showIpOspfDatabase },
  { words: ['show', 'ipv6', 'route'], run: showIpv6Route },
  { words: ['show', 'ipv6', 'ripng'], run: showIpv6Ripng },
  { words: ['show', 'ip', 'bgp'], args: 1, run: showIpBgp },
  { words: ['show', 'ip', 'bgp', 'summary'], run: showIpBgpSummary },
  { words: ['show', 'ip', 'bgp', 'neighbors'], run: showIpBgpNeighbors },
  { words: ['show', 'ipv6', 'ospf6', 'neighbor'], run: showIpv6Ospf6Neighbor },
  { words: ['show', 'running-config'], run: showRunning },
  { words: ['show', 'route-map'], args: 1, run: showRouteMap },
  { words: ['show', 'ip', 'prefix-list'], args: 1, run: showIpPrefixList },
  { words: ['show', 'bgp', 'as-path-access-list'], run: showAsPathAccessList },
  { words: ['show', 'bgp', 'community-list'], run: showCommunityList },
  { words: ['clear', 'ip', 'bgp'], args: 3, run: clearIpBgp },
];

/**
 * FRR's command matching: every word a prefix of the command's word, one command only; a
 * word typed in full beats a longer one it abbreviates (`ip` is `ip`, not `ipv6`).
 */
function match(line: string): Command[] {
  const w = line.trim().split(/\s+/).filter(Boolean);
  const all = COMMANDS.filter((c) => w.length >= c.words.length && w.length <= c.words.length + (c.args ?? 0) && c.words.every((cw, k) => cw.startsWith(w[k]!)));
  // A keyword beats an argument (`show ip bgp sum` is the summary, not a prefix named "sum").
  const longest = Math.max(0, ...all.map((c) => c.words.length));
  const keyed = all.filter((c) => c.words.length === longest);
  const exact = (c: { words: string[] }) => c.words.filter((cw, k) => cw === w[k]).length;
  const best = Math.max(0, ...keyed.map(exact));
  return keyed.filter((c) => exact(c) === best);
}

function runOne(ctx: CommandContext, d: NodeDaemons, line: string): number {
  const m = match(line);
  if (m.length === 0) {
    ctx.lines([`% Unknown command: ${line.trim()}`]);
    return EXIT.FAILURE;
  }
  if (m.length > 1) {
    ctx.lines([`% Ambiguous command: ${line.trim()}`]);
    return EXIT.FAILURE;
  }
  const out = m[0].run(ctx, d, line.trim().split(/\s+/).slice(m[0].words.length));
  if (out === null) {
    ctx.lines([`% ${m[0].words.slice(1).join(' ')}: the daemon is not running`]);
    return EXIT.FAILURE;
  }
  ctx.lines(out);
  return EXIT.OK;
}

function run(ctx: CommandContext, args: string[]): number | Job {
  const cmds: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' && args[i + 1] !== undefined) cmds.push(args[++i]);
    else if (args[i].startsWith('-c') && args[i].length > 2) cmds.push(args[i].slice(2));
    else {
      ctx.lines([`vtysh: unknown option ${args[i]}`, "usage: vtysh -c 'COMMAND' [-c 'COMMAND']…"]);
      return EXIT.USAGE;
    }
  }
  const d = ctx.node.daemons;
  if (d === undefined) {
    ctx.lines(['Exiting: failed to connect to any daemons.']);
    return EXIT.FAILURE;
  }
  if (cmds.length === 0) return startInteractiveVtysh(ctx, (c, line) => runOne(c, c.node.daemons ?? d, line));
  let status: number = EXIT.OK;
  let daemons = d;
  let config: string[] | null = null; // statements after `configure terminal`
  const apply = () => {
    if (config !== null && config.length > 0) {
      daemons = reconfigureDaemons(ctx.stack, daemons, config, (m) => ctx.lines([`% ${m}`]));
      ctx.node.daemons = daemons;
      syncDaemonProcs(ctx.node, ctx.world.sim.now());
    }
    config = null;
  };
  for (const c of cmds) {
    if (config === null && isConfigureTerminal(c)) {
      config = [];
      continue;
    }
    if (config !== null) {
      if (c.trim() === 'end') apply();
      else if (!/^(write|do )/.test(c.trim())) config.push(c);
      continue;
    }
    status = runOne(ctx, daemons, c) || status;
  }
  apply();
  return status;
}

export const vtyshCommand: CommandSpec = {
  name: 'vtysh',
  summary: "FRR's shell: vtysh (interactive) | vtysh -c 'show ip route' | 'show ip rip' | 'show ip ospf [neighbor|interface|database|route]' | 'show ipv6 ospf6 neighbor' | 'show ip bgp [summary|neighbors|A.B.C.D/M]' | 'show route-map' | 'show ip prefix-list' | 'clear ip bgp *|A.B.C.D [soft [in|out]]' | 'show running-config' | 'conf t' -c STATEMENT…",
  needsStack: true,
  run,
};
