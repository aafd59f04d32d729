// ISC dhcpd.conf(5) for `dhcpd -6` as labs write it (/usr/local/etc/dhcpd6.conf):
// `subnet6 PREFIX/LEN { range6 LOW HIGH; range6 PREFIX/LEN; }`, `host NAME { hardware
// ethernet MAC; fixed-address6 ADDR; }`, `dhcpv6-lease-file-name "…";`, `authoritative;`,
// `default-lease-time`, `preferred-lifetime`, `max-lease-time`, `option dhcp6.name-servers
// A, B;` and `option dhcp6.domain-search "x", "y";`. Every problem is located by line.
// Text only, no behaviour (that is dhcpd6.ts).

import { ipv6Network, ipv6PrefixMatch, parseIpv6, parseIpv6Cidr, type Ipv6Addr } from '../../wire/ipv6-addr';
import { DHCPD_DEFAULT_LEASE_S, DHCPD_HOSTS_MAX, DHCPD_SUBNETS_MAX, dhcpdTokens, type DhcpdConfError, type Tok } from './dhcpd-conf';
import { parseMac, type MacAddr } from '../../wire/addr';

export const DHCPD6_CONF_FILE = '/usr/local/etc/dhcpd6.conf';
export const DHCPD6_LEASES_FILE = '/var/db/dhcpd6.leases';
/** Addresses one range6 may span (a /64 range6 is bounded to its first addresses). */
export const DHCPD6_RANGE_ADDRS_MAX = 65536;

export interface Dhcpd6Params {
  dnsServers?: Ipv6Addr[];
  domainSearch?: string[];
  defaultLeaseS?: number;
  preferredS?: number;
  maxLeaseS?: number;
}

export interface Dhcpd6Range {
  first: Ipv6Addr;
  /** Addresses from `first` on (first + count − 1 is the last). */
  count: number;
}

export interface Dhcpd6Subnet {
  prefix: Ipv6Addr;
  prefixLen: number;
  line: number;
  ranges: Dhcpd6Range[];
  params: Dhcpd6Params;
}

export interface Dhcpd6Host {
  name: string;
  line: number;
  mac: MacAddr | null;
  fixed: Ipv6Addr | null;
  params: Dhcpd6Params;
}

export interface Dhcpd6Config {
  global: Dhcpd6Params;
  subnets: Dhcpd6Subnet[];
  hosts: Dhcpd6Host[];
  authoritative: boolean;
  leaseFile: string;
}

/** Statements dhcpd accepts that change nothing here. */
const IGNORED6 = new Set(['ddns-update-style', 'log-facility', 'ping-check', 'allow', 'deny', 'ignore', 'min-lease-time', 'pid-file-name', 'dhcpv6-pid-file-name', 'server-duid', 'local-address6', 'dhcpv6-set-tee-times']);

/** `first + k` as an address (k below 2^32). */
export function ipv6Add(a: Ipv6Addr, k: number): Ipv6Addr {
  const out = a.slice();
  let carry = k;
  for (let i = 15; i >= 0 && carry > 0; i--) {
    const v = out[i] + (carry % 256);
    out[i] = v & 0xff;
    carry = Math.floor(carry / 256) + (v > 0xff ? 1 : 0);
  }
  return out;
}

/** `b − a` when it is in [0, 2^32), else -1. */
export function ipv6Diff(a: Ipv6Addr, b: Ipv6Addr): number {
  for (let i = 0; i < 12; i++) if (a[i] !== b[i]) return -1;
  const x = ((a[12] << 24) | (a[13] << 16) | (a[14] << 8) | a[15]) >>> 0;
  const y = ((b[12] << 24) | (b[13] << 16) | (b[14] << 8) | b[15]) >>> 0;
  return y >= x ? y - x : -1;
}

type Block = { kind: 'top' } | { kind: 'subnet'; s: Dhcpd6Subnet } | { kind: 'host'; h: Dhcpd6Host } | { kind: 'other' };

function paramsOf(cfg: Dhcpd6Config, b: Block): Dhcpd6Params {
  return b.kind === 'subnet' ? b.s.params : b.kind === 'host' ? b.h.params : cfg.global;
}

function seconds(w: string[], what: string, line: number): number | DhcpdConfError {
  return w.length === 1 && /^\d{1,9}$/.test(w[0]) ? Number(w[0]) : { line, message: `${what}: expecting a number of seconds` };
}

function simple(cfg: Dhcpd6Config, b: Block, words: string[], line: number): DhcpdConfError | null {
  const [w0, ...rest] = words;
  const p = paramsOf(cfg, b);
  switch (w0) {
    case 'authoritative':
      cfg.authoritative = true;
      return null;
    case 'dhcpv6-lease-file-name':
      if (rest.length !== 1 || !rest[0].startsWith('/')) return { line, message: 'dhcpv6-lease-file-name: expecting a quoted absolute path' };
      cfg.leaseFile = rest[0];
      return null;
    case 'default-lease-time':
    case 'preferred-lifetime':
    case 'max-lease-time': {
      const n = seconds(rest, w0, line);
      if (typeof n !== 'number') return n;
      if (w0 === 'default-lease-time') p.defaultLeaseS = n;
      else if (w0 === 'preferred-lifetime') p.preferredS = n;
      else p.maxLeaseS = n;
      return null;
    }
    case 'range6':
      return b.kind === 'subnet' ? range6(b.s, rest, line) : { line, message: 'range6 declaration not allowed here (it belongs in a subnet6)' };
    case 'range':
    case 'fixed-address':
      return { line, message: `${w0}: an IPv4 statement in a DHCPv6 configuration (use ${w0 === 'range' ? 'range6' : 'fixed-address6'})` };
    case 'hardware':
      if (b.kind !== 'host') return { line, message: 'hardware: only allowed in a host declaration' };
      if (rest.length !== 2 || rest[0] !== 'ethernet' || parseMac(rest[1]) === null) return { line, message: 'hardware: expecting "hardware ethernet XX:XX:XX:XX:XX:XX"' };
      b.h.mac = parseMac(rest[1]);
      return null;
    case 'fixed-address6': {
      if (b.kind !== 'host') return { line, message: 'fixed-address6: only allowed in a host declaration' };
      const a = rest.length === 1 ? parseIpv6(rest[0]) : null;
      if (a === null) return { line, message: `fixed-address6: ${rest.join(' ') || '(none)'}: expecting an IPv6 address` };
      b.h.fixed = a;
      return null;
    }
    case 'option':
      return option6(p, rest, line);
    default:
      if (IGNORED6.has(w0)) return null;
      return { line, message: `${w0}: unknown statement (expecting a parameter or declaration)` };
  }
}

function option6(p: Dhcpd6Params, w: string[], line: number): DhcpdConfError | null {
  const [name, ...v] = w;
  const items = v.filter((x, k) => k % 2 === 0);
  const commas = v.every((x, k) => k % 2 === 0 || x === ',') && v.length % 2 === 1;
  switch (name) {
    case 'dhcp6.name-servers': {
      const addrs = items.map((x) => parseIpv6(x));
      if (!commas || addrs.some((a) => a === null)) return { line, message: 'option dhcp6.name-servers: expecting IPv6 addresses separated by ","' };
      p.dnsServers = addrs as Ipv6Addr[];
      return null;
    }
    case 'dhcp6.domain-search':
      if (!commas) return { line, message: 'option dhcp6.domain-search: expecting quoted names separated by ","' };
      p.domainSearch = items;
      return null;
    case undefined:
      return { line, message: 'option: expecting an option name' };
    default:
      return { line, message: `option ${name}: not supported by VirtNet's dhcpd -6` };
  }
}

function range6(s: Dhcpd6Subnet, w: string[], line: number): DhcpdConfError | null {
  const bad = { line, message: `range6 ${w.join(' ')}: expecting "range6 LOW HIGH;" or "range6 PREFIX/LEN;" within subnet6` };
  let first: Ipv6Addr | null;
  let count: number;
  if (w.length === 1 && w[0].includes('/')) {
    const c = parseIpv6Cidr(w[0]);
    if (c === null || c.prefixLen < s.prefixLen) return bad;
    first = ipv6Network(c.addr, c.prefixLen);
    count = c.prefixLen >= 112 ? 2 ** (128 - c.prefixLen) : DHCPD6_RANGE_ADDRS_MAX;
  } else if (w.length === 2) {
    first = parseIpv6(w[0]);
    const last = parseIpv6(w[1]);
    if (first === null || last === null) return bad;
    const d = ipv6Diff(first, last);
    if (d < 0) return { line, message: `range6 ${w.join(' ')}: the high address is below the low one or too far from it` };
    if (d + 1 > DHCPD6_RANGE_ADDRS_MAX) return { line, message: `range6 ${w.join(' ')}: more than ${DHCPD6_RANGE_ADDRS_MAX} addresses` };
    if (!ipv6PrefixMatch(last, s.prefix, s.prefixLen)) return { line, message: `range6 ${w.join(' ')}: not within subnet6` };
    count = d + 1;
  } else return bad;
  if (!ipv6PrefixMatch(first, s.prefix, s.prefixLen)) return { line, message: `range6 ${w.join(' ')}: not within subnet6` };
  s.ranges.push({ first, count });
  return null;
}

function blockHead(cfg: Dhcpd6Config, b: Block, words: string[], line: number): Block | DhcpdConfError {
  const [w0, ...rest] = words;
  if (w0 === 'subnet6') {
    if (b.kind !== 'top') return { line, message: 'subnet6 declarations cannot be nested' };
    const c = rest.length === 1 ? parseIpv6Cidr(rest[0]) : null;
    if (c === null) return { line, message: 'expecting "subnet6 PREFIX/LEN {"' };
    if (cfg.subnets.length >= DHCPD_SUBNETS_MAX) return { line, message: `more than ${DHCPD_SUBNETS_MAX} subnets` };
    const s: Dhcpd6Subnet = { prefix: ipv6Network(c.addr, c.prefixLen), prefixLen: c.prefixLen, line, ranges: [], params: {} };
    cfg.subnets.push(s);
    return { kind: 'subnet', s };
  }
  if (w0 === 'host') {
    if (b.kind === 'host') return { line, message: 'host declarations cannot be nested' };
    if (rest.length !== 1) return { line, message: 'expecting "host NAME {"' };
    if (cfg.hosts.length >= DHCPD_HOSTS_MAX) return { line, message: `more than ${DHCPD_HOSTS_MAX} hosts` };
    return { kind: 'host', h: { name: rest[0], line, mac: null, fixed: null, params: {} } };
  }
  if (w0 === 'subnet') return { line, message: '"subnet" is an IPv4 declaration: dhcpd -6 expects "subnet6"' };
  return { line, message: `"${w0 ?? '{'}" declarations are not supported by VirtNet's dhcpd -6` };
}

/** Parses the file; every problem is located by line, and a bad statement does not hide the next. */
export function parseDhcpd6Conf(text: string): { config: Dhcpd6Config; errors: DhcpdConfError[] } {
  const config: Dhcpd6Config = { global: {}, subnets: [], hosts: [], authoritative: false, leaseFile: DHCPD6_LEASES_FILE };
  const errors: DhcpdConfError[] = [];
  const t = dhcpdTokens(text);
  if (!Array.isArray(t)) return { config, errors: [t] };
  const stack: Block[] = [{ kind: 'top' }];
  let words: Tok[] = [];
  for (const tk of t) {
    const cur = stack[stack.length - 1];
    const punct = tk.quoted ? '' : tk.text;
    if (punct === ';') {
      if (words.length > 0) {
        const e = simple(config, cur, words.map((w) => w.text), words[0].line);
        if (e !== null) errors.push(e);
      }
      words = [];
    } else if (punct === '{') {
      const head = blockHead(config, cur, words.map((w) => w.text), words[0]?.line ?? tk.line);
      if ('message' in head) {
        errors.push(head);
        stack.push({ kind: 'other' });
      } else stack.push(head);
      words = [];
    } else if (punct === '}') {
      if (words.length > 0) errors.push({ line: words[0].line, message: 'semicolon expected' });
      words = [];
      if (stack.length === 1) {
        errors.push({ line: tk.line, message: 'unexpected "}"' });
        continue;
      }
      const done = stack.pop()!;
      if (done.kind === 'host') {
        if (done.h.mac === null) errors.push({ line: done.h.line, message: `host ${done.h.name}: no "hardware ethernet" statement` });
        else config.hosts.push(done.h);
      }
    } else words.push(tk);
  }
  if (words.length > 0) errors.push({ line: words[words.length - 1].line, message: 'semicolon expected' });
  if (stack.length > 1) errors.push({ line: t[t.length - 1]?.line ?? 1, message: 'missing "}" at the end of the file' });
  return { config, errors };
}

/** ISC's defaults: valid = default-lease-time (12 h), preferred = 5/8 of it unless preferred-lifetime says. */
export function dhcpd6Lifetimes(p: Dhcpd6Params): { validS: number; preferredS: number } {
  const validS = Math.min(p.defaultLeaseS ?? DHCPD_DEFAULT_LEASE_S, p.maxLeaseS ?? Infinity);
  const preferredS = Math.min(p.preferredS ?? Math.floor((validS * 5) / 8), validS);
  return { validS, preferredS };
}
