// The Linux iptables front end as a translation onto the one ipfw engine (not a second
// engine): filter chains INPUT/FORWARD/OUTPUT become rule ranges 10000/20000/30000 with the
// chain's hook condition, policies the last rule of each range; -t nat MASQUERADE/SNAT/DNAT
// become one ipfw nat instance per interface (60000 + ifIndex) and its rules. Parses the
// iptables argument syntax and prints `iptables -L [-n] [-v]` as iptables 1.8 does.

import { formatIpv4, parseCidr, prefixMask } from '../../wire/addr';
import { IP_PROTO } from '../../wire/ipv4';
import type { NetStack } from '../types';
import { natAddLink, natCreate } from './nat';
import { PROTO_NAMES, REJECT_RST, UNREACH_CODES } from './parse';
import { blankRule, firewallOf, setDefaultToAccept } from './ruleset';
import { CT_STATE, FW_CHAIN, FW_DIR, type Firewall, type FwAddrMatch, type FwRule, type IptChain, type IptTables, type NatInstance } from './types';

export const IPT_VERSION = 'iptables v1.8.7 (nf_tables)';
const TRY = "Try `iptables -h' or 'iptables --help' for more information.";
export const IPT_EXIT = { OK: 0, FAILURE: 1, PARAMETER: 2 } as const;

export class IptError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A parameter problem: iptables prints its version, the message and the help hint, exit 2. */
const param = (msg: string): never => {
  throw new IptError(`${IPT_VERSION}: ${msg}\n${TRY}`, IPT_EXIT.PARAMETER);
};

export type ChainName = 'INPUT' | 'FORWARD' | 'OUTPUT';
const CHAINS: readonly ChainName[] = ['INPUT', 'FORWARD', 'OUTPUT'];
const CHAIN_BASE: Record<ChainName, number> = { INPUT: 10000, FORWARD: 20000, OUTPUT: 30000 };
const CHAIN_CODE = { INPUT: FW_CHAIN.INPUT, FORWARD: FW_CHAIN.FORWARD, OUTPUT: FW_CHAIN.OUTPUT } as const;
export const NAT_BASE = 60000;
const NAT_IN_BASE = 9000;

export function isChain(s: string | undefined): s is ChainName {
  return s === 'INPUT' || s === 'FORWARD' || s === 'OUTPUT';
}

function policyRule(chain: ChainName, accept: boolean): FwRule {
  const r = blankRule(CHAIN_BASE[chain] + 9999, accept ? { kind: 'allow' } : { kind: 'deny' });
  r.chain = CHAIN_CODE[chain];
  return r;
}

/** The iptables view, created on first use; Linux accepts by default, so rule 65535 becomes allow. */
export function iptOf(stack: NetStack): IptTables {
  const fw = firewallOf(stack);
  if (fw.ipt !== null) return fw.ipt;
  if (fw.rules.length === 1) setDefaultToAccept(fw, true);
  const chain = (c: ChainName): IptChain => ({ rules: [], policy: policyRule(c, true) });
  fw.ipt = { chains: { INPUT: chain('INPUT'), FORWARD: chain('FORWARD'), OUTPUT: chain('OUTPUT') }, nat: [] };
  iptCompile(fw);
  return fw.ipt;
}

/**
 * Rebuilds the ipfw rules of the iptables ranges from the chains (counters live on the rule
 * objects): nat on the way in at 9000+ (PREROUTING: replies and DNAT before the filter),
 * the chains at 10000/20000/30000 whose ACCEPT jumps to POSTROUTING at 60000+ (nat on the
 * way out), then 60999 accepts what got that far.
 */
export function iptCompile(fw: Firewall): void {
  const ipt = fw.ipt!;
  const keep = fw.rules.filter((r) => r.chain === FW_CHAIN.NONE && !(r.num >= NAT_IN_BASE && r.num < CHAIN_BASE.INPUT) && !(r.num >= NAT_BASE && r.num <= NAT_BASE + 999));
  const mine: FwRule[] = [];
  for (const c of CHAINS) {
    const ch = ipt.chains[c];
    ch.rules.forEach((r, i) => {
      r.num = CHAIN_BASE[c] + 1 + i;
      mine.push(r);
    });
    mine.push(ch.policy);
  }
  const nats = [...fw.nats.values()].filter((n) => n.n >= NAT_BASE).sort((a, b) => a.n - b.n);
  nats.forEach((nat, k) => {
    for (const dir of [FW_DIR.IN, FW_DIR.OUT]) {
      const r = blankRule(dir === FW_DIR.IN ? NAT_IN_BASE + k : NAT_BASE + k, { kind: 'nat', n: nat.n });
      r.dir = dir;
      r.ifaces.push({ op: dir === FW_DIR.OUT ? 'xmit' : 'recv', name: nat.via! });
      mine.push(r);
    }
  });
  fw.postrouting = nats.length > 0 ? NAT_BASE : 0;
  if (nats.length > 0) mine.push(blankRule(NAT_BASE + 999, { kind: 'allow' }));
  fw.rules = [...keep, ...mine].sort((a, b) => a.num - b.num);
  fw.groups = null;
  fw.stateful = fw.rules.some((r) => r.keepState || r.action.kind === 'check-state');
}

function addrArg(text: string | undefined): FwAddrMatch {
  const c = text === undefined ? null : parseCidr(text);
  if (c === null) return param(`host/network \`${text ?? ''}' not found`);
  const mask = prefixMask(c.prefixLen);
  return { addr: c.prefixLen === 0 ? { kind: 'any' } : { kind: 'net', addr: (c.addr & mask) >>> 0, mask: mask | 0, len: c.prefixLen }, not: false };
}

function portArg(text: string | undefined): number[] {
  const m = text === undefined ? null : /^([0-9]+)(?::([0-9]+))?$/.exec(text);
  if (m === null || Number(m[1]) > 0xffff || (m[2] !== undefined && Number(m[2]) > 0xffff)) return param(`invalid port/service \`${text ?? ''}' specified`);
  return [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2])];
}

const REJECT_WITH: Readonly<Record<string, number>> = {
  'icmp-net-unreachable': UNREACH_CODES.net, 'icmp-host-unreachable': UNREACH_CODES.host, 'icmp-port-unreachable': UNREACH_CODES.port,
  'icmp-proto-unreachable': UNREACH_CODES.protocol, 'icmp-net-prohibited': UNREACH_CODES['net-prohib'],
  'icmp-host-prohibited': UNREACH_CODES['host-prohib'], 'icmp-admin-prohibited': UNREACH_CODES['filter-prohib'],
  'tcp-reset': REJECT_RST,
};

export interface IptSpec {
  rule: FwRule;
  /** -t nat targets. */
  nat: { target: 'MASQUERADE' | 'SNAT' | 'DNAT'; to: string | null } | null;
}

/** Parses the rule specification words (-p -s -d --sport --dport -i -o -m conntrack --ctstate -j). */
export function iptParseSpec(words: string[], chain: string): IptSpec {
  const r = blankRule(0, { kind: 'count' });
  let target: string | null = null;
  let to: string | null = null;
  let matchConntrack = false;
  let not = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = words[i + 1];
    const take = (): string => {
      i++;
      if (v === undefined) param(`option "${w}" requires an argument`);
      return v!;
    };
    if (w === '!') {
      not = true;
      continue;
    }
    switch (w) {
      case '-p': case '--protocol': {
        const p = take();
        const n = PROTO_NAMES[p] ?? (/^[0-9]+$/.test(p) ? Number(p) : undefined);
        if (n === undefined) param(`unknown protocol "${p}" specified`);
        r.proto = n!;
        break;
      }
      case '-s': case '--source': r.src = { ...addrArg(take()), not }; break;
      case '-d': case '--destination': r.dst = { ...addrArg(take()), not }; break;
      case '--sport': case '--source-port': case '--dport': case '--destination-port': {
        if (r.proto !== IP_PROTO.TCP && r.proto !== IP_PROTO.UDP) param(`unknown option "${w}"`);
        const ports = portArg(take());
        if (w.startsWith('--s')) r.srcPorts = ports;
        else r.dstPorts = ports;
        break;
      }
      case '-i': case '--in-interface':
        if (chain === 'OUTPUT' || chain === 'POSTROUTING') param(`Can't use -i with ${chain}`);
        r.ifaces.push({ op: 'recv', name: take() });
        break;
      case '-o': case '--out-interface':
        if (chain === 'INPUT' || chain === 'PREROUTING') param(`Can't use -o with ${chain}`);
        r.ifaces.push({ op: 'xmit', name: take() });
        break;
      case '-m': case '--match': {
        const m = take();
        if (m === 'conntrack' || m === 'state') matchConntrack = true;
        else if (m !== 'tcp' && m !== 'udp' && m !== 'icmp') param(`Couldn't load match \`${m}':No such file or directory`);
        break;
      }
      case '--ctstate': case '--state': {
        if (!matchConntrack) param(`unknown option "${w}"`);
        for (const s of take().split(',')) {
          const bit = (CT_STATE as Record<string, number>)[s];
          if (bit === undefined) param(`Bad ctstate "${s}"`);
          r.ctMask |= bit;
        }
        break;
      }
      case '-j': case '--jump': target = take(); break;
      case '--reject-with': {
        const code = REJECT_WITH[take()];
        if (code === undefined || target !== 'REJECT') param(`unknown reject type "${v}"`);
        // The kernel refuses it (ipt_REJECT reject_tg_check: "TCP_RESET invalid for non-tcp").
        if (code === REJECT_RST && r.proto !== IP_PROTO.TCP) throw new IptError("iptables: Invalid argument. Run `dmesg' for more information.", IPT_EXIT.FAILURE);
        r.action = { kind: 'unreach', code: code! };
        break;
      }
      case '--to-source': case '--to-destination': case '--to': to = take(); break;
      default:
        param(`unknown option "${w}"`);
    }
    not = false;
  }
  let nat: IptSpec['nat'] = null;
  switch (target) {
    case 'ACCEPT': r.action = { kind: 'allow' }; break;
    case 'DROP': r.action = { kind: 'deny' }; break;
    case 'REJECT': if (r.action.kind !== 'unreach') r.action = { kind: 'unreach', code: UNREACH_CODES.port }; break;
    case 'LOG': r.action = { kind: 'count' }; r.log = true; break;
    case 'MASQUERADE': case 'SNAT': case 'DNAT': nat = { target, to }; break;
    case null: break; // no target: counts only
    default: param(`Couldn't load target \`${target}':No such file or directory`);
  }
  return { rule: r, nat };
}

/** A -t nat rule: MASQUERADE/SNAT on the -o interface, DNAT (a redirect) on the -i interface. */
export function iptNatApply(stack: NetStack, spec: IptSpec, chain: string): void {
  const fw = firewallOf(stack);
  const t = spec.nat!;
  const wantChain = t.target === 'DNAT' ? 'PREROUTING' : 'POSTROUTING';
  if (chain !== wantChain) param(`${t.target} target only valid in ${wantChain} of the nat table`);
  const op = t.target === 'DNAT' ? 'recv' : 'xmit';
  const ifName = spec.rule.ifaces.find((c) => c.op === op)?.name;
  if (ifName === undefined) param(`${t.target} needs ${t.target === 'DNAT' ? '-i' : '-o'} IFACE in VirtNet`);
  const ifIndex = stack.ifaces.findIndex((i) => i.name === ifName);
  if (ifIndex < 0) param(`interface ${ifName} does not exist`);
  const n = NAT_BASE + ifIndex;
  let nat: NatInstance | undefined = fw.nats.get(n);
  if (nat === undefined) {
    nat = natCreate(n);
    nat.ifName = ifName!;
    nat.via = ifName!;
    nat.samePorts = true; // Linux keeps the source port when it is free
    fw.nats.set(n, nat);
  }
  if (t.target === 'SNAT') {
    const a = t.to === null ? null : parseCidr(t.to.split(':')[0]);
    if (a === null) param('SNAT: --to-source ADDR required');
    nat.ip = a!.addr;
    nat.ifName = null;
  } else if (t.target === 'DNAT') {
    const m = t.to === null ? null : /^([0-9.]+)(?::([0-9]+))?$/.exec(t.to);
    const la = m === null ? null : parseCidr(m[1]);
    if (m === null || la === null) return param('DNAT: --to-destination ADDR[:PORT] required');
    const r = spec.rule;
    if (r.dstPorts === null || (r.proto !== IP_PROTO.TCP && r.proto !== IP_PROTO.UDP)) {
      nat.addrIn.set(iptAlias(stack, nat), la.addr); // whole-address DNAT
      nat.addrOut.set(la.addr, iptAlias(stack, nat));
    } else {
      const pub = r.dstPorts[0];
      natAddLink(nat, { proto: r.proto, localAddr: la.addr, localPort: m[2] === undefined ? pub : Number(m[2]), aliasAddr: iptAlias(stack, nat), aliasPort: pub, remoteAddr: 0, remotePort: 0, expiresNs: 0, permanent: true });
    }
  }
  iptCompile(fw);
}

function iptAlias(stack: NetStack, nat: NatInstance): number {
  const i = stack.ifaces.find((x) => x.name === nat.ifName);
  return i !== undefined && i.addrs.length > 0 ? i.addrs[0].addr >>> 0 : nat.ip;
}

// ---- iptables -L -------------------------------------------------------------------------

function num5(n: number): string {
  if (n <= 99999) return String(n).padStart(5) + ' ';
  let k = Math.floor((n + 500) / 1000);
  if (k <= 9999) return `${String(k).padStart(4)}K `;
  k = Math.floor((k + 500) / 1000);
  if (k <= 9999) return `${String(k).padStart(4)}M `;
  return `${String(Math.floor((k + 500) / 1000)).padStart(4)}G `;
}

function addrText(m: FwAddrMatch, numeric: boolean): string {
  const a = m.addr;
  const not = m.not ? '!' : ' ';
  if (a.kind === 'net') return not + (a.len === 32 ? formatIpv4(a.addr) : `${formatIpv4(a.addr)}/${a.len}`).padEnd(19) + ' ';
  return not + (numeric ? '0.0.0.0/0' : 'anywhere').padEnd(19) + ' ';
}

function targetText(r: FwRule): string {
  const a = r.action;
  if (r.log) return 'LOG';
  switch (a.kind) {
    case 'allow': return 'ACCEPT';
    case 'deny': return 'DROP';
    case 'unreach': return 'REJECT';
    default: return '';
  }
}

function matchesText(r: FwRule): string {
  let s = '';
  if (r.ctMask !== 0) {
    const names = (['INVALID', 'NEW', 'RELATED', 'ESTABLISHED'] as const).filter((k) => (r.ctMask & CT_STATE[k]) !== 0);
    s += ` ctstate ${names.join(',')}`;
  }
  const pn = r.proto === IP_PROTO.TCP ? 'tcp' : r.proto === IP_PROTO.UDP ? 'udp' : null;
  if (pn !== null && (r.srcPorts !== null || r.dstPorts !== null)) {
    s += ` ${pn}`;
    const pt = (name: string, p: number[]): string => (p[0] === p[1] ? ` ${name}:${p[0]}` : ` ${name}s:${p[0]}:${p[1]}`);
    if (r.srcPorts !== null) s += pt('spt', r.srcPorts);
    if (r.dstPorts !== null) s += pt('dpt', r.dstPorts);
  }
  if (r.action.kind === 'unreach') {
    const name = Object.entries(REJECT_WITH).find(([, c]) => r.action.kind === 'unreach' && c === r.action.code)?.[0] ?? 'icmp-port-unreachable';
    s += ` reject-with ${name}`;
  }
  if (r.log) s += ' LOG flags 0 level 4';
  return s;
}

/** `iptables -L [CHAIN] [-n] [-v]` for the filter table, as iptables prints it. */
export function iptList(ipt: IptTables, chains: readonly ChainName[], numeric: boolean, verbose: boolean): string[] {
  const out: string[] = [];
  chains.forEach((c, k) => {
    if (k > 0) out.push('');
    const ch = ipt.chains[c];
    const pol = ch.policy.action.kind === 'allow' ? 'ACCEPT' : 'DROP';
    out.push(verbose ? `Chain ${c} (policy ${pol} ${ch.policy.packets} packets, ${ch.policy.bytes} bytes)` : `Chain ${c} (policy ${pol})`);
    out.push(
      verbose
        ? ' pkts bytes target     prot opt in     out     source               destination         '
        : 'target     prot opt source               destination         ',
    );
    for (const r of ch.rules) {
      let line = verbose ? num5(r.packets) + num5(r.bytes) : '';
      line += targetText(r).padEnd(9) + ' ';
      line += ' ' + (r.proto < 0 ? 'all' : r.proto === 1 ? 'icmp' : r.proto === 6 ? 'tcp' : r.proto === 17 ? 'udp' : String(r.proto)).padEnd(5);
      line += '-- ';
      if (verbose) {
        const i = r.ifaces.find((x) => x.op === 'recv')?.name ?? '*';
        const o = r.ifaces.find((x) => x.op === 'xmit')?.name ?? '*';
        line += ` ${i.padEnd(6)} ${o.padEnd(6)} `;
      }
      line += addrText(r.src, numeric) + addrText(r.dst, numeric) + matchesText(r);
      out.push(line);
    }
  });
  return out;
}

export { CHAINS };
