// The `sysctl` command for the few OIDs a lab needs: net.inet.ip.forwarding (read and
// write), net.inet.ip.ttl and kern.hostname (read). FreeBSD sysctl(8) wording.

import { setForwarding } from '../../stack';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { TCP_OIDS, type SysctlOid as Oid } from './sysctl-tcp';

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
