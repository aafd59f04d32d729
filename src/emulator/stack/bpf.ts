// A bpf(4)-like link-level send: a program writes one whole UDP/IPv4 frame on a named
// interface, bypassing routing and source-address checks, as dhclient and dhcpd do on
// FreeBSD before an interface has an address (source 0.0.0.0, destination
// 255.255.255.255, or a client's MAC and offered address). Like bpf writes, it does not
// pass the firewall. Headers come from wire/; RFC 2131 §4.1 (why the link level is needed).

import { MAC_BROADCAST, writeMac, type Ipv4Addr, type MacAddr } from '../wire/addr';
import { emitIpv4, IP_PROTO, IPV4_MIN_HEADER_LEN } from '../wire/ipv4';
import { emitUdp, UDP_HEADER_LEN } from '../wire/udp';
import { sendError, SEND_OK, type SendResult } from './errno';
import { nextIpId } from './ip-output';
import { allocIpv4Frame, transmitFrame } from './link-output';
import type { NetStack } from './types';

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
  const frame = allocIpv4Frame(iface, totalLen);
  writeMac(frame, 0, f.dstMac ?? MAC_BROADCAST);
  emitIpv4({ src: f.src, dst: f.dst, proto: IP_PROTO.UDP, ttl: f.ttl, tos: 0, id: nextIpId(stack), dontFragment: false, moreFragments: false, fragOffset: 0, payloadLen }, frame, 14);
  emitUdp({ srcPort: f.srcPort, dstPort: f.dstPort, payload: f.payload }, frame, 14 + IPV4_MIN_HEADER_LEN, f.src, f.dst);
  stack.stats.ipSent++;
  stack.stats.udpSent++;
  transmitFrame(stack, iface, frame, -1);
  return SEND_OK;
}
