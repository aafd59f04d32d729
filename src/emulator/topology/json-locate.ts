// A small JSON reader that remembers where every value starts, so diagnostics can name
// the line of a bad field. Strict RFC 8259 by default; `tolerant` also accepts raw
// control characters inside strings (the early IMUNES JSON v1 files contain raw newlines).
// Never throws: syntax errors, and nesting deeper than MAX_JSON_DEPTH, come back located.

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

/** Line (1-based) and column (1-based) of a character offset (one lookup; use lineIndex for many). */
export function positionOf(text: string, offset: number): JsonPos {
  return lineIndex(text).position(offset);
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function pointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** A run of plain string characters: no quote, no backslash, no control character. */
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const PLAIN_TOLERANT = /[^"\\]*/y;

class Reader {
  i = 0;
  depth = 0;
  /** JSON pointer → offset of the value (object members: offset of their key). */
  readonly offsets = new Map<string, number>();
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
    const plain = this.tolerant ? PLAIN_TOLERANT : PLAIN;
    this.i++;
    const parts: string[] = [];
    for (;;) {
      plain.lastIndex = this.i;
      const run = plain.exec(t)![0];
      if (run.length) parts.push(run);
      this.i += run.length;
      if (this.i >= t.length) this.fail('unterminated string');
      const c = t[this.i]!;
      if (c === '"') {
        this.i++;
        return parts.length === 1 ? parts[0]! : parts.join('');
      }
      if (c !== '\\') this.fail('raw control character in string');
      const e = t[this.i + 1];
      if (e !== undefined && ESCAPES[e] !== undefined) {
        parts.push(ESCAPES[e]!);
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.i + 2, this.i + 6))) {
        parts.push(String.fromCharCode(parseInt(t.slice(this.i + 2, this.i + 6), 16)));
        this.i += 6;
      } else this.fail('bad escape in string');
    }
  }

  enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`objects and arrays nested more than ${MAX_JSON_DEPTH} levels deep`);
  }

  object(path: string): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.enter();
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      this.depth--;
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
      const sub = `${path}${pointer([key])}`;
      // defineProperty, not assignment: a "__proto__" key must stay data (no prototype swap).
      Object.defineProperty(obj, key, { value: this.value(sub), writable: true, enumerable: true, configurable: true });
      this.offsets.set(sub, keyAt);
      this.ws();
      const c = this.text[this.i++];
      if (c === '}') {
        this.depth--;
        return obj;
      }
      if (c !== ',') this.fail('expected "," or "}"', this.i - 1);
    }
  }

  array(path: string): unknown[] {
    const arr: unknown[] = [];
    this.enter();
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      this.depth--;
      return arr;
    }
    for (;;) {
      arr.push(this.value(`${path}/${arr.length}`));
      this.ws();
      const c = this.text[this.i++];
      if (c === ']') {
        this.depth--;
        return arr;
      }
      if (c !== ',') this.fail('expected "," or "]"', this.i - 1);
    }
  }

  value(path: string): unknown {
    this.ws();
    this.offsets.set(path, this.i);
    const c = this.text[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string();
    const lit = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
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

export function parseJsonLocated(text: string, opts: { tolerant?: boolean } = {}): JsonParse {
  const r = new Reader(text, opts.tolerant ?? false);
  const lines = lineIndex(text);
  try {
    const value = r.value('');
    r.ws();
    if (r.i < text.length) r.fail('unexpected text after the end of the document');
    const locate = (path: readonly (string | number)[]): JsonPos => {
      for (let n = path.length; n >= 0; n--) {
        const off = r.offsets.get(pointer(path.slice(0, n)));
        if (off !== undefined) return lines.position(off);
      }
      return { line: 1, column: 1 };
    };
    return { ok: true, value, locate, lines };
  } catch (e) {
    if (e instanceof JsonSyntax) return { ok: false, message: e.message, pos: lines.position(e.offset) };
    throw e;
  }
}
