// Editing a stack's ruleset (ipfw add/delete/flush/zero, tables, sysctls): creates the
// Firewall record on first use with FreeBSD's default rule 65535, keeps rules sorted, and
// forgets the states of deleted rules. Must not parse text (parse.ts) or match packets.

import type { NetStack } from '../types';
import { stateForgetRule } from './state';
import { FW_DEFAULT_RULE, FW_DIR, FW_STATE_MAX, type Firewall, type FwRule, type FwTable } from './types';

/** A rule with an empty body (`ACTION ip from any to any`). */
export function blankRule(num: number, action: FwRule['action']): FwRule {
  return {
    num,
    action,
    proto: -1,
    src: { addr: { kind: 'any' }, not: false },
    srcPorts: null,
    dst: { addr: { kind: 'any' }, not: false },
    dstPorts: null,
    dir: FW_DIR.ANY,
    ifaces: [],
    keepState: false,
    setup: false,
    established: false,
    icmpTypes: 0,
    log: false,
    chain: 0,
    ctMask: 0,
    packets: 0,
    bytes: 0,
    lastNs: -1,
  };
}

/**
 * The stack's firewall, created on first use. Rule 65535 is `deny ip from any to any` as
 * FreeBSD builds it (IPFIREWALL_DEFAULT_TO_ACCEPT unset, tunable default_to_accept 0).
 * IMUNES (imunes/imunes, checked at b508a12): runtime/freebsd.tcl loadKernelModules loads
 * "nullfs unionfs ng_eiface ng_pipe ng_socket if_tun vlan ipsec pf" (no ipfw), and
 * nodes/router.tcl nodeInitConfigure sets only net.inet.ip.forwarding and
 * net.inet6.ip6.forwarding: nothing sets net.inet.ip.fw.default_to_accept, so a node whose
 * custom config loads ipfw gets the deny default, as here. Test: firewall.test.ts
 * "IMUNES nodes".
 */
export function firewallOf(stack: NetStack): Firewall {
  if (stack.fw !== null) return stack.fw;
  const fw: Firewall = {
    rules: [blankRule(FW_DEFAULT_RULE, { kind: 'deny' })],
    enabled: true,
    onePass: true,
    tables: new Map(),
    states: new Map(),
    stateMax: FW_STATE_MAX,
    stateful: false,
    lifetimes: { udp: 10, short: 5, syn: 20, ack: 300, fin: 1, rst: 1 },
    pkt: { proto: 0, src: 0, dst: 0, srcPort: -1, dstPort: -1, icmpType: -1, icmpId: -1, tcpFlags: -1, tcpAck: 0, len: 0, dir: FW_DIR.IN, recvIf: -1, xmitIf: -1, ct: 0 },
    autoincStep: 100,
    hit: null,
    hitIndex: 0,
    postrouting: 0,
    groups: null,
    pipes: new Map(),
    queues: new Map(),
    reinject: null,
    nats: new Map(),
    conntrack: null,
    ipt: null,
  };
  stack.fw = fw;
  return fw;
}

function refreshStateful(fw: Firewall): void {
  fw.stateful = fw.rules.some((r) => r.keepState || r.action.kind === 'check-state');
}

/** Adds a rule; number 0 means "last non-default rule + autoinc_step" (ipfw(8)). Returns the number used. */
export function ruleAdd(fw: Firewall, rule: FwRule): number {
  const rules = fw.rules;
  if (rule.num === 0) {
    const last = rules.length > 1 ? rules[rules.length - 2].num : 0;
    rule.num = Math.min(last + fw.autoincStep, FW_DEFAULT_RULE - 1);
  }
  let i = 0;
  while (i < rules.length - 1 && rules[i].num <= rule.num) i++;
  rules.splice(i, 0, rule);
  fw.groups = null;
  refreshStateful(fw);
  return rule.num;
}

/** Deletes every rule numbered `num`; false when there is none (ipfw reports it). */
export function ruleDelete(fw: Firewall, num: number): boolean {
  const gone = fw.rules.filter((r) => r.num === num && num !== FW_DEFAULT_RULE);
  if (gone.length === 0) return false;
  fw.rules = fw.rules.filter((r) => !gone.includes(r));
  fw.groups = null;
  for (const r of gone) stateForgetRule(fw, r);
  refreshStateful(fw);
  return true;
}

/** ipfw flush: every rule but 65535, and all dynamic states. */
export function ruleFlush(fw: Firewall): void {
  fw.rules = fw.rules.filter((r) => r.num === FW_DEFAULT_RULE);
  fw.groups = null;
  fw.states.clear();
  fw.stateful = false;
}

/** ipfw zero [N]: clears counters of all rules or of rule N; false when N does not exist. */
export function ruleZero(fw: Firewall, num?: number): boolean {
  let any = false;
  for (const r of fw.rules) {
    if (num !== undefined && r.num !== num) continue;
    r.packets = 0;
    r.bytes = 0;
    r.lastNs = -1;
    any = true;
  }
  return any;
}

/** sysctl net.inet.ip.fw.default_to_accept: rule 65535 becomes allow (1) or deny (0). */
export function setDefaultToAccept(fw: Firewall, accept: boolean): void {
  fw.rules[fw.rules.length - 1].action = accept ? { kind: 'allow' } : { kind: 'deny' };
  fw.groups = null;
}

const maskOf = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) | 0);

export function tableOf(fw: Firewall, n: number): FwTable {
  let t = fw.tables.get(n);
  if (t === undefined) {
    t = { byLen: new Map(), lens: [] };
    fw.tables.set(n, t);
  }
  return t;
}

/** ipfw table N add ADDR[/LEN] [VALUE]; false when the entry exists (ipfw: File exists). */
export function tableAdd(fw: Firewall, n: number, addr: number, len: number, value: number): boolean {
  const t = tableOf(fw, n);
  let m = t.byLen.get(len);
  if (m === undefined) {
    m = new Map();
    t.byLen.set(len, m);
    t.lens = [...t.byLen.keys()].sort((a, b) => b - a);
  }
  const key = addr & maskOf(len);
  if (m.has(key)) return false;
  m.set(key, value);
  return true;
}

/** ipfw table N delete ADDR[/LEN]; false when absent (ipfw: No such process). */
export function tableDelete(fw: Firewall, n: number, addr: number, len: number): boolean {
  const t = fw.tables.get(n);
  const m = t?.byLen.get(len);
  if (t === undefined || m === undefined || !m.delete(addr & maskOf(len))) return false;
  if (m.size === 0) {
    t.byLen.delete(len);
    t.lens = [...t.byLen.keys()].sort((a, b) => b - a);
  }
  return true;
}

/** Entries of table N as [addr (uint32), len, value], ordered by address then length. */
export function tableEntries(fw: Firewall, n: number): [number, number, number][] {
  const t = fw.tables.get(n);
  if (t === undefined) return [];
  const out: [number, number, number][] = [];
  for (const [len, m] of t.byLen) for (const [a, v] of m) out.push([a >>> 0, len, v]);
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}
