// vtysh's OSPF views of ospfd: `show ip ospf neighbor` (state/role, dead time, queue
// lengths), `show ip ospf interface` (DR/BDR, cost, timers) and `show ip ospf database`
// (the LSDB by type), in FRR's layout. Reads the daemon record only.

import type { NodeDaemons } from '../../node/daemons';
import { S, type OspfDaemon, type OspfIface, type OspfNbr } from '../../node/daemons/ospfd-types';
import { formatIpv4 } from '../../wire/addr';
import { LSA_TYPE } from '../../wire/ospf';
import type { CommandContext } from '../types';

function role(oi: OspfIface, n: OspfNbr): string {
  if (oi.p2p) return '-';
  return n.addr === oi.dr ? 'DR' : n.addr === oi.bdr ? 'Backup' : 'DROther';
}

export function showIpOspfNeighbor(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf;
  if (o === null) return null;
  const now = ctx.world.sim.now();
  const rows = ['', 'Neighbor ID     Pri State           Dead Time Address         Interface                        RXmtL RqstL DBsmL'];
  for (const oi of o.ifaces.values()) {
    for (const n of oi.nbrs.values()) {
      const dead = `${((n.deadNs - now) / S).toFixed(3)}s`;
      const iface = `${oi.name}:${formatIpv4(oi.addr)}`;
      rows.push(`${formatIpv4(n.routerId).padEnd(15)} ${String(n.priority).padStart(3)} ${`${n.state}/${role(oi, n)}`.padEnd(15)} ${dead.padStart(9)} ${formatIpv4(n.addr).padEnd(15)} ${iface.padEnd(32)} ${String(n.rxmt.size).padStart(5)} ${String(n.requests.size).padStart(5)} ${String(n.summary.length).padStart(5)}`);
    }
  }
  rows.push('');
  return rows;
}

export function showIpOspfInterface(_ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf;
  if (o === null) return null;
  const out: string[] = [];
  for (const oi of o.ifaces.values()) {
    const state = oi.state === 'Backup' ? 'Backup' : oi.state;
    out.push(
      `${oi.name} is up`,
      `  Internet Address ${formatIpv4(oi.addr)}/${oi.prefixLen}, Area 0.0.0.0`,
      `  Router ID ${formatIpv4(o.routerId)}, Network Type ${oi.p2p ? 'POINTOPOINT' : 'BROADCAST'}, Cost: ${oi.cost}`,
      `  Transmit Delay is 1 sec, State ${state}, Priority ${oi.priority}`,
      `  Designated Router (ID) ${drId(o, oi, oi.dr)} Interface Address ${formatIpv4(oi.dr)}`,
      `  Backup Designated Router (ID) ${drId(o, oi, oi.bdr)}, Interface Address ${formatIpv4(oi.bdr)}`,
      `  Timer intervals configured, Hello ${oi.helloS}s, Dead ${oi.deadS}s, Wait ${oi.deadS}s, Retransmit 5`,
      ...(oi.passive ? ['  No Hellos (Passive interface)'] : []),
      `  Neighbor Count is ${oi.nbrs.size}, Adjacent neighbor count is ${[...oi.nbrs.values()].filter((n) => n.state === 'Full').length}`,
    );
  }
  return out;
}

function drId(o: OspfDaemon, oi: OspfIface, addr: number): string {
  if (addr === 0) return '0.0.0.0';
  if (addr === oi.addr) return formatIpv4(o.routerId);
  return formatIpv4(oi.nbrs.get(addr)?.routerId ?? 0);
}

const TITLES: [number, string][] = [
  [LSA_TYPE.ROUTER, 'Router Link States (Area 0.0.0.0)'],
  [LSA_TYPE.NETWORK, 'Net Link States (Area 0.0.0.0)'],
  [LSA_TYPE.EXTERNAL, 'AS External Link States'],
];

export function showIpOspfDatabase(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf;
  if (o === null) return null;
  const now = ctx.world.sim.now();
  const out = ['', `       OSPF Router with ID (${formatIpv4(o.routerId)})`, ''];
  for (const [type, title] of TITLES) {
    const lsas = [...o.lsdb.values()].filter((l) => l.hdr.type === type).sort((a, b) => a.hdr.id - b.hdr.id || a.hdr.adv - b.hdr.adv);
    if (lsas.length === 0) continue;
    out.push(`                ${title}`, '', 'Link ID         ADV Router      Age  Seq#       CkSum');
    for (const l of lsas) {
      const age = Math.min(3600, l.hdr.age + Math.floor((now - l.installedNs) / S));
      out.push(`${formatIpv4(l.hdr.id).padEnd(15)} ${formatIpv4(l.hdr.adv).padEnd(15)} ${String(age).padStart(4)} 0x${(l.hdr.seq >>> 0).toString(16).padStart(8, '0')} 0x${l.hdr.checksum.toString(16).padStart(4, '0')}`);
    }
    out.push('');
  }
  return out;
}
