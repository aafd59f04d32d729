// The sample log of one watched connection (as FreeBSD's siftr(4) or Linux's tcp_probe):
// every segment sent and received with the sender's congestion state after it, and every
// loss the sender detected with why. Recorded only while someone watches the connection
// (c.probe is null otherwise, so the segment path pays one null check); bounded ring.
// Sequence numbers are relative to each side's ISN, as Wireshark shows them (RFC 9293 §3.4).

import { TCP_FLAG } from '../../wire/tcp';
import type { TcpSackBlock } from '../../wire/tcp-options';
import type { TcpConn } from './tcp-types';

/** Why a TCP segment was sent again: fast retransmit on the third duplicate ACK, NewReno's partial ACK, SACK recovery filling a hole, the retransmission timer, a zero-window probe. */
export type TcpRexmitCause = 'dupack' | 'partial-ack' | 'sack' | 'rto' | 'persist';

/** Why a `loss` sample was recorded (see tcpProbeLoss). */
export type TcpLossCause = 'dupack' | 'rto' | 'spurious';

/**
 * One sample of a watched connection's log (tcp/samples). Sequence and acknowledgment
 * numbers are relative to the sending side's ISN (the SYN is 0, the first data byte 1), as
 * Wireshark shows them; `win` is in bytes (scaled).
 */
export type TcpProbeSample =
  /** A segment this node sent; `rexmit` says why it was sent again (null: new). */
  | { kind: 'out'; tNs: number; seq: number; len: number; flags: number; ack: number; win: number; rexmit: TcpRexmitCause | null }
  /** A segment this node received, with its congestion state after processing it; `sack` blocks acknowledge this node's data. */
  | { kind: 'in'; tNs: number; seq: number; len: number; flags: number; ack: number; win: number; sack: [number, number][]; cwnd: number; ssthresh: number; flight: number; dupAcks: number }
  /** This node's sender detected a loss at `seq`: the third duplicate ACK, or the retransmission timer expired (`rxtShift` backoffs so far). */
  | { kind: 'loss'; tNs: number; cause: TcpLossCause; seq: number; dupAcks: number; rxtShift: number; rtoNs: number; cwnd: number; ssthresh: number };

/** Samples kept per watched connection; older ones are overwritten (the reader is told how many it missed). */
export const TCP_PROBE_SAMPLES_MAX = 32768;

export interface TcpProbe {
  /** Ring of samples: sample number n lives at n % TCP_PROBE_SAMPLES_MAX. */
  readonly ring: TcpProbeSample[];
  /** Samples ever recorded (the next sample's number). */
  total: number;
  /** Fast retransmit is due: the next NewReno retransmission is the one three duplicate ACKs asked for, later ones answer partial ACKs. */
  fastRexmitDue: boolean;
}

export function tcpProbeStart(c: TcpConn): TcpProbe {
  if (c.probe === null) c.probe = { ring: [], total: 0, fastRexmitDue: false };
  return c.probe;
}

export function tcpProbeStop(c: TcpConn): void {
  c.probe = null;
}

/** Samples numbered `since` and later still in the ring, the next number to ask for, and how many were overwritten before being read. */
export function tcpProbeRead(p: TcpProbe, since: number, max: number): { samples: TcpProbeSample[]; next: number; lost: number } {
  const first = Math.max(0, p.total - TCP_PROBE_SAMPLES_MAX);
  const from = Math.max(since, first);
  const to = Math.min(p.total, from + max);
  const samples: TcpProbeSample[] = [];
  for (let n = from; n < to; n++) samples.push(p.ring[n % TCP_PROBE_SAMPLES_MAX]!);
  return { samples, next: to, lost: from - Math.max(0, Math.min(since, p.total)) };
}

function push(p: TcpProbe, s: TcpProbeSample): void {
  p.ring[p.total % TCP_PROBE_SAMPLES_MAX] = s;
  p.total++;
}

const rel = (seq: number, base: number) => (seq - base) >>> 0;

/** Why a segment below snd_max goes out again: the recovery that sends it (RFC 5681 §3.2, RFC 6582, RFC 6675), or the timer (RFC 6298). */
function rexmitCause(c: TcpConn, p: TcpProbe): TcpRexmitCause {
  if (c.forceOne) return 'persist';
  if (!c.inRecovery) return 'rto';
  const first = p.fastRexmitDue;
  p.fastRexmitDue = false;
  // With SACK every retransmission of the recovery is SACK recovery's (RFC 6675 §5), the first too.
  if (c.sackOn) return 'sack';
  return first ? 'dupack' : 'partial-ack';
}

/** A segment this side sent (after it left). */
export function tcpProbeOut(c: TcpConn, p: TcpProbe, seq: number, len: number, flags: number, windowBytes: number, retransmit: boolean): void {
  push(p, {
    kind: 'out',
    tNs: c.stack.env.sim.now(),
    seq: rel(seq, c.iss),
    len,
    flags,
    ack: flags & TCP_FLAG.ACK ? rel(c.rcvNxt, c.irs) : 0,
    win: windowBytes,
    rexmit: retransmit && (len > 0 || flags & (TCP_FLAG.SYN | TCP_FLAG.FIN)) ? rexmitCause(c, p) : null,
  });
}

/** A segment this side received, with the sender state after processing it. */
export function tcpProbeIn(c: TcpConn, p: TcpProbe, seq: number, len: number, flags: number, ack: number, wnd: number, sack: readonly TcpSackBlock[] | undefined): void {
  push(p, {
    kind: 'in',
    tNs: c.stack.env.sim.now(),
    seq: rel(seq, c.irs),
    len,
    flags,
    ack: flags & TCP_FLAG.ACK ? rel(ack, c.iss) : 0,
    win: wnd << c.sndScale,
    sack: sack?.map((b) => [rel(b.left, c.iss), rel(b.right, c.iss)] as [number, number]) ?? [],
    cwnd: c.cwnd,
    ssthresh: c.ssthresh,
    flight: (c.sndMax - c.sndUna) >>> 0,
    dupAcks: c.dupAcks,
  });
}

/**
 * The sender decided a segment was lost: three duplicate ACKs or an expired retransmission
 * timer; or `spurious`: an ACK showed the last timeout was not needed, and it was undone.
 */
export function tcpProbeLoss(c: TcpConn, p: TcpProbe, cause: TcpLossCause): void {
  p.fastRexmitDue = cause === 'dupack';
  push(p, { kind: 'loss', tNs: c.stack.env.sim.now(), cause, seq: rel(c.sndUna, c.iss), dupAcks: c.dupAcks, rxtShift: c.rxtShift, rtoNs: c.rtoNs, cwnd: c.cwnd, ssthresh: c.ssthresh });
}
