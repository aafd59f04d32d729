// BGP-4 as IMUNES labs run it, over the real TCP stack: eBGP between two ASes (sessions
// Established, routes with origin B and AS path), iBGP inside one AS (next hop unchanged,
// iBGP-learned routes not re-advertised to iBGP peers), the decision process, FRR's
// ebgp-requires-policy, vtysh views, the IMUNES BGP example, determinism and tshark.
// RFC 4271 §8, §9.1, §9.2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES } from '../support/paths';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';
import { World } from '../../src/emulator/engine/world';
import { openShell, runCommand } from '../../src/emulator/shell';
import { routeList } from '../../src/emulator/stack/route';
import { formatCidr, formatIpv4 } from '../../src/emulator/wire/addr';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { builder } from './topologies';
import { summarizeFrame } from '../../src/emulator/wire/decode';

const S = 1_000_000_000;

function routeTo(world: World, node: string, dest: string): string | null {
  const r = routeList(world.nodeByName(node)!.stack!).find((x) => formatCidr(x.dest, x.prefixLen) === dest);
  return r === undefined ? null : `${r.kind} ${r.gateway === null ? 'on-link' : formatIpv4(r.gateway)} ${r.iface}`;
}

/** r1 (AS 65001) — r2 (AS 65002) on 10.0.12.0/24, each with a pc LAN 10.0.N.0/24. */
function twoAs(policy = 'no bgp ebgp-requires-policy'): TopologyDoc {
  const b = builder();
  const r1 = b.node('router', 'r1');
  const r2 = b.node('router', 'r2');
  b.link(r1, r2, { aIp: '10.0.12.1/24', bIp: '10.0.12.2/24' });
  for (const [i, r] of [[1, r1], [2, r2]] as const) {
    const pc = b.node('pc', `pc${i}`);
    b.link(r, pc, { aIp: `10.0.${i}.1/24`, bIp: `10.0.${i}.20/24` });
    b.route(pc, '0.0.0.0/0', `10.0.${i}.1`);
  }
  r1.frrConf = `router bgp 65001\n ${policy}\n bgp router-id 1.1.1.1\n network 10.0.1.0/24\n neighbor 10.0.12.2 remote-as 65002\n!\n`;
  r2.frrConf = `router bgp 65002\n ${policy}\n bgp router-id 2.2.2.2\n network 10.0.2.0/24\n neighbor 10.0.12.1 remote-as 65001\n!\n`;
  return b.doc;
}

describe('eBGP between two ASes', () => {
  it('comes up Established within seconds and installs B routes; the pcs ping', () => {
    const world = new World(twoAs(), { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(10 * S);
    const p1 = world.nodeByName('r1')!.daemons!.bgp!.peers.get(0x0a000c02)!;
    expect(p1.state).toBe('Established');
    expect(p1.conns.length).toBe(1); // the collision left one connection
    expect(routeTo(world, 'r1', '10.0.2.0/24')).toBe('bgp 10.0.12.2 eth0');
    expect(routeTo(world, 'r2', '10.0.1.0/24')).toBe('bgp 10.0.12.1 eth0');
    expect(runCommand(world, 'pc1', 'ping -c 1 10.0.2.20').output).toContain('1 packets received');
    const rt = runCommand(world, 'r1', "vtysh -c 'show ip route'").output;
    expect(rt).toMatch(/^B>\* 10\.0\.2\.0\/24 \[20\/0\] via 10\.0\.12\.2, eth0, 00:00:\d\d$/m);
    // The Events list hears of the session and the route, as FRR logs them.
    const events = world.takeRoutingEvents();
    expect(events).toContain('r1: bgpd: %ADJCHANGE: neighbor 10.0.12.2 Up');
    expect(events).toContain('r1: zebra: route 10.0.2.0/24 via 10.0.12.2 added (bgp)');
  });

  it('without `no bgp ebgp-requires-policy` FRR exchanges no eBGP routes', () => {
    const world = new World(twoAs('bgp log-neighbor-changes'), { seed: 1 });
    world.sim.runUntil(10 * S);
    expect(world.nodeByName('r1')!.daemons!.bgp!.peers.get(0x0a000c02)!.state).toBe('Established');
    expect(routeTo(world, 'r1', '10.0.2.0/24')).toBeNull();
  });
});

/**
 * AS 65000 of three routers in a chain a — b — c (iBGP a–b and b–c only, static routes for
 * the IGP) with an eBGP neighbor x (AS 65100) behind a: x's LAN reaches b with a's
 * next hop unchanged, but never c (b does not pass iBGP-learned routes to iBGP peers).
 */
function ibgpChain(): TopologyDoc {
  const b = builder();
  const [ra, rb, rc, rx] = ['a', 'b', 'c', 'x'].map((n) => b.node('router', n));
  b.link(rx, ra, { aIp: '10.9.0.2/24', bIp: '10.9.0.1/24' });
  b.link(ra, rb, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
  b.link(rb, rc, { aIp: '10.0.2.2/24', bIp: '10.0.2.3/24' });
  const lan = b.node('pc', 'pcx');
  b.link(rx, lan, { aIp: '192.168.9.1/24', bIp: '192.168.9.20/24' });
  b.route(lan, '0.0.0.0/0', '192.168.9.1');
  ra.frrConf = 'router bgp 65000\n no bgp ebgp-requires-policy\n neighbor 10.9.0.2 remote-as 65100\n neighbor 10.0.1.2 remote-as 65000\n!\n';
  rb.frrConf = 'ip route 10.9.0.0/24 10.0.1.1\nrouter bgp 65000\n neighbor 10.0.1.1 remote-as 65000\n neighbor 10.0.2.3 remote-as internal\n!\n';
  rc.frrConf = 'ip route 10.0.1.0/24 10.0.2.2\nrouter bgp 65000\n neighbor 10.0.2.2 remote-as 65000\n!\n';
  rx.frrConf = 'router bgp 65100\n no bgp ebgp-requires-policy\n network 192.168.9.0/24\n neighbor 10.9.0.1 remote-as 65000\n!\n';
  return b.doc;
}

describe('iBGP inside one AS', () => {
  it('keeps the eBGP next hop (resolved through the IGP), local pref 100, and does not re-advertise iBGP routes to iBGP peers', () => {
    const world = new World(ibgpChain(), { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(20 * S);
    for (const [r, n] of [['a', 2], ['b', 2], ['c', 1]] as const) expect(`${r}: ${[...world.nodeByName(r)!.daemons!.bgp!.peers.values()].filter((p) => p.state === 'Established').length}`).toBe(`${r}: ${n}`);
    expect(routeTo(world, 'a', '192.168.9.0/24')).toBe('bgp 10.9.0.2 eth0');
    // b: next hop 10.9.0.2 unchanged (RFC 4271 §5.1.3), reached through the static route to 10.9.0.0/24.
    expect(routeTo(world, 'b', '192.168.9.0/24')).toBe('bgp 10.0.1.1 eth0');
    const bgpB = runCommand(world, 'b', "vtysh -c 'show ip bgp'").output;
    expect(bgpB).toMatch(/^\*>i192\.168\.9\.0\/24 +10\.9\.0\.2 +0 +100 +0 65100 i$/m);
    expect(routeTo(world, 'c', '192.168.9.0/24')).toBeNull();
    expect(world.nodeByName('c')!.daemons!.bgp!.peers.get(0x0a000202)!.adjIn.size).toBe(0);
  });

  it('next-hop-self: b then rewrites the next hop toward c, and c learns nothing still (iBGP split horizon)', () => {
    const doc = ibgpChain();
    const b = doc.nodes.find((n) => n.name === 'b')!;
    b.frrConf = b.frrConf!.replace(' neighbor 10.0.2.3 remote-as internal\n', ' neighbor 10.0.2.3 remote-as internal\n neighbor 10.0.2.3 next-hop-self\n');
    const a = doc.nodes.find((n) => n.name === 'a')!;
    a.frrConf = a.frrConf!.replace(' neighbor 10.0.1.2 remote-as 65000\n', ' neighbor 10.0.1.2 remote-as 65000\n neighbor 10.0.1.2 next-hop-self\n');
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(20 * S);
    expect(runCommand(world, 'b', "vtysh -c 'show ip bgp'").output).toMatch(/^\*>i192\.168\.9\.0\/24 +10\.0\.1\.1 /m);
    expect(routeTo(world, 'c', '192.168.9.0/24')).toBeNull();
  });
});

describe('iBGP and the IGP', () => {
  it('an iBGP route (distance 200) yields to a static route of the same prefix and goes in once it is deleted', () => {
    const doc = ibgpChain();
    const b = doc.nodes.find((n) => n.name === 'b')!;
    b.frrConf = `ip route 192.168.9.0/24 10.0.1.1\n${b.frrConf!}`;
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(20 * S);
    expect(routeTo(world, 'b', '192.168.9.0/24')).toBe('static 10.0.1.1 eth0');
    expect(runCommand(world, 'b', 'route delete 192.168.9.0/24').exitCode).toBe(0);
    world.sim.runUntil(21 * S);
    expect(routeTo(world, 'b', '192.168.9.0/24')).toBe('bgp 10.0.1.1 eth0');
  });
});

/** r1 and r2 in AS 65000, peering between their LAN addresses (10.0.1.1, 10.0.2.1) over static routes. */
function ibgpBetweenLans(r1Source: string | null, r2Source: string | null): TopologyDoc {
  const b = builder();
  const r1 = b.node('router', 'r1');
  const r2 = b.node('router', 'r2');
  b.link(r1, r2, { aIp: '10.0.12.1/24', bIp: '10.0.12.2/24' });
  for (const [i, r] of [[1, r1], [2, r2]] as const) {
    const pc = b.node('pc', `pc${i}`);
    b.link(r, pc, { aIp: `10.0.${i}.1/24`, bIp: `10.0.${i}.20/24` });
  }
  b.route(r1, '10.0.2.0/24', '10.0.12.2');
  b.route(r2, '10.0.1.0/24', '10.0.12.1');
  const src = (peer: string, u: string | null) => (u === null ? '' : ` neighbor ${peer} update-source ${u}\n`);
  r1.frrConf = `router bgp 65000\n bgp router-id 1.1.1.1\n network 192.168.1.0/24\n neighbor 10.0.2.1 remote-as 65000\n${src('10.0.2.1', r1Source)}!\nip route 192.168.1.0/24 10.0.1.20\n`;
  r2.frrConf = `router bgp 65000\n bgp router-id 2.2.2.2\n neighbor 10.0.1.1 remote-as 65000\n${src('10.0.1.1', r2Source)}!\n`;
  return b.doc;
}

describe('neighbor update-source', () => {
  it('connects from the named interface or address, so peers configured by those addresses come up', () => {
    const world = new World(ibgpBetweenLans('eth1', '10.0.2.1'), { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(10 * S);
    const p1 = world.nodeByName('r1')!.daemons!.bgp!.peers.get(0x0a000201)!;
    expect(p1.state).toBe('Established');
    expect(formatIpv4(p1.localAddr)).toBe('10.0.1.1');
    expect(routeTo(world, 'r2', '192.168.1.0/24')).toBe('bgp 10.0.12.1 eth0'); // next hop 10.0.1.1, resolved through the static route
  });

  it('without it the session comes from the outgoing interface and the peer refuses it', () => {
    const world = new World(ibgpBetweenLans(null, null), { seed: 1 });
    world.sim.runUntil(10 * S);
    expect(world.nodeByName('r1')!.daemons!.bgp!.peers.get(0x0a000201)!.state).not.toBe('Established');
  });

  it('warns, located, when it names neither an interface nor an address', () => {
    const world = new World(ibgpBetweenLans('eth9', null), { seed: 1 });
    expect(world.warnings).toEqual(['r1: frr.conf:5: neighbor update-source eth9: no such interface or address; the session cannot connect out']);
  });
});

describe('the decision process', () => {
  it('prefers the higher weight, then the shorter AS path; a cut session withdraws and the other path takes over', () => {
    // The IMUNES BGP example: streamer (65002) hears sat's LAN 172.16.101.0/24 from sat
    // (65004, path 65004) and via c3640 (65003); c3640 prefers sat by weight 200.
    const file = join(IMUNES_EXAMPLES, 'BGP_custom-config.imn');
    const r = parseTopology(readFileSync(file, 'utf8'), file);
    if ('errors' in r) throw new Error(JSON.stringify(r.errors));
    const world = new World(r.doc, { seed: 1 });
    expect(world.warnings.filter((w) => /bgp|BGP/.test(w))).toEqual([]);
    world.sim.runUntil(30 * S);
    const sum = runCommand(world, 'streamer', "vtysh -c 'show ip bgp summary'").output;
    expect(sum).toMatch(/^10\.1\.2\.4 +4 +65001 +\d+ +\d+ +\d+ +0 +0 00:00:\d\d +\d+ +\d+ N\/A$/m);
    expect(sum).toContain('Total number of neighbors 3');
    const gw = runCommand(world, 'c3640', "vtysh -c 'show ip bgp'").output;
    // c3640 (65003): 192.168.100.0/24 via streamer (65002 65001, weight 100) and via sat (65004 65002 65001, weight 200): weight wins.
    expect(gw).toMatch(/^\*> 192\.168\.100\.0\/24 172\.16\.101\.2 +200 65004 65002 65001 i$/m);
    expect(gw).toMatch(/^\*  +172\.16\.102\.1 +100 65002 65001 i$/m);
    const pcs = r.doc.nodes.filter((n) => n.kind === 'pc' || n.kind === 'host');
    for (const a of pcs) for (const b of pcs) {
      if (a === b) continue;
      const dst = b.interfaces.find((i) => i.ipv4.length > 0 && i.name !== 'lo0')!.ipv4[0]!.split('/')[0]!;
      expect(`${a.name}→${b.name}: ${runCommand(world, a.name, `ping -c 1 ${dst}`).output}`).toContain('1 packets received');
    }
    // Cut c3640 — sat: the session resets at once (fast-external-failover), the path via streamer takes over.
    const c3640 = r.doc.nodes.find((n) => n.name === 'c3640')!;
    const cut = r.doc.links.find((l) => [l.a, l.b].some((e) => e.node === c3640.id && e.iface === 'eth1'))!;
    world.setLinkUp(cut.id, false);
    world.sim.runUntil(31 * S);
    expect(world.nodeByName('c3640')!.daemons!.bgp!.peers.get(0xac106502)!.state).not.toBe('Established');
    expect(routeTo(world, 'c3640', '192.168.100.0/24')).toBe('bgp 172.16.102.1 eth0');
    expect(runCommand(world, 'c3640', "vtysh -c 'show ip bgp neighbors'").output).toMatch(/BGP neighbor is 172\.16\.101\.2, remote AS 65004, local AS 65003, external link[\s\S]*Last reset 00:00:0\d,  Interface down/);
  });
});

describe('BGP determinism and captures', () => {
  it('the same seed gives the same trace', () => {
    const run = (seed: number) => {
      const world = new World(ibgpChain(), { seed });
      world.sim.runUntil(30 * S);
      return world.traceHash();
    };
    expect(run(5)).toBe(run(5));
  });

  it.skipIf(!tsharkAvailable())('tshark decodes OPEN, UPDATE, KEEPALIVE, NOTIFICATION and ROUTE-REFRESH with zero malformed', async () => {
    const world = new World(twoAs(), { seed: 2 });
    const cap = world.startCapture({ kind: 'iface', node: 'r1', iface: 'eth0' });
    world.sim.runUntil(200 * S);
    runCommand(world, 'r2', "vtysh -c 'conf t' -c 'route-map C permit 10' -c 'set community 65002:7 no-export' -c 'router bgp 65002' -c 'network 10.0.12.0/24' -c 'neighbor 10.0.12.1 route-map C out'");
    world.sim.runUntil(202 * S);
    runCommand(world, 'r2', "vtysh -c 'clear ip bgp 10.0.12.1 soft in'");
    world.sim.runUntil(204 * S);
    runCommand(world, 'r2', "vtysh -c 'clear ip bgp *'");
    world.sim.runUntil(210 * S);
    cap.finish();
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-bgp-')), 'bgp.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const types = (await runTshark(['-r', file, '-Y', 'bgp', '-T', 'fields', '-e', 'bgp.type'])).trim().split('\n').flatMap((l) => l.split(','));
    expect(new Set(types)).toEqual(new Set(['1', '2', '3', '4', '5']));
    const paths = (await runTshark(['-r', file, '-Y', 'bgp.type == 2', '-T', 'fields', '-e', 'bgp.update.path_attribute.as_path_segment.as4'])).trim();
    expect(paths).toContain('65002');
    const communities = (await runTshark(['-r', file, '-Y', 'bgp.update.path_attribute.communities', '-T', 'fields', '-e', 'bgp.update.path_attribute.community_as', '-e', 'bgp.update.path_attribute.community_value'])).trim();
    expect(communities).toMatch(/65002.*\t.*7/);
    // The capture inspector names BGP segments as tshark's Info column does.
    const info = (await runTshark(['-r', file, '-Y', 'bgp', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info'])).trim().split('\n').map((l) => l.split('\t'));
    expect(info.length).toBeGreaterThan(5);
    for (const [n, text] of info) expect(summarizeFrame(cap.frames[Number(n) - 1]!.frame).info).toBe(text);
  }, 60_000);
});

describe('interactive vtysh in a node shell', () => {
  it('shows the router# prompt, runs show commands, configures BGP live and leaves with exit', () => {
    const world = new World(twoAs(), { seed: 1 });
    world.sim.runUntil(10 * S);
    let out = '';
    const shell = openShell(world, 'r2', { write: (t) => void (out += t) });
    let exit = -1;
    shell.exec('vtysh', (code) => (exit = code));
    expect(out).toContain('Hello, this is FRRouting');
    expect(out.endsWith('r2# ')).toBe(true);
    shell.input('sh ip bgp sum\n');
    expect(out).toMatch(/10\.0\.12\.1 +4 +65001 /);
    shell.input('conf t\n');
    expect(out.endsWith('r2(config)# ')).toBe(true);
    shell.input('router bgp 65002\n');
    expect(out.endsWith('r2(config-router)# ')).toBe(true);
    shell.input(' network 10.0.12.0/24\n');
    shell.input('do show ip bgp\n');
    shell.input('end\n');
    expect(out.endsWith('r2# ')).toBe(true);
    world.sim.runUntil(20 * S);
    expect(routeTo(world, 'r1', '10.0.12.0/24')).toBe('connected on-link eth0'); // connected wins over the B route
    expect(runCommand(world, 'r1', "vtysh -c 'show ip bgp'").output).toMatch(/^\*> 10\.0\.12\.0\/24 +10\.0\.12\.2 +0 +0 65002 i$/m);
    expect(exit).toBe(-1);
    // FRR's sub-modes for route-maps and address families; exit climbs one level.
    shell.input('conf t\n');
    shell.input('route-map MED permit 10\n');
    expect(out.endsWith('r2(config-route-map)# ')).toBe(true);
    shell.input('set metric 77\n');
    shell.input('exit\n');
    expect(out.endsWith('r2(config)# ')).toBe(true);
    shell.input('router bgp 65002\n');
    shell.input('address-family ipv4 unicast\n');
    expect(out.endsWith('r2(config-router-af)# ')).toBe(true);
    shell.input('neighbor 10.0.12.1 route-map MED out\n');
    shell.input('exit\n');
    expect(out.endsWith('r2(config-router)# ')).toBe(true);
    shell.input('end\n');
    world.sim.runUntil(22 * S);
    expect(runCommand(world, 'r1', "vtysh -c 'show ip bgp'").output).toMatch(/^\*> 10\.0\.2\.0\/24 +10\.0\.12\.2 +77 +0 65002 i$/m);
    shell.input('exit\n');
    expect(exit).toBe(0);
  });
});
