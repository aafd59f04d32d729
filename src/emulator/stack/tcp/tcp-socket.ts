// The socket calls apps use (FreeBSD tcp_usrreq.c): listen/accept, connect, send with a
// bounded send buffer (backpressure: a short count, then `writable`), recv, shutdown,
// close and abort, and the table rows netstat/sockstat print. Must not parse segments.
// RFC 9293 §3.10.1-3.10.6 (user calls).

import type { Errno } from '../errno';
import { sourceAddressFor } from '../ip-output';
import { routeFind } from '../route';
import type { NetStack } from '../types';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST } from '../udp';
import { sndBufAutosize } from './tcp-autosize';
import { tcpNotify } from './tcp-notify';
import { rcvWindow, tcpOutput } from './tcp-output';
import { rcvTake, rcvTakeInto } from './tcp-reass';
import { connKey, connKey6, mssForMtu, tcpDrop, tcpNewConn, tcpStackOf } from './tcp-subr';
import { in6SelectSource } from '../ip6-output';
import { route6Find } from '../route6';
import { isIpv6Multicast, isIpv6Unspecified } from '../../wire/ipv6-addr';
import { setKeepInit, setTimeWait } from './tcp-timers';
import { TCP_SOMAXCONN, TCP_STATE, type SocketOwner, type TcpConn, type TcpHandlers, type TcpListener, type TcpState } from './tcp-types';

export function tcpListen(stack: NetStack, port: number, backlog: number, onAcceptable: (() => void) | null): TcpListener | { errno: Errno } {
  if (!(Number.isInteger(port) && port > 0 && port <= 0xffff)) return { errno: 'EINVAL' };
  const t = tcpStackOf(stack);
  if (t.listeners.has(port)) return { errno: 'EADDRINUSE' };
  // listen(2): a backlog outside 1..somaxconn is clamped to somaxconn.
  const b = backlog > 0 && backlog <= TCP_SOMAXCONN ? Math.floor(backlog) : TCP_SOMAXCONN;
  const l: TcpListener = { stack, port, backlog: b, synCount: 0, queue: [], onAcceptable, owner: null };
  t.listeners.set(port, l);
  return l;
}

/** The next established connection, or null when none is waiting. */
export function tcpAccept(l: TcpListener, handlers: TcpHandlers = {}): TcpConn | null {
  const c = l.queue.shift();
  if (c === undefined) return null;
  c.listener = null;
  c.handlers = handlers;
  return c;
}

/** Stops listening; connections not yet accepted are reset. */
export function tcpListenClose(l: TcpListener): void {
  const t = l.stack.tcp;
  if (t === null || t.listeners.get(l.port) !== l) return;
  t.listeners.delete(l.port);
  for (const c of [...l.queue]) tcpDrop(c, 'ECONNRESET', true);
  for (const c of [...t.conns.values()]) if (c.listener === l) tcpDrop(c, 'ECONNRESET', true);
  l.onAcceptable = null;
}

/** Active open (RFC 9293 §3.10.1): sends the SYN now; `handlers.connected` follows. */
export function tcpConnect(stack: NetStack, dst: number, dstPort: number, handlers: TcpHandlers, srcPort = 0, srcAddr = 0): TcpConn | { errno: Errno } {
  if (!(Number.isInteger(dstPort) && dstPort > 0 && dstPort <= 0xffff)) return { errno: 'EINVAL' };
  // bind(2) to one of our addresses before connect(2) (BGP's update-source), else the route's.
  if (srcAddr !== 0 && !stack.local.has(srcAddr >>> 0)) return { errno: 'EADDRNOTAVAIL' };
  const src = srcAddr !== 0 ? srcAddr >>> 0 : sourceAddressFor(stack, dst);
  if (src === 0) return { errno: 'ENETUNREACH' };
  const t = tcpStackOf(stack);
  const port = srcPort !== 0 ? srcPort : ephemeralPort(stack, src, dst >>> 0, dstPort);
  if (port === 0) return { errno: 'EADDRINUSE' };
  const key = connKey(src, port, dst >>> 0, dstPort);
  if (t.conns.has(key)) return { errno: 'EADDRINUSE' };
  const route = routeFind(stack, dst >>> 0);
  const mtu = route === null ? 1500 : stack.ifaces[route.ifIndex].mtu;
  const c = tcpNewConn(stack, src, port, dst >>> 0, dstPort, mssForMtu(mtu));
  c.handlers = handlers;
  c.state = TCP_STATE.SYN_SENT;
  t.conns.set(key, c);
  t.stats.connAttempts++;
  setKeepInit(c);
  tcpOutput(c);
  return c;
}

/** Active open over IPv6 (RFC 9293 §3.10.1 with RFC 8200 §8.1): the source from RFC 6724 selection, the MSS from the route's MTU less 60. */
export function tcpConnect6(stack: NetStack, dst: Uint8Array, dstPort: number, handlers: TcpHandlers): TcpConn | { errno: Errno } {
  if (!(Number.isInteger(dstPort) && dstPort > 0 && dstPort <= 0xffff)) return { errno: 'EINVAL' };
  if (isIpv6Unspecified(dst) || isIpv6Multicast(dst)) return { errno: 'EINVAL' };
  const route = route6Find(stack, dst, 0, -1);
  if (route === null) return { errno: 'EHOSTUNREACH' };
  const src = in6SelectSource(stack, dst, route.ifIndex);
  if (src === null) return { errno: 'EADDRNOTAVAIL' };
  const t = tcpStackOf(stack);
  const port = ephemeralPort(stack, 0, 0, dstPort, (p) => connKey6(src, p, dst, dstPort));
  if (port === 0) return { errno: 'EADDRINUSE' };
  const c = tcpNewConn(stack, 0, port, 0, dstPort, mssForMtu(stack.ifaces[route.ifIndex].mtu, true), { local: src, remote: Uint8Array.from(dst) });
  c.handlers = handlers;
  c.state = TCP_STATE.SYN_SENT;
  t.conns.set(c.key, c);
  t.stats.connAttempts++;
  setKeepInit(c);
  tcpOutput(c);
  return c;
}

function ephemeralPort(stack: NetStack, src: number, dst: number, dstPort: number, key = (p: number) => connKey(src, p, dst, dstPort)): number {
  const t = tcpStackOf(stack);
  const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
  for (let i = 0; i < span; i++) {
    const cand = EPHEMERAL_FIRST + ((stack.nextEphemeral - EPHEMERAL_FIRST + i) % span);
    if (t.listeners.has(cand) || t.conns.has(key(cand))) continue;
    stack.nextEphemeral = cand === EPHEMERAL_LAST ? EPHEMERAL_FIRST : cand + 1;
    return cand;
  }
  return 0;
}

function canSend(s: TcpState): boolean {
  return s === TCP_STATE.ESTABLISHED || s === TCP_STATE.CLOSE_WAIT || s === TCP_STATE.SYN_SENT || s === TCP_STATE.SYN_RECEIVED;
}

/**
 * Queues as much of `data` as the send buffer holds and returns that count (0 when it is
 * full: wait for `writable`). EPIPE after shutdown or reset, ENOTCONN when closed.
 */
export function tcpSend(c: TcpConn, data: Uint8Array): number | { errno: Errno } {
  if (c.finQueued || c.state === TCP_STATE.CLOSED) return { errno: c.error ?? 'EPIPE' };
  if (!canSend(c.state)) return { errno: 'ENOTCONN' };
  if (data.length > c.sndBuf.length - c.sndBufLen) sndBufAutosize(c);
  const buf = c.sndBuf;
  const cap = buf.length;
  const n = Math.min(data.length, cap - c.sndBufLen);
  const tail = (c.sndBufHead + c.sndBufLen) % cap;
  const first = Math.min(n, cap - tail);
  if (first === data.length) buf.set(data, tail);
  else {
    buf.set(data.subarray(0, first), tail);
    if (first < n) buf.set(data.subarray(first, n), 0);
  }
  c.sndBufLen += n;
  if (n > 0) tcpOutput(c);
  tcpNotify(c);
  return n;
}

export function tcpSendSpace(c: TcpConn): number {
  return c.sndBuf.length - c.sndBufLen;
}

/** Up to `max` received bytes; an empty array when none yet; null at end of stream (FIN read). */
export function tcpRecv(c: TcpConn, max = 65536): Uint8Array | null {
  if (c.rcvBufLen === 0) return c.rcvFin || c.state === TCP_STATE.CLOSED ? null : new Uint8Array(0);
  const before = rcvWindow(c);
  const out = rcvTake(c, max);
  afterRead(c, before);
  return out;
}

/**
 * recv(2) into the caller's buffer: up to `into.length` received bytes copied there, their
 * count (0 when none yet), or null at end of stream (FIN read). No allocation: for readers
 * that count or reuse one buffer (iperf3, the bench).
 */
export function tcpRecvInto(c: TcpConn, into: Uint8Array): number | null {
  if (c.rcvBufLen === 0) return c.rcvFin || c.state === TCP_STATE.CLOSED ? null : 0;
  const before = rcvWindow(c);
  const n = rcvTakeInto(c, into);
  afterRead(c, before);
  return n;
}

/** Reading opened the window: the output routine decides whether an update is worth sending. */
function afterRead(c: TcpConn, windowBefore: number): void {
  if (c.state !== TCP_STATE.CLOSED && windowBefore < c.rcvBufMax) tcpOutput(c);
}

export function tcpReadable(c: TcpConn): number {
  return c.rcvBufLen;
}

/** Half-close (RFC 9293 §3.10.4): a FIN follows the data already queued. */
export function tcpShutdown(c: TcpConn): void {
  if (c.finQueued) return;
  switch (c.state) {
    case TCP_STATE.SYN_SENT:
      tcpDrop(c, null);
      return;
    case TCP_STATE.SYN_RECEIVED:
    case TCP_STATE.ESTABLISHED:
      c.finQueued = true;
      c.state = TCP_STATE.FIN_WAIT_1;
      break;
    case TCP_STATE.CLOSE_WAIT:
      c.finQueued = true;
      c.state = TCP_STATE.LAST_ACK;
      break;
    default:
      return;
  }
  tcpOutput(c);
}

/** close(2): shutdown, and no more reads; unread data makes it an abort (RFC 2525 §2.17). */
export function tcpClose(c: TcpConn): void {
  c.handlers = {};
  if (c.rcvBufLen > 0 && c.state !== TCP_STATE.CLOSED) return tcpAbort(c);
  c.appClosed = true;
  if (c.state === TCP_STATE.FIN_WAIT_2) setTimeWait(c); // already half-closed: the FIN_WAIT_2 timeout starts now
  tcpShutdown(c);
}

/** Reset the connection now (RFC 9293 §3.10.5 ABORT). */
export function tcpAbort(c: TcpConn): void {
  c.handlers = {};
  const synced = c.state !== TCP_STATE.SYN_SENT && c.state !== TCP_STATE.CLOSED && c.state !== TCP_STATE.TIME_WAIT;
  tcpDrop(c, null, synced);
}

export function tcpSetNoDelay(c: TcpConn, on: boolean): void {
  c.noDelay = on;
}

export interface TcpSocketRow {
  /** `tcp46`: a listener, which takes IPv4 and IPv6 alike once the stack has IPv6. */
  proto: 'tcp4' | 'tcp6' | 'tcp46';
  localAddr: number;
  localPort: number;
  remoteAddr: number;
  remotePort: number;
  /** IPv6 endpoints of a tcp6 row. */
  local6?: Uint8Array;
  remote6?: Uint8Array;
  state: TcpState;
  recvQ: number;
  sendQ: number;
  owner: SocketOwner | null;
}

/** Listeners then connections, for netstat -an and sockstat -4. */
export function tcpSocketList(stack: NetStack): TcpSocketRow[] {
  const t = stack.tcp;
  if (t === null) return [];
  const rows: TcpSocketRow[] = [];
  const listenProto = stack.inet6 === null ? 'tcp4' : 'tcp46';
  for (const l of t.listeners.values()) rows.push({ proto: listenProto, localAddr: 0, localPort: l.port, remoteAddr: 0, remotePort: 0, state: TCP_STATE.LISTEN, recvQ: l.queue.length, sendQ: 0, owner: l.owner });
  for (const c of t.conns.values()) {
    const six = c.local6 !== null && c.remote6 !== null ? { local6: c.local6, remote6: c.remote6 } : {};
    rows.push({ proto: c.local6 === null ? 'tcp4' : 'tcp6', localAddr: c.localAddr, localPort: c.localPort, remoteAddr: c.remoteAddr, remotePort: c.remotePort, state: c.state, recvQ: c.rcvBufLen, sendQ: c.sndBufLen, owner: c.owner, ...six });
  }
  return rows;
}
