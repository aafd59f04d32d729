import { describe, expect, it } from 'vitest';
import { Scheduler } from '../sim/scheduler';
import { HELD_DATAGRAMS_MAX, ProcGate } from './proc-gate';

describe('a stopped program runs nothing until it is continued', () => {
  it('holds timers and deliveries in the order they came and runs them as its next event after resume', () => {
    const sim = new Scheduler();
    const g = new ProcGate(sim);
    const seen: string[] = [];
    const deliver = g.wrap((what: string) => seen.push(`${what}@${sim.now()}`));
    g.timers.schedule(10, () => seen.push(`timer@${sim.now()}`));
    g.stop();
    sim.runUntil(5);
    deliver('a');
    sim.runUntil(20);
    deliver('b');
    expect(seen).toEqual([]);
    sim.runUntil(100);
    g.resume();
    // A delivery after the resume but before the catch-up waits behind the held ones.
    deliver('c');
    expect(seen).toEqual([]);
    sim.runUntil(100);
    expect(seen).toEqual(['a@100', 'timer@100', 'b@100', 'c@100']);
    deliver('d');
    expect(seen[4]).toBe('d@100');
  });

  it('a held timer that is cancelled never runs; clear() drops everything held', () => {
    const sim = new Scheduler();
    const g = new ProcGate(sim);
    let ran = 0;
    const id = g.timers.schedule(10, () => ran++);
    g.timers.schedule(10, () => ran++);
    g.stop();
    sim.runUntil(50);
    g.timers.cancel(id);
    g.resume();
    sim.runUntil(60);
    expect(ran).toBe(1);
    g.wrap(() => ran++)();
    g.timers.schedule(1, () => ran++);
    g.stop();
    sim.runUntil(70);
    g.wrap(() => ran++)();
    g.clear();
    g.resume();
    sim.runUntil(80);
    expect(ran).toBe(2);
    // An ended program is never left stopped: a late notification of its sockets passes through.
    g.stop();
    g.clear();
    g.wrap(() => ran++)();
    expect(ran).toBe(3);
  });

  it('a notification is held once however often it comes; datagrams each, up to the bound, and their bytes are copied', () => {
    const sim = new Scheduler();
    const g = new ProcGate(sim);
    let readable = 0;
    const got: number[] = [];
    const note = g.wrap(() => readable++, true);
    const datagram = g.wrap((d: { payload: Uint8Array }) => got.push(d.payload[0]));
    g.stop();
    for (let i = 0; i < 5; i++) note();
    const frame = new Uint8Array([7]);
    datagram({ payload: frame });
    frame[0] = 9; // the network reuses its buffer once the delivery returns
    for (let i = 0; i < HELD_DATAGRAMS_MAX + 10; i++) datagram({ payload: new Uint8Array([1]) });
    expect(g.dropped).toBe(11);
    g.resume();
    sim.runUntil(1);
    expect(readable).toBe(1);
    expect(got.length).toBe(HELD_DATAGRAMS_MAX);
    expect(got[0]).toBe(7);
  });
});
