// The `ping` command: FreeBSD ping(8) option parsing, usage and error wording, then the
// ping app (node/apps/ping.ts) over the node's stack. Parsing only; no protocol here.
// Node shells run as root, as IMUNES's do (jails entered as root), so FreeBSD's root-only
// choices are allowed: -f (flood) and -i below one second. -i is kept in whole
// milliseconds as FreeBSD keeps it; 0 ms becomes the app's 1 ms floor (PING_MIN_INTERVAL_NS).

import { startPing, PING_DEFAULTS } from '../../node/apps/ping';
import { stackPort } from '../../node/apps/stack-port';
import { getopt, optValue } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { ping6FromPing, wantsPing6 } from './inet6';
import { hostErrorText, nodeNameOf, parseDecimal, parseUint, resolveHostThen } from './resolve';

const USAGE = [
  'usage: ping [-AaDdfnoQqRrv] [-c count] [-G sweepmaxsize] [-g sweepminsize]',
  '            [-h sweepincrsize] [-i wait] [-l preload] [-M mask | time] [-m ttl]',
  '            [-P policy] [-p pattern] [-S src_addr] [-s packetsize] [-t timeout]',
  '            [-W waittime] [-z tos] IPv4-host',
];
const MAX_PAYLOAD = 65_535 - 20 - 8;
const SEC_NS = 1e9;
const MS_NS = 1e6;
/** FreeBSD refuses an interval whose milliseconds exceed INT_MAX. */
const INTERVAL_MAX_MS = 2_147_483_647;

function bad(ctx: CommandContext, what: string, value: string): number {
  ctx.out(`ping: invalid ${what}: \`${value}'\n`);
  return EXIT.USAGE;
}

function run(ctx: CommandContext, args: string[]): number | Job {
  if (wantsPing6(args)) return ping6FromPing(ctx, args); // FreeBSD 14: ping -6, or an IPv6 host
  const g = getopt('ping', args, 'c:fi:s:m:t:W:nqv');
  if (!g.ok) {
    ctx.lines([g.error, ...USAGE]);
    return EXIT.USAGE;
  }
  if (g.operands.length !== 1) {
    ctx.lines(USAGE);
    return EXIT.USAGE;
  }
  const o = g.opts;
  const opts = { ...PING_DEFAULTS, quiet: o.has('q'), flood: o.has('f'), waitTimeSet: o.has('W'), ttl: undefined as number | undefined };
  const c = optValue(o, 'c');
  if (c !== undefined) {
    const n = parseUint(c);
    if (n === null || n < 1) return bad(ctx, 'count of packets to transmit', c);
    opts.count = n;
  }
  const i = optValue(o, 'i');
  if (i !== undefined) {
    const n = parseDecimal(i);
    if (n === null || n * 1000 > INTERVAL_MAX_MS) return bad(ctx, 'timing interval', i);
    // FreeBSD: interval = (int)(strtod(arg) * 1000) milliseconds.
    opts.intervalNs = Math.max(1, Math.floor(n * 1000)) * MS_NS;
  }
  const s = optValue(o, 's');
  if (s !== undefined) {
    const n = parseUint(s);
    if (n === null) return bad(ctx, 'packet size', s);
    if (n > MAX_PAYLOAD) {
      ctx.out(`ping: packet size too large: ${n} > ${MAX_PAYLOAD}\n`);
      return EXIT.USAGE;
    }
    opts.sizeBytes = n;
  }
  const m = optValue(o, 'm');
  if (m !== undefined) {
    const n = parseUint(m);
    if (n === null || n > 255) return bad(ctx, 'TTL', m);
    opts.ttl = n;
  }
  const t = optValue(o, 't');
  if (t !== undefined) {
    const n = parseUint(t);
    if (n === null || n < 1) return bad(ctx, 'timeout', t);
    opts.timeoutNs = n * SEC_NS;
  }
  const w = optValue(o, 'W');
  if (w !== undefined) {
    const n = parseUint(w);
    if (n === null) return bad(ctx, 'timing interval', w);
    opts.waitTimeNs = n * 1e6;
  }
  const host = g.operands[0];
  const go = (dst: number): number | Job => {
    if (opts.flood && i !== undefined) {
      ctx.out('ping: -f and -i: incompatible options\n');
      return EXIT.USAGE;
    }
    if (opts.flood && (dst >>> 28) === 0xe) {
      ctx.out('ping: -f flag cannot be used with multicast destination\n');
      return EXIT.USAGE;
    }
    const ident = ctx.world.rng(`node:${ctx.node.name}:ping`).nextU32() & 0xffff;
    const nameOf = o.has('n') ? undefined : (addr: number) => nodeNameOf(ctx.world, addr);
    return startPing(stackPort(ctx.stack, null, ctx.gate()), { ...opts, dst, hostText: host, ident, nameOf }, ctx.out, ctx.finish);
  };
  return resolveHostThen(ctx, host, go, (f) => {
    ctx.out(`ping: cannot resolve ${host}: ${hostErrorText(f)}\n`);
    return EXIT.NOHOST;
  });
}

export const pingCommand: CommandSpec = { name: 'ping', summary: 'send ICMP ECHO_REQUEST packets to network hosts', needsStack: true, run };
