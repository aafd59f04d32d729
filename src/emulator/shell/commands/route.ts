// The `route` command (FreeBSD route(8)): add, delete, get (with the longest-prefix
// explanation), show and flush, through the stack API. Parsing and wording only.
// Destinations: `default`, `A/LEN`, `-net A -netmask M`, `-host A` (RFC 4632 prefixes).

import { routeAdd, routeDelete, routeDestText, routeList, routeLookup } from '../../stack/route';
import { formatIpv4, maskToPrefixLen, parseCidr, parseIpv4, prefixMask } from '../../wire/addr';
import { errnoText } from '../../stack/errno';
import { EXIT, type CommandContext, type CommandSpec } from '../types';
import { route6Command } from './inet6';
import { resolveHost } from './resolve';

const USAGE = 'usage: route [-46dnqtv] command [[modifiers] args]';

interface Target {
  dest: number;
  prefixLen: number;
  host: boolean;
  gateway: number | null;
}

function destText(t: Target): string {
  return routeDestText(t.dest, t.prefixLen);
}

/** Parse `[-net|-host] DEST [GATEWAY] [-netmask M]` into a target, or an error text. */
function parseTarget(ctx: CommandContext, words: string[], wantGateway: boolean): Target | string {
  let host = false;
  let net = false;
  let mask: number | null = null;
  const rest: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    if (w === '-net') net = true;
    else if (w === '-host') host = true;
    else if (w === '-netmask') {
      const m = parseIpv4(words[++k] ?? '');
      const len = m === null ? null : maskToPrefixLen(m);
      if (len === null) return `bad netmask: ${words[k] ?? ''}`;
      mask = len;
    } else if (w === '-inet' || w === '-4' || w === '-n') continue;
    else rest.push(w);
  }
  if (rest.length < 1 || (wantGateway && rest.length < 2)) return USAGE;
  let dest: number;
  let prefixLen: number;
  if (rest[0] === 'default') {
    dest = 0;
    prefixLen = 0;
  } else {
    const c = parseCidr(rest[0]);
    const r = c ?? (resolveHost(ctx.world, rest[0]) !== null ? { addr: resolveHost(ctx.world, rest[0]) as number, prefixLen: 32 } : null);
    if (!r) return `bad address: ${rest[0]}`;
    dest = r.addr;
    prefixLen = rest[0].includes('/') ? r.prefixLen : mask ?? (net ? 24 : 32);
    if (host) prefixLen = 32;
  }
  dest = (dest & prefixMask(prefixLen)) >>> 0;
  let gateway: number | null = null;
  if (rest.length >= 2) {
    gateway = resolveHost(ctx.world, rest[1]);
    if (gateway === null) return `bad address: ${rest[1]}`;
  }
  return { dest, prefixLen, host: prefixLen === 32, gateway };
}

function change(ctx: CommandContext, op: 'add' | 'delete', words: string[]): number {
  const t = parseTarget(ctx, words, op === 'add');
  if (typeof t === 'string') {
    ctx.out(t === USAGE ? `${USAGE}\n` : `route: ${t}\n`);
    return EXIT.USAGE;
  }
  const kind = t.host ? 'host' : 'net';
  const what = `${op} ${kind} ${destText(t)}`;
  const r = op === 'add' ? routeAdd(ctx.stack, { dest: t.dest, prefixLen: t.prefixLen, gateway: t.gateway ?? undefined }) : routeDelete(ctx.stack, { dest: t.dest, prefixLen: t.prefixLen });
  const gw = t.gateway !== null ? `: gateway ${formatIpv4(t.gateway)}` : '';
  if (!r.ok) {
    ctx.out(`route: writing to routing socket: ${errnoText(r.errno)}\n`);
    ctx.out(`${op} ${r.message}\n`);
    return EXIT.FAILURE;
  }
  ctx.out(`${what}${gw}\n`);
  return EXIT.OK;
}

function get(ctx: CommandContext, words: string[]): number {
  const target = words.find((w) => !w.startsWith('-'));
  const dst = target === undefined ? null : target === 'default' ? 0 : resolveHost(ctx.world, target);
  if (dst === null) {
    ctx.out(target === undefined ? `${USAGE}\n` : `route: bad address: ${target}\n`);
    return EXIT.USAGE;
  }
  const r = routeLookup(ctx.stack, dst);
  if (!r) {
    ctx.out(`route: route has not been found\n`);
    return EXIT.FAILURE;
  }
  const flags = ['UP'];
  if (r.route.gateway !== null) flags.push('GATEWAY');
  if (r.route.prefixLen === 32) flags.push('HOST');
  flags.push('DONE');
  if (r.route.kind === 'static') flags.push('STATIC');
  const iface = ctx.stack.ifaces.find((i) => i.name === r.iface);
  ctx.lines([
    `   route to: ${formatIpv4(dst)}`,
    `destination: ${r.route.prefixLen === 0 ? 'default' : formatIpv4(r.route.dest)}`,
    `       mask: ${r.route.prefixLen === 0 ? 'default' : formatIpv4(prefixMask(r.route.prefixLen))}`,
    ...(r.route.gateway !== null ? [`    gateway: ${formatIpv4(r.route.gateway)}`] : []),
    `        fib: 0`,
    `  interface: ${r.iface}`,
    `      flags: <${flags.join(',')}>`,
    ' recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire',
    `       0         0         0         0      ${iface?.mtu ?? 1500}         1         0 `,
    '',
    'why this route (longest prefix match):',
    ...r.explanation.map((e) => `  ${e}`),
  ]);
  return EXIT.OK;
}

export function netstatRoutes(ctx: CommandContext): string[] {
  const out = ['Routing tables', '', 'Internet:', 'Destination        Gateway            Flags     Netif Expire'];
  const routes = routeList(ctx.stack).slice().sort((a, b) => a.dest - b.dest || a.prefixLen - b.prefixLen);
  for (const r of routes) {
    const dest = routeDestText(r.dest, r.prefixLen);
    out.push(`${dest.padEnd(18)} ${r.gatewayText.padEnd(18)} ${r.flags.padEnd(6)}${r.iface.padStart(9)}`);
  }
  return out;
}

function run(ctx: CommandContext, args: string[]): number {
  if (args.includes('-6') || args.includes('-inet6')) return route6Command(ctx, args);
  const words = args.filter((a) => a !== '-n' && a !== '-4' && a !== '-q' && a !== '-v');
  const [cmd, ...rest] = words;
  switch (cmd) {
    case 'add':
      return change(ctx, 'add', rest);
    case 'delete':
    case 'del':
      return change(ctx, 'delete', rest);
    case 'get':
      return get(ctx, rest);
    case 'show':
      return rest.length ? get(ctx, rest) : (ctx.lines(netstatRoutes(ctx)), EXIT.OK);
    case 'flush': {
      for (const r of routeList(ctx.stack)) {
        if (r.kind !== 'static') continue;
        routeDelete(ctx.stack, { dest: r.dest, prefixLen: r.prefixLen });
        ctx.out(`${r.prefixLen === 0 ? 'default' : formatIpv4(r.dest)}${' '.repeat(8)}${r.gatewayText.padEnd(20)}done\n`);
      }
      return EXIT.OK;
    }
    default:
      if (cmd !== undefined) ctx.out(`route: ${cmd}: unknown command\n`);
      ctx.out(`${USAGE}\n`);
      return EXIT.USAGE;
  }
}

export const routeCommand: CommandSpec = { name: 'route', summary: 'manually manipulate the routing tables', needsStack: true, run };
