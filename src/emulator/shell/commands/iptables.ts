// The `iptables` command (Linux, for users of IMUNES on Linux): -A -I -D -L -F -P -Z on the
// filter table and -A/-L/-F on -t nat, translated onto the node's ipfw engine
// (stack/ipfw/iptables.ts). Messages and exit statuses as iptables 1.8 prints them.

import { ruleBody } from '../../stack/ipfw/format';
import { CHAINS, IptError, IPT_EXIT, iptCompile, iptList, iptNatApply, iptOf, iptParseSpec, isChain, NAT_BASE, type ChainName } from '../../stack/ipfw/iptables';
import { firewallOf } from '../../stack/ipfw/ruleset';
import { type CommandContext, type CommandSpec } from '../types';

const NO_CHAIN = 'iptables: No chain/target/match by that name.';
const BAD_RULE = 'iptables: Bad rule (does a matching rule exist in that chain?).';

function fail(ctx: CommandContext, msg: string, code: number): number {
  ctx.out(`${msg}\n`);
  return code;
}

export interface IptParsed {
  table: string;
  cmd: string | null;
  chain: string | undefined;
  index: number | null;
  target: string | undefined;
  numeric: boolean;
  verbose: boolean;
  spec: string[];
}

/** The command line split into table, command, chain and rule spec (no checking beyond that). */
export function iptParseArgs(argv: string[]): IptParsed {
  const p: IptParsed = { table: 'filter', cmd: null, chain: undefined, index: null, target: undefined, numeric: false, verbose: false, spec: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-t' || a === '--table') p.table = argv[++i] ?? '';
    else if (/^-[LnvxZ]+$/.test(a) && !/[AIDFP]/.test(a)) {
      if (a.includes('n')) p.numeric = true;
      if (a.includes('v')) p.verbose = true;
      if (a.includes('L')) (p.cmd = 'L'), (p.chain = isCmdArg(argv[i + 1]) ? argv[++i] : undefined);
      if (a.includes('Z')) (p.cmd = 'Z'), (p.chain = isCmdArg(argv[i + 1]) ? argv[++i] : undefined);
    } else if (a === '-A' || a === '-I' || a === '-D' || a === '-F' || a === '-P' || a === '--append' || a === '--insert' || a === '--delete' || a === '--flush' || a === '--policy') {
      p.cmd = a.length === 2 ? a[1] : a[2].toUpperCase();
      p.chain = a === '-F' || a === '--flush' ? (isCmdArg(argv[i + 1]) ? argv[++i] : undefined) : argv[++i];
      if ((p.cmd === 'I' || p.cmd === 'D') && /^[0-9]+$/.test(argv[i + 1] ?? '')) p.index = Number(argv[++i]);
      if (p.cmd === 'P') p.target = argv[++i];
    } else if (a === '--line-numbers') continue;
    else p.spec.push(a);
  }
  return p;
}

const isCmdArg = (s: string | undefined): boolean => s !== undefined && !s.startsWith('-');

function natTable(ctx: CommandContext, p: IptParsed): number {
  const fw = firewallOf(ctx.stack);
  const ipt = iptOf(ctx.stack);
  if (p.cmd === 'A') {
    if (p.chain !== 'POSTROUTING' && p.chain !== 'PREROUTING') return fail(ctx, NO_CHAIN, IPT_EXIT.FAILURE);
    const spec = iptParseSpec(p.spec, p.chain);
    if (spec.nat === null) return fail(ctx, `iptables v1.8.7 (nf_tables): VirtNet's nat table takes MASQUERADE, SNAT or DNAT\nTry \`iptables -h' or 'iptables --help' for more information.`, IPT_EXIT.PARAMETER);
    iptNatApply(ctx.stack, spec, p.chain);
    ipt.nat.push({ chain: p.chain, text: p.spec.join(' '), packets: 0, bytes: 0 });
    return IPT_EXIT.OK;
  }
  if (p.cmd === 'F') {
    for (const n of [...fw.nats.keys()]) if (n >= NAT_BASE) fw.nats.delete(n);
    ipt.nat = [];
    iptCompile(fw);
    return IPT_EXIT.OK;
  }
  if (p.cmd === 'L') {
    for (const c of ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] as const) {
      if (p.chain !== undefined && p.chain !== c) continue;
      if (c !== 'PREROUTING' && p.chain === undefined) ctx.out('\n');
      ctx.out(`Chain ${c} (policy ACCEPT)\ntarget     prot opt source               destination         \n`);
      for (const r of ipt.nat.filter((x) => x.chain === c)) ctx.out(`# -A ${c} ${r.text}\n`);
    }
    return IPT_EXIT.OK;
  }
  return fail(ctx, NO_CHAIN, IPT_EXIT.FAILURE);
}

function filterTable(ctx: CommandContext, p: IptParsed): number {
  const fw = firewallOf(ctx.stack);
  const ipt = iptOf(ctx.stack);
  const chain = p.chain;
  if (p.cmd === 'L' || p.cmd === 'Z' || p.cmd === 'F') {
    if (chain !== undefined && !isChain(chain)) return fail(ctx, NO_CHAIN, IPT_EXIT.FAILURE);
    const which: readonly ChainName[] = chain === undefined ? CHAINS : [chain];
    if (p.cmd === 'L') ctx.lines(iptList(ipt, which, p.numeric, p.verbose));
    for (const c of which) {
      const ch = ipt.chains[c];
      if (p.cmd === 'F') ch.rules = [];
      if (p.cmd === 'Z') for (const r of [...ch.rules, ch.policy]) (r.packets = 0), (r.bytes = 0);
    }
    if (p.cmd === 'F') iptCompile(fw);
    return IPT_EXIT.OK;
  }
  if (!isChain(chain)) return fail(ctx, NO_CHAIN, IPT_EXIT.FAILURE);
  const ch = ipt.chains[chain];
  switch (p.cmd) {
    case 'P':
      if (p.target !== 'ACCEPT' && p.target !== 'DROP') return fail(ctx, `iptables: Bad policy name. Run \`dmesg' for more information.`, IPT_EXIT.FAILURE);
      ch.policy.action = p.target === 'ACCEPT' ? { kind: 'allow' } : { kind: 'deny' };
      fw.groups = null;
      return IPT_EXIT.OK;
    case 'A': case 'I': {
      const spec = iptParseSpec(p.spec, chain);
      if (spec.nat !== null) return fail(ctx, `iptables v1.8.7 (nf_tables): ${p.spec[p.spec.indexOf('-j') + 1]} target only valid in the nat table\nTry \`iptables -h' or 'iptables --help' for more information.`, IPT_EXIT.PARAMETER);
      spec.rule.chain = chain === 'INPUT' ? 1 : chain === 'FORWARD' ? 2 : 3;
      if (p.cmd === 'A') ch.rules.push(spec.rule);
      else {
        const at = (p.index ?? 1) - 1;
        if (at < 0 || at > ch.rules.length) return fail(ctx, 'iptables: Index of insertion too big.', IPT_EXIT.FAILURE);
        ch.rules.splice(at, 0, spec.rule);
      }
      iptCompile(fw);
      return IPT_EXIT.OK;
    }
    case 'D': {
      let at = -1;
      if (p.index !== null) at = p.index - 1 < ch.rules.length ? p.index - 1 : -1;
      else {
        const want = iptParseSpec(p.spec, chain).rule;
        want.chain = ch.policy.chain;
        at = ch.rules.findIndex((r) => ruleBody(r) === ruleBody(want) && r.ctMask === want.ctMask && r.chain === want.chain);
      }
      if (at < 0) return fail(ctx, p.index !== null ? 'iptables: Index of deletion too big.' : BAD_RULE, IPT_EXIT.FAILURE);
      ch.rules.splice(at, 1);
      iptCompile(fw);
      return IPT_EXIT.OK;
    }
    default:
      return fail(ctx, NO_CHAIN, IPT_EXIT.FAILURE);
  }
}

function run(ctx: CommandContext, argv: string[]): number {
  const p = iptParseArgs(argv);
  if (p.cmd === null) return fail(ctx, `iptables v1.8.7 (nf_tables): no command specified\nTry \`iptables -h' or 'iptables --help' for more information.`, IPT_EXIT.PARAMETER);
  try {
    if (p.table === 'nat') return natTable(ctx, p);
    if (p.table !== 'filter') return fail(ctx, `iptables v1.8.7 (nf_tables): table '${p.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`, 3);
    return filterTable(ctx, p);
  } catch (e) {
    if (e instanceof IptError) return fail(ctx, e.message, e.exitCode);
    throw e;
  }
}

export const iptablesCommand: CommandSpec = { name: 'iptables', summary: 'Linux packet filter and NAT, on the same engine as ipfw', needsStack: true, run };
