// Test helper for golden captures: reads libpcap bytes back into records and renders
// one readable line per frame (virtual time, where it was seen, tshark-like summary via
// wire/decode.ts summarizeFrame), plus a small line diff for clear mismatch reports.
// It never judges validity (tshark does that); format per draft-ietf-opsawg-pcap §4–5.
import { createHash } from 'node:crypto';
import { summarizeFrame } from '../../src/emulator/wire/decode';

export interface PcapRecord {
  timeNs: number;
  frame: Uint8Array;
}

const MAGIC_NS = 0xa1b23c4d;
const MAGIC_US = 0xa1b2c3d4;

/** Records of a little-endian libpcap file; throws on anything it does not expect. */
export function readPcap(bytes: Uint8Array): PcapRecord[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new Error(`pcap: ${bytes.length}-byte file has no header`);
  const magic = dv.getUint32(0, true);
  if (magic !== MAGIC_NS && magic !== MAGIC_US) throw new Error(`pcap: magic 0x${magic.toString(16)}`);
  const fracNs = magic === MAGIC_NS ? 1 : 1000;
  if (dv.getUint32(20, true) !== 1) throw new Error(`pcap: link type ${dv.getUint32(20, true)}, want Ethernet`);
  const out: PcapRecord[] = [];
  let off = 24;
  while (off < bytes.length) {
    if (off + 16 > bytes.length) throw new Error(`pcap: truncated record header at ${off}`);
    const sec = dv.getUint32(off, true);
    const frac = dv.getUint32(off + 4, true);
    const incl = dv.getUint32(off + 8, true);
    if (off + 16 + incl > bytes.length) throw new Error(`pcap: truncated record at ${off}`);
    out.push({ timeNs: sec * 1e9 + frac * fracNs, frame: bytes.subarray(off + 16, off + 16 + incl) });
    off += 16 + incl;
  }
  return out;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface CaptureSource {
  /** `node:iface` the capture was taken on. */
  where: string;
  /** That interface's MAC (`42:00:aa:…`): frames from it are `out`, others `in`. */
  mac: string;
  records: PcapRecord[];
}

function formatTime(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return `${s}.${String(ns - s * 1e9).padStart(9, '0')}`;
}

function srcMac(frame: Uint8Array): string {
  return Array.from(frame.subarray(6, 12), (b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * One line per frame, grouped by capture point in capture order. Sources are not merged by
 * time: on zero-delay links many frames share a timestamp and a merge would invent an order.
 */
export function decodeLines(sources: CaptureSource[]): string[] {
  const lines: string[] = [];
  for (const src of sources) {
    lines.push(`== ${src.where} (${src.mac}), ${src.records.length} frames`);
    for (const r of src.records) {
      const s = summarizeFrame(r.frame);
      const dir = srcMac(r.frame) === src.mac.toLowerCase() ? 'out' : 'in ';
      lines.push(`${formatTime(r.timeNs)}  ${src.where} ${dir}  ${s.proto.padEnd(4)} ${s.src} > ${s.dst}  ${s.info}`);
    }
  }
  return lines;
}

/** A readable line diff (LCS): `-` golden only, `+` actual only, each with its line number. */
export function lineDiff(golden: string, actual: string, maxLines = 60): string {
  const a = golden.split('\n');
  const b = actual.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while ((i < a.length || j < b.length) && out.length < maxLines) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`- golden:${String(i + 1).padEnd(4)} ${a[i++]}`);
    } else {
      out.push(`+ now:${String(j + 1).padEnd(7)} ${b[j++]}`);
    }
  }
  return out.join('\n');
}
