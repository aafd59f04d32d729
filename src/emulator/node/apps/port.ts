// The narrow view of a node's stack that user-space apps (ping, traceroute) use: the
// scheduler, ICMP delivery, raw IPv4 send and UDP sockets. Apps talk only to this port,
// so they can be driven by a real NetStack or by a scripted fake in unit tests.
// Must not reach into stack internals; errnos are the stack's FreeBSD names.

import type { Timers } from '../proc-gate';
import type { Errno, SendResult } from '../../stack/errno';
import type { IcmpDelivery, UdpDelivery } from '../../stack/types';

export type { Errno, SendResult } from '../../stack/errno';
export { errnoText } from '../../stack/errno';

/**
 * One ICMP message delivered to the node. For an error, `payload` holds the quoted bytes
 * and `quoted` the stack's parse of them (protocol, addresses, ports or echo id).
 */
export type IcmpMessage = Pick<IcmpDelivery, 'src' | 'dst' | 'ttl' | 'type' | 'code' | 'ident' | 'seq' | 'nextHopMtu' | 'payload' | 'quoted' | 'timeNs'>;
export type UdpMessage = Pick<UdpDelivery, 'src' | 'srcPort' | 'dstPort' | 'payload' | 'timeNs'>;

/** A UDP datagram over IPv6 as an app sees it. */
export interface Udp6Message {
  src: Uint8Array;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  timeNs: number;
}

export interface AppPort {
  /** Timers (the scheduler, or a stoppable program's gate over it). */
  readonly sim: Timers;
  icmpOpen(listener: (m: IcmpMessage) => void): () => void;
  ipSend(req: { dst: number; proto: number; payload: Uint8Array; ttl?: number; tos?: number; dontFragment?: boolean }): SendResult;
  udpBind(port: number, listener: (d: UdpMessage) => void): { port: number; close(): void } | { errno: Errno };
  udpSend(req: { dst: number; dstPort: number; srcPort: number; payload: Uint8Array; ttl?: number }): SendResult;
  /** UDP over IPv6 (RFC 8200 §8.1); absent where the port has none (scripted fakes). */
  udp6Bind?(port: number, listener: (d: Udp6Message) => void): { port: number; close(): void } | { errno: Errno };
  udp6Send?(req: { dst: Uint8Array; dstPort: number; srcPort: number; payload: Uint8Array }): SendResult;
}
