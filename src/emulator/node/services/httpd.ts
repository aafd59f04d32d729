// httpd: the small web server a `host` node runs from Start (issue 14). HTTP/1.0 and 1.1
// GET and HEAD over the node's TCP socket port: files under the web root /usr/local/www of
// the node's private files first, else a page naming the host. One response per
// connection (`Connection: close`, RFC 9112 §9.6), at most HTTPD_CONNS_MAX connections at
// once (later ones get 503), heads bounded by HTTP_HEAD_BYTES_MAX and by a request timeout. Must not reach stack
// internals (DESIGN decision 8). RFC 9110 §9.3.1-9.3.2 (GET, HEAD), RFC 9112 §3 (request line).

import type { Scheduler, TimerId } from '../../sim/scheduler';
import type { NodeFiles } from '../files';
import { normalizePath } from '../files';
import type { TcpHandlers, TcpListenHandle, TcpPort, TcpSocketHandle } from '../apps/tcp-port';
import { encodeUtf8 } from '../apps/text-codec';
import { formatHttpHead, HTTP_HEAD_BYTES_MAX, HTTP_REASON, httpHeadEnd, parseHttpRequestHead, type HttpField } from '../../wire/http';

export const HTTPD_PORT = 80;
/** Connections served at once; more are answered 503 and closed. */
export const HTTPD_CONNS_MAX = 32;
/** A client that has not sent a whole request head by then is reset (Apache's Timeout is 60 s), so silent clients cannot hold every slot. */
export const HTTPD_REQUEST_TIMEOUT_NS = 60_000_000_000;
/** Where the server looks for files first (FreeBSD's ports put www data under /usr/local/www). */
export const HTTPD_WEB_ROOT = '/usr/local/www';
const SERVER = 'VirtNet-httpd';

export interface HttpdOptions {
  /** Names the host in the default page. */
  hostName: string;
  /** The node's files when it has any (read at each request, so later writes are served). */
  files: () => NodeFiles | undefined;
  /** Virtual time, for the request timeout. */
  sim: Pick<Scheduler, 'schedule' | 'cancel'>;
  port?: number;
}

export interface Httpd {
  readonly port: number;
  /** Requests answered (any status) and connections refused with 503. */
  readonly stats: { requests: number; refused: number };
  stop(): void;
}

interface Reply {
  status: number;
  type: string;
  body: Uint8Array;
  extra?: HttpField[];
}

/** Starts listening; an errno when the port is taken. */
export function startHttpd(tcp: TcpPort, o: HttpdOptions): Httpd | { errno: 'EADDRINUSE' | 'EINVAL' } {
  const port = o.port ?? HTTPD_PORT;
  let open = 0;
  // Made on the first connection so an idle host pays nothing for it.
  let conns: Set<TcpSocketHandle> | null = null;
  const stats = { requests: 0, refused: 0 };
  const l = tcp.listen(port, 128, () => {
    for (;;) {
      // The handlers object is ours: each stage of the connection replaces its members.
      const h: TcpHandlers = {};
      const s = tcp.accept(l as TcpListenHandle, h);
      if (s === null) return;
      if (open >= HTTPD_CONNS_MAX) {
        stats.refused++;
        const busy = reply(503, 'text/plain', encodeUtf8('Service Unavailable\n'));
        sendAndClose(tcp, s, h, respond(busy, false), () => {});
        continue;
      }
      open++;
      (conns ??= new Set()).add(s);
      let counted = true;
      serve(tcp, s, h, o, stats, () => {
        if (!counted) return;
        counted = false;
        open--;
        conns?.delete(s);
      });
    }
  });
  if ('errno' in l) return { errno: l.errno === 'EADDRINUSE' ? 'EADDRINUSE' : 'EINVAL' };
  return {
    port,
    stats,
    stop: () => {
      tcp.unlisten(l);
      for (const s of conns ?? []) tcp.abort(s);
      conns = null;
    },
  };
}

/** One connection: read a request head, answer it, close. */
function serve(tcp: TcpPort, s: TcpSocketHandle, h: TcpHandlers, o: HttpdOptions, stats: { requests: number }, gone: () => void): void {
  let buf = new Uint8Array(512);
  let len = 0;
  let answered = false;
  let timer: TimerId | null = o.sim.schedule(HTTPD_REQUEST_TIMEOUT_NS, () => {
    timer = null;
    if (answered) return;
    answered = true;
    tcp.abort(s);
    gone();
  });
  const finish = (r: Reply, head: boolean): void => {
    answered = true;
    if (timer !== null) o.sim.cancel(timer);
    timer = null;
    stats.requests++;
    sendAndClose(tcp, s, h, respond(r, head), gone);
  };
  const readable = (): void => {
    for (;;) {
      if (answered) {
        // Bytes after the request (a body, a pipelined request) are read and dropped so close() is a FIN, not a reset.
        while (tcp.recv(s)?.length) {
          // dropped
        }
        return;
      }
      const d = tcp.recv(s, HTTP_HEAD_BYTES_MAX - len);
      if (d === null) {
        // The client closed before a whole head arrived.
        if (timer !== null) o.sim.cancel(timer);
        timer = null;
        answered = true;
        tcp.close(s);
        return gone();
      }
      if (d.length === 0) return;
      if (len + d.length > buf.length) {
        const bigger = new Uint8Array(Math.min(HTTP_HEAD_BYTES_MAX, Math.max(buf.length * 2, len + d.length)));
        bigger.set(buf.subarray(0, len));
        buf = bigger;
      }
      buf.set(d, len);
      len += d.length;
      const end = httpHeadEnd(buf, len);
      if (end >= 0) return void handle(buf, end, o, finish);
      if (len >= HTTP_HEAD_BYTES_MAX) return finish(reply(431, 'text/plain', encodeUtf8('Request Header Fields Too Large\n')), false);
    }
  };
  h.readable = readable;
  h.closed = () => {
    if (timer !== null) o.sim.cancel(timer);
    timer = null;
    gone();
  };
  readable(); // bytes may have arrived before the accept
}

function handle(buf: Uint8Array, end: number, o: HttpdOptions, finish: (r: Reply, head: boolean) => void): void {
  const req = parseHttpRequestHead(buf, end);
  if ('kind' in req) return finish(reply(400, 'text/plain', encodeUtf8('Bad Request\n')), false);
  if (req.version !== '1.0' && req.version !== '1.1') return finish(reply(505, 'text/plain', encodeUtf8('HTTP Version Not Supported\n')), false);
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    return finish({ ...reply(405, 'text/plain', encodeUtf8('Method Not Allowed\n')), extra: [{ name: 'Allow', value: 'GET, HEAD' }] }, false);
  }
  const path = targetPath(req.target);
  if (path === null) return finish(reply(400, 'text/plain', encodeUtf8('Bad Request\n')), head);
  finish(lookup(path, o), head);
}

/** The path of an origin-form or absolute-form target (RFC 9112 §3.2), percent-decoded and normalised; null when unusable. */
function targetPath(target: string): string | null {
  let t = target;
  const abs = /^https?:\/\/[^/]*(\/.*)?$/i.exec(t);
  if (abs) t = abs[1] ?? '/';
  if (!t.startsWith('/')) return null;
  const q = t.search(/[?#]/);
  if (q >= 0) t = t.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(t);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  // Normalising at `/` removes every `..`, so no path leaves the web root.
  const p = normalizePath(decoded);
  return p === null ? null : t.endsWith('/') && p !== '/' ? p + '/' : p;
}

function lookup(path: string, o: HttpdOptions): Reply {
  const files = o.files();
  if (files !== undefined) {
    const full = HTTPD_WEB_ROOT + (path === '/' ? '/' : path);
    const candidates = full.endsWith('/') ? [full + 'index.html'] : [full, full + '/index.html'];
    for (const c of candidates) {
      const t = files.read(c);
      if (typeof t === 'string') return reply(200, contentType(c), encodeUtf8(t));
    }
  }
  if (path === '/' || path === '/index.html') return reply(200, 'text/html', encodeUtf8(defaultPage(o.hostName)));
  return reply(404, 'text/html', encodeUtf8(`<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><p>${escapeHtml(path)} is not on ${escapeHtml(o.hostName)}.</p></body></html>\n`));
}

/** The page every host serves when its web root has no index.html. */
export function defaultPage(hostName: string): string {
  const h = escapeHtml(hostName);
  return `<!DOCTYPE html>\n<html>\n<head><title>${h}</title></head>\n<body>\n<h1>${h}</h1>\n<p>This page is served by httpd on ${h}.</p>\n</body>\n</html>\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

const TYPES: Readonly<Record<string, string>> = { html: 'text/html', htm: 'text/html', txt: 'text/plain', css: 'text/css', js: 'text/javascript', json: 'application/json', xml: 'application/xml', svg: 'image/svg+xml' };

function contentType(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot > path.lastIndexOf('/') ? TYPES[path.slice(dot + 1).toLowerCase()] : undefined) ?? 'application/octet-stream';
}

function reply(status: number, type: string, body: Uint8Array): Reply {
  return { status, type, body };
}

/** The whole response: status line, fields, and the body unless the request was HEAD. */
function respond(r: Reply, head: boolean): Uint8Array {
  const fields: HttpField[] = [
    { name: 'Server', value: SERVER },
    { name: 'Content-Type', value: r.type },
    { name: 'Content-Length', value: String(r.body.length) },
    ...(r.extra ?? []),
    { name: 'Connection', value: 'close' },
  ];
  const h = encodeUtf8(formatHttpHead(`HTTP/1.1 ${r.status} ${HTTP_REASON[r.status] ?? ''}`.trimEnd(), fields));
  if (head) return h;
  const out = new Uint8Array(h.length + r.body.length);
  out.set(h);
  out.set(r.body, h.length);
  return out;
}

/** Writes `data` as the send buffer takes it, then closes (a FIN after the last byte). */
function sendAndClose(tcp: TcpPort, s: TcpSocketHandle, h: TcpHandlers, data: Uint8Array, gone: () => void): void {
  let rest = data;
  const pump = (): void => {
    while (rest.length > 0) {
      const n = tcp.send(s, rest);
      if (typeof n !== 'number') {
        tcp.abort(s);
        return gone();
      }
      if (n === 0) return;
      rest = rest.subarray(n);
    }
    while (tcp.recv(s)?.length) {
      // drain what the client sent after its request, so close() does not reset
    }
    tcp.close(s);
    gone();
  };
  h.writable = pump;
  h.closed = gone;
  pump();
}
