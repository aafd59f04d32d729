// CUBIC congestion control as FreeBSD 14's cc_cubic does it (RFC 8312/9438 with FreeBSD's own
// choices): after a loss the window follows W(t) = C·(t − K)³ + W_max with K = ∛(W_max·(1 − β)/C),
// evaluated one mean RTT ahead, never below the Reno-friendly W_est(t) = β·W_max + α·t/RTT;
// β = 0.7, C = 0.4, fast convergence. FreeBSD's choices kept here: the first congestion event
// halves ssthresh and sets W_max to 0.7 of the window (cubic_ssthresh_update), the epoch starts
// at the congestion signal or when slow start or an application-limited stretch ends, and
// recovery ends at pipe + 1 segment when less than ssthresh is in flight (cubic_post_recovery),
// a spurious timeout puts the curve back (CC_RTO_ERR), and the smoothed RTT counts only from
// the eighth sample.
// No HyStart++ (FreeBSD runs it only for stacks that allow it: RACK). Time is virtual.

import { postRecoveryPipe, rtoSsthresh, type CcAlgo } from './tcp-cc';
import { TCP_INITCWND_SEGMENTS, type TcpConn } from './tcp-types';

const BETA = 0.7;
const C = 0.4;
/** Fast convergence: a flow that lost before its last maximum remembers (1 + β)/2 of its window. */
const FC_FACTOR = (1 + BETA) / 2;
/** The Reno-friendly increase per RTT, in segments: 3(1 − β)/(1 + β). */
const ALPHA = (3 * (1 - BETA)) / (1 + BETA);
/** net.inet.tcp.abc_l_var: at most this many MSS per ACK in slow start (RFC 3465 L). */
const ABC_L = 2;

/** cubic_data->flags (cc_cubic.h CUBICFLAG_*). */
export const CUBIC_FLAG = {
  CONG_EVENT: 1,
  IN_SLOWSTART: 2,
  IN_APPLIMIT: 4,
  RTO_EVENT: 8,
} as const;

/** K in ns for a W_max of `wMaxSeg` segments: the time the curve takes from β·W_max back to W_max. */
function cubicKNs(wMaxSeg: number): number {
  return Math.cbrt((wMaxSeg * (1 - BETA)) / C) * 1e9;
}

/** RTT samples before the smoothed RTT is trusted (CUBIC_MIN_RTT_SAMPLES); until then CUBIC slow-starts. */
const MIN_RTT_SAMPLES = 8;

/** The smallest smoothed RTT primes the mean until a congestion epoch has measured one (cubic_record_rtt). */
function recordRtt(c: TcpConn): void {
  if (c.rttUpdated < MIN_RTT_SAMPLES || c.srttNs <= 0) return;
  const v = c.cc;
  if (v.minRttNs === 0 || c.srttNs < v.minRttNs) {
    v.minRttNs = c.srttNs;
    if (v.minRttNs > v.meanRttNs) v.meanRttNs = v.minRttNs;
  }
  v.sumRttNs += c.srttNs;
  v.rttCount++;
}

export const cubic: CcAlgo = {
  name: 'cubic',
  init(c: TcpConn): void {
    c.cwnd = TCP_INITCWND_SEGMENTS * c.maxSeg;
    c.ssthresh = 0x3fffffff;
    const v = c.cc;
    v.bytesAcked = 0;
    v.wMaxBytes = c.cwnd; // cubic_conn_init
    v.kNs = 0;
    v.epochStartNs = -1;
    v.flags = 0;
    v.minRttNs = 0;
    v.meanRttNs = 0;
    v.sumRttNs = 0;
    v.rttCount = 0;
    v.undoWMaxBytes = v.wMaxBytes;
    v.undoKNs = 0;
    v.undoEpochStartNs = -1;
  },
  ackReceived(c: TcpConn, acked: number, cwndLimited: boolean): void {
    recordRtt(c);
    const v = c.cc;
    if (!cwndLimited) {
      v.flags |= CUBIC_FLAG.IN_APPLIMIT;
      return;
    }
    const mss = c.maxSeg;
    if (c.cwnd <= c.ssthresh || v.minRttNs === 0) {
      // Slow start as NewReno's, byte counting (one segment per ACK while retransmitting after a timeout).
      v.flags |= CUBIC_FLAG.IN_SLOWSTART;
      c.cwnd += Math.min(acked, (c.sndNxt === c.sndMax ? ABC_L : 1) * mss);
      return;
    }
    const now = c.stack.env.sim.now();
    if (v.flags & CUBIC_FLAG.RTO_EVENT && v.flags & CUBIC_FLAG.IN_SLOWSTART) {
      // After a timeout the curve starts where slow start left it, K = 0 (RFC 8312 §4.7).
      v.flags &= ~(CUBIC_FLAG.RTO_EVENT | CUBIC_FLAG.IN_SLOWSTART);
      v.wMaxBytes = c.cwnd;
      v.epochStartNs = now;
      v.kNs = 0;
    } else if (v.flags & (CUBIC_FLAG.IN_SLOWSTART | CUBIC_FLAG.IN_APPLIMIT) || v.epochStartNs < 0) {
      v.flags &= ~(CUBIC_FLAG.IN_SLOWSTART | CUBIC_FLAG.IN_APPLIMIT);
      v.epochStartNs = now;
      v.kNs = cubicKNs(v.wMaxBytes / mss);
    }
    const tNs = now - v.epochStartNs;
    const rttNs = Math.max(v.meanRttNs, 1);
    const wEst = v.wMaxBytes * BETA + ((ALPHA * tNs) / rttNs) * mss;
    const dtS = (tNs + rttNs - v.kNs) / 1e9;
    const wCubic = Math.max(0, C * dtS * dtS * dtS * mss + v.wMaxBytes);
    if (wCubic < wEst) {
      if (c.cwnd < wEst) c.cwnd = Math.floor(wEst); // the Reno-friendly region
    } else if (c.cwnd < wCubic) {
      c.cwnd = Math.floor(wCubic); // concave or convex region; never shrinks
    }
    // Before any congestion (a window from the host cache), W_max follows the window up.
    if (!(v.flags & CUBIC_FLAG.CONG_EVENT) && v.wMaxBytes < c.cwnd) {
      v.wMaxBytes = c.cwnd;
      v.kNs = cubicKNs(v.wMaxBytes / mss);
    }
  },
  congSignal(c: TcpConn, signal): void {
    const v = c.cc;
    const mss = c.maxSeg;
    if (signal === 'rtoErr') {
      // The timeout was spurious: the curve of before it (FreeBSD clears the congestion flag too).
      v.flags &= ~(CUBIC_FLAG.CONG_EVENT | CUBIC_FLAG.RTO_EVENT);
      v.kNs = v.undoKNs;
      v.wMaxBytes = v.undoWMaxBytes;
      v.epochStartNs = v.undoEpochStartNs;
      return;
    }
    v.bytesAcked = 0;
    if (signal === 'rto') {
      // ssthresh from the data in flight, once per series of timeouts (tcp-cc rtoSsthresh);
      // W_max and the epoch are set when slow start reaches ssthresh again.
      if (c.rxtShift === 1) {
        v.undoKNs = v.kNs;
        v.undoWMaxBytes = v.wMaxBytes;
        v.undoEpochStartNs = v.epochStartNs;
      }
      c.ssthresh = rtoSsthresh(c, BETA);
      v.flags |= CUBIC_FLAG.CONG_EVENT | CUBIC_FLAG.RTO_EVENT;
      c.cwnd = mss;
      return;
    }
    // cubic_ssthresh_update: fast convergence, then ssthresh and W_max; the first congestion
    // event halves ssthresh and keeps 0.7 of the window as W_max.
    let cwnd = c.cwnd;
    if (cwnd < v.wMaxBytes) cwnd = Math.floor(cwnd * FC_FACTOR);
    let ssthresh: number;
    if (!(v.flags & CUBIC_FLAG.CONG_EVENT)) {
      ssthresh = Math.floor(cwnd / 2);
      v.wMaxBytes = Math.floor(cwnd * BETA);
    } else {
      ssthresh = Math.floor(cwnd * BETA);
      v.wMaxBytes = cwnd;
    }
    c.ssthresh = Math.max(ssthresh, 2 * mss);
    v.flags |= CUBIC_FLAG.CONG_EVENT;
    v.epochStartNs = c.stack.env.sim.now();
    v.kNs = cubicKNs(v.wMaxBytes / mss);
    c.cwnd = c.ssthresh;
  },
  postRecovery(c: TcpConn, acked: number): void {
    const v = c.cc;
    const mss = c.maxSeg;
    // Less than ssthresh in the pipe: pipe + 1 segment (RFC 6582), slow start does the rest;
    // otherwise β·W_max.
    const pipe = postRecoveryPipe(c, acked);
    if (pipe < c.ssthresh) c.cwnd = Math.max(pipe, mss) + mss;
    else c.cwnd = Math.max(Math.floor(v.wMaxBytes * BETA), 2 * mss);
    // The mean RTT of the epoch that just ended is the curve's RTT for the next.
    if (v.rttCount > 0) v.meanRttNs = v.sumRttNs / v.rttCount;
    v.sumRttNs = 0;
    v.rttCount = 0;
  },
};
