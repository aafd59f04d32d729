// vtysh's OSPFv3 view of ospf6d: `show ipv6 ospf6 neighbor` in FRR's layout (router id,
// priority, dead time, state/the neighbor's role, duration, interface[its state]).
// Reads the daemon record only. FRR ospf6d/ospf6_neighbor.c ospf6_neighbor_show.

import type { NodeDaemons } from '../../node/daemons';
import type { IfState, NbrState, Ospf6Iface, Ospf6Nbr } from '../../node/daemons/ospf6d-types';
import { formatIpv4 } from '../../wire/addr';
import type { CommandContext } from '../types';
import { zebraUptime } from './vtysh';

const NBR_STATE: Readonly<Record<NbrState, string>> = { Down: 'Down', Init: 'Init', '2-Way': 'Twoway', ExStart: 'ExStart', Exchange: 'ExChange', Loading: 'Loading', Full: 'Full' };
const IF_STATE: Readonly<Record<IfState, string>> = { Down: 'Down', Waiting: 'Waiting', 'Point-To-Point': 'PointToPoint', DROther: 'DROther', Backup: 'BDR', DR: 'DR' };

/** The neighbor's role as its own hellos declare it. */
function role(oi: Ospf6Iface, n: Ospf6Nbr): string {
  if (oi.p2p) return 'PointToPoint';
  return n.routerId === n.dr ? 'DR' : n.routerId === n.bdr ? 'BDR' : 'DROther';
}

export function showIpv6Ospf6Neighbor(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf6;
  if (o === null) return null;
  const now = ctx.world.sim.now();
  const row = (a: string, b: string, c: string, s: string, r: string, dur: string, i: string) => `${a.padEnd(15)} ${b.padStart(3)} ${c.padStart(11)} ${s.padStart(8)}/${r.padEnd(12)} ${dur.padStart(11)} ${i}`;
  const rows = [row('Neighbor ID', 'Pri', 'DeadTime', 'State', 'IfState', 'Duration', 'I/F[State]')];
  for (const oi of o.ifaces.values()) {
    for (const n of oi.nbrs.values()) {
      rows.push(row(formatIpv4(n.routerId), String(n.priority), zebraUptime(Math.max(0, n.deadNs - now)), NBR_STATE[n.state], role(oi, n), zebraUptime(now - n.sinceNs), `${oi.name}[${IF_STATE[oi.state]}]`));
    }
  }
  return rows;
}
