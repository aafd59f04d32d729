// TCP housekeeping (FreeBSD tcp_subr.c): the per-stack table created on first use, new
// control blocks with their ISS from the stack's named random stream, freeing and dropping
// connections, and the RST reply for segments no connection takes. RFC 9293 §3.4.1 (ISS),
// §3.5.2 (reset generation), §3.10.7.1 (segments for a CLOSED connection).

import { TX_NOTE } from '../env';
import { IP_PROTO } from '../../wire/ipv4';
import { buildTcp, TCP_FLAG, type TcpRepr } from '../../wire/tcp';
import type { Errno } from '../errno';
import { ipSendWith } from '../ip-output';
import { ip6Send } from '../ip6-output';
import { ipv6Key } from '../../wire/ipv6-addr';
import type { TcpSeg } from './tcp-input';
import type { NetStack } from '../types';
import { ccFind, type CcAlgo } from './tcp-cc';
import { cubic } from './tcp-cc-cubic';
import { newReno } from './tcp-cc-newreno';
import { TCP_MSS_DEFAULT, TCP_RECVSPACE, TCP_SENDSPACE, TCP_STATE, TCPTV, type TcpConn, type TcpListener, type TcpStack } from './tcp-types';

export function tcpStackOf(stack: NetStack): TcpStack {
  let t = stack.tcp;
  if (t === null) {
    t = {
      conns: new Map(),
      listeners: new Map(),
      issRng: stack.env.rng(`node:${stack.name}:tcp-iss`),
      ccAlgorithm: cubic.name, // FreeBSD 14's default
      sackEnabled: true,
      recvSpace: TCP_RECVSPACE,
      lastConn: null,
      stats: {
        connAttempts: 0,
        accepts: 0,
        connects: 0,
        drops: 0,
        sndTotal: 0,
        sndBytes: 0,
        sndRexmitPack: 0,
        sndRexmitBytes: 0,
        sndAcks: 0,
        rcvTotal: 0,
        rcvBytes: 0,
        rcvDupPack: 0,
        rcvOooPack: 0,
        rcvAfterWin: 0,
        rcvBadSum: 0,
        rexmtTimeouts: 0,
        sndRexmitBad: 0,
        fastRetransmits: 0,
        listenOverflows: 0,
        rstsSent: 0,
      },
    };
    stack.tcp = t;
  }
  return t;
}

/** The IPv4 connection with these endpoints, through the one-entry cache (TcpStack.lastConn). */
export function connLookup4(t: TcpStack, localAddr: number, localPort: number, remoteAddr: number, remotePort: number): TcpConn | undefined {
  const last = t.lastConn;
  if (last !== null && last.localPort === localPort && last.remotePort === remotePort && last.localAddr === localAddr && last.remoteAddr === remoteAddr && last.local6 === null) return last;
  const c = t.conns.get(connKey(localAddr, localPort, remoteAddr, remotePort));
  if (c !== undefined && c.local6 === null) t.lastConn = c;
  return c;
}

export function connKey(localAddr: number, localPort: number, remoteAddr: number, remotePort: number): string {
  return `${localAddr}:${localPort}-${remoteAddr}:${remotePort}`;
}

/** The table key of an IPv6 connection (never equal to an IPv4 one: the addresses are hex with colons). */
export function connKey6(local: Uint8Array, localPort: number, remote: Uint8Array, remotePort: number): string {
  return `${ipv6Key(local)}:${localPort}-${ipv6Key(remote)}:${remotePort}`;
}

/** IPv6 endpoints of a connection or segment; null for IPv4. */
export interface TcpAddrs6 {
  local: Uint8Array;
  remote: Uint8Array;
}

/** The payload of a segment without data (zero bytes: shared, as nothing can write into it). */
export const NO_BYTES = new Uint8Array(0);

/**
 * Hands a TCP segment to IP: ip_output writes it straight into the IPv4 frame (one copy of the
 * data, checksum over the IPv4 pseudo-header); for IPv6 it is built, then ip6_output fills the
 * checksum over the IPv6 pseudo-header (RFC 8200 §8.1).
 */
export function tcpIpOutput(stack: NetStack, src: number, dst: number, six: TcpAddrs6 | null, seg: TcpRepr, dontFragment: boolean): void {
  if (six === null) ipSendWith(stack, { dst, src, proto: IP_PROTO.TCP, payload: NO_BYTES, dontFragment }, null, seg);
  else ip6Send(stack, { dst: six.remote, src: six.local, next: IP_PROTO.TCP, payload: buildTcp(seg, 0, 0), checksumAt: 16 });
}

export function tcpCcAlgo(c: TcpConn): CcAlgo {
  return ccFind(c.ccName) ?? newReno;
}

/** A fresh control block (not yet in the table); the caller sets the state. */
export function tcpNewConn(stack: NetStack, localAddr: number, localPort: number, remoteAddr: number, remotePort: number, mss: number, six: TcpAddrs6 | null = null): TcpConn {
  const t = tcpStackOf(stack);
  const iss = t.issRng.nextU32();
  const c: TcpConn = {
    stack,
    state: TCP_STATE.CLOSED,
    key: six === null ? connKey(localAddr, localPort, remoteAddr, remotePort) : connKey6(six.local, localPort, six.remote, remotePort),
    localAddr,
    localPort,
    remoteAddr,
    remotePort,
    local6: six?.local ?? null,
    remote6: six?.remote ?? null,
    listener: null,
    handlers: {},
    owner: null,
    error: null,
    softError: null,
    iss,
    sndUna: iss,
    sndNxt: iss,
    sndMax: iss,
    sndWnd: 0,
    sndWl1: 0,
    sndWl2: 0,
    sndScale: 0,
    maxSeg: mss,
    ourMss: mss,
    lastOooSeq: 0,
    sndBuf: new Uint8Array(TCP_SENDSPACE),
    sndBufHead: 0,
    sndBufLen: 0,
    sndBufSeq: (iss + 1) >>> 0,
    finQueued: false,
    irs: 0,
    rcvNxt: 0,
    rcvAdv: 0,
    rcvScale: 0,
    rcvBuf: null,
    rcvBufHead: 0,
    rcvBufLen: 0,
    rcvBufMax: t.recvSpace,
    rcvAutoStartNs: -1,
    rcvAutoBytes: 0,
    rcvFin: false,
    appClosed: false,
    reass: [],
    lastAckSent: 0,
    tsOn: false,
    tsRecent: 0,
    tsOffset: t.issRng.nextU32(),
    sackOn: false,
    wsOn: false,
    peerMss: TCP_MSS_DEFAULT,
    srttNs: 0,
    rttvarNs: 0,
    rttUpdated: 0,
    rtoNs: TCPTV.RTOBASE_NS,
    rxtShift: 0,
    rtSeq: 0,
    rtStartNs: -1,
    cwnd: 0,
    rexmitPack: 0,
    ssthresh: 0,
    dupAcks: 0,
    inRecovery: false,
    recover: iss,
    cwndPrev: 0,
    ssthreshPrev: 0,
    recoverPrev: iss,
    wasInRecovery: false,
    prevValid: false,
    badRxtWin: 0,
    cc: { bytesAcked: 0, wMaxBytes: 0, kNs: 0, epochStartNs: -1, flags: 0, minRttNs: 0, meanRttNs: 0, sumRttNs: 0, rttCount: 0, undoWMaxBytes: 0, undoKNs: 0, undoEpochStartNs: -1 },
    sackBlocks: [],
    sackRexmitNxt: iss,
    sackDelta: 0,
    sackNewLoss: false,
    prrDelivered: 0,
    prrOut: 0,
    recoverFs: 0,
    rescueSent: false,
    sndLimited: 0,
    rexmtCause: TX_NOTE.REXMT_RTO,
    ccName: t.ccAlgorithm,
    ackNow: false,
    noDelay: false,
    forceOne: false,
    rexmtAt: 0,
    delackAt: 0,
    persistAt: 0,
    persistShift: 0,
    timeWaitAt: 0,
    keepInitAt: 0,
    armedNs: 0,
    events: 0,
    probe: null,
    tsOptBytes: null,
  };
  tcpCcAlgo(c).init(c);
  return c;
}

/** Removes the connection from the table; pending wakeups find it CLOSED and do nothing. */
export function tcpFree(c: TcpConn): void {
  const prev = c.state;
  c.state = TCP_STATE.CLOSED;
  c.rexmtAt = c.delackAt = c.persistAt = c.timeWaitAt = c.keepInitAt = 0;
  const t = c.stack.tcp;
  if (t !== null && t.conns.get(c.key) === c) t.conns.delete(c.key);
  if (t !== null && t.lastConn === c) t.lastConn = null;
  if (prev === TCP_STATE.SYN_RECEIVED && c.listener !== null) c.listener.synCount--;
  if (c.listener !== null) {
    const q = c.listener.queue;
    const i = q.indexOf(c);
    if (i >= 0) q.splice(i, 1);
  }
  c.listener = null;
  c.reass = [];
  c.rcvBuf = null;
  const h = c.handlers;
  c.handlers = {};
  h.closed?.(c.error);
}

/** Ends a connection with an error (RFC 9293 §3.10.7.4 reset; timeouts): sends RST when synchronized. */
export function tcpDrop(c: TcpConn, errno: Errno | null, sendRst = false): void {
  if (c.state === TCP_STATE.CLOSED) return;
  c.stack.tcp!.stats.drops++;
  if (sendRst) tcpSendRst(c.stack, c.localAddr, c.remoteAddr, c.localPort, c.remotePort, c.sndNxt, c.rcvNxt, true, connAddrs6(c));
  c.error = errno;
  tcpFree(c);
}

/** The IPv6 endpoints of `c`, or null for IPv4. */
export function connAddrs6(c: TcpConn): TcpAddrs6 | null {
  return c.local6 === null || c.remote6 === null ? null : { local: c.local6, remote: c.remote6 };
}

/** A bare RST (or RST+ACK) between the given endpoints (`six`: IPv6 ones, from us to them). */
export function tcpSendRst(stack: NetStack, src: number, dst: number, srcPort: number, dstPort: number, seq: number, ack: number, withAck: boolean, six: TcpAddrs6 | null = null): void {
  const seg: TcpRepr = { srcPort, dstPort, seq: seq >>> 0, ack: withAck ? ack >>> 0 : 0, flags: TCP_FLAG.RST | (withAck ? TCP_FLAG.ACK : 0), window: 0, urgent: 0, payload: NO_BYTES };
  tcpStackOf(stack).stats.rstsSent++;
  tcpIpOutput(stack, src, dst, six, seg, false);
}

/**
 * The reply to a segment no connection takes (RFC 9293 §3.10.7.1): never to a RST; to an
 * ACK, <SEQ=SEG.ACK><RST>; otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN><RST,ACK>.
 */
export function tcpRespondReset(stack: NetStack, seg: TcpSeg): void {
  const { src, dst, srcPort, dstPort, seq, ack, flags } = seg;
  const six = seg.src6 !== null && seg.dst6 !== null ? { local: seg.dst6, remote: seg.src6 } : null;
  if (flags & TCP_FLAG.RST) return;
  if (flags & TCP_FLAG.ACK) return tcpSendRst(stack, dst, src, dstPort, srcPort, ack, 0, false, six);
  const segLen = seg.payload.length + (flags & TCP_FLAG.SYN ? 1 : 0) + (flags & TCP_FLAG.FIN ? 1 : 0);
  tcpSendRst(stack, dst, src, dstPort, srcPort, 0, seq + segLen, true, six);
}

/** Our MSS for a route through an interface of `mtu` bytes (IP + TCP headers, RFC 9293 §3.7.1; IPv6's header is 20 bytes longer). */
export function mssForMtu(mtu: number, ipv6 = false): number {
  return Math.max(mtu - (ipv6 ? 60 : 40), 64);
}

export function listenerOf(stack: NetStack, port: number): TcpListener | undefined {
  return stack.tcp?.listeners.get(port);
}
