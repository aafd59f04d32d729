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
    const r = runTcpBench({ routers: 2, bytes: 4 << 20, omitBytes: 4 << 20, clock: () => performance.now(), heapUsed: () => process.memoryUsage().heapUsed, idleNodes: 300 });
    expect(r.bytes).toBeGreaterThanOrEqual(4 << 20); // the cold window ends at the first clock reading past it
    expect(r.dataSegments).toBe(Math.ceil(r.bytes / 1448));
    expect(r.segmentsPerSecond).toBeCloseTo(r.dataSegments / r.seconds, 3);
    expect(r.goodputMbps).toBeGreaterThan(500); // 1 Gbit/s links, slow start included
    // The warm window: the same connection's last bytes, after about 4 MB not measured.
    const w = r.warm!;
    expect(r.bytes + w.omittedBytes + w.bytes).toBe(12 << 20);
    expect(w.omittedBytes).toBeGreaterThan(3 << 20);
    expect(w.segmentsPerSecond).toBeCloseTo(w.dataSegments / w.seconds, 3);
    expect(w.goodputMbps).toBeGreaterThan(900); // past slow start: near the line rate
    // What a segment costs whatever the machine: its arrival at each of 3 hops, and an ACK
    // (every second segment, FreeBSD's delayed ACK) arriving at each of 3 hops: 4.5 events.
    expect(w.eventsPerSegment).toBeGreaterThanOrEqual(4.5);
    expect(w.eventsPerSegment).toBeLessThan(4.55);
    expect(r.retransmitted).toBe(0);
    expect(r.bytesPerListeningNode!).toBeGreaterThan(0);
    expect(r.bytesPerListeningNode!).toBeLessThan(10 * 1024);
  });
});
