// The HTTP/1.1 client fetch(1) and curl(1) share: parse an http:// URL, connect over the
// node's TCP socket port, send one GET or HEAD with `Connection: close`, read the response
// head and a body bounded by HTTP_BODY_BYTES_MAX (Content-Length, else until the server's
// FIN). Reports progress to the caller; prints nothing itself. RFC 9112 §2-§6, RFC 3986 §3.

import { formatHttpHead, httpContentLength, httpField, httpHeadEnd, HTTP_HEAD_BYTES_MAX, parseHttpResponseHead, type HttpField, type HttpResponseHead } from '../../wire/http';
import type { Errno } from './port';
import type { TcpAddr, TcpPort, TcpSocketHandle } from './tcp-port';
import { encodeUtf8 } from './text-codec';

/** Largest body kept; a longer response fails (bounded memory, DESIGN decision 10). */
export const HTTP_BODY_BYTES_MAX = 16 * 1024 * 1024;

export interface HttpUrl {
  scheme: string;
  /** As written (a name, a dotted quad, or a bracketed IPv6 literal without its brackets). */
  host: string;
  port: number;
  /** Path and query, at least `/`. */
  path: string;
}

/** `http://host[:port][/path]`; a string saying why not otherwise (`scheme` for a non-http scheme). */
export function parseHttpUrl(text: string, defaultScheme: string | null): HttpUrl | { error: 'scheme' | 'syntax'; scheme?: string } {
  let rest = text;
  let scheme = defaultScheme;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  }
  if (scheme === null) return { error: 'syntax' };
  if (scheme !== 'http') return { error: 'scheme', scheme };
  const slash = rest.search(/[/?#]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '/' : rest.slice(slash);
  if (path.startsWith('?')) path = '/' + path;
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  const hp = /^(?:[^@/]*@)?(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/.exec(authority);
  if (!hp) return { error: 'syntax' };
  const port = hp[2] === undefined ? 80 : Number(hp[2]);
  if (port < 1 || port > 65535) return { error: 'syntax' };
  const host = hp[1].startsWith('[') ? hp[1].slice(1, -1) : hp[1];
  return { scheme, host, port, path: path === '' ? '/' : path };
}

export interface HttpRequest {
  dst: TcpAddr;
  port: number;
  method: 'GET' | 'HEAD';
  /** The Host field (RFC 9110 §7.2). */
  host: string;
  path: string;
  userAgent: string;
  /** Extra fields the tool sends (curl's `Accept: * / *`). */
  fields?: HttpField[];
}

export interface HttpResponse {
  head: HttpResponseHead;
  /** The head as received, for curl -I / -v. */
  headText: string;
  body: Uint8Array;
}

export type HttpFailure = { kind: 'connect'; errno: Errno } | { kind: 'reset'; errno: Errno } | { kind: 'bad-response' } | { kind: 'too-large' } | { kind: 'truncated' };

export interface HttpEvents {
  connected?(): void;
  /** The request head just sent (curl -v prints it). */
  sent?(headText: string): void;
  done(r: HttpResponse | HttpFailure): void;
}

/** Sends the request; `events.done` is called exactly once. Returns the abort. */
export function httpRequest(tcp: TcpPort, req: HttpRequest, events: HttpEvents): () => void {
  let sock: TcpSocketHandle | null = null;
  let finished = false;
  let chunks: Uint8Array[] = [];
  let len = 0;
  let head: HttpResponseHead | null = null;
  let headText = '';
  let bodyStart = 0;
  const reqFields: HttpField[] = [{ name: 'Host', value: req.host }, { name: 'User-Agent', value: req.userAgent }, ...(req.fields ?? []), { name: 'Connection', value: 'close' }];
  const reqText = formatHttpHead(`${req.method} ${req.path} HTTP/1.1`, reqFields);
  let out = encodeUtf8(reqText);
  const end = (r: HttpResponse | HttpFailure): void => {
    if (finished) return;
    finished = true;
    if (sock !== null) tcp.close(sock);
    sock = null;
    chunks = [];
    events.done(r);
  };
  const joined = (): Uint8Array => {
    if (chunks.length === 1) return chunks[0];
    const all = new Uint8Array(len);
    let o = 0;
    for (const c of chunks) {
      all.set(c, o);
      o += c.length;
    }
    chunks = [all];
    return all;
  };
  const complete = (eof: boolean): boolean => {
    if (head === null) {
      const all = joined();
      const e = httpHeadEnd(all, Math.min(len, HTTP_HEAD_BYTES_MAX));
      if (e < 0) {
        if (len >= HTTP_HEAD_BYTES_MAX || eof) end({ kind: 'bad-response' });
        return finished;
      }
      const h = parseHttpResponseHead(all, e);
      if ('kind' in h) return end({ kind: 'bad-response' }), true;
      head = h;
      headText = String.fromCharCode(...all.subarray(0, e));
      bodyStart = e;
    }
    // RFC 9112 §6.3: no body after HEAD, 1xx, 204 or 304; else Content-Length, else until close.
    const none = req.method === 'HEAD' || head.status === 204 || head.status === 304 || head.status < 200;
    const cl = httpContentLength(head.fields);
    if (cl === -1 || (httpField(head.fields, 'transfer-encoding') ?? 'identity').toLowerCase() !== 'identity') return end({ kind: 'bad-response' }), true;
    const want = none ? 0 : cl;
    if (want !== null && len - bodyStart >= want) {
      end({ head, headText, body: joined().slice(bodyStart, bodyStart + want) });
      return true;
    }
    if (eof) {
      if (want !== null) end({ kind: 'truncated' });
      else end({ head, headText, body: joined().slice(bodyStart) });
      return true;
    }
    return false;
  };
  const pump = (): void => {
    while (sock !== null && out.length > 0) {
      const n = tcp.send(sock, out);
      if (typeof n !== 'number') return end({ kind: 'reset', errno: n.errno });
      if (n === 0) return;
      out = out.subarray(n);
    }
  };
  let connected = false;
  const s = tcp.connect(req.dst, req.port, {
    connected: () => {
      connected = true;
      events.connected?.();
      pump();
      events.sent?.(reqText);
    },
    writable: pump,
    readable: () => {
      while (sock !== null && !finished) {
        const d = tcp.recv(sock);
        if (d === null) return void complete(true);
        if (d.length === 0) return;
        if (len + d.length > HTTP_BODY_BYTES_MAX + HTTP_HEAD_BYTES_MAX) return end({ kind: 'too-large' });
        chunks.push(d);
        len += d.length;
        if (complete(false)) return;
      }
    },
    closed: (errno) => {
      sock = null;
      if (!connected) return end({ kind: 'connect', errno: errno ?? 'ECONNREFUSED' });
      if (errno !== null) return end({ kind: 'reset', errno });
      complete(true);
    },
  });
  if ('errno' in s) {
    end({ kind: 'connect', errno: s.errno });
    return () => {};
  }
  sock = s;
  return () => {
    if (sock !== null) tcp.abort(sock);
    sock = null;
    finished = true;
  };
}
