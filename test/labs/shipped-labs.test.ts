// Every lab shipped in assets/labs (issue 13): its checks all pass on NAME.answer.vnet and
// do not all pass on its starting network NAME.vnet, graded headless the way
// `virtnet grade` does; and each lab carries instructions, checks and locks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeNetwork } from '../../src/emulator/lab/grade';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { TopologyDoc } from '../../src/emulator/topology/document';

const DIR = join(__dirname, '..', '..', 'assets', 'labs');
const labs = readdirSync(DIR).filter((f) => f.endsWith('.vnet') && !f.endsWith('.answer.vnet')).map((f) => f.slice(0, -'.vnet'.length)).sort();

function load(file: string, dropLab = false): TopologyDoc {
  const r = parseTopology(readFileSync(join(DIR, file), 'utf8'), file, { dropLab });
  if (!('doc' in r)) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.doc;
}

describe('shipped labs', () => {
  it('ship the five labs of this milestone, each with its answer beside it', () => {
    expect(labs).toEqual(['arp-switching', 'longest-prefix-match', 'static-routing', 'troubleshooting', 'vlans']);
    for (const name of labs) expect(readdirSync(DIR)).toContain(`${name}.answer.vnet`);
  });

  for (const name of labs) {
    describe(name, () => {
      const start = load(`${name}.vnet`);
      const lab = start.lab!;

      it('has instructions, checks with points, and locks', () => {
        expect(lab.instructions).toMatch(/^# /);
        expect(lab.checks.length).toBeGreaterThanOrEqual(4);
        expect(lab.checks.every((c) => c.points > 0)).toBe(true);
        expect(lab.locks?.kinds && lab.locks.links).toBe(true);
      });

      it('every check passes on the answer, with no locked part changed', () => {
        const r = gradeNetwork(lab, start, load(`${name}.answer.vnet`, true));
        expect(r.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
        expect(r.violations).toEqual([]);
        expect(r.score).toBe(r.max);
      });

      it('the starting network fails, and each failure says why', () => {
        const r = gradeNetwork(lab, start, start);
        const failed = r.checks.filter((c) => !c.passed);
        expect(failed.length).toBeGreaterThanOrEqual(2);
        expect(r.score).toBeLessThan(r.max);
        for (const c of failed) expect(c.detail.length).toBeGreaterThan(20);
      });
    });
  }
});
