// Socket-buffer autosizing (FreeBSD net.inet.tcp.sendbuf_auto / recvbuf_auto): buffers start
// at sendspace/recvspace and double, up to 2 MB, while a connection fills them within an
// RTT, so window scaling can open the window to the bandwidth-delay product. Bounded by
// TCP_AUTOBUF_MAX per buffer. FreeBSD grows the send buffer in 8 KB steps; doubling here
// saves copies and reaches the same ceiling.

import { TCP_AUTOBUF_MAX, type TcpConn } from './tcp-types';

/** Copies a ring of `len` bytes starting at `head` into a new array of `size` bytes (head 0). */
function regrow(buf: Uint8Array, head: number, len: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const first = Math.min(len, buf.length - head);
  out.set(buf.subarray(head, head + first), 0);
  if (first < len) out.set(buf.subarray(0, len - first), first);
  return out;
}

/** The app found the send buffer full: grow it when the peer's window would take more (tcp_output sbsndautoscale). */
export function sndBufAutosize(c: TcpConn): void {
  const cap = c.sndBuf.length;
  if (cap >= TCP_AUTOBUF_MAX) return;
  if (Math.floor((c.sndWnd / 4) * 5) < cap || c.sndBufLen < Math.floor((cap / 8) * 7)) return;
  c.sndBuf = regrow(c.sndBuf, c.sndBufHead, c.sndBufLen, Math.min(cap * 2, TCP_AUTOBUF_MAX));
  c.sndBufHead = 0;
}

/** In-order bytes arrived: when an RTT's worth fills 7/8 of the buffer that the app drains, double it (tcp_autorcvbuf). */
export function rcvBufAutosize(c: TcpConn, bytes: number, nowNs: number): void {
  if (c.rcvBufMax >= TCP_AUTOBUF_MAX) return;
  if (c.rcvAutoStartNs < 0) {
    c.rcvAutoStartNs = nowNs;
    c.rcvAutoBytes = 0;
  }
  c.rcvAutoBytes += bytes;
  const rtt = c.srttNs > 0 ? c.srttNs : 100_000_000;
  if (nowNs - c.rcvAutoStartNs < rtt) return;
  // Only while the app keeps up: a reader that stops must see its window close, not grow.
  if (c.rcvAutoBytes >= Math.floor((c.rcvBufMax / 8) * 7) && c.rcvBufLen < c.rcvBufMax / 2) {
    const size = Math.min(c.rcvBufMax * 2, TCP_AUTOBUF_MAX);
    if (c.rcvBuf !== null) {
      c.rcvBuf = regrow(c.rcvBuf, c.rcvBufHead, c.rcvBufLen, size);
      c.rcvBufHead = 0;
    }
    c.rcvBufMax = size;
  }
  c.rcvAutoStartNs = nowNs;
  c.rcvAutoBytes = 0;
}
