// Passive open (FreeBSD tcp_input LISTEN case and the syncache's role): a SYN to a
// listening port creates a SYN_RECEIVED connection unless the listener's backlog is full.
// RFC 9293 §3.10.7.2, RFC 7323 §2.2 / RFC 2018 §2 (options agreed only when both send them).

import { TCP_FLAG } from '../../wire/tcp';
import { DROP } from '../env';
import { traceDrop } from '../link-output';
import type { TcpSeg } from './tcp-input';
import { tcpOutput } from './tcp-output';
import { mssForMtu, tcpCcAlgo, tcpNewConn, tcpRespondReset } from './tcp-subr';
import { setKeepInit } from './tcp-timers';
import { TCP_MAX_WINSHIFT, TCP_MSS_DEFAULT, TCP_STATE, TCP_WSCALE_REQUEST, type TcpConn, type TcpListener } from './tcp-types';

export function tcpListenInput(l: TcpListener, seg: TcpSeg): void {
  const stack = l.stack;
  if (seg.flags & TCP_FLAG.RST) return traceDrop(stack, seg.ifIndex, seg.frame, DROP.TCP_INVALID);
  if (seg.flags & TCP_FLAG.ACK) {
    tcpRespondReset(stack, seg);
    return traceDrop(stack, seg.ifIndex, seg.frame, DROP.TCP_INVALID);
  }
  if (!(seg.flags & TCP_FLAG.SYN)) return traceDrop(stack, seg.ifIndex, seg.frame, DROP.TCP_INVALID);
  const t = stack.tcp!;
  if (l.synCount + l.queue.length >= l.backlog) {
    t.stats.listenOverflows++;
    return traceDrop(stack, seg.ifIndex, seg.frame, DROP.TCP_LISTEN_OVERFLOW);
  }
  const mtu = stack.ifaces[seg.ifIndex]?.mtu ?? 1500;
  const six = seg.src6 !== null && seg.dst6 !== null ? { local: seg.dst6, remote: seg.src6 } : null;
  const c = tcpNewConn(stack, seg.dst, seg.dstPort, seg.src, seg.srcPort, mssForMtu(mtu, six !== null), six);
  c.listener = l;
  l.synCount++;
  c.state = TCP_STATE.SYN_RECEIVED;
  t.conns.set(c.key, c);
  acceptSynOptions(c, seg);
  setKeepInit(c);
  tcpOutput(c);
}

/** Options of the peer's SYN (both directions of the handshake use this). */
export function acceptSynOptions(c: TcpConn, seg: TcpSeg): void {
  const o = seg.opts;
  c.irs = seg.seq;
  c.rcvNxt = (seg.seq + 1) >>> 0;
  c.rcvAdv = c.rcvNxt;
  c.peerMss = o?.mss ?? TCP_MSS_DEFAULT;
  c.maxSeg = Math.max(Math.min(c.maxSeg, c.peerMss), 64);
  if (o?.wscale !== undefined) {
    c.wsOn = true;
    c.sndScale = Math.min(o.wscale, TCP_MAX_WINSHIFT);
    c.rcvScale = TCP_WSCALE_REQUEST;
  } else {
    c.wsOn = false;
    c.sndScale = 0;
    c.rcvScale = 0;
  }
  c.sackOn = o?.sackPermitted === true && c.stack.tcp!.sackEnabled;
  if (o?.tsVal !== undefined) {
    c.tsOn = true;
    c.tsRecent = o.tsVal;
    c.maxSeg -= 12; // every segment carries NOP NOP TS (FreeBSD tcp_mss_update)
  } else c.tsOn = false;
  c.sndWnd = seg.wnd; // never scaled in a SYN (RFC 7323 §2.2)
  c.sndWl1 = seg.seq;
  c.sndWl2 = seg.ack;
  tcpCcAlgo(c).init(c); // the initial window counts in the negotiated MSS
}
