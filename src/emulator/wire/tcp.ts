// TCP segment headers: view, repr, parse, emit (checksum with the IPv4 pseudo-header),
// format. No TCP behaviour (no state machine, no timers) — that belongs to stack/.
// RFC 9293 §3.1 (header format, options kinds 0/1/2/3/4/8), RFC 7323 (window scale, TS).

import { readU16, readU32, writeU16, writeU32, type Ipv4Addr } from './addr';
import { internetChecksum, pseudoHeaderSumIpv4 } from './checksum';
import { IP_PROTO } from './ipv4';

export const TCP_HEADER_LEN = 20;

export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Flag bits as in byte 13 (see TCP_FLAG). */
  flags: number;
  window: number;
  urgent: number;
  /** Raw option bytes (padded to a multiple of 4 on emit). */
  options?: Uint8Array;
  payload: Uint8Array;
}

export class TcpView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  reset(buf: Uint8Array, off: number): this {
    this.buf = buf;
    this.off = off;
    return this;
  }

  /** Fixed header present and data offset within [20, len]. */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    if (off < 0 || len < TCP_HEADER_LEN || off + len > buf.length) return false;
    const hl = (buf[off + 12] >>> 4) * 4;
    return hl >= TCP_HEADER_LEN && hl <= len;
  }

  get srcPort(): number {
    return readU16(this.buf, this.off);
  }
  get dstPort(): number {
    return readU16(this.buf, this.off + 2);
  }
  get seq(): number {
    return readU32(this.buf, this.off + 4);
  }
  get ack(): number {
    return readU32(this.buf, this.off + 8);
  }
  get headerLen(): number {
    return (this.buf[this.off + 12] >>> 4) * 4;
  }
  get flags(): number {
    return this.buf[this.off + 13];
  }
  get window(): number {
    return readU16(this.buf, this.off + 14);
  }
  get checksum(): number {
    return readU16(this.buf, this.off + 16);
  }
  get urgent(): number {
    return readU16(this.buf, this.off + 18);
  }
  /** `segLen` is the whole segment length (from the IP header). */
  checksumValid(src: Ipv4Addr, dst: Ipv4Addr, segLen: number): boolean {
    return internetChecksum(this.buf, this.off, segLen, pseudoHeaderSumIpv4(src, dst, IP_PROTO.TCP, segLen)) === 0;
  }
  fillChecksum(src: Ipv4Addr, dst: Ipv4Addr, segLen: number): void {
    writeU16(this.buf, this.off + 16, 0);
    writeU16(this.buf, this.off + 16, internetChecksum(this.buf, this.off, segLen, pseudoHeaderSumIpv4(src, dst, IP_PROTO.TCP, segLen)));
  }
}

/** `len` is the whole segment. With `src`/`dst` a bad checksum returns null. Never throws. */
export function parseTcp(buf: Uint8Array, off: number, len: number, src?: Ipv4Addr, dst?: Ipv4Addr): TcpRepr | null {
  if (!TcpView.check(buf, off, len)) return null;
  const v = new TcpView(buf, off);
  if (src !== undefined && dst !== undefined && !v.checksumValid(src, dst, len)) return null;
  const hl = v.headerLen;
  const repr: TcpRepr = {
    srcPort: v.srcPort,
    dstPort: v.dstPort,
    seq: v.seq,
    ack: v.ack,
    flags: v.flags,
    window: v.window,
    urgent: v.urgent,
    payload: buf.subarray(off + hl, off + len),
  };
  if (hl > TCP_HEADER_LEN) repr.options = buf.slice(off + TCP_HEADER_LEN, off + hl);
  return repr;
}

export function tcpHeaderLen(repr: TcpRepr): number {
  return TCP_HEADER_LEN + (((repr.options?.length ?? 0) + 3) & ~3);
}

export function tcpLen(repr: TcpRepr): number {
  return tcpHeaderLen(repr) + repr.payload.length;
}

/** Writes header + options + payload with the checksum; returns the segment length. */
export function emitTcp(repr: TcpRepr, buf: Uint8Array, off: number, src: Ipv4Addr, dst: Ipv4Addr): number {
  const hl = tcpHeaderLen(repr);
  const len = hl + repr.payload.length;
  writeU16(buf, off, repr.srcPort);
  writeU16(buf, off + 2, repr.dstPort);
  writeU32(buf, off + 4, repr.seq);
  writeU32(buf, off + 8, repr.ack);
  buf[off + 12] = (hl >>> 2) << 4;
  buf[off + 13] = repr.flags;
  writeU16(buf, off + 14, repr.window);
  writeU16(buf, off + 18, repr.urgent);
  const opts = repr.options;
  if (opts) {
    // At most 40 bytes, then End of Option List padding: a byte loop (a subarray view would cost more).
    const n = hl - TCP_HEADER_LEN;
    const at = off + TCP_HEADER_LEN;
    for (let i = 0; i < n; i++) buf[at + i] = i < opts.length ? opts[i] : 0;
  }
  buf.set(repr.payload, off + hl);
  new TcpView(buf, off).fillChecksum(src, dst, len);
  return len;
}

export function buildTcp(repr: TcpRepr, src: Ipv4Addr, dst: Ipv4Addr): Uint8Array {
  const out = new Uint8Array(tcpLen(repr));
  emitTcp(repr, out, 0, src, dst);
  return out;
}

const FLAG_NAMES: [number, string][] = [
  [TCP_FLAG.FIN, 'FIN'],
  [TCP_FLAG.SYN, 'SYN'],
  [TCP_FLAG.RST, 'RST'],
  [TCP_FLAG.PSH, 'PSH'],
  [TCP_FLAG.ACK, 'ACK'],
  [TCP_FLAG.URG, 'URG'],
  [TCP_FLAG.ECE, 'ECE'],
  [TCP_FLAG.CWR, 'CWR'],
];

/** The text of every combination of the eight named flag bits, built once (the traffic view names the flags of every segment). */
const FLAG_TEXTS: readonly string[] = Array.from({ length: 256 }, (_, f) =>
  FLAG_NAMES.filter(([bit]) => f & bit)
    .map(([, name]) => name)
    .join(', '),
);

/** `SYN, ACK` — Wireshark's order. */
export function tcpFlagsText(flags: number): string {
  return FLAG_TEXTS[flags & 0xff];
}

/** tshark-like Info (absolute sequence numbers), e.g. `1024 → 80 [SYN] Seq=1 Win=65535 Len=0`. */
export function formatTcp(repr: TcpRepr): string {
  return formatTcpInfo(repr.srcPort, repr.dstPort, repr.flags, repr.seq, repr.ack, repr.window, repr.payload.length);
}

/** formatTcp from the header fields and the payload length (no parsed segment needed). */
export function formatTcpInfo(srcPort: number, dstPort: number, flags: number, seq: number, ack: number, window: number, payloadLen: number): string {
  const ackText = flags & TCP_FLAG.ACK ? ` Ack=${ack}` : '';
  return `${srcPort} → ${dstPort} [${tcpFlagsText(flags)}] Seq=${seq}${ackText} Win=${window} Len=${payloadLen}`;
}
