import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { extendJourney, journeyKey, NO_FILTER, rowIfaces, Timeline, TimelineQuery } from './timeline';

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
    // Hops at the same instant as the moment stepped back to: the record count tells them apart.
    t.push([ev(2, { timeNs: 1000 }), ev(3, { timeNs: 1000 })]);
    const before = t.generation;
    t.truncateAfter(1000, 3);
    expect(t.all().map((e) => e.frame)).toEqual([0, 1, 2]);
    expect(t.generation).toBe(before + 1);
  });

  it('names in and out interfaces per action', () => {
    expect(rowIfaces(ev(0, { action: 'fwd', fromIface: 'eth0', iface: 'eth1' }))).toEqual({ in: 'eth0', out: 'eth1' });
    expect(rowIfaces(ev(0, { action: 'rx' }))).toEqual({ in: 'eth0', out: '' });
  });

  it('keeps the bytes of the newest framesMax events only', () => {
    const t = new Timeline(1000, 5);
    t.push(Array.from({ length: 8 }, (_, i) => ev(i, { bytes: new Uint8Array(60) })));
    expect(t.all().filter((e) => e.bytes !== undefined).map((e) => e.frame)).toEqual([3, 4, 5, 6, 7]);
    t.push([ev(8, { bytes: new Uint8Array(60) }), ev(9)]);
    expect(t.all().filter((e) => e.bytes !== undefined).map((e) => e.frame)).toEqual([4, 5, 6, 7, 8]);
  });

  it('a query goes on over appended events and forgets those let go from the front', () => {
    const t = new Timeline(100);
    t.push(Array.from({ length: 60 }, (_, i) => ev(i)));
    const q = new TimelineQuery(t, { ...NO_FILTER, proto: 'icmp' }, null, (id) => id);
    expect(q.advance(30)).toBe(false);
    expect(q.count).toBe(10);
    expect(q.advance(1000)).toBe(true);
    expect(q.count).toBe(20);
    t.push(Array.from({ length: 60 }, (_, i) => ev(60 + i)));
    expect(q.done).toBe(false);
    q.advance(1000);
    // 120 events, the oldest block of 20 let go: icmp among frames 20…119.
    expect(t.lost).toBe(20);
    expect(q.count).toBe(Array.from({ length: 100 }, (_, i) => i + 20).filter((i) => i % 3 === 0).length);
    expect(t.at(q.indexAt(0))!.frame).toBe(21);
  });

  it('a display-filter expression and its error', () => {
    const t = new Timeline();
    t.push([ev(0), ev(1, { action: 'drop', reason: 'queue-full' })]);
    expect([...t.filter({ ...NO_FILTER, text: 'udp && queue-full' })]).toEqual([1]);
    expect(() => t.filter({ ...NO_FILTER, text: 'ip.ttl >' })).toThrow(/needs a value/);
  });

  it("a followed packet's path: its nodes and links", () => {
    const s = 'Echo (ping) request  id=0x1, seq=0/0';
    const hops = [ev(0, { proto: 'icmp', summary: `${s}, ttl=64`, node: 'a', link: 'l0' }), ev(1, { proto: 'icmp', summary: `${s}, ttl=63`, node: 'b', link: 'l1' }), ev(2, { proto: 'udp', node: 'c', link: 'l2' })];
    const j = extendJourney({ key: journeyKey(hops[0]!), label: s, nodes: [], links: [] }, hops);
    expect(j).toMatchObject({ nodes: ['a', 'b'], links: ['l0', 'l1'] });
    expect(extendJourney(j, hops)).toBe(j);
  });
});
