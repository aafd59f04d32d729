// tcpdump's capture filter language, the common part of pcap-filter(7): `host`, `net`,
// `port` with `src`/`dst` qualifiers and an optional protocol qualifier (`tcp port 80`,
// `ip6 host fc00::1`), the protocols `tcp udp icmp icmp6 ip ip6 arp`, `and`/`or`/`not`
// (`&&`, `||`, `!`) and parentheses. Compiled once to a predicate over the packet facts
// (wire/tcpdump.ts dumpFacts). Errors are values in libpcap's words. Pure.

import { parseCidr, parseIpv4, prefixMask } from '../../wire/addr';
import type { DumpFacts } from '../../wire/tcpdump';
import { parseIpv6, parseIpv6Cidr, ipv6PrefixMatch, ipv6Equal } from '../../wire/ipv6-addr';

export type DumpFilter = (f: DumpFacts) => boolean;

/** Longest expression accepted, in tokens (bounds the recursion). */
const FILTER_TOKENS_MAX = 256;

const PROTOS = new Set(['tcp', 'udp', 'icmp', 'icmp6', 'ip', 'ip6', 'arp']);
const DIRS = new Set(['src', 'dst']);
const KINDS = new Set(['host', 'net', 'port']);

function tokenize(text: string): string[] {
  return text
    .replace(/([()])/g, ' $1 ')
    .replace(/&&/g, ' and ')
    .replace(/\|\|/g, ' or ')
    .replace(/(^|\s)!(?=\S)/g, '$1! ')
    .split(/\s+/)
    .filter((t) => t !== '');
}

const IP4 = 0x0800;
const IP6 = 0x86dd;
const ARP = 0x0806;

function protoTest(p: string): DumpFilter {
  switch (p) {
    case 'tcp':
      return (f) => (f.etherType === IP4 || f.etherType === IP6) && f.proto === 6;
    case 'udp':
      return (f) => (f.etherType === IP4 || f.etherType === IP6) && f.proto === 17;
    case 'icmp':
      return (f) => f.etherType === IP4 && f.proto === 1;
    case 'icmp6':
      return (f) => f.etherType === IP6 && f.proto === 58;
    case 'ip':
      return (f) => f.etherType === IP4;
    case 'ip6':
      return (f) => f.etherType === IP6;
    default:
      return (f) => f.etherType === ARP;
  }
}

/** Compiles `text` (empty: every packet). `resolve` maps a host name to an IPv4 address (IMUNES /etc/hosts). */
export function compileDumpFilter(text: string, resolve: (name: string) => number | null): DumpFilter | { error: string } {
  const toks = tokenize(text);
  if (toks.length === 0) return () => true;
  if (toks.length > FILTER_TOKENS_MAX) return { error: 'expression too complex' };
  let i = 0;
  const fail = (msg = 'syntax error'): never => {
    throw new FilterError(msg);
  };
  const peek = (): string | undefined => toks[i];
  const orExpr = (): DumpFilter => {
    let left = andExpr();
    while (peek() === 'or') {
      i++;
      const l = left;
      const r = andExpr();
      left = (f) => l(f) || r(f);
    }
    return left;
  };
  const andExpr = (): DumpFilter => {
    let left = unary();
    while (peek() === 'and') {
      i++;
      const l = left;
      const r = unary();
      left = (f) => l(f) && r(f);
    }
    return left;
  };
  const unary = (): DumpFilter => {
    const t = peek();
    if (t === 'not' || t === '!') {
      i++;
      const e = unary();
      return (f) => !e(f);
    }
    if (t === '(') {
      i++;
      const e = orExpr();
      if (peek() !== ')') fail();
      i++;
      return e;
    }
    return primitive();
  };
  const primitive = (): DumpFilter => {
    let proto: string | null = null;
    let dir: string | null = null;
    if (PROTOS.has(peek() ?? '')) proto = toks[i++];
    if (DIRS.has(peek() ?? '')) dir = toks[i++];
    const kind = peek();
    if (kind === undefined || !KINDS.has(kind)) {
      if (proto !== null && dir === null) return protoTest(proto);
      return fail();
    }
    i++;
    const value = toks[i++];
    if (value === undefined || value === ')' || value === '(') return fail();
    const base = kind === 'port' ? portTest(value, dir, fail) : kind === 'host' ? hostTest(value, dir, resolve, fail) : netTest(value, dir, fail);
    if (proto === null) return base;
    const p = protoTest(proto);
    return (f) => p(f) && base(f);
  };
  try {
    const e = orExpr();
    if (i < toks.length) fail();
    return e;
  } catch (err) {
    if (err instanceof FilterError) return { error: err.message };
    throw err;
  }
}

class FilterError extends Error {}

function either(dir: string | null, s: (f: DumpFacts) => boolean, d: (f: DumpFacts) => boolean): DumpFilter {
  return dir === 'src' ? s : dir === 'dst' ? d : (f) => s(f) || d(f);
}

function portTest(value: string, dir: string | null, fail: (m?: string) => never): DumpFilter {
  const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : NAMED_PORTS[value];
  if (n === undefined || n > 65535) return fail(`unknown port '${value}'`);
  const tcpOrUdp = (f: DumpFacts) => (f.etherType === IP4 || f.etherType === IP6) && (f.proto === 6 || f.proto === 17);
  const t = either(dir, (f) => f.sport === n, (f) => f.dport === n);
  return (f) => tcpOrUdp(f) && t(f);
}

const NAMED_PORTS: Readonly<Record<string, number>> = { ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, https: 443, bgp: 179, route: 520, ntp: 123 };

function hostTest(value: string, dir: string | null, resolve: (name: string) => number | null, fail: (m?: string) => never): DumpFilter {
  const a6 = value.includes(':') ? parseIpv6(value) : null;
  if (a6 !== null) return either(dir, (f) => f.src6 !== null && ipv6Equal(f.src6, a6), (f) => f.dst6 !== null && ipv6Equal(f.dst6, a6));
  const a = parseIpv4(value) ?? resolve(value);
  if (a === null) return fail(`unknown host '${value}'`);
  const ip4 = (f: DumpFacts) => f.etherType === IP4 || f.etherType === ARP;
  const t = either(dir, (f) => f.src4 === a, (f) => f.dst4 === a);
  return (f) => ip4(f) && t(f);
}

function netTest(value: string, dir: string | null, fail: (m?: string) => never): DumpFilter {
  if (value.includes(':')) {
    const c6 = parseIpv6Cidr(value);
    if (c6 === null) return fail(`invalid ip6 address ${value}`);
    return either(dir, (f) => f.src6 !== null && ipv6PrefixMatch(f.src6, c6.addr, c6.prefixLen), (f) => f.dst6 !== null && ipv6PrefixMatch(f.dst6, c6.addr, c6.prefixLen));
  }
  const c = parseCidr(value.includes('/') ? value : `${value}/32`);
  if (c === null) return fail(`invalid net ${value}`);
  const mask = prefixMask(c.prefixLen);
  // libpcap: "non-network bits set in" a net is an error.
  if ((c.addr & ~mask) >>> 0 !== 0) return fail(`non-network bits set in "${value}"`);
  const net = c.addr >>> 0;
  const ip4 = (f: DumpFacts) => f.etherType === IP4 || f.etherType === ARP;
  const t = either(dir, (f) => f.src4 >= 0 && (f.src4 & mask) >>> 0 === net, (f) => f.dst4 >= 0 && (f.dst4 & mask) >>> 0 === net);
  return (f) => ip4(f) && t(f);
}
