import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { StreamPacer, type StreamEvent } from './stream-pacer';

const tx = (frame: number, node: string, link: string, timeNs: number, arriveNs = timeNs): TrafficEvent =>
  ({ type: 'traffic', frame, timeNs, arriveNs, action: 'tx', node, link, proto: 'icmp', summary: 'Echo', lengthBytes: 98 });
const rx = (frame: number, node: string, timeNs: number): TrafficEvent =>
  ({ type: 'traffic', frame, timeNs, action: 'rx', node, proto: 'icmp', summary: 'Echo', lengthBytes: 98 });
const out = (text: string): StreamEvent => ({ type: 'shell/output', session: 1, text });
const SLOW = { speed: 0.01, minHopMs: 450 };

/** pc1 → switch → pc2 and back on zero-delay links: every hop at one virtual instant. */
function pingExchange(t: number): StreamEvent[] {
  return [
    tx(1, 'pc1', 'l0', t), rx(1, 'sw', t), tx(2, 'sw', 'l1', t), rx(2, 'pc2', t),
    tx(3, 'pc2', 'l1', t), rx(3, 'sw', t), tx(4, 'sw', 'l0', t), rx(4, 'pc1', t),
    out('64 bytes from 10.0.0.21: icmp_seq=0 ttl=64 time=0.000 ms\n'),
  ];
}

describe('StreamPacer', () => {
  it('draws each zero-delay hop for the minimum time, one after the other', () => {
    const p = new StreamPacer();
    p.push(pingExchange(1_000_000_000), 0, SLOW);
    const all = p.drain();
    const hops = all.filter((x) => x.event.type === 'traffic' && x.event.action === 'tx');
    expect(hops.map((h) => [h.atMs, h.endMs])).toEqual([[0, 450], [450, 900], [900, 1350], [1350, 1800]]);
  });

  it('releases the reply line only after the last hop has arrived on screen', () => {
    const p = new StreamPacer();
    p.push(pingExchange(5), 0, SLOW);
    const released: StreamEvent[] = [];
    for (let wall = 0; wall < 1800; wall += 16) released.push(...p.release(wall).map((x) => x.event));
    expect(released.some((e) => e.type === 'shell/output')).toBe(false);
    expect(released.filter((e) => e.type === 'traffic' && e.action === 'tx')).toHaveLength(4);
    expect(p.release(1800).map((x) => x.event.type)).toEqual(['traffic', 'shell/output']);
    expect(p.idle(1800)).toBe(false);
    expect(p.idle(1801)).toBe(true);
  });

  it('keeps stream order: nothing is released before an earlier event', () => {
    const p = new StreamPacer();
    p.push([out('PING 10.0.0.21\n'), ...pingExchange(0)], 100, SLOW);
    const order = p.drain();
    for (let i = 1; i < order.length; i++) expect(order[i]!.atMs).toBeGreaterThanOrEqual(order[i - 1]!.atMs);
    expect(order[0]!.atMs).toBe(100);
  });

  it('draws the copies a switch floods at once, after the frame it received', () => {
    const p = new StreamPacer();
    p.push([tx(1, 'pc1', 'l0', 0), rx(1, 'sw', 0), tx(2, 'sw', 'l1', 0), tx(3, 'sw', 'l2', 0), tx(4, 'sw', 'l3', 0)], 0, SLOW);
    const hops = p.drain().filter((x) => x.event.type === 'traffic' && x.event.action === 'tx');
    expect(hops.slice(1).map((h) => h.atMs)).toEqual([450, 450, 450]);
  });

  it('stretches a hop to its flight time when that is longer than the minimum', () => {
    const p = new StreamPacer();
    // 10 ms of virtual flight at 0.01× is one wall second
    p.push([tx(1, 'pc1', 'l0', 0, 10_000_000), rx(1, 'r1', 10_000_000), out('x')], 0, SLOW);
    const [hop, arrival, line] = p.drain();
    expect(hop!.endMs).toBe(1000);
    expect(arrival!.atMs).toBe(1000);
    expect(line!.atMs).toBe(1000);
  });

  it('shows the virtual time of what is on screen, and nothing when idle', () => {
    const p = new StreamPacer();
    expect(p.clockNs(0)).toBeNull();
    p.push([tx(1, 'pc1', 'l0', 2_000_000, 12_000_000), rx(1, 'r1', 12_000_000)], 0, SLOW);
    p.release(0);
    expect(p.clockNs(0)).toBe(2_000_000);
    expect(p.clockNs(500)).toBe(7_000_000);
    expect(p.backlogMs(500)).toBe(500);
    p.release(1000);
    expect(p.clockNs(1000)).toBe(12_000_000);
    expect(p.clockNs(1001)).toBeNull();
  });

  it('on Step, delivers what is queued and starts the next hop at once', () => {
    const p = new StreamPacer();
    p.push(pingExchange(0), 0, SLOW);
    p.release(100);
    const rest = p.skipTo(100);
    expect(rest.some((x) => x.event.type === 'shell/output')).toBe(true);
    p.push([tx(9, 'pc1', 'l0', 5)], 100, SLOW);
    expect(p.release(100).map((x) => [x.atMs, x.endMs])).toEqual([[100, 550]]);
  });
});
