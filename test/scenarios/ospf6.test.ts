// OSPFv3 as IMUNES routers run it (`router ospf6` with `ipv6 ospf6 area 0.0.0.0` on every
// interface): adjacencies Full over link-local addresses, DR election, routes with
// link-local next hops, ping6 across three routers, a link cut, determinism and tshark.
// RFC 5340 §4.2 (protocol), §4.8 (routing table).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { route6List } from '../../src/emulator/stack/route6';
import { decodeFrame, summarizeFrame } from '../../src/emulator/wire/decode';
import { formatIpv6 } from '../../src/emulator/wire/ipv6-addr';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { doc, node } from './topologies';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';

const S = 1_000_000_000;

/** IMUNES's p-3r-p example with OSPFv3 instead of its default RIPng, as IMUNES writes it for FRR. */
function p3rpOspf6(): TopologyDoc {
  const file = join(IMUNES_EXAMPLES, 'p-3r-p.imn');
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  let k = 0;
  for (const n of r.doc.nodes) {
    if (n.kind !== 'router') continue;
    k++;
    const ifs = n.interfaces.filter((i) => i.name !== 'lo0').map((i) => `interface ${i.name}\n ipv6 ospf6 area 0.0.0.0\n!\n`).join('');
    n.frrConf = `${ifs}router ospf6\n ospf6 router-id 0.0.0.${k}\n redistribute connected\n!\n`;
  }
  return r.doc;
}

const at = (world: World, seconds: number) => world.sim.runUntil(seconds * S);

function ospf6Routes(world: World, node: string): string[] {
  return route6List(world.nodeByName(node)!.stack!)
    .filter((r) => r.kind === 'ospf6')
    .map((r) => `${formatIpv6(r.dest)}/${r.prefixLen} via ${r.gatewayText} ${r.iface}`);
}

describe('OSPFv3 on the IMUNES p-3r-p example', () => {
  it('converges: adjacencies Full, a DR on each link, routes via link-local next hops, pc1 reaches pc2 with ping6', () => {
    const world = new World(p3rpOspf6(), { seed: 1 });
    expect(world.warnings.filter((w) => /OSPFv3|ospf6/.test(w))).toEqual([]);
    at(world, 60);
    expect(ospf6Routes(world, 'router1')).toEqual([
      'fc00:2::/64 via fe80::4000:aaff:fe00:3%eth1 eth1',
      'fc00:3::/64 via fe80::4000:aaff:fe00:3%eth1 eth1',
    ]);
    expect(ospf6Routes(world, 'router2').map((r) => r.split(' via ')[0])).toEqual(['fc00::/64', 'fc00:3::/64']);
    expect(runCommand(world, 'router1', 'netstat -rn -f inet6').output).toMatch(/^fc00:3::\/64 +fe80::4000:aaff:fe00:3%eth1 +UG1 +eth1$/m);
    const ping = runCommand(world, 'pc1', 'ping6 -c 2 fc00:3::20').output;
    expect(ping).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
  });

  it('quagga\'s form (router-id, interface X area inside router ospf6) and point-to-point links converge the same', () => {
    const doc = p3rpOspf6();
    let k = 0;
    for (const n of doc.nodes) {
      if (n.kind !== 'router') continue;
      k++;
      const ifs = n.interfaces.filter((i) => i.name !== 'lo0');
      n.frrConf = `${ifs.map((i) => `interface ${i.name}\n ipv6 ospf6 network point-to-point\n!\n`).join('')}router ospf6\n router-id 0.0.0.${k}\n${ifs.map((i) => ` interface ${i.name} area 0.0.0.0\n`).join('')}!\n`;
    }
    const world = new World(doc, { seed: 1 });
    expect(world.warnings).toEqual([]);
    at(world, 60);
    expect(ospf6Routes(world, 'router1')).toEqual([
      'fc00:2::/64 via fe80::4000:aaff:fe00:3%eth1 eth1',
      'fc00:3::/64 via fe80::4000:aaff:fe00:3%eth1 eth1',
    ]);
    expect(runCommand(world, 'router2', "vtysh -c 'show ipv6 ospf6 neighbor'").output).toMatch(/^0\.0\.0\.1 .* Full\/PointToPoint .* eth0\[PointToPoint\]$/m);
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:3::20').output).toContain('1 packets received');
  });

  it('vtysh shows the neighbors and the IPv6 table in FRR format', () => {
    const world = new World(p3rpOspf6(), { seed: 1 });
    at(world, 60);
    const nb = runCommand(world, 'router2', "vtysh -c 'show ipv6 ospf6 neighbor'").output.split('\n');
    expect(nb[0]).toBe('Neighbor ID     Pri    DeadTime    State/IfState         Duration I/F[State]');
    // router-id 0.0.0.3 beats 0.0.0.2 on l2, router2 beats router1 on l1: one DR per link.
    expect(nb[1]).toMatch(/^0\.0\.0\.1 {11}1 {4}00:00:[34]\d {5}Full\/BDR {13}00:00:\d\d eth0\[DR\]$/);
    expect(nb[2]).toMatch(/^0\.0\.0\.3 {11}1 {4}00:00:[34]\d {5}Full\/DR {14}00:00:\d\d eth1\[BDR\]$/);
    const route = runCommand(world, 'router1', "vtysh -c 'show ipv6 route'").output.split('\n');
    expect(route).toContain('O>* fc00:3::/64 [110/30] via fe80::4000:aaff:fe00:3, eth1, 00:00:20');
    expect(route).toContain('C>* fc00::/64 is directly connected, eth0, 00:01:00');
  });

  it('conf t changes a cost in place: adjacencies stay Full and the route cost follows', () => {
    const world = new World(p3rpOspf6(), { seed: 1 });
    at(world, 60);
    const out = runCommand(world, 'router1', "vtysh -c 'conf t' -c 'interface eth1' -c 'ipv6 ospf6 cost 50'");
    expect(out.output).toBe('');
    at(world, 61);
    expect(runCommand(world, 'router1', "vtysh -c 'show ipv6 route'").output).toMatch(/^O>\* fc00:3::\/64 \[110\/70\] via fe80::4000:aaff:fe00:3, eth1, /m);
    // Full since 40 s: the adjacency was not restarted.
    expect(runCommand(world, 'router1', "vtysh -c 'show ipv6 ospf6 neighbor'").output).toMatch(/Full\/DR +00:00:2\d eth1/);
  });

  it('a link cut withdraws the routes through it at once (carrier loss), and the link coming back re-converges', () => {
    const world = new World(p3rpOspf6(), { seed: 1 });
    at(world, 60);
    world.setLinkUp('l2', false); // router2 — router3
    at(world, 61);
    // Carrier loss: router2 and router3 drop the adjacency at once and flood new LSAs.
    expect(ospf6Routes(world, 'router1')).toEqual(['fc00:2::/64 via fe80::4000:aaff:fe00:3%eth1 eth1']);
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:3::20').output).toMatch(/1 packets transmitted, 0 packets received/);
    world.setLinkUp('l2', true);
    at(world, world.sim.now() / S + 60);
    expect(ospf6Routes(world, 'router1')).toHaveLength(2);
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:3::20').output).toContain('1 packets received');
  });

  it('a silent neighbor (all frames lost) goes Down after the 40 s RouterDeadInterval', () => {
    const world = new World(p3rpOspf6(), { seed: 1 });
    at(world, 60);
    world.setLinkParams('l1', { lossPercent: 100 }); // router1 — router2
    at(world, 60 + 25);
    expect(ospf6Routes(world, 'router1')).toHaveLength(2);
    at(world, 60 + 45);
    expect(ospf6Routes(world, 'router1')).toEqual([]);
    expect(runCommand(world, 'router1', "vtysh -c 'show ipv6 ospf6 neighbor'").output).not.toContain('0.0.0.2');
  });

  it('redistribute static: a static route of router3 reaches router1 as an AS-External-LSA (type 2, metric 20) through router2', () => {
    const doc = p3rpOspf6();
    doc.nodes.find((n) => n.name === 'router3')!.routes6.push({ dest: 'fc00:99::/64', gateway: 'fc00:3::20' });
    doc.nodes.find((n) => n.name === 'router3')!.frrConf += 'router ospf6\n redistribute static\n!\n';
    const world = new World(doc, { seed: 1 });
    at(world, 60);
    expect(ospf6Routes(world, 'router1')).toContain('fc00:99::/64 via fe80::4000:aaff:fe00:3%eth1 eth1');
    expect(runCommand(world, 'router1', "vtysh -c 'show ipv6 route'").output).toMatch(/^O>\* fc00:99::\/64 \[110\/20\] via fe80::4000:aaff:fe00:3, eth1, /m);
    // Not redistributed where only connected prefixes are (all already in OSPFv3): no externals from router1.
    expect(ospf6Routes(world, 'router3').filter((r) => r.startsWith('fc00:99'))).toEqual([]);
  });

  it('summarizes each packet type as tshark\'s Info and decodes the OSPFv3 layer', () => {
    const world = new World(p3rpOspf6(), { seed: 2 });
    const cap = world.startCapture({ kind: 'iface', node: 'router2', iface: 'eth0' });
    at(world, 70);
    cap.finish();
    // Ethernet type 0x86dd, IPv6 next header 89.
    const ospf = cap.frames.filter((f) => f.frame[12] === 0x86 && f.frame[13] === 0xdd && f.frame[14 + 6] === 89);
    expect(new Set(ospf.map((f) => summarizeFrame(f.frame).info))).toEqual(new Set(['Hello Packet', 'DB Description', 'LS Request', 'LS Update', 'LS Acknowledge']));
    const hello = ospf.find((f) => summarizeFrame(f.frame).info === 'Hello Packet')!;
    const layer = decodeFrame(hello.frame).find((l) => l.name === 'Open Shortest Path First')!;
    expect(layer.children![0].children!.find((c) => c.name === 'Version')!.value).toBe('3');
    const body = layer.children!.find((c) => c.name === 'OSPF Hello Packet')!;
    expect(body.children!.find((c) => c.name === 'Router Dead Interval [sec]')!.value).toBe('40');
  });

  it('mutual redistribution with RIPng: router2 runs OSPFv3 toward router1 and RIPng toward router3, and pc1 reaches pc2', () => {
    const doc = p3rpOspf6();
    const conf = (name: string) => doc.nodes.find((n) => n.name === name)!;
    conf('router1').frrConf = 'interface eth0\n ipv6 ospf6 area 0\n!\ninterface eth1\n ipv6 ospf6 area 0\n!\nrouter ospf6\n ospf6 router-id 0.0.0.1\n!\n';
    conf('router2').frrConf = 'interface eth0\n ipv6 ospf6 area 0\n!\nrouter ospf6\n ospf6 router-id 0.0.0.2\n redistribute ripng\n redistribute connected\n!\nrouter ripng\n network eth1\n redistribute ospf6\n redistribute connected\n!\n';
    conf('router3').frrConf = 'router ripng\n network ::/0\n!\n';
    const world = new World(doc, { seed: 1 });
    expect(world.warnings).toEqual([]);
    at(world, 90);
    // router1: router3's LAN as an OSPFv3 external of router2; router3: router1's LAN by RIPng.
    expect(runCommand(world, 'router1', "vtysh -c 'show ipv6 route'").output).toMatch(/^O>\* fc00:3::\/64 \[110\/20\] via fe80::4000:aaff:fe00:3, eth1, /m);
    expect(runCommand(world, 'router3', "vtysh -c 'show ipv6 route'").output).toMatch(/^R>\* fc00::\/64 \[120\/2\] via fe80::4000:aaff:fe00:4, eth0, /m);
    expect(runCommand(world, 'router2', "vtysh -c 'show ipv6 ripng'").output).toContain('O(r) fc00::/64');
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:3::20').output).toContain('1 packets received');
  });

  it('without a router id (none configured, no IPv4 address) ospf6d does not start, and says so with the line', () => {
    const doc = p3rpOspf6();
    const r1 = doc.nodes.find((n) => n.name === 'router1')!;
    r1.frrConf = r1.frrConf!.replace(/ ospf6 router-id \S+\n/, '');
    for (const i of r1.interfaces) i.ipv4 = [];
    const world = new World(doc, { seed: 1 });
    expect(world.warnings.filter((w) => /OSPFv3/.test(w))).toEqual(['router1: frr.conf:7: OSPFv3 will not run: no router id (set ospf6 router-id A.B.C.D, or give the router an IPv4 address)']);
    at(world, 60);
    expect(ospf6Routes(world, 'router2').map((r) => r.split(' via ')[0])).toEqual(['fc00:3::/64']);
  });

  it('the same seed gives the same trace', () => {
    const run = () => {
      const world = new World(p3rpOspf6(), { seed: 7 });
      at(world, 90);
      return world.traceHash();
    };
    expect(run()).toBe(run());
  });
});

describe('OSPFv3 on the IMUNES OSPF1 example (FRR routers running ospfd and ospf6d)', () => {
  it('converges beside OSPFv2: every adjacency Full, a DR on the switched LAN, the pc reaches the server with ping6', () => {
    const file = join(IMUNES_EXAMPLES, 'OSPF1.imn');
    const r = parseTopology(readFileSync(file, 'utf8'), file);
    if ('errors' in r) throw new Error(JSON.stringify(r.errors));
    const world = new World(r.doc, { seed: 3 });
    expect(world.warnings.filter((w) => /OSPF/.test(w))).toEqual([]);
    at(world, 60);
    for (const name of ['router1', 'router2', 'router3', 'router4', 'router5', 'router6', 'router7']) {
      const nb = runCommand(world, name, "vtysh -c 'show ipv6 ospf6 neighbor'").output.trim().split('\n').slice(1);
      expect(nb.length, name).toBeGreaterThan(0);
      for (const row of nb) expect(row, name).toMatch(/ Full\//);
    }
    // sw2 joins router6 (0.0.0.x ids from IMUNES) and router7: one is DR, the other BDR.
    const lan = runCommand(world, 'router7', "vtysh -c 'show ipv6 ospf6 neighbor'").output;
    expect(lan).toMatch(/Full\/(DR|BDR) +\d\d:\d\d:\d\d eth1\[(BDR|DR)\]/);
    expect(runCommand(world, 'pc', 'ping6 -c 2 fc00:1::10').output).toContain('2 packets received');
    expect(runCommand(world, 'router1', 'netstat -rn -f inet6').output).toMatch(/^fc00:1::\/64 +fe80::\S+%eth0 +UG1 +eth0$/m);
  });
});

/** Four routers r1..r4 (router ids 0.0.0.1..4) on one switch (fc00:10::/64), each with a stub link fc00:1N::/64 to a pc. */
function lanOf4(): TopologyDoc {
  const nodes = [node('sw', 'lanswitch', 'sw', [1, 2, 3, 4].map((k) => ({ name: `e${k}` })))];
  const links: [string, string, string, string][] = [];
  for (let k = 1; k <= 4; k++) {
    const r = node(`r${k}`, 'router', `r${k}`, [{ name: 'eth0' }, { name: 'eth1' }]);
    r.interfaces[0].ipv6 = [`fc00:10::${k}/64`];
    r.interfaces[1].ipv6 = [`fc00:1${k}::1/64`];
    r.frrConf = `interface eth0\n ipv6 ospf6 area 0\n!\ninterface eth1\n ipv6 ospf6 area 0\n!\nrouter ospf6\n ospf6 router-id 0.0.0.${k}\n!\n`;
    const pc = node(`pc${k}`, 'pc', `pc${k}`, [{ name: 'eth0' }]);
    pc.interfaces[0].ipv6 = [`fc00:1${k}::20/64`];
    pc.routes6 = [{ dest: '::/0', gateway: `fc00:1${k}::1` }];
    nodes.push(r, pc);
    links.push([`r${k}`, 'eth0', 'sw', `e${k}`], [`r${k}`, 'eth1', `pc${k}`, 'eth0']);
  }
  return doc(nodes, links);
}

describe('OSPFv3 on a LAN of four routers', () => {
  it('elects the highest router id DR and the next BDR; DROthers stay 2-Way with each other; routes go straight to the router on the LAN', () => {
    const world = new World(lanOf4(), { seed: 4 });
    at(world, 60);
    const nb = (r: string) => runCommand(world, r, "vtysh -c 'show ipv6 ospf6 neighbor'").output.trim().split('\n').slice(1).map((l) => l.split(/\s+/).filter((w, k) => k === 0 || k === 3 || k === 5).join(' '));
    expect(nb('r1')).toEqual(['0.0.0.2 Twoway/DROther eth0[DROther]', '0.0.0.3 Full/BDR eth0[DROther]', '0.0.0.4 Full/DR eth0[DROther]']);
    expect(nb('r4')).toEqual(['0.0.0.1 Full/DROther eth0[DR]', '0.0.0.2 Full/DROther eth0[DR]', '0.0.0.3 Full/BDR eth0[DR]']);
    // Through the DR's Network-LSA, but the next hop is the router owning the prefix.
    const r2 = world.nodeByName('r2')!.stack!;
    const r2ll = r2.inet6!.ifs[r2.ifaces.find((i) => i.name === 'eth0')!.index]!.addrs.find((a) => a.linkLocal)!.addr;
    expect(ospf6Routes(world, 'r1').filter((r) => r.startsWith('fc00:12::'))).toEqual([`fc00:12::/64 via ${formatIpv6(r2ll)}%eth0 eth0`]);
    expect(ospf6Routes(world, 'r1')).toHaveLength(3);
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:14::20').output).toContain('1 packets received');
  });

  it('the DR going away: the BDR takes over and every router still reaches the others', () => {
    const world = new World(lanOf4(), { seed: 4 });
    at(world, 60);
    world.setLinkUp('l6', false); // r4 — sw
    at(world, 120);
    const nb = runCommand(world, 'r1', "vtysh -c 'show ipv6 ospf6 neighbor'").output;
    expect(nb).toMatch(/^0\.0\.0\.3 .* Full\/DR /m);
    expect(nb).not.toContain('0.0.0.4');
    expect(ospf6Routes(world, 'r1').map((r) => r.split(' ')[0])).toEqual(['fc00:12::/64', 'fc00:13::/64']);
    expect(runCommand(world, 'pc1', 'ping6 -c 1 fc00:13::20').output).toContain('1 packets received');
  });
});

describe.skipIf(!tsharkAvailable())('tshark on OSPFv3 traffic', () => {
  it('decodes OSPFv3 hellos, DD, LSR, LSU and LSAck from link-local sources with zero malformed packets and zero bad checksums', async () => {
    const world = new World(p3rpOspf6(), { seed: 2 });
    const cap = world.startCapture({ kind: 'iface', node: 'router2', iface: 'eth0' });
    at(world, 70);
    cap.finish();
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-ospf6-'));
    const file = join(dir, 'ospf6.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const rows = (await runTshark(['-r', file, '-Y', 'ospf', '-T', 'fields', '-e', 'ospf.version', '-e', 'ospf.msg', '-e', 'ipv6.hlim'])).trim().split('\n');
    expect(new Set(rows)).toEqual(new Set(['3\t1\t1', '3\t2\t1', '3\t3\t1', '3\t4\t1', '3\t5\t1']));
    const src = (await runTshark(['-r', file, '-Y', 'ospf', '-T', 'fields', '-e', 'ipv6.src'])).trim().split('\n');
    expect(src.every((s) => s.startsWith('fe80::'))).toBe(true);
    const lsas = (await runTshark(['-r', file, '-Y', 'ospf.msg == 4', '-T', 'fields', '-e', 'ospf.v3.lsa'])).trim();
    expect(lsas).not.toBe('');
    const infos = (await runTshark(['-r', file, '-Y', 'ospf', '-T', 'fields', '-e', '_ws.col.Info'])).trim().split('\n');
    const ours = cap.frames.filter((f) => f.frame[12] === 0x86 && f.frame[13] === 0xdd && f.frame[14 + 6] === 89).map((f) => summarizeFrame(f.frame).info);
    expect(ours).toEqual(infos);
    // tshark verifies the OSPFv3 checksum over the IPv6 pseudo-header: every packet [correct].
    const verbose = await runTshark(['-r', file, '-Y', 'ospf', '-V']);
    expect(verbose.match(/^ {8}Checksum: 0x[0-9a-f]{4} \[correct\]$/gm)?.length).toBe(rows.length);
    expect(verbose).not.toMatch(/incorrect/);
  }, 60_000);
});
