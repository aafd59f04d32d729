// ICMP errors about our own TCP segments (FreeBSD tcp_ctlinput, tcp_notify and
// tcp_drop_syn_sent with net.inet.tcp.icmp_may_rst=1): a port, protocol or administratively
// prohibited unreachable, or a time exceeded, ends a connection still in SYN_SENT at once;
// a net or host unreachable is a soft error, fatal only once the SYN has been retransmitted
// more than three times (and the reason a later timeout reports). Only when the quoted
// sequence number is one we have sent (RFC 5927 §4.1). Must not send anything itself.

import type { Errno } from '../errno';
import { TCP_STATE } from './tcp-types';
import { connKey, tcpDrop } from './tcp-subr';
import type { NetStack } from '../types';

const ICMP_UNREACH = 3;
const ICMP_TIMXCEED = 11;
const UNREACH_PROTOCOL = 2;
const UNREACH_PORT = 3;
const UNREACH_NEEDFRAG = 4;
/** net-prohib, host-prohib, filter-prohib: FreeBSD's PRC_UNREACH_ADMIN_PROHIB. */
const ADMIN_PROHIB = new Set([9, 10, 13]);

const rd16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const rd32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/**
 * `msg` is the ICMP message (type at 0), its quoted datagram at 8; `len` its length. The
 * quote must hold the IPv4 header and the first 8 TCP bytes (ports and sequence number).
 */
export function tcpCtlInput(stack: NetStack, msg: Uint8Array, off: number, len: number): void {
  const t = stack.tcp;
  if (t === null || len < 8 + 20) return;
  const type = msg[off];
  const code = msg[off + 1];
  if (type !== ICMP_UNREACH && type !== ICMP_TIMXCEED) return;
  if (type === ICMP_UNREACH && code === UNREACH_NEEDFRAG) return; // path MTU: not an error here
  const q = off + 8;
  const hl = (msg[q] & 0x0f) * 4;
  if (msg[q + 9] !== 6 || len < 8 + hl + 8) return;
  const c = t.conns.get(connKey(rd32(msg, q + 12), rd16(msg, q + hl), rd32(msg, q + 16), rd16(msg, q + hl + 2)));
  if (c === undefined) return;
  const seq = rd32(msg, q + hl + 4);
  if (((seq - c.sndUna) | 0) < 0 || ((seq - c.sndMax) | 0) >= 0) return;
  const hard = type === ICMP_TIMXCEED || code === UNREACH_PORT || code === UNREACH_PROTOCOL || ADMIN_PROHIB.has(code);
  const errno: Errno = type === ICMP_UNREACH && (code === UNREACH_PORT || code === UNREACH_PROTOCOL) ? 'ECONNREFUSED' : 'EHOSTUNREACH';
  if (hard) {
    if (c.state === TCP_STATE.SYN_SENT) tcpDrop(c, errno);
    return;
  }
  // tcp_notify: ignored once established; a second error after several SYN retransmissions ends it.
  if (c.state === TCP_STATE.ESTABLISHED) return;
  const opening = c.state === TCP_STATE.SYN_SENT || c.state === TCP_STATE.SYN_RECEIVED;
  if (opening && c.rxtShift > 3 && c.softError !== null) tcpDrop(c, errno);
  else c.softError = errno;
}
