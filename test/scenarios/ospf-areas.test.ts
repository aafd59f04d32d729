// OSPFv2 with several areas: a backbone (area 0) with two area border routers, area 1 and
// area 0.0.0.2 (dotted) behind them. ABRs originate summary-LSAs (type 3) and ASBR-summary-
// LSAs (type 4), inter-area routes are installed, nothing leaks back into the area it came
// from, pcs ping across areas, a link cut re-converges and tshark decodes it all.
// RFC 2328 §3, §12.4.3, §16.2-16.4.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { routeList } from '../../src/emulator/stack/route';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { parseTopology } from '../../src/emulator/topology/formats';
import { formatCidr, formatIpv4 } from '../../src/emulator/wire/addr';
import { LSA_TYPE } from '../../src/emulator/wire/ospf';
import { IMUNES_EXAMPLES } from '../support/paths';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';
import { builder } from './topologies';

const S = 1_000_000_000;

/**
 * pc1 - r1 =area 1= abr1 =area 0= c0 =area 0= abr2 =area 0.0.0.2= r2 - pc2, pc0 on c0's LAN,
 * a direct backbone link abr1-abr2 (cost 100) as the spare path, and r2 an ASBR (a static
 * route redistributed). Router ids 1.1.1.1 (r1), 2.2.2.2 (abr1), 3.3.3.3 (c0), 4.4.4.4
 * (abr2), 5.5.5.5 (r2).
 */
function threeAreas(): TopologyDoc {
  const b = builder();
  const [r1, abr1, c0, abr2, r2] = ['r1', 'abr1', 'c0', 'abr2', 'r2'].map((n) => b.node('router', n));
  const pc = (name: string, r: typeof r1, net: string) => {
    const p = b.node('pc', name);
    b.link(r!, p, { aIp: `${net}.1/24`, bIp: `${net}.20/24` });
    b.route(p, '0.0.0.0/0', `${net}.1`);
  };
  pc('pc1', r1, '10.1.1'); // r1 eth0
  b.link(r1!, abr1!, { aIp: '10.1.12.1/24', bIp: '10.1.12.2/24' }); // l1: r1 eth1, abr1 eth0
  b.link(abr1!, c0!, { aIp: '10.0.1.2/24', bIp: '10.0.1.3/24' }); // l2: abr1 eth1, c0 eth0
  b.link(c0!, abr2!, { aIp: '10.0.2.3/24', bIp: '10.0.2.4/24' }); // l3: c0 eth1, abr2 eth0
  b.link(abr1!, abr2!, { aIp: '10.0.3.2/24', bIp: '10.0.3.4/24' }); // l4: abr1 eth2, abr2 eth1
  b.link(abr2!, r2!, { aIp: '10.2.12.4/24', bIp: '10.2.12.5/24' }); // l5: abr2 eth2, r2 eth0
  pc('pc2', r2, '10.2.2'); // r2 eth1
  pc('pc0', c0, '10.0.100'); // c0 eth2
  const conf = (id: number, nets: string) => `router ospf\n ospf router-id ${id}.${id}.${id}.${id}\n${nets}!\n`;
  r1!.frrConf = conf(1, ' network 10.1.0.0/16 area 1\n');
  abr1!.frrConf = conf(2, ' network 10.1.0.0/16 area 1\n network 10.0.0.0/16 area 0\n') + 'interface eth2\n ip ospf cost 100\n!\n';
  c0!.frrConf = conf(3, ' network 10.0.0.0/16 area 0.0.0.0\n');
  abr2!.frrConf = conf(4, ' network 10.0.0.0/16 area 0\n') + 'interface eth2\n ip ospf area 0.0.0.2\n!\ninterface eth1\n ip ospf cost 100\n!\n';
  r2!.frrConf = 'ip route 192.168.50.0/24 10.2.2.20\n' + conf(5, ' network 10.2.0.0/16 area 0.0.0.2\n redistribute static\n');
  return b.doc;
}

function ospfRoutes(world: World, node: string): string[] {
  return routeList(world.nodeByName(node)!.stack!).filter((r) => r.kind === 'ospf').map((r) => `${formatCidr(r.dest, r.prefixLen)} via ${formatIpv4(r.gateway!)} ${r.iface}`).sort();
}

function summaries(world: World, node: string, area: number, type: number): string[] {
  return [...world.nodeByName(node)!.daemons!.ospf!.lsdb.values()].filter((l) => l.area === area && l.hdr.type === type && l.hdr.age < 3600).map((l) => `${formatIpv4(l.hdr.id)} by ${formatIpv4(l.hdr.adv)}`).sort();
}

function ping(world: World, from: string, to: string): string {
  return runCommand(world, from, `ping -c 1 ${to}`).output;
}

describe('OSPF with three areas and two ABRs', () => {
  it('installs inter-area routes through the ABRs: exact tables, and pcs ping across areas', () => {
    const world = new World(threeAreas(), { seed: 1 });
    expect(world.warnings.filter((w) => /ospf|OSPF/.test(w))).toEqual([]);
    world.sim.runUntil(60 * S);
    expect(ospfRoutes(world, 'r1')).toEqual([
      '10.0.1.0/24 via 10.1.12.2 eth1',
      '10.0.100.0/24 via 10.1.12.2 eth1',
      '10.0.2.0/24 via 10.1.12.2 eth1',
      '10.0.3.0/24 via 10.1.12.2 eth1',
      '10.2.12.0/24 via 10.1.12.2 eth1',
      '10.2.2.0/24 via 10.1.12.2 eth1',
      '192.168.50.0/24 via 10.1.12.2 eth1',
    ]);
    expect(ospfRoutes(world, 'c0')).toEqual([
      '10.0.3.0/24 via 10.0.1.2 eth0',
      '10.1.1.0/24 via 10.0.1.2 eth0',
      '10.1.12.0/24 via 10.0.1.2 eth0',
      '10.2.12.0/24 via 10.0.2.4 eth1',
      '10.2.2.0/24 via 10.0.2.4 eth1',
      '192.168.50.0/24 via 10.0.2.4 eth1',
    ]);
    const r1 = world.nodeByName('r1')!.daemons!.ospf!;
    expect(r1.routes.get(0x0a020200 * 64 + 24)).toMatchObject({ kind: 'inter', cost: 50, area: 1 }); // 10 (r1→abr1) + 40 (abr1's summary: 10+10+10+10)
    expect(r1.routes.get(0x0a000100 * 64 + 24)).toMatchObject({ kind: 'inter', cost: 20 });
    expect(r1.routes.get(0xc0a83200 * 64 + 24)).toMatchObject({ kind: 'E2', cost: 20 });
    for (const [a, b] of [['pc1', '10.2.2.20'], ['pc2', '10.1.1.20'], ['pc1', '10.0.100.20'], ['pc0', '10.2.2.20']]) expect(`${a}→${b}: ${ping(world, a!, b!)}`).toContain('1 packets received');
  }, 60_000);

  it('ABRs summarize each area into the others and never back into the area a route came from', () => {
    const world = new World(threeAreas(), { seed: 1 });
    world.sim.runUntil(60 * S);
    // Area 1 hears, from abr1 only, the backbone's and area 2's networks (not its own).
    expect(summaries(world, 'r1', 1, LSA_TYPE.SUMMARY)).toEqual(['10.0.1.0 by 2.2.2.2', '10.0.100.0 by 2.2.2.2', '10.0.2.0 by 2.2.2.2', '10.0.3.0 by 2.2.2.2', '10.2.12.0 by 2.2.2.2', '10.2.2.0 by 2.2.2.2']);
    // The backbone hears area 1 from abr1 and area 2 from abr2; abr2 does not re-advertise area 1 into it.
    expect(summaries(world, 'c0', 0, LSA_TYPE.SUMMARY)).toEqual(['10.1.1.0 by 2.2.2.2', '10.1.12.0 by 2.2.2.2', '10.2.12.0 by 4.4.4.4', '10.2.2.0 by 4.4.4.4']);
    expect(summaries(world, 'r2', 2, LSA_TYPE.SUMMARY)).toEqual(['10.0.1.0 by 4.4.4.4', '10.0.100.0 by 4.4.4.4', '10.0.2.0 by 4.4.4.4', '10.0.3.0 by 4.4.4.4', '10.1.1.0 by 4.4.4.4', '10.1.12.0 by 4.4.4.4']);
    // r2 (area 2) is an ASBR: abr2 announces it into the backbone, abr1 into area 1; r2's own area gets none.
    expect(summaries(world, 'c0', 0, LSA_TYPE.ASBR_SUMMARY)).toEqual(['5.5.5.5 by 4.4.4.4']);
    expect(summaries(world, 'r1', 1, LSA_TYPE.ASBR_SUMMARY)).toEqual(['5.5.5.5 by 2.2.2.2']);
    expect(summaries(world, 'r2', 2, LSA_TYPE.ASBR_SUMMARY)).toEqual([]);
    // Router-LSAs stay in their area: r1 knows only area 1's routers.
    expect(summaries(world, 'r1', 1, LSA_TYPE.ROUTER)).toEqual(['1.1.1.1 by 1.1.1.1', '2.2.2.2 by 2.2.2.2']);
    expect([...world.nodeByName('r1')!.daemons!.ospf!.lsdb.values()].every((l) => l.area === 1 || l.hdr.type === LSA_TYPE.EXTERNAL)).toBe(true);
  }, 60_000);

  it('vtysh shows areas, ABR status, summary link states per area and N IA routes as FRR does', () => {
    const world = new World(threeAreas(), { seed: 1 });
    world.sim.runUntil(60 * S);
    const vtysh = (node: string, cmd: string) => runCommand(world, node, `vtysh -c '${cmd}'`).output;
    const ospf = vtysh('abr1', 'show ip ospf');
    expect(ospf).toContain(' OSPF Routing Process, Router ID: 2.2.2.2');
    expect(ospf).toContain(' This router is an ABR, ABR type is: Alternative Cisco');
    expect(ospf).toContain(' Number of areas attached to this router: 2');
    expect(ospf).toMatch(/ Number of external LSA 1\. Checksum Sum 0x[0-9a-f]{8}\n/);
    expect(ospf).toMatch(/ Area ID: 0\.0\.0\.0 \(Backbone\)\n   Number of interfaces in this area: Total: 2, Active: 2\n   Number of fully adjacent neighbors in this area: 2/);
    expect(ospf).toMatch(/ Area ID: 0\.0\.0\.1\n/);
    expect(vtysh('r1', 'show ip ospf')).not.toContain('ABR');
    expect(vtysh('r2', 'show ip ospf interface')).toMatch(/eth0 is up\n  Internet Address 10\.2\.12\.5\/24, Area 0\.0\.0\.2\n/);
    const db = vtysh('abr1', 'show ip ospf database');
    expect(db).toContain('                Router Link States (Area 0.0.0.0)\n\nLink ID         ADV Router      Age  Seq#       CkSum  Link count\n');
    expect(db).toContain('                Router Link States (Area 0.0.0.1)');
    expect(db).toContain('                Summary Link States (Area 0.0.0.1)\n\nLink ID         ADV Router      Age  Seq#       CkSum  Route\n');
    expect(db).toMatch(/^10\.2\.2\.0 +2\.2\.2\.2 +\d+ 0x8000000[0-9a-f] 0x[0-9a-f]{4} 10\.2\.2\.0\/24$/m);
    expect(db).toContain('                ASBR-Summary Link States (Area 0.0.0.0)');
    expect(db).toMatch(/AS External Link States\n\nLink ID +ADV Router +Age +Seq# +CkSum +Route\n192\.168\.50\.0 +5\.5\.5\.5 .* E2 192\.168\.50\.0\/24 \[0x0\]/);
    expect(db.indexOf('(Area 0.0.0.0)')).toBeLessThan(db.indexOf('(Area 0.0.0.1)'));
    const rt = vtysh('r1', 'show ip ospf route');
    expect(rt).toContain('N    10.1.1.0/24           [10] area: 0.0.0.1\n                           directly attached to eth0');
    expect(rt).toContain('N IA 10.2.2.0/24           [50] area: 0.0.0.1\n                           via 10.1.12.2, eth1');
    expect(rt).toMatch(/R    2\.2\.2\.2 +\[10\] area: 0\.0\.0\.1, ABR\n +via 10\.1\.12\.2, eth1/);
    expect(rt).toMatch(/N E2 192\.168\.50\.0\/24 +\[40\/20\] tag: 0\n +via 10\.1\.12\.2, eth1/);
    expect(vtysh('r1', 'show ip route')).toMatch(/^O>\* 10\.2\.2\.0\/24 \[110\/50\] via 10\.1\.12\.2, eth1/m);
  }, 60_000);

  it('a backbone link cut re-converges over the spare link; an area cut off withdraws its summaries everywhere', () => {
    const doc = threeAreas();
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(60 * S);
    const id = (name: string) => doc.nodes.find((n) => n.name === name)!.id;
    const link = (a: string, b: string) => doc.links.find((l) => (l.a.node === id(a) && l.b.node === id(b)) || (l.a.node === id(b) && l.b.node === id(a)))!.id;
    world.setLinkUp(link('c0', 'abr2'), false);
    world.sim.runUntil(62 * S);
    expect(ospfRoutes(world, 'abr1')).toContain('10.2.2.0/24 via 10.0.3.4 eth2');
    expect(world.nodeByName('r1')!.daemons!.ospf!.routes.get(0x0a020200 * 64 + 24)).toMatchObject({ kind: 'inter', cost: 130 }); // 10 + 100 + abr2's 20
    expect(ping(world, 'pc1', '10.2.2.20')).toContain('1 packets received');
    // Area 1 loses its ABR: its networks leave the backbone and area 2.
    world.setLinkUp(link('r1', 'abr1'), false);
    world.sim.runUntil(64 * S);
    expect(ospfRoutes(world, 'r2').filter((r) => r.startsWith('10.1.'))).toEqual([]);
    expect(summaries(world, 'c0', 0, LSA_TYPE.SUMMARY).filter((s) => s.startsWith('10.1.'))).toEqual([]);
    expect(ospfRoutes(world, 'r1')).toEqual([]);
    expect(ping(world, 'pc2', '10.1.1.20')).not.toContain('1 packets received');
    // Restored: everything returns (Wait timer, then the exchange).
    world.setLinkUp(link('r1', 'abr1'), true);
    world.setLinkUp(link('c0', 'abr2'), true);
    world.sim.runUntil(120 * S);
    expect(ospfRoutes(world, 'r2')).toContain('10.1.1.0/24 via 10.2.12.4 eth0');
    expect(ping(world, 'pc2', '10.1.1.20')).toContain('1 packets received');
  }, 60_000);

  it('conf t: a more specific network statement moves an interface into a new area and the router becomes an ABR', () => {
    const world = new World(threeAreas(), { seed: 1 });
    world.sim.runUntil(60 * S);
    expect(world.nodeByName('c0')!.daemons!.ospf!.abr).toBe(false);
    runCommand(world, 'c0', "vtysh -c 'conf t' -c 'router ospf' -c 'network 10.0.100.0/24 area 3'");
    world.sim.runUntil(70 * S);
    const c0 = world.nodeByName('c0')!.daemons!.ospf!;
    expect(c0.abr).toBe(true);
    expect([...c0.ifaces.values()].map((oi) => `${oi.name} ${formatIpv4(oi.area)}`)).toEqual(['eth0 0.0.0.0', 'eth1 0.0.0.0', 'eth2 0.0.0.3']);
    expect(runCommand(world, 'c0', "vtysh -c 'show ip ospf'").output).toContain(' This router is an ABR');
    // pc0's LAN is now inter-area for everyone else, announced by c0 into the backbone.
    expect(summaries(world, 'abr1', 0, LSA_TYPE.SUMMARY)).toContain('10.0.100.0 by 3.3.3.3');
    expect(world.nodeByName('abr1')!.daemons!.ospf!.routes.get(0x0a006400 * 64 + 24)).toMatchObject({ kind: 'inter', cost: 20 });
    expect(ping(world, 'pc1', '10.0.100.20')).toContain('1 packets received');
  }, 60_000);

  it('is deterministic: the same seed gives the same trace', () => {
    const run = () => {
      const world = new World(threeAreas(), { seed: 5 });
      world.sim.runUntil(60 * S);
      return world.traceHash();
    };
    expect(run()).toBe(run());
  }, 60_000);
});

describe("IMUNES's OSPF_RFC.imn (RFC 2328's example AS: areas 1.1.1.1, 2.2.2.2, 3.3.3.3 and the backbone)", () => {
  it('RT3, RT4, RT7 and RT10 are ABRs and the areas reach each other; the virtual link is a located warning', () => {
    const file = join(IMUNES_EXAMPLES, 'OSPF_RFC.imn');
    const r = parseTopology(readFileSync(file, 'utf8'), file);
    if ('errors' in r) throw new Error(JSON.stringify(r.errors));
    const world = new World(r.doc, { seed: 1 });
    expect(world.warnings.filter((w) => /frr\.conf|ospf|OSPF/.test(w))).toEqual([
      'RT10: frr.conf:22: "area 2.2.2.2 virtual-link 11.11.11.11": virtual links are not implemented in VirtNet; ignored (an area not attached to the backbone gets no inter-area routes)',
      'RT11: frr.conf:16: "area 2.2.2.2 virtual-link 10.10.10.10": virtual links are not implemented in VirtNet; ignored (an area not attached to the backbone gets no inter-area routes)',
    ]);
    world.sim.runUntil(120 * S);
    const abrs = r.doc.nodes.filter((n) => n.kind === 'router' && world.nodeByName(n.name)!.daemons!.ospf!.abr).map((n) => n.name);
    expect(abrs).toEqual(['RT3', 'RT4', 'RT7', 'RT10']);
    // RT1 (area 1.1.1.1) reaches the backbone and area 2.2.2.2 through its ABRs RT3 (10.1.3.4) and RT4 (10.1.3.3).
    const rt1 = runCommand(world, 'RT1', "vtysh -c 'show ip route'").output;
    expect(rt1).toMatch(/^O>\* 10\.0\.36\.0\/24 \[110\/9\] via 10\.1\.3\.4, eth0/m);
    expect(rt1).toMatch(/^O>\* 10\.2\.7\.0\/24 \[110\/20\] via 10\.1\.3\.3, eth0/m);
    expect(runCommand(world, 'RT1', "vtysh -c 'show ip ospf route'").output).toMatch(/^N IA 10\.2\.7\.0\/24 +\[20\] area: 1\.1\.1\.1$/m);
    expect(runCommand(world, 'RT1', "vtysh -c 'show ip ospf database'").output).toContain('Summary Link States (Area 1.1.1.1)');
    expect(runCommand(world, 'RT1', 'ping -c 1 10.2.7.1').output).toContain('1 packets received');
  }, 60_000);
});

describe.skipIf(!tsharkAvailable())('tshark on multi-area OSPF', () => {
  it('decodes summary and ASBR-summary LSAs in other areas with zero malformed packets', async () => {
    const world = new World(threeAreas(), { seed: 2 });
    const caps = [world.startCapture({ kind: 'iface', node: 'abr1', iface: 'eth0' }), world.startCapture({ kind: 'iface', node: 'abr2', iface: 'eth0' })];
    world.sim.runUntil(70 * S);
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-ospf-areas-'));
    const lines: string[] = [];
    for (const [k, cap] of caps.entries()) {
      cap.finish();
      const file = join(dir, `ospf${k}.pcapng`);
      writeFileSync(file, cap.toPcapng());
      const v = await validateCapture(file);
      expect(v.malformed, v.expertLines.join('; ')).toBe(0);
      expect(v.badChecksums).toBe(0);
      expect((await runTshark(['-r', file, '-Y', 'ospf && _ws.expert.severity >= "Warning"'])).trim()).toBe('');
      lines.push(...(await runTshark(['-r', file, '-Y', 'ospf', '-T', 'fields', '-e', 'ospf.area_id', '-e', 'ospf.lsa'])).trim().split('\n'));
    }
    const areas = new Set(lines.map((l) => l.split('\t')[0]));
    expect(areas).toEqual(new Set(['0.0.0.1', '0.0.0.0']));
    const lsaTypes = new Set(lines.flatMap((l) => (l.split('\t')[1] ?? '').split(',').filter(Boolean)));
    expect(lsaTypes).toEqual(new Set(['1', '2', '3', '4', '5']));
  }, 60_000);
});

/** threeAreas with area 1 a stub (totally stubby at abr1 with `no-summary` when asked) and area 0.0.0.2 summarized by abr2's range. */
function stubAndRange(o: { noSummary: boolean; r1Stub?: boolean; range?: string }): TopologyDoc {
  const doc = threeAreas();
  const node = (name: string) => doc.nodes.find((n) => n.name === name)!;
  const addToOspf = (name: string, lines: string) => (node(name).frrConf = node(name).frrConf!.replace('router ospf\n', `router ospf\n${lines}`));
  if (o.r1Stub !== false) addToOspf('r1', ' area 1 stub\n');
  addToOspf('abr1', ` area 1 stub${o.noSummary ? ' no-summary' : ''}\n`);
  if (o.range !== undefined) addToOspf('abr2', ` area 0.0.0.2 range ${o.range}\n`);
  return doc;
}

describe('OSPF stub areas and area ranges (RFC 2328 §3.6, §12.4.3)', () => {
  it('a stub area gets a default summary instead of AS-external-LSAs; inter-area summaries still come in', () => {
    const world = new World(stubAndRange({ noSummary: false }), { seed: 1 });
    expect(world.warnings.filter((w) => /ospf|OSPF/.test(w))).toEqual([]);
    world.sim.runUntil(60 * S);
    expect(ospfRoutes(world, 'r1')).toEqual([
      '0.0.0.0/0 via 10.1.12.2 eth1',
      '10.0.1.0/24 via 10.1.12.2 eth1',
      '10.0.100.0/24 via 10.1.12.2 eth1',
      '10.0.2.0/24 via 10.1.12.2 eth1',
      '10.0.3.0/24 via 10.1.12.2 eth1',
      '10.2.12.0/24 via 10.1.12.2 eth1',
      '10.2.2.0/24 via 10.1.12.2 eth1',
    ]);
    const r1 = world.nodeByName('r1')!.daemons!.ospf!;
    expect([...r1.lsdb.values()].filter((l) => l.hdr.type === LSA_TYPE.EXTERNAL || l.hdr.type === LSA_TYPE.ASBR_SUMMARY)).toEqual([]);
    // The ABR still holds the externals and reaches them; the backbone is unchanged.
    expect(ospfRoutes(world, 'abr1')).toContain('192.168.50.0/24 via 10.0.1.3 eth1');
    expect(ospfRoutes(world, 'c0')).toContain('192.168.50.0/24 via 10.0.2.4 eth1');
    expect(ping(world, 'pc1', '10.2.2.20')).toContain('1 packets received');
    const show = runCommand(world, 'abr1', "vtysh -c 'show ip ospf'").output;
    expect(show).toMatch(/ Area ID: 0\.0\.0\.1\n.*\n.*\n   It is a stub area\n   Generates stub default route with cost 1\n/);
    expect(runCommand(world, 'r1', "vtysh -c 'show ip ospf'").output).not.toContain('Generates stub default route');
  });

  it('no-summary (totally stubby): the area holds only the default summary, and pcs still reach every area', () => {
    const world = new World(stubAndRange({ noSummary: true }), { seed: 1 });
    world.sim.runUntil(60 * S);
    expect(ospfRoutes(world, 'r1')).toEqual(['0.0.0.0/0 via 10.1.12.2 eth1']);
    expect(summaries(world, 'r1', 1, LSA_TYPE.SUMMARY)).toEqual(['0.0.0.0 by 2.2.2.2']);
    expect(ping(world, 'pc1', '10.2.2.20')).toContain('1 packets received');
    expect(ping(world, 'pc1', '10.0.100.20')).toContain('1 packets received');
    expect(runCommand(world, 'abr1', "vtysh -c 'show ip ospf'").output).toContain('   It is a stub area, no summary LSA in this area\n');
  });

  it('routers that disagree on the stub flag form no adjacency (§10.5: the E-bit in Hellos)', () => {
    const world = new World(stubAndRange({ noSummary: false, r1Stub: false }), { seed: 1 });
    world.sim.runUntil(60 * S);
    expect(ospfRoutes(world, 'r1')).toEqual([]);
    expect([...world.nodeByName('r1')!.daemons!.ospf!.ifaces.values()].flatMap((oi) => [...oi.nbrs.values()])).toEqual([]);
    expect(world.nodeByName('abr1')!.daemons!.ospf!.counters.badPackets).toBeGreaterThan(0);
  });

  it('an area range: the ABR sends one summary for the range with the highest cost inside; not-advertise hides the area', () => {
    const world = new World(stubAndRange({ noSummary: false, range: '10.2.0.0/16' }), { seed: 1 });
    world.sim.runUntil(60 * S);
    // Area 0.0.0.2's two networks go into the backbone as the one range.
    expect(summaries(world, 'c0', 0, LSA_TYPE.SUMMARY).filter((x) => x.endsWith('by 4.4.4.4'))).toEqual(['10.2.0.0 by 4.4.4.4']);
    expect(ospfRoutes(world, 'c0').filter((r) => r.startsWith('10.2.'))).toEqual(['10.2.0.0/16 via 10.0.2.4 eth1']);
    // Cost: the farther of 10.2.12.0/24 (10) and 10.2.2.0/24 (20) from abr2.
    expect(runCommand(world, 'c0', "vtysh -c 'show ip ospf route'").output).toMatch(/N IA 10\.2\.0\.0\/16\s+\[30\] area: 0\.0\.0\.0/);
    expect(ping(world, 'pc0', '10.2.2.20')).toContain('1 packets received');
    const hidden = new World(stubAndRange({ noSummary: false, range: '10.2.0.0/16 not-advertise' }), { seed: 1 });
    hidden.sim.runUntil(60 * S);
    expect(ospfRoutes(hidden, 'c0').filter((r) => r.startsWith('10.2.'))).toEqual([]);
    expect(ospfRoutes(hidden, 'c0')).toContain('192.168.50.0/24 via 10.0.2.4 eth1');
  });
});
