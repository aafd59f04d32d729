import { describe, expect, it } from 'vitest';
import type { EngineEvent, TrafficEvent } from '../../emulator/engine/protocol';
import { EventBatcher, coalesceClock, type EventBatch } from './event-batcher';

const traffic = (frame: number): TrafficEvent => ({ type: 'traffic', frame, timeNs: frame, action: 'tx', node: 'n0', link: 'l0', proto: 'icmp', summary: '', lengthBytes: 98 });
const clock = (nowNs: number): EngineEvent => ({ type: 'sim/clock', nowNs, running: true, speed: 1, pendingEvents: 0 });

describe('EventBatcher', () => {
  it('delivers everything pushed before a frame in one batch, once', () => {
    const frames: (() => void)[] = [];
    const batches: EventBatch[] = [];
    const b = new EventBatcher((cb) => frames.push(cb), (x) => batches.push(x));
    b.push([traffic(1), clock(5)]);
    b.push([{ type: 'shell/output', session: 1, text: 'hi' }, clock(9)]);
    expect(frames).toHaveLength(1);
    expect(batches).toHaveLength(0);
    frames[0]!();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events.map((e) => e.type)).toEqual(['traffic', 'shell/output', 'sim/clock']);
    expect((batches[0]!.events[2] as { nowNs: number }).nowNs).toBe(9);
    b.push([traffic(2)]);
    expect(frames).toHaveLength(2);
  });

  it('caps traffic per frame but keeps every other event and counts the rest', () => {
    let flush: (() => void) | null = null;
    const batches: EventBatch[] = [];
    const b = new EventBatcher((cb) => (flush = cb), (x) => batches.push(x), { trafficCap: 10 });
    const many: EngineEvent[] = [];
    for (let i = 0; i < 100; i++) many.push(traffic(i));
    many.push({ type: 'shell/done', session: 1, exitCode: 0, prompt: '$ ' });
    b.push(many);
    flush!();
    expect(batches[0]!.events.filter((e) => e.type === 'traffic')).toHaveLength(10);
    expect(batches[0]!.events.some((e) => e.type === 'shell/done')).toBe(true);
    expect(batches[0]!.trafficDropped).toBe(90);
  });

  it('keeps only the last clock event', () => {
    expect(coalesceClock([clock(1), traffic(1), clock(2)]).map((e) => e.type)).toEqual(['traffic', 'sim/clock']);
  });
});
