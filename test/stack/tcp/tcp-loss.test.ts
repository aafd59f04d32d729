import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/emulator/sim/rng';
import { tcpConnect, tcpListen, tcpSend, TCP_STATE, type TcpConn } from '../../../src/emulator/stack/tcp';
import { hostRouterHost, ip } from '../harness';
import { bulkTransfer, pattern, tcpSegments } from './tcp-helpers';

const SEC = 1_000_000_000;

function isTcpData(f: Uint8Array): boolean {
  if (f.length < 54 || f[23] !== 6) return false;
  const hl = (f[14] & 0x0f) * 4;
  const total = (f[16] << 8) | f[17];
  const thl = (f[14 + hl + 12] >>> 4) * 4;
  return total - hl - thl > 0;
}

describe('tcp recovery', () => {
  it('a 2 MB transfer with 1% loss, 1% duplication and reordering arrives intact', () => {
    const n = hostRouterHost();
    const rng = new Rng(42, 'impair');
    let held: Uint8Array | null = null;
    n.impair = (node, _if, f) => {
      if (node !== 'r1') return [f];
      if (rng.chancePpm(10_000)) return [];
      if (rng.chancePpm(10_000)) return [f, f];
      if (held === null && rng.chancePpm(10_000)) {
        held = f; // delivered after the next frame: reordered
        return [];
      }
      const out = held === null ? [f] : [f, held];
      held = null;
      return out;
    };
    const data = pattern(2 * 1024 * 1024);
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5001, data);
    n.run(120 * SEC);
    expect(t.done()).toBe(true);
    const got = t.received();
    expect(got.length).toBe(data.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
    const st = n.get('pc1').tcp!.stats;
    expect(st.sndRexmitBytes).toBeGreaterThan(0);
    expect(st.fastRetransmits).toBeGreaterThan(0);
  });

  it('three duplicate ACKs trigger a fast retransmit before any timeout', () => {
    const n = hostRouterHost();
    let dropped = 0;
    n.impair = (node, _if, f) => {
      // Lose the 5th data segment once.
      if (node === 'pc1' && isTcpData(f) && ++dropped === 5) return [];
      return [f];
    };
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5002, pattern(40_000));
    n.run(5 * SEC);
    expect(t.done()).toBe(true);
    expect(Buffer.compare(Buffer.from(t.received()), Buffer.from(pattern(40_000)))).toBe(0);
    const st = n.get('pc1').tcp!.stats;
    expect(st.fastRetransmits).toBe(1);
    expect(st.rexmtTimeouts).toBe(0);
    // The receiver reported the hole with SACK blocks on its duplicate ACKs.
    expect(tcpSegments(n, 'pc2').some((s) => s.text.includes('sack 1'))).toBe(true);
  });

  it('every ACK echoing a timestamp is an RTT sample, in 1 ms ticks plus one (RFC 7323 §4, FreeBSD tcp_input)', () => {
    // The path's RTT is 4 ms (two 1 ms links each way). Timed segments alone give one sample
    // per round trip, each 4 ms; the timestamp echo gives one per ACK of new data, each
    // TCP_TS_TO_TICKS(4) + 1 = 5 ms (more when a delayed ACK echoes an older segment).
    const n = hostRouterHost();
    const t = bulkTransfer(n.get('pc1'), n.get('pc2'), ip('10.0.1.20'), 5005, pattern(256 * 1024));
    n.run(5 * SEC);
    expect(t.done()).toBe(true);
    const c = t.client;
    expect(c.tsOn).toBe(true);
    // About one sample per ACK of the receiver (every segment it sends acknowledges), far
    // more than the transfer's handful of round trips.
    expect(c.rttUpdated).toBeGreaterThan(40);
    expect(c.rttUpdated).toBeLessThanOrEqual(tcpSegments(n, 'pc2').length);
    expect(c.srttNs).toBeGreaterThanOrEqual(5e6);
    expect(c.srttNs).toBeLessThan(6e6);
  });

  it('RTO backs off exponentially from the FreeBSD floor while the path is down', () => {
    const n = hostRouterHost();
    let conn: TcpConn | null = null;
    tcpListen(n.get('pc2'), 5003, 4, null);
    const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 5003, { connected: () => (conn = c as TcpConn) }) as TcpConn;
    n.run(0.1 * SEC);
    expect(conn).toBe(c);
    n.impair = () => [];
    n.tx.length = 0;
    tcpSend(c, pattern(100));
    n.run(200 * SEC);
    const times = n.tx.filter((x) => x.node === 'pc1').map((x) => x.timeNs);
    const gaps = times.slice(1).map((v, i) => Math.round((v - times[i]) / 1e6));
    // srtt ≈ 4 ms: RTO = max(srtt + 4·rttvar, 30 ms) + 200 ms slop, then ×2 per timeout up to 64 s.
    expect(gaps[0]).toBeGreaterThanOrEqual(230);
    expect(gaps[0]).toBeLessThan(250);
    for (let i = 1; i < gaps.length && gaps[i - 1] * 2 <= 64_000; i++) expect(gaps[i]).toBe(gaps[i - 1] * 2);
    expect(gaps.length).toBeGreaterThanOrEqual(8);
    expect(n.get('pc1').tcp!.stats.rexmtTimeouts).toBe(times.length - 1);
  });

  it('gives up with ETIMEDOUT after 12 retransmissions', () => {
    const n = hostRouterHost();
    let err: string | null | undefined;
    tcpListen(n.get('pc2'), 5004, 4, null);
    const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 5004, { closed: (e) => (err = e) }) as TcpConn;
    n.run(0.1 * SEC);
    n.impair = () => [];
    tcpSend(c, pattern(100));
    n.run(3600 * SEC);
    expect(err).toBe('ETIMEDOUT');
    expect(c.state).toBe(TCP_STATE.CLOSED);
  });
});
