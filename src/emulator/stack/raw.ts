// Raw IP sockets (SOCK_RAW with a protocol number): a program receives every datagram for
// us carrying that protocol (header included) and sends payloads under a header the stack
// writes. What ospfd uses for IP protocol 89. RFC 2328 §8.1 (OSPF runs directly over IP).

import { ipSendWith } from './ip-output';
import type { SendResult } from './errno';
import { stackPrograms } from './programs';
import type { Iface, NetStack } from './types';

export interface RawDelivery {
  src: number;
  dst: number;
  ttl: number;
  /** The IP payload (after the header). */
  payload: Uint8Array;
  ifIndex: number;
}

export type RawListener = (d: RawDelivery) => void;

/** Binds protocol `proto` to `listener`; returns the close function, or null when already bound. */
export function rawBind(stack: NetStack, proto: number, listener: RawListener): (() => void) | null {
  const p = stackPrograms(stack);
  const map = (p.raw ??= new Map());
  if (map.has(proto)) return null;
  map.set(proto, listener);
  return () => {
    if (map.get(proto) === listener) map.delete(proto);
  };
}

export interface RawSendOptions {
  dst: number;
  proto: number;
  payload: Uint8Array;
  ttl?: number;
  tos?: number;
  src?: number;
  multicastIf?: number;
}

export function rawSend(stack: NetStack, o: RawSendOptions): SendResult {
  return ipSendWith(stack, { dst: o.dst, proto: o.proto, payload: o.payload, ttl: o.ttl, tos: o.tos, src: o.src, multicastIf: o.multicastIf }, null);
}

/** Delivers a datagram for us to the bound program; false when no program has the protocol. */
export function rawInput(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, hl: number, total: number): boolean {
  const listener = stack.programs?.raw?.get(buf[ipOff + 9]);
  if (listener === undefined) return false;
  const rd = (o: number) => ((buf[o] << 24) | (buf[o + 1] << 16) | (buf[o + 2] << 8) | buf[o + 3]) >>> 0;
  listener({ src: rd(ipOff + 12), dst: rd(ipOff + 16), ttl: buf[ipOff + 8], payload: buf.slice(ipOff + hl, ipOff + total), ifIndex: iface.index });
  return true;
}
