// The topology package's module graph stays clean (issue 9 §6): no import cycles among its
// modules, and no module that nothing in src/ imports (the old schema.ts re-export file and
// the edit.ts ↔ edit-extra.ts circle were both dead weight).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';

const SRC = join(REPO_ROOT, 'src');
const TOPOLOGY = join(SRC, 'emulator/topology');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Resolved .ts files a module imports or re-exports (value and type imports alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)) {
    const base = resolve(dirname(file), m[1]!);
    for (const cand of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
      try {
        readFileSync(cand);
        out.push(cand);
        break;
      } catch {
        // try the next spelling
      }
    }
  }
  return out;
}

describe('topology module graph', () => {
  const mods = sources(TOPOLOGY);
  const graph = new Map(mods.map((m) => [m, importsOf(m).filter((x) => x.startsWith(TOPOLOGY))]));

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (m: string, stack: string[]) => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(m)), m].map((x) => relative(TOPOLOGY, x)).join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const d of graph.get(m) ?? []) visit(d, [...stack, m]);
      state.set(m, 'done');
    };
    for (const m of mods) visit(m, []);
    expect(cycles).toEqual([]);
  });

  it('has no module that nothing imports', () => {
    const imported = new Set(sources(SRC).flatMap(importsOf));
    const unused = mods.filter((m) => !imported.has(m) && !m.endsWith('topology/index.ts')).map((m) => relative(TOPOLOGY, m));
    expect(unused).toEqual([]);
  });
});
