// FwRule → the text FreeBSD's `ipfw list` / `ipfw show` print (sbin/ipfw/ipfw2.c
// show_static_rule: `%05u`, counters right-aligned to the widest, then action and body;
// FreeBSD 12+ names states `:default`), dynamic rules and tables. Must not edit rulesets.

import { formatIpv4 } from '../../wire/addr';
import { IP_PROTO } from '../../wire/ipv4';
import { REJECT_RST, UNREACH_CODES } from './parse';
import { tableEntries } from './ruleset';
import type { Firewall, FwAddrMatch, FwPorts, FwRule, FwState } from './types';

const CODE_NAMES = new Map(Object.entries(UNREACH_CODES).map(([k, v]) => [v, k]));
const PROTO_TEXT = new Map<number, string>([[-1, 'ip'], [IP_PROTO.ICMP, 'icmp'], [IP_PROTO.TCP, 'tcp'], [IP_PROTO.UDP, 'udp']]);

export function protoText(p: number): string {
  return PROTO_TEXT.get(p) ?? String(p);
}

function actionText(r: FwRule): string {
  const a = r.action;
  switch (a.kind) {
    case 'allow': return 'allow';
    case 'deny': return 'deny';
    case 'unreach': return a.code === UNREACH_CODES.host ? 'reject' : a.code === REJECT_RST ? 'reset' : `unreach ${CODE_NAMES.get(a.code) ?? a.code}`;
    case 'count': return 'count';
    case 'skipto': return `skipto ${a.to}`;
    case 'check-state': return 'check-state :default';
    case 'pipe': return `pipe ${a.n}`;
    case 'queue': return `queue ${a.n}`;
    case 'nat': return `nat ${a.n}`;
    default: return a satisfies never;
  }
}

function addrText(m: FwAddrMatch): string {
  const a = m.addr;
  const not = m.not ? 'not ' : '';
  switch (a.kind) {
    case 'any': return `${not}any`;
    case 'me': return `${not}me`;
    case 'table': return `${not}table(${a.n})`;
    case 'net': return a.len === 32 ? `${not}${formatIpv4(a.addr)}` : `${not}${formatIpv4(a.addr)}/${a.len}`;
    default: return a satisfies never;
  }
}

function portsText(p: FwPorts): string {
  const parts: string[] = [];
  for (let i = 0; i < p.length; i += 2) parts.push(p[i] === p[i + 1] ? String(p[i]) : `${p[i]}-${p[i + 1]}`);
  return ' ' + parts.join(',');
}

function icmpTypesText(mask: number): string {
  const t: number[] = [];
  for (let i = 0; i < 32; i++) if ((mask & (1 << i)) !== 0) t.push(i);
  return t.join(',');
}

/** The rule as `ipfw list` prints it, without the number. */
export function ruleBody(r: FwRule): string {
  let s = actionText(r);
  if (r.log) s += ' log';
  if (r.action.kind === 'check-state') return s;
  s += ` ${protoText(r.proto)} from ${addrText(r.src)}`;
  if (r.srcPorts !== null) s += portsText(r.srcPorts);
  s += ` to ${addrText(r.dst)}`;
  if (r.dstPorts !== null) s += portsText(r.dstPorts);
  if (r.dir === 1) s += ' in';
  if (r.dir === 2) s += ' out';
  for (const c of r.ifaces) s += ` ${c.op} ${c.name}`;
  if (r.setup) s += ' setup';
  if (r.established) s += ' established';
  if (r.icmpTypes !== 0) s += ` icmptypes ${icmpTypesText(r.icmpTypes)}`;
  if (r.keepState) s += ' keep-state :default';
  return s;
}

const num5 = (n: number): string => String(n).padStart(5, '0');

/** `ipfw list` (no counters) or `ipfw show` (packets and bytes, right-aligned to the widest). */
export function formatRules(fw: Firewall, counters: boolean, only?: number): string[] {
  const rules = only === undefined ? fw.rules : fw.rules.filter((r) => r.num === only);
  if (!counters) return rules.map((r) => `${num5(r.num)} ${ruleBody(r)}`);
  const pw = Math.max(...rules.map((r) => String(r.packets).length));
  const bw = Math.max(...rules.map((r) => String(r.bytes).length));
  return rules.map((r) => `${num5(r.num)} ${String(r.packets).padStart(pw)} ${String(r.bytes).padStart(bw)} ${ruleBody(r)}`);
}

/** Dynamic rules as `ipfw -d show` prints them (live ones only, as without -e). */
export function formatStates(fw: Firewall, nowNs: number): string[] {
  const live = [...fw.states.values()].filter((s) => s.expiresNs > nowNs).sort((a, b) => a.rule.num - b.rule.num);
  if (live.length === 0) return [];
  const pw = Math.max(...live.map((s) => String(s.packets).length));
  const bw = Math.max(...live.map((s) => String(s.bytes).length));
  const line = (s: FwState): string =>
    `${num5(s.rule.num)} ${String(s.packets).padStart(pw)} ${String(s.bytes).padStart(bw)} (${Math.ceil((s.expiresNs - nowNs) / 1e9)}s) STATE ${protoText(s.proto)} ` +
    `${formatIpv4(s.src)} ${s.srcPort} <-> ${formatIpv4(s.dst)} ${s.dstPort} :default`;
  return [`## Dynamic rules (${live.length}):`, ...live.map(line)];
}

/** `ipfw table N list`: FreeBSD 11+ prints a header, then `ADDR/LEN VALUE` per entry. */
export function formatTable(fw: Firewall, n: number): string[] {
  const rows = tableEntries(fw, n).map(([a, len, v]) => `${formatIpv4(a)}/${len} ${v}`);
  return [`--- table(${n}), set(0) ---`, ...rows];
}
