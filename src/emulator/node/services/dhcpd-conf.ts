// ISC dhcpd.conf(5) as labs write it: global parameters and options, `subnet … netmask … { }`
// with `range`, `option routers | domain-name-servers | domain-name | subnet-mask |
// broadcast-address`, `default-lease-time`, `max-lease-time`, and `host … { hardware
// ethernet; fixed-address; }` (top level or inside a subnet). Every problem is located
// (`/usr/local/etc/dhcpd.conf:12: …`); statements dhcpd accepts but that change nothing here
// (ddns-update-style, log-facility, authoritative …) are accepted. Text only, no behaviour.

import { parseIpv4, parseMac, type Ipv4Addr, type MacAddr } from '../../wire/addr';

export const DHCPD_CONF_FILE = '/usr/local/etc/dhcpd.conf';
/** ISC dhcpd's defaults (dhcpd.conf(5)): 12 hours, and at most 24 hours. */
export const DHCPD_DEFAULT_LEASE_S = 43200;
export const DHCPD_MAX_LEASE_S = 86400;
/** Bounds on what one file declares. */
export const DHCPD_SUBNETS_MAX = 256;
export const DHCPD_HOSTS_MAX = 1024;
export const DHCPD_RANGE_ADDRS_MAX = 65536;

export interface DhcpdParams {
  routers?: Ipv4Addr[];
  dnsServers?: Ipv4Addr[];
  domainName?: string;
  subnetMask?: Ipv4Addr;
  broadcast?: Ipv4Addr;
  defaultLeaseS?: number;
  maxLeaseS?: number;
}

export interface DhcpdSubnet {
  net: Ipv4Addr;
  mask: Ipv4Addr;
  line: number;
  ranges: { first: Ipv4Addr; last: Ipv4Addr }[];
  params: DhcpdParams;
}

export interface DhcpdHost {
  name: string;
  line: number;
  mac: MacAddr | null;
  fixed: Ipv4Addr | null;
  params: DhcpdParams;
}

export interface DhcpdConfig {
  global: DhcpdParams;
  subnets: DhcpdSubnet[];
  hosts: DhcpdHost[];
  authoritative: boolean;
}

export interface DhcpdConfError {
  line: number;
  message: string;
}

export interface Tok {
  text: string;
  line: number;
  /** A quoted string (never punctuation). */
  quoted: boolean;
}

/** ISC config tokens: words, quoted strings and `; { } ,`, each with its line. */
export function dhcpdTokens(text: string): Tok[] | DhcpdConfError {
  const out: Tok[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0 || text.slice(i, end).includes('\n')) return { line, message: 'unterminated string' };
      out.push({ text: text.slice(i + 1, end), line, quoted: true });
      i = end + 1;
    } else if (c === ';' || c === '{' || c === '}' || c === ',') {
      out.push({ text: c, line, quoted: false });
      i++;
    } else {
      let j = i;
      while (j < text.length && !' \t\r\n;{},"#'.includes(text[j])) j++;
      out.push({ text: text.slice(i, j), line, quoted: false });
      i = j;
    }
  }
  return out;
}

/** Statements of no consequence here that dhcpd accepts (one or more words up to `;`). */
const IGNORED = new Set(['ddns-update-style', 'log-facility', 'one-lease-per-client', 'ping-check', 'ping-timeout', 'update-static-leases', 'server-name', 'next-server', 'filename', 'use-host-decl-names', 'get-lease-hostnames', 'allow', 'deny', 'ignore', 'min-lease-time', 'lease-file-name', 'pid-file-name', 'local-port', 'ddns-updates', 'not']);

class Parser {
  private k = 0;
  readonly errors: DhcpdConfError[] = [];
  constructor(private readonly t: Tok[]) {}

  private peek(): Tok | undefined {
    return this.t[this.k];
  }
  private lastLine(): number {
    return this.t[Math.min(this.k, this.t.length - 1)]?.line ?? 1;
  }

  /** Words up to `;` (consumed), or an error when a block or the end comes first. */
  private statementWords(): Tok[] | DhcpdConfError {
    const words: Tok[] = [];
    for (;;) {
      const tk = this.t[this.k];
      if (tk === undefined) return { line: this.lastLine(), message: 'semicolon expected' };
      if (!tk.quoted && (tk.text === '{' || tk.text === '}')) return { line: tk.line, message: 'semicolon expected' };
      this.k++;
      if (!tk.quoted && tk.text === ';') return words;
      words.push(tk);
    }
  }

  /** Skips to the end of the bad statement, so one error does not hide the next line's. */
  private recover(err: DhcpdConfError): void {
    this.errors.push(err);
    let depth = 0;
    while (this.k < this.t.length) {
      const tk = this.t[this.k];
      if (!tk.quoted && tk.text === '{') depth++;
      if (!tk.quoted && tk.text === '}') {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          this.k++;
          return;
        }
      }
      this.k++;
      if (!tk.quoted && tk.text === ';' && depth === 0) return;
    }
  }

  /** Statements until `}` (in a block) or the end; `scope` receives each. */
  body(cfg: DhcpdConfig, params: DhcpdParams, subnet: DhcpdSubnet | null, host: DhcpdHost | null, inBlock: boolean): void {
    for (;;) {
      const tk = this.peek();
      if (tk === undefined) {
        if (inBlock) this.errors.push({ line: this.lastLine(), message: 'missing "}" at the end of the file' });
        return;
      }
      if (!tk.quoted && tk.text === '}') {
        if (inBlock) {
          this.k++;
          return;
        }
        this.errors.push({ line: tk.line, message: 'unexpected "}"' });
        this.k++;
        continue;
      }
      const err = this.statement(cfg, params, subnet, host);
      if (err !== null) this.recover(err);
    }
  }

  private statement(cfg: DhcpdConfig, params: DhcpdParams, subnet: DhcpdSubnet | null, host: DhcpdHost | null): DhcpdConfError | null {
    const head = this.t[this.k];
    if (head.text === ';') {
      this.k++;
      return null;
    }
    if (head.text === 'subnet') return this.subnet(cfg, head, subnet, host);
    if (head.text === 'host') return this.host(cfg, head, host);
    if (head.text === 'shared-network' || head.text === 'group' || head.text === 'class' || head.text === 'pool' || head.text === 'subnet6') {
      return { line: head.line, message: `"${head.text}" declarations are not supported by VirtNet's dhcpd` };
    }
    const words = this.statementWords();
    if (!Array.isArray(words)) return words;
    // The statement is consumed up to its `;`: a problem in it needs no recovery.
    const err = this.simple(cfg, params, subnet, host, words, head.line);
    if (err !== null) this.errors.push(err);
    return null;
  }

  private simple(cfg: DhcpdConfig, params: DhcpdParams, subnet: DhcpdSubnet | null, host: DhcpdHost | null, words: Tok[], line: number): DhcpdConfError | null {
    const [w0, ...rest] = words.map((w) => w.text);
    switch (w0) {
      case 'option':
        return option(params, rest, line);
      case 'default-lease-time':
      case 'max-lease-time': {
        const n = rest.length === 1 && /^\d{1,9}$/.test(rest[0]) ? Number(rest[0]) : NaN;
        if (!Number.isFinite(n)) return { line, message: `${w0}: expecting a number of seconds` };
        if (w0 === 'default-lease-time') params.defaultLeaseS = n;
        else params.maxLeaseS = n;
        return null;
      }
      case 'range':
        return subnet === null ? { line, message: 'range declaration not allowed here (it belongs in a subnet)' } : range(subnet, rest, line);
      case 'hardware':
        if (host === null) return { line, message: 'hardware: only allowed in a host declaration' };
        if (rest.length !== 2 || rest[0] !== 'ethernet' || parseMac(rest[1]) === null) return { line, message: `hardware: expecting "hardware ethernet XX:XX:XX:XX:XX:XX"` };
        host.mac = parseMac(rest[1]);
        return null;
      case 'fixed-address': {
        if (host === null) return { line, message: 'fixed-address: only allowed in a host declaration' };
        const a = rest.length === 1 ? parseIpv4(rest[0]) : null;
        if (a === null) return { line, message: `fixed-address: ${rest.join(' ') || '(none)'}: expecting an IPv4 address` };
        host.fixed = a;
        return null;
      }
      case 'authoritative':
        cfg.authoritative = true;
        return null;
      case undefined:
        return null;
      default:
        if (IGNORED.has(w0)) return null;
        return { line, message: `${w0}: unknown statement (expecting a parameter or declaration)` };
    }
  }

  private subnet(cfg: DhcpdConfig, head: Tok, outer: DhcpdSubnet | null, host: DhcpdHost | null): DhcpdConfError | null {
    if (outer !== null || host !== null) return { line: head.line, message: 'subnet declarations cannot be nested' };
    const w = this.t.slice(this.k, this.k + 5);
    const net = parseIpv4(w[1]?.text ?? '');
    const mask = parseIpv4(w[3]?.text ?? '');
    if (net === null || w[2]?.text !== 'netmask' || mask === null || w[4]?.text !== '{') return { line: head.line, message: 'expecting "subnet A.B.C.D netmask M.M.M.M {"' };
    if (((~mask >>> 0) & ((~mask >>> 0) + 1)) !== 0) return { line: head.line, message: `netmask ${w[3].text} is not contiguous` };
    if (((net & ~mask) >>> 0) !== 0) return { line: head.line, message: `subnet ${w[1].text}: host bits set for netmask ${w[3].text}` };
    if (cfg.subnets.length >= DHCPD_SUBNETS_MAX) return { line: head.line, message: `more than ${DHCPD_SUBNETS_MAX} subnets` };
    this.k += 5;
    const s: DhcpdSubnet = { net: net >>> 0, mask: mask >>> 0, line: head.line, ranges: [], params: {} };
    cfg.subnets.push(s);
    this.body(cfg, s.params, s, null, true);
    return null;
  }

  private host(cfg: DhcpdConfig, head: Tok, outer: DhcpdHost | null): DhcpdConfError | null {
    if (outer !== null) return { line: head.line, message: 'host declarations cannot be nested' };
    const name = this.t[this.k + 1];
    if (name === undefined || this.t[this.k + 2]?.text !== '{') return { line: head.line, message: 'expecting "host NAME {"' };
    if (cfg.hosts.length >= DHCPD_HOSTS_MAX) return { line: head.line, message: `more than ${DHCPD_HOSTS_MAX} hosts` };
    this.k += 3;
    const h: DhcpdHost = { name: name.text, line: head.line, mac: null, fixed: null, params: {} };
    this.body(cfg, h.params, null, h, true);
    if (h.mac === null) this.errors.push({ line: head.line, message: `host ${h.name}: no "hardware ethernet" statement` });
    else cfg.hosts.push(h);
    return null;
  }
}

function addrList(words: string[], line: number, what: string): Ipv4Addr[] | DhcpdConfError {
  const out: Ipv4Addr[] = [];
  for (let i = 0; i < words.length; i++) {
    if (i % 2 === 1) {
      if (words[i] !== ',') return { line, message: `option ${what}: expecting "," between addresses` };
      continue;
    }
    const a = parseIpv4(words[i]);
    if (a === null) return { line, message: `option ${what}: ${words[i]}: expecting an IPv4 address (host names are not looked up)` };
    out.push(a);
  }
  if (out.length === 0 || words.length % 2 === 0) return { line, message: `option ${what}: expecting an address list` };
  return out;
}

function option(p: DhcpdParams, w: string[], line: number): DhcpdConfError | null {
  const [name, ...v] = w;
  switch (name) {
    case 'routers':
    case 'domain-name-servers': {
      const list = addrList(v, line, name);
      if (!Array.isArray(list)) return list;
      if (name === 'routers') p.routers = list;
      else p.dnsServers = list;
      return null;
    }
    case 'subnet-mask':
    case 'broadcast-address': {
      const a = v.length === 1 ? parseIpv4(v[0]) : null;
      if (a === null) return { line, message: `option ${name}: expecting an IPv4 address` };
      if (name === 'subnet-mask') p.subnetMask = a;
      else p.broadcast = a;
      return null;
    }
    case 'domain-name':
      if (v.length !== 1) return { line, message: 'option domain-name: expecting a quoted name' };
      p.domainName = v[0];
      return null;
    case undefined:
      return { line, message: 'option: expecting an option name' };
    default:
      return { line, message: `option ${name}: not supported by VirtNet's dhcpd` };
  }
}

function range(s: DhcpdSubnet, w: string[], line: number): DhcpdConfError | null {
  const words = w[0] === 'dynamic-bootp' ? w.slice(1) : w;
  const first = parseIpv4(words[0] ?? '');
  const last = words.length === 2 ? parseIpv4(words[1]) : first;
  if (first === null || last === null || words.length < 1 || words.length > 2) return { line, message: `range ${w.join(' ')}: expecting "range LOW [HIGH];" with IPv4 addresses` };
  const lo = Math.min(first >>> 0, last >>> 0);
  const hi = Math.max(first >>> 0, last >>> 0);
  const inSubnet = (a: number) => ((a & s.mask) >>> 0) === s.net;
  if (!inSubnet(lo) || !inSubnet(hi)) return { line, message: `range ${w.join(' ')}: not within subnet ${fmt(s.net)} netmask ${fmt(s.mask)}` };
  if (hi - lo + 1 > DHCPD_RANGE_ADDRS_MAX) return { line, message: `range ${w.join(' ')}: more than ${DHCPD_RANGE_ADDRS_MAX} addresses` };
  s.ranges.push({ first: lo, last: hi });
  return null;
}

function fmt(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** Parses the file; every problem is located by line. */
export function parseDhcpdConf(text: string): { config: DhcpdConfig; errors: DhcpdConfError[] } {
  const config: DhcpdConfig = { global: {}, subnets: [], hosts: [], authoritative: false };
  const t = dhcpdTokens(text);
  if (!Array.isArray(t)) return { config, errors: [t] };
  const p = new Parser(t);
  p.body(config, config.global, null, null, false);
  return { config, errors: p.errors };
}
