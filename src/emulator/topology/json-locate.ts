// A small JSON reader that remembers where every value starts, so diagnostics can name
// the line of a bad field. Strict RFC 8259 by default; `tolerant` also accepts raw
// control characters inside strings (the early IMUNES JSON v1 files contain raw newlines).
// Never throws: syntax errors, and nesting deeper than MAX_JSON_DEPTH, come back located.
// Valid documents take V8's JSON.parse; positions are then read only when first asked for.

export interface JsonPos {
  line: number;
  column: number;
}

/**
 * Deepest nesting of objects and arrays a topology file may use. Real files need about 6
 * levels; the bound keeps this reader and every later walk of the value (schema, writers,
 * structured clone) far from the call-stack limit.
 */
export const MAX_JSON_DEPTH = 256;

/** Line lookup for character offsets: the line starts are found in one pass, then searched. */
export interface LineIndex {
  position(offset: number): JsonPos;
  /** Characters of the text scanned to build the index (at most its length: one pass). */
  readonly charsScanned: number;
}

export type JsonParse =
  | { ok: true; value: unknown; locate: (path: readonly (string | number)[]) => JsonPos; lines: LineIndex }
  | { ok: false; message: string; pos: JsonPos };

class JsonSyntax {
  constructor(readonly message: string, readonly offset: number) {}
}

/** The line index of `text`, built on first use. */
export function lineIndex(text: string): LineIndex {
  let starts: number[] | null = null;
  let scanned = 0;
  const build = (): number[] => {
    const s = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) s.push(i + 1);
    scanned += text.length;
    return s;
  };
  return {
    position(offset) {
      starts ??= build();
      const off = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= off) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: off - starts[lo]! + 1 };
    },
    get charsScanned() {
      return scanned;
    },
  };
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };


/**
 * A shadow of one container: where each member starts and the shadows of members that are
 * containers themselves. Arrays: one offset and one shadow per element; objects: [key,
 * offset of the key, shadow, …] triples (a Map is built only when a lookup needs it).
 */
type Shadow =
  | { array: number[]; kids: (Shadow | null)[] }
  | { triples: (string | number | Shadow | null)[]; byKey?: Map<string, number> };

class Reader {
  i = 0;
  depth = 0;
  /** Shadow of the container value() just read, or null after a scalar. */
  shadow: Shadow | null = null;
  readonly literal = /true|false|null/y;
  constructor(readonly text: string, readonly tolerant: boolean) {}

  fail(msg: string, at = this.i): never {
    const end = at >= this.text.length;
    throw new JsonSyntax(end ? `unexpected end of file (${msg})` : msg, Math.min(at, this.text.length));
  }

  ws(): void {
    const t = this.text;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    this.i = i;
  }

  string(): string {
    const t = this.text;
    const n = t.length;
    const strict = !this.tolerant;
    let start = ++this.i;
    let out = '';
    for (;;) {
      let i = this.i;
      let c = 0;
      // The plain run: no quote, no backslash, and (strict) no control character.
      while (i < n) {
        c = t.charCodeAt(i);
        if (c === 34 || c === 92 || (strict && c < 0x20)) break;
        i++;
      }
      this.i = i;
      if (i >= n) this.fail('unterminated string');
      if (c === 34) {
        this.i++;
        return out === '' ? t.slice(start, i) : out + t.slice(start, i);
      }
      if (c !== 92) this.fail('raw control character in string');
      out += t.slice(start, i);
      const e = t[i + 1];
      if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        this.i = i + 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(t.slice(i + 2, i + 6), 16));
        this.i = i + 6;
      } else this.fail('bad escape in string');
      start = this.i;
    }
  }

  enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`objects and arrays nested more than ${MAX_JSON_DEPTH} levels deep`);
  }

  object(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const triples: (string | number | Shadow | null)[] = [];
    const shadow: Shadow = { triples };
    this.enter();
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      this.depth--;
      this.shadow = shadow;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') this.fail('expected a "key"');
      const keyAt = this.i;
      const key = this.string();
      this.ws();
      if (this.text[this.i] !== ':') this.fail(`expected ":" after ${quoteKey(key)}`);
      this.i++;
      const v = this.value();
      // A "__proto__" key must stay data (no prototype swap): defineProperty, not assignment.
      if (key === '__proto__') Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
      else obj[key] = v;
      triples.push(key, keyAt, this.shadow);
      this.ws();
      const c = this.text[this.i++];
      if (c === '}') {
        this.depth--;
        this.shadow = shadow;
        return obj;
      }
      if (c !== ',') this.fail('expected "," or "}"', this.i - 1);
    }
  }

  array(): unknown[] {
    const arr: unknown[] = [];
    const at: number[] = [];
    const kids: (Shadow | null)[] = [];
    const shadow: Shadow = { array: at, kids };
    this.enter();
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      this.depth--;
      this.shadow = shadow;
      return arr;
    }
    for (;;) {
      this.ws();
      at.push(this.i);
      arr.push(this.value());
      kids.push(this.shadow);
      this.ws();
      const c = this.text[this.i++];
      if (c === ']') {
        this.depth--;
        this.shadow = shadow;
        return arr;
      }
      if (c !== ',') this.fail('expected "," or "]"', this.i - 1);
    }
  }

  /** RFC 8259 §6 number: -? int frac? exp? */
  number(): number {
    const t = this.text;
    const start = this.i;
    let i = start;
    if (t[i] === '-') i++;
    if (t[i] === '0') i++;
    else if ((i = this.digits(i)) === -1) this.fail(`unexpected character ${quoteChar(t[start] ?? '-')}`, start);
    if (t[i] === '.' && (i = this.digits(i + 1)) === -1) this.fail('expected a digit after "."');
    if (t[i] === 'e' || t[i] === 'E') {
      i++;
      if (t[i] === '+' || t[i] === '-') i++;
      if ((i = this.digits(i)) === -1) this.fail('expected a digit in the exponent');
    }
    this.i = i;
    return Number(t.slice(start, i));
  }

  /** Offset after the run of digits at `i`, or -1 when there is none. */
  digits(i: number): number {
    const t = this.text;
    const from = i;
    while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    return i === from ? -1 : i;
  }

  value(): unknown {
    this.ws();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    this.shadow = null;
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    const lit = this.literal;
    lit.lastIndex = this.i;
    const m = lit.exec(this.text);
    if (!m) this.fail(c === undefined ? 'expected a value' : `unexpected character ${quoteChar(c)}`);
    this.i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
  }
}

/** A key for a syntax message: quoted, escaped and cut short so the message stays one line. */
function quoteKey(key: string): string {
  const cut = key.length > 40 ? `${key.slice(0, 40)}…` : key;
  return JSON.stringify(cut);
}

function quoteChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(c);
}

/** Offset and shadow of member `key` of a container, or undefined. */
function member(sh: Shadow, key: string | number): { off: number; sub: Shadow | null } | undefined {
  if ('array' in sh) {
    const k = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : -1;
    return k >= 0 && k < sh.array.length ? { off: sh.array[k]!, sub: sh.kids[k] ?? null } : undefined;
  }
  if (!sh.byKey) {
    sh.byKey = new Map();
    // A duplicated key keeps its last place, as the value does.
    for (let k = 0; k < sh.triples.length; k += 3) sh.byKey.set(sh.triples[k] as string, k);
  }
  const k = sh.byKey.get(String(key));
  return k === undefined ? undefined : { off: sh.triples[k + 1] as number, sub: sh.triples[k + 2] as Shadow | null };
}

/** Deepest nesting of objects and arrays in JSON text (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** Reads `text` with positions recorded; throws JsonSyntax. */
function readLocated(text: string, tolerant: boolean): { value: unknown; rootAt: number; root: Shadow | null } {
  const r = new Reader(text, tolerant);
  r.ws();
  const rootAt = r.i;
  const value = r.value();
  const root = r.shadow;
  r.ws();
  if (r.i < text.length) r.fail('unexpected text after the end of the document');
  return { value, rootAt, root };
}

/**
 * Parses JSON text; `locate` then gives the line and column of any path. A strict document
 * that V8's JSON.parse accepts (within MAX_JSON_DEPTH) is parsed natively and its
 * positions are read in a second pass only when first asked for: valid files, the common
 * case, cost one native parse. Anything else goes through the located reader, which names
 * where it went wrong.
 */
export function parseJsonLocated(text: string, opts: { tolerant?: boolean } = {}): JsonParse {
  const tolerant = opts.tolerant ?? false;
  const lines = lineIndex(text);
  const fast = tolerant ? undefined : nativeParse(text);
  try {
    let read: { value: unknown; rootAt: number; root: Shadow | null } | null = fast ? null : readLocated(text, tolerant);
    const value = fast ? fast.value : read!.value;
    /** Offset of the deepest value along `path` that exists (the document itself at least). */
    const locate = (path: readonly (string | number)[]): JsonPos => {
      if (!read) {
        try {
          read = readLocated(text, tolerant);
        } catch {
          // JSON.parse took it, so the reader should too; if not, the whole document is the place.
          read = { value, rootAt: 0, root: null };
        }
      }
      let off = read.rootAt;
      let sh = read.root;
      for (const key of path) {
        const m = sh ? member(sh, key) : undefined;
        if (!m) break;
        off = m.off;
        sh = m.sub;
      }
      return lines.position(off);
    };
    return { ok: true, value, locate, lines };
  } catch (e) {
    if (e instanceof JsonSyntax) return { ok: false, message: e.message, pos: lines.position(e.offset) };
    throw e;
  }
}

/** JSON.parse's value when it accepts the text and the nesting is within bounds. */
function nativeParse(text: string): { value: unknown } | undefined {
  if (nestingDepth(text) > MAX_JSON_DEPTH) return undefined;
  try {
    // JSON.parse defines "__proto__" members as plain data (CreateDataProperty), as the reader does.
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
