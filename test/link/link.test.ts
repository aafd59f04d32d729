// Link timing and impairments against simple recording endpoints: serialization and
// propagation exactly as computed, drop-tail overflow, loss/dup/BER rates with a fixed
// seed, jitter bounds and FIFO order, carrier down, live parameter change.
import { describe, expect, it } from 'vitest';
import { IN_FLIGHT_MAX, Link, berDropProbability, serializationNs, type InFlightBudget, type LinkDir, type LinkObserver } from '../../src/emulator/link/link';
import { Scheduler } from '../../src/emulator/sim/scheduler';
import { RngStreams } from '../../src/emulator/sim/rng';
import { DEFAULT_LINK_PARAMS, type LinkParams } from '../../src/emulator/topology/document';

interface Seen {
  rx: { t: number; id: number; frame: Uint8Array; dir: LinkDir }[];
  tx: { t: number; id: number; arriveNs: number }[];
  drops: { t: number; id: number; reason: string }[];
  carrier: boolean[];
  bounds: string[];
}

function setup(params: Partial<LinkParams>, seed = 1, paramsBA?: Partial<LinkParams>, budget?: InFlightBudget) {
  const sim = new Scheduler();
  const rngs = new RngStreams(seed);
  let nextId = 1;
  const seen: Seen = { rx: [], tx: [], drops: [], carrier: [], bounds: [] };
  const observer: LinkObserver = {
    nextFrameId: () => nextId++,
    linkTx: (_l, _d, id, _f, arriveNs) => seen.tx.push({ t: sim.now(), id, arriveNs }),
    linkRx: (_l, dir, id, frame) => seen.rx.push({ t: sim.now(), id, frame, dir }),
    linkDrop: (_l, _d, id, _f, reason) => seen.drops.push({ t: sim.now(), id, reason }),
    linkBound: (_l, _d, message) => seen.bounds.push(message),
  };
  const link = new Link({
    id: 'l0',
    index: 0,
    sim,
    observer,
    rngs: { loss: rngs.get('link:l0:loss'), ber: rngs.get('link:l0:ber'), dup: rngs.get('link:l0:dup'), jitter: rngs.get('link:l0:jitter') },
    params: { ...DEFAULT_LINK_PARAMS, ...params },
    paramsBA: paramsBA ? { ...DEFAULT_LINK_PARAMS, ...paramsBA } : undefined,
    budget,
  });
  const delivered: [Uint8Array[], Uint8Array[]] = [[], []];
  link.attach(0, { deliver: (f) => delivered[0].push(f), carrier: (up) => seen.carrier.push(up) });
  link.attach(1, { deliver: (f) => delivered[1].push(f), carrier: (up) => seen.carrier.push(up) });
  return { sim, link, seen, delivered };
}

const frame = (n: number, tag = 0) => new Uint8Array(n).fill(tag);

describe('link timing', () => {
  it('serialization then propagation, queued frames wait for the transmitter', () => {
    const { sim, link, seen, delivered } = setup({ bandwidthBps: 1_000_000, delayUs: 1000 });
    link.send(0, frame(125, 1)); // 1000 bits → 1 ms
    link.send(0, frame(250, 2)); // 2000 bits → 2 ms, starts at 1 ms
    expect(link.queueDepth(0)).toBe(2);
    sim.runUntilIdle();
    expect(seen.rx.map((r) => r.t)).toEqual([2_000_000, 4_000_000]);
    expect(seen.tx.map((r) => r.arriveNs)).toEqual([2_000_000, 4_000_000]);
    expect(delivered[1].map((f) => f[0])).toEqual([1, 2]);
    expect(delivered[0]).toHaveLength(0);
    expect(serializationNs(64, 10_000_000)).toBe(51_200);
  });

  it('unlimited bandwidth and zero delay deliver at the same instant', () => {
    const { sim, link, seen } = setup({});
    link.send(1, frame(60));
    sim.runUntilIdle();
    expect(seen.rx).toHaveLength(1);
    expect(seen.rx[0].t).toBe(0);
    expect(seen.rx[0].dir).toBe(1);
  });

  it('asymmetric parameters apply per direction', () => {
    const { sim, link, seen } = setup({ delayUs: 10 }, 1, { delayUs: 30 });
    link.send(0, frame(60));
    link.send(1, frame(60));
    sim.runUntilIdle();
    expect(seen.rx.map((r) => [r.dir, r.t])).toEqual([
      [0, 10_000],
      [1, 30_000],
    ]);
  });

  it('drop-tail queue overflows at exactly queuePackets', () => {
    const { sim, link, seen } = setup({ bandwidthBps: 1_000_000, queuePackets: 5 });
    for (let i = 0; i < 8; i++) link.send(0, frame(100));
    expect(seen.drops.map((d) => d.reason)).toEqual(['queue-full', 'queue-full', 'queue-full']);
    expect(link.queueDepth(0)).toBe(5);
    sim.runUntil(800_000); // first frame (800 µs) has left the transmitter
    expect(link.queueDepth(0)).toBe(4);
    link.send(0, frame(100));
    link.send(0, frame(100));
    expect(seen.drops).toHaveLength(4);
    sim.runUntilIdle();
    expect(seen.rx).toHaveLength(6);
    expect(link.queueDepth(0)).toBe(0);
  });
});

describe('link impairments', () => {
  it('loss ≈ lossPercent over many frames, dropped at the far end as link-loss', () => {
    const { sim, link, seen } = setup({ lossPercent: 10 }, 42);
    // In batches: a direction holds at most IN_FLIGHT_MAX frames at once.
    for (let i = 0; i < 20_000; i++) {
      link.send(0, frame(60));
      if (i % 1000 === 999) sim.runUntilIdle();
    }
    const lost = seen.drops.filter((d) => d.reason === 'link-loss').length;
    expect(lost).toBeGreaterThan(1800);
    expect(lost).toBeLessThan(2200);
    expect(seen.rx.length + lost).toBe(20_000);
    expect(seen.tx).toHaveLength(20_000);
  });

  it('duplication ≈ dupPercent, copies arrive right behind the original', () => {
    const { sim, link, seen, delivered } = setup({ dupPercent: 20, delayUs: 5 }, 7);
    for (let i = 0; i < 10_000; i++) {
      link.send(0, frame(60, i & 0xff));
      if (i % 1000 === 999) sim.runUntilIdle();
    }
    const dups = seen.rx.length - 10_000;
    expect(dups).toBeGreaterThan(1800);
    expect(dups).toBeLessThan(2200);
    // every frame is followed by at most one identical copy; order kept
    let k = 0;
    for (let i = 0; i < 10_000; i++) {
      expect(delivered[1][k][0]).toBe(i & 0xff);
      k++;
      if (k < delivered[1].length && delivered[1][k] === delivered[1][k - 1]) k++;
    }
    expect(k).toBe(delivered[1].length);
  });

  it('BER drops frames with probability 1-(1-1/N)^bits', () => {
    const oneIn = 100_000;
    const p = berDropProbability(1000 * 8, oneIn);
    expect(p).toBeCloseTo(1 - Math.pow(1 - 1 / oneIn, 8000), 12);
    const { sim, link, seen } = setup({ berOneIn: oneIn }, 3);
    for (let i = 0; i < 10_000; i++) {
      link.send(0, frame(1000));
      if (i % 1000 === 999) sim.runUntilIdle();
    }
    const hit = seen.drops.filter((d) => d.reason === 'link-ber').length;
    expect(hit / 10_000).toBeGreaterThan(p - 0.02);
    expect(hit / 10_000).toBeLessThan(p + 0.02);
  });

  it('jitter stays within [delay, delay + jitter) and never reorders', () => {
    const { sim, link, seen } = setup({ delayUs: 100, jitterUs: 50 }, 9);
    for (let i = 0; i < 500; i++) sim.schedule(i * 1_000, () => link.send(0, frame(60)));
    sim.runUntilIdle();
    expect(seen.rx).toHaveLength(500);
    const ids = seen.rx.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const sendT = new Map(seen.tx.map((t) => [t.id, t.t]));
    const delays = seen.rx.map((r) => r.t - sendT.get(r.id)!);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(100_000);
    expect(Math.max(...delays)).toBeLessThan(150_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
  });

  it('same seed → same fates; another seed → different', () => {
    const run = (seed: number) => {
      const { sim, link, seen } = setup({ lossPercent: 30 }, seed);
      for (let i = 0; i < 200; i++) link.send(0, frame(60));
      sim.runUntilIdle();
      return seen.drops.map((d) => d.id).join(',');
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });
});

describe('link carrier and live changes', () => {
  it('carrier down drops in-flight and new frames as link-down and tells both ends', () => {
    const { sim, link, seen } = setup({ delayUs: 1000 });
    link.send(0, frame(60));
    sim.runUntil(500_000);
    link.setUp(false);
    expect(seen.carrier).toEqual([false, false]);
    link.send(1, frame(60));
    sim.runUntilIdle();
    expect(seen.rx).toHaveLength(0);
    expect(seen.drops.map((d) => d.reason)).toEqual(['link-down', 'link-down']);
    link.setUp(true);
    expect(seen.carrier).toEqual([false, false, true, true]);
    link.send(0, frame(60));
    sim.runUntilIdle();
    expect(seen.rx).toHaveLength(1);
  });

  it('parameters change while running; accepted frames keep their times', () => {
    const { sim, link, seen } = setup({ delayUs: 1000 });
    link.send(0, frame(60));
    link.setParams({ delayUs: 10 }, 'ab');
    sim.runUntilIdle();
    link.send(0, frame(60));
    link.send(1, frame(60));
    sim.runUntilIdle();
    expect(seen.rx.map((r) => r.t)).toEqual([1_000_000, 1_010_000, 2_000_000]);
    expect(link.params(0).delayUs).toBe(10);
    expect(link.params(1).delayUs).toBe(1000);
    link.setParams({ lossPercent: 100 });
    link.send(1, frame(60));
    sim.runUntilIdle();
    expect(seen.drops.map((d) => d.reason)).toEqual(['link-loss']);
  });

  it('a zero-bandwidth direction holds at most IN_FLIGHT_MAX frames; the bound is reported once and the rest drop as queue-full', () => {
    const { sim, link, seen } = setup({ delayUs: 1000 });
    for (let k = 0; k < IN_FLIGHT_MAX + 10; k++) link.send(0, frame(60));
    expect(link.inFlight(0)).toBe(IN_FLIGHT_MAX);
    expect(seen.drops).toHaveLength(10);
    expect(new Set(seen.drops.map((d) => d.reason))).toEqual(new Set(['queue-full']));
    expect(seen.bounds).toHaveLength(1);
    sim.runUntilIdle();
    expect(link.inFlight(0)).toBe(0);
    expect(seen.rx).toHaveLength(IN_FLIGHT_MAX);
  });

  it('each direction counts its own traffic and drops by reason (offered = delivered + dropped + in flight)', () => {
    const { sim, link } = setup({ delayUs: 10, lossPercent: 50 }, 7);
    for (let k = 0; k < 200; k++) link.send(0, frame(100));
    link.send(1, frame(60));
    const mid = link.counters(0);
    expect(mid.offered).toBe(200);
    expect(link.inFlight(0)).toBe(200);
    sim.runUntilIdle();
    const c = link.counters(0);
    const lost = c.drops['link-loss'] ?? 0;
    expect(lost).toBeGreaterThan(50);
    expect(c.deliveredPackets + lost + link.inFlight(0)).toBe(c.offered);
    expect(c.sentBytes).toBe(200 * 100);
    expect(link.counters(1)).toMatchObject({ offered: 1, deliveredPackets: 1, deliveredBytes: 60 });
    link.setUp(false);
    link.send(1, frame(60));
    expect(link.counters(1).drops['link-down']).toBe(1);
  });

  it('links of one world share an in-flight budget', () => {
    const budget = { inFlight: 0, max: 5 };
    const a = setup({ delayUs: 10 }, 1, undefined, budget);
    const b = setup({ delayUs: 10 }, 1, undefined, budget);
    for (let k = 0; k < 4; k++) a.link.send(0, frame(60));
    for (let k = 0; k < 4; k++) b.link.send(0, frame(60));
    expect(budget.inFlight).toBe(5);
    expect(b.seen.drops.map((d) => d.reason)).toEqual(['queue-full', 'queue-full', 'queue-full']);
    a.sim.runUntilIdle();
    b.sim.runUntilIdle();
    expect(budget.inFlight).toBe(0);
  });
});
