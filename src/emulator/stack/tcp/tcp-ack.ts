// ACK processing of a synchronized connection (RFC 9293 §3.10.7.4 fifth): SYN_RECEIVED →
// ESTABLISHED, duplicate ACKs, limited transmit (RFC 3042), fast retransmit / NewReno
// recovery (RFC 5681 §3.2, RFC 6582) or SACK recovery entered as FreeBSD 14 does (three
// duplicate ACKs or RFC 6675's more than two segments SACKed; with SACK a window change does
// not disqualify a duplicate ACK, one without new SACK information is not one), RTT samples
// (RFC 7323: the timestamp echo of every ACK; without timestamps RFC 6298's timed segment,
// Karn), freeing acknowledged send-buffer bytes, the send window update, and the
// FIN-acknowledged transitions.

import { TCP_FLAG } from '../../wire/tcp';
import { DROP, TX_NOTE } from '../env';
import { CC_SIGNAL } from './tcp-cc';
import { dropSeg, type TcpSeg } from './tcp-input';
import { tcpOutput } from './tcp-output';
import { tcpProbeLoss } from './tcp-probe';
import { seqDiff, seqGeq, seqGt, seqLeq, seqLt } from './tcp-seq';
import { prrSegments, sackedBytes, sackEnterRecovery, sackPartialAck, sackRecoveryOutput, sackTrim, sackUpdate } from './tcp-sack';
import { tcpCcAlgo, tcpFree, tcpRespondReset } from './tcp-subr';
import { rexmtRestart, rttSample, setTimeWait } from './tcp-timers';
import { TCP_EVENT, TCP_STATE, type TcpConn } from './tcp-types';

/** Duplicate ACKs that trigger fast retransmit (tcprexmtthresh). */
const DUPACK_THRESHOLD = 3;

/** False when the segment was dropped (or the connection ended). */
export function tcpAckInput(c: TcpConn, seg: TcpSeg): boolean {
  if (c.state === TCP_STATE.SYN_RECEIVED) {
    if (seqLeq(seg.ack, c.sndUna) || seqGt(seg.ack, c.sndMax)) {
      tcpRespondReset(c.stack, seg);
      dropSeg(c, seg, DROP.TCP_INVALID);
      return false;
    }
    establish(c, seg);
  }
  if (seqGt(seg.ack, c.sndMax)) {
    // An ACK for data never sent: answer with an ACK and drop (RFC 9293 §3.10.7.4).
    c.ackNow = true;
    dropSeg(c, seg, DROP.TCP_INVALID);
    return false;
  }
  if (c.sackOn && seg.opts?.sack !== undefined) sackUpdate(c, seg.opts.sack);
  else {
    c.sackDelta = 0;
    c.sackNewLoss = false;
  }
  const newWnd = seg.wnd << c.sndScale;
  if (seqLeq(seg.ack, c.sndUna)) {
    duplicateAck(c, seg, newWnd);
  } else {
    newAck(c, seg);
    if (c.state === TCP_STATE.CLOSED) return false;
  }
  // RFC 9293 §3.10.7.4: update the send window from the newest segment only.
  if (seqLt(c.sndWl1, seg.seq) || (c.sndWl1 === seg.seq && seqLeq(c.sndWl2, seg.ack))) {
    if (newWnd > c.sndWnd) c.persistShift = 0;
    c.sndWnd = newWnd;
    c.sndWl1 = seg.seq;
    c.sndWl2 = seg.ack;
  }
  return true;
}

function establish(c: TcpConn, seg: TcpSeg): void {
  c.state = TCP_STATE.ESTABLISHED;
  c.keepInitAt = 0;
  c.sndWnd = seg.wnd << c.sndScale;
  c.sndWl1 = seg.seq;
  c.sndWl2 = seg.ack;
  const t = c.stack.tcp!;
  const l = c.listener;
  if (l !== null) {
    l.synCount--;
    l.queue.push(c);
    t.stats.accepts++;
    l.onAcceptable?.();
  } else {
    t.stats.connects++;
    c.events |= TCP_EVENT.CONNECTED | TCP_EVENT.WRITABLE;
  }
}

function duplicateAck(c: TcpConn, seg: TcpSeg, newWnd: number): void {
  const outstanding = c.sndMax !== c.sndUna;
  const pure = seg.payload.length === 0 && !(seg.flags & (TCP_FLAG.SYN | TCP_FLAG.FIN)) && (newWnd === c.sndWnd || c.sackOn);
  if (!(outstanding && pure && seg.ack === c.sndUna)) {
    if (seg.ack === c.sndUna && !c.inRecovery) c.dupAcks = 0;
    return;
  }
  // With SACK only new SACK information is evidence of loss (a duplicated segment's ACK is not).
  if (c.sackOn && c.sackDelta === 0) return;
  c.dupAcks++;
  if (c.inRecovery) {
    if (c.sackOn) return sackRecoveryOutput(c, prrSegments(c, c.sackDelta)); // RFC 6937: PRR paces recovery
    c.cwnd += c.maxSeg; // RFC 6582 §3.2 step 4: inflate for each segment that left
    tcpOutput(c);
    return;
  }
  if (c.dupAcks > DUPACK_THRESHOLD) return;
  if (c.dupAcks < DUPACK_THRESHOLD && !sackLossTrigger(c)) return limitedTransmit(c);
  // RFC 6582 §3.2 step 2: only once per window (snd_una beyond the previous recovery point).
  if (!c.sackOn && !seqGt(c.sndUna, c.recover)) return;
  enterRecovery(c);
  if (c.sackOn) return;
  retransmitFirst(c);
  c.cwnd = c.ssthresh + (DUPACK_THRESHOLD - c.sndLimited) * c.maxSeg;
  tcpOutput(c);
}

/** RFC 6675 §5 trigger (FreeBSD net.inet.tcp.newsack): more than DupThresh − 1 segments SACKed. */
function sackLossTrigger(c: TcpConn): boolean {
  return c.sackOn && sackedBytes(c) > (DUPACK_THRESHOLD - 1) * c.maxSeg;
}

/** Loss detected: the congestion signal, then the first retransmission (SACK recovery sends it at once). */
function enterRecovery(c: TcpConn): void {
  c.dupAcks = DUPACK_THRESHOLD;
  c.stack.tcp!.stats.fastRetransmits++;
  tcpCcAlgo(c).congSignal(c, CC_SIGNAL.DUPACK);
  if (c.probe !== null) tcpProbeLoss(c, c.probe, 'dupack');
  c.inRecovery = true;
  c.recover = c.sndMax;
  c.rtStartNs = -1;
  c.rexmtCause = c.sackOn ? TX_NOTE.REXMT_SACK : TX_NOTE.REXMT_DUPACK;
  if (!c.sackOn) return;
  c.rexmtAt = 0; // FreeBSD stops the timer; the retransmission restarts it
  sackEnterRecovery(c);
  if (c.rexmtAt === 0 && c.sndUna !== c.sndMax) rexmtRestart(c);
}

/**
 * RFC 3042 (net.inet.tcp.rfc3042): the first and second duplicate ACK each let one new
 * segment out beyond cwnd, as FreeBSD does it (snd_limited counts what went).
 */
function limitedTransmit(c: TcpConn): void {
  if (c.dupAcks === 1) c.sndLimited = 0;
  const ocwnd = c.cwnd;
  const omax = c.sndMax;
  c.cwnd = seqDiff(c.sndNxt, c.sndUna) + (c.dupAcks - c.sndLimited) * c.maxSeg;
  tcpOutput(c);
  c.cwnd = ocwnd;
  const sent = seqDiff(c.sndMax, omax);
  if (sent > c.maxSeg) c.sndLimited = 2;
  else if (sent > 0) c.sndLimited++;
}

/** Sends the first unacknowledged segment now (fast retransmit), leaving snd_nxt where it was. */
function retransmitFirst(c: TcpConn): void {
  const onxt = c.sndNxt;
  const ocwnd = c.cwnd;
  c.rexmtAt = 0;
  c.sndNxt = c.sndUna;
  c.cwnd = c.maxSeg;
  const before = c.stack.tcp!.stats.sndTotal;
  tcpOutput(c);
  c.rexmitPack += c.stack.tcp!.stats.sndTotal - before;
  c.stack.tcp!.stats.sndRexmitPack += c.stack.tcp!.stats.sndTotal - before;
  c.cwnd = ocwnd;
  if (seqGt(onxt, c.sndNxt)) c.sndNxt = onxt;
}

/**
 * Milliseconds since the segment whose timestamp `seg` echoes was sent, or −1 without one: no
 * timestamps, an echo of 0 (never sent by a correct peer, so not trusted), or an echo from the
 * future (FreeBSD's tcp_input then falls back to the timed segment too).
 */
function tsEchoTicks(c: TcpConn, seg: TcpSeg, now: number): number {
  const ecr = seg.opts?.tsEcr;
  if (!c.tsOn || ecr === undefined || ecr === 0) return -1;
  const t = (Math.floor(now / 1_000_000) + c.tsOffset - ecr) | 0;
  return t < 0 ? -1 : t;
}

/**
 * After the first timeout of a series, an ACK of new data that answers what was sent before
 * the timeout shows the timeout was spurious (RFC 3522's Eifel detection with timestamps; else
 * an ACK within half an RTT): put back cwnd, ssthresh, the recovery point and fast recovery as
 * they were, and send on from snd_max (FreeBSD CC_RTO_ERR).
 */
function undoSpuriousTimeout(c: TcpConn, seg: TcpSeg, now: number): void {
  if (c.rxtShift !== 1 || !c.prevValid || c.badRxtWin === 0) return;
  const ecr = seg.opts?.tsEcr;
  const spurious = c.tsOn ? ecr !== undefined && ecr !== 0 && seqLt(ecr, c.badRxtWin) : now < c.badRxtWin;
  if (!spurious) return;
  c.stack.tcp!.stats.sndRexmitBad++;
  c.cwnd = c.cwndPrev;
  c.ssthresh = c.ssthreshPrev;
  c.recover = c.recoverPrev;
  if (c.wasInRecovery) c.inRecovery = true;
  c.sndNxt = c.sndMax;
  c.prevValid = false;
  c.badRxtWin = 0;
  tcpCcAlgo(c).congSignal(c, CC_SIGNAL.RTO_ERR);
  if (c.probe !== null) tcpProbeLoss(c, c.probe, 'spurious');
}

function newAck(c: TcpConn, seg: TcpSeg): void {
  const now = c.stack.env.sim.now();
  let acked = seqDiff(seg.ack, c.sndUna);
  undoSpuriousTimeout(c, seg, now);
  const ticks = tsEchoTicks(c, seg, now);
  if (ticks >= 0) {
    // RFC 7323 §4 as FreeBSD's tcp_input: every ACK echoing a timestamp is an RTT sample, in
    // the timestamp clock's 1 ms ticks plus one (TCP_TS_TO_TICKS(t) + 1).
    rttSample(c, (ticks + 1) * 1_000_000);
    c.rtStartNs = -1;
  } else if (c.rtStartNs >= 0 && seqGt(seg.ack, c.rtSeq)) {
    // Karn's algorithm: the timed segment was sent once, so the sample is valid.
    rttSample(c, now - c.rtStartNs);
    c.rtStartNs = -1;
  }
  c.rxtShift = 0;
  const algo = tcpCcAlgo(c);
  if (c.inRecovery) {
    if (seqGeq(seg.ack, c.recover)) {
      c.inRecovery = false;
      c.dupAcks = 0;
      releaseAcked(c, seg.ack);
      algo.postRecovery(c, acked);
    } else {
      // Partial ACK (RFC 6582 §3.2 step 5): retransmit the next hole, deflate by the amount acked.
      const sackedPre = c.sackOn ? sackedBytes(c) : 0;
      releaseAcked(c, seg.ack);
      c.rexmtCause = c.sackOn ? TX_NOTE.REXMT_SACK : TX_NOTE.REXMT_PARTIAL_ACK;
      if (c.sackOn) {
        // Delivered: acknowledged plus newly SACKed, less SACKed bytes now acknowledged (counted before).
        if (seg.opts?.sack !== undefined) sackRecoveryOutput(c, prrSegments(c, acked + c.sackDelta - (sackedPre - sackedBytes(c))));
        else sackPartialAck(c, acked);
        acked = 0;
        if (c.sndUna === c.sndMax) c.rexmtAt = 0;
        else rexmtRestart(c);
        return ackedFinTransitions(c);
      }
      retransmitFirst(c);
      c.cwnd = Math.max(c.cwnd - acked + c.maxSeg, c.maxSeg);
    }
  } else {
    c.dupAcks = 0;
    releaseAcked(c, seg.ack);
    // FreeBSD 14: an ACK that moves snd_una and SACKs new data counts as a duplicate too,
    // and RFC 6675's trigger may start recovery on it.
    if (c.sackOn && c.sackDelta > 0) {
      c.dupAcks = 1;
      if (sackLossTrigger(c)) {
        enterRecovery(c);
        if (c.sndUna === c.sndMax) c.rexmtAt = 0;
        else rexmtRestart(c);
        return ackedFinTransitions(c);
      }
    }
    // FreeBSD's CCF_CWND_LIMITED (cc_ack_received): the window grows only while cwnd is what
    // limits sending, i.e. not above the peer's window; otherwise it would grow without bound.
    algo.ackReceived(c, acked, c.cwnd <= c.sndWnd);
  }
  acked = 0;
  if (c.sndUna === c.sndMax) c.rexmtAt = 0;
  else rexmtRestart(c);
  ackedFinTransitions(c);
}

/** Moves snd_una to `ack`, freeing acknowledged bytes of the send ring (the SYN and FIN take no bytes). */
function releaseAcked(c: TcpConn, ack: number): void {
  const dataAcked = Math.min(Math.max(seqDiff(ack, c.sndBufSeq), 0), c.sndBufLen);
  if (dataAcked > 0) {
    c.sndBufHead = (c.sndBufHead + dataAcked) % c.sndBuf.length;
    c.sndBufLen -= dataAcked;
    c.sndBufSeq = (c.sndBufSeq + dataAcked) >>> 0;
    c.events |= TCP_EVENT.WRITABLE;
  }
  c.sndUna = ack;
  if (seqLt(c.sndNxt, c.sndUna)) c.sndNxt = c.sndUna;
  sackTrim(c);
}

function ackedFinTransitions(c: TcpConn): void {
  const finAcked = c.finQueued && c.sndBufLen === 0 && seqGt(c.sndUna, c.sndBufSeq);
  if (!finAcked) return;
  switch (c.state) {
    case TCP_STATE.FIN_WAIT_1:
      c.state = TCP_STATE.FIN_WAIT_2;
      // Nobody can read any more: do not wait for the peer's FIN forever (tcp_finwait2_timeout, 60 s).
      if (c.appClosed) setTimeWait(c);
      return;
    case TCP_STATE.CLOSING:
      c.state = TCP_STATE.TIME_WAIT;
      setTimeWait(c);
      return;
    case TCP_STATE.LAST_ACK:
      tcpFree(c);
      return;
    default:
      return;
  }
}
