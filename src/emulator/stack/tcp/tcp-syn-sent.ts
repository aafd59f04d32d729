// Active open: a segment arriving in SYN_SENT (RFC 9293 §3.10.7.3) — an acceptable
// SYN-ACK establishes the connection, a bare SYN is a simultaneous open (→ SYN_RECEIVED),
// an acceptable RST refuses it. Anything else is dropped with its reason.

import { TCP_FLAG } from '../../wire/tcp';
import { DROP } from '../env';
import type { TcpSeg } from './tcp-input';
import { dropSeg } from './tcp-input';
import { acceptSynOptions } from './tcp-listen';
import { tcpOutput } from './tcp-output';
import { seqGt, seqLeq } from './tcp-seq';
import { tcpDrop, tcpRespondReset } from './tcp-subr';
import { rttSample } from './tcp-timers';
import { TCP_EVENT, TCP_STATE, type TcpConn } from './tcp-types';

export function tcpSynSentInput(c: TcpConn, seg: TcpSeg): void {
  const f = seg.flags;
  const hasAck = (f & TCP_FLAG.ACK) !== 0;
  if (hasAck && (seqLeq(seg.ack, c.iss) || seqGt(seg.ack, c.sndMax))) {
    if (!(f & TCP_FLAG.RST)) tcpRespondReset(c.stack, seg);
    return dropSeg(c, seg, DROP.TCP_INVALID);
  }
  if (f & TCP_FLAG.RST) {
    if (!hasAck) return dropSeg(c, seg, DROP.TCP_INVALID);
    return tcpDrop(c, 'ECONNREFUSED');
  }
  if (!(f & TCP_FLAG.SYN)) return dropSeg(c, seg, DROP.TCP_INVALID);
  acceptSynOptions(c, seg);
  c.keepInitAt = 0;
  if (hasAck) {
    c.sndUna = seg.ack;
    if (seqGt(c.sndUna, c.sndNxt)) c.sndNxt = c.sndUna;
    if (c.rtStartNs >= 0) rttSample(c, c.stack.env.sim.now() - c.rtStartNs);
    c.rtStartNs = -1;
    c.rexmtAt = 0;
    c.rxtShift = 0;
    c.state = TCP_STATE.ESTABLISHED;
    c.stack.tcp!.stats.connects++;
    c.events |= TCP_EVENT.CONNECTED | TCP_EVENT.WRITABLE;
    c.ackNow = true;
  } else {
    // Simultaneous open (RFC 9293 §3.5, figure 8): answer with SYN-ACK from the same ISS.
    c.state = TCP_STATE.SYN_RECEIVED;
    c.sndNxt = c.iss;
  }
  tcpOutput(c);
}
