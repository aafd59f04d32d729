// Byte- and text-level mutations of topology files for the file fuzzer: truncations, byte
// flips, deleted delimiters, huge/negative/non-finite numbers, deep nesting, duplicated
// lines and blocks, unicode and control-character names, oversized fields, plus the
// structural JSON mutations of json-mutations.ts. Deterministic for a given rng.
import { mutateJson, pick, type Rng } from './json-mutations';

const NUMBERS = ['1e999', '-1e999', '-1', '-0', '0', 'NaN', 'Infinity', '1e308', '99999999999999999999999', '4294967296', '0.0000001', '0x10', '1.', '.5', '--1'];
const NAMES = ['', 'a\nb', 'x\u0000y', '\u001b[2J', '\u202eevil', 'ünïcødé', '😀😀', 'lo0', 'n0', 'a b', '"', '\\', '{', '}', 'n'.repeat(300)];
const DELIMS = '{}[]":,\n';

const randInt = (rng: Rng, n: number) => Math.floor(rng() * n);

function replaceNth(text: string, re: RegExp, rng: Rng, f: (m: string) => string): string {
  const hits = [...text.matchAll(re)];
  if (!hits.length) return text;
  const h = pick(rng, hits);
  return text.slice(0, h.index!) + f(h[0]) + text.slice(h.index! + h[0].length);
}

/** The kinds of mutation, by name, each a pure function of (text, rng). */
export const MUTATORS: Record<string, (text: string, rng: Rng) => string> = {
  truncate: (t, rng) => t.slice(0, randInt(rng, t.length)),
  flipBytes: (t, rng) => {
    const a = [...t];
    for (let k = 1 + randInt(rng, 8); k > 0; k--) a[randInt(rng, a.length)] = String.fromCharCode(randInt(rng, 256));
    return a.join('');
  },
  deleteDelimiter: (t, rng) => {
    const d = pick(rng, [...DELIMS]);
    return replaceNth(t, new RegExp(d.replace(/[[\]{}]/g, '\\$&'), 'g'), rng, () => '');
  },
  insertDelimiter: (t, rng) => {
    const at = randInt(rng, t.length);
    return t.slice(0, at) + pick(rng, [...DELIMS]) + t.slice(at);
  },
  badNumber: (t, rng) => replaceNth(t, /-?\d+(\.\d+)?/g, rng, () => pick(rng, NUMBERS)),
  deepNesting: (t, rng) => {
    const depth = pick(rng, [300, 5000, 50000]);
    const open = t.trimStart().startsWith('{') ? '[' : '{';
    const close = open === '[' ? ']' : '}';
    const at = randInt(rng, t.length);
    return t.slice(0, at) + open.repeat(depth) + (rng() < 0.5 ? close.repeat(depth) : '') + t.slice(at);
  },
  duplicateLines: (t, rng) => {
    const lines = t.split('\n');
    const from = randInt(rng, lines.length);
    const len = 1 + randInt(rng, 40);
    lines.splice(from, 0, ...lines.slice(from, from + len));
    return lines.join('\n');
  },
  duplicateBlock: (t, rng) => {
    // A whole `node n0 { … }` (2.x) or `"n0": { … }` member (JSON), repeated.
    const m = [...t.matchAll(/^(node|link|annotation|canvas)\s+\S+\s+\{[\s\S]*?^\}/gm), ...t.matchAll(/^\s+"[nl]\d+"\s*:\s*\{[\s\S]*?^\s{8}\}/gm)];
    if (!m.length) return t;
    const h = pick(rng, m);
    const end = h.index! + h[0].length;
    return t.slice(0, end) + (t.trimStart().startsWith('{') ? ',\n' : '\n') + h[0] + t.slice(end);
  },
  weirdName: (t, rng) => replaceNth(t, /"(name|hostname|label)"\s*:\s*"[^"]*"|hostname \S+|"(pc|router|host|switch)\d*"/g, rng, (m) => {
    const name = pick(rng, NAMES);
    const q = JSON.stringify(name);
    if (m.startsWith('hostname')) return `hostname ${name}`;
    return m.includes(':') ? m.replace(/:\s*"[^"]*"$/, `: ${q}`) : q;
  }),
  controlBytes: (t, rng) => {
    const at = randInt(rng, t.length);
    return t.slice(0, at) + String.fromCharCode(...Array.from({ length: 1 + randInt(rng, 4) }, () => pick(rng, [0, 7, 8, 10, 13, 27, 127, 0x85, 0x2028]))) + t.slice(at);
  },
  oversized: (t, rng) => replaceNth(t, /"[A-Za-z][^"\n]{0,20}"/g, rng, () => JSON.stringify('x'.repeat(pick(rng, [257, 70_000, 1_100_000])))),
  swapGeneration: (t, rng) => (rng() < 0.5 ? t.replace(/"version"\s*:\s*"?\d+"?/, `"version": ${pick(rng, ['"1"', '"2"', '0', '2', '"x"', 'null'])}`) : t.replace(/\{/, '{"options": {"version": "1"},')),
  json: (t, rng) => {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return t;
    }
    mutateJson(v, rng, 1 + randInt(rng, 4));
    return JSON.stringify(v, null, rng() < 0.5 ? 2 : undefined);
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** Applies 1–3 random mutators; returns the new text and their names. */
export function mutateFile(text: string, rng: Rng): { text: string; applied: string[] } {
  const applied: string[] = [];
  let t = text;
  for (let k = 1 + randInt(rng, 3); k > 0; k--) {
    const name = pick(rng, MUTATOR_NAMES);
    t = MUTATORS[name]!(t, rng);
    applied.push(name);
  }
  return { text: t, applied };
}
