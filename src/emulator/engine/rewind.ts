// Step back in time by determinism (DESIGN decision 3): a run is its document, seed and
// timed inputs (lines typed into node shells after a given number of scheduler events),
// so the network as it was after event k is rebuilt by starting a fresh World and
// replaying the inputs up to k. Correct by construction, and slower than snapshots: the
// cost is the run up to k (World snapshots are not attempted: timers hold closures).
// A rebuilt run can go on, replaying the later inputs, or take new ones (a branch).

import { openShell, type ShellSession } from '../shell';
import type { TopologyDoc } from '../topology/document';
import { runStartup } from './startup';
import { World, type WorldOptions } from './world';

/** A line typed into `node`'s shell (by name) once `afterEvents` events had run. */
export interface TimedInput {
  afterEvents: number;
  node: string;
  line: string;
}

/**
 * A run that can be taken to any event count: `runTo(k)` goes forward from where it is,
 * giving each input in order at its event count; inputs added later (`type`) are recorded
 * so a rebuild of this branch replays them too.
 */
export class Rerun {
  readonly world: World;
  readonly inputs: TimedInput[];
  private next = 0;
  private readonly shells = new Map<string, ShellSession>();
  /** Everything each node's shell printed, by node name. */
  readonly transcripts = new Map<string, string>();

  constructor(
    readonly doc: TopologyDoc,
    readonly seed: number,
    inputs: readonly TimedInput[],
    options: Omit<WorldOptions, 'seed'> = {},
  ) {
    this.inputs = inputs.slice().sort((a, b) => a.afterEvents - b.afterEvents);
    this.world = new World(doc, { ...options, seed });
    runStartup(this.world, doc);
  }

  /** Events run so far. */
  get events(): number {
    return this.world.sim.executed();
  }

  /**
   * Run until exactly `k` events have run (or the scheduler has nothing left), giving the
   * inputs due on the way. Going back is `Rerun.at(…)`: a World never runs backwards.
   */
  runTo(k: number): void {
    const sim = this.world.sim;
    for (;;) {
      while (this.next < this.inputs.length && this.inputs[this.next].afterEvents <= sim.executed()) this.give(this.inputs[this.next++]);
      if (sim.executed() >= k) return;
      const stop = this.next < this.inputs.length ? Math.min(k, this.inputs[this.next].afterEvents) : k;
      while (sim.executed() < stop) if (!sim.step()) break;
      if (sim.executed() < stop) {
        // Nothing left to run before the next input's count: it is due now (the network is idle).
        if (this.next >= this.inputs.length) return;
        this.give(this.inputs[this.next++]);
      }
    }
  }

  /** Type a new line now (a branch from here); it joins the inputs. */
  type(node: string, line: string): void {
    const input = { afterEvents: this.events, node, line };
    this.inputs.splice(this.next, 0, input);
    this.next++;
    this.give(input);
  }

  private give(input: TimedInput): void {
    let sh = this.shells.get(input.node);
    if (sh === undefined) {
      const node = this.world.nodeByName(input.node);
      if (!node) throw new Error(`rewind: no node named ${input.node}`);
      const name = input.node;
      sh = openShell(this.world, node.id, { write: (t) => this.transcripts.set(name, (this.transcripts.get(name) ?? '') + t) });
      this.shells.set(input.node, sh);
    }
    sh.exec(input.line, () => {});
  }

  /** The run rebuilt from its start and taken to event `k`: the network as it was then. */
  static at(doc: TopologyDoc, seed: number, inputs: readonly TimedInput[], k: number, options: Omit<WorldOptions, 'seed'> = {}): Rerun {
    const r = new Rerun(doc, seed, inputs, options);
    r.runTo(k);
    return r;
  }
}
