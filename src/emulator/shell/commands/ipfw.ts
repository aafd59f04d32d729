// The `ipfw` command (FreeBSD ipfw(8)) over the node's own ruleset: add, list, show,
// delete, flush, zero, table, pipe, queue and nat; messages and exit statuses as sbin/ipfw prints them.
// Rules live in stack/ipfw; this file only parses arguments and prints.

import { parseCidr } from '../../wire/addr';
import { formatRules, formatStates, formatTable } from '../../stack/ipfw/format';
import { formatPipes, formatQueues, pipeConfig, queueConfig } from '../../stack/ipfw/dummynet-text';
import { natAliasAddr } from '../../stack/ipfw/nat';
import { formatNatLinks, formatNatStats, natConfig } from '../../stack/ipfw/nat-text';
import { EX, IpfwError, parseRule } from '../../stack/ipfw/parse';
import { firewallOf, ruleAdd, ruleDelete, ruleFlush, ruleZero, tableAdd, tableDelete } from '../../stack/ipfw/ruleset';
import { stateExpire } from '../../stack/ipfw/state';
import type { Firewall } from '../../stack/ipfw/types';
import { EXIT, type CommandContext, type CommandSpec } from '../types';

const USAGE = 'usage: ipfw [options]\ndo "ipfw -h" or "man ipfw" for details\n';

interface Flags {
  quiet: boolean;
  dynamic: boolean;
  counters: boolean;
}

function err(ctx: CommandContext, msg: string, code: number): number {
  ctx.out(`ipfw: ${msg}\n`);
  return code;
}

function ruleNum(text: string | undefined): number | null {
  return text !== undefined && /^[0-9]+$/.test(text) && Number(text) <= 65535 ? Number(text) : null;
}

function list(ctx: CommandContext, fw: Firewall, f: Flags, counters: boolean, args: string[]): number {
  const now = ctx.stack.env.sim.now();
  if (args.length === 0) {
    ctx.lines(formatRules(fw, counters));
    if (f.dynamic) {
      stateExpire(fw, now);
      ctx.lines(formatStates(fw, now));
    }
    return EXIT.OK;
  }
  let code: number = EXIT.OK;
  for (const a of args) {
    const n = ruleNum(a);
    if (n === null) {
      code = EX.USAGE;
      ctx.out(`ipfw: invalid rule number: ${a}\n`);
      continue;
    }
    const lines = formatRules(fw, counters, n);
    if (lines.length === 0) code = err(ctx, `rule ${n} does not exist`, EX.UNAVAILABLE);
    ctx.lines(lines);
  }
  return code;
}

function del(ctx: CommandContext, fw: Firewall, args: string[]): number {
  if (args.length === 0) return err(ctx, 'missing rule specification', EX.USAGE);
  let code: number = EXIT.OK;
  for (const a of args) {
    const n = ruleNum(a);
    if (n === null) code = err(ctx, `invalid rule number: ${a}`, EX.USAGE);
    else if (!ruleDelete(fw, n)) code = err(ctx, `no rules rules number ${n}`, EX.UNAVAILABLE);
  }
  return code;
}

function zero(ctx: CommandContext, fw: Firewall, f: Flags, args: string[]): number {
  if (args.length === 0) {
    ruleZero(fw);
    if (!f.quiet) ctx.out('Accounting cleared.\n');
    return EXIT.OK;
  }
  let code: number = EXIT.OK;
  for (const a of args) {
    const n = ruleNum(a);
    if (n === null) code = err(ctx, `invalid rule number: ${a}`, EX.USAGE);
    else if (!ruleZero(fw, n)) code = err(ctx, `rule ${n}: setsockopt(IP_FW_XZERO): Invalid argument`, EX.UNAVAILABLE);
    else if (!f.quiet) ctx.out(`Entry ${n} cleared.\n`);
  }
  return code;
}

function table(ctx: CommandContext, fw: Firewall, f: Flags, args: string[]): number {
  const n = ruleNum(args[0]);
  const verb = args[1];
  if (n === null || verb === undefined) return err(ctx, 'table: bad arguments', EX.USAGE);
  if (verb === 'list' || verb === 'show') {
    ctx.lines(formatTable(fw, n));
    return EXIT.OK;
  }
  if (verb === 'flush') {
    fw.tables.delete(n);
    return EXIT.OK;
  }
  if (verb !== 'add' && verb !== 'delete') return err(ctx, `invalid table command ${verb}`, EX.USAGE);
  const c = args[2] === undefined ? null : parseCidr(args[2]);
  if (c === null) return err(ctx, `invalid address ${args[2] ?? ''}`, EX.DATAERR);
  const value = args[3] === undefined ? 0 : Number(args[3]);
  if (!Number.isInteger(value) || value < 0) return err(ctx, `invalid table value ${args[3]}`, EX.DATAERR);
  const text = `${args[2].includes('/') ? args[2] : `${args[2]}/32`} ${value}`;
  if (verb === 'add') {
    if (!tableAdd(fw, n, c.addr, c.prefixLen, value)) {
      ctx.out(`exists: ${text}\n`);
      return err(ctx, 'Adding record failed: record already exists', EX.UNAVAILABLE);
    }
    if (!f.quiet) ctx.out(`added: ${text}\n`);
    return EXIT.OK;
  }
  if (!tableDelete(fw, n, c.addr, c.prefixLen)) {
    ctx.out(`not found: ${text}\n`);
    return err(ctx, 'Deleting record failed: record not found', EX.UNAVAILABLE);
  }
  if (!f.quiet) ctx.out(`deleted: ${text}\n`);
  return EXIT.OK;
}

/** What `ipfw pipe …` and `ipfw queue …` act on: the objects, how to configure one and how to list them. */
interface DnObjects<T> {
  kind: 'pipe' | 'queue';
  map: Map<number, T>;
  config(n: number, args: string[]): T;
  show(only?: number): string[];
}

/** `ipfw pipe|queue N config …`, `ipfw pipe|queue [N] show|list`, `… N delete`, `… flush` (sbin/ipfw/dummynet.c). */
function dummynet<T>(ctx: CommandContext, f: Flags, d: DnObjects<T>, args: string[]): number {
  const n = ruleNum(args[0]);
  const verb = n === null ? args[0] : args[1];
  const rest = args.slice(n === null ? 1 : 2);
  try {
    switch (verb) {
      case 'config':
        if (n === null) return err(ctx, `${d.kind}: missing ${d.kind} number`, EX.USAGE);
        d.map.set(n, d.config(n, rest));
        return EXIT.OK;
      case 'show': case 'list': case undefined: {
        const which = n ?? ruleNum(rest[0]) ?? undefined;
        const lines = d.show(which);
        if (which !== undefined && lines.length === 0) return err(ctx, `${d.kind} ${which} does not exist`, EX.UNAVAILABLE);
        ctx.lines(lines);
        return EXIT.OK;
      }
      case 'delete': {
        const nums = n !== null ? [n] : rest.map(ruleNum);
        if (nums.length === 0) return err(ctx, `missing ${d.kind} number`, EX.USAGE);
        for (const k of nums) if (k === null || !d.map.delete(k)) return err(ctx, `${d.kind} ${k ?? rest[0]}: setsockopt(IP_DUMMYNET3): Invalid argument`, EX.UNAVAILABLE);
        return EXIT.OK;
      }
      case 'flush':
        d.map.clear();
        if (!f.quiet) ctx.out(`Flushed all ${d.kind}s.\n`);
        return EXIT.OK;
      default:
        return err(ctx, `unrecognised option \`\`${verb}''`, EX.USAGE);
    }
  } catch (e) {
    if (e instanceof IpfwError) return err(ctx, e.message, e.exitCode);
    throw e;
  }
}

/** `ipfw nat N config …`, `ipfw nat [N] show [config|links]`, `ipfw nat N delete`. */
function nat(ctx: CommandContext, fw: Firewall, f: Flags, args: string[]): number {
  const n = ruleNum(args[0]);
  const verb = n === null ? args[0] : args[1];
  const rest = args.slice(n === null ? 1 : 2);
  const now = ctx.stack.env.sim.now();
  const chosen = [...fw.nats.values()].filter((x) => n === null || x.n === n);
  try {
    switch (verb) {
      case 'config': {
        if (n === null || n < 1) return err(ctx, 'nat: missing or bad instance number', EX.USAGE);
        const inst = natConfig(n, rest, (x) => natAliasAddr(ctx.stack, x));
        fw.nats.set(n, inst);
        if (!f.quiet) ctx.out(`${inst.configText}\n`);
        return EXIT.OK;
      }
      case 'show': case 'list': case undefined: {
        if (n !== null && chosen.length === 0) return err(ctx, `nat ${n}: not found`, EX.UNAVAILABLE);
        if (rest[0] === 'config') ctx.lines(chosen.map((x) => x.configText));
        else if (rest[0] === 'links') for (const x of chosen) ctx.lines(formatNatLinks(x, now));
        else ctx.lines(formatNatStats(chosen, now));
        return EXIT.OK;
      }
      case 'delete':
        if (n === null || !fw.nats.delete(n)) return err(ctx, `nat ${args[0]}: setsockopt(IP_FW_NAT_DEL): Invalid argument`, EX.UNAVAILABLE);
        return EXIT.OK;
      default:
        return err(ctx, `unrecognised option \`\`${verb}''`, EX.USAGE);
    }
  } catch (e) {
    if (e instanceof IpfwError) return err(ctx, e.message, e.exitCode);
    throw e;
  }
}

function add(ctx: CommandContext, fw: Firewall, f: Flags, args: string[]): number {
  try {
    const rule = parseRule(args);
    if (rule.action.kind === 'skipto' && rule.num === 0 && fw.rules.length > 1) {
      // An automatic number must still lie before the skipto target.
      const next = Math.min(fw.rules[fw.rules.length - 2].num + fw.autoincStep, 65534);
      if (rule.action.to <= next) throw new IpfwError(`skipto: rule number ${rule.action.to} is not greater than ${next}`, EX.DATAERR);
    }
    ruleAdd(fw, rule);
    if (!f.quiet) ctx.lines(formatRules(fw, false, rule.num).slice(-1));
    return EXIT.OK;
  } catch (e) {
    if (e instanceof IpfwError) return err(ctx, e.message, e.exitCode);
    throw e;
  }
}

function run(ctx: CommandContext, argv: string[]): number {
  const f: Flags = { quiet: false, dynamic: false, counters: false };
  let i = 0;
  for (; i < argv.length && /^-[a-zA-Z]+$/.test(argv[i]); i++) {
    for (const ch of argv[i].slice(1)) {
      if (ch === 'q') f.quiet = true;
      else if (ch === 'd') f.dynamic = true;
      else if (ch === 'a') f.counters = true;
      else if (ch === 'f' || ch === 'n' || ch === 'N' || ch === 'e' || ch === 't') continue;
      else return err(ctx, `illegal option -- ${ch}`, EX.USAGE);
    }
  }
  const cmd = argv[i];
  const args = argv.slice(i + 1);
  if (cmd === undefined) {
    ctx.out(USAGE);
    return EX.USAGE;
  }
  const fw = firewallOf(ctx.stack);
  switch (cmd) {
    case 'add':
      return add(ctx, fw, f, args);
    case 'list':
      return list(ctx, fw, f, f.counters, args);
    case 'show':
      return list(ctx, fw, f, true, args);
    case 'delete':
      return del(ctx, fw, args);
    case 'flush':
      ruleFlush(fw);
      if (!f.quiet) ctx.out('Flushed all rules.\n');
      return EXIT.OK;
    case 'zero':
      return zero(ctx, fw, f, args);
    case 'table':
      return table(ctx, fw, f, args);
    case 'pipe':
      return dummynet(ctx, f, { kind: 'pipe', map: fw.pipes, config: (n, a) => pipeConfig(fw, n, a), show: (only) => formatPipes(fw, ctx.stack.env.sim.now(), only) }, args);
    case 'nat':
      return nat(ctx, fw, f, args);
    case 'queue':
      return dummynet(ctx, f, { kind: 'queue', map: fw.queues, config: (n, a) => queueConfig(fw, n, a), show: (only) => formatQueues(fw, only) }, args);
    default:
      return err(ctx, `bad command \`${cmd}'`, EX.USAGE);
  }
}

export const ipfwCommand: CommandSpec = { name: 'ipfw', summary: 'IP firewall (FreeBSD ipfw: rules, tables, states)', needsStack: true, run };
