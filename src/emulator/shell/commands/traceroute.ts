// The `traceroute` command: FreeBSD traceroute(8) option parsing and error wording, then
// the traceroute app over the node's stack. Parsing only; no protocol here.

import { startTraceroute, TRACEROUTE_DEFAULTS } from '../../node/apps/traceroute';
import { stackPort } from '../../node/apps/stack-port';
import { getopt, optValue } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { nodeNameOf, parseUint, resolveHostThen } from './resolve';

const USAGE = [
  'Usage: traceroute [-adDeFInrSvx] [-A as_server] [-f first_ttl] [-g gateway] [-i iface]',
  '\t[-M first_ttl] [-m max_ttl] [-p port] [-P proto] [-q nqueries] [-s src_addr]',
  '\t[-t tos] [-w waittime] [-z pausemsecs] host [packetlen]',
];

/** FreeBSD str2val(): a bounded integer or a message. */
function str2val(text: string, what: string, min: number, max: number): number | string {
  const n = parseUint(text);
  if (n === null) return `traceroute: "${text}" bad value for ${what}`;
  if (n < min) return `traceroute: ${what} must be >= ${min}`;
  if (max >= 0 && n > max) return `traceroute: ${what} must be <= ${max}`;
  return n;
}

function run(ctx: CommandContext, args: string[]): number | Job {
  const g = getopt('traceroute', args, 'nm:q:w:f:p:dv');
  if (!g.ok) {
    ctx.lines([g.error, ...USAGE]);
    return EXIT.FAILURE;
  }
  if (g.operands.length < 1 || g.operands.length > 2) {
    ctx.lines(USAGE);
    return EXIT.FAILURE;
  }
  const opts = { ...TRACEROUTE_DEFAULTS, numeric: g.opts.has('n') };
  const fields: [string, string, number, number, 'maxTtl' | 'nQueries' | 'waitNs' | 'firstTtl' | 'basePort', number][] = [
    ['m', 'max ttl', 1, 255, 'maxTtl', 1],
    ['q', 'nprobes', 1, -1, 'nQueries', 1],
    ['w', 'wait time', 1, 86_400, 'waitNs', 1e9],
    ['f', 'first ttl', 1, 255, 'firstTtl', 1],
    ['p', 'port', 1, 65_535, 'basePort', 1],
  ];
  for (const [c, what, min, max, key, scale] of fields) {
    const v = optValue(g.opts, c);
    if (v === undefined) continue;
    const n = str2val(v, what, min, max);
    if (typeof n === 'string') {
      ctx.out(n + '\n');
      return EXIT.FAILURE;
    }
    opts[key] = n * scale;
  }
  if (opts.firstTtl > opts.maxTtl) {
    ctx.out(`traceroute: first ttl (${opts.firstTtl}) may not be greater than max ttl (${opts.maxTtl})\n`);
    return EXIT.FAILURE;
  }
  if (g.operands.length === 2) {
    const n = str2val(g.operands[1], 'packet length', 28, 32_768);
    if (typeof n === 'string') {
      ctx.out(n + '\n');
      return EXIT.FAILURE;
    }
    opts.packetLen = n;
  }
  const host = g.operands[0];
  const nameOf = (addr: number): string | null => nodeNameOf(ctx.world, addr);
  return resolveHostThen(ctx, host, (dst) => startTraceroute(stackPort(ctx.stack, null, ctx.gate()), { ...opts, dst, hostText: host, nameOf }, ctx.out, ctx.finish), () => {
    ctx.out(`traceroute: unknown host ${host}\n`);
    return EXIT.FAILURE;
  });
}

export const tracerouteCommand: CommandSpec = { name: 'traceroute', summary: 'print the route packets take to a network host', needsStack: true, run };
