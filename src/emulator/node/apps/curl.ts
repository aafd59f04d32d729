// curl(1) basics: get one http:// URL and print the body (or with -o write it to the node's
// files and show curl's progress meter), -I for the response head of a HEAD request, -v for
// curl's `*`, `>` and `<` lines, -s to be silent; curl's error lines and exit codes
// (`curl: (7) Failed to connect …`). Uses only the HTTP client over the node's TCP port.

import { normalizePath, fileErrorText } from '../files';
import { hostField, type HttpToolEnv } from './fetch';
import { httpRequest, type HttpFailure, type HttpResponse, type HttpUrl } from './http-client';
import { errnoText } from './port';
import type { TcpAddr } from './tcp-port';
import { Utf8Stream } from './text-codec';

export const CURL_VERSION = '8.5.0';

export interface CurlOptions {
  url: HttpUrl;
  dst: TcpAddr;
  /** The address as curl prints it (`10.0.0.10`). */
  addrText: string;
  output: string | null;
  silent: boolean;
  head: boolean;
  verbose: boolean;
}

type CurlEnv = HttpToolEnv;

/** curl's five-column number (progress.c max5data): `  180`, ` 175k`, ` 12.3M`. */
function max5(n: number): string {
  const v = Math.floor(n);
  if (v < 100000) return String(v).padStart(5);
  if (v < 10000 * 1024) return `${String(Math.floor(v / 1024)).padStart(4)}k`;
  if (v < 100 * 1024 * 1024) return `${String(Math.floor(v / (1024 * 1024))).padStart(2)}.${Math.floor(((v % (1024 * 1024)) * 10) / (1024 * 1024))}M`;
  return `${String(Math.floor(v / (1024 * 1024))).padStart(4)}M`;
}

/** progress.c time2str: `--:--:--` for nothing yet, else ` H:MM:SS`. */
function time8(secs: number): string {
  const s = Math.floor(secs);
  if (s <= 0) return '--:--:--';
  return `${String(Math.floor(s / 3600)).padStart(2)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** The meter curl leaves on the terminal when it writes to a file: header lines and the final line. */
export function curlProgress(bytes: number, elapsedNs: number): string {
  const secs = elapsedNs / 1e9;
  const speed = secs > 0 ? bytes / secs : bytes;
  const line = `100 ${max5(bytes)}  100 ${max5(bytes)}    0 ${max5(0)}  ${max5(speed)}  ${max5(0)} ${time8(secs)} ${time8(secs)} --:--:-- ${max5(speed)}`;
  return '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' + '                                 Dload  Upload   Total   Spent    Left  Speed\n' + line + '\n';
}

function failure(f: HttpFailure, o: CurlOptions, elapsedMs: number): { code: number; text: string } {
  switch (f.kind) {
    case 'connect':
      return { code: 7, text: `Failed to connect to ${o.addrText} port ${o.url.port} after ${elapsedMs} ms: ${f.errno === 'ECONNREFUSED' ? "Couldn't connect to server" : errnoText(f.errno)}` };
    case 'reset':
      return { code: 56, text: `Recv failure: ${errnoText(f.errno)}` };
    case 'bad-response':
      return { code: 8, text: 'Weird server reply' };
    case 'too-large':
      return { code: 63, text: 'Maximum file size exceeded' };
    case 'truncated':
      return { code: 18, text: 'transfer closed with outstanding read data remaining' };
    default:
      return f satisfies never;
  }
}

/** Starts the transfer; `finish` gets curl's exit status. Returns the interrupt. */
export function startCurl(env: CurlEnv, o: CurlOptions, finish: (code: number) => void): () => void {
  const t0 = env.now();
  const v = (s: string): void => {
    if (o.verbose) env.out(s);
  };
  v(`*   Trying ${o.addrText}:${o.url.port}...\n`);
  let done = false;
  const abort = httpRequest(
    env.tcp,
    { dst: o.dst, port: o.url.port, method: o.head ? 'HEAD' : 'GET', host: hostField(o.url), path: o.url.path, userAgent: `curl/${CURL_VERSION}`, fields: [{ name: 'Accept', value: '*/*' }] },
    {
      connected: () => v(`* Connected to ${o.url.host} (${o.addrText}) port ${o.url.port}\n`),
      sent: (head) => v(prefixLines('> ', head)),
      done: (r) => {
        done = true;
        finish(complete(env, o, r, env.now() - t0));
      },
    },
  );
  return () => {
    if (done) return;
    abort();
    finish(130);
  };
}

function prefixLines(prefix: string, head: string): string {
  return head
    .replace(/\r\n$/, '')
    .split('\r\n')
    .map((l) => `${prefix}${l}\n`)
    .join('');
}

function complete(env: CurlEnv, o: CurlOptions, r: HttpResponse | HttpFailure, elapsedNs: number): number {
  if ('kind' in r) {
    const f = failure(r, o, Math.round(elapsedNs / 1e6));
    if (o.verbose) env.out(`* ${f.text}\n* Closing connection\n`);
    if (!o.silent) env.out(`curl: (${f.code}) ${f.text}\n`);
    return f.code;
  }
  if (o.verbose) env.out(prefixLines('< ', r.headText.replace(/\r?\n/g, '\r\n')));
  // -I prints the head as the body (to the output), like curl.
  const text = o.head ? r.headText.replace(/\r\n/g, '\n') : new Utf8Stream().decode(r.body);
  if (o.output === null || o.output === '-') {
    env.out(text);
  } else {
    const path = normalizePath(o.output);
    const err = path === null ? { kind: 'bad-path' as const, path: o.output } : env.files().write(path, text);
    if (err !== null) {
      if (!o.silent) env.out(`curl: (23) Failure writing output to destination: ${fileErrorText('curl', err)}\n`);
      return 23;
    }
    if (!o.silent && !o.verbose) env.out(curlProgress(o.head ? r.headText.length : r.body.length, elapsedNs));
  }
  v(o, env, '* Closing connection\n');
  return 0;
}

function v(o: CurlOptions, env: CurlEnv, s: string): void {
  if (o.verbose) env.out(s);
}
