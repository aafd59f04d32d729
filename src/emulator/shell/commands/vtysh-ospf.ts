// vtysh's OSPF views of ospfd: `show ip ospf` (the process, ABR/ASBR, each area),
// `show ip ospf neighbor` (state/role, dead time, queue lengths), `show ip ospf interface`
// (area, DR/BDR, cost, timers), `show ip ospf database` (each area's LSDB by type, then the
// AS-external-LSAs) and `show ip ospf route` (N, N IA, N E2), in FRR's layout. Reads the
// daemon record only.

import type { NodeDaemons } from '../../node/daemons';
import { ospfStubArea } from '../../node/daemons/frr-conf';
import { AS_SCOPE, S, type Lsa, type OspfDaemon, type OspfHop, type OspfIface, type OspfNbr } from '../../node/daemons/ospfd-types';
import { formatCidr, formatIpv4, maskToPrefixLen } from '../../wire/addr';
import { LSA_TYPE, parseExternalLsa, parseSummaryLsa } from '../../wire/ospf';
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
      `  Internet Address ${formatIpv4(oi.addr)}/${oi.prefixLen}, Area ${formatIpv4(oi.area)}`,
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

/** FRR's titles and column headers per LSA type; area-scoped types carry "(Area A.B.C.D)". */
const SECTIONS: { type: number; title: string; header: string }[] = [
  { type: LSA_TYPE.ROUTER, title: 'Router Link States', header: 'Link ID         ADV Router      Age  Seq#       CkSum  Link count' },
  { type: LSA_TYPE.NETWORK, title: 'Net Link States', header: 'Link ID         ADV Router      Age  Seq#       CkSum' },
  { type: LSA_TYPE.SUMMARY, title: 'Summary Link States', header: 'Link ID         ADV Router      Age  Seq#       CkSum  Route' },
  { type: LSA_TYPE.ASBR_SUMMARY, title: 'ASBR-Summary Link States', header: 'Link ID         ADV Router      Age  Seq#       CkSum' },
];

/** The last column FRR adds per type: a router-LSA's link count, a summary's or external's prefix. */
function lsaTail(l: Lsa): string {
  switch (l.hdr.type) {
    case LSA_TYPE.ROUTER:
      return ` ${l.bytes.length >= 24 ? l.bytes[22]! * 256 + l.bytes[23]! : 0}`;
    case LSA_TYPE.SUMMARY: {
      const s = parseSummaryLsa(l.bytes);
      return s === null ? '' : ` ${formatCidr((l.hdr.id & s.mask) >>> 0, maskToPrefixLen(s.mask) ?? 32)}`;
    }
    case LSA_TYPE.EXTERNAL: {
      const e = parseExternalLsa(l.bytes);
      return e === null ? '' : ` ${e.e2 ? 'E2' : 'E1'} ${formatCidr((l.hdr.id & e.mask) >>> 0, maskToPrefixLen(e.mask) ?? 32)} [0x0]`;
    }
    default:
      return '';
  }
}

function lsaRows(o: OspfDaemon, now: number, lsas: Lsa[]): string[] {
  return lsas.sort((a, b) => (a.hdr.id >>> 0) - (b.hdr.id >>> 0) || (a.hdr.adv >>> 0) - (b.hdr.adv >>> 0)).map((l) => {
    const age = Math.min(3600, l.hdr.age + Math.floor((now - l.installedNs) / S));
    return `${formatIpv4(l.hdr.id).padEnd(15)} ${formatIpv4(l.hdr.adv).padEnd(15)} ${String(age).padStart(4)} 0x${(l.hdr.seq >>> 0).toString(16).padStart(8, '0')} 0x${l.hdr.checksum.toString(16).padStart(4, '0')}${lsaTail(l)}`;
  });
}

function attachedAreas(o: OspfDaemon): number[] {
  return [...new Set([...o.ifaces.values()].map((oi) => oi.area))].sort((a, b) => (a >>> 0) - (b >>> 0));
}

export function showIpOspfDatabase(ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf;
  if (o === null) return null;
  const now = ctx.world.sim.now();
  const out = ['', `       OSPF Router with ID (${formatIpv4(o.routerId)})`, ''];
  const all = [...o.lsdb.values()];
  for (const area of attachedAreas(o)) {
    for (const sec of SECTIONS) {
      const lsas = all.filter((l) => l.area === area && l.hdr.type === sec.type);
      if (lsas.length === 0) continue;
      out.push(`                ${sec.title} (Area ${formatIpv4(area)}${ospfStubArea(o.cfg, area) ? ' [Stub]' : ''})`, '', sec.header, ...lsaRows(o, now, lsas), '');
    }
  }
  const ext = all.filter((l) => l.area === AS_SCOPE && l.hdr.type === LSA_TYPE.EXTERNAL);
  if (ext.length > 0) out.push('                AS External Link States', '', 'Link ID         ADV Router      Age  Seq#       CkSum  Route', ...lsaRows(o, now, ext), '');
  return out;
}

/** `show ip ospf`: the process (router id, ABR/ASBR) and, per area, interfaces, adjacencies, SPF runs and LSAs. */
export function showIpOspf(_ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf;
  if (o === null) return null;
  const areas = attachedAreas(o);
  const ext = [...o.lsdb.values()].filter((l) => l.area === AS_SCOPE);
  const asbr = ext.some((l) => l.hdr.adv === o.routerId && l.hdr.age < 3600);
  const out = [
    ` OSPF Routing Process, Router ID: ${formatIpv4(o.routerId)}`,
    ' Supports only single TOS (TOS0) routes',
    ' This implementation conforms to RFC2328',
    ' RFC1583Compatibility flag is disabled',
    ` Initial SPF scheduling delay ${o.cfg.spfThrottleMs.delay} millisec(s)`,
    ` Minimum hold time between consecutive SPFs ${o.cfg.spfThrottleMs.hold} millisec(s)`,
    ` Maximum hold time between consecutive SPFs ${o.cfg.spfThrottleMs.max} millisec(s)`,
    ` Hold time multiplier is currently ${o.spfHoldMult}`,
    ...(o.abr ? [' This router is an ABR, ABR type is: Alternative Cisco'] : []),
    ...(asbr ? [' This router is an ASBR (injecting external routing information)'] : []),
    ` Number of external LSA ${ext.length}. Checksum Sum 0x${(ext.reduce((sum, l) => sum + l.hdr.checksum, 0) >>> 0).toString(16).padStart(8, '0')}`,
    ` Number of areas attached to this router: ${areas.length}`,
  ];
  for (const area of areas) {
    const ifs = [...o.ifaces.values()].filter((oi) => oi.area === area);
    const full = ifs.reduce((s, oi) => s + [...oi.nbrs.values()].filter((n) => n.state === 'Full').length, 0);
    out.push(
      '',
      ` Area ID: ${formatIpv4(area)}${area === 0 ? ' (Backbone)' : ''}`,
      `   Number of interfaces in this area: Total: ${ifs.length}, Active: ${ifs.filter((oi) => !oi.passive).length}`,
      `   Number of fully adjacent neighbors in this area: ${full}`,
      ...stubLines(o, area),
      '   Area has no authentication',
      `   SPF algorithm executed ${o.counters.spfRuns} times`,
      `   Number of LSA ${[...o.lsdb.values()].filter((l) => l.area === area).length}`,
    );
  }
  out.push('');
  return out;
}

/** A stub area's lines in `show ip ospf`: its kind and, at an ABR, the default it sends in. */
function stubLines(o: OspfDaemon, area: number): string[] {
  const stub = area === 0 ? undefined : o.cfg.stubAreas.get(area);
  if (stub === undefined) return [];
  const out = [`   It is a stub area${stub.noSummary ? ', no summary LSA in this area' : ''}`];
  if (o.abr) out.push(`   Generates stub default route with cost ${o.cfg.defaultCost.get(area) ?? 1}`);
  return out;
}

function viaLines(o: OspfDaemon, hops: OspfHop[]): string[] {
  const pad = ' '.repeat(27);
  return hops.map((h) => {
    const name = o.ifaces.get(h.ifIndex)?.name ?? '?';
    return h.nextHop === 0 ? `${pad}directly attached to ${name}` : `${pad}via ${formatIpv4(h.nextHop)}, ${name}`;
  });
}

/** `show ip ospf route`: ospfd's own table, intra-area (N), inter-area (N IA), routers (R) and external (N E2). */
export function showIpOspfRoute(_ctx: CommandContext, d: NodeDaemons): string[] | null {
  const o = d.ospf;
  if (o === null) return null;
  const sorted = [...o.table.values()].sort((a, b) => (a.dest >>> 0) - (b.dest >>> 0) || a.prefixLen - b.prefixLen);
  const out = ['============ OSPF network routing table ============'];
  for (const r of sorted) {
    if (r.kind === 'E2') continue;
    out.push(`${r.kind === 'inter' ? 'N IA' : 'N   '} ${formatCidr(r.dest, r.prefixLen).padEnd(18)}    [${r.cost}] area: ${formatIpv4(r.area)}`, ...viaLines(o, r.hops));
  }
  out.push('', '============ OSPF router routing table =============');
  for (const [area, spf] of [...o.areaSpf].sort((a, b) => (a[0] >>> 0) - (b[0] >>> 0))) {
    for (const [rid, r] of [...spf.routers].sort((a, b) => (a[0] >>> 0) - (b[0] >>> 0))) {
      if (rid === o.routerId || (r.flags & 0x03) === 0) continue;
      const what = [(r.flags & 0x01) !== 0 ? 'ABR' : '', (r.flags & 0x02) !== 0 ? 'ASBR' : ''].filter(Boolean).join(', ');
      out.push(`R    ${formatIpv4(rid).padEnd(15)}    [${r.dist}] area: ${formatIpv4(area)}, ${what}`, ...viaLines(o, r.hops));
    }
  }
  for (const [rid, r] of o.interAsbrs) out.push(`R    ${formatIpv4(rid).padEnd(15)} IA [${r.cost}] area: 0.0.0.0, ASBR`, ...viaLines(o, r.hops));
  out.push('', '============ OSPF external routing table ===========');
  for (const r of sorted) {
    if (r.kind !== 'E2') continue;
    out.push(`N E2 ${formatCidr(r.dest, r.prefixLen).padEnd(18)}    [${r.asbrCost}/${r.cost}] tag: 0`, ...viaLines(o, r.hops));
  }
  out.push('');
  return out;
}
