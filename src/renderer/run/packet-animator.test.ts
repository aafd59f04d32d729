import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { PacketAnimator, loadColor, tcpMark } from './packet-animator';
import { dropTipText } from './run-overlay';

const ends = { l0: { a: 'n0', b: 'n1', bandwidthBps: 0 }, l1: { a: 'n1', b: 'n2', bandwidthBps: 1_000_000 } } as const;
const make = () => new PacketAnimator((l) => ends[l as keyof typeof ends] ?? null, (n) => (n === 'pc1' ? 'n0' : n));
const tx = (frame: number, node: string, link: string, timeNs: number, arriveNs = timeNs, proto: TrafficEvent['proto'] = 'icmp'): TrafficEvent =>
  ({ type: 'traffic', frame, timeNs, arriveNs, action: 'tx', node, link, proto, summary: 'Echo', lengthBytes: 100 });

describe('PacketAnimator', () => {
  it('moves a dot from the sending node to the far end of the link', () => {
    const a = make();
    a.addBatch([tx(1, 'pc1', 'l0', 0, 1_000_000)], 1000, 0, 1);
    expect(a.dots[0]).toMatchObject({ from: 'n0', to: 'n1', proto: 'icmp' });
    a.addBatch([tx(2, 'n2', 'l1', 0, 0)], 1000, 0, 1);
    expect(a.dots[1]).toMatchObject({ from: 'n2', to: 'n1' });
  });

  it('at full speed hops are not chained', () => {
    const a = make();
    a.addBatch([tx(1, 'n0', 'l0', 500, 500), tx(2, 'n1', 'l1', 500, 500)], 0, 500, 1);
    expect(a.dots[1]!.wallStartMs).toBe(a.dots[0]!.wallStartMs);
  });

  it('samples under heavy load and keeps the dot count bounded', () => {
    const a = new PacketAnimator((l) => ends[l as keyof typeof ends] ?? null, (n) => n, { maxDots: 50, maxNewPerBatch: 20 });
    const burst: TrafficEvent[] = [];
    for (let i = 0; i < 1000; i++) burst.push(tx(i, 'n0', 'l0', i, i + 10));
    a.addBatch(burst, 0, 0, 1);
    expect(a.dots.length).toBe(20);
    expect(a.skipped).toBe(980);
    for (let k = 0; k < 5; k++) a.addBatch(burst, 0, 0, 1);
    expect(a.dots.length).toBe(50);
    a.prune(10_000);
    expect(a.dots.length).toBe(0);
    // load is still measured from every frame
    expect(a.linkLevel('l0', 0)).toBe(1);
    expect(loadColor(a.linkLevel('l0', 0))).toMatch(/^hsl\(0,/);
  });

  it('records drops with their reason and forgets them later', () => {
    const a = make();
    a.addBatch([{ ...tx(3, 'n1', 'l1', 5), action: 'drop', reason: 'no-route' }], 100, 0, 1);
    expect(a.drops[0]).toMatchObject({ node: 'n1', reason: 'no-route' });
    a.addBatch([{ ...tx(4, 'n1', 'l1', 6), action: 'drop', reason: 'firewall', rule: 500 }], 100, 0, 1);
    expect(a.drops[1]).toMatchObject({ node: 'n1', reason: 'firewall (rule 500)' });
    a.prune(100 + 5000);
    expect(a.drops).toHaveLength(0);
  });

  it('groups drop marks per node, newest last, with a count that says when it is a lower bound', () => {
    const a = new PacketAnimator((l) => ends[l as keyof typeof ends] ?? null, (n) => n, { maxDrops: 4 });
    const drop = (frame: number, node: string, reason: string): TrafficEvent => ({ ...tx(frame, node, 'l1', frame), action: 'drop', reason });
    a.addBatch([drop(1, 'n1', 'queue-full'), drop(2, 'n2', 'no-route'), drop(3, 'n1', 'queue-full'), drop(4, 'n1', 'link-loss')], 100, 0, 1);
    const g = a.dropGroups(100);
    expect(g.map((x) => [x.node, x.count, x.atLeast])).toEqual([['n2', 1, false], ['n1', 3, false]]);
    expect(g[1].newest.reason).toBe('link-loss');
    expect(g[1].reasons).toEqual([{ reason: 'queue-full', count: 2 }, { reason: 'link-loss', count: 1 }]);
    expect(dropTipText(g[0], 4000)).toBe('Dropped: no-route\nEcho');
    expect(dropTipText(g[1], 4000)).toBe('Dropped: link-loss\nEcho\n3 drops here in the last 4 s: 2 queue-full, 1 link-loss');
    // Past the cap the oldest mark goes: n1's count is then a lower bound until that mark would have faded.
    a.addBatch([drop(5, 'n1', 'queue-full')], 200, 0, 1);
    const h = a.dropGroups(200);
    expect(h.map((x) => [x.node, x.count, x.atLeast])).toEqual([['n2', 1, false], ['n1', 3, true]]);
    expect(dropTipText(h[1], 4000)).toMatch(/\nAt least 3 drops here in the last 4 s: 2 queue-full, 1 link-loss$/);
    a.prune(100 + 4001);
    expect(a.dropGroups(4101).map((x) => [x.node, x.count, x.atLeast])).toEqual([['n1', 1, false]]);
    a.clear();
    expect(a.dropGroups(0)).toEqual([]);
  });

  it('decays link load over time', () => {
    const a = make();
    a.addBatch([tx(1, 'n1', 'l1', 0, 10)], 0, 0, 1);
    const now = a.linkLevel('l1', 0);
    expect(now).toBeCloseTo(800 / 1_000_000);
    expect(a.linkLevel('l1', 3000)).toBeLessThan(now / 10);
  });

  it('cuts hops short for Step: in-flight dots end now, later ones are dropped', () => {
    const a = make();
    a.addHop(tx(1, 'n0', 'l0', 0), 0, 450);
    a.addHop(tx(2, 'n1', 'l1', 0), 450, 900);
    a.cutShort(100);
    expect(a.dots.map((d) => [d.frame, d.wallStartMs, d.wallEndMs])).toEqual([[1, 0, 100]]);
  });

  it('marks SYN, SYN-ACK, FIN and RST segments and never samples them away', () => {
    expect([0x02, 0x12, 0x11, 0x04, 0x14, 0x10, 0x18, undefined].map(tcpMark)).toEqual(['SYN', 'SYN-ACK', 'FIN', 'RST', 'RST', null, null, null]);
    const a = new PacketAnimator((l) => ends[l as keyof typeof ends] ?? null, (n) => n, { maxDots: 500, maxNewPerBatch: 10 });
    const burst: TrafficEvent[] = [];
    for (let i = 0; i < 100; i++) burst.push({ ...tx(i, 'n0', 'l0', i, i + 10, 'tcp'), tcpFlags: i === 37 ? 0x02 : i === 71 ? 0x11 : 0x10 });
    a.addBatch(burst, 0, 0, 1);
    expect(a.dots.filter((d) => d.mark !== null).map((d) => [d.frame, d.mark])).toEqual([[37, 'SYN'], [71, 'FIN']]);
    expect(a.dots.length).toBe(12);
    expect(a.dots.every((d) => d.proto === 'tcp')).toBe(true);
  });
});
