// IPv4 output of locally originated datagrams: route lookup, source address selection,
// header emission with per-stack ids, fragmentation to the interface MTU, loopback of
// datagrams for our own addresses, broadcast, and FreeBSD errnos for every failure.
// Must not forward (ip-forward.ts). RFC 791 §3.2, RFC 1122 §3.3.1, §3.3.4.2 (source choice).

import { fragmentIpv4 } from '../wire/fragment';
import { emitIpv4, IPV4_DEFAULT_TTL, IPV4_MIN_HEADER_LEN } from '../wire/ipv4';
import { emitUdp, UDP_HEADER_LEN, type UdpRepr } from '../wire/udp';
import { emitTcp, tcpLen, type TcpRepr } from '../wire/tcp';
import { arpOutput } from './arp';
import { sendError, SEND_OK, type SendResult } from './errno';
import { ipLocalInput } from './ip-input';
import { allocIpv4Frame, transmitFrame } from './link-output';
import { explainRoute } from './explain';
import { pfilIn, pfilLocalOut } from './pfil';
import { maskOf, routeFind, ifaceUsable } from './route';
import { isMulticast, writeMcastMac } from './mcast';
import type { Iface, NetStack, Route } from './types';

export interface IpSendOptions {
  dst: number;
  proto: number;
  /** Transport header + data (the IPv4 header is added here). */
  payload: Uint8Array;
  ttl?: number;
  /** Source address; must be one of ours. Default: chosen from the outgoing interface. */
  src?: number;
  dontFragment?: boolean;
  tos?: number;
  /** IP_MULTICAST_IF: the interface a datagram to a multicast group leaves on (required for groups). */
  multicastIf?: number;
  /**
   * Built by the firewall itself (ipfw `reset`'s RST, FreeBSD M_SKIP_FIREWALL): `src` may be
   * any address (the one the refused packet was sent to) and the out pass is skipped.
   */
  fwGenerated?: boolean;
}

const LIMITED_BROADCAST = 0xffff_ffff;

/** Source address for `dst` through `iface`: its address on the next hop's subnet, else its primary (RFC 1122 §3.3.4.2). */
export function selectSource(iface: Iface, nextHop: number): number {
  const addrs = iface.addrs;
  for (let i = 0; i < addrs.length; i++) {
    const a = addrs[i];
    if (((a.addr ^ nextHop) & maskOf(a.prefixLen)) === 0) return a.addr;
  }
  return addrs.length > 0 ? addrs[0].addr : 0;
}

/** The route a local send to `dst` would use; the limited broadcast goes out the first usable link interface. */
function outputRoute(stack: NetStack, dst: number): Route | null {
  const r = routeFind(stack, dst);
  if (r !== null || dst !== LIMITED_BROADCAST) return r;
  for (const iface of stack.ifaces) {
    if (!iface.loopback && ifaceUsable(iface) && iface.addrs.length > 0) {
      return { dest: dst, prefixLen: 32, gateway: 0, ifIndex: iface.index, kind: 'connected', broadcast: dst };
    }
  }
  return null;
}

/** Chooses the source address a datagram to `dst` would carry, or 0 when there is no route. */
export function sourceAddressFor(stack: NetStack, dst: number): number {
  const d = dst >>> 0;
  if (stack.local.has(d)) return d;
  const r = outputRoute(stack, d);
  if (r === null) return 0;
  const iface = stack.ifaces[r.ifIndex];
  if (iface.loopback) return 0x7f000001;
  return selectSource(iface, r.gateway !== 0 ? r.gateway : d);
}

/** Sends one datagram from this stack (raw IP output, like ip_output(9)). */
export function ipSend(stack: NetStack, opts: IpSendOptions): SendResult {
  return ipSendWith(stack, opts, null);
}

/**
 * ipSend, optionally writing a UDP header (checksum over the chosen source) in front of
 * `opts.payload`, or with `tcp` a whole TCP segment in place of `opts.payload`. The datagram
 * is built straight into its frame when it needs neither loopback nor fragmentation: one
 * allocation per packet, and a TCP segment's data is copied once, from the send buffer.
 */
export function ipSendWith(stack: NetStack, opts: IpSendOptions, udp: UdpRepr | null, tcp: TcpRepr | null = null): SendResult {
  const dst = opts.dst >>> 0;
  const route = isMulticast(dst) ? multicastRoute(stack, dst, opts.multicastIf) : outputRoute(stack, dst);
  if (stack.explain !== null) explainRoute(stack, stack.explain, dst, route);
  if (route === null) return sendError('ENETUNREACH');
  const iface = stack.ifaces[route.ifIndex];
  if (opts.src !== undefined && opts.src !== 0 && opts.fwGenerated !== true && !stack.local.has(opts.src >>> 0)) return sendError('EADDRNOTAVAIL');
  const nextHop = route.gateway !== 0 ? route.gateway : dst;
  let src = opts.src !== undefined && opts.src !== 0 ? opts.src >>> 0 : 0;
  // A datagram to one of our own addresses carries that address as its source too.
  if (src === 0) src = iface.loopback ? dst : selectSource(iface, nextHop);
  if (src === 0) return sendError('EADDRNOTAVAIL');
  if (!iface.up || (!iface.loopback && !iface.carrier)) {
    iface.counters.errors++;
    return sendError('ENETDOWN');
  }
  const payloadLen = tcp !== null ? tcpLen(tcp) : opts.payload.length + (udp === null ? 0 : UDP_HEADER_LEN);
  const totalLen = IPV4_MIN_HEADER_LEN + payloadLen;
  if (totalLen > 0xffff) return sendError('EMSGSIZE');
  stack.stats.ipSent++;
  const direct = !iface.loopback && totalLen <= iface.mtu;
  const buf = direct ? allocIpv4Frame(stack, iface, totalLen) : new Uint8Array(totalLen);
  emitDatagram(stack, buf, direct ? 14 : 0, src, dst, opts, payloadLen, udp, tcp);
  if (stack.fw !== null && opts.fwGenerated !== true) {
    const verdict = pfilLocalOut(stack, iface, route, buf, direct, dst, nextHop);
    if (verdict !== null) return verdict;
  }
  return ipOutputFinish(stack, iface, route, buf, direct, dst, nextHop);
}

/** The datagram in `buf` (a frame when `direct`) leaves: loopback, broadcast, ARP, or fragments. */
export function ipOutputFinish(stack: NetStack, iface: Iface, route: Route, buf: Uint8Array, direct: boolean, dst: number, nextHop: number): SendResult {
  if (iface.loopback) {
    loopback(stack, buf);
    return SEND_OK;
  }
  const broadcast = dst === LIMITED_BROADCAST || dst === route.broadcast || stack.broadcasts.get(dst) === iface.index || isMulticast(dst);
  if (direct) return sendFrame(stack, iface, buf, nextHop, broadcast, -1, route.gateway !== 0) ?? SEND_OK;
  const pieces = fragmentIpv4(buf, iface.mtu);
  if (pieces === null) return sendError('EMSGSIZE');
  stack.stats.ipFragmentsCreated += pieces.length;
  for (const p of pieces) {
    const err = ipOutputDatagram(stack, iface, p, nextHop, broadcast, -1, route.gateway !== 0);
    if (err !== null) return err;
  }
  return SEND_OK;
}

function emitDatagram(stack: NetStack, buf: Uint8Array, off: number, src: number, dst: number, opts: IpSendOptions, payloadLen: number, udp: UdpRepr | null, tcp: TcpRepr | null): void {
  emitIpv4(
    {
      src,
      dst,
      proto: opts.proto,
      ttl: opts.ttl ?? IPV4_DEFAULT_TTL,
      tos: opts.tos ?? 0,
      id: nextIpId(stack),
      dontFragment: !!opts.dontFragment,
      moreFragments: false,
      fragOffset: 0,
      payloadLen,
    },
    buf,
    off,
  );
  const t = off + IPV4_MIN_HEADER_LEN;
  if (tcp !== null) {
    emitTcp(tcp, buf, t, src, dst);
    return;
  }
  if (udp === null) {
    buf.set(opts.payload, t);
    return;
  }
  // RFC 768 header; the checksum covers the pseudo-header with the source chosen above.
  emitUdp(udp, buf, t, src, dst);
}

/** One datagram (already fitting the MTU) onto `iface` toward `nextHop`. */
export function ipOutputDatagram(
  stack: NetStack,
  iface: Iface,
  datagram: Uint8Array,
  nextHop: number,
  broadcast: boolean,
  inIf: number,
  viaGateway: boolean,
): SendResult | null {
  const frame = allocIpv4Frame(stack, iface, datagram.length);
  frame.set(datagram, 14);
  return sendFrame(stack, iface, frame, nextHop, broadcast, inIf, viaGateway);
}

/** The one-hop "route" of a multicast send: out the chosen interface, no gateway (RFC 1112 §6.1). */
function multicastRoute(stack: NetStack, dst: number, ifIndex: number | undefined): Route | null {
  const iface = ifIndex === undefined ? undefined : stack.ifaces[ifIndex];
  if (iface === undefined || iface.loopback) return null;
  return { dest: dst, prefixLen: 32, gateway: 0, ifIndex: iface.index, kind: 'connected', broadcast: -1 };
}

/** A prepared IPv4 frame: broadcast and multicast straight out (RFC 1112 §6.4 group MAC), unicast through ARP. */
function sendFrame(stack: NetStack, iface: Iface, frame: Uint8Array, nextHop: number, broadcast: boolean, inIf: number, viaGateway: boolean): SendResult | null {
  if (broadcast) {
    if (isMulticast(nextHop)) writeMcastMac(frame, nextHop);
    else for (let i = 0; i < 6; i++) frame[i] = 0xff;
    transmitFrame(stack, iface, frame, inIf);
    return null;
  }
  const errno = arpOutput(stack, iface, nextHop, frame, inIf, viaGateway);
  return errno === null ? null : sendError(errno);
}

export function nextIpId(stack: NetStack): number {
  const id = stack.ipId;
  stack.ipId = (id + 1) & 0xffff;
  return id;
}

interface LoopArg {
  stack: NetStack;
  datagram: Uint8Array;
}

/** Datagrams to our own addresses never touch a link: they come back in as lo0 input on the next event. */
function loopback(stack: NetStack, datagram: Uint8Array): void {
  const lo = stack.ifaces[stack.loIndex];
  lo.counters.txPackets++;
  lo.counters.txBytes += datagram.length;
  stack.env.sim.schedule(0, loopDeliver, { stack, datagram } satisfies LoopArg);
}

function loopDeliver(arg: LoopArg): void {
  const lo = arg.stack.ifaces[arg.stack.loIndex];
  lo.counters.rxPackets++;
  lo.counters.rxBytes += arg.datagram.length;
  if (arg.stack.fw !== null && !pfilIn(arg.stack, lo, arg.datagram, 0)) return;
  ipLocalInput(arg.stack, lo, arg.datagram, 0, false);
}
