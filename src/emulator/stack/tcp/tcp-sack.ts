// SACK loss recovery for the sender (RFC 2018, RFC 6675 as FreeBSD's tcp_sack.c does it):
// a scoreboard of blocks the peer holds above snd_una, the "pipe" estimate
// (snd_nxt − fack + bytes retransmitted into holes), and recovery output that fills every
// hole below the highest SACKed byte before sending new data. Bounded: at most
// SACK_BLOCKS_MAX blocks are kept. The receiver's blocks are built in tcp-output.

import type { TcpSackBlock } from '../../wire/tcp-options';
import { tcpOutput, tcpRetransmitAt, tcpSegmentData } from './tcp-output';
import { seqDiff, seqGt, seqLeq, seqLt } from './tcp-seq';
import type { TcpConn } from './tcp-types';

const SACK_BLOCKS_MAX = 64;

/** Merges the peer's blocks (those inside (snd_una, snd_max]) into the sorted, disjoint scoreboard. */
export function sackUpdate(c: TcpConn, blocks: readonly TcpSackBlock[]): void {
  const sb = c.sackBlocks;
  for (const b of blocks) {
    if (!seqLt(b.left, b.right) || seqLeq(b.left, c.sndUna) || seqGt(b.right, c.sndMax)) continue;
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

/** RFC 6675 §5 step (4.3): the first hole goes out at once, whatever the pipe; then step (C). */
export function sackEnterRecovery(c: TcpConn): void {
  c.sackRexmitNxt = c.sndUna;
  const hole = nextHole(c, fack(c));
  const len = hole !== null ? hole.len : Math.min(tcpSegmentData(c), seqDiff(c.sndMax, c.sndUna));
  if (len > 0) {
    tcpRetransmitAt(c, c.sndUna, len);
    c.stack.tcp!.stats.sndRexmitPack++;
    c.rexmitPack++;
    c.sackRexmitNxt = (c.sndUna + len) >>> 0;
  }
  sackRecoveryOutput(c);
}

/** RFC 6675 §5 step (C): while pipe < cwnd, retransmit the next hole, else send new data. */
export function sackRecoveryOutput(c: TcpConn): void {
  if (seqLt(c.sackRexmitNxt, c.sndUna)) c.sackRexmitNxt = c.sndUna;
  const segMax = tcpSegmentData(c);
  for (let guard = 0; guard < 1024; guard++) {
    const top = fack(c);
    const pipe = Math.max(seqDiff(c.sndNxt, top), 0) + holeBytes(c, c.sndUna, c.sackRexmitNxt);
    if (c.cwnd - pipe < segMax) return;
    const hole = nextHole(c, top);
    if (hole === null) {
      // No hole left below fack: new data, as the window allows (one segment per round).
      const before = c.sndNxt;
      const ocwnd = c.cwnd;
      c.cwnd = seqDiff(c.sndNxt, c.sndUna) + segMax; // let exactly one new segment out
      tcpOutput(c);
      c.cwnd = ocwnd;
      if (c.sndNxt === before) return;
      continue;
    }
    tcpRetransmitAt(c, hole.seq, hole.len);
    c.stack.tcp!.stats.sndRexmitPack++;
    c.rexmitPack++;
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
