// Frames in from a link and IPv4 input: the Ethernet II / 802.1Q demultiplexer with the
// destination-MAC filter, IPv4 header checks, the local-delivery decision, reassembly,
// and protocol dispatch. Never throws on bad bytes: every discard is traced with a reason.
// RFC 894 (IPv4 over Ethernet), RFC 791 §3.2, RFC 1122 §3.2.1, RFC 1812 §5.2.2, §5.3.

import { ETHERTYPE } from '../wire/ethernet';
import { Reassembler } from '../wire/fragment';
import { ICMP_TIME_EXCEEDED, ICMP_TYPE, ICMP_UNREACH } from '../wire/icmp';
import { IP_PROTO, Ipv4View } from '../wire/ipv4';
import { arpInput } from './arp';
import { DROP } from './env';
import { explainLocal } from './explain';
import { icmpInput, icmpSendError } from './icmp';
import { in6GroupMacJoined } from './in6';
import { ipForward } from './ip-forward';
import { ip6Input } from './ip6-input';
import { pfilIn } from './pfil';
import { mcastFrameAccepted, mcastMember } from './mcast';
import { traceDrop } from './link-output';
import { tcpInput } from './tcp';
import { udpInput } from './udp';
import { rawInput } from './raw';
import { bpfUdpInput } from './bpf';
import type { Iface, NetStack } from './types';

const REASSEMBLY_POLL_NS = 1_000_000_000;

/** The only entry for frames from a link. */
export function etherInput(stack: NetStack, ifIndex: number, frame: Uint8Array): void {
  const iface = stack.ifaces[ifIndex];
  if (iface === undefined || iface.loopback) return;
  const len = frame.length;
  const c = iface.counters;
  if (len < 14) {
    c.errors++;
    traceDrop(stack, ifIndex, frame, DROP.MALFORMED);
    return;
  }
  let bcast = false;
  if ((frame[0] & 1) === 1) {
    bcast = (frame[0] & frame[1] & frame[2] & frame[3] & frame[4] & frame[5]) === 0xff;
    if (!bcast) {
      if (in6GroupMacJoined(stack, iface, frame)) {
        // an IPv6 group we joined (33:33:…): ip6Input reads the group bit itself
      } else if (mcastFrameAccepted(stack, iface, frame)) {
        bcast = true; // an IPv4 group frame is link-level multicast: received, never forwarded
      } else {
        c.filtered++; // multicast group we have not joined: the NIC filter discards it
        return;
      }
    }
  } else if (
    ((frame[0] << 8) | frame[1]) !== iface.macHi ||
    ((frame[2] << 24) | (frame[3] << 16) | (frame[4] << 8) | frame[5]) >>> 0 !== iface.macLo
  ) {
    c.filtered++;
    return;
  }
  c.rxPackets++;
  c.rxBytes += len;
  if (!iface.up) {
    traceDrop(stack, ifIndex, frame, DROP.IFACE_DOWN);
    return;
  }
  let type = (frame[12] << 8) | frame[13];
  let off = 14;
  if (type === ETHERTYPE.VLAN) {
    if (len < 18) {
      c.errors++;
      traceDrop(stack, ifIndex, frame, DROP.MALFORMED);
      return;
    }
    if (iface.vlans !== null) return vlanInput(stack, iface, frame, bcast);
    type = (frame[16] << 8) | frame[17];
    off = 18;
  }
  if (type === ETHERTYPE.IPV4) ipv4Input(stack, iface, frame, off, bcast);
  else if (type === ETHERTYPE.ARP) arpInput(stack, iface, frame, off);
  else if (type === ETHERTYPE.IPV6) ip6Input(stack, iface, frame, off, (frame[0] & 1) === 1);
  else traceDrop(stack, ifIndex, frame, DROP.UNSUPPORTED);
}

/**
 * A tagged frame on an interface with VLAN sub-interfaces: demultiplexed by VID to the
 * sub-interface (FreeBSD vlan(4)); a VID nobody configured is not for us. IEEE 802.1Q §9.6.
 */
function vlanInput(stack: NetStack, parent: Iface, frame: Uint8Array, bcast: boolean): void {
  const vid = ((frame[14] << 8) | frame[15]) & 0x0fff;
  let sub: Iface | undefined;
  for (const v of parent.vlans!) if (v.vlanId === vid) sub = v;
  if (sub === undefined) return traceDrop(stack, parent.index, frame, DROP.NOT_FOR_US);
  sub.counters.rxPackets++;
  sub.counters.rxBytes += frame.length;
  if (!sub.up) return traceDrop(stack, sub.index, frame, DROP.IFACE_DOWN);
  const type = (frame[16] << 8) | frame[17];
  if (type === ETHERTYPE.IPV4) ipv4Input(stack, sub, frame, 18, bcast);
  else if (type === ETHERTYPE.ARP) arpInput(stack, sub, frame, 18);
  else if (type === ETHERTYPE.IPV6) ip6Input(stack, sub, frame, 18, (frame[0] & 1) === 1);
  else traceDrop(stack, sub.index, frame, DROP.UNSUPPORTED);
}

/** Validates the header (RFC 1122 §3.2.1.1-3, checksum RFC 791) and decides local vs forward. */
export function ipv4Input(stack: NetStack, iface: Iface, frame: Uint8Array, off: number, linkBcast: boolean): void {
  if (!Ipv4View.check(frame, off, frame.length - off)) {
    iface.counters.errors++;
    traceDrop(stack, iface.index, frame, DROP.MALFORMED);
    return;
  }
  const hl = (frame[off] & 0x0f) << 2;
  if (!Ipv4View.checksumOk(frame, off, hl)) {
    iface.counters.errors++;
    traceDrop(stack, iface.index, frame, DROP.BAD_CHECKSUM);
    return;
  }
  const total = (frame[off + 2] << 8) | frame[off + 3];
  if (stack.fw !== null && !pfilIn(stack, iface, frame, off)) return;
  stack.stats.ipReceived++;
  // int32 (not uint32) so every address is a small integer key: no boxing on Map lookups.
  const dst = (frame[off + 16] << 24) | (frame[off + 17] << 16) | (frame[off + 18] << 8) | frame[off + 19];
  const kind = (stack.oursFilter[(dst & 0xff) >>> 5] & (1 << (dst & 31))) === 0 ? undefined : stack.ours.get(dst);
  if (kind === 1) {
    ipLocalInput(stack, iface, frame, off, false);
  } else if (kind === 2 || dst === -1) {
    // Directed broadcasts to our subnets are received, never forwarded (RFC 2644).
    ipLocalInput(stack, iface, frame, off, true);
  } else if (dst >>> 28 === 0xe) {
    // A group joined on this interface is delivered like a broadcast (no ICMP errors).
    if (mcastMember(stack, iface, dst)) ipLocalInput(stack, iface, frame, off, true);
    else traceDrop(stack, iface.index, frame, DROP.UNSUPPORTED);
  } else if (linkBcast) {
    traceDrop(stack, iface.index, frame, DROP.NOT_FOR_US); // RFC 1812 §5.3.4: not forwarded
  } else if (!stack.forwarding) {
    // A program reading the link (dhclient before its address is configured) may want it.
    if (stack.programs === null || !bpfUdpInput(stack, iface, frame, off)) traceDrop(stack, iface.index, frame, DROP.NOT_FORWARDING);
  } else {
    ipForward(stack, iface, frame, off, hl, total);
  }
}

/** A datagram for us (already validated), at `ipOff` in `buf`: reassemble, then dispatch by protocol. */
export function ipLocalInput(stack: NetStack, iface: Iface, buf: Uint8Array, ipOff: number, broadcast: boolean): void {
  let data = buf;
  let off = ipOff;
  let total = (buf[ipOff + 2] << 8) | buf[ipOff + 3];
  if (((buf[ipOff + 6] & 0x3f) | buf[ipOff + 7]) !== 0) {
    const whole = reassemble(stack, buf.subarray(ipOff, ipOff + total));
    if (whole === null) return;
    data = whole;
    off = 0;
    total = whole.length;
  }
  const hl = (data[off] & 0x0f) << 2;
  if (stack.explain !== null) explainLocal(stack, stack.explain, data, off, iface, broadcast);
  stack.stats.ipDelivered++;
  const proto = data[off + 9];
  if (proto === IP_PROTO.ICMP) icmpInput(stack, iface, data, off, hl, total, broadcast);
  else if (proto === IP_PROTO.UDP) udpInput(stack, iface, data, off, hl, total, broadcast);
  else if (proto === IP_PROTO.TCP) tcpInput(stack, iface, data, off, hl, total, broadcast);
  else if (rawInput(stack, iface, data, off, hl, total)) return;
  else {
    // RFC 1122 §3.2.2.1: protocol unreachable for a transport we do not implement.
    if (!broadcast) icmpSendError(stack, data, off, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.PROTO, 0, iface.index);
    traceDrop(stack, iface.index, data, DROP.PROTO_UNREACHABLE);
  }
}

function reassemble(stack: NetStack, fragment: Uint8Array): Uint8Array | null {
  let r = stack.reassembly;
  if (r === null) {
    r = new Reassembler();
    stack.reassembly = r;
  }
  const whole = r.add(fragment, stack.env.sim.now());
  if (whole !== null) stack.stats.ipReassembled++;
  if (r.size > 0 && stack.reassemblyTimer === 0) {
    stack.reassemblyTimer = stack.env.sim.schedule(r.timeoutNs, reassemblyTimer, stack);
  }
  return whole;
}

/** Gives up datagrams whose fragments did not all arrive in time (RFC 1122 §3.3.2). */
function reassemblyTimer(stack: NetStack): void {
  stack.reassemblyTimer = 0;
  const r = stack.reassembly;
  if (r === null) return;
  for (const e of r.expire(stack.env.sim.now())) {
    const first = e.firstFragment;
    traceDrop(stack, stack.loIndex, first ?? new Uint8Array(0), DROP.REASSEMBLY_TIMEOUT);
    // Time exceeded (code 1) only when fragment zero arrived (RFC 792, RFC 1122 §3.3.2).
    if (first !== null) icmpSendError(stack, first, 0, ICMP_TYPE.TIME_EXCEEDED, ICMP_TIME_EXCEEDED.REASSEMBLY, 0, -1);
  }
  if (r.size > 0) stack.reassemblyTimer = stack.env.sim.schedule(REASSEMBLY_POLL_NS, reassemblyTimer, stack);
  else stack.reassembly = null;
}
