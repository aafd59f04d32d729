import { describe, expect, it } from 'vitest';
import { tcpConnect, tcpListen, type TcpConn } from '../../../src/emulator/stack/tcp';
import { ccFind, type CcAlgo } from '../../../src/emulator/stack/tcp/tcp-cc';
import { hostRouterHost, ip } from '../harness';

const RTT_NS = 100_000_000;
const MSS = 1000;

/** cwnd (segments) at the end of each RTT after a loss at 100 segments, every segment acknowledged. */
function shape(algo: CcAlgo, rtts: number): number[] {
  const n = hostRouterHost();
  tcpListen(n.get('pc2'), 9, 1, null);
  const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 9, {}) as TcpConn;
  n.run(RTT_NS);
  c.sndMax = (c.sndUna + 100 * MSS) >>> 0; // a full window in flight when the loss is seen
  c.maxSeg = MSS;
  algo.init(c);
  c.srttNs = RTT_NS;
  c.cwnd = 100 * MSS;
  c.ssthresh = 50 * MSS;
  algo.ackReceived(c, MSS); // a congestion-avoidance epoch at the old maximum
  algo.congSignal(c, 'dupack');
  algo.postRecovery(c);
  const out: number[] = [c.cwnd / MSS];
  for (let r = 0; r < rtts; r++) {
    const acks = Math.floor(c.cwnd / MSS);
    for (let i = 0; i < acks; i++) algo.ackReceived(c, MSS);
    n.run(RTT_NS);
    out.push(c.cwnd / MSS);
  }
  return out;
}

const diffs = (w: number[]): number[] => w.slice(1).map((v, i) => v - w[i]);

describe('congestion control shapes', () => {
  it('NewReno halves and then grows one segment per RTT (a straight sawtooth)', () => {
    const w = shape(ccFind('newreno')!, 40);
    expect(w[0]).toBeCloseTo(50, 0);
    for (const d of diffs(w)) expect(d).toBeCloseTo(1, 0);
  });

  it('CUBIC keeps 70%, grows concave up to the old maximum near K, then convex beyond (RFC 9438)', () => {
    const w = shape(ccFind('cubic')!, 70);
    expect(w[0]).toBeCloseTo(70, 0);
    const d = diffs(w);
    // K = ∛((100 − 70) / 0.4) ≈ 4.2 s = 42 RTTs: the plateau around W_max.
    expect(w[42]).toBeGreaterThan(97);
    expect(w[42]).toBeLessThan(103);
    expect(d[2]).toBeGreaterThan(d[20]);
    expect(d[20]).toBeGreaterThan(d[38]);
    expect(d[65]).toBeGreaterThan(d[50]);
    // Faster than NewReno back to the old maximum from a smaller cut.
    expect(w[10]).toBeGreaterThan(80);
  });
});
