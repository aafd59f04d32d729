// UDP of one stack: port bindings (ephemeral 49152–65535), send with the pseudo-header
// checksum, input with checksum verification and ICMP port unreachable when nobody listens
// (recorded as answered, not dropped, for traceroute's probes).
// Must not build headers by hand (wire/udp.ts does). RFC 768, RFC 1122 §4.1.3, RFC 6335 §6.

import { ICMP_TYPE, ICMP_UNREACH } from '../wire/icmp';
import { IP_PROTO } from '../wire/ipv4';
import { UdpView } from '../wire/udp';
import { ANSWERED, DROP } from './env';
import type { Errno, SendResult } from './errno';
import { icmpSendError } from './icmp';
import { ipSendWith } from './ip-output';
import { traceAnswered, traceDrop } from './link-output';
import type { Iface, NetStack, UdpListener } from './types';
import { explainDeliver } from './explain';

/** traceroute(8)'s default base port (IANA "traceroute", 33434); probe k goes to base + k. */
export const TRACEROUTE_BASE_PORT = 33434;
/** Ports a default traceroute reaches: up to 255 hops × 3 probes above the base. */
const TRACEROUTE_PORT_SPAN = 255 * 3;

/** A UDP destination port in the range traceroute probes use by default (FreeBSD, Linux). */
export function isTracerouteProbe(dstPort: number): boolean {
  return dstPort >= TRACEROUTE_BASE_PORT && dstPort <= TRACEROUTE_BASE_PORT + TRACEROUTE_PORT_SPAN;
}

export const EPHEMERAL_FIRST = 49152;
export const EPHEMERAL_LAST = 65535;

export interface UdpSocket {
  port: number;
  close(): void;
}

/** Binds `port` (0 = the next free ephemeral port) to `listener`. */
export function udpBind(stack: NetStack, port: number, listener: UdpListener): UdpSocket | { errno: Errno } {
  let map = stack.udp;
  if (map === null) {
    map = new Map();
    stack.udp = map;
  }
  let p = port;
  if (p === 0) {
    const span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < span && p === 0; i++) {
      const cand = EPHEMERAL_FIRST + ((stack.nextEphemeral - EPHEMERAL_FIRST + i) % span);
      if (!map.has(cand)) p = cand;
    }
    if (p === 0) return { errno: 'EADDRINUSE' };
    stack.nextEphemeral = p === EPHEMERAL_LAST ? EPHEMERAL_FIRST : p + 1;
  } else if (!(Number.isInteger(p) && p > 0 && p <= 0xffff)) {
    return { errno: 'EINVAL' };
  } else if (map.has(p)) {
    return { errno: 'EADDRINUSE' };
  }
  const bound = p;
  const sockets = map;
  sockets.set(bound, listener);
  return {
    port: bound,
    close: () => {
      if (sockets.get(bound) === listener) sockets.delete(bound);
    },
  };
}

export interface UdpSendOptions {
  dst: number;
  dstPort: number;
  srcPort: number;
  payload: Uint8Array;
  ttl?: number;
  src?: number;
  dontFragment?: boolean;
  /** IP_MULTICAST_IF for a datagram to a group. */
  multicastIf?: number;
}

export function udpSend(stack: NetStack, opts: UdpSendOptions): SendResult {
  // The UDP header is written by ipSendWith once the source address is chosen; it also
  // refuses a datagram over 65535 bytes (EMSGSIZE).
  const r = ipSendWith(stack, { dst: opts.dst, proto: IP_PROTO.UDP, payload: opts.payload, ttl: opts.ttl, src: opts.src, dontFragment: opts.dontFragment, multicastIf: opts.multicastIf }, opts);
  if (r.ok) stack.stats.udpSent++;
  return r;
}

/** UDP datagram for us at `ipOff` + `hl` in `buf`. */
export function udpInput(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, hl: number, total: number, broadcast: boolean): void {
  const off = ipOff + hl;
  const len = total - hl;
  if (!UdpView.check(buf, off, len)) {
    traceDrop(stack, iface.index, buf, DROP.MALFORMED);
    return;
  }
  const v = new UdpView(buf, off);
  const src = ((buf[ipOff + 12] << 24) | (buf[ipOff + 13] << 16) | (buf[ipOff + 14] << 8) | buf[ipOff + 15]) >>> 0;
  const dst = ((buf[ipOff + 16] << 24) | (buf[ipOff + 17] << 16) | (buf[ipOff + 18] << 8) | buf[ipOff + 19]) >>> 0;
  if (!v.checksumValid(src, dst)) {
    traceDrop(stack, iface.index, buf, DROP.BAD_CHECKSUM);
    return;
  }
  stack.stats.udpReceived++;
  const dstPort = v.dstPort;
  const listener = stack.udp === null ? undefined : stack.udp.get(dstPort);
  if (stack.explain !== null) explainDeliver(stack, stack.explain, 'udp', listener === undefined ? null : `udp *:${dstPort}`, broadcast ? 'no socket on that port (a broadcast: no error sent)' : 'no socket on that port');
  if (listener === undefined) {
    // RFC 1122 §4.1.3.1: port unreachable, unless the datagram was a broadcast.
    const answered = !broadcast && icmpSendError(stack, buf, ipOff, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.PORT, 0, iface.index);
    // A traceroute probe is meant to hit a closed port: answered, it is not a drop.
    if (answered && isTracerouteProbe(dstPort)) traceAnswered(stack, iface.index, buf, ANSWERED.TRACEROUTE_PROBE);
    else traceDrop(stack, iface.index, buf, DROP.NO_LISTENER);
    return;
  }
  listener({
    src,
    dst,
    srcPort: v.srcPort,
    dstPort,
    ttl: buf[ipOff + 8],
    payload: buf.slice(v.payloadOffset, off + v.length),
    timeNs: stack.env.sim.now(),
    ifIndex: iface.index,
  });
}
