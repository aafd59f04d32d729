// The ARP neighbor cache of one stack (FreeBSD if_ether.c / in_arpinput behaviour):
// requests, replies, learning, gratuitous announcements, held packets while resolving,
// 1 s retries, "host is down" after 5 unanswered requests, 1200 s expiry.
// Must not route or parse IPv4. RFC 826 (packet reception), RFC 5227 §2.3 (announcements).

import { formatIpv4, formatMac, MAC_BROADCAST, writeMac, writeMacParts } from '../wire/addr';
import { ARP_OP, ArpView, emitArp } from '../wire/arp';
import { ICMP_TYPE, ICMP_UNREACH } from '../wire/icmp';
import { ETH_HEADER_LEN, ETH_MIN_FRAME_LEN, ETHERTYPE } from '../wire/ethernet';
import { DROP, type DropReason } from './env';
import type { DecisionStep, NeighborResult } from './explain';
import { configError, type ConfigResult, type Errno } from './errno';
import { icmpSendError } from './icmp';
import { transmitFrame, traceDrop, writeSrcMac } from './link-output';
import { selectSource } from './ip-output';
import { onLinkIface } from './route';
import { ARP_STATE, type ArpEntry, type Iface, type NetStack } from './types';

const SEC = 1_000_000_000;
/** net.link.ether.inet.max_age */
export const ARP_MAX_AGE_NS = 1200 * SEC;
/** net.link.ether.inet.maxtries */
export const ARP_MAX_TRIES = 5;
/** net.link.ether.inet.wait: the "host is down" window after giving up. */
export const ARP_DOWN_NS = 20 * SEC;
export const ARP_RETRY_NS = 1 * SEC;
/** net.link.ether.inet.maxhold */
export const ARP_MAX_HOLD = 16;

function setMac(e: ArpEntry, mac: number): void {
  e.mac = mac;
  e.macHi = Math.floor(mac / 0x1_0000_0000) & 0xffff;
  e.macLo = mac >>> 0;
}

/**
 * Sends a prepared frame (source MAC and EtherType written) to IPv4 next hop `nextHop`
 * on `iface`, resolving it first if needed. Returns null when sent or held, otherwise the
 * errno of FreeBSD's arpresolve (EHOSTDOWN on-link, EHOSTUNREACH via a gateway).
 */
export function arpOutput(stack: NetStack, iface: Iface, nextHop: number, frame: Uint8Array, inIf: number, viaGateway: boolean): Errno | null {
  const key = nextHop | 0; // int32 keys stay small integers for every address (see types.ts)
  let e = iface.arp.get(key);
  if (e !== undefined) {
    const now = stack.env.sim.now();
    if (e.state === ARP_STATE.COMPLETE || e.state === ARP_STATE.STATIC) {
      if (e.state === ARP_STATE.STATIC || now < e.expiresNs) {
        if (stack.explain !== null) explainArp(stack, iface, nextHop, 'hit', e);
        writeMacParts(frame, 0, e.macHi, e.macLo);
        transmitFrame(stack, iface, frame, inIf);
        return null;
      }
      iface.arp.delete(key);
      e = undefined;
    } else if (e.state === ARP_STATE.DOWN) {
      if (now < e.expiresNs) {
        if (stack.explain !== null) explainArp(stack, iface, nextHop, 'down', e);
        traceDrop(stack, iface.index, frame, DROP.ARP_TIMEOUT);
        return viaGateway ? 'EHOSTUNREACH' : 'EHOSTDOWN';
      }
      iface.arp.delete(key);
      e = undefined;
    } else {
      hold(stack, iface, e, frame, inIf);
      if (stack.explain !== null) explainArp(stack, iface, nextHop, 'pending', e);
      return null;
    }
  }
  e = newEntry(stack, iface, nextHop >>> 0, ARP_STATE.INCOMPLETE);
  iface.arp.set(key, e);
  hold(stack, iface, e, frame, inIf);
  if (stack.explain !== null) explainArp(stack, iface, nextHop, 'miss', e);
  sendRequest(stack, iface, nextHop >>> 0);
  e.asked = 1;
  e.timer = stack.env.sim.schedule(ARP_RETRY_NS, arpTimer, e);
  return null;
}

/** The ARP cache lookup for a next hop, with the packets now held while it resolves (explain.ts). */
function explainArp(stack: NetStack, iface: Iface, nextHop: number, result: NeighborResult, e: ArpEntry): void {
  const s: DecisionStep = { kind: 'neighbor', layer: 'link', proto: 'arp', iface: iface.name, nextHop: formatIpv4(nextHop >>> 0), result };
  if (result === 'hit') s.mac = formatMac(e.mac);
  else if (e.held !== null) s.held = e.held.length;
  stack.explain!.step(stack.nodeIndex, s);
}

function newEntry(stack: NetStack, iface: Iface, ip: number, state: ArpEntry['state']): ArpEntry {
  return { owner: stack, ip, ifIndex: iface.index, state, mac: 0, macHi: 0, macLo: 0, expiresNs: 0, asked: 0, timer: 0, held: null };
}

function hold(stack: NetStack, iface: Iface, e: ArpEntry, frame: Uint8Array, inIf: number): void {
  if (e.held === null) e.held = [];
  // FreeBSD arpresolve drops the oldest held packet when maxhold is reached.
  if (e.held.length >= ARP_MAX_HOLD) {
    const old = e.held.shift() as { frame: Uint8Array };
    traceDrop(stack, iface.index, old.frame, DROP.ARP_QUEUE_FULL);
  }
  e.held.push({ frame, inIf });
}

function arpTimer(e: ArpEntry): void {
  const stack = e.owner;
  const iface = stack.ifaces[e.ifIndex];
  if (iface.arp.get(e.ip | 0) !== e) return; // flushed or replaced
  e.timer = 0;
  if (e.state === ARP_STATE.DOWN) {
    iface.arp.delete(e.ip | 0);
    return;
  }
  if (e.state !== ARP_STATE.INCOMPLETE) return;
  if (e.asked < ARP_MAX_TRIES) {
    e.asked++;
    sendRequest(stack, iface, e.ip);
    e.timer = stack.env.sim.schedule(ARP_RETRY_NS, arpTimer, e);
    return;
  }
  giveUp(stack, iface, e);
}

/** After maxtries unanswered requests: drop held packets, report host unreachable, go DOWN. */
function giveUp(stack: NetStack, iface: Iface, e: ArpEntry): void {
  e.state = ARP_STATE.DOWN;
  e.expiresNs = stack.env.sim.now() + ARP_DOWN_NS;
  e.timer = stack.env.sim.schedule(ARP_DOWN_NS, arpTimer, e);
  const held = e.held;
  e.held = null;
  if (held === null) return;
  for (const h of held) {
    traceDrop(stack, iface.index, h.frame, DROP.ARP_TIMEOUT);
    // RFC 1812 §5.2.7.1: a router that cannot resolve the next hop reports host unreachable.
    if (h.inIf >= 0) icmpSendError(stack, h.frame, ETH_HEADER_LEN, ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.HOST, 0, h.inIf);
  }
}

function arpFrame(iface: Iface, dstMac: number, op: number, senderIp: number, targetMac: number, targetIp: number): Uint8Array {
  const frame = new Uint8Array(ETH_MIN_FRAME_LEN);
  writeMac(frame, 0, dstMac);
  writeSrcMac(frame, iface);
  frame[12] = ETHERTYPE.ARP >>> 8;
  frame[13] = ETHERTYPE.ARP & 0xff;
  emitArp({ op, senderMac: iface.mac, senderIp, targetMac, targetIp }, frame, ETH_HEADER_LEN);
  return frame;
}

function sendRequest(stack: NetStack, iface: Iface, target: number): void {
  if (!iface.up || !iface.carrier) return;
  stack.stats.arpRequestsSent++;
  transmitFrame(stack, iface, arpFrame(iface, MAC_BROADCAST, ARP_OP.REQUEST, selectSource(iface, target), 0, target), -1);
}

/** Gratuitous ARP (RFC 5227 §2.3 announcement: sender = target = our address). */
export function arpAnnounce(stack: NetStack, iface: Iface, addr: number): void {
  if (!iface.up || !iface.carrier || iface.loopback) return;
  stack.stats.arpRequestsSent++;
  transmitFrame(stack, iface, arpFrame(iface, MAC_BROADCAST, ARP_OP.REQUEST, addr, 0, addr), -1);
}

function isOurs(iface: Iface, ip: number): boolean {
  for (const a of iface.addrs) if (a.addr === ip) return true;
  return false;
}

/** ARP packet at `off` received on `iface` (RFC 826 "Packet Reception"). */
export function arpInput(stack: NetStack, iface: Iface, frame: Uint8Array, off: number): void {
  if (!ArpView.check(frame, off, frame.length - off)) {
    iface.counters.errors++;
    traceDrop(stack, iface.index, frame, DROP.MALFORMED);
    return;
  }
  const v = new ArpView(frame, off);
  const op = v.op;
  const senderMac = v.senderMac;
  const senderIp = v.senderIp;
  const targetIp = v.targetIp;
  if (senderMac === iface.mac || (op !== ARP_OP.REQUEST && op !== ARP_OP.REPLY)) return;
  if (senderMac === MAC_BROADCAST || isOurs(iface, senderIp)) return; // FreeBSD logs a duplicate address and ignores it
  const forUs = isOurs(iface, targetIp);
  // Merge flag (RFC 826): update an existing entry; create one only when we are the target.
  const e = iface.arp.get(senderIp | 0);
  if (senderIp !== 0 && (e !== undefined || forUs)) learn(stack, iface, senderIp, senderMac, e);
  if (op === ARP_OP.REQUEST && forUs) {
    stack.stats.arpRepliesSent++;
    if (stack.explain !== null) {
      stack.explain.step(stack.nodeIndex, { kind: 'arp-answer', layer: 'link', iface: iface.name, ip: formatIpv4(targetIp >>> 0), mac: formatMac(iface.mac), to: formatIpv4(senderIp >>> 0) });
    }
    transmitFrame(stack, iface, arpFrame(iface, senderMac, ARP_OP.REPLY, targetIp, senderMac, senderIp), -1);
  }
}

function learn(stack: NetStack, iface: Iface, ip: number, mac: number, existing: ArpEntry | undefined): void {
  if (existing !== undefined && existing.state === ARP_STATE.STATIC) return;
  let e = existing;
  if (e === undefined) {
    e = newEntry(stack, iface, ip, ARP_STATE.COMPLETE);
    iface.arp.set(ip | 0, e);
  }
  if (e.timer !== 0) stack.env.sim.cancel(e.timer);
  e.timer = 0;
  e.state = ARP_STATE.COMPLETE;
  e.asked = 0;
  setMac(e, mac);
  e.expiresNs = stack.env.sim.now() + ARP_MAX_AGE_NS;
  const held = e.held;
  e.held = null;
  if (stack.explain !== null) {
    stack.explain.step(stack.nodeIndex, { kind: 'neighbor-learn', layer: 'link', proto: 'arp', iface: iface.name, ip: formatIpv4(ip >>> 0), mac: formatMac(mac), released: held === null ? 0 : held.length });
  }
  if (held !== null) for (const h of held) {
    writeMacParts(h.frame, 0, e.macHi, e.macLo);
    transmitFrame(stack, iface, h.frame, h.inIf);
  }
}

/** Drops every entry on `iface` (interface or link down); held packets are discarded. */
export function arpFlushIface(stack: NetStack, iface: Iface, reason: DropReason): void {
  for (const e of iface.arp.values()) {
    if (e.timer !== 0) stack.env.sim.cancel(e.timer);
    if (e.held) for (const h of e.held) traceDrop(stack, iface.index, h.frame, reason);
  }
  iface.arp.clear();
}

export interface ArpInfo {
  ip: number;
  /** null while incomplete / host down. */
  mac: number | null;
  iface: string;
  state: ArpEntry['state'];
  permanent: boolean;
  /** One of this node's own addresses (FreeBSD's LLE_IFADDR entry): listed, never deleted. */
  own: boolean;
  /** Seconds until expiry (FreeBSD `arp -a` "expires in N seconds"), null when permanent. */
  expiresInS: number | null;
  /** FreeBSD arp -a line, e.g. `? (10.0.0.1) at 42:00:aa:00:00:01 on eth0 expires in 1199 seconds [ethernet]`. */
  text: string;
}

/** FreeBSD arp(8) prints the link type last: `[vlan]` for vlan(4) interfaces, else `[ethernet]`. */
function linkType(iface: Iface): string {
  return iface.vlanParent >= 0 ? 'vlan' : 'ethernet';
}

/**
 * arp -a: the neighbour cache (expired entries are not shown). With `own`, also the
 * permanent entry FreeBSD keeps for each address of each Ethernet interface (arp_ifinit).
 */
export function arpList(stack: NetStack, opts: { own?: boolean } = {}): ArpInfo[] {
  const now = stack.env.sim.now();
  const out: ArpInfo[] = [];
  for (const iface of stack.ifaces) {
    if (opts.own && !iface.loopback) {
      for (const a of iface.addrs) {
        const text = `? (${formatIpv4(a.addr)}) at ${formatMac(iface.mac)} on ${iface.name} permanent [${linkType(iface)}]`;
        out.push({ ip: a.addr, mac: iface.mac, iface: iface.name, state: ARP_STATE.STATIC, permanent: true, own: true, expiresInS: null, text });
      }
    }
    for (const e of iface.arp.values()) {
      if (e.state === ARP_STATE.COMPLETE && now >= e.expiresNs) continue;
      const known = e.state === ARP_STATE.COMPLETE || e.state === ARP_STATE.STATIC;
      const permanent = e.state === ARP_STATE.STATIC;
      const expiresInS = permanent ? null : Math.max(0, Math.ceil((e.expiresNs - now) / SEC));
      const when = permanent ? 'permanent' : known ? `expires in ${expiresInS} seconds` : 'expired';
      const mac = known ? formatMac(e.mac) : '(incomplete)';
      out.push({
        ip: e.ip,
        mac: known ? e.mac : null,
        iface: iface.name,
        state: e.state,
        permanent,
        own: false,
        expiresInS: known ? expiresInS : null,
        text: `? (${formatIpv4(e.ip)}) at ${mac} on ${iface.name} ${when} [${linkType(iface)}]`,
      });
    }
  }
  return out.sort((a, b) => a.ip - b.ip);
}

/** arp -d IP */
export function arpDelete(stack: NetStack, ip: number): ConfigResult {
  for (const iface of stack.ifaces) {
    const e = iface.arp.get(ip | 0);
    if (e === undefined) continue;
    if (e.timer !== 0) stack.env.sim.cancel(e.timer);
    if (e.held) for (const h of e.held) traceDrop(stack, iface.index, h.frame, DROP.ARP_TIMEOUT);
    iface.arp.delete(ip | 0);
    return { ok: true };
  }
  return configError('ESRCH', `delete: cannot locate ${formatIpv4(ip >>> 0)}`);
}

/** arp -a -d: deletes every entry; returns how many. */
export function arpFlush(stack: NetStack): number {
  let n = 0;
  for (const iface of stack.ifaces) {
    n += iface.arp.size;
    arpFlushIface(stack, iface, DROP.ARP_TIMEOUT);
  }
  return n;
}

/** arp -s IP MAC: a permanent entry on the interface whose subnet holds IP. */
export function arpAddStatic(stack: NetStack, ip: number, mac: number): ConfigResult {
  const iface = onLinkIface(stack, ip >>> 0);
  if (!iface) return configError('ENETUNREACH', `set: can only proxy for ${formatIpv4(ip >>> 0)}`);
  const old = iface.arp.get(ip | 0);
  learn(stack, iface, ip >>> 0, mac, old && old.state === ARP_STATE.STATIC ? undefined : old);
  const e = iface.arp.get(ip | 0) as ArpEntry;
  e.state = ARP_STATE.STATIC;
  setMac(e, mac);
  return { ok: true };
}

