// A bpf(4)-like link level for UDP: a program writes one whole UDP/IPv4 frame on a named
// interface, bypassing routing and source-address checks, as dhclient and dhcpd do on
// FreeBSD before an interface has an address (source 0.0.0.0, destination
// 255.255.255.255, or a client's MAC and offered address); and reads UDP datagrams sent to
// its MAC for an address the interface does not have yet (the server's unicast OFFER).
// Like bpf, it does not pass the firewall. Headers come from wire/; RFC 2131 §4.1.

import { MAC_BROADCAST, writeMac, type Ipv4Addr, type MacAddr } from '../wire/addr';
import { emitIpv4, IP_PROTO, IPV4_MIN_HEADER_LEN } from '../wire/ipv4';
import { emitUdp, UDP_HEADER_LEN } from '../wire/udp';
import { sendError, SEND_OK, type SendResult } from './errno';
import { nextIpId } from './ip-output';
import { allocIpv4Frame, transmitFrame } from './link-output';
import { stackPrograms } from './programs';
import type { Iface, NetStack, UdpListener } from './types';
import { UdpView } from '../wire/udp';

export interface BpfUdpFrame {
  ifIndex: number;
  /** Destination MAC (default: broadcast). */
  dstMac?: MacAddr;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  srcPort: number;
  dstPort: number;
  ttl: number;
  payload: Uint8Array;
}

/** Writes the frame on the interface's link; ENETDOWN when it is down or unplugged. */
export function bpfSendUdp(stack: NetStack, f: BpfUdpFrame): SendResult {
  const iface = stack.ifaces[f.ifIndex];
  if (iface === undefined || iface.loopback) return sendError('ENXIO');
  if (!iface.up || !iface.carrier) {
    iface.counters.errors++;
    return sendError('ENETDOWN');
  }
  const payloadLen = UDP_HEADER_LEN + f.payload.length;
  const totalLen = IPV4_MIN_HEADER_LEN + payloadLen;
  if (totalLen > iface.mtu) return sendError('EMSGSIZE');
  const frame = allocIpv4Frame(stack, iface, totalLen);
  writeMac(frame, 0, f.dstMac ?? MAC_BROADCAST);
  emitIpv4({ src: f.src, dst: f.dst, proto: IP_PROTO.UDP, ttl: f.ttl, tos: 0, id: nextIpId(stack), dontFragment: false, moreFragments: false, fragOffset: 0, payloadLen }, frame, 14);
  emitUdp({ srcPort: f.srcPort, dstPort: f.dstPort, payload: f.payload }, frame, 14 + IPV4_MIN_HEADER_LEN, f.src, f.dst);
  stack.stats.ipSent++;
  stack.stats.udpSent++;
  transmitFrame(stack, iface, frame, -1);
  return SEND_OK;
}

/** Reads UDP datagrams to `port` arriving on `ifIndex` for an address that is not ours; returns the close function. */
export function bpfUdpListen(stack: NetStack, ifIndex: number, port: number, listener: UdpListener): () => void {
  const map = (stackPrograms(stack).bpf ??= new Map());
  const key = ifIndex * 65536 + port;
  map.set(key, listener);
  return () => {
    if (map.get(key) === listener) map.delete(key);
  };
}

/**
 * A datagram not addressed to us (ip-input's not-ours path of a node that does not
 * forward): true when a bpf reader took it. The IP header was validated by the caller.
 */
export function bpfUdpInput(stack: NetStack, iface: Iface, frame: Uint8Array, ipOff: number): boolean {
  const map = stack.programs?.bpf;
  if (map === undefined || map.size === 0 || frame[ipOff + 9] !== IP_PROTO.UDP) return false;
  const hl = (frame[ipOff] & 0x0f) << 2;
  const total = (frame[ipOff + 2] << 8) | frame[ipOff + 3];
  const off = ipOff + hl;
  if (((frame[ipOff + 6] & 0x3f) | frame[ipOff + 7]) !== 0 || !UdpView.check(frame, off, total - hl)) return false;
  const u = new UdpView(frame, off);
  const listener = map.get(iface.index * 65536 + u.dstPort);
  if (listener === undefined) return false;
  const rd = (o: number) => ((frame[o] << 24) | (frame[o + 1] << 16) | (frame[o + 2] << 8) | frame[o + 3]) >>> 0;
  const src = rd(ipOff + 12);
  const dst = rd(ipOff + 16);
  if (!u.checksumValid(src, dst)) return false;
  listener({ src, dst, srcPort: u.srcPort, dstPort: u.dstPort, ttl: frame[ipOff + 8], payload: frame.slice(u.payloadOffset, off + u.length), timeNs: stack.env.sim.now(), ifIndex: iface.index });
  return true;
}
