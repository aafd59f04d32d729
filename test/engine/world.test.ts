// The World built from small documents: pc–switch–pc and pc–hub–pc pings through real
// stacks, routed chains, the traffic record (tx/rx/fwd/drop with reasons), counters,
// carrier down, warnings for kinds that do not run, and trace-hash determinism.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { icmpOpen, ipSend, type IcmpDelivery } from '../../src/emulator/stack';
import { buildIcmp, icmpEchoRequest, ICMP_TYPE } from '../../src/emulator/wire/icmp';
import { parseIpv4 } from '../../src/emulator/wire/addr';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { Bridge } from '../../src/emulator/node/bridge';
import { chain, doc, node, pcSwitchPc } from '../scenarios/topologies';

function ping(world: World, from: string, to: string, seq = 1, ttl?: number): IcmpDelivery[] {
  const stack = world.nodeByName(from)!.stack!;
  const got: IcmpDelivery[] = [];
  const close = icmpOpen(stack, (m) => got.push(m));
  const payload = buildIcmp(icmpEchoRequest(0x1234, seq, new Uint8Array(56)));
  const r = ipSend(stack, { dst: parseIpv4(to)!, proto: 1, payload, ttl });
  expect(r.ok).toBe(true);
  world.sim.runUntil(world.sim.now() + 5_000_000_000);
  close();
  return got;
}

describe('World', () => {
  it('pc–switch–pc: echo reply, ARP learned, switch learned both MACs', () => {
    const world = new World(pcSwitchPc(), { seed: 1 });
    expect(world.warnings).toEqual([]);
    const got = ping(world, 'pc1', '10.0.0.21');
    expect(got.filter((m) => m.type === ICMP_TYPE.ECHO_REPLY)).toHaveLength(1);
    expect(got[0].ttl).toBe(64);
    const br = world.nodeByName('sw1')!.bridge as Bridge;
    expect(br.macTable().map((e) => [e.mac, e.port])).toEqual([
      ['42:00:aa:00:00:01', 'e0'],
      ['42:00:aa:00:00:02', 'e1'],
    ]);
    const { events, skipped } = world.drainTraffic(1000);
    expect(skipped).toBe(0);
    // ARP request (flooded), ARP reply, echo request, echo reply: each tx+rx on two links.
    const arps = events.filter((e) => e.proto === 'arp');
    const icmps = events.filter((e) => e.proto === 'icmp');
    expect(arps.length).toBeGreaterThanOrEqual(8);
    expect(icmps.filter((e) => e.action === 'tx')).toHaveLength(4);
    expect(icmps.filter((e) => e.action === 'rx')).toHaveLength(4);
    const tx = icmps.find((e) => e.action === 'tx' && e.node === 'n0')!;
    expect(tx.link).toBe('l0');
    expect(tx.iface).toBe('eth0');
    expect(tx.arriveNs).toBeGreaterThanOrEqual(tx.timeNs);
    expect(tx.summary).toMatch(/echo/i);
    const g = world.ifaceOf(world.nodeByName('pc1')!, 'eth0');
    expect(world.ifaceCounters(g).txPackets).toBe(3); // gratuitous ARP at boot, ARP request, echo request
  });

  it('hub repeats every frame to the other cabled ports and learns nothing', () => {
    const world = new World(pcSwitchPc('hub'), { seed: 1 });
    expect(ping(world, 'pc1', '10.0.0.21').filter((m) => m.type === ICMP_TYPE.ECHO_REPLY)).toHaveLength(1);
    const ev = world.drainTraffic(1000).events;
    const rxE0 = ev.filter((e) => e.node === 'n1' && e.iface === 'e0' && e.action === 'rx').length;
    const txE1 = ev.filter((e) => e.node === 'n1' && e.iface === 'e1' && e.action === 'tx').length;
    expect(rxE0).toBeGreaterThanOrEqual(3);
    expect(txE1).toBe(rxE0);
    // e2 has no cable: no carrier, nothing sent there
    expect(ev.filter((e) => e.node === 'n1' && e.iface === 'e2')).toHaveLength(0);
    expect(world.nodeByName('sw1')!.bridge!.counters[2].txPackets).toBe(0);
  });

  it('routes through a chain of routers with fwd records and TTL decremented', () => {
    const world = new World(chain(3, { delayUs: 100 }), { seed: 1 });
    expect(world.warnings).toEqual([]);
    const got = ping(world, 'pc1', '10.0.3.20');
    const reply = got.find((m) => m.type === ICMP_TYPE.ECHO_REPLY)!;
    expect(reply).toBeDefined();
    expect(reply.ttl).toBe(61);
    const ev = world.drainTraffic(10_000).events;
    const fwd = ev.filter((e) => e.action === 'fwd' && e.proto === 'icmp');
    expect(fwd).toHaveLength(6);
    expect(fwd[0]).toMatchObject({ node: 'n1', fromIface: 'eth0', iface: 'eth1' });
  });

  it('TTL exhaustion is a drop with reason ttl-exceeded', () => {
    const world = new World(chain(3), { seed: 1 });
    const got = ping(world, 'pc1', '10.0.3.20', 1, 2);
    expect(got.some((m) => m.type === ICMP_TYPE.TIME_EXCEEDED)).toBe(true);
    const drops = world.drainTraffic(10_000).events.filter((e) => e.action === 'drop');
    expect(drops.map((d) => [d.node, d.reason])).toContainEqual(['n2', 'ttl-exceeded']);
  });

  it('link down: both stacks lose carrier, frames are dropped as link-down', () => {
    const world = new World(pcSwitchPc(), { seed: 1 });
    world.setLinkUp('l1', false);
    const pc2 = world.nodeByName('pc2')!.stack!;
    expect(pc2.ifaces[0].carrier).toBe(false);
    expect(ping(world, 'pc1', '10.0.0.21')).toHaveLength(0);
    const ev = world.drainTraffic(1000).events;
    expect(ev.some((e) => e.action === 'drop' && e.reason === 'link-down' && e.link === 'l1')).toBe(true);
    world.setLinkUp('l1', true);
    expect(pc2.ifaces[0].carrier).toBe(true);
  });

  it('kinds that do not run become warnings; their links are not built', () => {
    const d = doc(
      [node('n0', 'pc', 'pc1', [{ name: 'eth0', ipv4: ['10.0.0.20/24'] }]), node('n1', 'nat', 'nat1', [{ name: 'eth0' }])],
      [['n0', 'eth0', 'n1', 'eth0']],
    );
    const world = new World(d, { seed: 1 });
    expect(world.warnings[0]).toBe('node nat1 (kind nat) will not run yet');
    expect(world.warnings[1]).toMatch(/link l0 .* will not run/);
    expect(world.nodeByName('pc1')!.stack!.ifaces[0].carrier).toBe(false);
  });

  it('onTraffic listeners see events as they happen', () => {
    const world = new World(pcSwitchPc(), { seed: 1 });
    world.drainTraffic(10_000); // boot-time gratuitous ARPs
    const seen: TrafficEvent[] = [];
    world.onTraffic((e) => seen.push(e));
    ping(world, 'pc1', '10.0.0.21');
    expect(seen.length).toBe(world.drainTraffic(10_000).events.length);
  });

  it('same doc + seed → same trace hash; a different seed differs (lossy links)', () => {
    const run = (seed: number) => {
      const world = new World(chain(2, { lossPercent: 30, jitterUs: 500, delayUs: 100 }), { seed });
      for (let i = 0; i < 20; i++) ping(world, 'pc1', '10.0.2.20', i);
      return world.traceHash();
    };
    const h = run(11);
    expect(run(11)).toBe(h);
    expect(run(12)).not.toBe(h);
  });

  it('the ring keeps the most recent records and counts skipped ones', () => {
    const world = new World(pcSwitchPc(), { seed: 1, traceCapacity: 16 });
    ping(world, 'pc1', '10.0.0.21');
    const total = world.traffic.total;
    const { events, skipped } = world.drainTraffic(10);
    expect(events).toHaveLength(10);
    expect(skipped).toBe(total - 10);
  });
});
