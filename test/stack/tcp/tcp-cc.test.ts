import { describe, expect, it } from 'vitest';
import { tcpConnect, tcpListen, type TcpConn } from '../../../src/emulator/stack/tcp';
import { ccFind, type CcAlgo } from '../../../src/emulator/stack/tcp/tcp-cc';
import { CUBIC_FLAG } from '../../../src/emulator/stack/tcp/tcp-cc-cubic';
import { hostRouterHost, ip } from '../harness';

const RTT_NS = 100_000_000;
const MSS = 1000;

/**
 * cwnd (segments) at the end of each RTT after a loss at 100 segments, every segment
 * acknowledged; `pastFirstLoss` marks CUBIC's flow as one that has seen congestion before
 * (FreeBSD treats the first congestion event differently) with W_max at 100.
 */
function shape(algo: CcAlgo, rtts: number, pastFirstLoss = false): number[] {
  const n = hostRouterHost();
  tcpListen(n.get('pc2'), 9, 1, null);
  const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 9, {}) as TcpConn;
  n.run(RTT_NS);
  c.sndMax = (c.sndUna + 100 * MSS) >>> 0; // a full window in flight when the loss is seen
  c.maxSeg = MSS;
  algo.init(c);
  c.srttNs = RTT_NS;
  c.rttUpdated = 8; // enough samples for CUBIC to trust the smoothed RTT (CUBIC_MIN_RTT_SAMPLES)
  c.cwnd = 100 * MSS;
  c.ssthresh = 50 * MSS;
  algo.ackReceived(c, MSS, true); // a congestion-avoidance epoch at the old maximum
  if (pastFirstLoss) {
    c.cc.flags |= CUBIC_FLAG.CONG_EVENT;
    c.cc.wMaxBytes = 100 * MSS;
  }
  algo.congSignal(c, 'dupack');
  algo.postRecovery(c, 0);
  const out: number[] = [c.cwnd / MSS];
  for (let r = 0; r < rtts; r++) {
    const acks = Math.floor(c.cwnd / MSS);
    for (let i = 0; i < acks; i++) algo.ackReceived(c, MSS, true);
    n.run(RTT_NS);
    out.push(c.cwnd / MSS);
  }
  return out;
}

const diffs = (w: number[]): number[] => w.slice(1).map((v, i) => v - w[i]);

/** An established connection pc1 → pc2 with segments of MSS bytes under `name`, freshly initialised. */
function established(name: string): { c: TcpConn; algo: CcAlgo } {
  const n = hostRouterHost();
  tcpListen(n.get('pc2'), 9, 1, null);
  const c = tcpConnect(n.get('pc1'), ip('10.0.1.20'), 9, {}) as TcpConn;
  n.run(RTT_NS);
  const algo = ccFind(name)!;
  c.maxSeg = MSS;
  algo.init(c);
  return { c, algo };
}

describe('congestion control shapes', () => {
  it('NewReno halves and then grows one segment per RTT (a straight sawtooth)', () => {
    const w = shape(ccFind('newreno')!, 40);
    expect(w[0]).toBeCloseTo(50, 0);
    for (const d of diffs(w)) expect(d).toBeCloseTo(1, 0);
  });

  it('CUBIC halves ssthresh at its first congestion event and keeps 0.7 of the window as W_max (FreeBSD cubic_ssthresh_update)', () => {
    const w = shape(ccFind('cubic')!, 70);
    // Recovery ends with the whole window in flight: cwnd = β·W_max = 0.49 of the old window.
    expect(w[0]).toBeCloseTo(49, 0);
    // K = ∛(70 · 0.3 / 0.4) ≈ 3.7 s: back at W_max = 70 (one RTT early: the curve is evaluated an RTT ahead).
    expect(w[36]).toBeGreaterThan(68);
    expect(w[36]).toBeLessThan(72);
  });

  it('CUBIC keeps 70% after a later loss, grows concave up to the old maximum near K, then convex beyond (RFC 9438)', () => {
    const w = shape(ccFind('cubic')!, 70, true);
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

  it('CUBIC leaves recovery at pipe + 1 segment when less than ssthresh is in the pipe, then slow-starts (cubic_post_recovery)', () => {
    const { c, algo } = established('cubic');
    c.sackOn = false;
    c.cwnd = 100 * MSS;
    algo.congSignal(c, 'dupack');
    expect(c.ssthresh).toBe(50 * MSS);
    // Many losses: 25 segments in flight after the full ACK, which acknowledged 5 more; FreeBSD
    // counts those too (the pipe is computed before snd_una moves): 30.
    c.sndMax = (c.sndUna + 25 * MSS) >>> 0;
    algo.postRecovery(c, 5 * MSS);
    expect(c.cwnd).toBe(31 * MSS);
    c.sndNxt = c.sndMax;
    algo.ackReceived(c, 2 * MSS, true);
    expect(c.cwnd).toBe(33 * MSS);
  });

  it('CUBIC slow-starts past ssthresh until eight RTT samples make the smoothed RTT trusted (FreeBSD CUBIC_MIN_RTT_SAMPLES)', () => {
    const { c, algo } = established('cubic');
    c.srttNs = RTT_NS;
    c.cwnd = 20 * MSS;
    c.ssthresh = 10 * MSS;
    c.sndNxt = c.sndMax;
    // Fewer than eight samples: no minimum RTT yet, so a segment more per segment acknowledged.
    c.rttUpdated = 7;
    algo.ackReceived(c, MSS, true);
    expect(c.cwnd).toBe(21 * MSS);
    expect(c.cc.minRttNs).toBe(0);
    expect(c.cc.flags & CUBIC_FLAG.IN_SLOWSTART).toBeTruthy();
    // The eighth: the curve takes over (the epoch starts, cwnd grows by a fraction of a segment).
    c.rttUpdated = 8;
    algo.ackReceived(c, MSS, true);
    expect(c.cc.minRttNs).toBe(RTT_NS);
    expect(c.cc.flags & CUBIC_FLAG.IN_SLOWSTART).toBeFalsy();
    expect(c.cwnd).toBeLessThan(22 * MSS);
  });

  it('CUBIC puts back W_max, K and the epoch of before a timeout that proved spurious, and NewReno keeps what the stack restored (CC_RTO_ERR)', () => {
    const { c, algo } = established('cubic');
    c.cc.wMaxBytes = 80 * MSS;
    c.cc.kNs = 1.5e9;
    c.cc.epochStartNs = 123;
    c.cwnd = 60 * MSS;
    c.rxtShift = 1;
    algo.congSignal(c, 'rto');
    expect(c.cc.flags & CUBIC_FLAG.RTO_EVENT).toBeTruthy();
    c.cc.wMaxBytes = 1;
    c.cc.kNs = 0;
    algo.congSignal(c, 'rtoErr');
    expect([c.cc.wMaxBytes, c.cc.kNs, c.cc.epochStartNs]).toEqual([80 * MSS, 1.5e9, 123]);
    expect(c.cc.flags & (CUBIC_FLAG.RTO_EVENT | CUBIC_FLAG.CONG_EVENT)).toBe(0);
    const r = established('newreno');
    r.c.cwnd = 30 * MSS;
    r.c.ssthresh = 20 * MSS;
    r.algo.congSignal(r.c, 'rtoErr');
    expect([r.c.cwnd, r.c.ssthresh]).toEqual([30 * MSS, 20 * MSS]);
  });

  it('NewReno takes ssthresh from cwnd, not from the flight, when three duplicate ACKs arrive (FreeBSD newreno_cong_signal: cwnd · beta 50 / 100)', () => {
    const { c, algo } = established('newreno');
    // Limited transmit sent two segments beyond a cwnd of 9: 11 in flight at the third duplicate ACK.
    c.cwnd = 9 * MSS;
    c.sndMax = (c.sndUna + 11 * MSS) >>> 0;
    algo.congSignal(c, 'dupack');
    expect(c.ssthresh).toBe(4 * MSS);
    expect(c.cwnd).toBe(4 * MSS);
    // Never below two segments.
    c.cwnd = 3 * MSS;
    algo.congSignal(c, 'dupack');
    expect(c.ssthresh).toBe(2 * MSS);
  });
});
