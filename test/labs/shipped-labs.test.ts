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
  it('ship the six labs of this milestone, each with its answer beside it', () => {
    expect(labs).toEqual(['arp-switching', 'dynamic-routing-rip', 'longest-prefix-match', 'static-routing', 'troubleshooting', 'vlans']);
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
        expect(lab.hints?.length).toBeGreaterThan(0);
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

  it('dynamic routing: RIP configured in the shells (vtysh, replayed as typed) passes; half of it does not', () => {
    const start = load('dynamic-routing-rip.vnet');
    const r2 = { node: 'r2', command: "vtysh -c 'conf t' -c 'router rip' -c 'network 10.0.12.0/24' -c 'network 10.0.23.0/24'" };
    const r3 = { node: 'r3', command: "vtysh -c 'conf t' -c 'router rip' -c 'network 10.0.23.0/24'" };
    const full = gradeNetwork(start.lab!, start, start, [r2, r3]);
    expect(full.checks.filter((c) => !c.passed).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    const half = gradeNetwork(start.lab!, start, start, [r2]);
    expect(half.checks.filter((c) => c.passed).map((c) => c.id)).toEqual(['r2learns1']);
    // Static routes reach pc2 but are not what the lab asks for.
    const statics = structuredClone(start);
    for (const [name, routes] of [['r1', [{ dest: '10.0.3.0/24', gateway: '10.0.12.2' }]], ['r2', [{ dest: '10.0.1.0/24', gateway: '10.0.12.1' }, { dest: '10.0.3.0/24', gateway: '10.0.23.3' }]], ['r3', [{ dest: '10.0.1.0/24', gateway: '10.0.23.2' }]]] as const) {
      statics.nodes.find((n) => n.name === name)!.routes4 = [...routes];
    }
    const s = gradeNetwork(start.lab!, start, statics);
    expect(s.checks.filter((c) => c.passed).map((c) => c.id)).toEqual(['ping', 'path']);
  });
});
