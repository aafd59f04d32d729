// Loads the sample topologies (assets/samples) through the real parser for scenario tests,
// and small helpers to run commands and watch traffic. Test support only.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { World } from '../../src/emulator/engine/world';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { parseTopology } from '../../src/emulator/topology/formats';
import type { LinkParams, TopologyDoc } from '../../src/emulator/topology/document';

export { REPO_ROOT } from '../support/paths';
import { REPO_ROOT } from '../support/paths';
export const SAMPLES_DIR = join(REPO_ROOT, 'assets/samples');

export function loadSample(name: string): TopologyDoc {
  const file = join(SAMPLES_DIR, name);
  const r = parseTopology(readFileSync(file, 'utf8'), file);
  if ('errors' in r) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.doc;
}

/** Same parameters on every link of `doc` (returns doc for chaining). */
export function setAllLinks(doc: TopologyDoc, params: Partial<LinkParams>): TopologyDoc {
  for (const l of doc.links) l.params = { ...l.params, ...params };
  return doc;
}

/** Records every traffic event of a world (eager; fine for small scenarios). */
export function recordTraffic(world: World): TrafficEvent[] {
  const events: TrafficEvent[] = [];
  world.onTraffic((e) => events.push(e));
  return events;
}
