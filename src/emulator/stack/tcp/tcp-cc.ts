// The pluggable congestion-control interface (FreeBSD mod_cc(9), cc_algo) and the registry
// of algorithms a stack may choose with net.inet.tcp.cc.algorithm. Algorithms change only
// cwnd, ssthresh and their own variables in the TCB. RFC 5681 §3.

import type { TcpConn } from './tcp-types';
import { cubic } from './tcp-cc-cubic';
import { newReno } from './tcp-cc-newreno';
import { sackPipe } from './tcp-sack';

/** Why the sender believes the network dropped something. */
export const CC_SIGNAL = { DUPACK: 'dupack', RTO: 'rto', RTO_ERR: 'rtoErr' } as const;
export type CcSignal = (typeof CC_SIGNAL)[keyof typeof CC_SIGNAL];

export interface CcAlgo {
  readonly name: string;
  /** A new connection: initial cwnd and ssthresh. */
  init(c: TcpConn): void;
  /**
   * `acked` new bytes acknowledged outside recovery; `cwndLimited` when cwnd, not the peer's
   * window, limits sending (FreeBSD CCF_CWND_LIMITED: cwnd ≤ snd_wnd), else the window must not grow.
   */
  ackReceived(c: TcpConn, acked: number, cwndLimited: boolean): void;
  /**
   * Loss detected (entering fast recovery, or a retransmission timeout), or `rtoErr`: the first
   * timeout of the last series proved spurious, and the algorithm puts back what it changed
   * (cwnd, ssthresh and the recovery point are restored by the stack).
   */
  congSignal(c: TcpConn, signal: CcSignal): void;
  /** Fast recovery ended with a full ACK (RFC 6582 §3.2 step 3) that acknowledged `acked` bytes (snd_una already moved). */
  postRecovery(c: TcpConn, acked: number): void;
}

export const CC_ALGORITHMS: readonly CcAlgo[] = [newReno, cubic];

export function ccFind(name: string): CcAlgo | undefined {
  return CC_ALGORITHMS.find((a) => a.name === name);
}

/** Bytes in flight (FreeBSD tcp_compute_pipe without SACK). */
export function flightSize(c: TcpConn): number {
  return (c.sndMax - c.sndUna) >>> 0;
}

/**
 * The pipe FreeBSD's cc_post_recovery sees when the full ACK ends recovery: tcp_compute_pipe
 * (net.inet.tcp.newsack, with or without SACK) runs before tcp_do_segment moves snd_una
 * (process_ACK), so the bytes this ACK acknowledged still count: the pipe after the ACK plus `acked`.
 */
export function postRecoveryPipe(c: TcpConn, acked: number): number {
  return (c.sackOn ? sackPipe(c) : flightSize(c)) + acked;
}

/**
 * ssthresh after a retransmission timeout, as FreeBSD's CC_RTO computes it: `beta` of what the
 * network held (RFC 6675 pipe, bounded by the peer's window), at least two segments — only on
 * the first timeout of a series (t_rxtshift 1): a backed-off timeout says nothing new.
 */
export function rtoSsthresh(c: TcpConn, beta: number): number {
  if (c.rxtShift > 1) return c.ssthresh;
  const pipe = c.sackOn ? sackPipe(c) : flightSize(c);
  return Math.max(Math.floor((Math.min(c.sndWnd, pipe) * beta) / c.maxSeg), 2) * c.maxSeg;
}
