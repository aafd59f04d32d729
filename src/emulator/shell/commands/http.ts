// The `fetch` and `curl` commands: option parsing, URL and host resolution, usage and error
// wording of FreeBSD fetch(1) and curl(1), then the apps (node/apps/fetch.ts, curl.ts) over
// the node's TCP port. Parsing only; no protocol here.

import { nodeFiles } from '../../node/files';
import { startCurl } from '../../node/apps/curl';
import { startFetch } from '../../node/apps/fetch';
import { parseHttpUrl, type HttpUrl } from '../../node/apps/http-client';
import { formatTcpAddr, stackTcpPort } from '../../node/apps/tcp-port';
import { getopt } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { resolveHost46 } from './resolve';

const FETCH_USAGE = [
  'usage: fetch [-146AadFlMmnPpqRrsUv] [-B bytes] [--bind-address=host]',
  '       [--ca-cert=file] [--ca-path=dir] [--cert=file] [--crl=file]',
  '       [-i file] [--key=file] [-N file] [--no-passive] [--no-proxy=list]',
  '       [--no-sslv3] [--no-tlsv1] [--no-verify-hostname] [--no-verify-peer]',
  '       [-o file] [--referer=URL] [-S bytes] [-T seconds]',
  '       [--user-agent=agent-string] [-w seconds] URL ...',
];

/** Runs an app that calls `finish` at most once, returning its status now if it finished at once. */
function asJob(ctx: CommandContext, start: (finish: (code: number) => void) => () => void): number | Job {
  let code: number | null = null;
  let running = true;
  const interrupt = start((c) => {
    if (!running) return;
    running = false;
    code = c;
    ctx.finish(c);
  });
  return code ?? { interrupt };
}

function resolveUrlHost(ctx: CommandContext, url: HttpUrl, six: boolean): number | Uint8Array | null {
  return resolveHost46(ctx.world, url.host, six);
}

function runFetch(ctx: CommandContext, args: string[]): number | Job {
  const g = getopt('fetch', args, 'o:qv46');
  if (!g.ok || g.operands.length !== 1) {
    ctx.lines([...(g.ok ? [] : [g.error]), ...FETCH_USAGE]);
    return EXIT.USAGE;
  }
  const urlText = g.operands[0];
  const url = parseHttpUrl(urlText, null);
  if ('error' in url) {
    ctx.out(url.error === 'scheme' ? `fetch: ${urlText}: URL scheme ${url.scheme} is not supported here\n` : `fetch: ${urlText}: parse error\n`);
    return EXIT.FAILURE;
  }
  const dst = resolveUrlHost(ctx, url, g.opts.has('6'));
  if (dst === null) {
    ctx.out(`fetch: ${urlText}: No address record\n`);
    return EXIT.FAILURE;
  }
  const output = g.opts.get('o')?.at(-1) ?? null;
  const env = { tcp: stackTcpPort(ctx.stack, ctx.proc, ctx.gate()), now: () => ctx.world.sim.now(), files: () => nodeFiles(ctx.node), out: ctx.out };
  const o = { url, urlText, dst, output, quiet: g.opts.has('q'), verbose: g.opts.has('v'), addrText: formatTcpAddr(dst) };
  return asJob(ctx, (finish) => startFetch(env, o, finish));
}

export const fetchCommand: CommandSpec = { name: 'fetch', summary: 'retrieve a file by URL (http://)', needsStack: true, run: runFetch };

interface CurlArgs {
  url: string | null;
  output: string | null;
  silent: boolean;
  head: boolean;
  verbose: boolean;
  six: boolean;
}

const CURL_LONG: Readonly<Record<string, string>> = { '--silent': 's', '--head': 'I', '--verbose': 'v', '--output': 'o', '--show-error': 'S', '--ipv4': '4', '--ipv6': '6' };

/** curl takes options before or after the URL, short ones clustered (`-sI`), and long names. */
function parseCurlArgs(args: readonly string[]): CurlArgs | string {
  const r: CurlArgs = { url: null, output: null, silent: false, head: false, verbose: false, six: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const flags = a.startsWith('--') ? CURL_LONG[a] : a.startsWith('-') && a.length > 1 ? a.slice(1) : null;
    if (flags === undefined) return `option ${a}: is unknown`;
    if (flags === null) {
      if (r.url !== null) return `only one URL is supported here`;
      r.url = a;
      continue;
    }
    for (let j = 0; j < flags.length; j++) {
      const f = flags[j];
      if (f === 's') r.silent = true;
      else if (f === 'S' || f === '4') continue;
      else if (f === '6') r.six = true;
      else if (f === 'I') r.head = true;
      else if (f === 'v') r.verbose = true;
      else if (f === 'o') {
        const v = j + 1 < flags.length ? flags.slice(j + 1) : args[++i];
        if (v === undefined) return `option -o: requires parameter`;
        r.output = v;
        break;
      } else return `option -${f}: is unknown`;
    }
  }
  return r;
}

function runCurl(ctx: CommandContext, args: string[]): number | Job {
  const a = parseCurlArgs(args);
  if (typeof a === 'string' || a.url === null) {
    ctx.lines([`curl: ${typeof a === 'string' ? a : 'no URL specified'}`, "curl: try 'curl --help' or 'curl --manual' for more information"]);
    return 2;
  }
  const url = parseHttpUrl(a.url, 'http');
  if ('error' in url) {
    ctx.out(url.error === 'scheme' ? `curl: (1) Protocol "${url.scheme}" not supported\n` : `curl: (3) URL rejected: Bad hostname\n`);
    return url.error === 'scheme' ? 1 : 3;
  }
  const dst = resolveUrlHost(ctx, url, a.six);
  if (dst === null) {
    if (!a.silent) ctx.out(`curl: (6) Could not resolve host: ${url.host}\n`);
    return 6;
  }
  const env = { tcp: stackTcpPort(ctx.stack, ctx.proc, ctx.gate()), now: () => ctx.world.sim.now(), files: () => nodeFiles(ctx.node), out: ctx.out };
  const o = { url, dst, addrText: formatTcpAddr(dst), output: a.output, silent: a.silent, head: a.head, verbose: a.verbose };
  return asJob(ctx, (finish) => startCurl(env, o, finish));
}

export const curlCommand: CommandSpec = { name: 'curl', summary: 'transfer a URL (http://; -s -o -I -v)', needsStack: true, run: runCurl };
