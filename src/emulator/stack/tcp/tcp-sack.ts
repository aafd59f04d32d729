// SACK loss recovery for the sender (RFC 2018, RFC 6675 as FreeBSD 14's tcp_sack.c and
// tcp_input.c do it): a scoreboard of blocks the peer holds above snd_una, RFC 6675's pipe
// (tcp_compute_pipe), Proportional Rate Reduction (RFC 6937, net.inet.tcp.do_prr, FreeBSD's
// tcp_do_prr_ack) deciding how many segments each ACK lets out during recovery, holes first
// then new data, and the rescue retransmission (RFC 6675 §4 NextSeg rule 4) on a partial ACK
// that carries no SACK information. Bounded: at most SACK_BLOCKS_MAX blocks are kept. The
// receiver's blocks are built in tcp-output.

import type { TcpSackBlock } from '../../wire/tcp-options';
import { tcpOutput, tcpRetransmitAt, tcpSegmentData } from './tcp-output';
import { seqDiff, seqGt, seqLeq, seqLt } from './tcp-seq';
import type { TcpConn } from './tcp-types';

const SACK_BLOCKS_MAX = 64;

/** Merges the peer's blocks (those inside (snd_una, snd_max]) into the sorted, disjoint scoreboard. */
export function sackUpdate(c: TcpConn, blocks: readonly TcpSackBlock[]): void {
  const sb = c.sackBlocks;
  const before = sackedBytes(c);
  const oldFack = fack(c);
  let above = false;
  for (const b of blocks) {
    if (!seqLt(b.left, b.right) || seqLeq(b.left, c.sndUna) || seqGt(b.right, c.sndMax)) continue;
    if (seqGt(b.left, oldFack)) above = true;
    let left = b.left;
    let right = b.right;
    let i = 0;
    while (i < sb.length && seqLt(sb[i].right, left)) i++;
    let j = i;
    while (j < sb.length && seqLeq(sb[j].left, right)) {
      if (seqLt(sb[j].left, left)) left = sb[j].left;
      if (seqGt(sb[j].right, right)) right = sb[j].right;
      j++;
    }
    sb.splice(i, j - i, { left, right });
  }
  if (sb.length > SACK_BLOCKS_MAX) sb.length = SACK_BLOCKS_MAX;
  c.sackDelta = sackedBytes(c) - before;
  // FreeBSD SACK_NEWLOSS: a block beyond the highest SACKed byte leaves a new hole below it.
  c.sackNewLoss = above && c.sackDelta > 0;
}

/** Bytes the scoreboard holds as SACKed (FreeBSD sackhint.sacked_bytes). */
export function sackedBytes(c: TcpConn): number {
  let n = 0;
  for (const b of c.sackBlocks) n += seqDiff(b.right, b.left);
  return n;
}

/** RFC 6675 pipe as FreeBSD's tcp_compute_pipe counts it: outstanding, plus retransmitted, less SACKed bytes. */
export function sackPipe(c: TcpConn): number {
  return seqDiff(c.sndMax, c.sndUna) + holeBytes(c, c.sndUna, c.sackRexmitNxt) - sackedBytes(c);
}

/** Forgets blocks at or below snd_una (cumulatively acknowledged). */
export function sackTrim(c: TcpConn): void {
  const sb = c.sackBlocks;
  while (sb.length > 0 && seqLeq(sb[0].right, c.sndUna)) sb.shift();
  if (sb.length > 0 && seqLt(sb[0].left, c.sndUna)) sb[0] = { left: c.sndUna, right: sb[0].right };
}

/** The highest SACKed sequence (forward acknowledgment), snd_una when none. */
function fack(c: TcpConn): number {
  const sb = c.sackBlocks;
  return sb.length > 0 ? sb[sb.length - 1].right : c.sndUna;
}

/** Un-SACKed bytes in [from, to): holes already retransmitted. */
function holeBytes(c: TcpConn, from: number, to: number): number {
  let n = Math.max(seqDiff(to, from), 0);
  for (const b of c.sackBlocks) {
    const l = seqGt(b.left, from) ? b.left : from;
    const r = seqLt(b.right, to) ? b.right : to;
    if (seqLt(l, r)) n -= seqDiff(r, l);
  }
  return n;
}

/**
 * Entering recovery (FreeBSD tcp_input "enter_recovery" with do_prr): PRR starts with one
 * segment delivered (the limited-transmit segments excluded) and RecoverFS = snd_nxt −
 * snd_una; cwnd is one segment, so exactly the first hole goes out now.
 */
export function sackEnterRecovery(c: TcpConn): void {
  c.sackRexmitNxt = c.sndUna;
  c.prrDelivered = c.maxSeg;
  c.prrOut = 0;
  c.recoverFs = Math.max(1, seqDiff(c.sndNxt, c.sndUna));
  c.rescueSent = false;
  sackRecoveryOutput(c, 1);
}

/**
 * RFC 6937 §3 as FreeBSD's tcp_do_prr_ack computes it: the segments this ACK, which
 * delivered `delivered` bytes (cumulatively acknowledged plus newly SACKed), lets out.
 * Above ssthresh the sending rate is cut in proportion (ssthresh / RecoverFS); below it,
 * slow start back up to ssthresh, by one segment more than delivered (PRR-SSRB) unless the
 * ACK reported a new loss or delivered nothing (PRR-CRB, RFC 6937bis).
 */
export function prrSegments(c: TcpConn, delivered: number): number {
  const mss = c.maxSeg;
  const pipe = sackPipe(c);
  c.prrDelivered += delivered;
  let sndCnt: number;
  if (pipe >= c.ssthresh) {
    sndCnt = Math.ceil((c.prrDelivered * c.ssthresh) / c.recoverFs) - c.prrOut + mss - 1;
  } else {
    const limit = c.sackNewLoss || delivered === 0 ? c.prrDelivered - c.prrOut : Math.max(c.prrDelivered - c.prrOut, delivered) + mss;
    sndCnt = Math.min(c.ssthresh - pipe, limit);
  }
  return Math.floor(Math.max(sndCnt, 0) / mss);
}

/**
 * A partial ACK with no SACK option (FreeBSD tcp_sack_partialack): one segment, two when
 * it acknowledged two or more, within ssthresh; with an empty scoreboard the first of them
 * is RFC 6675's rescue retransmission of the last segment below the recovery point, whose
 * SACK then shows what else is missing (once per recovery).
 */
export function sackPartialAck(c: TcpConn, acked: number): void {
  const mss = c.maxSeg;
  let segs = Math.min(acked >= 2 * mss ? 2 : 1, Math.floor(Math.max(c.ssthresh - sackPipe(c), 0) / mss));
  if (segs === 0) return;
  if (c.sackBlocks.length === 0 && !c.rescueSent) {
    const finSent = c.finQueued && seqGt(c.sndMax, (c.sndBufSeq + c.sndBufLen) >>> 0);
    let end = finSent ? (c.sndMax - 1) >>> 0 : c.sndMax;
    if (seqLt(c.recover, end)) end = c.recover;
    if (seqLt(c.sndUna, end)) {
      const len = Math.min(seqDiff(end, c.sndUna), tcpSegmentData(c));
      tcpRetransmitAt(c, (end - len) >>> 0, len);
      c.stack.tcp!.stats.sndRexmitPack++;
      c.rexmitPack++;
      c.prrOut += len;
      c.rescueSent = true;
      segs--;
    }
  }
  sackRecoveryOutput(c, segs);
}

/** RFC 6675 §5 step (C) for `segs` segments: the next hole below the highest SACKed byte, else new data. */
export function sackRecoveryOutput(c: TcpConn, segs: number): void {
  if (seqLt(c.sackRexmitNxt, c.sndUna)) c.sackRexmitNxt = c.sndUna;
  const segMax = tcpSegmentData(c);
  for (let k = 0; k < segs; k++) {
    const hole = nextHole(c, fack(c));
    if (hole === null) {
      // No hole left below fack: one new segment, as the peer's window allows.
      const before = c.sndNxt;
      const ocwnd = c.cwnd;
      c.cwnd = seqDiff(c.sndNxt, c.sndUna) + segMax;
      tcpOutput(c);
      c.cwnd = ocwnd;
      if (c.sndNxt === before) return;
      c.prrOut += seqDiff(c.sndNxt, before);
      continue;
    }
    tcpRetransmitAt(c, hole.seq, hole.len);
    c.stack.tcp!.stats.sndRexmitPack++;
    c.rexmitPack++;
    c.prrOut += hole.len;
    c.sackRexmitNxt = (hole.seq + hole.len) >>> 0;
  }
}

/** The first un-SACKed, not yet retransmitted range at or after sackRexmitNxt and below `top`. */
function nextHole(c: TcpConn, top: number): { seq: number; len: number } | null {
  let s = c.sackRexmitNxt;
  for (const b of c.sackBlocks) {
    if (seqLeq(b.right, s)) continue;
    if (seqLeq(b.left, s)) {
      s = b.right;
      continue;
    }
    return { seq: s, len: Math.min(seqDiff(b.left, s), tcpSegmentData(c)) };
  }
  return seqLt(s, top) ? { seq: s, len: Math.min(seqDiff(top, s), tcpSegmentData(c)) } : null;
}
