// NewReno congestion control (FreeBSD cc_newreno): slow start with appropriate byte
// counting, congestion avoidance by one MSS per window, halving on loss, one MSS after an
// RTO. The recovery procedure itself (partial ACKs) is in tcp-input. RFC 5681 §3.1, RFC 6582.
// Where FreeBSD departs from RFC 5681 it is followed: ssthresh on a loss comes from cwnd
// (newreno_cong_signal, net.inet.tcp.cc.newreno.beta 50), not from FlightSize.

import { postRecoveryPipe, rtoSsthresh, type CcAlgo } from './tcp-cc';
import { TCP_INITCWND_SEGMENTS, type TcpConn } from './tcp-types';

/** net.inet.tcp.abc_l_var: at most this many MSS per ACK in slow start (RFC 3465 L). */
const ABC_L = 2;
/** net.inet.tcp.cc.newreno.beta: percent of cwnd kept as ssthresh after a loss. */
const BETA_PERCENT = 50;

export const newReno: CcAlgo = {
  name: 'newreno',
  init(c: TcpConn): void {
    c.cwnd = TCP_INITCWND_SEGMENTS * c.maxSeg;
    c.ssthresh = 0x3fffffff;
    c.cc.bytesAcked = 0;
  },
  ackReceived(c: TcpConn, acked: number, cwndLimited: boolean): void {
    if (!cwndLimited) return;
    if (c.cwnd < c.ssthresh) {
      c.cwnd += Math.min(acked, ABC_L * c.maxSeg);
      return;
    }
    // Congestion avoidance: one MSS per cwnd of acknowledged bytes (RFC 5681 eq. 3, byte counting).
    c.cc.bytesAcked += acked;
    if (c.cc.bytesAcked >= c.cwnd) {
      c.cc.bytesAcked -= c.cwnd;
      c.cwnd += c.maxSeg;
    }
  },
  congSignal(c: TcpConn, signal): void {
    if (signal === 'rtoErr') return; // newreno_cong_signal keeps nothing of its own to put back
    c.cc.bytesAcked = 0;
    if (signal === 'dupack') {
      // newreno_cong_signal: beta of cwnd in whole segments, at least two (the flight, which
      // RFC 5681 eq. 4 names, is larger by what limited transmit sent).
      c.ssthresh = Math.max(Math.floor((c.cwnd * BETA_PERCENT) / (100 * c.maxSeg)), 2) * c.maxSeg;
      c.cwnd = c.ssthresh;
    } else {
      c.ssthresh = rtoSsthresh(c, 0.5);
      c.cwnd = c.maxSeg; // loss window (RFC 5681 §3.1)
    }
  },
  postRecovery(c: TcpConn, acked: number): void {
    // RFC 6582 §3.2 step 3, option 1, as newreno_cc_post_recovery: pipe + 1 segment when less
    // than ssthresh is in the pipe (counted as FreeBSD does, before snd_una moves), else ssthresh.
    const pipe = postRecoveryPipe(c, acked);
    c.cwnd = pipe < c.ssthresh ? Math.max(pipe, c.maxSeg) + c.maxSeg : c.ssthresh;
  },
};
