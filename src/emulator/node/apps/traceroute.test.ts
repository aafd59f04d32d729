import { describe, expect, it } from 'vitest';
import { fakePort, type FakeReply } from './fake-port.test-util';
import { startTraceroute, TRACEROUTE_DEFAULTS, type TracerouteOptions } from './traceroute';

const DST = 0x0a000314; // 10.0.3.20
const router = (n: number): number => 0x0a000001 + (n << 8); // 10.0.n.1

function run(script: (ttl: number, i: number) => FakeReply, over: Partial<TracerouteOptions> = {}) {
  const f = fakePort((s, i) => script(s.ttl, i));
  let text = '';
  let code = -1;
  const t = startTraceroute(f.port, { dst: DST, hostText: '10.0.3.20', ...TRACEROUTE_DEFAULTS, numeric: true, ...over }, (x) => (text += x), (c) => (code = c));
  f.sim.runUntilIdle(100_000);
  return { text, code, f, hops: t.hops, endNs: f.sim.now() };
}

describe('traceroute', () => {
  it('lists each router then stops at the port unreachable from the destination', () => {
    const r = run((ttl) =>
      ttl < 4 ? { kind: 'error', type: 11, code: 0, from: router(ttl - 1), delayNs: ttl * 500_000 } : { kind: 'error', type: 3, code: 3, from: DST, delayNs: 2_000_000 },
    );
    expect(r.text).toBe(
      'traceroute to 10.0.3.20 (10.0.3.20), 64 hops max, 40 byte packets\n' +
        ' 1  10.0.0.1  0.500 ms  0.500 ms  0.500 ms\n' +
        ' 2  10.0.1.1  1.000 ms  1.000 ms  1.000 ms\n' +
        ' 3  10.0.2.1  1.500 ms  1.500 ms  1.500 ms\n' +
        ' 4  10.0.3.20  2.000 ms  2.000 ms  2.000 ms\n',
    );
    expect(r.code).toBe(0);
    expect(r.f.sent.map((s) => s.dstPort)).toEqual(Array.from({ length: 12 }, (_, i) => 33435 + i));
    expect(r.f.sent.every((s) => s.payload.length === 12)).toBe(true);
    expect(r.hops.map((h) => h[0].from)).toEqual([router(0), router(1), router(2), DST]);
  });

  it('prints * for timeouts, (ip) without -n, and honours -m', () => {
    const r = run((ttl, i) => (ttl === 1 && i !== 1 ? { kind: 'error', type: 11, code: 0, from: router(0) } : { kind: 'drop' }), {
      maxTtl: 2,
      numeric: false,
      waitNs: 1_000_000_000,
    });
    expect(r.text).toBe(
      'traceroute to 10.0.3.20 (10.0.3.20), 2 hops max, 40 byte packets\n' +
        ' 1  10.0.0.1 (10.0.0.1)  1.000 ms *  1.000 ms\n' +
        ' 2  * * *\n',
    );
    expect(r.endNs).toBe(4_002_000_000);
  });

  it('annotates !H and stops after nprobes-1 unreachables; new address on a new line', () => {
    const r = run((ttl, i) => (i === 0 ? { kind: 'error', type: 3, code: 1, from: router(0) } : { kind: 'error', type: 3, code: 1, from: router(1) }));
    expect(r.text.split('\n').slice(1).join('\n')).toBe(' 1  10.0.0.1  1.000 ms !H\n    10.0.1.1  1.000 ms !H  1.000 ms !H\n');
  });

  it('reports a failed send and exits 1', () => {
    const r = run(() => ({ kind: 'errno', errno: 'ENETUNREACH' }));
    expect(r.text).toContain('traceroute: sendto: Network is unreachable\n');
    expect(r.code).toBe(1);
  });
});
