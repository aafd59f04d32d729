// The packet-filter hook points (FreeBSD pfil(9)): `in` after IPv4 header validation on
// the receiving interface, `out` before a datagram leaves (local output and forwarding,
// as ip_forward hands to ip_output), each running the stack's ipfw ruleset and acting on
// its verdict: pass, drop (traced `firewall` with the rule number), ICMP unreachable.
// Callers test `stack.fw !== null` first, so stacks without rules pay one compare.

import { ICMP_TYPE } from '../wire/icmp';
import { ipfwCheck, FW_VERDICT } from './ipfw/chk';
import { fillPacket } from './ipfw/match';
import { FW_DIR } from './ipfw/types';
import { DROP } from './env';
import { icmpSendError } from './icmp';
import type { Iface, NetStack } from './types';

/** Records a datagram discarded by rule `rule` and counts it on the interface. */
export function traceFirewallDrop(stack: NetStack, ifIndex: number, bytes: Uint8Array, rule: number): void {
  const iface = stack.ifaces[ifIndex];
  if (iface !== undefined) iface.counters.drops++;
  stack.stats.ipDropped++;
  stack.env.trace.dropped(stack.nodeIndex, ifIndex, bytes, DROP.FIREWALL, rule);
}

/**
 * Acts on a non-pass verdict: unreach sends the ICMP error to the source first (ipfw's
 * `reject` / `unreach CODE`, RFC 792), then the datagram is dropped and traced.
 */
function refuse(stack: NetStack, verdict: number, ifIndex: number, buf: Uint8Array, off: number, recvIf: number): false {
  const fw = stack.fw!;
  const rule = fw.hit;
  if (verdict === FW_VERDICT.UNREACH && rule !== null && rule.action.kind === 'unreach') {
    icmpSendError(stack, buf, off, ICMP_TYPE.DST_UNREACHABLE, rule.action.code, 0, recvIf);
  }
  traceFirewallDrop(stack, ifIndex, buf, rule === null ? 0 : rule.num);
  return false;
}

/** pfil `in`: the datagram at `off` arrived on `iface`. True to go on with input. */
export function pfilIn(stack: NetStack, iface: Iface, buf: Uint8Array, off: number): boolean {
  const fw = stack.fw!;
  const verdict = ipfwCheck(stack, fw, fillPacket(fw, buf, off, FW_DIR.IN, iface.index, -1));
  return verdict === FW_VERDICT.PASS || refuse(stack, verdict, iface.index, buf, off, iface.index);
}

/** pfil `out`: the datagram at `off` is about to leave by `out`; `recvIf` is its input interface when forwarded, else -1. */
export function pfilOut(stack: NetStack, out: Iface, buf: Uint8Array, off: number, recvIf: number): boolean {
  const fw = stack.fw!;
  const verdict = ipfwCheck(stack, fw, fillPacket(fw, buf, off, FW_DIR.OUT, recvIf, out.index));
  return verdict === FW_VERDICT.PASS || refuse(stack, verdict, recvIf >= 0 ? recvIf : out.index, buf, off, recvIf);
}
