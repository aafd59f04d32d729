// IPv4 fragmentation (one datagram → MTU-sized fragments) and reassembly (fragments →
// datagram) with a timeout and bounded memory. Time is a parameter; no clock is read.
// RFC 791 §2.3, §3.2 (fragmentation procedure, copied flag), RFC 815, RFC 1122 §3.3.2.

import { IPV4_MIN_HEADER_LEN, Ipv4View } from './ipv4';

/** Options that must be copied into every fragment (copied flag, RFC 791 §3.1). */
function copiedOptions(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out: number[] = [];
  let i = start;
  while (i < end) {
    const type = buf[i];
    if (type === 0) break; // End of Option List
    if (type === 1) {
      i += 1; // No Operation: copied flag is 0
      continue;
    }
    const len = i + 1 < end ? buf[i + 1] : 0;
    if (len < 2 || i + len > end) break; // malformed: copy nothing more
    if (type & 0x80) for (let k = 0; k < len; k++) out.push(buf[i + k]);
    i += len;
  }
  while (out.length % 4 !== 0) out.push(0);
  return Uint8Array.from(out);
}

function writeFragment(
  src: Uint8Array,
  header: Uint8Array,
  dataStart: number,
  dataLen: number,
  fragOffset: number,
  moreFragments: boolean,
  dontFragment: boolean,
): Uint8Array {
  const hl = header.length;
  const out = new Uint8Array(hl + dataLen);
  out.set(header);
  out[0] = 0x40 | (hl >>> 2);
  out.set(src.subarray(dataStart, dataStart + dataLen), hl);
  const v = new Ipv4View(out, 0);
  v.totalLen = hl + dataLen;
  v.setFragment(dontFragment, moreFragments, fragOffset);
  v.fillChecksum();
  return out;
}

/**
 * Splits `datagram` (one IPv4 datagram, possibly itself a fragment) so every piece fits
 * `mtu`. Returns `[datagram]` unchanged when it already fits, and null when DF is set and
 * it does not fit, when the MTU cannot carry 8 data bytes, or when the bytes are not a
 * valid IPv4 datagram. Offsets are 8-byte aligned; only options with the copied flag go
 * into non-first fragments; every header checksum is recomputed.
 */
export function fragmentIpv4(datagram: Uint8Array, mtu: number): Uint8Array[] | null {
  if (!Ipv4View.check(datagram, 0, datagram.length)) return null;
  const v = new Ipv4View(datagram, 0);
  const total = v.totalLen;
  if (total <= mtu) return [datagram];
  if (v.dontFragment) return null;
  const hl = v.headerLen;
  const firstHeader = datagram.subarray(0, hl);
  const restHeader = new Uint8Array(IPV4_MIN_HEADER_LEN + copiedOptions(datagram, IPV4_MIN_HEADER_LEN, hl).length);
  restHeader.set(datagram.subarray(0, IPV4_MIN_HEADER_LEN));
  restHeader.set(copiedOptions(datagram, IPV4_MIN_HEADER_LEN, hl), IPV4_MIN_HEADER_LEN);
  const baseOffset = v.fragOffset;
  const lastMf = v.moreFragments;
  const dataLen = total - hl;
  const pieces: Uint8Array[] = [];
  let done = 0;
  while (done < dataLen) {
    const header = done === 0 ? firstHeader : restHeader;
    const room = Math.floor((mtu - header.length) / 8) * 8;
    if (room < 8) return null;
    const n = Math.min(room, dataLen - done);
    const last = done + n === dataLen;
    pieces.push(writeFragment(datagram, header, hl + done, n, baseOffset + done, last ? lastMf : true, false));
    done += n;
  }
  return pieces;
}

export interface ReassemblerOptions {
  /** Give up on an incomplete datagram after this long (RFC 1122 §3.3.2: 60–120 s; BSD 30 s). */
  timeoutNs?: number;
  /** Incomplete datagrams held at once; the oldest is evicted beyond this. */
  maxDatagrams?: number;
  /** Fragment bytes held at once; the oldest datagrams are evicted beyond this. */
  maxBytes?: number;
}

/** A datagram given up by `expire`; `firstFragment` (offset 0) lets the stack send ICMP. */
export interface ExpiredDatagram {
  src: number;
  dst: number;
  proto: number;
  id: number;
  firstFragment: Uint8Array | null;
}

interface Piece {
  start: number;
  end: number;
  data: Uint8Array;
}

interface Pending {
  src: number;
  dst: number;
  proto: number;
  id: number;
  firstNs: number;
  pieces: Piece[];
  totalDataLen: number; // −1 until the last fragment (MF = 0) arrives
  first: Uint8Array | null;
  heldBytes: number;
}

const MAX_PIECES = 2048;
const MAX_DATAGRAM = 0xffff;

/** Per-stack reassembly state keyed by (src, dst, proto, id) — RFC 791 §3.2. */
export class Reassembler {
  readonly timeoutNs: number;
  readonly maxDatagrams: number;
  readonly maxBytes: number;
  private readonly pending = new Map<string, Pending>();
  private heldBytes = 0;
  /** Counters for `netstat`-like output: completed, dropped (bad/evicted), expired. */
  readonly stats = { reassembled: 0, dropped: 0, expired: 0 };

  constructor(opts: ReassemblerOptions = {}) {
    this.timeoutNs = opts.timeoutNs ?? 30_000_000_000;
    this.maxDatagrams = opts.maxDatagrams ?? 64;
    this.maxBytes = opts.maxBytes ?? 1 << 20;
  }

  get size(): number {
    return this.pending.size;
  }

  get bytesHeld(): number {
    return this.heldBytes;
  }

  /**
   * Adds one datagram. A non-fragment is returned as is; a fragment returns null until
   * it completes its datagram, which is then returned whole (MF clear, offset 0,
   * checksum recomputed). Invalid input is dropped (null), never thrown.
   */
  add(datagram: Uint8Array, nowNs: number): Uint8Array | null {
    if (!Ipv4View.check(datagram, 0, datagram.length)) return null;
    const v = new Ipv4View(datagram, 0);
    if (!v.isFragment) return datagram;
    const hl = v.headerLen;
    const start = v.fragOffset;
    const end = start + v.payloadLen;
    const key = `${v.src}/${v.dst}/${v.proto}/${v.id}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { src: v.src, dst: v.dst, proto: v.proto, id: v.id, firstNs: nowNs, pieces: [], totalDataLen: -1, first: null, heldBytes: 0 };
      this.pending.set(key, p);
    }
    // Non-final fragments must carry a multiple of 8 bytes (RFC 791 §3.2) and a datagram
    // may not exceed 65535 bytes: such a fragment alone is discarded.
    if ((v.moreFragments && (end - start) % 8 !== 0) || end + hl > MAX_DATAGRAM) {
      this.stats.dropped++;
      if (p.pieces.length === 0 && !p.first) this.pending.delete(key);
      return null;
    }
    // A second, different end or data past the end is a contradiction: give up the datagram.
    const contradiction =
      (p.totalDataLen >= 0 && (end > p.totalDataLen || (!v.moreFragments && end !== p.totalDataLen))) ||
      (!v.moreFragments && p.pieces.some((q) => q.end > end)) ||
      p.pieces.length >= MAX_PIECES;
    if (contradiction) {
      this.drop(key, p);
      return null;
    }
    if (!v.moreFragments) p.totalDataLen = end;
    if (start === 0 && !p.first) p.first = datagram.slice(0, hl + (end - start));
    if (end > start && !p.pieces.some((q) => q.start === start && q.end === end)) {
      // Copy: the caller may reuse its buffer for the next packet.
      const data = datagram.slice(hl, hl + (end - start));
      p.pieces.push({ start, end, data });
      p.heldBytes += data.length;
      this.heldBytes += data.length;
    }
    const whole = this.tryComplete(p);
    if (whole) {
      this.remove(key, p);
      this.stats.reassembled++;
      return whole;
    }
    this.enforceBounds(key);
    return null;
  }

  /** Gives up datagrams older than the timeout; returns them for ICMP time exceeded (code 1). */
  expire(nowNs: number): ExpiredDatagram[] {
    const out: ExpiredDatagram[] = [];
    for (const [key, p] of this.pending) {
      if (nowNs - p.firstNs < this.timeoutNs) continue;
      this.remove(key, p);
      this.stats.expired++;
      out.push({ src: p.src, dst: p.dst, proto: p.proto, id: p.id, firstFragment: p.first });
    }
    return out;
  }

  private tryComplete(p: Pending): Uint8Array | null {
    if (p.totalDataLen < 0 || !p.first) return null;
    const sorted = p.pieces.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    let covered = 0;
    for (const q of sorted) {
      if (q.start > covered) return null; // hole
      covered = Math.max(covered, q.end);
    }
    if (covered < p.totalDataLen) return null;
    const first = new Ipv4View(p.first, 0);
    const hl = first.headerLen;
    const out = new Uint8Array(hl + p.totalDataLen);
    out.set(p.first.subarray(0, hl));
    // Overlaps: the first arrival wins, so copy in reverse arrival order.
    for (let i = p.pieces.length - 1; i >= 0; i--) {
      const q = p.pieces[i];
      out.set(q.data, hl + q.start);
    }
    const v = new Ipv4View(out, 0);
    v.totalLen = out.length;
    v.setFragment(first.dontFragment, false, 0);
    v.fillChecksum();
    return out;
  }

  private enforceBounds(currentKey: string): void {
    for (const [key, p] of this.pending) {
      if (this.pending.size <= this.maxDatagrams && this.heldBytes <= this.maxBytes) return;
      if (key === currentKey && this.pending.size === 1) {
        this.drop(key, p);
        return;
      }
      if (key !== currentKey) this.drop(key, p);
    }
  }

  private drop(key: string, p: Pending): void {
    this.remove(key, p);
    this.stats.dropped++;
  }

  private remove(key: string, p: Pending): void {
    this.pending.delete(key);
    this.heldBytes -= p.heldBytes;
  }
}
