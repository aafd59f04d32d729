// A router that alone holds a frame it forwards rewrites it in place (stack/frame-alloc.ts)
// instead of copying it. Nothing may tell: every scenario here runs twice, once explaining
// from the start (explanations keep every forwarded frame a copy) and once not, and the
// trace hash, the captures, the command output and every traffic event built afterwards
// (its summary and bytes) must be the same. The scenarios are the ones where a frame is
// held by more than one party: a hub flooding it toward a router and a pc, a link
// duplicating it, a next hop whose ARP gave up (the ICMP error quotes the frame as it came
// in), a fragmenting hop and a TTL running out, and IPv6 routers forwarding a flow.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { runCommand } from '../../src/emulator/shell';
import { builder, routerChain } from './topologies';

interface Case {
  name: string;
  doc: () => TopologyDoc;
  at: [string, string][];
  commands: [string, string][];
}

/** pc1 and pc3 on a hub with router1 (pc3 far away), router1 — pc2. */
function hubFlood(): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const hub = b.node('hub', 'hub1');
  const r1 = b.node('router', 'router1');
  const pc3 = b.node('pc', 'pc3');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, hub, { aIp: '10.0.0.20/24' });
  b.link(hub, r1, { bIp: '10.0.0.1/24', params: { delayUs: 10 } });
  b.link(hub, pc3, { bIp: '10.0.0.30/24', params: { delayUs: 5000 } });
  b.link(r1, pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.20/24' });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(pc2, '0.0.0.0/0', '10.0.1.1');
  return b.doc;
}

/** pc1 — router1 — pc2 with every frame on pc1's link duplicated. */
function duplicating(): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24', params: { dupPercent: 100 } });
  b.link(r1, pc2, { aIp: '10.0.1.1/24', bIp: '10.0.1.20/24' });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(pc2, '0.0.0.0/0', '10.0.1.1');
  return b.doc;
}

/** pc1 — router1 — router2 with a route to a next hop that does not exist, and a loop for TTLs. */
function deadNextHop(): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const r2 = b.node('router', 'router2');
  b.link(pc1, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24' });
  b.link(r1, r2, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
  b.route(pc1, '0.0.0.0/0', '10.0.0.1');
  b.route(r1, '10.7.0.0/16', '10.0.1.99');
  b.route(r1, '10.9.0.0/16', '10.0.1.2');
  b.route(r2, '10.9.0.0/16', '10.0.1.1');
  b.route(r2, '10.0.0.0/24', '10.0.1.1');
  return b.doc;
}

/** pc1 — router1 — router2 — router3 — pc2 with IPv6 only (fc00:K::/64 on the K-th link). */
function v6Chain(): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const rs = [1, 2, 3].map((k) => b.node('router', `router${k}`));
  const pc2 = b.node('pc', 'pc2');
  const hops = [pc1, ...rs, pc2];
  for (let k = 0; k + 1 < hops.length; k++) b.link(hops[k], hops[k + 1], { params: { delayUs: 20 } });
  const set = (n: typeof pc1, k: number, a: string) => (n.interfaces.filter((i) => i.type !== 'lo')[k].ipv6 = [a]);
  for (let k = 0; k + 1 < hops.length; k++) {
    set(hops[k], k === 0 ? 0 : 1, `fc00:${k}::1/64`);
    set(hops[k + 1], 0, `fc00:${k}::2/64`);
  }
  pc1.routes6.push({ dest: '::/0', gateway: 'fc00:0::2' });
  pc2.routes6.push({ dest: '::/0', gateway: 'fc00:3::1' });
  for (let k = 0; k < 3; k++) {
    if (k < 2) rs[k].routes6.push({ dest: 'fc00:3::/64', gateway: `fc00:${k + 1}::2` });
    if (k > 0) rs[k].routes6.push({ dest: 'fc00:0::/64', gateway: `fc00:${k}::1` });
  }
  rs[0].routes6.push({ dest: 'fc00:2::/64', gateway: 'fc00:1::2' });
  rs[2].routes6.push({ dest: 'fc00:1::/64', gateway: 'fc00:2::1' });
  return b.doc;
}

const CASES: Case[] = [
  { name: 'chain', doc: () => routerChain(3), at: [['pc1', 'eth0'], ['router2', 'eth1'], ['pc2', 'eth0']], commands: [['pc1', 'ping -c 3 -s 1200 10.0.3.20'], ['pc1', 'traceroute -n 10.0.3.20']] },
  { name: 'hub-flood', doc: hubFlood, at: [['pc3', 'eth0'], ['pc2', 'eth0']], commands: [['pc1', 'ping -c 2 -s 600 10.0.1.20']] },
  { name: 'duplicate', doc: duplicating, at: [['router1', 'eth0'], ['pc2', 'eth0']], commands: [['pc1', 'ping -c 2 -s 600 10.0.1.20']] },
  // ARP for 10.0.1.99 gives up after five requests; the pings held meanwhile are answered
  // from the hold queue, the later ones meet the failed entry at once (ip_forward's error).
  { name: 'dead-next-hop', doc: deadNextHop, at: [['pc1', 'eth0'], ['router1', 'eth1']], commands: [['pc1', 'ping -c 9 -s 200 10.7.0.1'], ['pc1', 'ping -c 2 -s 200 10.9.0.1']] },
  { name: 'ipv6-chain', doc: v6Chain, at: [['router2', 'eth1'], ['pc2', 'eth0']], commands: [['pc1', 'ping6 -c 5 -s 1000 fc00:3::2'], ['pc1', 'traceroute6 -n fc00:3::2'], ['pc1', 'ping6 -c 4 -s 1000 fc00:3::99']] },
  { name: 'fragments', doc: () => routerChain(2), at: [['pc2', 'eth0']], commands: [['router1', 'ifconfig eth1 mtu 700'], ['pc1', 'ping -c 1 -s 1400 10.0.2.20'], ['pc1', 'ping -c 1 -D -s 1400 10.0.2.20']] },
];

interface Played {
  hash: string;
  outputs: string[];
  captures: string[][];
  events: { frame: number; action: string; node: string; iface?: string; summary: string; bytes: string }[];
  world: World;
}

function play(c: Case, explainFromStart: boolean): Played {
  const world = new World(c.doc(), { seed: 5, traceCapacity: 1 << 16 });
  if (explainFromStart) world.setExplaining(true);
  const caps = c.at.map(([node, iface]) => world.startCapture({ kind: 'iface', node, iface }));
  const outputs = c.commands.map(([node, line]) => runCommand(world, node, line).output);
  for (const cap of caps) cap.finish();
  // Late explanations make the drained events carry their frames' bytes.
  world.setExplaining(true);
  const drained: TrafficEvent[] = world.drainTraffic(1 << 16).events;
  return {
    hash: world.traceHash(),
    outputs,
    captures: caps.map((cap) => cap.frames.map((f) => Buffer.from(f.frame).toString('hex'))),
    events: drained.map((e) => ({ frame: e.frame, action: e.action, node: e.node, iface: e.iface, summary: e.summary, bytes: Buffer.from(e.bytes ?? []).toString('hex') })),
    world,
  };
}

/** Distinct frame objects among the traffic record's slots (fewer when routers rewrite in place). */
function distinctFrames(world: World): number {
  return new Set(world.traffic.frames.filter((f) => f !== null)).size;
}

describe('forwarding by rewriting a frame in place', () => {
  for (const c of CASES) {
    it(`${c.name}: the same trace, captures, output and events as forwarding copies`, () => {
      const copied = play(c, true);
      const inPlace = play(c, false);
      expect(inPlace.hash).toBe(copied.hash);
      expect(inPlace.outputs).toEqual(copied.outputs);
      expect(inPlace.captures).toEqual(copied.captures);
      expect(inPlace.events.length).toBe(copied.events.length);
      expect(inPlace.events).toEqual(copied.events);
      expect(inPlace.captures.every((frames) => frames.length > 0)).toBe(true);
    });
  }

  it('routers really rewrite in place when they alone hold the frame', () => {
    // Counted before draining (a drain releases the record's frames).
    const count = (c: Case, explain: boolean): number => {
      const world = new World(c.doc(), { seed: 5, traceCapacity: 1 << 16 });
      if (explain) world.setExplaining(true);
      for (const [node, line] of c.commands) runCommand(world, node, line);
      return distinctFrames(world);
    };
    const chain = CASES.find((c) => c.name === 'chain')!;
    // 3 routers: each echo request and reply is one object end to end instead of four.
    expect(count(chain, false)).toBeLessThan(count(chain, true) - 20);
    // IPv6: the packets of the flows a router remembers (ip6-forward.ts, one per incoming
    // interface, so echo requests and replies both).
    const v6 = CASES.find((c) => c.name === 'ipv6-chain')!;
    expect(count(v6, false)).toBeLessThan(count(v6, true) - 20);
  });

  it('the host unreachable after ARP gave up quotes the echo request as router1 received it (TTL 64)', () => {
    // As FreeBSD: a datagram held for ARP is the one ip_output had (TTL 63) when the error
    // is sent from the hold queue; once the entry is down, ip_forward quotes its copy of
    // the header taken before the TTL was decremented.
    const c = CASES.find((x) => x.name === 'dead-next-hop')!;
    const { captures } = play(c, false);
    // ICMP type 3 code 1 in an untagged IPv4 frame: the quoted header starts at 14 + 20 + 8.
    const unreach = captures[0].map((h) => Buffer.from(h, 'hex')).filter((f) => f[23] === 1 && f[34] === 3 && f[35] === 1);
    expect(unreach.length).toBeGreaterThan(0);
    const ttls = unreach.map((f) => f[42 + 8]);
    expect(ttls.filter((t) => t === 63).length).toBe(5);
    expect(ttls.filter((t) => t === 64).length).toBe(4);
  });
});
