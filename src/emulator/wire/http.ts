// HTTP/1.x message heads as bytes (RFC 9112): find the end of a head, parse a request or a
// status line with its header fields, and emit them. Bodies are opaque bytes here; the
// server (node/services/httpd.ts) and the clients (fetch, curl) decide what they mean.
// Must not decide behaviour. RFC 9112 §2-§6 (message format), RFC 9110 §15 (status codes).

/** Longest head accepted (request or response line plus fields); longer is a 431/bad response. */
export const HTTP_HEAD_BYTES_MAX = 8192;
/** Header fields kept per message; more make the message malformed. */
export const HTTP_FIELDS_MAX = 64;

export interface HttpField {
  name: string;
  value: string;
}

export interface HttpRequestHead {
  method: string;
  target: string;
  /** `1.0` or `1.1`. */
  version: string;
  fields: HttpField[];
}

export interface HttpResponseHead {
  version: string;
  status: number;
  reason: string;
  fields: HttpField[];
}

export type HttpParseError = { kind: 'bad-request-line' } | { kind: 'bad-status-line' } | { kind: 'bad-field'; line: number } | { kind: 'too-many-fields' } | { kind: 'bad-version'; version: string };

/** Offset just past the blank line ending the head (`\r\n\r\n`, or bare `\n\n` as RFC 9112 §2.2 allows), or -1. */
export function httpHeadEnd(bytes: Uint8Array, len = bytes.length): number {
  for (let i = 0; i < len; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (i + 1 < len && bytes[i + 1] === 0x0a) return i + 2;
    if (i + 2 < len && bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function splitLines(head: string): string[] {
  const lines = head.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseFields(lines: string[]): HttpField[] | HttpParseError {
  if (lines.length > HTTP_FIELDS_MAX) return { kind: 'too-many-fields' };
  const fields: HttpField[] = [];
  for (let k = 0; k < lines.length; k++) {
    const colon = lines[k].indexOf(':');
    const name = colon < 0 ? '' : lines[k].slice(0, colon);
    // RFC 9112 §5.1: no whitespace between the field name and the colon.
    if (!TOKEN.test(name)) return { kind: 'bad-field', line: k + 2 };
    fields.push({ name, value: lines[k].slice(colon + 1).trim() });
  }
  return fields;
}

/** The request head in `bytes[0, end)` (end from httpHeadEnd). */
export function parseHttpRequestHead(bytes: Uint8Array, end: number): HttpRequestHead | HttpParseError {
  const lines = splitLines(latin1(bytes, 0, end));
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/([0-9]\.[0-9])$/.exec(lines[0] ?? '');
  if (!m) return { kind: 'bad-request-line' };
  const fields = parseFields(lines.slice(1));
  if ('kind' in fields) return fields;
  return { method: m[1], target: m[2], version: m[3], fields };
}

/** The response head in `bytes[0, end)`. */
export function parseHttpResponseHead(bytes: Uint8Array, end: number): HttpResponseHead | HttpParseError {
  const lines = splitLines(latin1(bytes, 0, end));
  const m = /^HTTP\/([0-9]\.[0-9]) ([0-9]{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!m) return { kind: 'bad-status-line' };
  const fields = parseFields(lines.slice(1));
  if ('kind' in fields) return fields;
  return { version: m[1], status: Number(m[2]), reason: m[3] ?? '', fields };
}

/** The value of the first field named `name` (case-insensitive, RFC 9110 §5.1), or null. */
export function httpField(fields: readonly HttpField[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const f of fields) if (f.name.toLowerCase() === lower) return f.value;
  return null;
}

/** `Content-Length` as a number, null when absent, -1 when malformed (RFC 9112 §6.3 item 5). */
export function httpContentLength(fields: readonly HttpField[]): number | null {
  const v = httpField(fields, 'content-length');
  if (v === null) return null;
  return /^[0-9]{1,15}$/.test(v) ? Number(v) : -1;
}

/** A head's text: the start line, each field, the blank line (CRLF throughout). */
export function formatHttpHead(startLine: string, fields: readonly HttpField[]): string {
  let s = `${startLine}\r\n`;
  for (const f of fields) s += `${f.name}: ${f.value}\r\n`;
  return `${s}\r\n`;
}

/** The reason phrases VirtNet's server sends (RFC 9110 §15). */
export const HTTP_REASON: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};
