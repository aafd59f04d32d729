// Capture file writers: classic libpcap (nanosecond magic; microsecond records as tcpdump
// -w writes them, and a reader for either) and pcapng with one interface
// block per `node:iface`. Pure byte building (no files, no clock): callers pass times in
// ns and write `toBytes()` wherever they like. Formats: draft-ietf-opsawg-pcap §4–5,
// draft-ietf-opsawg-pcapng §4.1 (SHB), §4.2 (IDB, if_name, if_tsresol), §4.3 (EPB).

export const LINKTYPE_ETHERNET = 1;
export const PCAP_SNAPLEN = 65535;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const NS_PER_SEC = 1_000_000_000;

/** Optional shift of virtual time (ns since start) onto the Unix epoch, in whole seconds. */
export interface CaptureOptions {
  baseTimeSec?: number;
}

class ByteSink {
  private chunks: Uint8Array[] = [];
  private total = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.total);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** libpcap file, little-endian, ns timestamps, LINKTYPE_ETHERNET. */
export class PcapWriter {
  private readonly sink = new ByteSink();
  private readonly baseTimeSec: number;
  private count = 0;

  constructor(opts: CaptureOptions = {}) {
    this.baseTimeSec = opts.baseTimeSec ?? 0;
    this.sink.push(pcapFileHeader(PCAP_MAGIC_NS, PCAP_SNAPLEN));
  }

  get packetCount(): number {
    return this.count;
  }

  addPacket(timeNs: number, bytes: Uint8Array): void {
    const t = Math.max(0, Math.floor(timeNs));
    const incl = Math.min(bytes.length, PCAP_SNAPLEN);
    const rec = new Uint8Array(16 + incl);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, this.baseTimeSec + Math.floor(t / NS_PER_SEC), true);
    dv.setUint32(4, t % NS_PER_SEC, true);
    dv.setUint32(8, incl, true);
    dv.setUint32(12, bytes.length, true);
    rec.set(bytes.subarray(0, incl), 16);
    this.sink.push(rec);
    this.count++;
  }

  toBytes(): Uint8Array {
    return this.sink.concat();
  }
}

const BLOCK = { SHB: 0x0a0d0d0a, IDB: 0x00000001, EPB: 0x00000006 } as const;
const OPT = { END: 0, COMMENT: 1, IF_NAME: 2, IF_TSRESOL: 9, EPB_FLAGS: 2, SHB_USERAPPL: 4 } as const;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes options, each padded to 32 bits, followed by opt_endofopt (§3.5). */
function encodeOptions(options: [code: number, value: Uint8Array][]): Uint8Array {
  if (options.length === 0) return new Uint8Array(0);
  let len = 4;
  for (const [, v] of options) len += 4 + pad4(v.length);
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  let off = 0;
  for (const [code, v] of options) {
    dv.setUint16(off, code, true);
    dv.setUint16(off + 2, v.length, true);
    out.set(v, off + 4);
    off += 4 + pad4(v.length);
  }
  return out; // the trailing 4 zero bytes are opt_endofopt
}

/** UTF-8 bytes of a string (the engine's lib has no TextEncoder). */
export function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** A block: type, total length, body (padded), total length again (§3.1). */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, total, true);
  out.set(body, 8);
  dv.setUint32(total - 4, total, true);
  return out;
}

export interface PcapngPacketOptions {
  /** epb_flags direction: inbound (received) or outbound (transmitted). */
  direction?: 'in' | 'out';
  /** opt_comment, e.g. a drop reason. */
  comment?: string;
}

/** pcapng file: SHB, one IDB per `node:iface` (ns resolution), EPBs. */
export class PcapngWriter {
  private readonly sink = new ByteSink();
  private readonly baseTimeSec: number;
  private interfaces: string[] = [];
  private count = 0;

  constructor(opts: CaptureOptions = {}) {
    this.baseTimeSec = opts.baseTimeSec ?? 0;
    const fixed = new Uint8Array(16);
    const dv = new DataView(fixed.buffer);
    dv.setUint32(0, 0x1a2b3c4d, true); // byte-order magic
    dv.setUint16(4, 1, true);
    dv.setUint16(6, 0, true);
    dv.setBigInt64(8, -1n, true); // section length unknown
    const opts2 = encodeOptions([[OPT.SHB_USERAPPL, utf8('VirtNet')]]);
    const body = new Uint8Array(fixed.length + opts2.length);
    body.set(fixed);
    body.set(opts2, fixed.length);
    this.sink.push(block(BLOCK.SHB, body));
  }

  get packetCount(): number {
    return this.count;
  }

  /** Adds an interface named e.g. `pc1:eth0`; returns its id for `addPacket`. */
  addInterface(name: string): number {
    const fixed = new Uint8Array(8);
    const dv = new DataView(fixed.buffer);
    dv.setUint16(0, LINKTYPE_ETHERNET, true);
    dv.setUint32(4, PCAP_SNAPLEN, true);
    const options = encodeOptions([
      [OPT.IF_NAME, utf8(name)],
      [OPT.IF_TSRESOL, Uint8Array.of(9)], // 10^-9 s
    ]);
    const body = new Uint8Array(fixed.length + options.length);
    body.set(fixed);
    body.set(options, fixed.length);
    this.sink.push(block(BLOCK.IDB, body));
    this.interfaces.push(name);
    return this.interfaces.length - 1;
  }

  /** Interface id by name, adding it on first use. */
  interfaceId(name: string): number {
    const i = this.interfaces.indexOf(name);
    return i >= 0 ? i : this.addInterface(name);
  }

  addPacket(iface: number, timeNs: number, bytes: Uint8Array, opts: PcapngPacketOptions = {}): void {
    if (iface < 0 || iface >= this.interfaces.length) throw new RangeError(`pcapng: unknown interface id ${iface}`);
    const incl = Math.min(bytes.length, PCAP_SNAPLEN);
    const options: [number, Uint8Array][] = [];
    if (opts.direction) options.push([OPT.EPB_FLAGS, Uint8Array.of(opts.direction === 'in' ? 1 : 2, 0, 0, 0)]);
    if (opts.comment) options.push([OPT.COMMENT, utf8(opts.comment)]);
    const encoded = encodeOptions(options);
    const body = new Uint8Array(20 + pad4(incl) + encoded.length);
    const dv = new DataView(body.buffer);
    const ts = BigInt(this.baseTimeSec) * BigInt(NS_PER_SEC) + BigInt(Math.max(0, Math.floor(timeNs)));
    dv.setUint32(0, iface, true);
    dv.setUint32(4, Number(ts >> 32n), true);
    dv.setUint32(8, Number(ts & 0xffffffffn), true);
    dv.setUint32(12, incl, true);
    dv.setUint32(16, bytes.length, true);
    body.set(bytes.subarray(0, incl), 20);
    body.set(encoded, 20 + pad4(incl));
    this.sink.push(block(BLOCK.EPB, body));
    this.count++;
  }

  toBytes(): Uint8Array {
    return this.sink.concat();
  }
}

/** libpcap's microsecond magic: what tcpdump -w writes by default. */
const PCAP_MAGIC_US = 0xa1b2c3d4;
/** tcpdump's default snapshot length (MAXIMUM_SNAPLEN). */
export const TCPDUMP_SNAPLEN = 262144;
const PCAP_FILE_HEADER_LEN = 24;
const PCAP_RECORD_HEADER_LEN = 16;

/** The 24-byte libpcap file header (version 2.4, little-endian, Ethernet). */
function pcapFileHeader(magic: number, snaplen: number): Uint8Array {
  const h = new Uint8Array(PCAP_FILE_HEADER_LEN);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, magic, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, LINKTYPE_ETHERNET, true);
  return h;
}

/** The file header of a microsecond libpcap file as tcpdump -w writes it. */
export function pcapFileHeaderUs(snaplen = TCPDUMP_SNAPLEN): Uint8Array {
  return pcapFileHeader(PCAP_MAGIC_US, snaplen);
}

/** One record of that file: microsecond timestamp, the frame cut to `snaplen`. */
export function pcapRecordUs(timeNs: number, bytes: Uint8Array, snaplen = TCPDUMP_SNAPLEN): Uint8Array {
  const us = Math.max(0, Math.floor(timeNs / 1000));
  const incl = Math.min(bytes.length, snaplen);
  const rec = new Uint8Array(PCAP_RECORD_HEADER_LEN + incl);
  const dv = new DataView(rec.buffer);
  dv.setUint32(0, Math.floor(us / 1e6), true);
  dv.setUint32(4, us % 1e6, true);
  dv.setUint32(8, incl, true);
  dv.setUint32(12, bytes.length, true);
  rec.set(bytes.subarray(0, incl), PCAP_RECORD_HEADER_LEN);
  return rec;
}

export interface PcapRead {
  linkType: number;
  snaplen: number;
  records: { timeNs: number; frame: Uint8Array }[];
  /** libpcap's complaint about a cut-off last record, after the whole ones (null when none). */
  truncated: string | null;
}

/**
 * Reads a classic libpcap file (either byte order, microsecond or nanosecond magic), as
 * pcap_open_offline does; at most `maxRecords` records. Errors are libpcap's wording.
 */
export function readPcap(bytes: Uint8Array, maxRecords = 1_000_000): PcapRead | { error: string } {
  // libpcap reads the magic first, then the rest of the header.
  if (bytes.length < 4) return { error: `truncated dump file; tried to read 4 file header bytes, only got ${bytes.length}` };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  let nano: boolean;
  const m = dv.getUint32(0, true);
  if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS) {
    le = true;
    nano = m === PCAP_MAGIC_NS;
  } else {
    const mb = dv.getUint32(0, false);
    if (mb !== PCAP_MAGIC_US && mb !== PCAP_MAGIC_NS) return { error: 'unknown file format' };
    le = false;
    nano = mb === PCAP_MAGIC_NS;
  }
  if (bytes.length < PCAP_FILE_HEADER_LEN) return { error: `truncated dump file; tried to read ${PCAP_FILE_HEADER_LEN} file header bytes, only got ${bytes.length}` };
  const snaplen = dv.getUint32(16, le);
  const linkType = dv.getUint32(20, le) & 0x0fffffff;
  const records: { timeNs: number; frame: Uint8Array }[] = [];
  let off = PCAP_FILE_HEADER_LEN;
  while (off < bytes.length && records.length < maxRecords) {
    if (bytes.length - off < PCAP_RECORD_HEADER_LEN) {
      return { linkType, snaplen, records, truncated: `truncated dump file; tried to read ${PCAP_RECORD_HEADER_LEN} header bytes, only got ${bytes.length - off}` };
    }
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    if (incl > Math.max(snaplen, TCPDUMP_SNAPLEN)) return { error: `invalid packet capture length ${incl}, bigger than snaplen of ${snaplen}` };
    const start = off + PCAP_RECORD_HEADER_LEN;
    if (bytes.length - start < incl) {
      return { linkType, snaplen, records, truncated: `truncated dump file; tried to read ${incl} captured bytes, only got ${bytes.length - start}` };
    }
    records.push({ timeNs: sec * NS_PER_SEC + (nano ? frac : frac * 1000), frame: bytes.slice(start, start + incl) });
    off = start + incl;
  }
  return { linkType, snaplen, records, truncated: null };
}
