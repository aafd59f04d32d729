// Neighbor discovery of one stack (FreeBSD nd6.c + nd6_nbr.c): the neighbor cache with
// INCOMPLETE/REACHABLE/STALE/DELAY/PROBE and their timers in virtual time, packets held
// while resolving (address unreachable when it fails), NS/NA input and output, and
// duplicate address detection. Must not route. RFC 4861 §7.2-7.3, §10; RFC 4862 §5.4.

import { in6AddrsChanged, inet6Of } from './in6';
import { formatMac, writeMacParts } from '../wire/addr';
import { buildIcmpv6, ICMPV6_TYPE, ICMPV6_UNREACH, type Icmpv6Repr, type NdRepr } from '../wire/icmpv6';
import { IPV6_NEXT } from '../wire/ipv6';
import { formatIpv6, ipv6AllNodes, ipv6Equal, ipv6Key, isIpv6Multicast, isIpv6Unspecified, solicitedNode, type Ipv6Addr } from '../wire/ipv6-addr';
import { DROP } from './env';
import type { DecisionStep, NeighborResult } from './explain';
import type { Errno } from './errno';
import { icmp6SendError } from './icmp6';
import { IN6_STATE, ND_STATE, type In6Addr, type NdEntry } from './inet6-types';
import { ip6Send } from './ip6-output';
import { traceDrop, transmitFrame } from './link-output';
import type { NetStack } from './types';

const SEC = 1_000_000_000;
/** RFC 4861 §10 protocol constants (FreeBSD's defaults). */
export const ND6_RETRANS_NS = 1 * SEC;
export const ND6_REACHABLE_NS = 30 * SEC;
export const ND6_DELAY_FIRST_PROBE_NS = 5 * SEC;
export const ND6_MAX_MULTICAST_SOLICIT = 3;
export const ND6_MAX_UNICAST_SOLICIT = 3;
/** FreeBSD net.inet6.ip6.nd6_maxqueuelen */
export const ND6_MAX_HOLD = 16;
/** FreeBSD net.inet6.icmp6.nd6_gctimer: how long a STALE entry is kept. */
export const ND6_GC_NS = 86400 * SEC;
/** FreeBSD net.inet6.ip6.dad_count */
export const DAD_TRANSMITS = 1;

function cacheOf(stack: NetStack, ifIndex: number): Map<string, NdEntry> {
  const i6 = inet6Of(stack).ifs[ifIndex];
  return (i6.nd ??= new Map());
}

/** ReachableTime is randomised in [0.5, 1.5] × BaseReachableTime (RFC 4861 §6.3.2). */
function reachableNs(stack: NetStack): number {
  return Math.floor(ND6_REACHABLE_NS * (0.5 + stack.env.rng(`node:${stack.name}:inet6`).nextInt(1_000_001) / 1_000_000));
}

/** The state an entry is in now: REACHABLE turns STALE when its time is up (RFC 4861 §7.3.3). */
export function nd6StateNow(stack: NetStack, e: NdEntry): string {
  if (e.state === ND_STATE.REACHABLE && stack.env.sim.now() >= e.expiresNs) {
    e.state = ND_STATE.STALE;
    e.expiresNs += ND6_GC_NS;
  }
  return e.state;
}

/** Enters `state`, which ends `forNs` from now (the Expire column of ndp). */
function enter(stack: NetStack, e: NdEntry, state: NdEntry['state'], forNs: number): void {
  e.state = state;
  e.expiresNs = stack.env.sim.now() + forNs;
}

function setTimer(stack: NetStack, e: NdEntry, delayNs: number): void {
  if (e.timer !== 0) stack.env.sim.cancel(e.timer);
  e.timer = stack.env.sim.schedule(delayNs, nd6Timer, e);
}

function clearTimer(stack: NetStack, e: NdEntry): void {
  if (e.timer !== 0) stack.env.sim.cancel(e.timer);
  e.timer = 0;
}

const macHiOf = (mac: number): number => Math.floor(mac / 0x1_0000_0000);

/** The neighbor's MAC, kept in parts too (how frames are written: no float math per packet). */
function setMac(e: NdEntry, mac: number): void {
  e.mac = mac;
  e.macHi = macHiOf(mac);
  e.macLo = mac >>> 0;
}

/** Puts the neighbor's MAC in a frame and sends it. */
function sendTo(stack: NetStack, e: NdEntry, frame: Uint8Array, inIf: number): void {
  writeMacParts(frame, 0, e.macHi, e.macLo);
  transmitFrame(stack, stack.ifaces[e.ifIndex], frame, inIf);
}

/**
 * Link-layer output toward `nextHop` on `ifIndex` (nd6_resolve): send now when the
 * neighbor is known, else hold the frame and solicit. Null on success; an errno when
 * the neighbor was just declared unreachable is not reported here (the ICMPv6 error is).
 */
export function nd6Output(stack: NetStack, ifIndex: number, hop: Uint8Array, hopOff: number, frame: Uint8Array, inIf: number): Errno | null {
  const i6 = inet6Of(stack).ifs[ifIndex];
  // Most output goes to one next hop: reuse the last entry (entries leave the cache only
  // through unreachable() and nd6Flush(), which forget it). Its common case, REACHABLE and
  // not yet due (or DELAY/PROBE, which send as they are), is sent here without a key string.
  const last = i6.ndLast;
  if (last !== null && stack.explain === null && ipv6Equal(last.addr, hop, 0, hopOff)) {
    const st = last.state;
    if ((st === ND_STATE.REACHABLE && stack.env.sim.now() < last.expiresNs) || st === ND_STATE.DELAY || st === ND_STATE.PROBE) {
      sendTo(stack, last, frame, inIf);
      return null;
    }
  }
  return nd6Resolve(stack, ifIndex, hop, hopOff, frame, inIf);
}

/** nd6Output's general case: find or create the entry, hold or send by its state. */
function nd6Resolve(stack: NetStack, ifIndex: number, hop: Uint8Array, hopOff: number, frame: Uint8Array, inIf: number): Errno | null {
  const i6 = inet6Of(stack).ifs[ifIndex];
  const cache = (i6.nd ??= new Map());
  const last = i6.ndLast;
  let e: NdEntry | undefined = last ?? undefined;
  if (last === null || !ipv6Equal(last.addr, hop, 0, hopOff)) {
    e = cache.get(ipv6Key(hop, hopOff));
    if (e !== undefined) i6.ndLast = e;
  }
  if (e === undefined) {
    const key = ipv6Key(hop, hopOff);
    e = { owner: stack, ifIndex, addr: hop.slice(hopOff, hopOff + 16), key, state: ND_STATE.INCOMPLETE, mac: 0, macHi: 0, macLo: 0, isRouter: false, expiresNs: stack.env.sim.now() + ND6_RETRANS_NS, asked: 0, timer: 0, held: [] };
    cache.set(key, e);
    e.held!.push({ frame, inIf });
    if (stack.explain !== null) explainNd(stack, e, 'miss');
    solicit(stack, e, true);
    setTimer(stack, e, ND6_RETRANS_NS);
    return null;
  }
  const state = nd6StateNow(stack, e);
  if (state === ND_STATE.INCOMPLETE) {
    const held = (e.held ??= []);
    if (held.length >= ND6_MAX_HOLD) {
      const old = held.shift()!;
      traceDrop(stack, ifIndex, old.frame, DROP.ARP_QUEUE_FULL);
    }
    held.push({ frame, inIf });
    if (stack.explain !== null) explainNd(stack, e, 'pending');
    return null;
  }
  if (state === ND_STATE.STALE) {
    // RFC 4861 §7.3.3: first use of a STALE entry starts the DELAY timer.
    enter(stack, e, ND_STATE.DELAY, ND6_DELAY_FIRST_PROBE_NS);
    setTimer(stack, e, ND6_DELAY_FIRST_PROBE_NS);
  }
  if (stack.explain !== null) explainNd(stack, e, 'hit');
  sendTo(stack, e, frame, inIf);
  return null;
}

/** `ndp -c`: forgets every neighbor (their timers stop; held packets are dropped silently, as nd6_free does). */
export function nd6Flush(stack: NetStack): void {
  for (const i6 of stack.inet6?.ifs ?? []) {
    if (i6.nd !== null) for (const e of i6.nd.values()) clearTimer(stack, e);
    i6.nd?.clear();
    i6.ndLast = null;
  }
}

/** The neighbor cache lookup for a next hop (RFC 4861 §7.2.2), for explain.ts. */
function explainNd(stack: NetStack, e: NdEntry, result: NeighborResult): void {
  const s: DecisionStep = { kind: 'neighbor', layer: 'link', proto: 'ndp', iface: stack.ifaces[e.ifIndex].name, nextHop: formatIpv6(e.addr), result };
  if (result === 'hit') s.mac = formatMac(e.mac);
  else if (e.held) s.held = e.held.length;
  stack.explain!.step(stack.nodeIndex, s);
}

/** Sends a neighbor solicitation for `e` (multicast while INCOMPLETE, unicast when probing). */
function solicit(stack: NetStack, e: NdEntry, multicast: boolean): void {
  e.asked++;
  const dst = multicast ? solicitedNode(e.addr) : e.addr;
  const nd: NdRepr = { target: e.addr, options: [{ kind: 'source-ll', mac: stack.ifaces[e.ifIndex].mac }] };
  sendNd(stack, e.ifIndex, { type: ICMPV6_TYPE.NEIGHBOR_SOLICIT, code: 0, data: new Uint8Array(0), nd }, dst, undefined);
  inet6Of(stack).stats.nsSent++;
  if (!multicast) return;
}

function sendNd(stack: NetStack, ifIndex: number, m: Icmpv6Repr, dst: Ipv6Addr, src: Ipv6Addr | undefined): void {
  // The checksum is filled by ip6Send once the source is chosen (checksumAt 2).
  const payload = buildIcmpv6(m, new Uint8Array(16), new Uint8Array(16));
  ip6Send(stack, { dst, src, next: IPV6_NEXT.ICMPV6, payload, checksumAt: 2, hopLimit: 255, zone: ifIndex });
}

/** Retransmission, DELAY → PROBE, and giving up (RFC 4861 §7.3.3, §7.2.2). */
function nd6Timer(e: NdEntry): void {
  const stack = e.owner;
  e.timer = 0;
  const cache = inet6Of(stack).ifs[e.ifIndex].nd;
  if (cache === null || cache.get(e.key) !== e) return;
  switch (e.state) {
    case ND_STATE.INCOMPLETE:
      if (e.asked < ND6_MAX_MULTICAST_SOLICIT) {
        enter(stack, e, ND_STATE.INCOMPLETE, ND6_RETRANS_NS);
        solicit(stack, e, true);
        setTimer(stack, e, ND6_RETRANS_NS);
        return;
      }
      return unreachable(stack, e);
    case ND_STATE.DELAY:
      enter(stack, e, ND_STATE.PROBE, ND6_RETRANS_NS);
      e.asked = 0;
      solicit(stack, e, false);
      setTimer(stack, e, ND6_RETRANS_NS);
      return;
    case ND_STATE.PROBE:
      if (e.asked < ND6_MAX_UNICAST_SOLICIT) {
        enter(stack, e, ND_STATE.PROBE, ND6_RETRANS_NS);
        solicit(stack, e, false);
        setTimer(stack, e, ND6_RETRANS_NS);
        return;
      }
      cache.delete(e.key);
      return;
    case ND_STATE.REACHABLE:
    case ND_STATE.STALE:
      return;
    default:
      return e.state satisfies never;
  }
}

/**
 * Address resolution failed: every held packet is dropped and its sender told "address
 * unreachable" (RFC 4861 §7.2.2; FreeBSD nd6_llinfo_timer → icmp6_error2), then the
 * entry goes away so the next packet starts over.
 */
function unreachable(stack: NetStack, e: NdEntry): void {
  const held = e.held ?? [];
  e.held = null;
  const i6 = inet6Of(stack).ifs[e.ifIndex];
  i6.nd!.delete(e.key);
  if (i6.ndLast === e) i6.ndLast = null;
  for (const h of held) {
    traceDrop(stack, e.ifIndex, h.frame, DROP.ND_TIMEOUT);
    icmp6SendError(stack, h.frame, 14, ICMPV6_TYPE.DST_UNREACHABLE, ICMPV6_UNREACH.ADDRESS, 0, h.inIf);
  }
}

/** A neighbor's link-layer address learnt (NA, or NS/RS with a source link-layer option). */
function learn(stack: NetStack, e: NdEntry, mac: number): void {
  setMac(e, mac);
  const held = e.held;
  e.held = null;
  if (held !== null) for (const h of held) sendTo(stack, e, h.frame, h.inIf);
}

/** NS received (RFC 4861 §7.2.3-4, RFC 4862 §5.4.3): answer for our addresses, learn the sender, detect DAD clashes. */
export function nd6NsInput(stack: NetStack, ifIndex: number, src: Ipv6Addr, dst: Ipv6Addr, hopLimit: number, nd: NdRepr): void {
  const target = nd.target;
  if (hopLimit !== 255 || target === undefined || isIpv6Multicast(target)) return;
  let slla: number | null = null;
  for (const o of nd.options) if (o.kind === 'source-ll') slla = o.mac;
  const fromDad = isIpv6Unspecified(src);
  if (fromDad && (slla !== null || !isIpv6Multicast(dst))) return; // §7.1.1
  const mine = in6Find(stack, ifIndex, target);
  if (mine === null) return;
  if (mine.state === IN6_STATE.TENTATIVE) {
    // §5.4.3: someone else is doing DAD for our tentative address: it is a duplicate.
    if (fromDad) return dadFailed(stack, mine);
    // A tentative address stays silent; an optimistic one answers, without Override (RFC 4429 §3.3).
    if (!mine.optimistic) return;
  }
  if (mine.state === IN6_STATE.DUPLICATED) return;
  if (!fromDad && slla !== null) nd6Update(stack, ifIndex, src, slla, false);
  const override = mine.state !== IN6_STATE.TENTATIVE;
  const na: NdRepr = { target, router: inet6Of(stack).forwarding, solicited: !fromDad, override, options: [{ kind: 'target-ll', mac: stack.ifaces[ifIndex].mac }] };
  inet6Of(stack).stats.naSent++;
  sendNd(stack, ifIndex, { type: ICMPV6_TYPE.NEIGHBOR_ADVERT, code: 0, data: new Uint8Array(0), nd: na }, fromDad ? ipv6AllNodes() : src, target);
}

/** NS, RS or RA with a source link-layer address: create or refresh the sender as STALE (§7.2.3). */
export function nd6Update(stack: NetStack, ifIndex: number, addr: Ipv6Addr, mac: number, isRouter: boolean): void {
  const cache = cacheOf(stack, ifIndex);
  const key = ipv6Key(addr);
  const e = cache.get(key);
  if (e === undefined) {
    cache.set(key, { owner: stack, ifIndex, addr: addr.slice(), key, state: ND_STATE.STALE, mac, macHi: macHiOf(mac), macLo: mac >>> 0, isRouter, expiresNs: stack.env.sim.now() + ND6_GC_NS, asked: 0, timer: 0, held: null });
    return;
  }
  if (e.state === ND_STATE.INCOMPLETE || e.mac !== mac) {
    enter(stack, e, ND_STATE.STALE, ND6_GC_NS);
    clearTimer(stack, e);
    learn(stack, e, mac);
  }
}

/** NA received (RFC 4861 §7.2.5): completes resolution, confirms reachability, or detects a DAD clash. */
export function nd6NaInput(stack: NetStack, ifIndex: number, dst: Ipv6Addr, hopLimit: number, nd: NdRepr): void {
  const target = nd.target;
  if (hopLimit !== 255 || target === undefined || isIpv6Multicast(target)) return;
  if (isIpv6Multicast(dst) && nd.solicited) return; // §7.1.2
  const mine = in6Find(stack, ifIndex, target);
  if (mine !== null) {
    if (mine.state === IN6_STATE.TENTATIVE) dadFailed(stack, mine); // RFC 4862 §5.4.4
    return;
  }
  const e = inet6Of(stack).ifs[ifIndex].nd?.get(ipv6Key(target));
  if (e === undefined) return; // unsolicited for an unknown neighbor: no entry is created
  let tlla: number | null = null;
  for (const o of nd.options) if (o.kind === 'target-ll') tlla = o.mac;
  if (nd6StateNow(stack, e) === ND_STATE.INCOMPLETE) {
    if (tlla === null) return;
    e.isRouter = !!nd.router;
    clearTimer(stack, e);
    if (nd.solicited) enter(stack, e, ND_STATE.REACHABLE, reachableNs(stack));
    else enter(stack, e, ND_STATE.STALE, ND6_GC_NS);
    learn(stack, e, tlla);
    return;
  }
  const changed = tlla !== null && tlla !== e.mac;
  if (!nd.override && changed) {
    if (e.state === ND_STATE.REACHABLE) enter(stack, e, ND_STATE.STALE, ND6_GC_NS);
    return;
  }
  if (changed) setMac(e, tlla!);
  if (nd.solicited) {
    enter(stack, e, ND_STATE.REACHABLE, reachableNs(stack));
    clearTimer(stack, e);
  } else if (changed) {
    enter(stack, e, ND_STATE.STALE, ND6_GC_NS);
    clearTimer(stack, e);
  }
  e.isRouter = !!nd.router;
}

function in6Find(stack: NetStack, ifIndex: number, a: Ipv6Addr): In6Addr | null {
  const key = ipv6Key(a);
  for (const x of inet6Of(stack).ifs[ifIndex].addrs) if (x.key === key) return x;
  return null;
}

/** Starts DAD for a new address after `delayNs` (RFC 4862 §5.4.2). */
export function dadStart(stack: NetStack, a: In6Addr, delayNs: number): void {
  a.state = IN6_STATE.TENTATIVE;
  in6AddrsChanged(stack);
  a.dadLeft = DAD_TRANSMITS;
  if (a.dadTimer !== 0) stack.env.sim.cancel(a.dadTimer);
  a.dadTimer = stack.env.sim.schedule(delayNs, dadTimer, a);
}

function dadTimer(a: In6Addr): void {
  const stack = a.owner;
  a.dadTimer = 0;
  if (a.state !== IN6_STATE.TENTATIVE) return;
  if (a.dadLeft > 0) {
    a.dadLeft--;
    const nd: NdRepr = { target: a.addr, options: [] };
    sendNd(stack, a.ifIndex, { type: ICMPV6_TYPE.NEIGHBOR_SOLICIT, code: 0, data: new Uint8Array(0), nd }, solicitedNode(a.addr), new Uint8Array(16));
    inet6Of(stack).stats.nsSent++;
    a.dadTimer = stack.env.sim.schedule(ND6_RETRANS_NS, dadTimer, a);
    return;
  }
  a.state = IN6_STATE.PREFERRED;
  in6AddrsChanged(stack);
}

/**
 * DAD found a duplicate (RFC 4862 §5.4.5): the address is marked duplicated and never used;
 * a duplicated link-local disables IPv6 on the interface, as FreeBSD sets ND6_IFF_IFDISABLED.
 */
function dadFailed(stack: NetStack, a: In6Addr): void {
  a.state = IN6_STATE.DUPLICATED;
  in6AddrsChanged(stack);
  if (a.dadTimer !== 0) stack.env.sim.cancel(a.dadTimer);
  a.dadTimer = 0;
  inet6Of(stack).stats.dadDuplicates++;
  if (a.linkLocal) inet6Of(stack).ifs[a.ifIndex].disabled = true;
}

export interface NdInfo {
  addr: Ipv6Addr;
  ifIndex: number;
  iface: string;
  mac: number | null;
  state: string;
  isRouter: boolean;
  /** Seconds until the current state ends (the Expire column). */
  expiresInS: number;
  /** The FreeBSD `ndp -an` line. */
  text: string;
}

export const NDP_HEADER = `${'Neighbor'.padEnd(36)} ${'Linklayer Address'.padEnd(17)} ${'Netif'.padStart(6)} ${'Expire'.padEnd(9)} S Flags`;

/** FreeBSD ndp's sec2str: `23h59m59s`, `1m30s`, `29s`. */
function sec2str(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  let out = '';
  if (d > 0) out += `${d}d`;
  if (d > 0 || h > 0) out += `${h}h`;
  if (d > 0 || h > 0 || m > 0) out += `${m}m`;
  return `${out}${s % 60}s`;
}

function hostText(a: Ipv6Addr, iface: string): string {
  const t = formatIpv6(a);
  return a[0] === 0xfe && (a[1] & 0xc0) === 0x80 ? `${t}%${iface}` : t;
}

function line(host: string, ll: string, iface: string, expire: string, state: string, flags: string): string {
  return `${host.padEnd(36)} ${ll.padEnd(17)} ${iface.padStart(6)} ${expire.padEnd(9)} ${state} ${flags}`.trimEnd();
}

const ND_LETTER: Record<string, string> = { INCOMPLETE: 'I', REACHABLE: 'R', STALE: 'S', DELAY: 'D', PROBE: 'P' };

/** Neighbor cache rows (ndp -an) after our own addresses, interface order. */
export function nd6List(stack: NetStack): NdInfo[] {
  const out: NdInfo[] = [];
  if (stack.inet6 === null) return out;
  const now = stack.env.sim.now();
  inet6Of(stack).ifs.forEach((i6, ifIndex) => {
    if (i6.nd === null) return;
    for (const e of i6.nd.values()) {
      const state = nd6StateNow(stack, e);
      const iface = stack.ifaces[ifIndex].name;
      const expiresInS = (e.expiresNs - now) / SEC;
      const mac = state === ND_STATE.INCOMPLETE ? null : e.mac;
      const text = line(hostText(e.addr, iface), mac === null ? '(incomplete)' : formatMac(mac), iface, expiresInS > 0 ? sec2str(expiresInS) : 'expired', ND_LETTER[state], e.isRouter ? 'R' : '');
      out.push({ addr: e.addr, ifIndex, iface, mac, state, isRouter: e.isRouter, expiresInS, text });
    }
  });
  return out;
}

/** Our own addresses as `ndp -an` lists them: permanent, with the interface's MAC. */
export function nd6OwnLines(stack: NetStack): string[] {
  const lines: string[] = [];
  if (stack.inet6 === null) return lines;
  inet6Of(stack).ifs.forEach((i6, ifIndex) => {
    const iface = stack.ifaces[ifIndex];
    if (iface.loopback) return;
    for (const a of i6.addrs) lines.push(line(hostText(a.addr, iface.name), formatMac(iface.mac), iface.name, 'permanent', 'R', ''));
  });
  return lines;
}
