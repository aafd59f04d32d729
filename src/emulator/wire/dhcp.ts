// DHCP / BOOTP messages (the UDP payload on ports 67 and 68): view, repr, parse, emit,
// format, and the typed options a server, client and relay use. Only bytes: leases,
// timers and address choice live in node/services/dhcp*. Unknown options round-trip.
// RFC 2131 §2 (message format), §3 (message types), RFC 2132 (options), RFC 951 (BOOTP).

import { formatIpv4, formatMac, readU16, readU32, writeU16, writeU32, type Ipv4Addr, type MacAddr } from './addr';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
/** Fixed part before the magic cookie (RFC 2131 §2, figure 1). */
export const DHCP_FIXED_LEN = 236;
export const DHCP_MAGIC_COOKIE = 0x63825363;
/** BOOTP's minimum message (RFC 951: 300 bytes); DHCP replies are padded to it as ISC dhcpd does. */
export const BOOTP_MIN_LEN = 300;
/** Flag bit 15: reply by broadcast (RFC 2131 §2, figure 2). */
export const DHCP_FLAG_BROADCAST = 0x8000;

export const BOOTP_OP = { REQUEST: 1, REPLY: 2 } as const;
export const HTYPE_ETHERNET = 1;

/** Offsets of the fixed fields (smoltcp's `mod field`). */
const F = {
  OP: 0,
  HTYPE: 1,
  HLEN: 2,
  HOPS: 3,
  XID: 4,
  SECS: 8,
  FLAGS: 10,
  CIADDR: 12,
  YIADDR: 16,
  SIADDR: 20,
  GIADDR: 24,
  CHADDR: 28,
  SNAME: 44,
  FILE: 108,
  COOKIE: 236,
  OPTIONS: 240,
} as const;
const CHADDR_LEN = 16;
const SNAME_LEN = 64;
const FILE_LEN = 128;

/** RFC 2132 option codes used here. */
export const DHCP_OPT = {
  PAD: 0,
  SUBNET_MASK: 1,
  ROUTER: 3,
  DNS_SERVERS: 6,
  HOST_NAME: 12,
  DOMAIN_NAME: 15,
  BROADCAST: 28,
  REQUESTED_IP: 50,
  LEASE_TIME: 51,
  OVERLOAD: 52,
  MESSAGE_TYPE: 53,
  SERVER_ID: 54,
  PARAM_REQUEST: 55,
  MESSAGE: 56,
  MAX_SIZE: 57,
  RENEWAL_TIME: 58,
  REBINDING_TIME: 59,
  CLIENT_ID: 61,
  END: 255,
} as const;

/** RFC 2132 §9.6 message types. */
export const DHCP_TYPE = { DISCOVER: 1, OFFER: 2, REQUEST: 3, DECLINE: 4, ACK: 5, NAK: 6, RELEASE: 7, INFORM: 8 } as const;

export interface DhcpOption {
  code: number;
  data: Uint8Array;
}

export interface DhcpRepr {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: Ipv4Addr;
  yiaddr: Ipv4Addr;
  siaddr: Ipv4Addr;
  giaddr: Ipv4Addr;
  /** The 16 bytes of chaddr (an Ethernet client fills the first 6). */
  chaddr: Uint8Array;
  sname: string;
  file: string;
  /** Options in wire order (pad and end not included); null for plain BOOTP (no cookie). */
  options: DhcpOption[] | null;
}

export class DhcpView {
  constructor(
    public buf: Uint8Array,
    public off: number,
  ) {}

  /** The fixed part is present (after this, every getter is in range). */
  static check(buf: Uint8Array, off: number, len: number): boolean {
    return off >= 0 && len >= DHCP_FIXED_LEN && off + len <= buf.length;
  }

  get op(): number {
    return this.buf[this.off + F.OP];
  }
  get htype(): number {
    return this.buf[this.off + F.HTYPE];
  }
  get hlen(): number {
    return this.buf[this.off + F.HLEN];
  }
  get hops(): number {
    return this.buf[this.off + F.HOPS];
  }
  get xid(): number {
    return readU32(this.buf, this.off + F.XID);
  }
  get secs(): number {
    return readU16(this.buf, this.off + F.SECS);
  }
  get flags(): number {
    return readU16(this.buf, this.off + F.FLAGS);
  }
  get ciaddr(): number {
    return readU32(this.buf, this.off + F.CIADDR);
  }
  get yiaddr(): number {
    return readU32(this.buf, this.off + F.YIADDR);
  }
  get siaddr(): number {
    return readU32(this.buf, this.off + F.SIADDR);
  }
  get giaddr(): number {
    return readU32(this.buf, this.off + F.GIADDR);
  }
  /** The client's Ethernet address (first 6 bytes of chaddr). */
  get clientMac(): MacAddr {
    const o = this.off + F.CHADDR;
    const b = this.buf;
    return (b[o] * 2 ** 40 + b[o + 1] * 2 ** 32 + ((b[o + 2] << 24) >>> 0) + (b[o + 3] << 16) + (b[o + 4] << 8) + b[o + 5]);
  }
}

export type DhcpParseError = 'truncated' | 'bad-option';

function cString(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len && buf[off + i] !== 0; i++) s += String.fromCharCode(buf[off + i]);
  return s;
}

/** Never throws; the reason when the bytes are not a BOOTP/DHCP message. */
export function parseDhcp(buf: Uint8Array, off: number, len: number): DhcpRepr | DhcpParseError {
  if (!DhcpView.check(buf, off, len)) return 'truncated';
  const v = new DhcpView(buf, off);
  let options: DhcpOption[] | null = null;
  if (len >= F.OPTIONS && readU32(buf, off + F.COOKIE) === DHCP_MAGIC_COOKIE) {
    options = [];
    const end = off + len;
    let o = off + F.OPTIONS;
    while (o < end) {
      const code = buf[o];
      if (code === DHCP_OPT.PAD) {
        o++;
        continue;
      }
      if (code === DHCP_OPT.END) break;
      if (o + 2 > end || o + 2 + buf[o + 1] > end) return 'bad-option';
      const n = buf[o + 1];
      options.push({ code, data: buf.slice(o + 2, o + 2 + n) });
      o += 2 + n;
    }
  }
  return {
    op: v.op,
    htype: v.htype,
    hlen: v.hlen,
    hops: v.hops,
    xid: v.xid,
    secs: v.secs,
    flags: v.flags,
    ciaddr: v.ciaddr,
    yiaddr: v.yiaddr,
    siaddr: v.siaddr,
    giaddr: v.giaddr,
    chaddr: buf.slice(off + F.CHADDR, off + F.CHADDR + CHADDR_LEN),
    sname: cString(buf, off + F.SNAME, SNAME_LEN),
    file: cString(buf, off + F.FILE, FILE_LEN),
    options,
  };
}

/** Bytes the message takes: fixed part, cookie, options and end, padded to BOOTP's 300. */
export function dhcpLen(repr: DhcpRepr): number {
  if (repr.options === null) return BOOTP_MIN_LEN;
  let n = F.OPTIONS + 1;
  for (const o of repr.options) n += 2 + Math.min(o.data.length, 255);
  return Math.max(n, BOOTP_MIN_LEN);
}

function writeCString(buf: Uint8Array, off: number, max: number, s: string): void {
  for (let i = 0; i < max - 1 && i < s.length; i++) buf[off + i] = s.charCodeAt(i) & 0xff;
}

/** Writes the message at `off` (the buffer zero-filled); returns its length. */
export function emitDhcp(repr: DhcpRepr, buf: Uint8Array, off: number): number {
  buf[off + F.OP] = repr.op;
  buf[off + F.HTYPE] = repr.htype;
  buf[off + F.HLEN] = repr.hlen;
  buf[off + F.HOPS] = repr.hops;
  writeU32(buf, off + F.XID, repr.xid >>> 0);
  writeU16(buf, off + F.SECS, repr.secs);
  writeU16(buf, off + F.FLAGS, repr.flags);
  writeU32(buf, off + F.CIADDR, repr.ciaddr >>> 0);
  writeU32(buf, off + F.YIADDR, repr.yiaddr >>> 0);
  writeU32(buf, off + F.SIADDR, repr.siaddr >>> 0);
  writeU32(buf, off + F.GIADDR, repr.giaddr >>> 0);
  buf.set(repr.chaddr.subarray(0, CHADDR_LEN), off + F.CHADDR);
  writeCString(buf, off + F.SNAME, SNAME_LEN, repr.sname);
  writeCString(buf, off + F.FILE, FILE_LEN, repr.file);
  const len = dhcpLen(repr);
  if (repr.options === null) return len;
  writeU32(buf, off + F.COOKIE, DHCP_MAGIC_COOKIE);
  let o = off + F.OPTIONS;
  for (const opt of repr.options) {
    const n = Math.min(opt.data.length, 255);
    buf[o] = opt.code;
    buf[o + 1] = n;
    buf.set(opt.data.subarray(0, n), o + 2);
    o += 2 + n;
  }
  buf[o] = DHCP_OPT.END;
  return len;
}

export function buildDhcp(repr: DhcpRepr): Uint8Array {
  const out = new Uint8Array(dhcpLen(repr));
  emitDhcp(repr, out, 0);
  return out;
}

// ---- typed options -------------------------------------------------------------------

export function dhcpOption(repr: DhcpRepr, code: number): Uint8Array | null {
  return repr.options?.find((o) => o.code === code)?.data ?? null;
}

function addrsOf(d: Uint8Array | null): Ipv4Addr[] {
  const out: Ipv4Addr[] = [];
  if (d === null) return out;
  for (let i = 0; i + 4 <= d.length; i += 4) out.push(readU32(d, i));
  return out;
}

function u32Of(d: Uint8Array | null): number | null {
  return d !== null && d.length === 4 ? readU32(d, 0) : null;
}

function textOf(d: Uint8Array | null): string | null {
  return d === null ? null : cString(d, 0, d.length);
}

/** The options a DHCP program reads, decoded (absent or malformed ones are null / empty). */
export interface DhcpParams {
  messageType: number | null;
  subnetMask: Ipv4Addr | null;
  routers: Ipv4Addr[];
  dnsServers: Ipv4Addr[];
  domainName: string | null;
  leaseTimeS: number | null;
  serverId: Ipv4Addr | null;
  requestedIp: Ipv4Addr | null;
  renewalS: number | null;
  rebindingS: number | null;
  message: string | null;
}

export function dhcpParams(repr: DhcpRepr): DhcpParams {
  const t = dhcpOption(repr, DHCP_OPT.MESSAGE_TYPE);
  return {
    messageType: t !== null && t.length === 1 ? t[0] : null,
    subnetMask: u32Of(dhcpOption(repr, DHCP_OPT.SUBNET_MASK)),
    routers: addrsOf(dhcpOption(repr, DHCP_OPT.ROUTER)),
    dnsServers: addrsOf(dhcpOption(repr, DHCP_OPT.DNS_SERVERS)),
    domainName: textOf(dhcpOption(repr, DHCP_OPT.DOMAIN_NAME)),
    leaseTimeS: u32Of(dhcpOption(repr, DHCP_OPT.LEASE_TIME)),
    serverId: u32Of(dhcpOption(repr, DHCP_OPT.SERVER_ID)),
    requestedIp: u32Of(dhcpOption(repr, DHCP_OPT.REQUESTED_IP)),
    renewalS: u32Of(dhcpOption(repr, DHCP_OPT.RENEWAL_TIME)),
    rebindingS: u32Of(dhcpOption(repr, DHCP_OPT.REBINDING_TIME)),
    message: textOf(dhcpOption(repr, DHCP_OPT.MESSAGE)),
  };
}

export function optU8(code: number, v: number): DhcpOption {
  return { code, data: Uint8Array.of(v & 0xff) };
}

export function optU32(code: number, v: number): DhcpOption {
  const data = new Uint8Array(4);
  writeU32(data, 0, v >>> 0);
  return { code, data };
}

export function optAddrs(code: number, addrs: readonly Ipv4Addr[]): DhcpOption {
  const data = new Uint8Array(Math.min(addrs.length, 63) * 4);
  for (let i = 0; i * 4 < data.length; i++) writeU32(data, i * 4, addrs[i] >>> 0);
  return { code, data };
}

export function optText(code: number, s: string): DhcpOption {
  const data = new Uint8Array(Math.min(s.length, 255));
  for (let i = 0; i < data.length; i++) data[i] = s.charCodeAt(i) & 0xff;
  return { code, data };
}

/** chaddr for an Ethernet client. */
export function chaddrOfMac(mac: MacAddr): Uint8Array {
  const out = new Uint8Array(CHADDR_LEN);
  let m = mac;
  for (let i = 5; i >= 0; i--) {
    out[i] = m % 256;
    m = Math.floor(m / 256);
  }
  return out;
}

export function macOfChaddr(chaddr: Uint8Array): MacAddr {
  let m = 0;
  for (let i = 0; i < 6; i++) m = m * 256 + (chaddr[i] ?? 0);
  return m;
}

// ---- format ---------------------------------------------------------------------------

const TYPE_NAMES = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform'];

/** `DHCPDISCOVER` style name of a message type (dhclient's and dhcpd's logs). */
export function dhcpTypeTag(type: number | null): string {
  return type !== null && type >= 1 && type <= 8 ? `DHCP${TYPE_NAMES[type].toUpperCase()}` : 'BOOTP';
}

/** Wireshark's Info column: `DHCP Discover - Transaction ID 0x3d1d`. */
export function formatDhcp(repr: DhcpRepr): string {
  const t = dhcpParams(repr).messageType;
  const name = t !== null && t >= 1 && t <= 8 ? `DHCP ${TYPE_NAMES[t]}` : repr.op === BOOTP_OP.REPLY ? 'Boot Reply' : 'Boot Request';
  return `${name} - Transaction ID 0x${(repr.xid >>> 0).toString(16)}`;
}

/** The fields a capture tree shows, in Wireshark's order and wording. */
export function dhcpFields(repr: DhcpRepr): [string, string][] {
  const p = dhcpParams(repr);
  const rows: [string, string][] = [
    ['Message type', repr.op === BOOTP_OP.REQUEST ? 'Boot Request (1)' : repr.op === BOOTP_OP.REPLY ? 'Boot Reply (2)' : `Unknown (${repr.op})`],
    ['Hops', String(repr.hops)],
    ['Transaction ID', `0x${(repr.xid >>> 0).toString(16).padStart(8, '0')}`],
    ['Seconds elapsed', String(repr.secs)],
    ['Bootp flags', `0x${repr.flags.toString(16).padStart(4, '0')} (${repr.flags & DHCP_FLAG_BROADCAST ? 'Broadcast' : 'Unicast'})`],
    ['Client IP address', formatIpv4(repr.ciaddr)],
    ['Your (client) IP address', formatIpv4(repr.yiaddr)],
    ['Next server IP address', formatIpv4(repr.siaddr)],
    ['Relay agent IP address', formatIpv4(repr.giaddr)],
    ['Client MAC address', formatMac(macOfChaddr(repr.chaddr))],
  ];
  if (p.messageType !== null) rows.push(['DHCP Message Type', `${TYPE_NAMES[p.messageType] ?? 'Unknown'} (${p.messageType})`]);
  if (p.serverId !== null) rows.push(['DHCP Server Identifier', formatIpv4(p.serverId)]);
  if (p.requestedIp !== null) rows.push(['Requested IP Address', formatIpv4(p.requestedIp)]);
  if (p.leaseTimeS !== null) rows.push(['IP Address Lease Time', `${p.leaseTimeS} s`]);
  if (p.renewalS !== null) rows.push(['Renewal Time Value', `${p.renewalS} s`]);
  if (p.rebindingS !== null) rows.push(['Rebinding Time Value', `${p.rebindingS} s`]);
  if (p.subnetMask !== null) rows.push(['Subnet Mask', formatIpv4(p.subnetMask)]);
  if (p.routers.length > 0) rows.push(['Router', p.routers.map(formatIpv4).join(', ')]);
  if (p.dnsServers.length > 0) rows.push(['Domain Name Server', p.dnsServers.map(formatIpv4).join(', ')]);
  if (p.domainName !== null) rows.push(['Domain Name', p.domainName]);
  if (p.message !== null) rows.push(['Message', p.message]);
  return rows;
}
