// RIPng messages (the UDP payload on port 521): view, repr, parse, emit, format. Only
// bytes: timers, split horizon and the routing table live in node/daemons/ripngd.
// RFC 2080 §2.1 (message and route table entry format), §2.1.1 (next hop entry, metric 0xFF).

import { readU16, writeU16 } from './addr';
import { formatIpv6, type Ipv6Addr } from './ipv6-addr';

export const RIPNG_PORT = 521;
/** ff02::9, all RIP routers (RFC 2080 §2.5.2). */
export const RIPNG_GROUP: Ipv6Addr = Uint8Array.of(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9);
export const RIPNG_HEADER_LEN = 4;
export const RIPNG_ENTRY_LEN = 20;
export const RIPNG_VERSION = 1;
export const RIPNG_INFINITY = 16;
/** The metric that marks a next hop entry (RFC 2080 §2.1.1). */
export const RIPNG_NEXT_HOP_METRIC = 0xff;
export const RIPNG_COMMAND = { REQUEST: 1, RESPONSE: 2 } as const;

/** Offsets inside a message and inside one 20-byte entry (smoltcp's `mod field`). */
const F = { COMMAND: 0, VERSION: 1, ZERO: 2 } as const;
const E = { PREFIX: 0, TAG: 16, PREFIX_LEN: 18, METRIC: 19 } as const;

export interface RipngEntry {
  /** The prefix, or the next hop address in a next hop entry. */
  prefix: Ipv6Addr;
  tag: number;
  prefixLen: number;
  /** 1–16, or 0xFF for a next hop entry. */
  metric: number;
}

export interface RipngRepr {
  command: number;
  version: number;
  entries: RipngEntry[];
}

export class RipngView {
  constructor(
    public buf: Uint8Array,
    public off: number,
    public len: number,
  ) {}

  /** Header present and the rest a whole number of entries. */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= RIPNG_HEADER_LEN && off + len <= buf.length && (len - RIPNG_HEADER_LEN) % RIPNG_ENTRY_LEN === 0;
  }

  get command(): number {
    return this.buf[this.off + F.COMMAND];
  }
  get version(): number {
    return this.buf[this.off + F.VERSION];
  }
  get mustBeZero(): number {
    return readU16(this.buf, this.off + F.ZERO);
  }
  get entryCount(): number {
    return (this.len - RIPNG_HEADER_LEN) / RIPNG_ENTRY_LEN;
  }
  entry(i: number): RipngEntry {
    const o = this.off + RIPNG_HEADER_LEN + i * RIPNG_ENTRY_LEN;
    const b = this.buf;
    return { prefix: b.slice(o + E.PREFIX, o + E.PREFIX + 16), tag: readU16(b, o + E.TAG), prefixLen: b[o + E.PREFIX_LEN], metric: b[o + E.METRIC] };
  }
}

export type RipngParseError = 'truncated' | 'bad-length';

/** Never throws; the reason when the bytes are not a RIPng message. */
export function parseRipng(buf: Uint8Array, off: number, len: number): RipngRepr | RipngParseError {
  if (off < 0 || len < RIPNG_HEADER_LEN || off + len > buf.length) return 'truncated';
  if (!RipngView.check(buf, off, len)) return 'bad-length';
  const v = new RipngView(buf, off, len);
  const entries: RipngEntry[] = [];
  for (let i = 0; i < v.entryCount; i++) entries.push(v.entry(i));
  return { command: v.command, version: v.version, entries };
}

export function ripngLen(repr: RipngRepr): number {
  return RIPNG_HEADER_LEN + repr.entries.length * RIPNG_ENTRY_LEN;
}

/** Writes the message at `off`; returns its length. */
export function emitRipng(repr: RipngRepr, buf: Uint8Array, off: number): number {
  buf[off + F.COMMAND] = repr.command;
  buf[off + F.VERSION] = repr.version;
  writeU16(buf, off + F.ZERO, 0);
  repr.entries.forEach((e, i) => {
    const o = off + RIPNG_HEADER_LEN + i * RIPNG_ENTRY_LEN;
    buf.set(e.prefix.subarray(0, 16), o + E.PREFIX);
    writeU16(buf, o + E.TAG, e.tag);
    buf[o + E.PREFIX_LEN] = e.prefixLen;
    buf[o + E.METRIC] = e.metric;
  });
  return ripngLen(repr);
}

export function buildRipng(repr: RipngRepr): Uint8Array {
  const out = new Uint8Array(ripngLen(repr));
  emitRipng(repr, out, 0);
  return out;
}

/** A whole-table request (RFC 2080 §2.4.1: one entry, prefix ::/0, metric infinity). */
export function ripngWholeTableRequest(): RipngRepr {
  return { command: RIPNG_COMMAND.REQUEST, version: RIPNG_VERSION, entries: [{ prefix: new Uint8Array(16), tag: 0, prefixLen: 0, metric: RIPNG_INFINITY }] };
}

/** The command as Wireshark names it (its Info column): `Request`, `Response`. */
export function ripngCommandName(command: number): string {
  return command === RIPNG_COMMAND.REQUEST ? 'Request' : command === RIPNG_COMMAND.RESPONSE ? 'Response' : `Unknown command (${command})`;
}

/** `Response v1 (3 routes)` */
export function formatRipng(repr: RipngRepr): string {
  const routes = repr.entries.filter((e) => e.metric !== RIPNG_NEXT_HOP_METRIC);
  return `${ripngCommandName(repr.command)} v${repr.version} (${routes.length} route${routes.length === 1 ? '' : 's'})`;
}

/** `fc00:1::/64 metric 2`, or `next hop fe80::1` for a next hop entry. */
export function formatRipngEntry(e: RipngEntry): string {
  if (e.metric === RIPNG_NEXT_HOP_METRIC) return `next hop ${formatIpv6(e.prefix)}`;
  return `${formatIpv6(e.prefix)}/${e.prefixLen} metric ${e.metric}${e.tag ? ` tag ${e.tag}` : ''}`;
}
