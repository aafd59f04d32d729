// The connection panel's data model: columns for the two graphs, direction, bounds and the
// words for losses and retransmissions.
import { describe, expect, it } from 'vitest';
import type { TcpProbeSample } from '../../emulator/engine/protocol';
import { rexmitText, SERIES_SAMPLES_MAX, TcpSeries } from './tcp-series';

const out = (tNs: number, seq: number, len: number, rexmit: 'dupack' | 'sack' | 'rto' | null = null): TcpProbeSample => ({ kind: 'out', tNs, seq, len, flags: 0x10, ack: 1, win: 65536, rexmit });
const ack = (tNs: number, a: number, cwnd: number, sack: [number, number][] = [], ssthresh = 0x3fffffff): TcpProbeSample => ({ kind: 'in', tNs, seq: 1, len: 0, flags: 0x10, ack: a, win: 65536, sack, cwnd, ssthresh, flight: 0, dupAcks: 0 });

describe('TcpSeries', () => {
  it('builds the time–sequence columns: segments, retransmissions, ACK line, window, SACK blocks', () => {
    const s = new TcpSeries();
    s.add([out(1e9, 1, 1000), out(1.1e9, 1001, 1000), ack(1.2e9, 1001, 20000), ack(1.3e9, 1001, 10000, [[2001, 3001]]), { kind: 'loss', tNs: 1.3e9, cause: 'dupack', seq: 1001, dupAcks: 3, rxtShift: 0, rtoNs: 230e6, cwnd: 10000, ssthresh: 10000 }, out(1.31e9, 1001, 1000, 'dupack')], 6, 0);
    expect(s.direction()).toBe('sent');
    const g = s.seqGraph('sent');
    expect(g.data[0]).toEqual([1, 1.1, 1.2, 1.3, 1.31]);
    expect(g.data[1]).toEqual([1001, 2001, null, null, null]);
    expect(g.data[2]).toEqual([null, null, null, null, 2001]);
    expect(g.data[3]).toEqual([null, null, 1001, 1001, null]);
    expect(g.data[4]).toEqual([null, null, 1001 + 65536, 1001 + 65536, null]);
    expect(g.sacks).toEqual([{ t: 1.3, lo: 2001, hi: 3001 }]);
    expect(g.rexmits).toEqual([{ t: 1.31, lo: 1001, hi: 2001 }]);
    const why = s.explanations().map((e) => e.text);
    expect(why[0]).toBe('retransmitted: 3 duplicate ACKs (seq 1001, 1000 bytes)');
    expect(why[1]).toMatch(/^3 duplicate ACKs for seq 1001: fast retransmit and recovery; cwnd 10000 bytes, ssthresh 10000$/);
  });

  it('cwnd and ssthresh in KB (unset ssthresh is a gap) and goodput from the ACK line', () => {
    const s = new TcpSeries();
    const samples: TcpProbeSample[] = [];
    // 1,250,000 bytes acknowledged per second: 10 Mbit/s.
    for (let k = 0; k <= 100; k++) samples.push(ack(k * 1e7, 1 + k * 12_500, 14480 + k * 100, [], k < 50 ? 0x3fffffff : 20480));
    s.add(samples, samples.length, 0);
    const g = s.ccGraph('sent');
    const [x, cwnd, ssth, tput] = g.data;
    expect(x.length).toBe(121);
    for (let k = 1; k < x.length; k++) expect(x[k]!).toBeGreaterThanOrEqual(x[k - 1]!);
    expect(cwnd.filter((v) => v !== null)[0]).toBeCloseTo(14480 / 1024, 5);
    expect(ssth.filter((v) => v !== null)).toHaveLength(51);
    const rates = tput.filter((v): v is number => v !== null);
    expect(rates.length).toBe(20);
    for (const r of rates) expect(Math.abs(r - 10)).toBeLessThan(2.5);
    expect(rates.reduce((a, b) => a + b, 0) / rates.length).toBeCloseTo(10, 0);
  });

  it('shows the received side for a receiver and explains an RTO', () => {
    const s = new TcpSeries();
    s.add([{ kind: 'in', tNs: 1e9, seq: 1, len: 1448, flags: 0x10, ack: 1, win: 0, sack: [], cwnd: 0, ssthresh: 0, flight: 0, dupAcks: 0 }, { kind: 'out', tNs: 1.01e9, seq: 1, len: 0, flags: 0x10, ack: 1449, win: 65536, rexmit: null }, { kind: 'loss', tNs: 2e9, cause: 'rto', seq: 1, dupAcks: 0, rxtShift: 2, rtoNs: 230e6, cwnd: 1448, ssthresh: 2896 }], 3, 0);
    expect(s.direction()).toBe('received');
    const g = s.seqGraph('received');
    expect(g.segments).toEqual([{ t: 1, lo: 1, hi: 1449 }]);
    expect(g.data[3]).toEqual([null, 1449]);
    expect(s.explanations()[0]!.text).toBe('RTO expired (timeout 2, RTO 230 ms × 2): resend from seq 1, next timer ×4; cwnd 1448 bytes, ssthresh 2896');
    expect(['dupack', 'partial-ack', 'sack', 'rto', 'persist'].map((c) => rexmitText(c as never))).toEqual(['retransmitted: 3 duplicate ACKs', 'retransmitted: partial ACK in fast recovery', 'retransmitted: SACK recovery', 'retransmitted: RTO expired', 'zero-window probe']);
  });

  it('explains a timeout undone as spurious, with the window it put back', () => {
    const s = new TcpSeries();
    s.add([{ kind: 'loss', tNs: 2e9, cause: 'spurious', seq: 1, dupAcks: 0, rxtShift: 1, rtoNs: 230e6, cwnd: 144800, ssthresh: 72400 }], 1, 0);
    expect(s.explanations()[0]).toEqual({ tNs: 2e9, kind: 'loss', text: 'the timeout was spurious (an ACK echoed a timestamp from before it): undone, sending on from where it stopped; cwnd 144800 bytes, ssthresh 72400 again' });
  });

  it('keeps at most SERIES_SAMPLES_MAX samples and counts the rest', () => {
    const s = new TcpSeries();
    const many = Array.from({ length: SERIES_SAMPLES_MAX + 10 }, (_, k) => out(k, 1 + k, 1));
    s.add(many, many.length, 5);
    expect(s.size).toBe(SERIES_SAMPLES_MAX);
    expect(s.lost).toBe(15);
    expect(s.next).toBe(many.length);
  });
});
