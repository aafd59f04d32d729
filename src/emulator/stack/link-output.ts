// The last step before the link: counters, the forwarded-traffic record and
// env.transmit; plus the drop (and answered-delivery) record every module uses. Must not decide routing or
// resolve addresses. (DESIGN decision 4: every discard is explained.)

import { writeMacParts } from '../wire/addr';
import { DROP, type AnswerNote, type DropReason } from './env';
import type { Iface, NetStack } from './types';
import { ETHERTYPE, tagFrame } from '../wire/ethernet';

/** Hands a finished frame to the link of `iface`; `inIf` ≥ 0 records a forwarded datagram. */
export function transmitFrame(stack: NetStack, iface: Iface, frame: Uint8Array, inIf: number): void {
  const c = iface.counters;
  c.txPackets++;
  c.txBytes += frame.length;
  if (inIf >= 0) stack.env.trace.forwarded(stack.nodeIndex, inIf, iface.index, frame);
  // A TCP retransmission (stack.txNote set only around one): the IP frame carries its reason, not an ARP request sent first.
  if (stack.txNote !== null && isIpFrame(frame)) {
    stack.env.trace.transmitNote?.(stack.nodeIndex, frame, stack.txNote);
    stack.txNote = null;
  }
  if (iface.vlanParent >= 0) vlanTransmit(stack, iface, frame);
  else stack.env.transmit(iface.index, frame);
}

/** EtherType IPv4 or IPv6 (untagged: a note never reaches a VLAN's tagged copy). */
function isIpFrame(frame: Uint8Array): boolean {
  const t = (frame[12] << 8) | frame[13];
  return t === ETHERTYPE.IPV4 || t === ETHERTYPE.IPV6;
}

/** A VLAN sub-interface's frame leaves through its parent with an 802.1Q tag (IEEE 802.1Q §9.6). */
function vlanTransmit(stack: NetStack, iface: Iface, frame: Uint8Array): void {
  const parent = stack.ifaces[iface.vlanParent];
  if (!parent.up) return traceDrop(stack, iface.index, frame, DROP.IFACE_DOWN);
  const tagged = tagFrame(frame, iface.vlanId);
  parent.counters.txPackets++;
  parent.counters.txBytes += tagged.length;
  stack.env.transmit(parent.index, tagged);
}

/** Records a discard with its reason and counts it on the interface. */
export function traceDrop(stack: NetStack, ifIndex: number, bytes: Uint8Array, reason: DropReason): void {
  const iface = stack.ifaces[ifIndex];
  if (iface !== undefined) iface.counters.drops++;
  stack.stats.ipDropped++;
  stack.env.trace.dropped(stack.nodeIndex, ifIndex, bytes, reason);
}

/** Records a datagram delivered here and answered as expected (not a drop: no drop counters). */
export function traceAnswered(stack: NetStack, ifIndex: number, bytes: Uint8Array, note: AnswerNote): void {
  stack.env.trace.answered(stack.nodeIndex, ifIndex, bytes, note);
}

/** A frame for an IPv4 datagram of `ipLen` bytes: source MAC and EtherType written, padded to 60. */
export function allocIpv4Frame(stack: NetStack, iface: Iface, ipLen: number): Uint8Array {
  const frame = stack.env.frames.alloc(ipLen + 14 < 60 ? 60 : ipLen + 14);
  writeSrcMac(frame, iface);
  frame[12] = 0x08;
  frame[13] = 0x00;
  return frame;
}

export function writeSrcMac(frame: Uint8Array, iface: Iface): void {
  writeMacParts(frame, 6, iface.macHi, iface.macLo);
}
