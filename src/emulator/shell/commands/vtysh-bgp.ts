// vtysh's BGP views of bgpd in FRR's layout: `show ip bgp` (the BGP table with status
// codes, next hop, metric, local preference, weight and path), `show ip bgp summary` (one
// line per neighbor: messages, up/down, state or prefixes received) and `show ip bgp
// neighbors` (session, timers, capabilities, message statistics). Reads the daemon record only.

import type { NodeDaemons } from '../../node/daemons';
import { countersTotal, type BgpDaemon, type BgpPath, type BgpPeer } from '../../node/daemons/bgpd-types';
import { acceptedPaths, comparePaths } from '../../node/daemons/bgpd-rib';
import { missingPolicy } from '../../node/daemons/bgpd-policy';
import { formatCommunity, COMMUNITY } from '../../node/daemons/frr-conf-policy';
import { prefixKey } from '../../node/daemons/bgpd-types';
import { parseCidr } from '../../wire/addr';
import { BGP_ORIGIN, formatAsPath } from '../../wire/bgp';
import { formatCidr, formatIpv4 } from '../../wire/addr';
import type { CommandContext } from '../types';
import { zebraUptime } from './vtysh';

const ORIGIN_CODE: Readonly<Record<number, string>> = { [BGP_ORIGIN.IGP]: 'i', [BGP_ORIGIN.EGP]: 'e', [BGP_ORIGIN.INCOMPLETE]: '?' };

function pathLine(p: BgpPath, best: boolean, first: boolean): string {
  const status = `*${best ? '>' : ' '}${p.from?.ibgp ? 'i' : ' '}`;
  const net = first ? formatCidr(p.dest, p.prefixLen) : '';
  const hop = p.from === null ? '0.0.0.0' : formatIpv4(p.nextHop);
  const metric = p.med === null ? '' : String(p.med);
  const lp = p.localPref === null ? '' : String(p.localPref);
  const path = formatAsPath(p.asPath);
  const net17 = net.length > 16 ? `${net}\n${' '.repeat(20)}` : net.padEnd(17);
  return `${status}${net17}${hop.padEnd(20)}${metric.padStart(6)} ${lp.padStart(6)} ${String(p.weight).padStart(6)} ${path}${path ? ' ' : ''}${ORIGIN_CODE[p.origin] ?? '?'}`;
}

export function showIpBgp(_ctx: CommandContext, d: NodeDaemons, args: string[] = []): string[] | null {
  const b = d.bgp;
  if (b === null) return null;
  if (args[0] !== undefined) return showIpBgpPrefix(b, args[0]);
  const rows: string[] = [];
  const byPrefix = new Map<number, BgpPath[]>();
  const add = (k: number, p: BgpPath) => byPrefix.set(k, [...(byPrefix.get(k) ?? []), p]);
  for (const [k, p] of b.local) add(k, p);
  // What passed inbound policy, with the attributes it set (as FRR's table holds them).
  for (const peer of b.peers.values()) for (const [k, p] of acceptedPaths(b, peer)) add(k, p);
  let paths = 0;
  for (const k of [...byPrefix.keys()].sort((x, y) => x - y)) {
    const list = byPrefix.get(k)!;
    const best = b.best.get(k)?.path;
    list.sort((x, y) => (x === best ? -1 : y === best ? 1 : 0));
    list.forEach((p, i) => rows.push(pathLine(p, p === best, i === 0)));
    paths += list.length;
  }
  if (rows.length === 0) return ['No BGP prefixes displayed, 0 exist'];
  return [
    `BGP table version is ${b.tableVersion}, local router ID is ${formatIpv4(b.routerId)}, vrf id 0`,
    `Default local pref 100, local AS ${b.cfg.asn}`,
    'Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,',
    '               i internal, r RIB-failure, S Stale, R Removed',
    'Nexthop codes: @NNN nexthop\'s vrf id, < announce-nh-self',
    'Origin codes:  i - IGP, e - EGP, ? - incomplete',
    'RPKI validation codes: V valid, I invalid, N Not found',
    '',
    '   Network          Next Hop            Metric LocPrf Weight Path',
    ...rows,
    '',
    `Displayed  ${byPrefix.size} routes and ${paths} total paths`,
  ];
}

const ORIGIN_NAME: Readonly<Record<number, string>> = { [BGP_ORIGIN.IGP]: 'IGP', [BGP_ORIGIN.EGP]: 'EGP', [BGP_ORIGIN.INCOMPLETE]: 'incomplete' };

/**
 * `show ip bgp A.B.C.D/M`: every path of the prefix in FRR's detail layout, with where it
 * is advertised, its origin, metric, local preference, weight, validity, kind and
 * communities. (FRR's `Last update` wall-clock line is left out: time here is virtual.)
 */
function showIpBgpPrefix(b: BgpDaemon, arg: string): string[] {
  const c = parseCidr(arg.includes('/') ? arg : `${arg}/32`);
  if (c === null) return [`% Malformed prefix ${arg}`];
  const k = prefixKey(c.addr, c.prefixLen);
  const paths: BgpPath[] = [];
  const local = b.local.get(k);
  if (local !== undefined) paths.push(local);
  for (const peer of b.peers.values()) {
    const p = acceptedPaths(b, peer).get(k);
    if (p !== undefined) paths.push(p);
  }
  if (paths.length === 0) return ['% Network not in table'];
  const best = b.best.get(k)?.path;
  // FRR moves the best path to the head of the prefix's list.
  paths.sort((x, y) => (x === best ? -1 : y === best ? 1 : 0));
  const bestAt = paths.indexOf(best!);
  // FRR names the step that chose the best path; against the runner-up here.
  const others = paths.filter((p) => p !== best);
  const runnerUp = others.reduce<BgpPath | null>((r, p) => (r === null || comparePaths(p, null, r, null, b)[0] ? p : r), null);
  const reason = runnerUp === null || best === undefined ? 'First path received' : comparePaths(best, null, runnerUp, null, b)[1];
  const cs = best?.communities ?? [];
  const scope = cs.includes(COMMUNITY.NO_ADVERTISE) ? ', not advertised to any peer' : cs.includes(COMMUNITY.NO_EXPORT) || cs.includes(COMMUNITY.LOCAL_AS) ? ', not advertised to EBGP peer' : '';
  const to = [...b.peers.values()].filter((p) => p.adjOut.has(k)).sort((x, y) => (x.addr >>> 0) - (y.addr >>> 0)).map((p) => formatIpv4(p.addr));
  const out = [
    `BGP routing table entry for ${formatCidr(c.addr, c.prefixLen)}, version ${b.best.get(k)?.version ?? 0}`,
    `Paths: (${paths.length} available${bestAt >= 0 ? `, best #${bestAt + 1}` : ', no best path'}, table default${scope})`,
    ...(to.length > 0 ? ['  Advertised to non peer-group peers:', `  ${to.join(' ')}`] : ['  Not advertised to any peer']),
  ];
  for (const p of paths) {
    const from = p.from;
    const kind = from === null ? 'sourced, local' : from.ibgp ? 'internal' : 'external';
    const attrs = [`Origin ${ORIGIN_NAME[p.origin] ?? 'incomplete'}`, ...(p.med !== null ? [`metric ${p.med}`] : []), ...(p.localPref !== null ? [`localpref ${p.localPref}`] : []), ...(p.weight !== 0 ? [`weight ${p.weight}`] : []), 'valid', kind, ...(p === best ? [`best (${reason})`] : [])];
    out.push(
      `  ${from === null ? 'Local' : formatAsPath(p.asPath) || 'Local'}`,
      from === null ? `    0.0.0.0 from 0.0.0.0 (${formatIpv4(b.routerId)})` : `    ${formatIpv4(p.nextHop)} from ${formatIpv4(from.addr)} (${formatIpv4(from.remoteId)})`,
      `      ${attrs.join(', ')}`,
      ...(p.communities !== null && p.communities.length > 0 ? [`      Community: ${p.communities.map(formatCommunity).join(' ')}`] : []),
    );
  }
  return out;
}

/** What the State/PfxRcd column shows: the prefix count once Established, else the state. */
function stateColumn(b: BgpDaemon, p: BgpPeer): string {
  if (p.shutdown) return 'Idle (Admin)';
  if (p.state !== 'Established') return p.state;
  if (missingPolicy(b, p, 'in')) return '(Policy)';
  return String(acceptedPaths(b, p).size);
}

export function showIpBgpSummary(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const b = d.bgp;
  if (b === null) return null;
  const now = ctx.world.sim.now();
  const peers = [...b.peers.values()].sort((x, y) => (x.addr >>> 0) - (y.addr >>> 0));
  const rows = peers.map((p) => {
    const up = p.established !== null ? zebraUptime(now - p.upSinceNs) : p.lastResetNs === 0 ? 'never' : zebraUptime(now - p.lastResetNs);
    const sent = p.state !== 'Established' ? '0' : missingPolicy(b, p, 'out') ? '(Policy)' : String(p.adjOut.size);
    return `${formatIpv4(p.addr).padEnd(15)} 4 ${String(p.remoteAs).padStart(10)} ${String(countersTotal(p.rcvd)).padStart(9)} ${String(countersTotal(p.sent)).padStart(9)} ${String(b.tableVersion).padStart(8)} ${'0'.padStart(4)} ${String(p.established?.txq.length ?? 0).padStart(4)} ${up.padStart(8)} ${stateColumn(b, p).padStart(12)} ${sent.padStart(8)} N/A`;
  });
  return [
    '',
    'IPv4 Unicast Summary (VRF default):',
    `BGP router identifier ${formatIpv4(b.routerId)}, local AS number ${b.cfg.asn} vrf-id 0`,
    `BGP table version ${b.tableVersion}`,
    `RIB entries ${b.best.size}, using ${b.best.size * 184} bytes of memory`,
    `Peers ${peers.length}, using ${peers.length * 723} KiB of memory`,
    '',
    'Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc',
    ...rows,
    '',
    `Total number of neighbors ${peers.length}`,
  ];
}

export function showIpBgpNeighbors(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const b = d.bgp;
  if (b === null) return null;
  const now = ctx.world.sim.now();
  const out: string[] = [];
  const ago = (ns: number) => (ns === 0 ? 'never' : zebraUptime(now - ns));
  for (const p of [...b.peers.values()].sort((x, y) => (x.addr >>> 0) - (y.addr >>> 0))) {
    const up = p.established !== null;
    const stat = (name: string, s: number, r: number) => `    ${name.padEnd(21)}${String(s).padStart(4)}       ${String(r).padStart(4)}`;
    out.push(
      `BGP neighbor is ${formatIpv4(p.addr)}, remote AS ${p.remoteAs}, local AS ${b.cfg.asn}, ${p.ibgp ? 'internal' : 'external'} link`,
      `  BGP version 4, remote router ID ${formatIpv4(p.remoteId)}, local router ID ${formatIpv4(b.routerId)}`,
      `  BGP state = ${p.state}${up ? `, up for ${zebraUptime(now - p.upSinceNs)}` : ''}`,
      `  Last read ${ago(p.lastReadNs)}, Last write ${ago(p.lastWriteNs)}`,
      `  Hold time is ${up ? p.holdS : p.cfgHoldS}, keepalive interval is ${up ? p.keepaliveS : p.cfgKeepaliveS} seconds`,
      ...(up ? ['  Neighbor capabilities:', '    4 Byte AS: advertised and received', '    Route refresh: advertised and received(new)', '    Address Family IPv4 Unicast: advertised and received'] : []),
      '  Message statistics:',
      '    Inq depth is 0',
      `    Outq depth is ${p.established?.txq.length ?? 0}`,
      '                         Sent       Rcvd',
      stat('Opens:', p.sent.opens, p.rcvd.opens),
      stat('Notifications:', p.sent.notifications, p.rcvd.notifications),
      stat('Updates:', p.sent.updates, p.rcvd.updates),
      stat('Keepalives:', p.sent.keepalives, p.rcvd.keepalives),
      stat('Route Refresh:', p.sent.other, p.rcvd.other),
      stat('Capability:', 0, 0),
      stat('Total:', countersTotal(p.sent), countersTotal(p.rcvd)),
      '  Minimum time between advertisement runs is 0 seconds',
      '',
      ' For address family: IPv4 Unicast',
      ...(missingPolicy(b, p, 'in') ? ['  Inbound updates discarded due to missing policy'] : []),
      ...(missingPolicy(b, p, 'out') ? ['  Outbound updates discarded due to missing policy'] : []),
      ...policyLines(p),
      `  ${acceptedPaths(b, p).size} accepted prefixes`,
      '',
      `  Connections established ${p.establishedCount}; dropped ${p.droppedCount}`,
      `  Last reset ${ago(p.lastResetNs)},  ${p.lastReset}`,
      ...(up
        ? [`Local host: ${formatIpv4(p.localAddr)}, Local port: ${p.localPort}`, `Foreign host: ${formatIpv4(p.addr)}, Foreign port: ${p.remotePort}`, `Nexthop: ${formatIpv4(p.localAddr)}`]
        : []),
      'BGP Connect Retry Timer in Seconds: 120',
      '',
    );
  }
  return out;
}

/** FRR's per-neighbor policy lines (`Route map for incoming advertisements is *RM`). */
function policyLines(p: BgpPeer): string[] {
  const q = p.policy;
  const out: string[] = [];
  if (q.prefixListIn !== null) out.push(`  Incoming update prefix filter list is *${q.prefixListIn}`);
  if (q.prefixListOut !== null) out.push(`  Outgoing update prefix filter list is *${q.prefixListOut}`);
  if (q.filterListIn !== null) out.push(`  Incoming update AS path filter list is *${q.filterListIn}`);
  if (q.filterListOut !== null) out.push(`  Outgoing update AS path filter list is *${q.filterListOut}`);
  if (q.routeMapIn !== null) out.push(`  Route map for incoming advertisements is *${q.routeMapIn}`);
  if (q.routeMapOut !== null) out.push(`  Route map for outgoing advertisements is *${q.routeMapOut}`);
  return out;
}

/** The metric zebra shows for a BGP route: the best path's MED. */
export function bgpMetric(d: NodeDaemons, dest: number, prefixLen: number): number {
  return d.bgp?.best.get(dest * 64 + prefixLen)?.path.med ?? 0;
}
