// Simulation mode's decisions (stack/explain.ts) read as data from the traffic record:
// longest-prefix match with the routes that lost, ARP miss/hit and held packets, the
// switch's MAC table, TTL and checksum, ICMP errors, drops and delivery to a socket. Also:
// explanations off keep nothing, and turning them on does not change the trace hash.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import type { DecisionStep } from '../../src/emulator/stack/explain';
import { runCommand } from '../../src/emulator/shell';
import { builder, hostRouterHost } from './topologies';
import { loadSample, recordTraffic } from './samples';

function steps<K extends DecisionStep['kind']>(events: TrafficEvent[], node: string, kind: K): Extract<DecisionStep, { kind: K }>[] {
  const seen = new Set<object>();
  const out: Extract<DecisionStep, { kind: K }>[] = [];
  for (const e of events) {
    const d = e.decision;
    if (d === undefined || d.node !== node || seen.has(d)) continue;
    seen.add(d);
    for (const s of d.steps) if (s.kind === kind) out.push(s as Extract<DecisionStep, { kind: K }>);
  }
  return out;
}

/** pc1 — router1 — router2 — pc2, with a second, shorter route on router1 covering pc2 too. */
function twoRouters() {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const r2 = b.node('router', 'router2');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, r1, { aIp: '10.1.0.20/24', bIp: '10.1.0.1/24' });
  b.link(r1, r2, { aIp: '10.0.12.1/24', bIp: '10.0.12.2/24' });
  b.link(r2, pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.20/24' });
  b.route(pc1, '0.0.0.0/0', '10.1.0.1');
  b.route(pc2, '0.0.0.0/0', '10.0.1.1');
  b.route(r1, '10.0.1.0/24', '10.0.12.2');
  b.route(r1, '10.0.0.0/16', '10.0.12.2');
  b.route(r1, '0.0.0.0/0', '10.0.12.2');
  b.route(r2, '10.1.0.0/24', '10.0.12.1');
  return b.doc;
}

describe('decisions in the traffic record', () => {
  it('are off by default: no decision on any event', () => {
    const w = new World(hostRouterHost());
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 10.0.1.20');
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.decision === undefined)).toBe(true);
  });

  it('do not change the trace hash', () => {
    const hashes = [false, true].map((on) => {
      const w = new World(twoRouters(), { seed: 7 });
      w.setExplaining(on);
      runCommand(w, 'pc1', 'ping -c 2 10.0.1.20');
      return w.traceHash();
    });
    expect(hashes[1]).toBe(hashes[0]);
  });

  it('longest-prefix match: the /24 wins, the /16 lost to it, the rest do not match', () => {
    const w = new World(twoRouters());
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 10.0.1.20');
    const route = steps(events, 'router1', 'route').find((s) => s.dst === '10.0.1.20')!;
    expect(route.matched).toEqual({ prefix: '10.0.1.0/24', gateway: '10.0.12.2', iface: 'eth1', kind: 'static' });
    expect(route.losers[0]).toEqual({ prefix: '10.0.0.0/16', gateway: '10.0.12.2', iface: 'eth1', kind: 'static', why: 'shorter-prefix' });
    expect(route.losers[1]).toMatchObject({ prefix: '0.0.0.0/0', why: 'shorter-prefix' });
    expect(route.losers.slice(2).every((l) => l.why === 'no-match')).toBe(true);
    expect(route.losers.map((l) => l.prefix)).toContain('10.1.0.0/24');
    // The forwarded record carries the same decision: TTL 64 → 63 with the checksum updated.
    const ttl = steps(events, 'router1', 'ttl')[0];
    expect(ttl).toMatchObject({ before: 64, after: 63 });
    expect(ttl.checksumAfter).not.toBe(ttl.checksumBefore);
    // RFC 1624: decrementing TTL adds 0x0100 to the one's-complement checksum.
    expect((parseInt(ttl.checksumBefore, 16) + 0x100) % 0xffff).toBe(parseInt(ttl.checksumAfter, 16) % 0xffff);
  });

  it('ARP: a miss holds the packet, the reply releases it, the next lookup hits', () => {
    const w = new World(hostRouterHost());
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 2 10.0.1.20');
    const arp = steps(events, 'pc1', 'neighbor');
    expect(arp[0]).toMatchObject({ proto: 'arp', iface: 'eth0', nextHop: '10.0.0.1', result: 'miss', held: 1 });
    expect(arp.at(-1)).toMatchObject({ result: 'hit', mac: expect.stringMatching(/^42:00:aa:/) });
    const learned = steps(events, 'pc1', 'neighbor-learn');
    expect(learned[0]).toMatchObject({ ip: '10.0.0.1', released: 1 });
  });

  it('switch: flooded while unknown, forwarded once learned', () => {
    const w = new World(loadSample('two-pcs-switch.vnet'));
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 2 10.0.0.21');
    const sw = w.nodes.find((n) => n.kind === 'lanswitch')!.name;
    const lookups = steps(events, sw, 'switch');
    const arpRequest = lookups.find((s) => s.dst === 'ff:ff:ff:ff:ff:ff')!;
    expect(arpRequest.result).toBe('flood');
    expect(arpRequest.learned).toBe(true);
    const unicast = lookups.filter((s) => s.dst !== 'ff:ff:ff:ff:ff:ff');
    expect(unicast.at(-1)!.result).toBe('forward');
    expect(unicast.at(-1)!.outPorts).toHaveLength(1);
  });

  it('hub: repeated out of every other port; ARP: the request for our address answered', () => {
    const b = builder();
    const pc1 = b.node('pc', 'pc1');
    const hub = b.node('hub', 'hub1');
    const pc2 = b.node('pc', 'pc2');
    const pc3 = b.node('pc', 'pc3');
    b.link(pc1, hub, { aIp: '10.0.0.20/24' });
    b.link(pc2, hub, { aIp: '10.0.0.21/24' });
    b.link(pc3, hub, { aIp: '10.0.0.22/24' });
    const w = new World(b.doc);
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 10.0.0.21');
    const rep = steps(events, 'hub1', 'repeat');
    expect(rep[0]).toEqual({ kind: 'repeat', layer: 'link', inPort: 'e0', outPorts: ['e1', 'e2'] });
    const answer = steps(events, 'pc2', 'arp-answer')[0];
    expect(answer).toMatchObject({ iface: 'eth0', ip: '10.0.0.21', to: '10.0.0.20', mac: expect.stringMatching(/^42:00:aa:/) });
    expect(steps(events, 'pc3', 'arp-answer')).toEqual([]);
  });

  it('no route: the drop, the ICMP error and the way back are in one decision', () => {
    const w = new World(twoRouters());
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 -t 2 10.9.9.9');
    const drop = events.find((e) => e.action === 'drop' && e.reason === 'no-route')!;
    expect(drop.node).toBe(w.nodeByName('router2')!.id);
    const kinds = drop.decision!.steps.map((s) => s.kind);
    expect(kinds).toEqual(['route', 'icmp-error', 'route', 'neighbor', 'drop']);
    expect(drop.decision!.steps[0]).toMatchObject({ dst: '10.9.9.9', matched: null });
    expect(drop.decision!.steps[1]).toMatchObject({ type: 3, code: 0, to: '10.1.0.20' });
    expect(drop.decision!.steps[2]).toMatchObject({ dst: '10.1.0.20', matched: { prefix: '10.1.0.0/24', iface: 'eth0' } });
  });

  it('delivery: the socket that received it, or why none did', () => {
    const w = new World(hostRouterHost());
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 10.0.1.20');
    const pc1 = steps(events, 'pc1', 'deliver');
    expect(pc1.some((s) => s.proto === 'icmp' && s.socket !== null)).toBe(true);
    const echo = steps(events, 'pc2', 'echo-reply');
    expect(echo[0]).toEqual({ kind: 'echo-reply', layer: 'network', to: '10.0.0.20' });
    runCommand(w, 'pc1', 'nc -zv 10.0.1.20 23');
    const none = steps(events, 'pc2', 'deliver').find((s) => s.proto === 'tcp')!;
    expect(none).toMatchObject({ socket: null, why: 'no socket on that port: answered with a reset' });
  });

  it('firewall: the rule that matched and its verdict', () => {
    const w = new World(hostRouterHost());
    runCommand(w, 'router1', 'ipfw add 100 deny icmp from any to 10.0.1.20');
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping -c 1 -t 2 10.0.1.20');
    const fw = steps(events, 'router1', 'firewall').find((s) => s.verdict === 'deny')!;
    expect(fw).toMatchObject({ rule: 100, dir: 'in' });
    expect(fw.ruleText).toMatch(/^00100 deny icmp from any to 10.0.1.20/);
    const drop = events.find((e) => e.action === 'drop' && e.reason === 'firewall')!;
    expect(drop.decision!.steps.at(-1)).toEqual({ kind: 'drop', layer: 'network', reason: 'firewall', rule: 100 });
  });
});

describe('IPv6 route decisions in the traffic record', () => {
  it('list the losing IPv6 routes and why: a shorter prefix, a higher distance, no match', async () => {
    const { chainDoc6 } = await import('../../src/emulator/bench');
    // pc1 — r1 — r2 — pc2 on fc00:0::/64, fc00:1::/64, fc00:2::/64.
    const w = new World(chainDoc6(2));
    runCommand(w, 'r1', 'route -6 add fc00::/16 fc00:1::1');
    // A static route for r1's connected fc00:1::/64: the connected one (distance 0) wins.
    runCommand(w, 'r1', 'route -6 add fc00:1::/64 fc00:0::20');
    w.setExplaining(true);
    const events = recordTraffic(w);
    runCommand(w, 'pc1', 'ping6 -c 1 fc00:2::20');
    runCommand(w, 'pc1', 'ping6 -c 1 fc00:1::1');
    const routes = steps(events, 'r1', 'route').filter((s) => s.family === 6);
    const toPc2 = routes.find((s) => s.dst === 'fc00:2::20')!;
    expect(toPc2.matched).toEqual({ prefix: 'fc00:2::/64', gateway: 'fc00:1::1', iface: 'eth1', kind: 'static' });
    expect(toPc2.losers[0]).toEqual({ prefix: 'fc00::/16', gateway: 'fc00:1::1', iface: 'eth1', kind: 'static', why: 'shorter-prefix' });
    expect(toPc2.losers.slice(1).every((l) => l.why === 'no-match')).toBe(true);
    const toR2 = routes.find((s) => s.dst === 'fc00:1::1')!;
    expect(toR2.matched).toMatchObject({ prefix: 'fc00:1::/64', iface: 'eth1', kind: 'connected' });
    expect(toR2.losers.slice(0, 2)).toEqual([
      { prefix: 'fc00:1::/64', gateway: 'fc00::20', iface: 'eth0', kind: 'static', why: 'higher-distance' },
      { prefix: 'fc00::/16', gateway: 'fc00:1::1', iface: 'eth1', kind: 'static', why: 'shorter-prefix' },
    ]);
    // pc1's own send is explained too (ip6_output's lookup): its default route.
    expect(steps(events, 'pc1', 'route').find((s) => s.family === 6)!.matched).toMatchObject({ prefix: '::/0', kind: 'static' });
  });
});
