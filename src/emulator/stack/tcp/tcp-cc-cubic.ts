// CUBIC congestion control (RFC 9438, FreeBSD 14's default cc_cubic): after a loss the
// window follows W(t) = C·(t − K)³ + W_max — concave up to the old maximum, convex beyond —
// never below the Reno-friendly estimate W_est (§4.3). β = 0.7, C = 0.4, fast convergence
// (§4.7). Slow start is standard (no HyStart). Time is virtual: the stack's scheduler.

import { rtoSsthresh, type CcAlgo } from './tcp-cc';
import { TCP_INITCWND_SEGMENTS, type TcpConn } from './tcp-types';

const BETA = 0.7;
const C = 0.4;
/** RFC 9438 §4.3: α_cubic = 3(1 − β)/(1 + β), the Reno-friendly increase per RTT. */
const ALPHA = (3 * (1 - BETA)) / (1 + BETA);
const ABC_L = 2;

export const cubic: CcAlgo = {
  name: 'cubic',
  init(c: TcpConn): void {
    c.cwnd = TCP_INITCWND_SEGMENTS * c.maxSeg;
    c.ssthresh = 0x3fffffff;
    const v = c.cc;
    v.bytesAcked = 0;
    v.wMax = 0;
    v.k = 0;
    v.origin = 0;
    v.wEst = 0;
    v.epochStartNs = -1;
  },
  ackReceived(c: TcpConn, acked: number): void {
    if (c.cwnd < c.ssthresh) {
      c.cwnd += Math.min(acked, ABC_L * c.maxSeg);
      return;
    }
    const v = c.cc;
    const mss = c.maxSeg;
    const now = c.stack.env.sim.now();
    const seg = c.cwnd / mss;
    if (v.epochStartNs < 0) {
      // §4.2: a new congestion-avoidance epoch starts.
      v.epochStartNs = now;
      v.wEst = seg;
      if (seg < v.wMax) {
        v.k = Math.cbrt((v.wMax - seg) / C);
        v.origin = v.wMax;
      } else {
        v.k = 0;
        v.origin = seg;
      }
    }
    const rttS = (c.srttNs > 0 ? c.srttNs : 100_000_000) / 1e9;
    const t = (now - v.epochStartNs) / 1e9;
    const ackedSeg = acked / mss;
    v.wEst += (ALPHA * ackedSeg) / seg; // §4.3
    const wCubic = v.origin + C * (t - v.k) ** 3;
    if (wCubic < v.wEst) {
      c.cwnd = Math.max(c.cwnd, Math.round(v.wEst * mss));
      return;
    }
    // §4.4-4.5: move toward W_cubic(t + RTT), at most by half a window per RTT.
    const target = Math.min(Math.max(v.origin + C * (t + rttS - v.k) ** 3, seg), 1.5 * seg);
    c.cwnd += Math.max(0, Math.round(((target - seg) / seg) * ackedSeg * mss));
  },
  congSignal(c: TcpConn, signal): void {
    const v = c.cc;
    const mss = c.maxSeg;
    if (signal === 'rto') {
      // §4.8: ssthresh as Reno's but with β (once per series of timeouts, from the data in
      // flight: tcp-cc rtoSsthresh); the next congestion avoidance starts with K = 0 and
      // W_max = cwnd at its start, not the window before the timeout.
      c.ssthresh = rtoSsthresh(c, BETA);
      v.wMax = 0;
      v.epochStartNs = -1;
      v.bytesAcked = 0;
      c.cwnd = mss;
      return;
    }
    const seg = c.cwnd / mss;
    // §4.7 fast convergence: a flow that lost before reaching its last maximum yields.
    v.wMax = seg < v.wMax ? (seg * (1 + BETA)) / 2 : seg;
    v.epochStartNs = -1;
    v.bytesAcked = 0;
    // §4.6: ssthresh = cwnd · β (never below two segments).
    c.ssthresh = Math.max(Math.floor(c.cwnd * BETA), 2 * mss);
    c.cwnd = c.ssthresh;
  },
  postRecovery(c: TcpConn): void {
    c.cwnd = c.ssthresh; // §4.6: leave recovery at the reduced window
  },
};
