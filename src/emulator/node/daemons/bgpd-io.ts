// bgpd's output side of one connection: a message becomes bytes (wire/bgp) and goes to the
// TCP socket, with a bounded queue for what the send buffer cannot take yet, and per-type
// counters as `show ip bgp neighbors` prints them. No session decisions here.

import { buildBgp, type BgpMessage } from '../../wire/bgp';
import type { BgpConn, BgpCounters, BgpDaemon } from './bgpd-types';
import { BGP_TXQ_MAX } from './bgpd-types';

export function countMessage(c: BgpCounters, kind: BgpMessage['type']): void {
  switch (kind) {
    case 'open':
      c.opens++;
      break;
    case 'update':
      c.updates++;
      break;
    case 'notification':
      c.notifications++;
      break;
    case 'keepalive':
      c.keepalives++;
      break;
    case 'other':
      c.other++;
      break;
    default:
      kind satisfies never;
  }
}

/** Queues `m` on the connection; false when the queue bound is hit (the caller resets the session). */
export function bgpSend(d: BgpDaemon, conn: BgpConn, m: BgpMessage): boolean {
  if (conn.sock === null) return false;
  const bytes = buildBgp(m, conn.as4);
  if (conn.txqBytes + bytes.length > BGP_TXQ_MAX) return false;
  conn.txq.push(bytes);
  conn.txqBytes += bytes.length;
  countMessage(conn.peer.sent, m.type);
  conn.peer.lastWriteNs = d.stack.env.sim.now();
  bgpFlush(d, conn);
  return true;
}

/** Hands queued bytes to TCP as far as its send buffer takes them (again on `writable`). */
export function bgpFlush(d: BgpDaemon, conn: BgpConn): void {
  while (conn.sock !== null && conn.txq.length > 0) {
    const head = conn.txq[0]!;
    const n = d.tcp.send(conn.sock, head);
    if (typeof n !== 'number' || n === 0) return;
    conn.txqBytes -= n;
    if (n < head.length) conn.txq[0] = head.subarray(n);
    else conn.txq.shift();
  }
}
