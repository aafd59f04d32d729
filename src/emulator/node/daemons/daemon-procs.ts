// The routing daemons as programs of their node (ps, kill, killall): each running daemon
// has one entry under FRR's program name, kept while it runs whatever reconfigures it,
// and killing it stops that daemon alone (its routes leave the table, as zebra removes a
// dead client's). zebra is not listed: it is not a program VirtNet runs on its own.

import { endProc, newProc, ownUdp, procList, runProc, type NodeProcs, type Proc } from '../procs';
import type { NetStack } from '../../stack/types';
import { RIP_PORT } from '../../wire/rip';
import { RIPNG_PORT } from '../../wire/ripng';
import { stopBgp } from './bgpd';
import type { NodeDaemons } from './index';
import { stopOspf } from './ospfd';
import { stopOspf6 } from './ospf6d';
import { stopRip } from './rip';
import { stopRipng } from './ripngd';

interface DaemonNode {
  daemons?: NodeDaemons;
  procs?: NodeProcs;
  readonly stack: NetStack | null;
}

/** FRR's program of each daemon of NodeDaemons. */
const PROGRAMS = [
  ['ripd', 'rip'],
  ['ripngd', 'ripng'],
  ['ospfd', 'ospf'],
  ['ospf6d', 'ospf6'],
  ['bgpd', 'bgp'],
] as const;

type Field = (typeof PROGRAMS)[number][1];

/** Makes the node's process table list exactly the daemons that run (after a start or a reconfiguration). */
export function syncDaemonProcs(node: DaemonNode, nowNs: number): void {
  const d = node.daemons;
  for (const [name, field] of PROGRAMS) {
    const listed = procList(node).find((p) => p.name === name);
    const daemon = d?.[field] ?? null;
    if (daemon === null) {
      endProc(node, listed);
      continue;
    }
    // bgpd made its entry at start, so its sockets are its own from the first one (a new
    // instance, after a new AS or router id, brings a new entry).
    const own = field === 'bgp' ? d!.bgp!.proc : null;
    if (listed !== undefined && (own === null || listed === own)) continue;
    endProc(node, listed);
    const p: Proc = own ?? newProc(name, `${name} -d`, null);
    if (!runProc(node, p, nowNs, () => killDaemon(node, field, p))) continue;
    if (field === 'rip') ownUdp(node, 4, RIP_PORT, p);
    else if (field === 'ripng') ownUdp(node, 6, RIPNG_PORT, p);
  }
}

function killDaemon(node: DaemonNode, field: Field, p: Proc): void {
  endProc(node, p);
  const d = node.daemons;
  if (d === undefined) return;
  if (field === 'rip' && d.rip) stopRip(d.rip);
  else if (field === 'ripng' && d.ripng) stopRipng(d.ripng);
  else if (field === 'ospf' && d.ospf) stopOspf(d.ospf);
  else if (field === 'ospf6' && d.ospf6) stopOspf6(d.ospf6);
  else if (field === 'bgp' && d.bgp) stopBgp(d.bgp);
  d[field] = null;
}
