// Scripted scenarios: `virtnet run … --record-scenario OUT.vnet` saves the run's inputs
// (commands with the virtual time and event count they were typed at) and the seed in the
// document; `virtnet run OUT.vnet --replay` gives the same trace hash. A bad scenario
// section is refused with its location.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';

const CHAIN = resolve(__dirname, '../../assets/samples/router-chain-4.vnet');

describe('scenarios: record and replay', () => {
  it('a replay gives the same trace hash, outputs and end time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-scn-'));
    const out = join(dir, 's.vnet');
    const rec = await cli('run', CHAIN, '--seed', '7', '--exec', 'pc1: ping -c 2 pc2', '--exec', 'router2: route add 10.9.0.0/16 10.0.2.2', '--exec', 'pc1: traceroute -m 4 10.9.9.9', '--until', '20', '--record-scenario', out, '--json');
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.scenario.seed).toBe(7);
    expect(saved.scenario.untilNs).toBe(20e9);
    expect(saved.scenario.inputs.map((x: { node: string }) => x.node)).toEqual(['pc1', 'router2', 'pc1']);
    expect(saved.scenario.inputs[1].afterEvents).toBeGreaterThan(0);
    const rep = await cli('run', out, '--replay', '--json');
    const a = JSON.parse(rec.stdout);
    const b = JSON.parse(rep.stdout);
    expect(b.stats.traceHash).toBe(a.stats.traceHash);
    expect(b.stats.virtualTimeNs).toBe(a.stats.virtualTimeNs);
    expect(b.stats.events).toBe(a.stats.events);
    expect(b.results).toEqual(a.results);
    expect(rep.code).toBe(rec.code);
  });

  it('refuses --replay without a scenario, with --exec, and a bad scenario section with its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-scn-'));
    expect((await cli('run', CHAIN, '--replay')).stderr).toContain('the document has no scenario');
    expect((await cli('run', CHAIN, '--replay', '--exec', 'pc1: ping pc2')).stderr).toContain('no --exec, --seed or --until');
    const doc = JSON.parse(readFileSync(CHAIN, 'utf8'));
    const bad = join(dir, 'bad.vnet');
    writeFileSync(bad, JSON.stringify({ ...doc, scenario: { seed: 1, inputs: [{ atNs: -1, afterEvents: 0, node: 'pc1', exec: 'ping pc2' }] } }));
    const r = await cli('run', bad, '--replay');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.vnet:\d+: .*scenario\.inputs\.0\.atNs/);
    const ghost = join(dir, 'ghost.vnet');
    writeFileSync(ghost, JSON.stringify({ ...doc, scenario: { seed: 1, inputs: [{ atNs: 0, afterEvents: 0, node: 'nobody', exec: 'ping pc2' }] } }));
    const g = await cli('run', ghost, '--replay');
    expect(g.code).toBe(2);
    expect(g.stderr).toContain('scenario.inputs.0: no node named nobody');
  });
});
