// TCP timers in virtual time: retransmission (RFC 6298 §5, exponential backoff), delayed
// ACK, persist, TIME_WAIT (2×MSL) and connection-establishment timeout, as deadlines in the
// TCB with at most one live scheduler event per connection (re-armed lazily, never
// cancelled: the scheduler's cancel is a scan). RTT estimation is here too (RFC 6298 §2).

import { TX_NOTE } from '../env';
import { CC_SIGNAL } from './tcp-cc';
import { tcpCcAlgo, tcpDrop, tcpFree } from './tcp-subr';
import { tcpOutput } from './tcp-output';
import { tcpProbeLoss } from './tcp-probe';
import { TCP_BACKOFF, TCP_MAXRXTSHIFT, TCP_STATE, TCPTV, type TcpConn } from './tcp-types';

/** Makes sure a wakeup is pending no later than `at`. */
function armAt(c: TcpConn, at: number): void {
  if (at === 0) return;
  if (c.armedNs !== 0 && c.armedNs <= at) return;
  c.armedNs = at;
  const sim = c.stack.env.sim;
  sim.scheduleAt(Math.max(at, sim.now()), tcpTimerFire, c);
}

export function setRexmt(c: TcpConn, delayNs: number): void {
  c.rexmtAt = c.stack.env.sim.now() + delayNs;
  armAt(c, c.rexmtAt);
}
export function setDelack(c: TcpConn): void {
  if (c.delackAt !== 0) return;
  c.delackAt = c.stack.env.sim.now() + TCPTV.DELACK_NS;
  armAt(c, c.delackAt);
}
export function setPersist(c: TcpConn): void {
  const t = Math.min(Math.max(backedOffRto(c, c.persistShift), TCPTV.PERSMIN_NS), TCPTV.PERSMAX_NS);
  c.persistAt = c.stack.env.sim.now() + t;
  armAt(c, c.persistAt);
}
export function setTimeWait(c: TcpConn): void {
  c.rexmtAt = 0;
  c.persistAt = 0;
  c.delackAt = 0;
  c.keepInitAt = 0;
  c.timeWaitAt = c.stack.env.sim.now() + 2 * TCPTV.MSL_NS;
  armAt(c, c.timeWaitAt);
}
export function setKeepInit(c: TcpConn): void {
  c.keepInitAt = c.stack.env.sim.now() + TCPTV.KEEP_INIT_NS;
  armAt(c, c.keepInitAt);
}

function backedOffRto(c: TcpConn, shift: number): number {
  return Math.min(c.rtoNs * TCP_BACKOFF[Math.min(shift, TCP_BACKOFF.length - 1)], TCPTV.REXMTMAX_NS);
}

/** RFC 6298 §2.2-2.3 with FreeBSD's floor and slop (tcp_xmit_timer). */
export function rttSample(c: TcpConn, rttNs: number): void {
  const r = Math.max(rttNs, 1);
  c.rttUpdated++;
  if (c.srttNs === 0) {
    c.srttNs = r;
    c.rttvarNs = r / 2;
  } else {
    c.rttvarNs = 0.75 * c.rttvarNs + 0.25 * Math.abs(c.srttNs - r);
    c.srttNs = 0.875 * c.srttNs + 0.125 * r;
  }
  c.rtoNs = Math.min(Math.max(Math.round(c.srttNs + 4 * c.rttvarNs), TCPTV.MIN_NS) + TCPTV.SLOP_NS, TCPTV.REXMTMAX_NS);
  c.rxtShift = 0;
}

/** The one scheduler callback: runs every deadline that is due, then re-arms for the next. */
function tcpTimerFire(c: TcpConn): void {
  const now = c.stack.env.sim.now();
  if (c.armedNs !== now) {
    if (c.armedNs === 0 || c.armedNs > now) return; // stale wakeup; a sooner or later one is pending
  }
  c.armedNs = 0;
  if (c.state === TCP_STATE.CLOSED) return;
  if (c.timeWaitAt !== 0 && c.timeWaitAt <= now) {
    c.timeWaitAt = 0;
    tcpFree(c);
    return;
  }
  if (c.keepInitAt !== 0 && c.keepInitAt <= now) {
    c.keepInitAt = 0;
    if (c.state === TCP_STATE.SYN_SENT || c.state === TCP_STATE.SYN_RECEIVED) return tcpDrop(c, c.softError ?? 'ETIMEDOUT');
  }
  if (c.rexmtAt !== 0 && c.rexmtAt <= now) {
    c.rexmtAt = 0;
    if (!rexmtTimeout(c)) return;
  }
  if (c.persistAt !== 0 && c.persistAt <= now) {
    c.persistAt = 0;
    persistTimeout(c);
  }
  if (c.delackAt !== 0 && c.delackAt <= now) {
    c.delackAt = 0;
    c.ackNow = true;
    tcpOutput(c);
  }
  rearm(c);
}

function rearm(c: TcpConn): void {
  let next = 0;
  for (const t of [c.rexmtAt, c.delackAt, c.persistAt, c.timeWaitAt, c.keepInitAt]) if (t !== 0 && (next === 0 || t < next)) next = t;
  if (next !== 0) armAt(c, next);
}

/** RTO expired (RFC 6298 §5.4-5.7): back off, collapse cwnd, go back to snd_una. False when the connection was dropped. */
function rexmtTimeout(c: TcpConn): boolean {
  const st = c.stack.tcp!.stats;
  if (++c.rxtShift > TCP_MAXRXTSHIFT) {
    tcpDrop(c, c.error ?? c.softError ?? 'ETIMEDOUT');
    return false;
  }
  st.rexmtTimeouts++;
  c.rexmtCause = TX_NOTE.REXMT_RTO;
  if (c.rxtShift === 1) {
    // What to put back if this timeout proves spurious (tcp_timer_rexmt, TF_PREVVALID): with
    // timestamps the retransmission's own timestamp bounds the window (tcp_output sets
    // t_badrxtwin to it), else half a smoothed RTT from now.
    c.cwndPrev = c.cwnd;
    c.ssthreshPrev = c.ssthresh;
    c.recoverPrev = c.recover;
    c.wasInRecovery = c.inRecovery;
    const now = c.stack.env.sim.now();
    c.badRxtWin = c.tsOn ? (Math.floor(now / 1_000_000) + c.tsOffset) >>> 0 : now + c.srttNs / 2;
    c.prevValid = true;
  } else {
    c.prevValid = false;
  }
  if (c.rxtShift > 3) {
    // RFC 6298 §5.7 / FreeBSD: after several backoffs the RTT estimate is suspect.
    c.rttvarNs += c.srttNs;
    c.srttNs = 0;
  }
  if (c.state !== TCP_STATE.SYN_SENT && c.state !== TCP_STATE.SYN_RECEIVED) tcpCcAlgo(c).congSignal(c, CC_SIGNAL.RTO);
  c.inRecovery = false;
  c.dupAcks = 0;
  c.recover = c.sndMax; // RFC 6582 §4.1 / FreeBSD: no fast retransmit for what the timeout resends
  c.sackBlocks = []; // after a timeout everything above snd_una is resent (RFC 6675 §5.1)
  c.rtSeq = 0; // Karn: never time a retransmitted segment
  c.rtStartNs = -1;
  c.sndNxt = c.sndUna;
  c.rexmtAt = c.stack.env.sim.now() + backedOffRto(c, c.rxtShift);
  if (c.probe !== null) tcpProbeLoss(c, c.probe, 'rto');
  const before = c.stack.tcp!.stats.sndTotal;
  tcpOutput(c);
  c.rexmitPack += c.stack.tcp!.stats.sndTotal - before;
  st.sndRexmitPack += c.stack.tcp!.stats.sndTotal - before;
  return true;
}

/** Zero-window probe (RFC 9293 §3.8.6.1): one byte past the window, with backoff. */
function persistTimeout(c: TcpConn): void {
  if (c.sndBufLen - ((c.sndNxt - c.sndBufSeq) | 0) <= 0) return;
  c.persistShift = Math.min(c.persistShift + 1, TCP_MAXRXTSHIFT);
  c.forceOne = true;
  tcpOutput(c);
  c.forceOne = false;
  setPersist(c);
}

export function rexmtRestart(c: TcpConn): void {
  setRexmt(c, backedOffRto(c, c.rxtShift));
}
