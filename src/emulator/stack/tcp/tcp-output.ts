// TCP output (FreeBSD tcp_output.c): decides whether a segment is due (data the windows
// allow, Nagle, SYN/FIN, ACKs, window updates, persist probes), builds it with options and
// sends it through IPv4 output. Must not process input. RFC 9293 §3.8.6 (windows),
// RFC 896/RFC 9293 §3.7.4 (Nagle), RFC 7323 (window scale, timestamps), RFC 2018 (SACK).

import { TCP_FLAG, type TcpRepr } from '../../wire/tcp';
import { emitTcpOptions, TCP_OPT, TCP_SACK_BLOCKS_MAX, type TcpOptions, type TcpSackBlock } from '../../wire/tcp-options';
import { writeU32 } from '../../wire/addr';
import { NO_BYTES, tcpIpOutput } from './tcp-subr';
import { seqDiff, seqGt, seqLeq, seqLt } from './tcp-seq';
import { tcpProbeOut } from './tcp-probe';
import { rexmtRestart, setPersist } from './tcp-timers';
import { TCP_STATE, TCP_WSCALE_REQUEST, type TcpConn } from './tcp-types';

/** Sends every segment that is due now (bounded: a window's worth at most per call). */
export function tcpOutput(c: TcpConn): void {
  for (let i = 0; i < 4096; i++) if (!outputOne(c)) return;
}

function synchronized(c: TcpConn): boolean {
  const s = c.state;
  return s === TCP_STATE.ESTABLISHED || s === TCP_STATE.CLOSE_WAIT || s === TCP_STATE.FIN_WAIT_1 || s === TCP_STATE.CLOSING || s === TCP_STATE.LAST_ACK || s === TCP_STATE.FIN_WAIT_2 || s === TCP_STATE.TIME_WAIT;
}

/** The receive window we can offer now, in bytes (free buffer space, never shrinking the last offer). */
export function rcvWindow(c: TcpConn): number {
  let win = c.rcvBufMax - c.rcvBufLen;
  // Receiver silly-window avoidance (RFC 9293 §3.8.6.2.2, FreeBSD tcp_output): no small windows.
  if (win < c.rcvBufMax / 4 && win < c.maxSeg) win = 0;
  const max = 0xffff << c.rcvScale;
  if (win > max) win = max;
  const promised = seqDiff(c.rcvAdv, c.rcvNxt);
  return Math.max(win, promised);
}

/** One segment if one is due; false when nothing is. */
function outputOne(c: TcpConn): boolean {
  const st = c.state;
  if (st === TCP_STATE.CLOSED || st === TCP_STATE.LISTEN) return false;
  const syn = seqLt(c.sndNxt, c.sndBufSeq) && (st === TCP_STATE.SYN_SENT || st === TCP_STATE.SYN_RECEIVED);
  let len = 0;
  const segMax = dataPerSegment(c);
  if (!syn && synchronized(c) && st !== TCP_STATE.TIME_WAIT) {
    const wnd = Math.min(c.sndWnd, c.cwnd);
    const unsent = c.sndBufLen - seqDiff(c.sndNxt, c.sndBufSeq);
    const usable = wnd - seqDiff(c.sndNxt, c.sndUna);
    len = Math.max(0, Math.min(unsent, usable, segMax));
    if (len === 0 && c.forceOne && unsent > 0 && c.sndWnd === 0) len = 1;
  }
  const finSeq = (c.sndBufSeq + c.sndBufLen) >>> 0;
  const finStates = st === TCP_STATE.FIN_WAIT_1 || st === TCP_STATE.CLOSING || st === TCP_STATE.LAST_ACK;
  const fin = !syn && c.finQueued && finStates && ((c.sndNxt + len) >>> 0) === finSeq;
  let send = syn || fin || c.ackNow;
  if (len > 0) {
    const unsent = c.sndBufLen - seqDiff(c.sndNxt, c.sndBufSeq);
    if (len === segMax) send = true;
    // Nagle (RFC 9293 §3.7.4): a short segment only when nothing is outstanding.
    else if (len === unsent && (c.noDelay || c.sndNxt === c.sndUna || c.finQueued)) send = true;
    else if (c.forceOne || seqLt(c.sndNxt, c.sndMax)) send = true;
  }
  if (!send && synchronized(c) && !c.rcvFin && st !== TCP_STATE.TIME_WAIT) send = windowUpdateDue(c);
  if (!send) {
    const unsent = c.sndBufLen - seqDiff(c.sndNxt, c.sndBufSeq);
    // Data waits and no timer runs (a zero or too small window): the persist timer makes progress.
    if (unsent > 0 && c.rexmtAt === 0 && c.persistAt === 0 && synchronized(c)) setPersist(c);
    return false;
  }
  emitSegment(c, syn, fin, len);
  return len > 0 || syn || fin ? true : false;
}

/** Data bytes per segment: the MSS less the options every segment carries (FreeBSD tcp_output "adjust len"). */
function dataPerSegment(c: TcpConn): number {
  // maxSeg already excludes the timestamp option; SACK blocks come out of the data.
  if (!c.sackOn || c.reass.length === 0) return c.maxSeg;
  return c.maxSeg - 4 - 8 * Math.min(sackBlocksToSend(c).length, c.tsOn ? 3 : 4);
}

/**
 * The receiver's SACK blocks: queued runs merged where they touch, the one holding the
 * latest out-of-order segment first, then the rest in order (RFC 2018 §4).
 */
function sackBlocksToSend(c: TcpConn): TcpSackBlock[] {
  const merged: TcpSackBlock[] = [];
  for (const r of c.reass) {
    const end = (r.seq + r.data.length) >>> 0;
    const last = merged[merged.length - 1];
    if (last !== undefined && last.right === r.seq) last.right = end;
    else merged.push({ left: r.seq, right: end });
  }
  const i = merged.findIndex((b) => seqLeq(b.left, c.lastOooSeq) && seqLt(c.lastOooSeq, b.right));
  if (i > 0) merged.unshift(...merged.splice(i, 1));
  return merged.slice(0, c.tsOn ? TCP_SACK_BLOCKS_MAX : TCP_SACK_BLOCKS_MAX + 1);
}

/**
 * A standalone window update (FreeBSD tcp_output): never while a delayed ACK is pending
 * (the update rides on it), nor when the advertised window would not change once scaled;
 * else when the window opens by two MSS and that is a quarter of the buffer (or the window
 * was nearly closed, or the buffer is small), or when it opens by half the buffer. Other
 * increases ride on the ACKs of arriving data, so a reader keeping up sends none.
 */
function windowUpdateDue(c: TcpConn): boolean {
  if (c.delackAt !== 0) return false;
  const hiwat = c.rcvBufMax;
  const recwin = Math.min(hiwat - c.rcvBufLen, 0xffff << c.rcvScale);
  if (recwin <= 0) return false;
  const oldwin = Math.max(seqDiff(c.rcvAdv, c.rcvNxt), 0);
  const adv = recwin - oldwin;
  if (oldwin >>> c.rcvScale >= (adv + oldwin) >>> c.rcvScale) return false;
  if (adv >= 2 * c.maxSeg && (adv >= hiwat / 4 || recwin <= hiwat / 8 || hiwat <= 8 * c.maxSeg)) return true;
  return 2 * adv >= hiwat;
}

/** The option bytes of the next segment, or undefined for none. */
function segmentOptionBytes(c: TcpConn, syn: boolean): Uint8Array | undefined {
  // Established with timestamps and no SACK blocks to report: every segment of a bulk transfer.
  if (!syn && c.tsOn && c.state !== TCP_STATE.SYN_SENT && !(c.sackOn && c.reass.length > 0)) return timestampOnly(c);
  const opts = segmentOptions(c, syn);
  return opts ? emitTcpOptions(opts) : undefined;
}

/** NOP, NOP, timestamp (RFC 7323 Appendix A layout): the bytes emitTcpOptions gives for {tsVal, tsEcr}, without building them anew. */
function timestampOnly(c: TcpConn): Uint8Array {
  let b = c.tsOptBytes;
  if (b === null) {
    b = Uint8Array.of(TCP_OPT.NOP, TCP_OPT.NOP, TCP_OPT.TIMESTAMP, 10, 0, 0, 0, 0, 0, 0, 0, 0);
    c.tsOptBytes = b;
  }
  writeU32(b, 4, (Math.floor(c.stack.env.sim.now() / 1_000_000) + c.tsOffset) >>> 0);
  writeU32(b, 8, c.tsRecent);
  return b;
}

function segmentOptions(c: TcpConn, syn: boolean): TcpOptions | null {
  const now = c.stack.env.sim.now();
  const o: TcpOptions = {};
  let any = false;
  if (syn) {
    o.mss = c.ourMss;
    any = true;
    const active = c.state === TCP_STATE.SYN_SENT;
    if (active || c.wsOn) o.wscale = TCP_WSCALE_REQUEST;
    if ((active && c.stack.tcp!.sackEnabled) || c.sackOn) o.sackPermitted = true;
  }
  if ((syn && c.state === TCP_STATE.SYN_SENT) || c.tsOn) {
    o.tsVal = (Math.floor(now / 1_000_000) + c.tsOffset) >>> 0;
    o.tsEcr = c.state === TCP_STATE.SYN_SENT ? 0 : c.tsRecent;
    any = true;
  }
  if (c.sackOn && !syn && c.reass.length > 0) {
    o.sack = sackBlocksToSend(c);
    any = true;
  }
  return any ? o : null;
}

/**
 * Resends `len` bytes at `seq` (a SACK hole, RFC 6675 §5) without moving snd_nxt: the
 * recovery code decides which bytes; this only builds and sends the segment.
 */
export function tcpRetransmitAt(c: TcpConn, seq: number, len: number): void {
  emitSegment(c, false, false, len, seq);
}

/** Data bytes a segment can carry now (MSS less options). */
export function tcpSegmentData(c: TcpConn): number {
  return dataPerSegment(c);
}

function emitSegment(c: TcpConn, syn: boolean, fin: boolean, len: number, at = -1): void {
  const stats = c.stack.tcp!.stats;
  let flags = syn ? (c.state === TCP_STATE.SYN_SENT ? TCP_FLAG.SYN : TCP_FLAG.SYN | TCP_FLAG.ACK) : TCP_FLAG.ACK;
  if (fin) flags |= TCP_FLAG.FIN;
  const seq = at >= 0 ? at : syn ? c.iss : c.sndNxt;
  const payload = len > 0 ? copyOut(c, seqDiff(seq, c.sndBufSeq), len) : NO_BYTES;
  if (len > 0 && len === c.sndBufLen - seqDiff(seq, c.sndBufSeq)) flags |= TCP_FLAG.PSH;
  const win = rcvWindow(c);
  const window = syn ? Math.min(win, 0xffff) : Math.min(win >>> c.rcvScale, 0xffff);
  const seg: TcpRepr = { srcPort: c.localPort, dstPort: c.remotePort, seq, ack: flags & TCP_FLAG.ACK ? c.rcvNxt : 0, flags, window, urgent: 0, options: segmentOptionBytes(c, syn), payload };
  const retransmit = seqLt(seq, c.sndMax);
  // Only a retransmission (of data, SYN or FIN; a bare ACK is never one) pays for its note.
  const noted = retransmit && (len > 0 || syn || fin);
  if (noted) c.stack.txNote = c.rexmtCause;
  tcpIpOutput(c.stack, c.localAddr, c.remoteAddr, c.local6 === null ? null : { local: c.local6, remote: c.remote6! }, seg, true);
  if (noted) c.stack.txNote = null;
  stats.sndTotal++;
  if (len > 0) {
    stats.sndBytes += len;
    if (retransmit) stats.sndRexmitBytes += len;
  } else if (!syn && !fin) stats.sndAcks++;
  if (flags & TCP_FLAG.ACK) {
    const right = (c.rcvNxt + (syn ? window : window << c.rcvScale)) >>> 0;
    if (seqGt(right, c.rcvAdv)) c.rcvAdv = right;
    c.lastAckSent = c.rcvNxt;
  }
  c.ackNow = false;
  c.delackAt = 0;
  if (c.probe !== null) tcpProbeOut(c, c.probe, seq, len, flags, syn ? window : window << c.rcvScale, retransmit);
  const advance = len + (syn ? 1 : 0) + (fin ? 1 : 0);
  if (advance === 0) return;
  if (at >= 0) {
    if (c.rexmtAt === 0) rexmtRestart(c);
    return;
  }
  const end = (seq + advance) >>> 0;
  c.sndNxt = end;
  if (seqGt(end, c.sndMax)) {
    if (c.rtStartNs < 0 && !retransmit) {
      c.rtSeq = seq;
      c.rtStartNs = c.stack.env.sim.now();
    }
    c.sndMax = end;
  }
  if (c.rexmtAt === 0) {
    c.persistAt = 0;
    rexmtRestart(c);
  }
}

/**
 * `len` bytes of the send ring starting `off` bytes after sndBufSeq: a view when they are
 * contiguous (IP output copies it into the frame at once, so the ring may change afterwards), else a copy.
 */
function copyOut(c: TcpConn, off: number, len: number): Uint8Array {
  const buf = c.sndBuf;
  const cap = buf.length;
  const start = (c.sndBufHead + off) % cap;
  if (start + len <= cap) return buf.subarray(start, start + len);
  const out = new Uint8Array(len);
  const first = Math.min(len, cap - start);
  out.set(buf.subarray(start, start + first), 0);
  if (first < len) out.set(buf.subarray(0, len - first), first);
  return out;
}
