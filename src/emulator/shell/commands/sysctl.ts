// The `sysctl` command for the few OIDs a lab needs: net.inet.ip.forwarding (read and
// write), net.inet.ip.ttl and kern.hostname (read). FreeBSD sysctl(8) wording.

import { in6SetForwarding, nd6SetDefaultAcceptRtadv, setForwarding } from '../../stack';
import { firewallOf, setDefaultToAccept } from '../../stack/ipfw/ruleset';
import type { Firewall } from '../../stack/ipfw/types';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { TCP_OIDS, type SysctlOid as Oid } from './sysctl-tcp';

/**
 * An integer OID of the node's firewall (net.inet.ip.fw.*). Reading never creates the
 * firewall (a node without one shows FreeBSD's defaults); writing loads it, as the OIDs
 * exist only once ipfw is loaded.
 */
function fwOid(get: (fw: Firewall) => number, set: (fw: Firewall, v: number) => void, max = 0x7fffffff, dflt = 0): Oid {
  return {
    get: (ctx) => String(ctx.stack.fw === null ? dflt : get(ctx.stack.fw)),
    set: (ctx, v) => {
      if (!/^[0-9]+$/.test(v) || Number(v) > max) return false;
      set(firewallOf(ctx.stack), Number(v));
      return true;
    },
  };
}

const FW_OIDS: Readonly<Record<string, Oid>> = {
  'net.inet.ip.fw.enable': fwOid((f) => (f.enabled ? 1 : 0), (f, v) => void (f.enabled = v === 1), 1, 1),
  // A loader tunable on FreeBSD; settable here so a lab can choose the default rule (65535).
  'net.inet.ip.fw.default_to_accept': fwOid((f) => (f.rules[f.rules.length - 1].action.kind === 'allow' ? 1 : 0), (f, v) => setDefaultToAccept(f, v === 1), 1, 0),
  'net.inet.ip.fw.one_pass': fwOid((f) => (f.onePass ? 1 : 0), (f, v) => void (f.onePass = v === 1), 1, 1),
  'net.inet.ip.fw.autoinc_step': fwOid((f) => f.autoincStep, (f, v) => void (f.autoincStep = Math.max(1, Math.min(1000, v))), 1000, 100),
  'net.inet.ip.fw.dyn_max': fwOid((f) => f.stateMax, (f, v) => void (f.stateMax = v), 0x7fffffff, 16384),
  'net.inet.ip.fw.dyn_count': { get: (ctx) => String(ctx.stack.fw?.states.size ?? 0) },
  'net.inet.ip.fw.dyn_udp_lifetime': fwOid((f) => f.lifetimes.udp, (f, v) => void (f.lifetimes.udp = v), 0x7fffffff, 10),
  'net.inet.ip.fw.dyn_short_lifetime': fwOid((f) => f.lifetimes.short, (f, v) => void (f.lifetimes.short = v), 0x7fffffff, 5),
  'net.inet.ip.fw.dyn_syn_lifetime': fwOid((f) => f.lifetimes.syn, (f, v) => void (f.lifetimes.syn = v), 0x7fffffff, 20),
  'net.inet.ip.fw.dyn_ack_lifetime': fwOid((f) => f.lifetimes.ack, (f, v) => void (f.lifetimes.ack = v), 0x7fffffff, 300),
  'net.inet.ip.fw.dyn_fin_lifetime': fwOid((f) => f.lifetimes.fin, (f, v) => void (f.lifetimes.fin = v), 0x7fffffff, 1),
  'net.inet.ip.fw.dyn_rst_lifetime': fwOid((f) => f.lifetimes.rst, (f, v) => void (f.lifetimes.rst = v), 0x7fffffff, 1),
};

const OIDS: Readonly<Record<string, Oid>> = {
  'net.inet.ip.forwarding': {
    get: (ctx) => (ctx.stack.forwarding ? '1' : '0'),
    set: (ctx, v) => {
      if (v !== '0' && v !== '1') return false;
      setForwarding(ctx.stack, v === '1');
      return true;
    },
  },
  'net.inet.ip.ttl': { get: () => '64' },
  'net.inet6.ip6.forwarding': {
    get: (ctx) => ((ctx.stack.inet6?.forwarding ?? ctx.stack.forwarding) ? '1' : '0'),
    set: (ctx, v) => {
      if (v !== '0' && v !== '1') return false;
      in6SetForwarding(ctx.stack, v === '1');
      return true;
    },
  },
  'net.inet6.ip6.accept_rtadv': {
    get: (ctx) => (ctx.stack.inet6?.rtr?.defaultAccept ? '1' : '0'),
    set: (ctx, v) => {
      if (v !== '0' && v !== '1') return false;
      nd6SetDefaultAcceptRtadv(ctx.stack, v === '1');
      return true;
    },
  },
  'net.inet6.ip6.hlim': { get: (ctx) => String(ctx.stack.inet6?.hopLimit ?? 64) },
  ...FW_OIDS,
  'kern.hostname': { get: (ctx) => ctx.node.name },
  ...TCP_OIDS,
};

/** The OIDs this sysctl knows (for Tab completion). */
export const SYSCTL_NAMES: readonly string[] = Object.keys(OIDS);

function run(ctx: CommandContext, args: string[]): number {
  const valueOnly = args.includes('-n');
  const names = args.filter((a) => !a.startsWith('-'));
  if (args.includes('-a') || names.length === 0) {
    if (names.length === 0 && !args.includes('-a')) {
      ctx.out('usage: sysctl [-bdehiNnoqTtWx] [ -B <bufsize> ] [-f filename] name[=value] ...\n       sysctl [-bdehNnoqTtWx] [ -B <bufsize> ] -a\n');
      return EXIT.FAILURE;
    }
    for (const [name, oid] of Object.entries(OIDS)) ctx.out(valueOnly ? `${oid.get(ctx)}\n` : `${name}: ${oid.get(ctx)}\n`);
    return EXIT.OK;
  }
  let code: number = EXIT.OK;
  for (const arg of names) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const oid = OIDS[name];
    // A node of the tree (net.inet.tcp) lists the OIDs under it, as FreeBSD's sysctl does.
    const under = oid === undefined && eq < 0 ? Object.entries(OIDS).filter(([n]) => n.startsWith(`${name}.`)) : [];
    for (const [n, o] of under) ctx.out(valueOnly ? `${o.get(ctx)}\n` : `${n}: ${o.get(ctx)}\n`);
    if (under.length > 0) continue;
    if (!oid) {
      ctx.out(`sysctl: unknown oid '${name}'\n`);
      code = EXIT.FAILURE;
      continue;
    }
    const before = oid.get(ctx);
    if (eq < 0) {
      ctx.out(valueOnly ? `${before}\n` : `${name}: ${before}\n`);
      continue;
    }
    if (!oid.set) {
      ctx.out(`sysctl: oid '${name}' is read only\n`);
      code = EXIT.FAILURE;
      continue;
    }
    const value = arg.slice(eq + 1);
    const ok = oid.set(ctx, value);
    if (ok !== true) {
      ctx.out(ok === false ? `sysctl: invalid integer '${value}'\n` : `${ok}\n`);
      code = EXIT.FAILURE;
      continue;
    }
    ctx.out(`${name}: ${before} -> ${oid.get(ctx)}\n`);
  }
  return code;
}

export const sysctlCommand: CommandSpec = { name: 'sysctl', summary: 'get or set kernel state (net.inet.ip.forwarding)', needsStack: true, run };
