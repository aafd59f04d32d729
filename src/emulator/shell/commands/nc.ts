// The `nc` command: FreeBSD nc(1) option parsing, usage and error wording, then the nc
// app (node/apps/nc.ts) over the node's sockets. Parsing only; no protocol here.
// Supported: -l (listen), -u (UDP), -v (verbose), -z (scan), -n (numeric; names still resolve
// to nodes, as IMUNES's /etc/hosts does).

import { startNc } from '../../node/apps/nc';
import { stackPort } from '../../node/apps/stack-port';
import { stackTcpPort } from '../../node/apps/tcp-port';
import { getopt } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { parseUint, resolveHost46Then } from './resolve';

const USAGE = [
  'usage: nc [-46DdEFhklNnrStUuvz] [-e policy] [-I length] [-i interval] [-O length]',
  '\t  [-P proxy_username] [-p source_port] [-s source] [-T ToS]',
  '\t  [-V rtable] [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]',
  '\t  [destination] [port]',
];

/** `80`, or a range `20-25` (netcat's port list); null when invalid. */
export function parsePorts(text: string): number[] | null {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!m) return null;
  const lo = parseUint(m[1]);
  const hi = m[2] === undefined ? lo : parseUint(m[2]);
  if (lo === null || hi === null || lo < 1 || hi > 65535) return null;
  const out: number[] = [];
  for (let p = Math.min(lo, hi); p <= Math.max(lo, hi); p++) out.push(p);
  return out;
}

function run(ctx: CommandContext, args: string[]): number | Job {
  const g = getopt('nc', args, 'lnuvz46');
  if (!g.ok) {
    ctx.lines([g.error, ...USAGE]);
    return EXIT.FAILURE;
  }
  const o = g.opts;
  const listen = o.has('l');
  const ops = g.operands;
  if ((listen && ops.length !== 1 && ops.length !== 2) || (!listen && ops.length !== 2)) {
    ctx.lines(USAGE);
    return EXIT.FAILURE;
  }
  const portText = ops[ops.length - 1];
  const ports = parsePorts(portText);
  if (ports === null || (ports.length > 1 && !o.has('z'))) {
    ctx.out(`nc: port number invalid: ${portText}\n`);
    return EXIT.FAILURE;
  }
  const hostText = listen ? '' : ops[0];
  const go = (dst: number | Uint8Array): number | Job => {
    let code: number | null = null;
    const job = startNc(
      stackPort(ctx.stack, { node: ctx.node, proc: ctx.proc }, ctx.gate()),
      stackTcpPort(ctx.stack, ctx.proc, ctx.gate()),
      { listen, udp: o.has('u'), verbose: o.has('v'), scan: o.has('z'), dst, hostText, ports, listenFamilies: { v4: !o.has('6'), v6: !o.has('4') } },
      ctx.out,
      (c) => {
        code = c;
        ctx.finish(c);
      },
    );
    return code ?? job;
  };
  if (listen) return go(0);
  return resolveHost46Then(ctx, hostText, o.has('6'), go, () => {
    ctx.out(`nc: getaddrinfo: hostname nor servname provided, or not known\n`);
    return EXIT.FAILURE;
  }, true);
}

export const ncCommand: CommandSpec = { name: 'nc', summary: 'arbitrary TCP and UDP connections and listens', needsStack: true, run };
