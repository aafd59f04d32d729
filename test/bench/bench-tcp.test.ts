// `virtnet bench --tcp`: one bulk connection through the router chain delivers every byte,
// reports consistent figures, and an idle pc listening on tcp/80 stays under 10 KB (issue 14).
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runTcpBench } from '../../src/emulator/bench-tcp';

v8.setFlagsFromString('--expose-gc');
(globalThis as { gc?: () => void }).gc ??= vm.runInNewContext('gc') as () => void;

describe('bench --tcp', () => {
  it('moves the bytes at near line rate in virtual time and keeps a listening pc small', () => {
    const r = runTcpBench({ routers: 2, bytes: 4 << 20, clock: () => performance.now(), heapUsed: () => process.memoryUsage().heapUsed, idleNodes: 300 });
    expect(r.bytes).toBe(4 << 20);
    expect(r.dataSegments).toBeGreaterThanOrEqual(Math.ceil((4 << 20) / 1448));
    expect(r.segmentsPerSecond).toBeCloseTo(r.dataSegments / r.seconds, 3);
    expect(r.goodputMbps).toBeGreaterThan(500); // 1 Gbit/s links, slow start included
    expect(r.retransmitted).toBe(0);
    expect(r.bytesPerListeningNode!).toBeGreaterThan(0);
    expect(r.bytesPerListeningNode!).toBeLessThan(10 * 1024);
  });
});
