// Every IMUNES example the importer reads must start and run in the engine: unknown node
// kinds become warnings, nothing crashes, no internal error, and traffic flows (boot-time
// ARP announcements at least) wherever two running nodes share a link.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/emulator/engine/engine';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES } from '../support/paths';

const EXAMPLES = IMUNES_EXAMPLES;

function imnFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...imnFiles(p));
    else if (name.endsWith('.imn')) out.push(p);
  }
  return out.sort();
}

describe('IMUNES examples run in the engine', () => {
  it('starts every readable example and runs 30 virtual seconds without internal errors', () => {
    const files = imnFiles(EXAMPLES);
    expect(files.length).toBeGreaterThan(100);
    let started = 0;
    let withTraffic = 0;
    for (const file of files) {
      const parsed = parseTopology(readFileSync(file, 'utf8'), path.basename(file));
      if (!('doc' in parsed)) continue; // the importer's own tests cover refusals
      const events: EngineEvent[] = [];
      const engine = new Engine((e) => events.push(...e));
      const res = engine.handleSync({ type: 'net/start', doc: parsed.doc, seed: 1 });
      expect(res, file).toMatchObject({ ok: true });
      const run = engine.handleSync({ type: 'sim/run-until', untilNs: 30_000_000_000 });
      expect(run, file).toMatchObject({ ok: true });
      expect(events.filter((e) => e.type === 'engine/error'), file).toEqual([]);
      for (const n of parsed.doc.nodes) expect(engine.handleSync({ type: 'inspect/node', node: n.id }).ok, `${file} ${n.name}`).toBe(true);
      started++;
      if (events.some((e) => e.type === 'traffic')) withTraffic++;
    }
    expect(started).toBeGreaterThan(100);
    expect(withTraffic).toBeGreaterThan(started / 2);
  });
});
