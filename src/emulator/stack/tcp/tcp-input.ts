// TCP input (FreeBSD tcp_input.c and tcp6_input): checks a segment (checksum over the IPv4 or IPv6 pseudo-header), finds its connection or listener,
// and runs the RFC 9293 §3.10.7 event processing — SYN_SENT, then sequence acceptability
// with trimming, RST (RFC 5961 §3), SYN, ACK (tcp-ack.ts), data and FIN. Bad segments are
// dropped with a reason in the traffic record, never thrown.

import { TCP_FLAG, TcpView } from '../../wire/tcp';
import { parseTcpOptions, type TcpOptions } from '../../wire/tcp-options';
import { DROP } from '../env';
import { traceDrop } from '../link-output';
import type { Iface, NetStack } from '../types';
import { tcpAckInput } from './tcp-ack';
import { rcvBufAutosize } from './tcp-autosize';
import { tcpListenInput } from './tcp-listen';
import { tcpNotify } from './tcp-notify';
import { tcpOutput } from './tcp-output';
import { tcpProbeIn } from './tcp-probe';
import { rcvAppend, reassInsert, reassPull } from './tcp-reass';
import { seqDiff, seqGeq, seqGt, seqLt } from './tcp-seq';
import { connKey6, connLookup4, NO_BYTES, tcpDrop, tcpRespondReset } from './tcp-subr';
import { IP_PROTO } from '../../wire/ipv4';
import { formatIpv6, isIpv6Multicast, readIpv6 } from '../../wire/ipv6-addr';
import { upperChecksumOkIpv6 } from '../../wire/checksum';
import { setDelack, setTimeWait } from './tcp-timers';
import { TCP_EVENT, TCP_STATE, type TcpConn } from './tcp-types';
import { tcpSynSentInput } from './tcp-syn-sent';
import { formatIpv4 } from '../../wire/addr';
import { explainDeliver } from '../explain';

/** One arriving segment, parsed once. `payload` is a view into the frame. */
export interface TcpSeg {
  /** IPv4 addresses (0 for IPv6). */
  src: number;
  dst: number;
  /** IPv6 addresses (copies), null for IPv4. */
  src6: Uint8Array | null;
  dst6: Uint8Array | null;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  wnd: number;
  opts: TcpOptions | null;
  payload: Uint8Array;
  ifIndex: number;
  /** The frame, for drop records. */
  frame: Uint8Array;
}

/** A TCP segment for us at `ipOff` + `hl` in `buf` (called from ip-input's protocol dispatch). */
export function tcpInput(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, hl: number, total: number, broadcast: boolean): void {
  const off = ipOff + hl;
  const len = total - hl;
  if (!TcpView.check(buf, off, len)) return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
  // RFC 1122 §4.2.3.10: a SYN to a broadcast address is never answered.
  if (broadcast) return traceDrop(stack, iface.index, buf, DROP.NOT_FOR_US);
  const v = new TcpView(buf, off);
  const src = ((buf[ipOff + 12] << 24) | (buf[ipOff + 13] << 16) | (buf[ipOff + 14] << 8) | buf[ipOff + 15]) >>> 0;
  const dst = ((buf[ipOff + 16] << 24) | (buf[ipOff + 17] << 16) | (buf[ipOff + 18] << 8) | buf[ipOff + 19]) >>> 0;
  if (!v.checksumValid(src, dst, len)) {
    if (stack.tcp !== null) stack.tcp.stats.rcvBadSum++;
    return traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
  }
  const seg = parseSeg(v, buf, off, len, iface, src, dst, null, null);
  const t = stack.tcp;
  dispatch(stack, seg, t === null ? undefined : connLookup4(t, dst, seg.dstPort, src, seg.srcPort), stack.explain !== null ? [formatIpv4(dst), formatIpv4(src)] : null);
}

/** The fields of the checked segment `v` (whole segment `len` bytes at `off` of `buf`). */
function parseSeg(v: TcpView, buf: Uint8Array, off: number, len: number, iface: Iface, src: number, dst: number, src6: Uint8Array | null, dst6: Uint8Array | null): TcpSeg {
  const thl = v.headerLen;
  return {
    src,
    dst,
    src6,
    dst6,
    srcPort: v.srcPort,
    dstPort: v.dstPort,
    seq: v.seq,
    ack: v.ack,
    flags: v.flags,
    wnd: v.window,
    opts: thl > 20 ? parseTcpOptions(buf, off + 20, thl - 20).options : null,
    // A bare ACK shares the empty payload: a view costs as much as copying a hundred bytes.
    payload: thl === len ? NO_BYTES : buf.subarray(off + thl, off + len),
    ifIndex: iface.index,
    frame: buf,
  };
}

/** Hands `seg` to its connection `c` (looked up by the caller), else to a listener on its port, else answers RST. */
/** `ends`: the local and remote addresses as text, given only while explanations are on. */
function dispatch(stack: NetStack, seg: TcpSeg, c: TcpConn | undefined, ends: [string, string] | null = null): void {
  const t = stack.tcp;
  if (t !== null) {
    t.stats.rcvTotal++;
    if (stack.explain !== null) explainDeliver(stack, stack.explain, 'tcp', c !== undefined ? `tcp ${ends![0]}:${seg.dstPort} ↔ ${ends![1]}:${seg.srcPort}` : t.listeners.has(seg.dstPort) ? `tcp *:${seg.dstPort} (listening)` : null, 'no socket on that port: answered with a reset');
    if (c !== undefined) return tcpConnInput(c, seg);
    const l = t.listeners.get(seg.dstPort);
    if (l !== undefined) return tcpListenInput(l, seg);
  } else if (stack.explain !== null) explainDeliver(stack, stack.explain, 'tcp', null, 'no socket on that port: answered with a reset');
  // RFC 9293 §3.10.7.1: no connection: reset (the segment itself is dropped).
  tcpRespondReset(stack, seg);
  traceDrop(stack, seg.ifIndex, seg.frame, DROP.NO_LISTENER);
}

/**
 * A TCP segment for us at `off`/`len` inside the IPv6 packet at `ipOff` (ip6-input's upper-layer
 * dispatch): the checksum covers the IPv6 pseudo-header (RFC 8200 §8.1); a listener takes
 * IPv6 and IPv4 alike (a dual-stack socket, FreeBSD's net.inet6.ip6.v6only=0).
 */
export function tcpInput6(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, off: number, len: number): void {
  if (!TcpView.check(buf, off, len)) return traceDrop(stack, iface.index, buf, DROP.MALFORMED);
  // A multicast destination never reaches TCP (RFC 9293 §3.9.1.1 note; FreeBSD tcp6_input drops it).
  if (isIpv6Multicast(buf, ipOff + 24)) return traceDrop(stack, iface.index, buf, DROP.NOT_FOR_US);
  if (!upperChecksumOkIpv6(buf, ipOff, off, len, IP_PROTO.TCP)) {
    if (stack.tcp !== null) stack.tcp.stats.rcvBadSum++;
    return traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
  }
  const src6 = readIpv6(buf, ipOff + 8);
  const dst6 = readIpv6(buf, ipOff + 24);
  const seg = parseSeg(new TcpView(buf, off), buf, off, len, iface, 0, 0, src6, dst6);
  dispatch(stack, seg, stack.tcp?.conns.get(connKey6(dst6, seg.dstPort, src6, seg.srcPort)), stack.explain !== null ? [formatIpv6(dst6), formatIpv6(src6)] : null);
}

export function dropSeg(c: TcpConn, seg: TcpSeg, reason: (typeof DROP)[keyof typeof DROP]): void {
  traceDrop(c.stack, seg.ifIndex, seg.frame, reason);
}

/** A segment for an existing connection. */
export function tcpConnInput(c: TcpConn, seg: TcpSeg): void {
  const p = c.probe;
  if (p === null) return connInput(c, seg);
  // Watched: note the segment as it arrived, with the congestion state after processing it.
  const { seq, flags, ack, wnd } = seg;
  const len = seg.payload.length;
  const sack = seg.opts?.sack;
  connInput(c, seg);
  tcpProbeIn(c, p, seq, len, flags, ack, wnd, sack);
}

function connInput(c: TcpConn, seg: TcpSeg): void {
  if (c.state === TCP_STATE.SYN_SENT) {
    tcpSynSentInput(c, seg);
  } else if (!synchronizedInput(c, seg)) {
    if (c.state !== TCP_STATE.CLOSED && c.ackNow) tcpOutput(c);
    return;
  } else if (c.state !== TCP_STATE.CLOSED) {
    tcpOutput(c);
  }
  tcpNotify(c);
}

/** RFC 9293 §3.10.7.4 for every state but SYN_SENT. False when the segment was dropped. */
function synchronizedInput(c: TcpConn, seg: TcpSeg): boolean {
  const stats = c.stack.tcp!.stats;
  // Accept what fits the buffer even beyond the last offer, never less than the offer (FreeBSD rcv_wnd).
  const rcvWnd = Math.max(seqDiff(c.rcvAdv, c.rcvNxt), c.rcvBufMax - c.rcvBufLen, 0);
  // RST first, on the unmodified sequence number (RFC 5961 §3.2).
  if (seg.flags & TCP_FLAG.RST) {
    const inWindow = seqGeq(seg.seq, c.rcvNxt) && seqLt(seg.seq, (c.rcvNxt + Math.max(rcvWnd, 1)) >>> 0);
    if (!inWindow) return dropSegFalse(c, seg, DROP.TCP_OUT_OF_WINDOW);
    if (seg.seq !== c.rcvNxt) {
      c.ackNow = true; // challenge ACK
      return dropSegFalse(c, seg, DROP.TCP_INVALID);
    }
    const passive = c.state === TCP_STATE.SYN_RECEIVED && c.listener !== null;
    const errno = c.state === TCP_STATE.CLOSE_WAIT ? 'EPIPE' : c.state === TCP_STATE.SYN_RECEIVED && !passive ? 'ECONNREFUSED' : 'ECONNRESET';
    tcpDrop(c, c.state === TCP_STATE.TIME_WAIT || c.state === TCP_STATE.LAST_ACK || c.state === TCP_STATE.CLOSING ? null : errno);
    return false;
  }
  // RFC 5961 §4: a SYN on a synchronized connection only gets a challenge ACK.
  if (seg.flags & TCP_FLAG.SYN && c.state !== TCP_STATE.SYN_RECEIVED) {
    c.ackNow = true;
    return dropSegFalse(c, seg, DROP.TCP_INVALID);
  }
  if (!trimToWindow(c, seg, rcvWnd)) {
    stats.rcvAfterWin++;
    c.ackNow = true;
    return dropSegFalse(c, seg, DROP.TCP_OUT_OF_WINDOW);
  }
  if (c.tsOn && seg.opts?.tsVal !== undefined && !seqGt(seg.seq, c.lastAckSent)) c.tsRecent = seg.opts.tsVal;
  if (!(seg.flags & TCP_FLAG.ACK)) return dropSegFalse(c, seg, DROP.TCP_INVALID);
  if (!tcpAckInput(c, seg)) return false;
  if (c.state === TCP_STATE.CLOSED) return false;
  dataInput(c, seg);
  finInput(c, seg);
  return true;
}

function dropSegFalse(c: TcpConn, seg: TcpSeg, reason: (typeof DROP)[keyof typeof DROP]): false {
  dropSeg(c, seg, reason);
  return false;
}

/**
 * Cuts the parts of the segment outside [rcvNxt, rcvNxt + window) (FreeBSD tcp_input
 * "drop part of segment"). False when nothing acceptable remains and it is not a duplicate
 * whose ACK still counts.
 */
function trimToWindow(c: TcpConn, seg: TcpSeg, rcvWnd: number): boolean {
  let todrop = seqDiff(c.rcvNxt, seg.seq);
  if (todrop > 0) {
    if (seg.flags & TCP_FLAG.SYN) {
      seg.flags &= ~TCP_FLAG.SYN;
      seg.seq = (seg.seq + 1) >>> 0;
      todrop--;
    }
    const len = seg.payload.length;
    if (todrop > len || (todrop === len && !(seg.flags & TCP_FLAG.FIN))) {
      // Entirely old: keep the ACK information, answer with an ACK (RFC 9293 §3.10.7.4).
      if (len > 0 || seg.flags & TCP_FLAG.FIN) c.stack.tcp!.stats.rcvDupPack++;
      seg.flags &= ~TCP_FLAG.FIN;
      c.ackNow = true;
      todrop = len;
    }
    seg.payload = seg.payload.subarray(todrop);
    seg.seq = (seg.seq + todrop) >>> 0;
  }
  const over = seqDiff((seg.seq + seg.payload.length) >>> 0, (c.rcvNxt + rcvWnd) >>> 0);
  if (over > 0) {
    if (over >= seg.payload.length && seg.payload.length > 0) {
      // A zero-window probe is answered with an ACK; other data beyond the window is dropped.
      if (rcvWnd === 0 && seg.seq === c.rcvNxt) {
        c.ackNow = true;
        seg.payload = seg.payload.subarray(0, 0);
        seg.flags &= ~(TCP_FLAG.FIN | TCP_FLAG.PSH);
        return true;
      }
      return false;
    }
    seg.payload = seg.payload.subarray(0, seg.payload.length - over);
    seg.flags &= ~(TCP_FLAG.FIN | TCP_FLAG.PSH);
  }
  return true;
}

/** Data in ESTABLISHED / FIN_WAIT_1 / FIN_WAIT_2 (RFC 9293 §3.10.7.4 seventh). */
function dataInput(c: TcpConn, seg: TcpSeg): void {
  const len = seg.payload.length;
  if (len === 0) return;
  const st = c.state;
  if (st !== TCP_STATE.ESTABLISHED && st !== TCP_STATE.FIN_WAIT_1 && st !== TCP_STATE.FIN_WAIT_2) return;
  const stats = c.stack.tcp!.stats;
  if (c.appClosed) {
    // Data for an application that closed: RFC 9293 §3.10.7.4 / RFC 2525 §2.17, reset.
    tcpDrop(c, null, true);
    return;
  }
  stats.rcvBytes += len;
  c.events |= TCP_EVENT.READABLE;
  if (seg.seq === c.rcvNxt && c.reass.length === 0) {
    rcvAppend(c, seg.payload);
    rcvBufAutosize(c, len, c.stack.env.sim.now());
    // Delayed ACK: every second full segment is acknowledged at once (RFC 9293 §3.8.6.3).
    if (c.delackAt !== 0 || seg.flags & TCP_FLAG.FIN) c.ackNow = true;
    else setDelack(c);
    return;
  }
  if (seg.seq === c.rcvNxt) rcvAppend(c, seg.payload);
  else {
    stats.rcvOooPack++;
    c.lastOooSeq = seg.seq;
    reassInsert(c, seg.seq, seg.payload);
  }
  reassPull(c);
  c.ackNow = true; // out of order or filling a hole: ACK at once (RFC 5681 §4.2)
}

/** FIN processing (RFC 9293 §3.10.7.4 eighth); a FIN is taken only in order. */
function finInput(c: TcpConn, seg: TcpSeg): void {
  if (!(seg.flags & TCP_FLAG.FIN)) return;
  if (((seg.seq + seg.payload.length) >>> 0) !== c.rcvNxt || c.reass.length > 0) return;
  const st = c.state;
  if (st === TCP_STATE.TIME_WAIT) {
    c.ackNow = true;
    setTimeWait(c); // restart 2 MSL
    return;
  }
  if (c.rcvFin) {
    c.ackNow = true;
    return;
  }
  c.rcvFin = true;
  c.events |= TCP_EVENT.READABLE;
  c.rcvNxt = (c.rcvNxt + 1) >>> 0;
  c.ackNow = true;
  if (st === TCP_STATE.SYN_RECEIVED || st === TCP_STATE.ESTABLISHED) c.state = TCP_STATE.CLOSE_WAIT;
  else if (st === TCP_STATE.FIN_WAIT_1) c.state = TCP_STATE.CLOSING;
  else if (st === TCP_STATE.FIN_WAIT_2) {
    c.state = TCP_STATE.TIME_WAIT;
    setTimeWait(c);
  }
}
