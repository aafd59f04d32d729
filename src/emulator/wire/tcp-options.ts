// TCP options: parse (never throws, stops at the first malformed option and names it) and
// emit in the order and alignment FreeBSD's tcp_addoptions() uses. Bytes only: no policy.
// RFC 9293 §3.2 (EOL, NOP, MSS), RFC 7323 §2-3 (window scale, timestamps), RFC 2018 (SACK).

import { readU16, readU32, writeU16, writeU32 } from './addr';

export const TCP_OPT = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WSCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMP: 8,
} as const;

/** Length of each fixed-size option (kind + length bytes included). */
const OPT_LEN = { MSS: 4, WSCALE: 3, SACK_PERMITTED: 2, TIMESTAMP: 10 } as const;

/** Most SACK blocks that fit in 40 option bytes next to a timestamp (RFC 2018 §3). */
export const TCP_SACK_BLOCKS_MAX = 3;
export const TCP_OPTIONS_MAX_LEN = 40;

export interface TcpSackBlock {
  left: number;
  right: number;
}

/** The options a segment carries; absent fields were not present. */
export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  sack?: TcpSackBlock[];
  tsVal?: number;
  tsEcr?: number;
}

export type TcpOptionsError = 'truncated-option' | 'bad-option-length';

export interface TcpOptionsParse {
  options: TcpOptions;
  /** Why parsing stopped early (the options before it are kept, as tcp_dooptions does). */
  error?: TcpOptionsError;
}

/** Parses option bytes `[off, off + len)` of `buf`. Unknown kinds are skipped by their length. */
export function parseTcpOptions(buf: Uint8Array, off: number, len: number): TcpOptionsParse {
  const options: TcpOptions = {};
  const end = Math.min(off + Math.max(len, 0), buf.length);
  let i = Math.max(off, 0);
  while (i < end) {
    const kind = buf[i];
    if (kind === TCP_OPT.EOL) break;
    if (kind === TCP_OPT.NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) return { options, error: 'truncated-option' };
    const olen = buf[i + 1];
    if (olen < 2) return { options, error: 'bad-option-length' };
    if (i + olen > end) return { options, error: 'truncated-option' };
    if (!readOption(options, buf, i, kind, olen)) return { options, error: 'bad-option-length' };
    i += olen;
  }
  return { options };
}

/** One option at `i`; false when its length is wrong for its kind. */
function readOption(o: TcpOptions, buf: Uint8Array, i: number, kind: number, olen: number): boolean {
  switch (kind) {
    case TCP_OPT.MSS:
      if (olen !== OPT_LEN.MSS) return false;
      o.mss = readU16(buf, i + 2);
      return true;
    case TCP_OPT.WSCALE:
      if (olen !== OPT_LEN.WSCALE) return false;
      o.wscale = buf[i + 2];
      return true;
    case TCP_OPT.SACK_PERMITTED:
      if (olen !== OPT_LEN.SACK_PERMITTED) return false;
      o.sackPermitted = true;
      return true;
    case TCP_OPT.TIMESTAMP:
      if (olen !== OPT_LEN.TIMESTAMP) return false;
      o.tsVal = readU32(buf, i + 2);
      o.tsEcr = readU32(buf, i + 6);
      return true;
    case TCP_OPT.SACK: {
      if ((olen - 2) % 8 !== 0 || olen === 2) return false;
      const blocks: TcpSackBlock[] = [];
      for (let j = i + 2; j < i + olen; j += 8) blocks.push({ left: readU32(buf, j), right: readU32(buf, j + 4) });
      o.sack = blocks;
      return true;
    }
    default:
      return true; // unknown kinds are skipped (RFC 9293 §3.2: must be ignored)
  }
}

/** Bytes `emitTcpOptions` will produce for `o` (a multiple of 4). */
export function tcpOptionsLen(o: TcpOptions): number {
  return layout(o, null);
}

/**
 * Option bytes in FreeBSD's order (MSS, NOP+WS, SACK permitted, NOP-aligned timestamps,
 * NOP-aligned SACK blocks) padded with EOL to a multiple of 4; at most 40 bytes (extra
 * SACK blocks are left out).
 */
export function emitTcpOptions(o: TcpOptions): Uint8Array {
  const out = new Uint8Array(layout(o, null));
  layout(o, out);
  return out;
}

/** Writes into `out` when given; returns the padded length either way. */
function layout(o: TcpOptions, out: Uint8Array | null): number {
  let n = 0;
  const nop = (until: (len: number) => boolean): void => {
    while (!until(n)) {
      if (out) out[n] = TCP_OPT.NOP;
      n++;
    }
  };
  if (o.mss !== undefined) {
    if (out) {
      out[n] = TCP_OPT.MSS;
      out[n + 1] = OPT_LEN.MSS;
      writeU16(out, n + 2, o.mss);
    }
    n += OPT_LEN.MSS;
  }
  if (o.wscale !== undefined) {
    nop((len) => len % 2 === 1);
    if (out) {
      out[n] = TCP_OPT.WSCALE;
      out[n + 1] = OPT_LEN.WSCALE;
      out[n + 2] = o.wscale;
    }
    n += OPT_LEN.WSCALE;
  }
  if (o.sackPermitted) {
    nop((len) => len % 2 === 0);
    if (out) {
      out[n] = TCP_OPT.SACK_PERMITTED;
      out[n + 1] = OPT_LEN.SACK_PERMITTED;
    }
    n += OPT_LEN.SACK_PERMITTED;
  }
  if (o.tsVal !== undefined) {
    nop((len) => len % 4 === 2);
    if (out) {
      out[n] = TCP_OPT.TIMESTAMP;
      out[n + 1] = OPT_LEN.TIMESTAMP;
      writeU32(out, n + 2, o.tsVal);
      writeU32(out, n + 6, o.tsEcr ?? 0);
    }
    n += OPT_LEN.TIMESTAMP;
  }
  if (o.sack !== undefined && o.sack.length > 0) {
    nop((len) => len % 4 === 2);
    const room = Math.floor((TCP_OPTIONS_MAX_LEN - n - 2) / 8);
    const count = Math.min(o.sack.length, room);
    if (count > 0) {
      if (out) {
        out[n] = TCP_OPT.SACK;
        out[n + 1] = 2 + 8 * count;
        for (let k = 0; k < count; k++) {
          writeU32(out, n + 2 + 8 * k, o.sack[k].left);
          writeU32(out, n + 6 + 8 * k, o.sack[k].right);
        }
      }
      n += 2 + 8 * count;
    }
  }
  const padded = (n + 3) & ~3;
  if (out) out.fill(TCP_OPT.EOL, n, padded);
  return padded;
}

/** tcpdump's text: `mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0`. */
export function formatTcpOptions(o: TcpOptions): string {
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`mss ${o.mss}`);
  if (o.wscale !== undefined) parts.push(`wscale ${o.wscale}`);
  if (o.sackPermitted) parts.push('sackOK');
  if (o.tsVal !== undefined) parts.push(`TS val ${o.tsVal} ecr ${o.tsEcr ?? 0}`);
  if (o.sack !== undefined) parts.push(`sack ${o.sack.length} ${o.sack.map((b) => `{${b.left}:${b.right}}`).join('')}`);
  return parts.join(',');
}
