// BGP routing policy as FRR applies it, over real sessions: local preference set by an
// inbound route-map steers egress, AS-path prepending by an outbound route-map steers
// ingress, prefix lists filter, route-maps end in an implicit deny, RFC 8212's
// ebgp-requires-policy is met by any policy; and `configure terminal` changes a running
// bgpd in place (UPDATEs and withdrawals, no session reset) while `clear ip bgp` resets.
// RFC 4271 §9.1.1, §9.2; RFC 8212; RFC 2918.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { routeList } from '../../src/emulator/stack/route';
import { formatCidr, formatIpv4, parseIpv4 } from '../../src/emulator/wire/addr';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { builder } from './topologies';
import { parseFrrConf } from '../../src/emulator/node/daemons/frr-conf';

const S = 1_000_000_000;

function routeTo(world: World, node: string, dest: string): string | null {
  const r = routeList(world.nodeByName(node)!.stack!).find((x) => formatCidr(x.dest, x.prefixLen) === dest);
  return r === undefined ? null : `${r.kind} ${r.gateway === null ? 'on-link' : formatIpv4(r.gateway)} ${r.iface}`;
}

const vtysh = (world: World, node: string, ...cmds: string[]) => runCommand(world, node, `vtysh ${cmds.map((c) => `-c '${c}'`).join(' ')}`).output;

/**
 * r (AS 65001, LAN 10.0.0.0/24 with pc) has two providers p1 (AS 65002, on 10.0.1.0/24)
 * and p2 (AS 65003, on 10.0.2.0/24); both reach the server LAN 10.99.0.0/24 and announce it.
 */
function dualHomed(rExtra: string, p2Extra = ''): TopologyDoc {
  const b = builder();
  const r = b.node('router', 'r');
  const p1 = b.node('router', 'p1');
  const p2 = b.node('router', 'p2');
  const sw = b.node('lanswitch', 'sw');
  const pc = b.node('pc', 'pc');
  const h = b.node('host', 'h');
  b.link(r, p1, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
  b.link(r, p2, { aIp: '10.0.2.1/24', bIp: '10.0.2.2/24' });
  b.link(r, pc, { aIp: '10.0.0.1/24', bIp: '10.0.0.20/24' });
  b.link(p1, sw, { aIp: '10.99.0.1/24' });
  b.link(p2, sw, { aIp: '10.99.0.2/24' });
  b.link(h, sw, { aIp: '10.99.0.10/24' });
  b.route(pc, '0.0.0.0/0', '10.0.0.1');
  b.route(h, '0.0.0.0/0', '10.99.0.1');
  r.frrConf = `router bgp 65001\n bgp router-id 1.1.1.1\n network 10.0.0.0/24\n neighbor 10.0.1.2 remote-as 65002\n neighbor 10.0.2.2 remote-as 65003\n${rExtra}!\n`;
  p1.frrConf = 'router bgp 65002\n no bgp ebgp-requires-policy\n bgp router-id 2.2.2.2\n network 10.99.0.0/24\n neighbor 10.0.1.1 remote-as 65001\n!\n';
  p2.frrConf = `router bgp 65003\n no bgp ebgp-requires-policy\n bgp router-id 3.3.3.3\n network 10.99.0.0/24\n neighbor 10.0.2.1 remote-as 65001\n${p2Extra}!\n`;
  return b.doc;
}

describe('BGP policy: local preference steers egress', () => {
  it('without a policy FRR takes nothing from eBGP peers (RFC 8212); with prefix lists both paths are there and the older one wins, or with compare-routerid the lower router id', () => {
    let world = new World(dualHomed(''), { seed: 1 });
    world.sim.runUntil(10 * S);
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBeNull();
    expect(vtysh(world, 'r', 'show ip bgp summary')).toMatch(/^10\.0\.1\.2 .* \(Policy\) +\(Policy\) N\/A$/m);
    const lists = 'exit\nip prefix-list ANY seq 5 permit any\nrouter bgp 65001\n neighbor 10.0.1.2 prefix-list ANY in\n neighbor 10.0.2.2 prefix-list ANY in\n';
    world = new World(dualHomed(lists), { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(10 * S);
    // p2's session came up first: its path is older, and FRR keeps the older of two eBGP paths.
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBe('bgp 10.0.2.2 eth1');
    expect(vtysh(world, 'r', 'show ip bgp 10.99.0.0/24')).toContain('valid, external, best (Older Path)');
    // Outbound still has no policy: p1 and p2 learn nothing from r.
    expect(routeTo(world, 'p1', '10.0.0.0/24')).toBeNull();
    world = new World(dualHomed(lists.replace('router bgp 65001\n', 'router bgp 65001\n bgp bestpath compare-routerid\n')), { seed: 1 });
    world.sim.runUntil(10 * S);
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBe('bgp 10.0.1.2 eth0');
    expect(vtysh(world, 'r', 'show ip bgp 10.99.0.0/24')).toContain('valid, external, best (Router ID)');
  });

  it('route-map in on p2 with set local-preference 200 moves the egress to p2; show ip bgp and show route-map say so', () => {
    const rm = [
      'ip prefix-list SERVERS seq 5 permit 10.99.0.0/16 le 24',
      'route-map PREFER-P2 permit 10',
      ' match ip address prefix-list SERVERS',
      ' set local-preference 200',
      'route-map PREFER-P2 permit 20',
      'route-map ALL permit 10',
      'router bgp 65001',
      ' neighbor 10.0.1.2 route-map ALL in',
      ' neighbor 10.0.1.2 route-map ALL out',
      ' neighbor 10.0.2.2 route-map PREFER-P2 in',
      ' neighbor 10.0.2.2 route-map ALL out',
      '',
    ].join('\n');
    const world = new World(dualHomed(rm), { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(10 * S);
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBe('bgp 10.0.2.2 eth1');
    const table = vtysh(world, 'r', 'show ip bgp');
    expect(table).toMatch(/^\*> 10\.99\.0\.0\/24 +10\.0\.2\.2 +0 +200 +0 65003 i$/m);
    expect(table).toMatch(/^\*  +10\.0\.1\.2 +0 +0 65002 i$/m);
    const rmShow = vtysh(world, 'r', 'show route-map PREFER-P2');
    expect(rmShow).toContain(' permit, sequence 10 Invoked 1\n  Match clauses:\n    ip address prefix-list SERVERS\n  Set clauses:\n    local-preference 200\n');
    expect(vtysh(world, 'r', 'show ip prefix-list')).toContain('BGP: ip prefix-list SERVERS: 1 entries\n   seq 5 permit 10.99.0.0/16 le 24');
    // The pc's traffic leaves by p2 and reaches the server (which answers through p1).
    expect(runCommand(world, 'pc', 'traceroute -n -q 1 10.99.0.10').output).toMatch(/^ 2 +10\.0\.2\.2 /m);
    expect(runCommand(world, 'pc', 'ping -c 1 10.99.0.10').output).toContain('1 packets received');
  });
});

describe('BGP policy: AS-path prepending steers ingress', () => {
  it('r prepends its AS twice toward p1; p2 then reaches r directly and p1 goes through p2', () => {
    // p1 — p2 peer with each other too, so each has two paths to r's LAN.
    const doc = dualHomed(['route-map ALL permit 10', 'route-map PREPEND permit 10', ' set as-path prepend 65001 65001', 'router bgp 65001', ' neighbor 10.0.1.2 route-map ALL in', ' neighbor 10.0.2.2 route-map ALL in', ' neighbor 10.0.1.2 route-map PREPEND out', ' neighbor 10.0.2.2 route-map ALL out', ''].join('\n'));
    const b = { doc };
    const p1 = b.doc.nodes.find((n) => n.name === 'p1')!;
    const p2 = b.doc.nodes.find((n) => n.name === 'p2')!;
    p1.frrConf = p1.frrConf!.replace('!\n', ' neighbor 10.99.0.2 remote-as 65003\n!\n');
    p2.frrConf = p2.frrConf!.replace('!\n', ' neighbor 10.99.0.1 remote-as 65002\n!\n');
    const world = new World(doc, { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(15 * S);
    const t1 = vtysh(world, 'p1', 'show ip bgp');
    expect(t1).toMatch(/^\*> 10\.0\.0\.0\/24 +10\.99\.0\.2 +0 65003 65001 i$/m);
    expect(t1).toMatch(/^\*  +10\.0\.1\.1 +0 +0 65001 65001 65001 i$/m);
    expect(routeTo(world, 'p1', '10.0.0.0/24')).toBe('bgp 10.99.0.2 eth1');
    expect(routeTo(world, 'p2', '10.0.0.0/24')).toBe('bgp 10.0.2.1 eth0');
    // The server's default route points at p1; its replies enter r's AS through p2.
    expect(runCommand(world, 'h', 'traceroute -n -q 1 10.0.0.20').output).toMatch(/^ 2 +10\.99\.0\.2 /m);
  });
});

describe('BGP policy: prefix lists and the implicit deny', () => {
  it('a prefix list ge/le and a route-map without a matching entry filter what r accepts and sends', () => {
    const doc = dualHomed(['ip prefix-list LANS seq 5 deny 10.99.0.0/24', 'ip prefix-list LANS seq 10 permit 10.0.0.0/8 ge 16 le 24', 'route-map ONLY-LANS permit 10', ' match ip address prefix-list LANS', 'router bgp 65001', ' neighbor 10.0.1.2 prefix-list LANS in', ' neighbor 10.0.2.2 route-map ONLY-LANS in', ' neighbor 10.0.1.2 prefix-list LANS out', ' neighbor 10.0.2.2 route-map NOT-DEFINED out', ''].join('\n'));
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(10 * S);
    // 10.99.0.0/24 is denied by seq 5, from both.
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBeNull();
    expect(vtysh(world, 'r', 'show ip bgp summary')).toMatch(/^10\.0\.2\.2 .* +0 +0 N\/A$/m);
    // Outbound: p1 gets 10.0.0.0/24 (seq 10), p2 nothing (a route-map that does not exist denies).
    expect(routeTo(world, 'p1', '10.0.0.0/24')).toBe('bgp 10.0.1.1 eth0');
    expect(routeTo(world, 'p2', '10.0.0.0/24')).toBeNull();
    expect(vtysh(world, 'r', 'show ip bgp neighbors')).toContain('  Incoming update prefix filter list is *LANS');
  });
});

describe('BGP reconfiguration in place', () => {
  const noPolicy = ' no bgp ebgp-requires-policy\n';
  it('network, neighbor and route-map changes go out as UPDATEs and withdrawals without a session reset; no neighbor and clear ip bgp reset', () => {
    const world = new World(dualHomed(noPolicy), { seed: 1 });
    world.sim.runUntil(10 * S);
    const peer = () => world.nodeByName('r')!.daemons!.bgp!.peers.get(parseIpv4('10.0.1.2')!);
    expect(peer()!.establishedCount).toBe(1);
    const updates = () => world.nodeByName('p1')!.daemons!.bgp!.peers.get(parseIpv4('10.0.1.1')!)!.rcvd.updates;
    const u0 = updates();
    // A new network is announced.
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'network 10.0.1.0/24');
    world.sim.runUntil(11 * S);
    expect(routeTo(world, 'p2', '10.0.1.0/24')).toBe('bgp 10.0.2.1 eth0');
    expect(updates()).toBe(u0 + 1);
    expect(peer()!.establishedCount).toBe(1);
    // …and withdrawn.
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'no network 10.0.1.0/24');
    world.sim.runUntil(12 * S);
    expect(routeTo(world, 'p2', '10.0.1.0/24')).toBeNull();
    // A route-map added live applies at once (FRR's route-map update), with no reset.
    vtysh(world, 'r', 'conf t', 'route-map LP permit 10', 'set local-preference 300', 'router bgp 65001', 'neighbor 10.0.1.2 route-map LP in');
    world.sim.runUntil(13 * S);
    expect(vtysh(world, 'r', 'show ip bgp')).toMatch(/^\*> 10\.99\.0\.0\/24 +10\.0\.1\.2 +0 +300 +0 65002 i$/m);
    expect(peer()!.establishedCount).toBe(1);
    // `no neighbor`: a Cease to p1, whose routes from r are withdrawn.
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'no neighbor 10.0.1.2');
    world.sim.runUntil(14 * S);
    expect(peer()).toBeUndefined();
    const p1r = world.nodeByName('p1')!.daemons!.bgp!.peers.get(parseIpv4('10.0.1.1')!)!;
    expect(p1r.state).not.toBe('Established');
    expect(p1r.lastReset).toBe('NOTIFICATION received (6/3)');
    expect(routeTo(world, 'p1', '10.0.0.0/24')).toBeNull();
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBe('bgp 10.0.2.2 eth1');
    // Added back, it comes up again.
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'neighbor 10.0.1.2 remote-as 65002');
    world.sim.runUntil(20 * S);
    expect(peer()!.state).toBe('Established');
    expect(routeTo(world, 'p1', '10.0.0.0/24')).toBe('bgp 10.0.1.1 eth0');
    // clear ip bgp *: every session resets and comes back.
    expect(vtysh(world, 'r', 'clear ip bgp *')).toBe('');
    world.sim.runUntil(21 * S);
    expect(world.nodeByName('p2')!.daemons!.bgp!.peers.get(parseIpv4('10.0.2.1')!)!.lastReset).toBe('NOTIFICATION received (6/4)');
    world.sim.runUntil(26 * S);
    expect(peer()!.state).toBe('Established');
    expect(vtysh(world, 'r', 'clear ip bgp 10.9.9.9')).toBe('% BGP: Unknown neighbor - "10.9.9.9"\n');
    // no router bgp: Cease to everyone, routes gone on both sides.
    vtysh(world, 'r', 'conf t', 'no router bgp');
    world.sim.runUntil(28 * S);
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBeNull();
    expect(routeTo(world, 'p2', '10.0.0.0/24')).toBeNull();
  });

  it('clear ip bgp soft out sends everything again; soft in asks for a ROUTE-REFRESH and the peer answers', () => {
    const world = new World(dualHomed(noPolicy), { seed: 1 });
    world.sim.runUntil(10 * S);
    const r = world.nodeByName('r')!.daemons!.bgp!;
    const toP1 = r.peers.get(parseIpv4('10.0.1.2')!)!;
    const sent = toP1.sent.updates;
    const rcvd = toP1.rcvd.updates;
    vtysh(world, 'r', 'clear ip bgp 10.0.1.2 soft out');
    world.sim.runUntil(11 * S);
    expect(toP1.sent.updates).toBeGreaterThan(sent);
    vtysh(world, 'r', 'clear ip bgp 10.0.1.2 soft in');
    world.sim.runUntil(12 * S);
    expect(toP1.sent.other).toBe(1);
    expect(toP1.rcvd.updates).toBeGreaterThan(rcvd);
    expect(toP1.establishedCount).toBe(1);
  });

  it('statements not implemented stay located warnings', () => {
    const world = new World(dualHomed(noPolicy), { seed: 1 });
    world.sim.runUntil(5 * S);
    const out = vtysh(world, 'r', 'conf t', 'route-map X permit 10', 'set extcommunity rt 65001:1', 'router bgp 65001', 'neighbor 10.0.1.2 maximum-prefix 10');
    expect(out).toMatch(/^% frr\.conf:\d+: "set extcommunity rt 65001:1" \(route-map\) is not implemented in VirtNet/m);
    expect(out).toMatch(/^% frr\.conf:\d+: "neighbor 10\.0\.1\.2 maximum-prefix 10" \(router bgp\) is not implemented in VirtNet and is ignored$/m);
  });
});

describe('show running-config after configure terminal', () => {
  it('shows the configuration in force as FRR does (no trace of what was taken back), and reads back to the same', () => {
    const world = new World(dualHomed(' neighbor 10.0.1.2 weight 7\n neighbor 10.0.2.2 route-map RM in\nroute-map RM permit 10\n set local-preference 150\nip prefix-list PL seq 5 permit 10.0.0.0/8 le 24\n'), { seed: 1 });
    world.sim.runUntil(5 * S);
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'no neighbor 10.0.1.2', 'network 10.0.2.0/24', 'neighbor 10.0.2.2 prefix-list PL out', 'exit', 'route-map RM permit 20', 'set metric 9', 'no ip prefix-list PL seq 5', 'ip prefix-list PL seq 10 deny any');
    const conf = vtysh(world, 'r', 'show running-config');
    expect(conf).toContain([
      'router bgp 65001',
      ' bgp router-id 1.1.1.1',
      ' neighbor 10.0.2.2 remote-as 65003',
      ' !',
      ' address-family ipv4 unicast',
      '  network 10.0.0.0/24',
      '  network 10.0.2.0/24',
      '  neighbor 10.0.2.2 prefix-list PL out',
      '  neighbor 10.0.2.2 route-map RM in',
      ' exit-address-family',
      'exit',
      '!',
      'ip prefix-list PL seq 10 deny any',
      '!',
      'route-map RM permit 10',
      ' set local-preference 150',
      'exit',
      '!',
      'route-map RM permit 20',
      ' set metric 9',
      'exit',
      '!',
      'end',
    ].join('\n'));
    expect(conf).not.toContain('10.0.1.2');
    // The shown text, read again, configures the same.
    const d = world.nodeByName('r')!.daemons!;
    const again = parseFrrConf(conf.split('\n').slice(3).join('\n'));
    expect(again.problems).toEqual([]);
    expect(again.bgp).toEqual({ ...d.config.bgp, line: again.bgp!.line, neighbors: again.bgp!.neighbors });
    expect([...again.bgp!.neighbors.keys()]).toEqual([...d.config.bgp!.neighbors.keys()]);
    expect(again.policy).toEqual(d.config.policy);
  });
});

describe('BGP communities (RFC 1997)', () => {
  it('p1 tags its routes; r matches the tag to prefer p1 and adds its own; no-export keeps the route inside AS 65001', () => {
    const doc = dualHomed([' no bgp ebgp-requires-policy', 'bgp community-list standard FROM-P1 permit 65002:7', 'route-map TAGGED permit 10', ' match community FROM-P1', ' set local-preference 200', ' set community 65001:9 additive', 'route-map TAGGED permit 20', 'router bgp 65001', ' neighbor 10.0.1.2 route-map TAGGED in', ''].join('\n'));
    const p1 = doc.nodes.find((n) => n.name === 'p1')!;
    p1.frrConf = p1.frrConf!.replace('!\n', ' neighbor 10.0.1.1 route-map TAG out\n!\nroute-map TAG permit 10\n set community 65002:7 no-export\n');
    const world = new World(doc, { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(10 * S);
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBe('bgp 10.0.1.2 eth0');
    expect(vtysh(world, 'r', 'show ip bgp 10.99.0.0/24')).toBe([
      'BGP routing table entry for 10.99.0.0/24, version 3',
      'Paths: (2 available, best #1, table default, not advertised to EBGP peer)',
      '  Not advertised to any peer',
      '  65002',
      '    10.0.1.2 from 10.0.1.2 (2.2.2.2)',
      '      Origin IGP, metric 0, localpref 200, valid, external, best (Local Pref)',
      '      Community: 65001:9 65002:7 no-export',
      '  65003',
      '    10.0.2.2 from 10.0.2.2 (3.3.3.3)',
      '      Origin IGP, metric 0, valid, external',
      '',
    ].join('\n'));
    // no-export: p2 hears nothing of 10.99.0.0/24 from r (only its own path).
    expect(vtysh(world, 'p2', 'show ip bgp')).not.toMatch(/10\.0\.2\.1 .* 65001 65002 i/);
    expect(world.nodeByName('p2')!.daemons!.bgp!.peers.get(parseIpv4('10.0.2.1')!)!.adjIn.has(parseIpv4('10.99.0.0')! * 64 + 24)).toBe(false);
    // r's own LAN goes out to both, without communities.
    expect(routeTo(world, 'p2', '10.0.0.0/24')).toBe('bgp 10.0.2.1 eth0');
    expect(vtysh(world, 'r', 'show bgp community-list')).toBe('Named Community standard list FROM-P1\n    permit 65002:7\n');
    expect(vtysh(world, 'r', 'show running-config')).toContain('bgp community-list standard FROM-P1 seq 5 permit 65002:7\n!\n');
    // Taking the tag away live (set community none on p1): r's route-map no longer matches, the
    // local preference goes, and p2's older path wins again.
    vtysh(world, 'p1', 'conf t', 'route-map TAG permit 10', 'set community none');
    world.sim.runUntil(12 * S);
    expect(routeTo(world, 'r', '10.99.0.0/24')).toBe('bgp 10.0.2.2 eth1');
    expect(vtysh(world, 'r', 'show ip bgp')).toMatch(/^\* +10\.0\.1\.2 +0 +0 65002 i$/m);
    expect(vtysh(world, 'r', 'show ip bgp 10.99.0.0/24')).not.toContain('Community');
  });
});

describe('route-maps on what BGP originates', () => {
  it('redistribute connected route-map: only what the map permits is originated, with the metric it sets; network route-map likewise', () => {
    const world = new World(dualHomed([' no bgp ebgp-requires-policy', ' redistribute connected route-map LANS', ' network 10.0.1.0/24 route-map NONE', 'ip prefix-list LAN seq 5 permit 10.0.2.0/24', 'route-map LANS permit 10', ' match ip address prefix-list LAN', ' set metric 33', 'route-map NONE deny 10', ''].join('\n')), { seed: 1 });
    expect(world.warnings).toEqual([]);
    world.sim.runUntil(10 * S);
    const t = vtysh(world, 'r', 'show ip bgp');
    expect(t).toMatch(/^\*> 10\.0\.2\.0\/24 +0\.0\.0\.0 +33 +32768 \?$/m);
    expect(t).toMatch(/^\*> 10\.0\.0\.0\/24 +0\.0\.0\.0 +0 +32768 i$/m);
    expect(t).not.toMatch(/10\.0\.1\.0\/24 +0\.0\.0\.0/);
    expect(vtysh(world, 'p1', 'show ip bgp')).toMatch(/^\*> 10\.0\.2\.0\/24 +10\.0\.1\.1 +33 +0 65001 \?$/m);
    expect(vtysh(world, 'r', 'show running-config')).toContain('  network 10.0.1.0/24 route-map NONE\n  redistribute connected route-map LANS\n');
  });
});

describe('neighbor shutdown', () => {
  it('sends a Cease, shows Idle (Admin) and withdraws the routes; no neighbor shutdown brings the session back', () => {
    const world = new World(dualHomed(' no bgp ebgp-requires-policy\n'), { seed: 1 });
    world.sim.runUntil(10 * S);
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'neighbor 10.0.2.2 shutdown');
    world.sim.runUntil(20 * S);
    expect(vtysh(world, 'r', 'show ip bgp summary')).toMatch(/^10\.0\.2\.2 .* Idle \(Admin\) +0 N\/A$/m);
    // p2 heard the Cease; its tries to reconnect are refused at once.
    expect(world.nodeByName('p2')!.daemons!.bgp!.peers.get(parseIpv4('10.0.2.1')!)!.rcvd.notifications).toBe(1);
    expect(world.nodeByName('p2')!.daemons!.bgp!.peers.get(parseIpv4('10.0.2.1')!)!.state).not.toBe('Established');
    expect(routeTo(world, 'p2', '10.0.0.0/24')).toBeNull();
    expect(vtysh(world, 'r', 'show running-config')).toContain(' neighbor 10.0.2.2 shutdown\n');
    vtysh(world, 'r', 'conf t', 'router bgp 65001', 'no neighbor 10.0.2.2 shutdown');
    world.sim.runUntil(25 * S);
    expect(routeTo(world, 'p2', '10.0.0.0/24')).toBe('bgp 10.0.2.1 eth0');
  });
});
