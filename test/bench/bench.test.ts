// The benchmark runs real stacks through real links: every datagram crosses every link,
// figures are positive and consistent, and an idle node stays in kilobytes (DESIGN 1).
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { chainDoc, runBench } from '../../src/emulator/bench';
import { World } from '../../src/emulator/engine/world';

// bench.ts calls globalThis.gc when present; vitest workers lack --expose-gc, so enable it here.
v8.setFlagsFromString('--expose-gc');
(globalThis as { gc?: () => void }).gc ??= vm.runInNewContext('gc') as () => void;

describe('bench', () => {
  it('floods UDP through a chain of routers and reports consistent figures', () => {
    const r = runBench({ routers: 3, packets: 4000, seed: 1, clock: () => performance.now(), heapUsed: () => process.memoryUsage().heapUsed, idleNodes: 300 });
    expect(r.nodes).toBe(5);
    expect(r.packetHops).toBe(4000 * 4);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.hopsPerSecond).toBeCloseTo(r.packetHops / r.seconds, 3);
    // one arrival event per hop; tx, rx per link plus fwd per router, per datagram
    expect(Math.round(r.eventsPerSecond * r.seconds)).toBe(r.packetHops);
    expect(r.trafficRecords).toBe(4000 * (2 * 4 + 3));
    expect(r.bytesPerIdleNode).not.toBeNull();
    expect(r.bytesPerIdleNode!).toBeGreaterThan(0);
    expect(r.bytesPerIdleNode!).toBeLessThan(64 * 1024);
    // Issue 12's budget is an idle dual-stack pc under 8 KB as `npm run bench` measures it
    // (bundled, 2000 pcs: 7.7 KB). Here, unbundled with 300 pcs, the figure is noisier.
    expect(r.bytesPerIdleDualStackNode!).toBeGreaterThan(r.bytesPerIdleNode!);
    expect(r.bytesPerIdleDualStackNode!).toBeLessThan(12 * 1024);
  });

  it('the chain document routes end to end', () => {
    const w = new World(chainDoc(4), { seed: 1 });
    expect(w.warnings).toEqual([]);
    expect(w.links).toHaveLength(5);
  });
});
