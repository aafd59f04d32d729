// IPv6 fragmentation at the source, reassembly at the destination, and the path MTU cache
// that Packet Too Big feeds (FreeBSD frag6.c, ip6_output's fragmenting, icmp6_mtudisc_update).
// Routers never fragment (ip6-forward.ts sends Packet Too Big). Bounded: at most
// FRAG6_MAX_PACKETS packets in reassembly, each given up after 60 s.
// RFC 8200 §4.5 (fragment header, §4.5 reassembly rules), RFC 8201 (path MTU), RFC 5722 (overlaps).

import { ICMPV6_TIME_EXCEEDED, ICMPV6_TYPE } from '../wire/icmpv6';
import { IPV6_HEADER_LEN, IPV6_MIN_MTU, IPV6_NEXT } from '../wire/ipv6';
import { ipv6Key, type Ipv6Addr } from '../wire/ipv6-addr';
import { DROP } from './env';
import { icmp6SendError } from './icmp6';
import { inet6Of } from './in6';
import { traceDrop } from './link-output';
import type { NetStack } from './types';

const SEC = 1_000_000_000;
/** RFC 8200 §4.5: reassembly is abandoned 60 s after the first fragment arrived. */
export const FRAG6_TIMEOUT_NS = 60 * SEC;
/** FreeBSD net.inet6.ip6.maxfragpackets is larger; a small bound keeps an emulated node small. */
export const FRAG6_MAX_PACKETS = 64;

export interface Frag6Piece {
  offset: number;
  data: Uint8Array;
}

export interface Frag6Packet {
  key: string;
  /** IPv6 header of the first fragment (offset 0), with its Next Header to restore. */
  header: Uint8Array | null;
  next: number;
  pieces: Frag6Piece[];
  /** Total length of the fragmentable part, known once the last fragment (M = 0) arrived. */
  total: number;
  expiresNs: number;
}

/** The path MTU toward `dst`: what Packet Too Big taught us, else `linkMtu` (RFC 8201 §4). */
export function pmtuFor(stack: NetStack, dst: Ipv6Addr, linkMtu: number): number {
  const learnt = stack.inet6?.pmtu?.get(ipv6Key(dst));
  return learnt === undefined ? linkMtu : Math.min(linkMtu, learnt);
}

/** Packet Too Big about a packet we sent to `dst`: remember the smaller MTU, never below 1280. */
export function pmtuUpdate(stack: NetStack, dst: Ipv6Addr, mtu: number): void {
  const inet6 = inet6Of(stack);
  const map = (inet6.pmtu ??= new Map());
  if (map.size >= 256) map.clear();
  const k = ipv6Key(dst);
  const v = Math.max(IPV6_MIN_MTU, mtu);
  if (v < (map.get(k) ?? Infinity)) map.set(k, v);
}

/**
 * Splits a whole packet (40-byte header, no extension headers, then the upper layer with its
 * checksum already filled) into fragments of at most `mtu` bytes (RFC 8200 §4.5).
 */
export function fragment6(stack: NetStack, packet: Uint8Array, mtu: number): Uint8Array[] {
  const inet6 = inet6Of(stack);
  const ident = (inet6.fragId = (inet6.fragId + 1) >>> 0);
  const next = packet[6];
  const chunk = Math.floor((mtu - IPV6_HEADER_LEN - 8) / 8) * 8;
  const body = packet.subarray(IPV6_HEADER_LEN);
  const out: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += chunk) {
    const piece = body.subarray(off, Math.min(body.length, off + chunk));
    const more = off + piece.length < body.length;
    const f = new Uint8Array(IPV6_HEADER_LEN + 8 + piece.length);
    f.set(packet.subarray(0, IPV6_HEADER_LEN));
    f[4] = (8 + piece.length) >>> 8;
    f[5] = (8 + piece.length) & 0xff;
    f[6] = IPV6_NEXT.FRAGMENT;
    f[40] = next;
    f[42] = off >>> 8;
    f[43] = (off & 0xf8) | (more ? 1 : 0);
    f[44] = ident >>> 24;
    f[45] = (ident >>> 16) & 0xff;
    f[46] = (ident >>> 8) & 0xff;
    f[47] = ident & 0xff;
    f.set(piece, 48);
    out.push(f);
  }
  return out;
}

/**
 * One fragment for us (packet at `ipOff`, fragment header at `fragOff`, data from `dataOff`
 * to `end`). Returns the reassembled packet (header + upper layer, no fragment header) when
 * this fragment completed it, else null. Overlapping fragments discard the packet (RFC 5722).
 */
export function reassemble6(stack: NetStack, ifIndex: number, buf: Uint8Array, ipOff: number, fragOff: number, dataOff: number, end: number): Uint8Array | null {
  const inet6 = inet6Of(stack);
  const w = (buf[fragOff + 2] << 8) | buf[fragOff + 3];
  const offset = w & 0xfff8;
  const more = (w & 1) === 1;
  const len = end - dataOff;
  if (more && len % 8 !== 0) {
    icmp6SendError(stack, buf, ipOff, ICMPV6_TYPE.PARAM_PROBLEM, 0, 4, ifIndex); // §4.5: pointer to Payload Length
    traceDrop(stack, ifIndex, buf, DROP.MALFORMED);
    return null;
  }
  const key = `${ipv6Key(buf, ipOff + 8)}${ipv6Key(buf, ipOff + 24)}${buf.subarray(fragOff + 4, fragOff + 8).join('.')}`;
  const map = (inet6.reass ??= new Map());
  let p = map.get(key);
  if (p === undefined) {
    if (map.size >= FRAG6_MAX_PACKETS) {
      traceDrop(stack, ifIndex, buf, DROP.QUEUE_FULL);
      return null;
    }
    p = { key, header: null, next: buf[fragOff], pieces: [], total: -1, expiresNs: stack.env.sim.now() + FRAG6_TIMEOUT_NS };
    map.set(key, p);
    if (inet6.reassTimer === 0) inet6.reassTimer = stack.env.sim.schedule(FRAG6_TIMEOUT_NS, reassTimer, stack);
  }
  for (const q of p.pieces) {
    if (offset < q.offset + q.data.length && q.offset < offset + len) {
      map.delete(key);
      traceDrop(stack, ifIndex, buf, DROP.MALFORMED);
      return null;
    }
  }
  if (offset === 0) p.header = buf.slice(ipOff, ipOff + IPV6_HEADER_LEN);
  if (!more) p.total = offset + len;
  p.pieces.push({ offset, data: buf.slice(dataOff, end) });
  if (p.header === null || p.total < 0) return null;
  let have = 0;
  for (const q of p.pieces) have += q.data.length;
  if (have !== p.total) return null;
  map.delete(key);
  const whole = new Uint8Array(IPV6_HEADER_LEN + p.total);
  whole.set(p.header);
  whole[4] = p.total >>> 8;
  whole[5] = p.total & 0xff;
  whole[6] = p.next;
  for (const q of p.pieces) whole.set(q.data, IPV6_HEADER_LEN + q.offset);
  return whole;
}

/** Gives up packets whose fragments did not all arrive in 60 s; time exceeded if fragment zero came (§4.5). */
function reassTimer(stack: NetStack): void {
  const inet6 = inet6Of(stack);
  inet6.reassTimer = 0;
  const map = inet6.reass;
  if (map === null) return;
  const now = stack.env.sim.now();
  for (const [k, p] of map) {
    if (p.expiresNs > now) continue;
    map.delete(k);
    const first = p.pieces.find((q) => q.offset === 0);
    if (p.header !== null && first !== undefined) {
      const pkt = new Uint8Array(IPV6_HEADER_LEN + first.data.length);
      pkt.set(p.header);
      pkt.set(first.data, IPV6_HEADER_LEN);
      icmp6SendError(stack, pkt, 0, ICMPV6_TYPE.TIME_EXCEEDED, ICMPV6_TIME_EXCEEDED.REASSEMBLY, 0, -1);
    }
    traceDrop(stack, stack.loIndex, p.header ?? new Uint8Array(0), DROP.REASSEMBLY_TIMEOUT);
  }
  if (map.size > 0) inet6.reassTimer = stack.env.sim.schedule(SEC, reassTimer, stack);
  else inet6.reass = null;
}
