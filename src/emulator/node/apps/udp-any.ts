// UDP sockets of either family for the tools that take -4/-6 (nc -u, iperf3 -u): bind and
// send by the peer's address type (a number for IPv4, 16 bytes for IPv6, as TcpAddr).
// Adapter over AppPort only: no protocol logic here.

import type { AppPort, Errno, SendResult } from './port';
import type { TcpAddr } from './tcp-port';

/** A datagram of either family: the sender's address and port, and the payload. */
export interface UdpAnyMessage {
  src: TcpAddr;
  srcPort: number;
  payload: Uint8Array;
  timeNs: number;
}

export type UdpAnySocket = { port: number; close(): void } | { errno: Errno };

/** Binds `port` (0: ephemeral) for datagrams of the family `v6` names. */
export function udpBindAny(app: AppPort, v6: boolean, port: number, listener: (d: UdpAnyMessage) => void): UdpAnySocket {
  if (!v6) return app.udpBind(port, (d) => listener({ src: d.src, srcPort: d.srcPort, payload: d.payload, timeNs: d.timeNs }));
  if (app.udp6Bind === undefined) return { errno: 'EAFNOSUPPORT' };
  return app.udp6Bind(port, (d) => listener({ src: d.src, srcPort: d.srcPort, payload: d.payload, timeNs: d.timeNs }));
}

export function udpSendAny(app: AppPort, req: { dst: TcpAddr; dstPort: number; srcPort: number; payload: Uint8Array }): SendResult {
  const dst = req.dst;
  if (typeof dst === 'number') return app.udpSend({ dst, dstPort: req.dstPort, srcPort: req.srcPort, payload: req.payload });
  if (app.udp6Send === undefined) return { ok: false, errno: 'EAFNOSUPPORT' };
  return app.udp6Send({ dst, dstPort: req.dstPort, srcPort: req.srcPort, payload: req.payload });
}

/** The same address (IPv4 numbers, IPv6 bytes). */
export function sameAddr(a: TcpAddr, b: TcpAddr): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
