// RIPv2 as IMUNES labs run it: convergence on the IMUNES RIP example with exact tables,
// a link cut (carrier down) and a silent neighbor (180 s timeout), split horizon (FRR's
// simple default, and with poisoned reverse) against a routing loop, garbage collection,
// determinism and tshark.
// RFC 2453 §3.4.3, §3.8, §3.9.2, §3.10.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { nodeSnapshot } from '../../src/emulator/engine/inspect';
import { routeList } from '../../src/emulator/stack/route';
import { formatCidr, formatIpv4, parseIpv4 } from '../../src/emulator/wire/addr';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';
import { builder } from './topologies';
import { buildRip, parseRip, type RipEntry, type RipRepr } from '../../src/emulator/wire/rip';
import { udpSend } from '../../src/emulator/stack/udp';

const S = 1_000_000_000;

function ripImn(): TopologyDoc {
  const file = join(IMUNES_EXAMPLES, 'RIP.imn');
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(JSON.stringify(r.errors));
  return r.doc;
}

function at(world: World, seconds: number): void {
  world.sim.runUntil(seconds * S);
}

/** The metric ripd holds for a prefix (zebra's metric), -1 when it has none. */
function ripMetric(world: World, node: string, dest: number, prefixLen: number): number {
  for (const r of world.nodeByName(node)!.daemons?.rip?.routes.values() ?? []) if (r.dest === dest && r.prefixLen === prefixLen) return r.metric;
  return -1;
}

/** `dest via gateway metric M iface` of a node's RIP routes in its table, sorted. */
function ripRoutes(world: World, node: string): string[] {
  return routeList(world.nodeByName(node)!.stack!)
    .filter((r) => r.kind === 'rip')
    .map((r) => `${formatCidr(r.dest, r.prefixLen)} via ${formatIpv4(r.gateway!)} metric ${ripMetric(world, node, r.dest, r.prefixLen)} ${r.iface}`);
}

function routeTo(world: World, node: string, dest: string): string | null {
  const r = routeList(world.nodeByName(node)!.stack!).find((x) => formatCidr(x.dest, x.prefixLen) === dest);
  return r === undefined ? null : `${r.kind} ${r.gateway === null ? 'on-link' : formatIpv4(r.gateway)} ${ripMetric(world, node, r.dest, r.prefixLen)}`;
}

describe('RIP on the IMUNES RIP example', () => {
  it('converges: router4 has every subnet with RIP metrics, netstat shows UG1, pc7 reaches host6', () => {
    const world = new World(ripImn(), { seed: 1 });
    at(world, 60);
    expect(runCommand(world, 'router4', 'netstat -rn').output).toBe(
      [
        'Routing tables',
        '',
        'Internet:',
        'Destination        Gateway            Flags     Netif Expire',
        '10.0.0.0/24        10.0.4.1           UG1        eth3',
        '10.0.1.0/24        10.0.4.1           UG1        eth3',
        '10.0.2.0/24        10.0.4.1           UG1        eth3',
        '10.0.3.0/24        10.0.4.1           UG1        eth3',
        '10.0.4.0/24        link#3             U          eth3',
        '10.0.4.2           link#3             UHS         lo0',
        '10.0.5.0/24        link#2             U          eth1',
        '10.0.5.1           link#2             UHS         lo0',
        '10.0.6.0/24        10.0.5.2           UG1        eth1',
        '10.0.7.0/24        10.0.5.2           UG1        eth1',
        '10.0.8.0/24        10.0.5.2           UG1        eth1',
        '10.0.9.0/24        link#1             U          eth0',
        '10.0.9.2           link#1             UHS         lo0',
        '127.0.0.1          link#4             UH          lo0',
        '',
      ].join('\n'),
    );
    // Every router: a route to each remote subnet, metric = 1 + router hops (shortest path);
    // of two equal-cost paths the first one heard stays (RFC 2453 §3.9.2: only a better metric replaces).
    const expected: Record<string, string[]> = {
      router0: ['10.0.2.0/24 via 10.0.0.2 metric 2 eth0', '10.0.3.0/24 via 10.0.0.2 metric 2 eth0', '10.0.4.0/24 via 10.0.0.2 metric 2 eth0', '10.0.5.0/24 via 10.0.1.2 metric 3 eth1', '10.0.6.0/24 via 10.0.1.2 metric 2 eth1', '10.0.7.0/24 via 10.0.1.2 metric 2 eth1', '10.0.8.0/24 via 10.0.1.2 metric 3 eth1', '10.0.9.0/24 via 10.0.0.2 metric 3 eth0'],
      router3: ['10.0.0.0/24 via 10.0.3.1 metric 2 eth3', '10.0.1.0/24 via 10.0.6.1 metric 2 eth2', '10.0.2.0/24 via 10.0.3.1 metric 2 eth3', '10.0.4.0/24 via 10.0.5.1 metric 2 eth1', '10.0.7.0/24 via 10.0.6.1 metric 2 eth2', '10.0.9.0/24 via 10.0.5.1 metric 2 eth1'],
    };
    for (const [node, rows] of Object.entries(expected)) expect(ripRoutes(world, node), node).toEqual(rows);
    const ping = runCommand(world, 'pc7', 'ping -c 3 10.0.8.2').output;
    expect(ping).toContain('3 packets transmitted, 3 packets received, 0.0% packet loss');
    expect(ping).toContain('ttl=62');
  });

  it("Inspect's routing table gives each route its origin and age", () => {
    const world = new World(ripImn(), { seed: 1 });
    at(world, 60);
    const snap = nodeSnapshot(world, world.nodeByName('router4')!);
    const rip = snap.routes.find((r) => r.dest === '10.0.8.0/24')!;
    expect(rip).toMatchObject({ gateway: '10.0.5.2', flags: 'UG1', origin: 'rip' });
    expect(rip.ageNs).toBeGreaterThan(55e9);
    expect(rip.ageNs).toBeLessThan(60e9);
    expect(snap.routes.find((r) => r.dest === '10.0.9.0/24')).toMatchObject({ origin: 'connected', ageNs: 60e9 });
  });

  it('vtysh shows zebra and ripd tables in FRR format', () => {
    const world = new World(ripImn(), { seed: 1 });
    at(world, 60);
    const route = runCommand(world, 'router4', "vtysh -c 'show ip route'").output.split('\n');
    expect(route[0]).toBe('Codes: K - kernel route, C - connected, S - static, R - RIP,');
    expect(route).toContain('C>* 10.0.9.0/24 is directly connected, eth0, 00:01:00');
    expect(route.find((l) => l.startsWith('R>* 10.0.8.0/24'))).toMatch(/^R>\* 10\.0\.8\.0\/24 \[120\/2\] via 10\.0\.5\.2, eth1, 00:00:5\d$/);
    const rip = runCommand(world, 'router4', "vtysh -c 'sh ip rip'").output.split('\n');
    expect(rip).toContain('     Network            Next Hop         Metric From            Tag Time');
    expect(rip).toContain('C(i) 10.0.9.0/24        0.0.0.0               1 self              0');
    expect(rip.find((l) => l.startsWith('R(n) 10.0.8.0/24'))).toMatch(/^R\(n\) 10\.0\.8\.0\/24 {8}10\.0\.5\.2 {14}2 10\.0\.5\.2 {10}0 0[23]:\d\d$/);
    const status = runCommand(world, 'router4', "vtysh -c 'sh ip rip st'").output.split('\n');
    expect(status[0]).toBe('Routing Protocol is "rip"');
    expect(status).toContain('  Timeout after 180 seconds, garbage collect after 120 seconds');
    expect(status.filter((l) => /^ {4}10\.0\.[45]\.\d +0 +0 +120 {3}00:00:\d\d$/.test(l))).toHaveLength(2);
    const pc = runCommand(world, 'pc7', "vtysh -c 'show ip route'");
    expect(pc.output).toBe('Exiting: failed to connect to any daemons.\n');
  });

  it('a link cut withdraws the routes through it at once and re-converges within one update interval', () => {
    const world = new World(ripImn(), { seed: 1 });
    at(world, 60);
    expect(routeTo(world, 'router4', '10.0.8.0/24')).toBe('rip 10.0.5.2 2');
    world.setLinkUp('l5', false); // router4 eth1 — router3 eth1
    at(world, 60.01);
    expect(routeTo(world, 'router4', '10.0.8.0/24')).toBeNull();
    expect(routeTo(world, 'router3', '10.0.9.0/24')).toBeNull();
    at(world, 60 + 36); // the next regular update of router1 (30 s ± 5 s) carries the other path
    expect(routeTo(world, 'router4', '10.0.8.0/24')).toBe('rip 10.0.4.1 3');
    expect(runCommand(world, 'pc7', 'ping -c 2 10.0.8.2').output).toContain('2 packets received');
  });

  it('a silent neighbor (carrier up, all frames lost) times out after 180 s, then the other path is taken', () => {
    const world = new World(ripImn(), { seed: 1 });
    at(world, 60);
    world.setLinkParams('l5', { lossPercent: 100 });
    at(world, 60 + 140); // the last update heard was at most 35 s before the cut
    expect(routeTo(world, 'router4', '10.0.8.0/24')).toBe('rip 10.0.5.2 2');
    at(world, 60 + 180.01);
    expect(routeTo(world, 'router4', '10.0.8.0/24')).not.toBe('rip 10.0.5.2 2');
    at(world, 60 + 180 + 36);
    expect(routeTo(world, 'router4', '10.0.8.0/24')).toBe('rip 10.0.4.1 3');
  });

  it('the same seed gives the same convergence trace; another seed other update times', () => {
    const run = (seed: number) => {
      const world = new World(ripImn(), { seed });
      at(world, 120);
      return { hash: world.traceHash(), tables: ['router0', 'router1', 'router2', 'router3', 'router4'].map((r) => ripRoutes(world, r)) };
    };
    const a = run(5);
    const b = run(5);
    expect(a.hash).toBe(b.hash);
    expect(a.tables).toEqual(b.tables);
    expect(run(6).hash).not.toBe(a.hash);
  });
});

/** r1 — r2 — r3 — pc (10.0.9.0/24 behind r3); RIP everywhere; link ids l0 (r1–r2), l1 (r2–r3), l2 (r3–pc). */
function chain(extra = ''): TopologyDoc {
  const b = builder();
  const r1 = b.node('router', 'r1');
  const r2 = b.node('router', 'r2');
  const r3 = b.node('router', 'r3');
  const pc = b.node('pc', 'pc');
  b.link(r1, r2, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
  b.link(r2, r3, { aIp: '10.0.2.2/24', bIp: '10.0.2.3/24' });
  b.link(r3, pc, { aIp: '10.0.9.1/24', bIp: '10.0.9.20/24' });
  b.route(pc, '0.0.0.0/0', '10.0.9.1');
  for (const r of [r1, r2, r3]) r.frrConf = `router rip\n network 0.0.0.0/0\n!\n${extra}`;
  return b.doc;
}

/** r2's RIP responses toward r3 (captured on r2 eth1) during the first 40 s, all entries. */
function r2ToR3(extra = ''): RipEntry[] {
  const world = new World(chain(extra), { seed: 3 });
  const cap = world.startCapture({ kind: 'iface', node: 'r2', iface: 'eth1' });
  at(world, 40);
  cap.finish();
  const r2 = parseIpv4('10.0.2.2')!;
  const msgs = cap.frames
    .map((c) => c.frame)
    .filter((f) => f[23] === 17 && ((f[26] << 24) | (f[27] << 16) | (f[28] << 8) | f[29]) >>> 0 === r2 && ((f[36] << 8) | f[37]) === 520)
    .map((f) => parseRip(f, 42, ((f[38] << 8) | f[39]) - 8) as RipRepr);
  expect(msgs.length).toBeGreaterThan(0);
  return msgs.flatMap((m) => m.entries);
}

describe('split horizon', () => {
  it('by default (FRR\'s `ip rip split-horizon`) leaves out what was learned from the neighbor and the link\'s own subnet', () => {
    const entries = r2ToR3();
    expect(entries.filter((e) => e.addr === parseIpv4('10.0.9.0'))).toEqual([]);
    expect(entries.filter((e) => e.addr === parseIpv4('10.0.2.0'))).toEqual([]);
    expect(entries.find((e) => e.addr === parseIpv4('10.0.1.0'))?.metric).toBe(1);
  });

  it('with poisoned reverse advertises those routes back to their neighbor with metric 16', () => {
    const entries = r2ToR3('interface eth1\n ip rip split-horizon poisoned-reverse\n!\n');
    // Every entry r2 sends r3 for 10.0.9.0/24 (learned from r3) is poisoned; 10.0.1.0/24 is not.
    const to9 = entries.filter((e) => e.addr === parseIpv4('10.0.9.0'));
    expect(to9.length).toBeGreaterThan(0);
    for (const e of to9) expect(e.metric).toBe(16);
    // §4.4 next hop, as FRR sends it: the route's gateway on the link it lies through
    // (r3 itself, for the poisoned entry), 0 for a route through another link.
    for (const e of to9) expect(formatIpv4(e.nextHop)).toBe('10.0.2.3');
    expect(entries.find((e) => e.addr === parseIpv4('10.0.2.0'))?.metric).toBe(16);
    expect(entries.find((e) => e.addr === parseIpv4('10.0.1.0'))?.metric).toBe(1);
    expect(entries.find((e) => e.addr === parseIpv4('10.0.1.0'))?.nextHop).toBe(0);
  });

  it('prevents a loop when the poison is lost: r2 never routes 10.0.9.0 back through r1; ripd garbage-collects after 120 s', () => {
    const world = new World(chain(), { seed: 3 });
    at(world, 40);
    expect(routeTo(world, 'r1', '10.0.9.0/24')).toBe('rip 10.0.1.2 3');
    world.setLinkParams('l0', { lossPercent: 100 }, 'ba'); // r2 → r1 frames are lost: r1 never hears the poison
    world.setLinkUp('l2', false);
    for (let t = 41; t <= 40 + 200; t++) {
      at(world, t);
      expect(routeTo(world, 'r2', '10.0.9.0/24'), `t=${t}`).toBeNull();
    }
    const rip = runCommand(world, 'r2', "vtysh -c 'show ip rip'").output;
    expect(rip).not.toContain('10.0.9.0/24');
  });

  it('without split horizon the same failure loops (the test above can fail)', () => {
    const world = new World(chain('interface eth0\n no ip rip split-horizon\n!\ninterface eth1\n no ip rip split-horizon\n!\n'), { seed: 3 });
    at(world, 40);
    world.setLinkParams('l0', { lossPercent: 100 }, 'ba');
    world.setLinkUp('l2', false);
    at(world, 40 + 40);
    expect(routeTo(world, 'r2', '10.0.9.0/24')).toBe('rip 10.0.1.1 4');
  });

  it('keeps a deleted route at metric 16 for the 120 s garbage-collection time', () => {
    const world = new World(chain(), { seed: 3 });
    at(world, 40);
    world.setLinkUp('l2', false);
    at(world, 40 + 100);
    expect(runCommand(world, 'r1', "vtysh -c 'show ip rip'").output).toMatch(/R\(n\) 10\.0\.9\.0\/24 +10\.0\.1\.2 +16 10\.0\.1\.2 +0 00:[12]\d/);
    at(world, 40 + 125);
    expect(runCommand(world, 'r1', "vtysh -c 'show ip rip'").output).not.toContain('10.0.9.0/24');
  });
});

describe.skipIf(!tsharkAvailable())('tshark on RIP traffic', () => {
  it('decodes RIPv2 to 224.0.0.9 with zero malformed packets and zero bad checksums', async () => {
    const world = new World(ripImn(), { seed: 2 });
    const cap = world.startCapture({ kind: 'iface', node: 'router4', iface: 'eth1' });
    at(world, 70);
    cap.finish();
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-rip-'));
    const file = join(dir, 'rip.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const rip = (await runTshark(['-r', file, '-Y', 'rip', '-T', 'fields', '-e', 'rip.version', '-e', 'rip.command', '-e', 'ip.dst', '-e', 'eth.dst'])).trim().split('\n');
    expect(rip.length).toBeGreaterThan(4);
    expect(new Set(rip)).toContain('2\t2\t224.0.0.9\t01:00:5e:00:00:09');
    expect(new Set(rip)).toContain('2\t1\t224.0.0.9\t01:00:5e:00:00:09');
  }, 60_000);
});

describe('redistribution follows the table at once', () => {
  it('a static route added with route(8) is redistributed by a triggered update, not 30 s later', () => {
    const doc = chain();
    doc.nodes.find((n) => n.name === 'r3')!.frrConf = 'router rip\n network 0.0.0.0/0\n redistribute static\n!\n';
    const world = new World(doc, { seed: 3 });
    at(world, 40);
    expect(runCommand(world, 'r3', 'route add -net 192.168.0.0/16 10.0.9.20').exitCode).toBe(0);
    at(world, 40.5);
    expect(routeTo(world, 'r1', '192.168.0.0/16')).toBe('rip 10.0.1.2 3');
    expect(runCommand(world, 'r1', 'netstat -rn').output).toMatch(/^192\.168\.0\.0\/16 +10\.0\.1\.2 +UG1 +eth0$/m);
    // FRR's Next Hop column for a redistributed static route is its gateway.
    expect(runCommand(world, 'r3', "vtysh -c 'show ip rip'").output).toMatch(/^S\(r\) 192\.168\.0\.0\/16 +10\.0\.9\.20 +1 self +0$/m);
    expect(runCommand(world, 'r3', 'route delete -net 192.168.0.0/16').exitCode).toBe(0);
    at(world, 40.5 + 10.5); // each router holds triggered updates 1–5 s apart (§3.10.1): two hops
    expect(routeTo(world, 'r1', '192.168.0.0/16')).toBeNull();
  });

  it('without `redistribute static` the route stays local', () => {
    const world = new World(chain(), { seed: 3 });
    at(world, 40);
    runCommand(world, 'r3', 'route add -net 192.168.0.0/16 10.0.9.20');
    at(world, 80);
    expect(routeTo(world, 'r1', '192.168.0.0/16')).toBeNull();
  });
});

describe('vtysh configure terminal', () => {
  it('turns RIP on live: the neighbors learn the routes within seconds; running-config shows it', () => {
    const doc = chain();
    doc.nodes.find((n) => n.name === 'r2')!.frrConf = 'hostname r2\n!\n';
    const world = new World(doc, { seed: 3 });
    at(world, 40);
    expect(routeTo(world, 'r1', '10.0.9.0/24')).toBeNull();
    const conf = runCommand(world, 'r2', "vtysh -c 'conf t' -c 'router rip' -c ' network 0.0.0.0/0' -c ' distance 5' -c 'end' -c 'show running-config'");
    expect(conf.output).toContain('% frr.conf:5: "distance 5" (router rip) is not implemented in VirtNet and is ignored');
    expect(conf.output).toContain('hostname r2\n!\nrouter rip\n network 0.0.0.0/0\n distance 5\n!\nend\n');
    at(world, 45);
    expect(routeTo(world, 'r1', '10.0.9.0/24')).toBe('rip 10.0.1.2 3');
  });
});

describe('bounds', () => {
  it('a neighbor flooding bogus routes fills the database only up to its bound; the rest are counted', () => {
    const world = new World(chain(), { seed: 3 });
    at(world, 10);
    const ripd = world.nodeByName('r3')!.daemons!.rip!;
    ripd.maxRoutes = ripd.routes.size + 30;
    const pc = world.nodeByName('pc')!.stack!;
    for (let p = 0; p < 4; p++) {
      const entries = Array.from({ length: 25 }, (_, i) => ({ afi: 2, tag: 0, addr: ((172 << 24) | (16 << 16) | ((p * 25 + i) << 8)) >>> 0, mask: 0xffffff00, nextHop: 0, metric: 1 }));
      udpSend(pc, { dst: parseIpv4('10.0.9.1')!, dstPort: 520, srcPort: 520, payload: buildRip({ command: 2, version: 2, entries }) });
    }
    at(world, 11);
    expect(ripd.routes.size).toBe(ripd.maxRoutes);
    expect(ripd.counters.routesRefused).toBe(70);
    expect(routeTo(world, 'r3', '172.16.0.0/24')).toBe('rip 10.0.9.20 2');
  });
});

describe('RIP at scale', () => {
  /** An n×n grid of routers, one /24 per link, RIP on every router. */
  function grid(n: number): { doc: TopologyDoc; subnets: number } {
    const b = builder();
    const r = Array.from({ length: n * n }, (_, i) => b.node('router', `r${i}`));
    let k = 0;
    const ip = (h: number) => `10.${k >> 8}.${k & 255}.${h}/24`;
    for (let i = 0; i < n * n; i++) {
      if (i % n + 1 < n) (b.link(r[i], r[i + 1], { aIp: ip(1), bIp: ip(2) }), k++);
      if (i + n < n * n) (b.link(r[i], r[i + n], { aIp: ip(1), bIp: ip(2) }), k++);
    }
    for (const x of r) x.frrConf = 'router rip\n network 0.0.0.0/0\n!\n';
    return { doc: b.doc, subnets: k };
  }

  it('a 7×7 grid (49 routers, 84 subnets) learns every subnet within 30 virtual seconds', () => {
    const { doc, subnets } = grid(7);
    const world = new World(doc, { seed: 1 });
    at(world, 30);
    for (const n of world.nodes) {
      const connected = n.stack!.ifaces.length - 1;
      expect(routeList(n.stack!).filter((r) => r.kind === 'rip').length, n.name).toBe(subnets - connected);
    }
  });
});
