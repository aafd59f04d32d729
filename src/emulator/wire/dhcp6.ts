// DHCPv6 messages (the UDP payload on ports 546 and 547): parse, emit and format the
// client/server messages and the options a stateful exchange uses (client and server
// DUIDs, IA_NA with IAADDR, status codes, elapsed time, option request, preference, rapid
// commit, DNS servers). Only bytes: leases, timers and address choice live in
// node/services/dhc*6. Unknown options round-trip as bytes.
// RFC 8415 §8 (client/server message format), §11 (DUID), §21 (options), RFC 3646 (DNS).

import { readU16, readU32, writeU16, writeU32, type MacAddr } from './addr';
import { formatIpv6, parseIpv6, readIpv6, writeIpv6, type Ipv6Addr } from './ipv6-addr';

export const DHCP6_CLIENT_PORT = 546;
export const DHCP6_SERVER_PORT = 547;
/** All_DHCP_Relay_Agents_and_Servers (RFC 8415 §7.1). */
export const DHCP6_ALL_AGENTS = parseIpv6('ff02::1:2')!;

/** Offsets of the fixed header (RFC 8415 §8, figure 2) and of one option (§21.1). */
const F = { MSG_TYPE: 0, XID: 1, OPTIONS: 4 } as const;
const OPT = { CODE: 0, LEN: 2, DATA: 4 } as const;
/** IA_NA option data (§21.4): IAID, T1, T2, then options. */
const IA = { IAID: 0, T1: 4, T2: 8, OPTIONS: 12 } as const;
/** IA Address option data (§21.6): address, preferred and valid lifetimes, then options. */
const IAADDR = { ADDR: 0, PREFERRED: 16, VALID: 20, OPTIONS: 24 } as const;

export const DHCP6_TYPE = {
  SOLICIT: 1, ADVERTISE: 2, REQUEST: 3, CONFIRM: 4, RENEW: 5, REBIND: 6, REPLY: 7, RELEASE: 8, DECLINE: 9,
  RECONFIGURE: 10, INFORMATION_REQUEST: 11, RELAY_FORW: 12, RELAY_REPL: 13,
} as const;

const TYPE_NAMES = ['', 'Solicit', 'Advertise', 'Request', 'Confirm', 'Renew', 'Rebind', 'Reply', 'Release', 'Decline', 'Reconfigure', 'Information-request', 'Relay-forw', 'Relay-reply'];

export function dhcp6TypeName(t: number): string {
  return TYPE_NAMES[t] ?? `Unknown (${t})`;
}

export const DHCP6_OPT = {
  CLIENTID: 1, SERVERID: 2, IA_NA: 3, IA_TA: 4, IAADDR: 5, ORO: 6, PREFERENCE: 7, ELAPSED_TIME: 8, STATUS_CODE: 13,
  RAPID_COMMIT: 14, DNS_SERVERS: 23, DOMAIN_LIST: 24,
} as const;

export const DHCP6_OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Client Identifier', 2: 'Server Identifier', 3: 'Identity Association for Non-temporary Address', 4: 'Identity Association for Temporary Address',
  5: 'IA Address', 6: 'Option Request', 7: 'Preference', 8: 'Elapsed time', 13: 'Status code', 14: 'Rapid Commit', 23: 'DNS recursive name server', 24: 'Domain Search List',
};

export const DHCP6_STATUS = { SUCCESS: 0, UNSPEC_FAIL: 1, NO_ADDRS_AVAIL: 2, NO_BINDING: 3, NOT_ON_LINK: 4, USE_MULTICAST: 5 } as const;
const STATUS_NAMES = ['Success', 'UnspecFail', 'NoAddrsAvail', 'NoBinding', 'NotOnLink', 'UseMulticast'];

export function dhcp6StatusName(code: number): string {
  return STATUS_NAMES[code] ?? `Unknown (${code})`;
}

/** DUID types (§11.1) and the hardware type of Ethernet (RFC 826). */
export const DUID_TYPE = { LLT: 1, EN: 2, LL: 3, UUID: 4 } as const;
const HWTYPE_ETHERNET = 1;
/** DUID-LLT times count seconds from midnight UTC, 1 January 2000 (§11.2). */
const DUID_EPOCH_S = 946_684_800;

export interface Dhcp6Option {
  code: number;
  data: Uint8Array;
}

export interface Dhcp6Repr {
  type: number;
  xid: number;
  options: Dhcp6Option[];
}

/** Options one message (or one IA / IAADDR) holds at most when parsed. */
export const DHCP6_OPTIONS_MAX = 64;

export type Dhcp6ParseError = 'truncated' | 'bad-option' | 'relay';

/** A list of options at `off`..`end`, or an error when one runs past the end. */
export function parseDhcp6Options(buf: Uint8Array, off: number, end: number): Dhcp6Option[] | 'bad-option' {
  const out: Dhcp6Option[] = [];
  let o = off;
  while (o < end) {
    if (o + OPT.DATA > end || out.length >= DHCP6_OPTIONS_MAX) return 'bad-option';
    const len = readU16(buf, o + OPT.LEN);
    if (o + OPT.DATA + len > end) return 'bad-option';
    out.push({ code: readU16(buf, o + OPT.CODE), data: buf.slice(o + OPT.DATA, o + OPT.DATA + len) });
    o += OPT.DATA + len;
  }
  return out;
}

/** A client/server message (relay messages are not parsed here). */
export function parseDhcp6(buf: Uint8Array, off: number, len: number): Dhcp6Repr | Dhcp6ParseError {
  if (off < 0 || len < F.OPTIONS || off + len > buf.length) return 'truncated';
  const type = buf[off + F.MSG_TYPE];
  if (type === DHCP6_TYPE.RELAY_FORW || type === DHCP6_TYPE.RELAY_REPL) return 'relay';
  const options = parseDhcp6Options(buf, off + F.OPTIONS, off + len);
  if (!Array.isArray(options)) return options;
  return { type, xid: (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3], options };
}

function optionsLen(opts: readonly Dhcp6Option[]): number {
  let n = 0;
  for (const o of opts) n += OPT.DATA + o.data.length;
  return n;
}

function writeOptions(buf: Uint8Array, off: number, opts: readonly Dhcp6Option[]): number {
  let o = off;
  for (const x of opts) {
    writeU16(buf, o + OPT.CODE, x.code);
    writeU16(buf, o + OPT.LEN, x.data.length);
    buf.set(x.data, o + OPT.DATA);
    o += OPT.DATA + x.data.length;
  }
  return o;
}

export function buildDhcp6(m: Dhcp6Repr): Uint8Array {
  const buf = new Uint8Array(F.OPTIONS + optionsLen(m.options));
  buf[F.MSG_TYPE] = m.type;
  buf[F.XID] = (m.xid >>> 16) & 0xff;
  buf[F.XID + 1] = (m.xid >>> 8) & 0xff;
  buf[F.XID + 2] = m.xid & 0xff;
  writeOptions(buf, F.OPTIONS, m.options);
  return buf;
}

export function dhcp6Option(m: { options: readonly Dhcp6Option[] }, code: number): Dhcp6Option | undefined {
  return m.options.find((o) => o.code === code);
}

// ---- typed options ----------------------------------------------------------------------

/** DUID-LLT of an Ethernet interface (§11.2) at `nowS` seconds since the Unix epoch. */
export function duidLlt(mac: MacAddr, nowS: number): Uint8Array {
  const d = new Uint8Array(14);
  writeU16(d, 0, DUID_TYPE.LLT);
  writeU16(d, 2, HWTYPE_ETHERNET);
  writeU32(d, 4, (nowS - DUID_EPOCH_S) >>> 0);
  writeMacAt(d, 8, mac);
  return d;
}

function writeMacAt(d: Uint8Array, off: number, mac: MacAddr): void {
  for (let k = 0; k < 6; k++) d[off + k] = Math.floor(mac / 2 ** (8 * (5 - k))) & 0xff;
}

function readMacAt(d: Uint8Array, off: number): MacAddr {
  let m = 0;
  for (let k = 0; k < 6; k++) m = m * 256 + d[off + k];
  return m;
}

/** The Ethernet address inside a DUID-LLT or DUID-LL (what ISC dhcpd matches `hardware ethernet` against), else null. */
export function duidMac(duid: Uint8Array): MacAddr | null {
  if (duid.length < 4 || readU16(duid, 2) !== HWTYPE_ETHERNET) return null;
  const type = readU16(duid, 0);
  if (type === DUID_TYPE.LLT && duid.length === 14) return readMacAt(duid, 8);
  if (type === DUID_TYPE.LL && duid.length === 10) return readMacAt(duid, 4);
  return null;
}

export function formatDuid(duid: Uint8Array): string {
  return Array.from(duid, (b) => b.toString(16).padStart(2, '0')).join(':');
}

export function optU16(code: number, v: number): Dhcp6Option {
  const data = new Uint8Array(2);
  writeU16(data, 0, v);
  return { code, data };
}

export function optCodes(code: number, codes: readonly number[]): Dhcp6Option {
  const data = new Uint8Array(2 * codes.length);
  codes.forEach((c, k) => writeU16(data, 2 * k, c));
  return { code, data };
}

export function optAddrs6(code: number, addrs: readonly Ipv6Addr[]): Dhcp6Option {
  const data = new Uint8Array(16 * addrs.length);
  addrs.forEach((a, k) => writeIpv6(data, 16 * k, a));
  return { code, data };
}

export function readAddrs6(d: Uint8Array): Ipv6Addr[] {
  const out: Ipv6Addr[] = [];
  for (let o = 0; o + 16 <= d.length; o += 16) out.push(readIpv6(d, o));
  return out;
}

export function optStatus(code: number, message: string): Dhcp6Option {
  const text = Uint8Array.from(message, (ch) => ch.charCodeAt(0) & 0xff);
  const data = new Uint8Array(2 + text.length);
  writeU16(data, 0, code);
  data.set(text, 2);
  return { code: DHCP6_OPT.STATUS_CODE, data };
}

export interface Dhcp6Status {
  code: number;
  message: string;
}

export function readStatus(d: Uint8Array): Dhcp6Status | null {
  if (d.length < 2) return null;
  return { code: readU16(d, 0), message: String.fromCharCode(...d.subarray(2, 2 + 255)) };
}

export interface Dhcp6IaAddr {
  addr: Ipv6Addr;
  preferredS: number;
  validS: number;
  status: Dhcp6Status | null;
}

export interface Dhcp6IaNa {
  iaid: number;
  t1S: number;
  t2S: number;
  addrs: Dhcp6IaAddr[];
  status: Dhcp6Status | null;
}

export function optIaAddr(a: Dhcp6IaAddr): Dhcp6Option {
  const inner = a.status === null ? [] : [optStatus(a.status.code, a.status.message)];
  const data = new Uint8Array(IAADDR.OPTIONS + optionsLen(inner));
  writeIpv6(data, IAADDR.ADDR, a.addr);
  writeU32(data, IAADDR.PREFERRED, a.preferredS >>> 0);
  writeU32(data, IAADDR.VALID, a.validS >>> 0);
  writeOptions(data, IAADDR.OPTIONS, inner);
  return { code: DHCP6_OPT.IAADDR, data };
}

export function optIaNa(ia: Dhcp6IaNa): Dhcp6Option {
  const inner = [...ia.addrs.map(optIaAddr), ...(ia.status === null ? [] : [optStatus(ia.status.code, ia.status.message)])];
  const data = new Uint8Array(IA.OPTIONS + optionsLen(inner));
  writeU32(data, IA.IAID, ia.iaid >>> 0);
  writeU32(data, IA.T1, ia.t1S >>> 0);
  writeU32(data, IA.T2, ia.t2S >>> 0);
  writeOptions(data, IA.OPTIONS, inner);
  return { code: DHCP6_OPT.IA_NA, data };
}

function statusIn(opts: readonly Dhcp6Option[]): Dhcp6Status | null {
  const s = opts.find((o) => o.code === DHCP6_OPT.STATUS_CODE);
  return s === undefined ? null : readStatus(s.data);
}

/** An IA_NA option's contents, or null when it is malformed. */
export function readIaNa(d: Uint8Array): Dhcp6IaNa | null {
  if (d.length < IA.OPTIONS) return null;
  const inner = parseDhcp6Options(d, IA.OPTIONS, d.length);
  if (!Array.isArray(inner)) return null;
  const addrs: Dhcp6IaAddr[] = [];
  for (const o of inner) {
    if (o.code !== DHCP6_OPT.IAADDR) continue;
    if (o.data.length < IAADDR.OPTIONS) return null;
    const sub = parseDhcp6Options(o.data, IAADDR.OPTIONS, o.data.length);
    if (!Array.isArray(sub)) return null;
    addrs.push({ addr: readIpv6(o.data, IAADDR.ADDR), preferredS: readU32(o.data, IAADDR.PREFERRED), validS: readU32(o.data, IAADDR.VALID), status: statusIn(sub) });
  }
  return { iaid: readU32(d, IA.IAID), t1S: readU32(d, IA.T1), t2S: readU32(d, IA.T2), addrs, status: statusIn(inner) };
}

/** The message's top-level status (absent means Success, §21.13). */
export function dhcp6Status(m: Dhcp6Repr): Dhcp6Status | null {
  return statusIn(m.options);
}

/** tshark's Info column: `Solicit XID: 0x1234ab CID: 000100…`, with `IAA:` for an IA_NA's address, in the options' order. */
export function formatDhcp6(m: Dhcp6Repr): string {
  let out = `${dhcp6TypeName(m.type)} XID: 0x${m.xid.toString(16).padStart(6, '0')}`;
  for (const o of m.options) {
    if (o.code === DHCP6_OPT.CLIENTID) out += ` CID: ${Array.from(o.data, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    else if (o.code === DHCP6_OPT.IA_NA) {
      const a = readIaNa(o.data)?.addrs[0];
      if (a !== undefined) out += ` IAA: ${formatIpv6(a.addr)}`;
    }
  }
  return out;
}
