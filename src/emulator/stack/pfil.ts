// The packet-filter hook points (FreeBSD pfil(9)): `in` after IPv4 header validation on
// the receiving interface, `out` before a datagram leaves (forwarding, as ip_forward hands
// to ip_output, and local output), each running the stack's ipfw ruleset and acting on its
// verdict: pass, drop (traced `firewall` with the rule number), ICMP unreachable or a TCP
// RST (`reset`), or a dummynet pipe or queue that re-injects the datagram later where it
// was taken (one_pass).
// Callers test `stack.fw !== null` first, so stacks without rules pay one compare.

import { ICMP_TYPE } from '../wire/icmp';
import { ipfwCheck, FW_VERDICT, type FwVerdict } from './ipfw/chk';
import { DN_RESULT, pipeEnqueue } from './ipfw/dummynet';
import { queueEnqueue } from './ipfw/dn-queue';
import { ctConfirm } from './ipfw/conntrack';
import { fillPacket } from './ipfw/match';
import { NAT_BASE } from './ipfw/iptables';
import { NAT_RESULT, natIn, natOut } from './ipfw/nat';
import { FW_DIR, type Firewall, type FwPacket } from './ipfw/types';
import { DROP, type DropReason } from './env';
import { explainFirewall, flowText } from './explain';
import { sendError, SEND_OK, type SendResult } from './errno';
import { icmpSendError } from './icmp';
import { ipForward } from './ip-forward';
import { ipv4Input } from './ip-input';
import { ipOutputFinish, ipSend } from './ip-output';
import { buildTcp, TCP_FLAG } from '../wire/tcp';
import { IP_PROTO } from '../wire/ipv4';
import { REJECT_RST } from './ipfw/parse';
import type { Iface, NetStack, Route } from './types';

/** Records a datagram discarded by rule `rule` (its number; 0 none) and counts it on the interface. */
export function traceFirewallDrop(stack: NetStack, ifIndex: number, bytes: Uint8Array, rule: number, reason: DropReason = DROP.FIREWALL): void {
  const iface = stack.ifaces[ifIndex];
  if (iface !== undefined) iface.counters.drops++;
  stack.stats.ipDropped++;
  stack.env.trace.dropped(stack.nodeIndex, ifIndex, bytes, reason, rule);
}

const PASS = 0;
const DROPPED = 1;
const TAKEN = 2;
const TO_PIPE = 3;
const TO_NAT = 4;

/**
 * Runs the rules; on a non-pass verdict acts on it: unreach sends the ICMP error to the
 * source first (ipfw `reject` / `unreach CODE`, RFC 792), anything but a pipe drops and
 * traces it. TO_PIPE leaves the queueing to the caller (who builds its resume argument
 * only then: the pass path allocates nothing).
 */
function filter(stack: NetStack, buf: Uint8Array, off: number, dir: 1 | 2, recvIf: number, xmitIf: number): number {
  const fw = stack.fw!;
  if (fw.reinject === buf) {
    fw.reinject = null; // back from a pipe: the rest of this pass is skipped (one_pass)
    return PASS;
  }
  const p = fillPacket(fw, buf, off, dir, recvIf, xmitIf);
  return decide(stack, fw, p, ipfwCheck(stack, fw, p), buf, off, recvIf, xmitIf);
}

function decide(stack: NetStack, fw: Firewall, p: FwPacket, verdict: FwVerdict, buf: Uint8Array, off: number, recvIf: number, xmitIf: number): number {
  if (stack.explain !== null) explainFirewall(stack, stack.explain, fw, p, verdict);
  if (verdict === FW_VERDICT.PASS) {
    if (fw.ipt !== null) ctConfirm(fw, p, stack.env.sim.now()); // iptables: accepted flows are tracked
    return PASS;
  }
  const rule = fw.hit!;
  if (verdict === FW_VERDICT.PIPE) return TO_PIPE;
  if (verdict === FW_VERDICT.NAT) return TO_NAT;
  if (verdict === FW_VERDICT.UNREACH && rule.action.kind === 'unreach') {
    if (rule.action.code !== REJECT_RST) icmpSendError(stack, buf, off, ICMP_TYPE.DST_UNREACHABLE, rule.action.code, 0, recvIf);
    else if (p.tcpFlags >= 0 && (p.tcpFlags & TCP_FLAG.RST) === 0) sendReset(stack, buf, off, p);
  }
  traceFirewallDrop(stack, recvIf >= 0 ? recvIf : xmitIf, buf, rule.num);
  return DROPPED;
}

/**
 * ipfw `reset` (FreeBSD send_reject with ICMP_REJECT_RST → ipfw_send_pkt): a RST from the
 * refused segment's destination back to its source, skipping the firewall; to an ACK
 * <SEQ=SEG.ACK><RST>, else <ACK=SEG.SEQ(+1 for a SYN)><RST,ACK> (payload not counted, as there).
 */
function sendReset(stack: NetStack, buf: Uint8Array, off: number, p: FwPacket): void {
  const t = off + ((buf[off] & 0x0f) << 2);
  const seq = ((buf[t + 4] << 24) | (buf[t + 5] << 16) | (buf[t + 6] << 8) | buf[t + 7]) >>> 0;
  const withAck = (p.tcpFlags & TCP_FLAG.ACK) === 0;
  const ack = withAck ? (seq + ((p.tcpFlags & TCP_FLAG.SYN) !== 0 ? 1 : 0)) >>> 0 : 0;
  const flags = withAck ? TCP_FLAG.RST | TCP_FLAG.ACK : TCP_FLAG.RST;
  const seg = buildTcp({ srcPort: p.dstPort, dstPort: p.srcPort, seq: withAck ? 0 : p.tcpAck, ack, flags, window: 0, urgent: 0, payload: new Uint8Array(0) }, p.dst, p.src);
  ipSend(stack, { dst: p.src, src: p.dst, proto: IP_PROTO.TCP, payload: seg, fwGenerated: true });
}

/** Offers the datagram to the pipe of the rule that just matched; TAKEN or DROPPED (traced). */
function toPipe<T>(stack: NetStack, buf: Uint8Array, where: number, resume: (a: T) => void, arg: T): number {
  const fw = stack.fw!;
  const rule = fw.hit!;
  const a = rule.action;
  const r = a.kind === 'queue' ? queueEnqueue(stack, fw, a.n, fw.pkt.len, resume, arg) : pipeEnqueue(stack, fw, a.kind === 'pipe' ? a.n : 0, fw.pkt.len, resume, arg);
  if (r === DN_RESULT.QUEUED) return TAKEN;
  traceFirewallDrop(stack, where, buf, rule.num, r === DN_RESULT.LOSS ? DROP.PIPE_LOSS : r === DN_RESULT.QUEUE_FULL ? DROP.QUEUE_FULL : DROP.FIREWALL);
  return DROPPED;
}

/**
 * Translates with the nat instance of the rule that just matched (`out` true: LibAliasOut).
 * The datagram at `off` is translated in place: callers pass a buffer they own. An
 * iptables nat (Linux: NAT is not a verdict) that changed nothing goes on with the rules.
 */
function translate(stack: NetStack, b: Uint8Array, off: number, out: boolean, where: number): number {
  const fw = stack.fw!;
  const rule = fw.hit!;
  const nat = rule.action.kind === 'nat' ? fw.nats.get(rule.action.n) : undefined;
  const before = stack.explain !== null ? flowText(b, off) : '';
  const r = nat === undefined ? NAT_RESULT.DENY : out ? natOut(stack, nat, b, off) : natIn(stack, nat, b, off);
  if (stack.explain !== null && r !== NAT_RESULT.DENY) stack.explain.step(stack.nodeIndex, { kind: 'nat', layer: 'network', dir: out ? 'out' : 'in', before, after: flowText(b, off) });
  if (r === NAT_RESULT.DENY) {
    traceFirewallDrop(stack, where, b, rule.num);
    return DROPPED;
  }
  if (r === NAT_RESULT.OK) return TAKEN;
  if (nat!.n < NAT_BASE) return PASS;
  const p = fw.pkt;
  const again = decide(stack, fw, p, ipfwCheck(stack, fw, p, fw.hitIndex + 1), b, off, p.recvIf, p.xmitIf);
  if (again === TO_NAT) return translate(stack, b, off, out, where);
  if (again === TO_PIPE) traceFirewallDrop(stack, where, b, fw.hit!.num); // pipes after an iptables nat are not supported
  return again === TO_PIPE ? DROPPED : again;
}

/** A copy of the datagram at `off` (frames already recorded are never changed). */
function datagramCopy(buf: Uint8Array, off: number): Uint8Array {
  return buf.slice(off, off + ((buf[off + 2] << 8) | buf[off + 3]));
}

interface InArg {
  stack: NetStack;
  iface: Iface;
  buf: Uint8Array;
  off: number;
}

function resumeIn(a: InArg): void {
  a.stack.fw!.reinject = a.buf;
  ipv4Input(a.stack, a.iface, a.buf, a.off, a.off >= 14 && (a.buf[0] & 1) === 1);
}

/** pfil `in`: the datagram at `off` arrived on `iface`. True to go on with input. */
export function pfilIn(stack: NetStack, iface: Iface, buf: Uint8Array, off: number): boolean {
  const r = filter(stack, buf, off, FW_DIR.IN, iface.index, -1);
  if (r === TO_PIPE) toPipe(stack, buf, iface.index, resumeIn, { stack, iface, buf, off });
  if (r !== TO_NAT) return r === PASS;
  const copy = datagramCopy(buf, off);
  const t = translate(stack, copy, 0, false, iface.index);
  if (t === TAKEN) {
    stack.fw!.reinject = copy; // translated: input goes on with the copy, rules done (one_pass)
    ipv4Input(stack, iface, copy, 0, off >= 14 && (buf[0] & 1) === 1);
  }
  return t === PASS;
}

interface FwdArg {
  stack: NetStack;
  inIface: Iface;
  buf: Uint8Array;
  off: number;
}

function resumeForward(a: FwdArg): void {
  const hl = (a.buf[a.off] & 0x0f) << 2;
  const total = (a.buf[a.off + 2] << 8) | a.buf[a.off + 3];
  a.stack.fw!.reinject = a.buf;
  ipForward(a.stack, a.inIface, a.buf, a.off, hl, total);
}

/** pfil `out` of a forwarded datagram at `off`, about to leave by `out` (received on `recvIf`). True to go on. */
export function pfilOut(stack: NetStack, out: Iface, buf: Uint8Array, off: number, recvIf: number): boolean {
  const r = filter(stack, buf, off, FW_DIR.OUT, recvIf, out.index);
  if (r === TO_PIPE) toPipe(stack, buf, recvIf, resumeForward, { stack, inIface: stack.ifaces[recvIf], buf, off });
  if (r !== TO_NAT) return r === PASS;
  const copy = datagramCopy(buf, off);
  const t = translate(stack, copy, 0, true, recvIf);
  if (t === TAKEN) resumeForward({ stack, inIface: stack.ifaces[recvIf], buf: copy, off: 0 });
  return t === PASS;
}

interface LocalArg {
  stack: NetStack;
  iface: Iface;
  route: Route;
  buf: Uint8Array;
  direct: boolean;
  dst: number;
  nextHop: number;
}

function resumeLocal(a: LocalArg): void {
  ipOutputFinish(a.stack, a.iface, a.route, a.buf, a.direct, a.dst, a.nextHop);
}

/** pfil `out` of a locally originated datagram: null to go on, else what the send returns (EACCES when denied). */
export function pfilLocalOut(stack: NetStack, iface: Iface, route: Route, buf: Uint8Array, direct: boolean, dst: number, nextHop: number): SendResult | null {
  let r = filter(stack, buf, direct ? 14 : 0, FW_DIR.OUT, -1, iface.index);
  if (r === TO_PIPE) r = toPipe(stack, buf, iface.index, resumeLocal, { stack, iface, route, buf, direct, dst, nextHop });
  // Our own datagram is not recorded yet: it is translated in place and goes on.
  if (r === TO_NAT) r = translate(stack, buf, direct ? 14 : 0, true, iface.index) === DROPPED ? DROPPED : PASS;
  return r === PASS ? null : r === TAKEN ? SEND_OK : sendError('EACCES');
}
