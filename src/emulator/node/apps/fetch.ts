// fetch(1) as FreeBSD ships it: get one http:// URL and write the body to a file in the
// node's files (named after the URL's last path segment, `fetch.out` when it has none, as
// FreeBSD writes into the working directory, here `/`) or to the terminal with `-o -`.
// Prints fetch's final status line (name, size, rate, time) and its error wording
// (`fetch: URL: Not Found`). Uses only the HTTP client over the node's TCP port.

import { normalizePath, type NodeFiles, fileErrorText } from '../files';
import { httpRequest, type HttpFailure, type HttpResponse, type HttpUrl } from './http-client';
import { errnoText } from './port';
import type { TcpAddr, TcpPort } from './tcp-port';
import { Utf8Stream } from './text-codec';

export interface FetchOptions {
  url: HttpUrl;
  /** The URL as typed (error lines repeat it). */
  urlText: string;
  dst: TcpAddr;
  /** `-o`: a path, `-` for standard output, null for the default name. */
  output: string | null;
  quiet: boolean;
  verbose: boolean;
  /** The address as fetch prints it in -v lines. */
  addrText: string;
}

/** What fetch and curl run with: the node's TCP port, its clock, its files, the terminal. */
export interface HttpToolEnv {
  tcp: TcpPort;
  now: () => number;
  files: () => NodeFiles;
  out: (s: string) => void;
}

/** The file name fetch picks from a URL path (FreeBSD fetch.c: the last segment, else fetch.out). */
export function fetchDefaultName(path: string): string {
  const p = path.replace(/[?#].*$/, '');
  const last = p.slice(p.lastIndexOf('/') + 1);
  return last === '' ? 'fetch.out' : decodeURIComponentSafe(last);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** fetch.c stat_bytes: four digits and a unit letter, e.g. `1256  B`, `  12 kB`. */
function statUnits(n: number, suffix: string): string {
  const units = ' kMGTP';
  let v = Math.floor(n);
  let i = 0;
  while (v > 9999 && i < units.length - 1) {
    v = Math.floor(v / 1024);
    i++;
  }
  return `${String(v).padStart(4)} ${units[i]}${suffix}`;
}

/** The line fetch leaves when a transfer ends: name, bytes, rate and elapsed time. */
export function fetchStatLine(name: string, bytes: number, elapsedNs: number): string {
  const secs = elapsedNs / 1e9;
  const whole = Math.floor(secs);
  const eta = whole >= 60 ? `${String(Math.floor(whole / 60)).padStart(2, '0')}m${String(whole % 60).padStart(2, '0')}s` : `   ${String(whole).padStart(2, '0')}s`;
  // fetch.c stat_bps: no time elapsed (a zero-delay network) has no rate.
  const rate = secs > 0 ? statUnits(bytes / secs, 'Bps') : '?? Bps';
  return `${name.padEnd(46).slice(0, 46)}        ${statUnits(bytes, 'B')} ${rate} ${eta}`;
}

export function fetchFailureText(f: HttpFailure): string {
  switch (f.kind) {
    case 'connect':
    case 'reset':
      return errnoText(f.errno);
    case 'bad-response':
      return 'Protocol error';
    case 'too-large':
      return 'File too large';
    case 'truncated':
      return 'Input/output error';
    default:
      return f satisfies never;
  }
}

/** Starts the transfer; `finish` gets fetch's exit status. Returns the interrupt. */
export function startFetch(env: HttpToolEnv, o: FetchOptions, finish: (code: number) => void): () => void {
  const name = o.output ?? fetchDefaultName(o.url.path);
  const t0 = env.now();
  if (o.verbose) {
    env.out(`resolving server address: ${o.addrText}:${o.url.port}\n`);
    env.out(`requesting ${o.urlText}\n`);
  }
  let done = false;
  const abort = httpRequest(env.tcp, { dst: o.dst, port: o.url.port, method: 'GET', host: hostField(o.url), path: o.url.path, userAgent: 'fetch libfetch/2.0' }, {
    done: (r) => {
      done = true;
      finish(complete(env, o, name, r, env.now() - t0));
    },
  });
  return () => {
    if (done) return;
    abort();
    env.out(`fetch: transfer interrupted\n`);
    finish(1);
  };
}

export function hostField(url: HttpUrl): string {
  const h = url.host.includes(':') ? `[${url.host}]` : url.host;
  return url.port === 80 ? h : `${h}:${url.port}`;
}

function complete(env: HttpToolEnv, o: FetchOptions, name: string, r: HttpResponse | HttpFailure, elapsedNs: number): number {
  if ('kind' in r) {
    env.out(`fetch: ${o.urlText}: ${fetchFailureText(r)}\n`);
    return 1;
  }
  if (r.head.status < 200 || r.head.status > 299) {
    env.out(`fetch: ${o.urlText}: ${r.head.reason || String(r.head.status)}\n`);
    return 1;
  }
  if (o.verbose) env.out(`remote size / mtime: ${r.body.length} / 0\n`);
  const text = new Utf8Stream().decode(r.body);
  if (name === '-') {
    env.out(text);
    return 0;
  }
  const path = normalizePath(name);
  const err = path === null ? { kind: 'bad-path' as const, path: name } : env.files().write(path, text);
  if (err !== null) {
    env.out(`${fileErrorText('fetch', err)}\n`);
    return 1;
  }
  if (!o.quiet) env.out(`${fetchStatLine(name, r.body.length, elapsedNs)}\n`);
  return 0;
}
