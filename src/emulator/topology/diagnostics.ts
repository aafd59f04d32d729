// Located diagnostics for topology files: what is wrong, in which file, on which line.
// Shared by the .vnet and .imn readers, the CLI (`virtnet validate`) and the GUI.
// Must not throw or print; formatting is `file:line: message` like compilers do (the
// column, when known, stays in the record for editors to place a cursor). Every message
// is one printable line: text from the file is quoted and cut short (quoteText), and
// anything else that could break a line is escaped (oneLine).

export interface Diagnostic {
  file: string;
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

export type ParseResult<T> = { doc: T; warnings: Diagnostic[] } | { errors: Diagnostic[] };

/** Longest message a diagnostic keeps (characters); longer ones end in "…". */
export const MAX_MESSAGE_CHARS = 400;
/** Longest piece of user text quoted inside a message. */
export const MAX_QUOTED_CHARS = 60;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi controls:
// each could end a line or reorder what a terminal shows.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every line break and control character escaped, cut to `max` characters. */
export function oneLine(text: string, max = MAX_MESSAGE_CHARS): string {
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const flat = head.replace(UNPRINTABLE, escapeChar);
  return flat.length > max || head.length < text.length ? `${flat.slice(0, max)}…` : flat;
}

/** User text inside a message: in double quotes, escaped, cut to `max` characters. */
export function quoteText(text: unknown, max = MAX_QUOTED_CHARS): string {
  const s = typeof text === 'string' ? text : String(text);
  const cut = s.length > max ? `${s.slice(0, max)}…` : s;
  return `"${cut.replace(/["\\]/g, (c) => `\\${c}`).replace(UNPRINTABLE, escapeChar)}"`;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${oneLine(d.file, 1000)}:${d.line}: ${d.severity === 'warning' ? 'warning: ' : ''}${oneLine(d.message)}`;
}

export function diag(file: string, line: number, message: string, severity: Diagnostic['severity'] = 'error', column?: number): Diagnostic {
  const m = oneLine(message);
  return column === undefined ? { file, line, message: m, severity } : { file, line, column, message: m, severity };
}

/** A name inside a message: as-is when it is plain (`pc1`, `eth0`, `10.0.0.1/24`), else quoted. */
export function nameText(name: unknown): string {
  const s = typeof name === 'string' ? name : String(name);
  return /^[\w.:/@+-]{1,60}$/.test(s) ? s : quoteText(s);
}
