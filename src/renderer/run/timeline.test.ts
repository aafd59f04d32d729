import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { journeyKey, NO_FILTER, rowIfaces, Timeline } from './timeline';

function ev(i: number, over: Partial<TrafficEvent> = {}): TrafficEvent {
  return { type: 'traffic', frame: i, timeNs: i * 1000, action: 'tx', node: i % 2 ? 'n1' : 'n2', iface: 'eth0', link: 'l0', proto: i % 3 === 0 ? 'icmp' : 'udp', summary: `s${i}`, lengthBytes: 60, ...over };
}

describe('timeline model', () => {
  it('filters by protocol, node name, link, drops and words', () => {
    const t = new Timeline();
    t.push([ev(0), ev(1), ev(2, { action: 'drop', reason: 'no-route' }), ev(3, { link: 'l1' })]);
    const name = (id: string) => (id === 'n1' ? 'router2' : 'pc1');
    expect([...t.filter({ ...NO_FILTER, proto: 'icmp' })]).toEqual([0, 3]);
    expect([...t.filter({ ...NO_FILTER, node: 'router2' }, name)]).toEqual([1, 3]);
    expect([...t.filter({ ...NO_FILTER, link: 'l1' })]).toEqual([3]);
    expect([...t.filter({ ...NO_FILTER, dropsOnly: true })]).toEqual([2]);
    expect([...t.filter({ ...NO_FILTER, text: 'NO-ROUTE pc1' }, name)]).toEqual([2]);
    expect([...t.filter(NO_FILTER)]).toEqual([0, 1, 2, 3]);
  });

  it('follows one packet across hops (TTL ignored)', () => {
    const t = new Timeline();
    const s = (ttl: number) => `Echo (ping) request  id=0x1, seq=0/0, ttl=${ttl}`;
    t.push([ev(0, { proto: 'icmp', summary: s(64) }), ev(1, { proto: 'icmp', summary: s(63), action: 'fwd' }), ev(2, { proto: 'icmp', summary: 'Echo (ping) request  id=0x1, seq=1/256, ttl=64' })]);
    expect([...t.filter({ ...NO_FILTER, journey: journeyKey(t.at(0)!) })]).toEqual([0, 1]);
  });

  it('keeps at most max events, dropping the oldest in blocks', () => {
    const t = new Timeline(100);
    for (let k = 0; k < 25; k++) t.push(Array.from({ length: 10 }, (_, i) => ev(k * 10 + i)));
    expect(t.size).toBeLessThanOrEqual(100);
    expect(t.lost + t.size).toBe(250);
    expect(t.at(t.size - 1)!.frame).toBe(249);
  });

  it('a million events filter in well under a second', () => {
    const t = new Timeline();
    const batch: TrafficEvent[] = [];
    for (let i = 0; i < 1_000_000; i++) batch.push(ev(i));
    t.push(batch);
    const t0 = performance.now();
    const icmp = t.filter({ ...NO_FILTER, proto: 'icmp' });
    const ms = performance.now() - t0;
    expect(icmp.length).toBe(333_334);
    expect(ms).toBeLessThan(1000);
  });

  it('a step back forgets the events after its time', () => {
    const t = new Timeline();
    t.push([ev(0), ev(1), ev(2), ev(3)]);
    t.truncateAfter(1500);
    expect(t.size).toBe(2);
    expect(t.at(1)!.frame).toBe(1);
  });

  it('names in and out interfaces per action', () => {
    expect(rowIfaces(ev(0, { action: 'fwd', fromIface: 'eth0', iface: 'eth1' }))).toEqual({ in: 'eth0', out: 'eth1' });
    expect(rowIfaces(ev(0, { action: 'rx' }))).toEqual({ in: 'eth0', out: '' });
  });
});
