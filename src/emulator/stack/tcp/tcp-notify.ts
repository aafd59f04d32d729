// Tells the app what happened to its connection after a segment or a call is processed
// (FreeBSD sorwakeup/sowwakeup/soisconnected): events are collected as bits in the TCB and
// delivered once, so app callbacks never run in the middle of input processing.

import { TCP_EVENT, type TcpConn } from './tcp-types';

export function tcpNotify(c: TcpConn): void {
  const ev = c.events;
  if (ev === 0) return;
  c.events = 0;
  const h = c.handlers;
  if (ev & TCP_EVENT.CONNECTED) h.connected?.();
  if (ev & TCP_EVENT.READABLE) h.readable?.();
  if (ev & TCP_EVENT.WRITABLE) h.writable?.();
}
