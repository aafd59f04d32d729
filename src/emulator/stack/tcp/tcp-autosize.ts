// Socket-buffer autosizing (FreeBSD net.inet.tcp.sendbuf_auto / recvbuf_auto): buffers start
// at sendspace/recvspace and grow, up to 2 MB, while a connection fills them (the send
// buffer doubles when full, the receive buffer grows by half when 3/8 of it arrives in half
// an RTT), so window scaling can open the window to the bandwidth-delay product. Bounded by
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

/**
 * In-order bytes arrived (tcp_autorcvbuf): every half smoothed RTT, when more than 3/8 of the
 * buffer arrived in it, the buffer grows by half, up to 2 MB — two steps per RTT at most,
 * ahead of a slow-starting sender. The interval begins with the first segment after the
 * last check (FreeBSD: the next segment sent, which stamps rfbuf_ts).
 */
export function rcvBufAutosize(c: TcpConn, bytes: number, nowNs: number): void {
  if (c.rcvBufMax >= TCP_AUTOBUF_MAX) return;
  const srtt = c.srttNs > 0 ? c.srttNs : 100_000_000;
  if (c.rcvAutoStartNs < 0 || nowNs - c.rcvAutoStartNs <= srtt / 2) {
    if (c.rcvAutoStartNs < 0) c.rcvAutoStartNs = nowNs;
    c.rcvAutoBytes += bytes;
    return;
  }
  // Only while the app keeps up: a reader that stops must see its window close, not grow.
  if (c.rcvAutoBytes > Math.floor(c.rcvBufMax / 2 / 4) * 3 && c.rcvBufLen < c.rcvBufMax / 2) {
    const size = Math.min(c.rcvBufMax + Math.floor(c.rcvBufMax / 2), TCP_AUTOBUF_MAX);
    if (c.rcvBuf !== null) {
      c.rcvBuf = regrow(c.rcvBuf, c.rcvBufHead, c.rcvBufLen, size);
      c.rcvBufHead = 0;
    }
    c.rcvBufMax = size;
  }
  c.rcvAutoStartNs = -1;
  c.rcvAutoBytes = 0;
}
