// Receive side data: the in-order receive ring the app reads, and the out-of-order queue
// (FreeBSD tcp_reass.c) kept as disjoint sorted runs, bounded by the receive window because
// input trims every segment to it first. Also the SACK blocks we report. RFC 9293 §3.10.7.4,
// RFC 2018 §4 (most recent block first is not kept: blocks are sent in sequence order).

import { seqDiff, seqGeq, seqGt, seqLeq, seqLt } from './tcp-seq';
import type { TcpConn } from './tcp-types';

/** Appends in-order bytes to the receive ring (the caller checked they fit the window). */
export function rcvAppend(c: TcpConn, data: Uint8Array): void {
  let buf = c.rcvBuf;
  if (buf === null) {
    buf = new Uint8Array(c.rcvBufMax);
    c.rcvBuf = buf;
  }
  const n = Math.min(data.length, c.rcvBufMax - c.rcvBufLen);
  const cap = buf.length;
  const tail = (c.rcvBufHead + c.rcvBufLen) % cap;
  const first = Math.min(n, cap - tail);
  // All of `data` in one piece (a whole segment, as a rule): no view to cut.
  if (first === data.length) buf.set(data, tail);
  else {
    buf.set(data.subarray(0, first), tail);
    if (first < n) buf.set(data.subarray(first, n), 0);
  }
  c.rcvBufLen += n;
  c.rcvNxt = (c.rcvNxt + n) >>> 0;
}

/** Takes up to `max` bytes from the receive ring. */
export function rcvTake(c: TcpConn, max: number): Uint8Array {
  const out = new Uint8Array(Math.min(max, c.rcvBufLen));
  rcvTakeInto(c, out);
  return out;
}

/** Moves up to `out.length` readable bytes into `out` (recv(2) into the caller's buffer); the count. */
export function rcvTakeInto(c: TcpConn, out: Uint8Array): number {
  const buf = c.rcvBuf;
  const n = Math.min(out.length, c.rcvBufLen);
  if (buf === null || n === 0) return 0;
  const cap = buf.length;
  const first = Math.min(n, cap - c.rcvBufHead);
  out.set(buf.subarray(c.rcvBufHead, c.rcvBufHead + first), 0);
  if (first < n) out.set(buf.subarray(0, n - first), first);
  c.rcvBufHead = (c.rcvBufHead + n) % cap;
  c.rcvBufLen -= n;
  return n;
}

/** Queues bytes that start after rcvNxt; parts already queued are not stored twice. */
export function reassInsert(c: TcpConn, seq: number, data: Uint8Array): void {
  let s = seq;
  const e = (seq + data.length) >>> 0;
  const q = c.reass;
  let i = 0;
  while (i < q.length && seqLt(s, e)) {
    const r = q[i];
    const rs = r.seq;
    const re = (r.seq + r.data.length) >>> 0;
    if (seqLeq(re, s)) {
      i++;
      continue;
    }
    if (seqGt(rs, s)) {
      const cut = seqLt(rs, e) ? rs : e;
      q.splice(i, 0, { seq: s, data: data.slice(seqDiff(s, seq), seqDiff(cut, seq)) });
      i++;
      s = cut;
      continue;
    }
    s = seqGt(re, s) ? re : s; // overlaps an existing run: skip past it
    i++;
  }
  if (seqLt(s, e)) q.splice(i, 0, { seq: s, data: data.slice(seqDiff(s, seq)) });
}

/** Moves queued runs that rcvNxt has reached into the receive ring. */
export function reassPull(c: TcpConn): void {
  const q = c.reass;
  while (q.length > 0 && seqLeq(q[0].seq, c.rcvNxt)) {
    const r = q.shift()!;
    const skip = seqDiff(c.rcvNxt, r.seq);
    if (skip < r.data.length) rcvAppend(c, r.data.subarray(skip));
  }
}

/** Bytes held out of order (for tests and netstat). */
export function reassBytes(c: TcpConn): number {
  let n = 0;
  for (const r of c.reass) n += r.data.length;
  return n;
}

export function reassCovers(c: TcpConn, seq: number): boolean {
  return c.reass.some((r) => seqGeq(seq, r.seq) && seqLt(seq, (r.seq + r.data.length) >>> 0));
}
