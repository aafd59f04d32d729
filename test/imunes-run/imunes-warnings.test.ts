// Every IMUNES example through `virtnet run --until 0`: each router is told about at most
// once — one stderr line saying what of it does not run yet (routing daemon, custom
// config, services) — and never more than one routing-daemon line. Reads only CLI output.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES, daemonWarnings, notRunWarnings, runCli } from './cli-run';

/**
 * Known deviation (src/emulator/topology/imunes importer, not ours to edit): a router with a
 * routing daemon AND custom-config gets two lines, `router R: OSPF will not run yet; …` and
 * `R: custom configuration is kept but will not run; …`. Pinned here so it cannot spread;
 * when the importer merges them, empty this list.
 */
// Every lab gets one warning line per router (daemons, custom config, VLANs merged).
const TWO_LINES_PER_ROUTER = new Set<string>();

function imnFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? imnFiles(p) : f.endsWith('.imn') ? [p] : [];
    });
}

function routers(file: string): string[] {
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in parsed) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  return parsed.doc.nodes.filter((n) => n.kind === 'router').map((n) => n.name);
}

describe('what-does-not-run warnings over every IMUNES example', () => {
  it('warns at most once per router (and once per daemon)', async () => {
    const files = imnFiles(IMUNES_EXAMPLES);
    expect(files.length).toBeGreaterThanOrEqual(120);
    const problems: string[] = [];
    let routerCount = 0;
    let daemonCount = 0;
    const ripOnly: string[] = [];
    const ospfNamed: string[] = [];
    const ripngNamed: string[] = [];
    const ospf6Named: string[] = [];
    for (const file of files) {
      const rel = relative(IMUNES_EXAMPLES, file);
      const run = await runCli(['run', file, '--until', '0', '--json']);
      if (run.code !== 0) problems.push(`${rel}: exit ${run.code}: ${run.stderr.trim()}`);
      const limit = TWO_LINES_PER_ROUTER.has(rel) ? 2 : 1;
      for (const r of routers(file)) {
        routerCount++;
        const daemon = daemonWarnings(run.stderr, r);
        daemonCount += daemon.length;
        for (const d of daemon) if (/\bRIP\b(?!ng)/.test(d.replace(/RIPng/g, ''))) ripOnly.push(`${rel} ${r}: ${d}`);
        for (const d of daemon) if (/\bOSPF\b(?!v3)|\bBGP\b/.test(d)) ospfNamed.push(`${rel} ${r}: ${d}`);
        for (const d of daemon) if (/\bRIPng\b/.test(d)) ripngNamed.push(`${rel} ${r}: ${d}`);
        for (const d of daemon) if (/\bOSPFv3\b/.test(d)) ospf6Named.push(`${rel} ${r}: ${d}`);
        const all = notRunWarnings(run.stderr, r);
        if (daemon.length > 1) problems.push(`${rel} ${r}: ${daemon.length} routing-daemon lines:\n  ${daemon.join('\n  ')}`);
        if (all.length > limit) problems.push(`${rel} ${r}: ${all.length} not-run lines (max ${limit}):\n  ${all.join('\n  ')}`);
      }
    }
    expect(problems).toEqual([]);
    // Sanity: the examples are router labs; most routers run RIP/OSPF/BGP in IMUNES. RIP,
    // RIP, RIPng, OSPF, OSPFv3 and BGP run here, so only the other daemons (IS-IS, …) are still named.
    expect(routerCount).toBeGreaterThan(200);
    expect(daemonCount).toBeGreaterThan(0); // 6 on 2026-12-07 (IS-IS and the like)
    expect(ripOnly).toEqual([]);
    expect(ospfNamed).toEqual([]);
    expect(ripngNamed).toEqual([]);
    expect(ospf6Named).toEqual([]);
  }, 120_000);

  it('counts lines on a known file: RIP1.imn runs RIP and RIPng on its 7 routers, so none is warned about', async () => {
    const file = join(IMUNES_EXAMPLES, 'RIP1.imn');
    const run = await runCli(['run', file, '--until', '0']);
    const names = routers(file);
    expect(names).toHaveLength(7);
    const counts = names.map((r) => notRunWarnings(run.stderr, r).length);
    expect(counts, run.stderr).toEqual(Array(7).fill(0));
  });

  it('says nothing about routing daemons on model static routers (IMUNES runs none), in 3.x and 2.x files', async () => {
    for (const rel of ['ipsec44.imn', 'legacy/ipsec44.imn']) {
      const file = join(IMUNES_EXAMPLES, rel);
      const parsed = parseTopology(readFileSync(file, 'utf8'), file);
      if ('errors' in parsed) throw new Error(rel);
      const statics = parsed.doc.nodes.filter((n) => n.kind === 'router' && n.extra?.model === 'static');
      expect(statics.length, rel).toBeGreaterThan(0);
      const run = await runCli(['run', file, '--until', '0']);
      for (const n of statics) {
        expect(n.frrConf, `${rel} ${n.name}`).toBeUndefined();
        expect(daemonWarnings(run.stderr, n.name), `${rel} ${n.name}`).toEqual([]);
      }
    }
  });
});
