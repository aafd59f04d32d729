// Raw IP sockets: a bound protocol's datagrams reach the program (header stripped, source
// and interface given) instead of ICMP protocol unreachable; closed, the stack answers as
// before. rawSend writes the IP header with the requested TTL and TOS.
import { describe, expect, it } from 'vitest';
import { World } from '../engine/world';
import { hostRouterHost } from '../../../test/scenarios/topologies';
import { parseIpv4 } from '../wire/addr';
import { rawBind, rawSend, type RawDelivery } from './raw';

const S = 1_000_000_000;

describe('raw IP sockets', () => {
  it('deliver a bound protocol to the program, and protocol unreachable once closed', () => {
    const world = new World(hostRouterHost(), { seed: 1 });
    const pc = world.nodeByName('pc1')!.stack!;
    const r = world.nodeByName('router1')!.stack!;
    const got: RawDelivery[] = [];
    const close = rawBind(r, 89, (m) => got.push(m))!;
    expect(rawBind(r, 89, () => {})).toBeNull();
    const payload = new Uint8Array([1, 2, 3, 4]);
    expect(rawSend(pc, { dst: parseIpv4('10.0.0.1')!, proto: 89, payload, ttl: 1, tos: 0xc0 }).ok).toBe(true);
    world.sim.runUntil(S);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ src: parseIpv4('10.0.0.20'), dst: parseIpv4('10.0.0.1'), ttl: 1, ifIndex: 0 });
    expect([...got[0].payload]).toEqual([1, 2, 3, 4]);
    const icmpBefore = r.stats.icmpSent;
    close();
    rawSend(pc, { dst: parseIpv4('10.0.0.1')!, proto: 89, payload });
    world.sim.runUntil(2 * S);
    expect(got).toHaveLength(1);
    expect(r.stats.icmpSent).toBe(icmpBefore + 1); // RFC 1122 §3.2.2.1 protocol unreachable, as before
  });
});
