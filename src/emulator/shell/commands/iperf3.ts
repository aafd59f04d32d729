// The `iperf3` command: iperf3's options and messages (-s [-p PORT] [-D] [-1], -c HOST
// [-p PORT] [-t SECS] [-i SECS] [-P N] [-R] [-n BYTES[KMG]] [-u [-b RATE[KMG]]]), then the iperf3 app
// (node/apps/iperf3.ts) over the node's TCP. -D detaches the server (a daemon: the shell
// goes on; `kill PID` ends it). Parsing only.

import { IPERF_PORT, startIperfClient, startIperfServer } from '../../node/apps/iperf3';
import { stackPort } from '../../node/apps/stack-port';
import { stackTcpPort } from '../../node/apps/tcp-port';
import { getopt } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { resolveHost46Then } from './resolve';

const USAGE = [
  'Usage: iperf3 [-s|-c host] [options]',
  '       iperf3 [-h|--help] [-v|--version]',
  '',
  'Server or Client:',
  '  -p, --port      #         server port to listen on/connect to',
  '  -i, --interval  #         seconds between periodic throughput reports',
  'Server specific:',
  '  -s, --server              run in server mode',
  '  -D, --daemon              run the server as a daemon',
  '  -1, --one-off             handle one client connection then exit',
  'Client specific:',
  '  -c, --client    <host>    run in client mode, connecting to <host>',
  '  -t, --time      #         time in seconds to transmit for (default 10 secs)',
  '  -n, --bytes     #[KMG]    number of bytes to transmit (instead of -t)',
  '  -P, --parallel  #         number of parallel client streams to run',
  '  -R, --reverse             run in reverse mode (server sends, client receives)',
  '  -u, --udp                 use UDP rather than TCP',
  '  -b, --bitrate   #[KMG]    target bitrate in bits/sec (UDP only here; default 1 Mbit/sec)',
];

/** `1M`, `500K`, `2.5G` bits/s (1000s, as iperf3's unit_atof_rate). */
function bitRate(text: string): number | null {
  const m = /^([0-9]+\.?[0-9]*)([KkMmGg]?)$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase()] ?? 1);
}

/** Most parallel streams iperf3 allows (MAX_STREAMS). */
const MAX_STREAMS = 128;

function seconds(text: string): number | null {
  if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text)) return null;
  return Number(text);
}

/** `10M`, `512K`, `1G` (1024s, as iperf3's unit_atoi). */
function byteCount(text: string): number | null {
  const m = /^([0-9]+\.?[0-9]*)([KkMmGg]?)$/.exec(text);
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()] ?? 1;
  return Math.floor(Number(m[1]) * mult);
}

function run(ctx: CommandContext, args: string[]): number | Job {
  const fail = (msg: string): number => {
    ctx.out(`iperf3: ${msg}\n`);
    return EXIT.FAILURE;
  };
  const g = getopt('iperf3', args, 'sc:p:t:i:P:Rn:D1ub:46');
  if (!g.ok) {
    ctx.lines([g.error, ...USAGE]);
    return EXIT.FAILURE;
  }
  const o = g.opts;
  const last = (k: string): string | undefined => o.get(k)?.at(-1);
  const server = o.has('s');
  const client = last('c');
  if (server === (client !== undefined) || g.operands.length > 0) {
    if (server) return fail('parameter error - cannot be both server and client');
    ctx.lines(['iperf3: parameter error - must either be a client (-c) or server (-s)', '', ...USAGE]);
    return EXIT.FAILURE;
  }
  const portText = last('p');
  const port = portText === undefined ? IPERF_PORT : Number(portText);
  if (!/^[0-9]+$/.test(portText ?? '1') || port < 1 || port > 65535) return fail('parameter error - invalid port number');
  const intervalText = last('i');
  const interval = intervalText === undefined ? 1 : seconds(intervalText);
  if (interval === null || (interval !== 0 && (interval < 0.1 || interval > 60))) return fail('parameter error - invalid report interval (min = 0.1, max = 60 seconds)');
  const tcp = stackTcpPort(ctx.stack, ctx.proc, ctx.gate());
  const app = stackPort(ctx.stack, { node: ctx.node, proc: ctx.proc }, ctx.gate());
  if (server) {
    if (o.has('c') || o.has('t') || o.has('P') || o.has('R') || o.has('n') || o.has('u') || o.has('b')) return fail('parameter error - some option you are trying to set is client only');
    let code: number | null = null;
    // A daemon's stdout is /dev/null (iperf3 -D detaches before it says anything); only a
    // failure to start is shown, so the user learns why nothing listens.
    const daemon = o.has('D');
    let held = '';
    let detached = false;
    const out = (t: string): void => {
      if (!daemon) ctx.out(t);
      else if (!detached) held += t;
    };
    const job = startIperfServer(app, tcp, { port, oneOff: o.has('1') }, out, (c) => {
      code = c;
      ctx.finish(c);
    });
    if (code !== null) {
      if (daemon) ctx.out(held);
      return code;
    }
    if (!daemon) return job;
    held = '';
    detached = true;
    return { interrupt: job.interrupt, daemon: true };
  }
  if (o.has('D') || o.has('1')) return fail('parameter error - some option you are trying to set is server only');
  const timeText = last('t');
  const time = timeText === undefined ? 10 : seconds(timeText);
  if (time === null || time <= 0 || time > 86_400) return fail('parameter error - test duration valid values are 0 to 86400 seconds');
  const pText = last('P');
  const parallel = pText === undefined ? 1 : Number(pText);
  if (!/^[0-9]+$/.test(pText ?? '1') || parallel < 1 || parallel > MAX_STREAMS) return fail(`parameter error - number of parallel streams too large (maximum = ${MAX_STREAMS})`);
  const nText = last('n');
  const bytes = nText === undefined ? 0 : byteCount(nText);
  if (bytes === null) return fail(`parameter error - invalid number of bytes: ${nText}`);
  const udp = o.has('u');
  const bText = last('b');
  const rate = bText === undefined ? 1e6 : bitRate(bText);
  if (rate === null || rate <= 0) return fail(`parameter error - invalid rate: ${bText}`);
  if (bText !== undefined && !udp) return fail('parameter error - -b (a paced TCP test) is not supported here; use it with -u');
  return resolveHost46Then(ctx, client!, o.has('6'), (dst) => {
    let code: number | null = null;
    const job = startIperfClient(app, tcp, { dst, hostText: client!, port, time, bytes, parallel, reverse: o.has('R'), interval, udp, rate }, ctx.out, (c) => {
      code = c;
      ctx.finish(c);
    });
    return code ?? job;
  }, () => fail(`error - unable to connect to server - server may not be running or may be busy: hostname nor servname provided, or not known`));
}

export const iperf3Command: CommandSpec = { name: 'iperf3', summary: 'measure TCP throughput (-s server, -c HOST client)', needsStack: true, run };
