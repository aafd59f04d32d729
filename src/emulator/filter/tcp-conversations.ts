// TCP analysis across the frames of one capture, as Wireshark's TCP dissector keeps it: the
// conversation (tcp.stream) of each segment, sequence and acknowledgment numbers relative to
// each side's initial sequence number, the window scaled by the shift both SYNs agreed on,
// retransmissions, and the payload of a conversation in both directions ("Follow TCP
// Stream"). Fed frames in capture order; pure (no clock, no I/O); never throws on bad bytes.
// RFC 9293 §3.4 (sequence numbers), RFC 7323 §2.3 (window scale applies after the SYNs).

import { formatIpv4 } from '../wire/addr';
import { field, generated, type DecodedField } from '../wire/decode-field';
import { ETHERTYPE, EthernetView } from '../wire/ethernet';
import { IP_PROTO, Ipv4View } from '../wire/ipv4';
import { IPV6_NEXT, Ipv6View, walkIpv6Chain } from '../wire/ipv6';
import { formatIpv6 } from '../wire/ipv6-addr';
import { TCP_FLAG, tcpFlagsText, TcpView } from '../wire/tcp';
import { parseTcpOptions } from '../wire/tcp-options';
import type { FrameFields } from './frame-fields';

/** Scale factor of a side whose SYN was not seen (Wireshark's "-1 (unknown)"), and of one without window scaling ("-2"). */
export const WSCALE_UNKNOWN = -1;
export const WSCALE_NONE = -2;

/** What the analysis knows of one TCP segment. */
export interface TcpSegmentInfo {
  stream: number;
  /** 0: sent by the side seen first in the conversation (the client when its SYN was captured), 1: the other side. */
  dir: 0 | 1;
  srcPort: number;
  dstPort: number;
  flags: number;
  seqRaw: number;
  ackRaw: number;
  seqRel: number;
  /** Relative acknowledgment number; the raw field when the ACK flag is clear (as Wireshark shows it). */
  ackRel: number;
  /** Payload bytes. */
  len: number;
  /** Relative sequence number after this segment (SYN and FIN count one; a bare ACK's is its own). */
  nextSeqRel: number;
  window: number;
  /** The window in bytes (the field shifted by the sender's scale), null while the scale is unknown. */
  windowCalc: number | null;
  /** The shift applied: 0…14, or WSCALE_UNKNOWN / WSCALE_NONE. */
  scale: number;
  /** The segment carries data (or SYN/FIN) below what this side had already sent. */
  retransmission: boolean;
  /** Initial sequence numbers of the sender and the receiver (to show SACK edges relative). */
  baseSeq: number;
  baseAck: number;
  /** Offset of the payload in the frame's bytes. */
  payloadOff: number;
}

/** One conversation: its two endpoints (side 0 first) and how much of each direction was seen. */
export interface TcpStreamInfo {
  index: number;
  ends: [string, string];
  /** Payload bytes in order, per direction, as kept for "Follow TCP Stream". */
  bytes: [number, number];
}

/** One run of payload of a followed stream, in the order it was captured. */
export interface FollowChunk {
  dir: 0 | 1;
  bytes: Uint8Array;
}

/** Payload kept per stream for "Follow TCP Stream": more is counted, not kept. */
export const FOLLOW_BYTES_MAX = 1 << 20;
/** Out-of-order runs held per direction until the gap before them fills. */
const PENDING_MAX = 64;

interface Side {
  /** Initial sequence number (relative 0), or null before the first segment of this side. */
  base: number | null;
  /** Highest raw sequence number sent so far (seq + len, SYN/FIN counted). */
  next: number | null;
  /** Window shift from this side's SYN; WSCALE_UNKNOWN until a SYN is seen. */
  wscale: number;
  synSeen: boolean;
  /** Relative sequence number of the next in-order payload byte for Follow. */
  followNext: number | null;
  pending: { seq: number; bytes: Uint8Array }[];
}

interface Stream {
  info: TcpStreamInfo;
  sides: [Side, Side];
  chunks: FollowChunk[];
  kept: number;
}

const newSide = (): Side => ({ base: null, next: null, wscale: WSCALE_UNKNOWN, synSeen: false, followNext: null, pending: [] });

/** Where a frame's TCP header is, and its endpoints as text. */
interface TcpAt {
  off: number;
  len: number;
  src: string;
  dst: string;
}

function locateTcp(bytes: Uint8Array): TcpAt | null {
  if (!EthernetView.check(bytes, 0, bytes.length)) return null;
  const eth = new EthernetView(bytes, 0);
  const off = eth.payloadOffset;
  const len = bytes.length - off;
  if (eth.etherType === ETHERTYPE.IPV4 && Ipv4View.check(bytes, off, len)) {
    const ip = new Ipv4View(bytes, off);
    if (ip.proto !== IP_PROTO.TCP || ip.fragOffset > 0 || ip.moreFragments) return null;
    return { off: ip.payloadOffset, len: ip.payloadLen, src: formatIpv4(ip.src), dst: formatIpv4(ip.dst) };
  }
  if (eth.etherType === ETHERTYPE.IPV6 && Ipv6View.check(bytes, off, len)) {
    const ip = new Ipv6View(bytes, off);
    const chain = walkIpv6Chain(bytes, ip.off, ip.payloadOffset + ip.payloadLen);
    if (!chain.ok || chain.value.proto !== IPV6_NEXT.TCP || chain.value.fragment !== null) return null;
    return { off: chain.value.upperOff, len: chain.value.upperLen, src: `[${formatIpv6(ip.src)}]`, dst: `[${formatIpv6(ip.dst)}]` };
  }
  return null;
}

const rel = (raw: number, base: number) => (raw - base) >>> 0;
/** a − b in sequence space (RFC 9293 §3.4), negative when a is before b. */
const seqDiff = (a: number, b: number) => (a - b) | 0;

/** The analysis of one capture; add frames in the order they were captured. */
export class TcpConversations {
  private readonly byKey = new Map<string, Stream>();
  private readonly streams: Stream[] = [];

  /** Analyses one frame; null when it is not a TCP segment. */
  add(bytes: Uint8Array): TcpSegmentInfo | null {
    const at = locateTcp(bytes);
    if (at === null || !TcpView.check(bytes, at.off, at.len)) return null;
    const t = new TcpView(bytes, at.off);
    const a = `${at.src}:${t.srcPort}`;
    const b = `${at.dst}:${t.dstPort}`;
    let s = this.byKey.get(`${a} ${b}`) ?? this.byKey.get(`${b} ${a}`);
    const flags = t.flags;
    // A new SYN on a conversation that closed (or reset) starts a new stream, as Wireshark does.
    if (s !== undefined && flags & TCP_FLAG.SYN && !(flags & TCP_FLAG.ACK) && s.sides[0].synSeen && s.sides[0].base !== t.seq) s = undefined;
    if (s === undefined) {
      s = { info: { index: this.streams.length, ends: [a, b], bytes: [0, 0] }, sides: [newSide(), newSide()], chunks: [], kept: 0 };
      this.streams.push(s);
      this.byKey.set(`${a} ${b}`, s);
    }
    const dir: 0 | 1 = s.info.ends[0] === a ? 0 : 1;
    const me = s.sides[dir];
    const peer = s.sides[1 - dir]!;
    const hl = t.headerLen;
    const len = Math.max(0, at.len - hl);
    const syn = (flags & TCP_FLAG.SYN) !== 0;
    const fin = (flags & TCP_FLAG.FIN) !== 0;
    if (syn) {
      me.synSeen = true;
      const o = hl > 20 ? parseTcpOptions(bytes, at.off + 20, hl - 20).options : {};
      me.wscale = o.wscale === undefined ? WSCALE_NONE : Math.min(o.wscale, 14);
    }
    // Wireshark: the SYN is relative 0; without a SYN, the first segment seen is relative 1.
    if (me.base === null || (syn && me.next === null)) me.base = syn ? t.seq : (t.seq - 1) >>> 0;
    const ack = (flags & TCP_FLAG.ACK) !== 0;
    if (ack && peer.base === null) peer.base = (t.ack - 1) >>> 0;
    const advance = len + (syn ? 1 : 0) + (fin ? 1 : 0);
    const end = (t.seq + advance) >>> 0;
    const retransmission = advance > 0 && me.next !== null && seqDiff(t.seq, me.next) < 0 && !(len === 1 && seqDiff(end, me.next) === 0 && !syn && !fin);
    if (advance > 0 && (me.next === null || seqDiff(end, me.next) > 0)) me.next = end;
    const scale = syn ? 0 : windowScale(me, peer);
    const info: TcpSegmentInfo = {
      stream: s.info.index,
      dir,
      srcPort: t.srcPort,
      dstPort: t.dstPort,
      flags,
      seqRaw: t.seq,
      ackRaw: t.ack,
      seqRel: rel(t.seq, me.base),
      ackRel: ack ? rel(t.ack, peer.base!) : t.ack,
      len,
      nextSeqRel: rel(end, me.base),
      window: t.window,
      windowCalc: scale >= 0 ? t.window << scale : scale === WSCALE_NONE ? t.window : null,
      scale: syn ? WSCALE_NONE : scale,
      retransmission,
      baseSeq: me.base,
      baseAck: peer.base ?? 0,
      payloadOff: at.off + hl,
    };
    if (len > 0) this.follow(s, dir, info.seqRel, bytes.subarray(info.payloadOff, info.payloadOff + len));
    return info;
  }

  /** The conversation `index`, or null. */
  stream(index: number): TcpStreamInfo | null {
    return this.streams[index]?.info ?? null;
  }

  /** The payload of conversation `index` in capture order, each direction in sequence, each byte once. */
  followStream(index: number): { chunks: FollowChunk[]; cut: boolean } | null {
    const s = this.streams[index];
    if (s === undefined) return null;
    return { chunks: s.chunks, cut: s.kept < s.info.bytes[0] + s.info.bytes[1] };
  }

  private follow(s: Stream, dir: 0 | 1, seqRel: number, data: Uint8Array): void {
    const side = s.sides[dir];
    if (side.followNext === null) side.followNext = seqRel;
    const d = seqDiff(seqRel, side.followNext);
    if (d > 0) {
      // A gap (a loss before the capture point, or reordering): hold the run until it fills.
      if (side.pending.length < PENDING_MAX) side.pending.push({ seq: seqRel, bytes: data });
      return;
    }
    this.emit(s, dir, data.subarray(-d));
    for (let k = side.pending.findIndex((p) => seqDiff(p.seq, side.followNext!) <= 0); k >= 0; k = side.pending.findIndex((p) => seqDiff(p.seq, side.followNext!) <= 0)) {
      const p = side.pending.splice(k, 1)[0]!;
      this.emit(s, dir, p.bytes.subarray(Math.min(p.bytes.length, -seqDiff(p.seq, side.followNext))));
    }
  }

  private emit(s: Stream, dir: 0 | 1, data: Uint8Array): void {
    if (data.length === 0) return;
    const side = s.sides[dir];
    side.followNext = (side.followNext! + data.length) >>> 0;
    s.info.bytes[dir] += data.length;
    const room = FOLLOW_BYTES_MAX - s.kept;
    if (room <= 0) return;
    const keep = data.length > room ? data.subarray(0, room) : data;
    s.kept += keep.length;
    const last = s.chunks[s.chunks.length - 1];
    // Consecutive runs of one direction join, so the view shows turns of the conversation.
    if (last !== undefined && last.dir === dir) {
      const joined = new Uint8Array(last.bytes.length + keep.length);
      joined.set(last.bytes, 0);
      joined.set(keep, last.bytes.length);
      last.bytes = joined;
    } else s.chunks.push({ dir, bytes: keep.slice() });
  }
}

/** The sender's window shift: only once both SYNs offered window scaling (RFC 7323 §2.2). */
function windowScale(me: Side, peer: Side): number {
  if (!me.synSeen || !peer.synSeen) return WSCALE_UNKNOWN;
  if (me.wscale === WSCALE_NONE || peer.wscale === WSCALE_NONE) return WSCALE_NONE;
  return me.wscale;
}

/** Display-filter fields that depend on the frames before this one (they override a frame's raw tcp.seq and tcp.ack, as Wireshark's relative numbers do). */
export function tcpConversationFields(i: TcpSegmentInfo): FrameFields {
  const f: FrameFields = {
    'tcp.stream': [i.stream],
    'tcp.seq': [i.seqRel],
    'tcp.len': [i.len],
  };
  f['tcp.ack'] = [i.ackRel];
  f['tcp.nxtseq'] = [i.nextSeqRel];
  if (i.windowCalc !== null) f['tcp.window_size'] = [i.windowCalc];
  if (i.retransmission) f['tcp.analysis.retransmission'] = [1];
  return f;
}

/** tshark's Info column with relative numbers, e.g. `[TCP Retransmission] 5001 → 80 [ACK] Seq=1449 Ack=1 Win=65535 Len=1448`. */
export function tcpInfoText(i: TcpSegmentInfo): string {
  const ack = i.flags & TCP_FLAG.ACK ? ` Ack=${i.ackRel}` : '';
  const win = i.windowCalc ?? i.window;
  const pre = i.retransmission ? '[TCP Retransmission] ' : '';
  return `${pre}${i.srcPort} → ${i.dstPort} [${tcpFlagsText(i.flags)}] Seq=${i.seqRel}${ack} Win=${win} Len=${i.len}`;
}

/**
 * The decoded tree of one frame with what the analysis knows added to its TCP layer, in
 * Wireshark's places: stream index, relative sequence and acknowledgment numbers, next
 * sequence number, calculated window and scale, relative SACK edges, and [SEQ/ACK analysis].
 * Returns a new tree; `tree` is not changed.
 */
export function annotateTcpTree(tree: readonly DecodedField[], i: TcpSegmentInfo): DecodedField[] {
  return tree.map((layer) => (layer.name === 'Transmission Control Protocol' && layer.children ? { ...layer, children: annotateTcpFields(layer.children, i) } : layer));
}

function annotateTcpFields(fields: readonly DecodedField[], i: TcpSegmentInfo): DecodedField[] {
  const out: DecodedField[] = [];
  for (const f of fields) {
    switch (f.name) {
      case 'Sequence Number (raw)':
        out.push(field('Sequence Number', `${i.seqRel}    (relative sequence number)`, f.offset, f.length), f);
        out.push(generated('Next Sequence Number', `${i.nextSeqRel}    (relative sequence number)`, f.offset, f.length));
        continue;
      case 'Acknowledgment Number (raw)':
        out.push(field('Acknowledgment Number', i.flags & TCP_FLAG.ACK ? `${i.ackRel}    (relative ack number)` : i.ackRel, f.offset, f.length));
        out.push(f);
        continue;
      case 'Window':
        out.push(f);
        out.push(generated('Calculated window size', i.windowCalc ?? i.window, f.offset, f.length));
        out.push(generated('Window size scaling factor', i.scale === WSCALE_UNKNOWN ? '-1 (unknown)' : i.scale === WSCALE_NONE ? '-2 (no window scaling used)' : 1 << i.scale, f.offset, f.length));
        continue;
      case 'Options':
        out.push({ ...f, children: f.children?.map((o) => (o.name === 'TCP Option - SACK' ? relativeSack(o, i) : o)) });
        continue;
      default:
        out.push(f);
        if (f.name === 'Destination Port') out.push(generated('Stream index', i.stream, f.offset, 0));
    }
  }
  if (i.retransmission) {
    const flags = generated('TCP Analysis Flags', 'retransmission', 0, 0, [field('[This frame is a (suspected) retransmission]', '', 0, 0)]);
    out.push(generated('SEQ/ACK analysis', 'retransmission', 0, 0, [flags]));
  }
  return out;
}

/** SACK edges acknowledge the peer's data: relative to the receiver's initial sequence number. */
function relativeSack(o: DecodedField, i: TcpSegmentInfo): DecodedField {
  const edges = o.children?.map((e) => ({ ...e, value: `${rel(Number(e.value), i.baseAck)} (relative)` }));
  return edges ? { ...o, children: edges } : o;
}
