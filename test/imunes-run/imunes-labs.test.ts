// Every IMUNES example as a lab: for every pc/host pair IMUNES would connect (lab-model.ts:
// connected subnets, static and auto default routes, RIP/OSPF/BGP domains), VirtNet must
// get a ping through after 60 virtual seconds. Pins how many examples and pairs work now,
// and says why the others do not (the routing protocols they need).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { formatIpv4 } from '../../src/emulator/wire/addr';
import { parseTopology } from '../../src/emulator/topology/formats';
import { isEmulatedKind } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { buildLabModel, END_KINDS } from './lab-model';

function imnFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? imnFiles(p) : f.endsWith('.imn') ? [p] : [];
    });
}

interface LabResult {
  file: string;
  pairs: number;
  ok: number;
  needs: string[];
  failed: string[];
}

function runLab(file: string): LabResult | null {
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in parsed) throw new Error(`${file}: ${parsed.errors[0]!.message}`);
  const doc = parsed.doc;
  const model = buildLabModel(doc);
  const ends = doc.nodes.filter((n) => END_KINDS.has(n.kind));
  const pairs: [string, string, number][] = [];
  for (const a of ends) {
    for (const b of ends) {
      if (a === b) continue;
      const dst = model.addrs.get(b.id)?.find((x) => model.connects(a.id, x.addr));
      if (dst) pairs.push([a.name, b.name, dst.addr]);
    }
  }
  if (pairs.length === 0) return null;
  const world = new World(doc, { seed: 1 });
  world.sim.runUntil(60e9);
  const failed: string[] = [];
  for (const [a, b, dst] of pairs) {
    const out = runCommand(world, a, `ping -c 2 -t 12 ${formatIpv4(dst)}`).output;
    const m = /(\d+) packets received/.exec(out);
    if (!m || Number(m[1]) === 0) failed.push(`${a} → ${b} (${formatIpv4(dst)})`);
  }
  return { file: relative(IMUNES_EXAMPLES, file), pairs: pairs.length, ok: pairs.length - failed.length, needs: [...model.protocols, ...new Set(doc.nodes.filter((n) => !isEmulatedKind(n.kind)).map((n) => n.kind))].sort(), failed };
}

describe('IMUNES examples as labs', () => {
  it('every pc/host pair IMUNES connects pings after 60 s, except where a protocol VirtNet lacks is needed', () => {
    const results = imnFiles(IMUNES_EXAMPLES).map(runLab).filter((r): r is LabResult => r !== null);
    const working = results.filter((r) => r.failed.length === 0);
    const pairs = results.reduce((s, r) => s + r.pairs, 0);
    const ok = results.reduce((s, r) => s + r.ok, 0);
    const summary = [
      `examples with pairs IMUNES connects: ${results.length}; working in VirtNet: ${working.length}`,
      `pairs: ${ok} of ${pairs} ping`,
      ...results.filter((r) => r.failed.length > 0).map((r) => `${r.file} [${r.needs.join(',') || 'static'}]: ${r.ok}/${r.pairs}; e.g. ${r.failed.slice(0, 2).join(', ')}`),
    ];
    if (process.env.VIRTNET_LAB_REPORT) writeFileSync(process.env.VIRTNET_LAB_REPORT, summary.join('\n') + '\n');
    // Every failing example needs a node kind VirtNet does not run yet; RIP, OSPF,
    // BGP and static labs all work. The one BGP exception is FRR's own behaviour, which the model
    // does not follow: in the Anycast labs DC1 and DC2 are both AS 10000, so each refuses the
    // other's WEB subnet as an AS-path loop (RFC 4271 §9.1.2; no allowas-in), in IMUNES too.
    const asLoop = (f: string) => /^(WEB1 → WEB2|WEB2 → WEB1) /.test(f);
    const unexplained = results.filter((r) => r.failed.some((f) => !asLoop(f)) && !r.needs.some((p) => p !== 'rip' && p !== 'ospf' && p !== 'bgp'));
    expect(unexplained.map((r) => `${r.file}: ${r.failed.join(', ')}`), summary.join('\n')).toEqual([]);
    expect(results.find((r) => r.file === 'RIP.imn')).toMatchObject({ failed: [] });
    for (const f of ['BGP_custom-config.imn', 'legacy/BGP_custom-config.imn']) expect(results.find((r) => r.file === f), f).toMatchObject({ failed: [] });
    for (const f of ['OSPF.imn', 'OSPF1.imn', 'legacy/OSPF.imn', 'legacy/OSPF1.imn']) expect(results.find((r) => r.file === f), f).toMatchObject({ failed: [] });
    expect(working.length).toBeGreaterThanOrEqual(WORKING_EXAMPLES);
    expect(ok).toBeGreaterThanOrEqual(PAIRS_OK);
  }, 600_000);
});

/** Measured on this branch (see the report); a drop is a regression. */
const WORKING_EXAMPLES = 55;
const PAIRS_OK = 1798;
