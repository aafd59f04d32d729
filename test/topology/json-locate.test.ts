import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJsonLocated } from '../../src/emulator/topology/json-locate';

describe('located JSON reader', () => {
  it('parses what JSON.parse parses, to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
      const text = JSON.stringify(v, null, pretty ? 2 : undefined);
      const r = parseJsonLocated(text);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value).toEqual(JSON.parse(text));
    }), { numRuns: 300 });
  });
  it('keeps a "__proto__" key as plain data', () => {
    const r = parseJsonLocated('{"__proto__": {"polluted": 1}}');
    expect(r.ok && Object.keys(r.value as object)).toEqual(['__proto__']);
    expect(r.ok && Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('locates members and elements to their lines', () => {
    const text = '{\n  "a": 1,\n  "b": [\n    {"c": true},\n    "x/y"\n  ],\n  "d/e": null\n}';
    const r = parseJsonLocated(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.locate(['a']).line).toBe(2);
    expect(r.locate(['b', 0, 'c']).line).toBe(4);
    expect(r.locate(['b', 1]).line).toBe(5);
    expect(r.locate(['d/e']).line).toBe(7);
    expect(r.locate(['b', 0, 'missing']).line).toBe(4);
  });
  it('refuses raw newlines in strings unless tolerant, and locates syntax errors', () => {
    const text = '{\n "s": "line1\nline2"\n}';
    const strict = parseJsonLocated(text);
    expect(strict).toMatchObject({ ok: false, message: 'raw control character in string', pos: { line: 2 } });
    expect(parseJsonLocated(text, { tolerant: true })).toMatchObject({ ok: true, value: { s: 'line1\nline2' } });
    expect(parseJsonLocated('{\n "a": 1,\n "b" 2\n}')).toMatchObject({ ok: false, message: 'expected ":" after "b"', pos: { line: 3 } });
    expect(parseJsonLocated('[1, 2')).toMatchObject({ ok: false, pos: { line: 1 } });
  });
  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const r = parseJsonLocated(s);
      let native = true;
      try {
        JSON.parse(s);
      } catch {
        native = false;
      }
      expect(r.ok).toBe(native);
    }), { numRuns: 500 });
  });
});
