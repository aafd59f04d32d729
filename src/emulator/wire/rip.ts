// RIP version 1/2 messages (the UDP payload on port 520): view, repr, parse, emit, format.
// Only bytes: timers, split horizon and the routing table live in node/daemons/rip.
// RFC 2453 §3.6 (message format), §4 (v2 fields: route tag, subnet mask, next hop),
// §4.1 (authentication entry, address family 0xFFFF, kept and round-tripped).

import { formatCidr, formatIpv4, maskToPrefixLen, readU16, readU32, writeU16, writeU32 } from './addr';

export const RIP_PORT = 520;
/** 224.0.0.9, the RIPv2 routers group (RFC 2453 §5.1). */
export const RIP_GROUP = 0xe0000009;
export const RIP_HEADER_LEN = 4;
export const RIP_ENTRY_LEN = 20;
/** At most 25 route entries per message (RFC 2453 §3.6: 512-byte datagrams). */
export const RIP_MAX_ENTRIES = 25;
export const RIP_INFINITY = 16;
export const RIP_COMMAND = { REQUEST: 1, RESPONSE: 2 } as const;
export const RIP_AFI_INET = 2;
export const RIP_AFI_AUTH = 0xffff;

/** Offsets inside a message and inside one 20-byte entry (smoltcp's `mod field`). */
const F = { COMMAND: 0, VERSION: 1, ZERO: 2 } as const;
const E = { AFI: 0, TAG: 2, ADDR: 4, MASK: 8, NEXT_HOP: 12, METRIC: 16 } as const;

export interface RipEntry {
  /** Address family: 2 (IP), 0 (the whole-table request), 0xFFFF (authentication). */
  afi: number;
  tag: number;
  addr: number;
  /** Subnet mask as on the wire (0 in RIPv1). */
  mask: number;
  nextHop: number;
  metric: number;
}

export interface RipRepr {
  command: number;
  version: number;
  entries: RipEntry[];
}

export class RipView {
  constructor(
    public buf: Uint8Array,
    public off: number,
    public len: number,
  ) {}

  reset(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = len;
    return this;
  }

  /** Header present and the rest a whole number of entries (RFC 2453 §3.6). */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= RIP_HEADER_LEN && off + len <= buf.length && (len - RIP_HEADER_LEN) % RIP_ENTRY_LEN === 0;
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
    return (this.len - RIP_HEADER_LEN) / RIP_ENTRY_LEN;
  }
  entry(i: number): RipEntry {
    const o = this.off + RIP_HEADER_LEN + i * RIP_ENTRY_LEN;
    const b = this.buf;
    return {
      afi: readU16(b, o + E.AFI),
      tag: readU16(b, o + E.TAG),
      addr: readU32(b, o + E.ADDR),
      mask: readU32(b, o + E.MASK),
      nextHop: readU32(b, o + E.NEXT_HOP),
      metric: readU32(b, o + E.METRIC),
    };
  }
}

export type RipParseError = 'truncated' | 'bad-length';

/** Never throws; the reason when the bytes are not a RIP message. */
export function parseRip(buf: Uint8Array, off: number, len: number): RipRepr | RipParseError {
  if (off < 0 || len < RIP_HEADER_LEN || off + len > buf.length) return 'truncated';
  if (!RipView.check(buf, off, len)) return 'bad-length';
  const v = new RipView(buf, off, len);
  const entries: RipEntry[] = [];
  for (let i = 0; i < v.entryCount; i++) entries.push(v.entry(i));
  return { command: v.command, version: v.version, entries };
}

export function ripLen(repr: RipRepr): number {
  return RIP_HEADER_LEN + repr.entries.length * RIP_ENTRY_LEN;
}

/** Writes the message at `off`; returns its length. */
export function emitRip(repr: RipRepr, buf: Uint8Array, off: number): number {
  buf[off + F.COMMAND] = repr.command;
  buf[off + F.VERSION] = repr.version;
  writeU16(buf, off + F.ZERO, 0);
  repr.entries.forEach((e, i) => {
    const o = off + RIP_HEADER_LEN + i * RIP_ENTRY_LEN;
    writeU16(buf, o + E.AFI, e.afi);
    writeU16(buf, o + E.TAG, e.tag);
    writeU32(buf, o + E.ADDR, e.addr >>> 0);
    writeU32(buf, o + E.MASK, e.mask >>> 0);
    writeU32(buf, o + E.NEXT_HOP, e.nextHop >>> 0);
    writeU32(buf, o + E.METRIC, e.metric >>> 0);
  });
  return ripLen(repr);
}

export function buildRip(repr: RipRepr): Uint8Array {
  const out = new Uint8Array(ripLen(repr));
  emitRip(repr, out, 0);
  return out;
}

/** A whole-table request (RFC 2453 §3.9.1: one entry, AFI 0, metric infinity). */
export function ripWholeTableRequest(): RipRepr {
  return { command: RIP_COMMAND.REQUEST, version: 2, entries: [{ afi: 0, tag: 0, addr: 0, mask: 0, nextHop: 0, metric: RIP_INFINITY }] };
}

/** The command as Wireshark names it (its Info column): `Request`, `Response`. */
export function ripCommandName(command: number): string {
  return command === RIP_COMMAND.REQUEST ? 'Request' : command === RIP_COMMAND.RESPONSE ? 'Response' : `Unknown command (${command})`;
}

/** A one-line description, e.g. `Response v2 (3 routes)`; entries as `10.0.8.0/24 metric 2`. */
export function formatRip(repr: RipRepr): string {
  const cmd = ripCommandName(repr.command);
  const routes = repr.entries.filter((e) => e.afi === RIP_AFI_INET);
  return `${cmd} v${repr.version} (${routes.length} route${routes.length === 1 ? '' : 's'})`;
}

export function formatRipEntry(e: RipEntry): string {
  if (e.afi === RIP_AFI_AUTH) return 'authentication';
  const len = maskToPrefixLen(e.mask);
  const dest = len === null ? `${formatIpv4(e.addr)} mask ${formatIpv4(e.mask)}` : formatCidr(e.addr, len);
  return `${dest}${e.nextHop ? ` via ${formatIpv4(e.nextHop)}` : ''} metric ${e.metric}`;
}
