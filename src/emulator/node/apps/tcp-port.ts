// The socket view of a node's TCP that apps (nc, and later httpd, fetch, iperf3) use:
// listen/accept, connect, send/recv with backpressure, shutdown/close. Apps hold opaque
// handles and talk only to this port, so a fake can stand in for the stack in unit tests.
// Adapter only: no protocol logic here.

import type { Errno } from '../../stack/errno';
import type { NetStack } from '../../stack/types';
import { formatIpv4 } from '../../wire/addr';
import type { ProcGate } from '../proc-gate';
import { formatIpv6 } from '../../wire/ipv6-addr';
import {
  tcpAbort,
  tcpAccept,
  tcpClose,
  tcpConnect,
  tcpConnect6,
  tcpListen,
  tcpListenClose,
  tcpRecv,
  tcpRecvInto,
  tcpSend,
  tcpSetNoDelay,
  tcpShutdown,
  type SocketOwner,
  type TcpConn,
  type TcpHandlers,
  type TcpListener,
} from '../../stack/tcp';

export type { TcpHandlers } from '../../stack/tcp';

/** Opaque handles: apps pass them back to the port and read nothing inside. */
export type TcpSocketHandle = TcpConn;
export type TcpListenHandle = TcpListener;

/** A TCP endpoint address: an IPv4 address as a number, an IPv6 one as 16 bytes. */
export type TcpAddr = number | Uint8Array;

/** `10.0.0.20` or `fc00::20`, as the tools print an address. */
export function formatTcpAddr(a: TcpAddr): string {
  return typeof a === 'number' ? formatIpv4(a) : formatIpv6(a);
}

export interface TcpPort {
  listen(port: number, backlog: number, onAcceptable: () => void): TcpListenHandle | { errno: Errno };
  accept(l: TcpListenHandle, handlers: TcpHandlers): TcpSocketHandle | null;
  unlisten(l: TcpListenHandle): void;
  /** `src`: an IPv4 address of ours to connect from (bind before connect); 0 or absent: the route's. */
  connect(dst: TcpAddr, port: number, handlers: TcpHandlers, src?: number): TcpSocketHandle | { errno: Errno };
  /** Bytes taken (0 = buffer full: wait for `writable`). */
  send(s: TcpSocketHandle, data: Uint8Array): number | { errno: Errno };
  /** Bytes received; empty when none yet; null at end of stream. */
  recv(s: TcpSocketHandle, max?: number): Uint8Array | null;
  /** recv(2) into `into`: bytes copied (0 when none yet), null at end of stream. */
  recvInto(s: TcpSocketHandle, into: Uint8Array): number | null;
  shutdown(s: TcpSocketHandle): void;
  close(s: TcpSocketHandle): void;
  abort(s: TcpSocketHandle): void;
  peer(s: TcpSocketHandle): { addr: TcpAddr; port: number; localPort: number };
  /** tcp_info for iperf3: local address, congestion window and retransmitted segments so far. */
  info?(s: TcpSocketHandle): { localAddr: TcpAddr; cwnd: number; rexmits: number };
  /** TCP_NODELAY: small writes go at once (no Nagle). */
  noDelay?(s: TcpSocketHandle, on: boolean): void;
}

/** The program a port opens its sockets for (node/procs.ts's Proc): each socket gets its next descriptor. */
export interface SocketHolder {
  readonly pid: number;
  readonly name: string;
  nextFd: number;
}

/**
 * The stack's TCP as a port. With `holder`, every socket it opens or accepts is that
 * program's (sockstat lists it with its PID and descriptor) until it is closed. With `gate`,
 * the program's socket notifications pass through it: while it is stopped nobody reads, so
 * the receive buffer fills and the window closes, as for a stopped process.
 */
export function stackTcpPort(stack: NetStack, holder: SocketHolder | null = null, gate: ProcGate | null = null): TcpPort {
  const via = (h: TcpHandlers): TcpHandlers => (gate === null ? h : gatedHandlers(gate, h));
  return {
    listen: (port, backlog, onAcceptable) => own(holder, tcpListen(stack, port, backlog, gate === null ? onAcceptable : gate.wrap(onAcceptable, true))),
    accept: (l, handlers) => {
      const c = tcpAccept(l, via(handlers));
      return c === null ? null : own(holder, c);
    },
    unlisten: (l) => {
      l.owner = null;
      tcpListenClose(l);
    },
    connect: (dst, port, handlers, src = 0) => own(holder, typeof dst === 'number' ? tcpConnect(stack, dst, port, via(handlers), 0, src) : tcpConnect6(stack, dst, port, via(handlers))),
    send: (s, data) => tcpSend(s, data),
    recv: (s, max) => tcpRecv(s, max),
    recvInto: (s, into) => tcpRecvInto(s, into),
    shutdown: (s) => tcpShutdown(s),
    close: (s) => {
      s.owner = null;
      tcpClose(s);
    },
    abort: (s) => {
      s.owner = null;
      tcpAbort(s);
    },
    peer: (s) => ({ addr: s.remote6 ?? s.remoteAddr, port: s.remotePort, localPort: s.localPort }),
    noDelay: (s, on) => tcpSetNoDelay(s, on),
    info: (s) => ({ localAddr: s.local6 ?? s.localAddr, cwnd: s.cwnd, rexmits: s.rexmitPack }),
  };
}

/**
 * Each notification held once while the program is stopped (it reads all there is when it
 * runs). The app's handler is looked up when the notification runs: apps may change them.
 */
function gatedHandlers(gate: ProcGate, h: TcpHandlers): TcpHandlers {
  return {
    connected: gate.wrap(() => h.connected?.(), true),
    readable: gate.wrap(() => h.readable?.(), true),
    writable: gate.wrap(() => h.writable?.(), true),
    closed: gate.wrap((errno: Errno | null) => h.closed?.(errno), true),
  };
}

/** A socket just opened (or an error) becomes `holder`'s, under its next descriptor. */
function own<T extends { owner: SocketOwner | null } | { errno: Errno }>(holder: SocketHolder | null, x: T): T {
  if (holder !== null && !('errno' in x)) x.owner = { proc: holder, fd: holder.nextFd++ };
  return x;
}
