import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Scheduler, SimStall } from './scheduler';
import { RealTimeDriver } from './drivers';
import { Rng, RngStreams } from './rng';

describe('Scheduler', () => {
  it('runs events in (time, seq) order, ties in insertion order', () => {
    const s = new Scheduler();
    const out: string[] = [];
    s.schedule(10, () => out.push('b'));
    s.schedule(5, () => out.push('a'));
    s.schedule(10, () => out.push('c'));
    s.schedule(0, () => out.push('0'));
    s.runUntilIdle();
    expect(out).toEqual(['0', 'a', 'b', 'c']);
    expect(s.now()).toBe(10);
  });

  it('runs an event scheduled later with a reserved number where it would have run, before the same-instant queue', () => {
    const s = new Scheduler();
    const out: string[] = [];
    // A FIFO producer: 'f1' is scheduled, 'f2' only reserves its place and is scheduled when f1 runs.
    s.schedule(10, () => {
      out.push('f1');
      s.schedule(0, () => out.push('now')); // same instant, scheduled after f2's number was taken
      s.scheduleReserved(10, f2, () => out.push('f2'), undefined);
    });
    const f2 = s.reserveSeq();
    s.schedule(10, () => out.push('x')); // same time, later number: after f2
    s.schedule(5, () => out.push('a'));
    expect(s.pending()).toBe(4); // the reserved event counts
    s.runUntilIdle();
    expect(out).toEqual(['a', 'f1', 'f2', 'x', 'now']);
    expect(s.pending()).toBe(0);
  });

  it('counts reserved events against the pending bound', () => {
    const s = new Scheduler({ maxPending: 2 });
    s.schedule(1, () => {});
    s.reserveSeq();
    expect(() => s.reserveSeq()).toThrow(SimStall);
  });

  it('agrees with a sorted reference on random schedules, including cancels and nested scheduling', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean(), fc.boolean()), { maxLength: 200 }), (ops) => {
        const s = new Scheduler();
        const ran: number[] = [];
        const expected: { t: number; k: number }[] = [];
        let k = 0;
        for (const [delay, cancel, nested] of ops) {
          const key = k++;
          const id = s.schedule(delay, () => {
            ran.push(key);
            if (nested) s.schedule(0, () => ran.push(-key - 1));
          });
          if (cancel) s.cancel(id);
          else expected.push({ t: delay, k: key });
        }
        s.runUntilIdle();
        const order = [...expected].sort((a, b) => a.t - b.t || a.k - b.k).map((e) => e.k);
        expect(ran.filter((x) => x >= 0)).toEqual(order);
        expect(s.pending()).toBe(0);
      }),
    );
  });

  it('ignores cancels of events that already ran, so pending() stays exact', () => {
    const s = new Scheduler();
    const id = s.schedule(1, () => {});
    s.schedule(5, () => {});
    s.runUntil(2);
    s.cancel(id);
    expect(s.pending()).toBe(1);
    s.cancel(12345);
    expect(s.pending()).toBe(1);
  });

  it('runs same-instant events after heap events due now, in insertion order', () => {
    const s = new Scheduler();
    const out: string[] = [];
    s.schedule(10, () => {
      out.push('a');
      s.schedule(0, () => out.push('c'));
      const x = s.schedule(0, () => out.push('x'));
      s.cancel(x);
      s.schedule(0, () => out.push('d'));
    });
    s.schedule(10, () => out.push('b'));
    s.schedule(11, () => out.push('e'));
    expect(s.peekTime()).toBe(10);
    s.runUntilIdle();
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.pending()).toBe(0);
  });

  it('runUntil stops at the boundary and advances the clock', () => {
    const s = new Scheduler();
    const out: number[] = [];
    for (const t of [1, 5, 10, 11]) s.schedule(t, () => out.push(t));
    s.runUntil(10);
    expect(out).toEqual([1, 5, 10]);
    expect(s.now()).toBe(10);
    s.runUntil(20);
    expect(s.now()).toBe(20);
    expect(out).toEqual([1, 5, 10, 11]);
  });

  it('refuses past times and negative delays', () => {
    const s = new Scheduler();
    s.runUntil(100);
    expect(() => s.scheduleAt(50, () => {})).toThrow(/past/);
    expect(() => s.schedule(-1, () => {})).toThrow(/negative/);
  });

  it('a zero-delay event loop stops with a zero-progress SimStall instead of hanging', () => {
    const s = new Scheduler({ zeroProgressEvents: 100_000 });
    const again = (): void => void s.schedule(0, again);
    s.schedule(5, again);
    let err: unknown;
    try {
      s.runUntilIdle();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimStall);
    expect((err as SimStall).kind).toBe('zero-progress');
    expect((err as SimStall).nowNs).toBe(5);
    expect(s.executed()).toBe(100_000);
  });

  it('a storm at one instant keeps its queue compact (memory stays flat while events keep coming)', () => {
    const s = new Scheduler({ zeroProgressEvents: Number.POSITIVE_INFINITY });
    // Two events always pending at the same instant, as two frames circling a zero-delay ring.
    const again = (): void => void s.schedule(0, again);
    s.schedule(0, again);
    s.schedule(0, again);
    s.runUntilIdle(1_000_000);
    const q = (s as unknown as { nowSeqs: number[] }).nowSeqs;
    expect(q.length).toBeLessThan(10_000);
    expect(s.pending()).toBe(2);
  });

  it('virtual time advancing resets the zero-progress count', () => {
    const s = new Scheduler({ zeroProgressEvents: 1000 });
    let n = 0;
    const tick = (): void => {
      if (++n < 5000) s.schedule(n % 500 === 0 ? 1 : 0, tick);
    };
    s.schedule(0, tick);
    expect(() => s.runUntilIdle()).not.toThrow();
    expect(n).toBe(5000);
  });

  it('refuses to hold more pending events than its bound', () => {
    const s = new Scheduler({ maxPending: 10 });
    for (let k = 0; k < 10; k++) s.schedule(k, () => {});
    expect(() => s.schedule(1, () => {})).toThrow(SimStall);
  });

  it('single step runs exactly one event', () => {
    const s = new Scheduler();
    let n = 0;
    s.schedule(1, () => n++);
    s.schedule(2, () => n++);
    expect(s.step()).toBe(true);
    expect(n).toBe(1);
    expect(s.now()).toBe(1);
  });
});

describe('RealTimeDriver', () => {
  it('maps wall time to virtual time by the speed factor', () => {
    const s = new Scheduler();
    let wall = 0;
    const d = new RealTimeDriver(s, () => wall, 0.01);
    const seen: number[] = [];
    s.schedule(1_000_000, () => seen.push(s.now())); // 1 ms virtual
    d.start();
    wall = 50; // 50 ms wall × 0.01 = 0.5 ms virtual
    d.tick();
    expect(seen).toEqual([]);
    expect(s.now()).toBe(500_000);
    wall = 100;
    d.tick();
    expect(seen).toEqual([1_000_000]);
    d.pause();
    wall = 10_000;
    expect(d.tick()).toBe(0);
  });
});

describe('Rng', () => {
  it('is deterministic per (seed, name) and independent across names', () => {
    const a = new RngStreams(42);
    const b = new RngStreams(42);
    const xs = Array.from({ length: 5 }, () => a.get('link:l0:loss').nextU32());
    b.get('other').nextU32();
    const ys = Array.from({ length: 5 }, () => b.get('link:l0:loss').nextU32());
    expect(xs).toEqual(ys);
    expect(new Rng(1, 'x').nextU32()).not.toBe(new Rng(2, 'x').nextU32());
  });

  it('chancePpm has the right frequency', () => {
    const r = new Rng(7, 't');
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (r.chancePpm(250_000)) hits++;
    expect(hits).toBeGreaterThan(24_000);
    expect(hits).toBeLessThan(26_000);
  });
});
