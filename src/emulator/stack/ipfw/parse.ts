// ipfw(8) rule text → FwRule: `[N] [log] ACTION [log] PROTO from SRC [PORTS] to DST [PORTS]
// [OPTIONS]`. A bad rule is a typed error carrying the message and exit status FreeBSD's
// ipfw prints (sbin/ipfw/ipfw2.c compile_rule), and nothing is changed. Must not edit rulesets.

import { parseCidr, prefixMask } from '../../wire/addr';
import { IP_PROTO } from '../../wire/ipv4';
import { blankRule } from './ruleset';
import { FW_DIR, FW_DEFAULT_RULE, type FwAddrMatch, type FwPorts, type FwRule } from './types';

/** sysexits(3) codes ipfw exits with. */
export const EX = { USAGE: 64, DATAERR: 65, NOHOST: 68, UNAVAILABLE: 69 } as const;

export class IpfwError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const fail = (msg: string, code: number = EX.DATAERR): never => {
  throw new IpfwError(msg, code);
};

export const PROTO_NAMES: Readonly<Record<string, number>> = { ip: -1, all: -1, icmp: IP_PROTO.ICMP, tcp: IP_PROTO.TCP, udp: IP_PROTO.UDP };

/** Services ipfw resolves through /etc/services (the few labs use). */
const SERVICES: Readonly<Record<string, number>> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69, http: 80, www: 80,
  pop3: 110, ntp: 123, imap: 143, snmp: 161, bgp: 179, https: 443, rip: 520, router: 520,
};

/** ICMP unreachable codes by ipfw name (RFC 792, RFC 1812 §5.2.7.1). */
/** FreeBSD ip_fw.h ICMP_REJECT_RST: the `reset` action's code (answer TCP with a RST). */
export const REJECT_RST = 0x100;

export const UNREACH_CODES: Readonly<Record<string, number>> = {
  net: 0, host: 1, protocol: 2, port: 3, needfrag: 4, srcfail: 5, 'net-unknown': 6, 'host-unknown': 7,
  isolated: 8, 'net-prohib': 9, 'host-prohib': 10, tosnet: 11, toshost: 12, 'filter-prohib': 13,
  'host-precedence': 14, 'precedence-cutoff': 15,
};

function ruleNumber(text: string): number {
  if (!/^[0-9]+$/.test(text)) return fail(`invalid rule number: ${text}`, EX.USAGE);
  const n = Number(text);
  if (n < 1 || n >= FW_DEFAULT_RULE) fail(`illegal rule number ${text}`, EX.USAGE);
  return n;
}

function argNumber(word: string, text: string | undefined, max: number): number {
  if (text === undefined || !/^[0-9]+$/.test(text) || Number(text) > max) return fail(`illegal argument for ${word}`);
  return Number(text);
}

/** Parses `ADDR`, `ADDR/LEN`, `me`, `any`, `table(N)`, preceded by an optional `not`. */
function parseAddr(words: string[], i: number): [FwAddrMatch, number] {
  let not = false;
  if (words[i] === 'not') {
    not = true;
    i++;
  }
  const w = words[i];
  if (w === undefined) return fail('missing address', EX.USAGE);
  if (w === 'any') return [{ addr: { kind: 'any' }, not }, i + 1];
  if (w === 'me') return [{ addr: { kind: 'me' }, not }, i + 1];
  const t = /^table\(([0-9]+)\)$/.exec(w);
  if (t !== null) return [{ addr: { kind: 'table', n: Number(t[1]) }, not }, i + 1];
  const c = parseCidr(w);
  if (c === null) return fail(`hostname \`\`${w}'' unknown`, EX.NOHOST);
  const mask = prefixMask(c.prefixLen);
  return [{ addr: { kind: 'net', addr: (c.addr & mask) >>> 0, mask: mask | 0, len: c.prefixLen }, not }, i + 1];
}

function portValue(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text) <= 0xffff ? Number(text) : null;
  return SERVICES[text] ?? null;
}

/** A port list `80`, `80,443`, `1000-2000`, `http`; null when `w` is not one (then it is an option). */
function parsePorts(w: string | undefined): FwPorts | null {
  if (w === undefined || !/^[0-9a-z,-]+$/.test(w) || !/^[0-9]|^[a-z]+([,-]|$)/.test(w)) return null;
  const out: FwPorts = [];
  for (const item of w.split(',')) {
    const [a, b, extra] = item.split('-');
    const lo = portValue(a);
    const hi = b === undefined ? lo : portValue(b);
    if (lo === null || hi === null || extra !== undefined) return null;
    out.push(lo, hi);
  }
  return out;
}

function parseAction(r: FwRule, words: string[], i: number): number {
  const w = words[i];
  switch (w) {
    case 'allow': case 'accept': case 'pass': case 'permit':
      r.action = { kind: 'allow' };
      return i + 1;
    case 'deny': case 'drop':
      r.action = { kind: 'deny' };
      return i + 1;
    case 'reject':
      r.action = { kind: 'unreach', code: UNREACH_CODES.host };
      return i + 1;
    case 'reset':
      r.action = { kind: 'unreach', code: REJECT_RST };
      return i + 1;
    case 'unreach': {
      const c = words[i + 1];
      const code = c === undefined ? undefined : /^[0-9]+$/.test(c) && Number(c) < 256 ? Number(c) : UNREACH_CODES[c];
      if (code === undefined) fail(`unknown ICMP unreachable code \`\`${c ?? ''}''`);
      r.action = { kind: 'unreach', code: code! };
      return i + 2;
    }
    case 'count':
      r.action = { kind: 'count' };
      return i + 1;
    case 'check-state':
      r.action = { kind: 'check-state' };
      return i + 1;
    case 'skipto': {
      const to = argNumber('skipto', words[i + 1], FW_DEFAULT_RULE);
      if (r.num !== 0 && to <= r.num) fail(`skipto: rule number ${to} is not greater than ${r.num}`);
      r.action = { kind: 'skipto', to };
      return i + 2;
    }
    case 'pipe':
    case 'queue':
      r.action = { kind: w, n: argNumber(w, words[i + 1], 65535) };
      return i + 2;
    case 'nat':
      r.action = { kind: 'nat', n: argNumber('nat', words[i + 1], 65535) };
      return i + 2;
    case 'divert': case 'tee': case 'fwd': case 'forward': case 'netgraph': case 'ngtee': case 'setfib': case 'tag': case 'untag':
      return fail(`action ${w} is not supported by VirtNet`, EX.UNAVAILABLE);
    default:
      return fail(`invalid action ${w ?? ''}`);
  }
}

function parseOptions(r: FwRule, words: string[], i: number): void {
  while (i < words.length) {
    const w = words[i++];
    switch (w) {
      case 'in': r.dir = FW_DIR.IN; break;
      case 'out': r.dir = FW_DIR.OUT; break;
      case 'via': case 'recv': case 'xmit': {
        const name = words[i++];
        if (name === undefined) fail(`missing argument for ${w}`, EX.USAGE);
        r.ifaces.push({ op: w, name });
        break;
      }
      case 'keep-state': r.keepState = true; break;
      case 'setup': r.setup = true; break;
      case 'established': r.established = true; break;
      case 'log': r.log = true; break;
      case 'icmptypes': case 'icmptype': {
        const list = words[i++] ?? '';
        for (const t of list.split(',')) {
          if (!/^[0-9]+$/.test(t) || Number(t) > 31) fail(`invalid ICMP type ${t}`);
          r.icmpTypes |= 1 << Number(t);
        }
        break;
      }
      default:
        fail(`unrecognised option [-1] ${w}`);
    }
  }
}

/** Parses the words after `ipfw add`. Throws IpfwError with ipfw's message on a bad rule. */
export function parseRule(words: string[]): FwRule {
  const r = blankRule(0, { kind: 'allow' });
  let i = 0;
  if (words[0] !== undefined && /^[0-9]+$/.test(words[0])) r.num = ruleNumber(words[i++]);
  if (words[i] === 'log') (r.log = true), i++;
  if (words[i] === undefined) fail('missing action', EX.USAGE);
  i = parseAction(r, words, i);
  if (words[i] === 'log') (r.log = true), i++;
  // check-state takes no body (ipfw(8)).
  if (r.action.kind === 'check-state' && i === words.length) return r;
  const protoWord = words[i++];
  if (protoWord === undefined) return fail('missing protocol', EX.USAGE);
  const proto = PROTO_NAMES[protoWord] ?? (/^[0-9]+$/.test(protoWord) && Number(protoWord) < 256 ? Number(protoWord) : undefined);
  if (proto === undefined) fail(`invalid protocol \`\`${protoWord}''`);
  r.proto = proto!;
  if (words[i++] !== 'from') fail("missing ``from''", EX.USAGE);
  [r.src, i] = parseAddr(words, i);
  r.srcPorts = parsePorts(words[i]);
  if (r.srcPorts !== null) i++;
  if (words[i++] !== 'to') fail("missing ``to''", EX.USAGE);
  [r.dst, i] = parseAddr(words, i);
  r.dstPorts = parsePorts(words[i]);
  if (r.dstPorts !== null) i++;
  if ((r.srcPorts !== null || r.dstPorts !== null) && r.proto !== IP_PROTO.TCP && r.proto !== IP_PROTO.UDP) {
    fail('only TCP and UDP protocols are valid with port specifications');
  }
  parseOptions(r, words, i);
  if ((r.setup || r.established) && r.proto !== IP_PROTO.TCP) fail(`${r.setup ? 'setup' : 'established'} requires tcp protocol`);
  if (r.icmpTypes !== 0 && r.proto !== IP_PROTO.ICMP) fail('icmptypes requires icmp protocol');
  return r;
}
