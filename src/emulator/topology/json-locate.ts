// A small JSON reader that remembers where every value starts, so diagnostics can name
// the line of a bad field. Strict RFC 8259 by default; `tolerant` also accepts raw
// control characters inside strings (the early IMUNES JSON v1 files contain raw newlines).
// Never throws: syntax errors come back located.

export interface JsonPos {
  line: number;
  column: number;
}

export type JsonParse =
  | { ok: true; value: unknown; locate: (path: readonly (string | number)[]) => JsonPos }
  | { ok: false; message: string; pos: JsonPos };

class JsonSyntax {
  constructor(readonly message: string, readonly offset: number) {}
}

/** Line (1-based) and column (1-based) of a character offset. */
export function positionOf(text: string, offset: number): JsonPos {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function pointer(path: readonly (string | number)[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

class Reader {
  i = 0;
  /** JSON pointer → offset of the value (object members: offset of their key). */
  readonly offsets = new Map<string, number>();
  constructor(readonly text: string, readonly tolerant: boolean) {}

  fail(msg: string): never {
    const end = this.i >= this.text.length;
    throw new JsonSyntax(end ? `unexpected end of file (${msg})` : msg, Math.min(this.i, this.text.length));
  }

  ws(): void {
    while (this.i < this.text.length && ' \t\r\n'.includes(this.text[this.i]!)) this.i++;
  }

  string(): string {
    const t = this.text;
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated string');
      const c = t[this.i]!;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const e = t[this.i + 1];
        if (e !== undefined && ESCAPES[e] !== undefined) {
          out += ESCAPES[e];
          this.i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(this.i + 2, this.i + 6))) {
          out += String.fromCharCode(parseInt(t.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
        } else this.fail('bad escape in string');
        continue;
      }
      if (c.charCodeAt(0) < 0x20 && !this.tolerant) this.fail('raw control character in string');
      out += c;
      this.i++;
    }
  }

  object(path: string): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return obj;
    }
    for (;;) {
      this.ws();
      if (this.text[this.i] !== '"') this.fail('expected a "key"');
      const keyAt = this.i;
      const key = this.string();
      this.ws();
      if (this.text[this.i] !== ':') this.fail(`expected ":" after "${key}"`);
      this.i++;
      const sub = `${path}${pointer([key])}`;
      // defineProperty, not assignment: a "__proto__" key must stay data (no prototype swap).
      Object.defineProperty(obj, key, { value: this.value(sub), writable: true, enumerable: true, configurable: true });
      this.offsets.set(sub, keyAt);
      this.ws();
      const c = this.text[this.i++];
      if (c === '}') return obj;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  array(path: string): unknown[] {
    const arr: unknown[] = [];
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return arr;
    }
    for (;;) {
      arr.push(this.value(`${path}/${arr.length}`));
      this.ws();
      const c = this.text[this.i++];
      if (c === ']') return arr;
      if (c !== ',') this.fail('expected "," or "]"');
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
    if (!m) this.fail(c === undefined ? 'expected a value' : `unexpected character "${c}"`);
    this.i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
  }
}

export function parseJsonLocated(text: string, opts: { tolerant?: boolean } = {}): JsonParse {
  const r = new Reader(text, opts.tolerant ?? false);
  try {
    const value = r.value('');
    r.ws();
    if (r.i < text.length) r.fail('unexpected text after the end of the document');
    const locate = (path: readonly (string | number)[]): JsonPos => {
      for (let n = path.length; n >= 0; n--) {
        const off = r.offsets.get(pointer(path.slice(0, n)));
        if (off !== undefined) return positionOf(text, off);
      }
      return { line: 1, column: 1 };
    };
    return { ok: true, value, locate };
  } catch (e) {
    if (e instanceof JsonSyntax) return { ok: false, message: e.message, pos: positionOf(text, e.offset) };
    throw e;
  }
}
