// Step back in time by determinism (DESIGN decision 3): a run is its document, seed and
// timed inputs (lines typed into node shells, text for a running command, Ctrl-C, Ctrl-Z, shells
// closed, links set up, down or re-parametered, each after a given number of events),
// so the network as it was after event k is rebuilt by starting a fresh World and
// replaying the inputs up to k. Correct by construction; the cost is the run up to k, so
// the engine keeps paused runs at earlier counts (checkpoints.ts) and goes on from the
// nearest one instead (a World cannot be copied: timers hold closures). A rebuilt run can
// go on, replaying the later inputs, or take new ones (a branch).

import { openShell, type ShellSession } from '../shell';
import type { LinkParams, TopologyDoc } from '../topology/document';
import { runStartup } from './startup';
import { World, type WorldOptions } from './world';

interface TimedBase {
  /** Scheduler events run when it was given. */
  afterEvents: number;
  /**
   * Virtual time when it was given, when the clock had moved past the last event (real-time
   * play stops between events): the replay sets the clock there before giving it.
   */
  atNs?: number;
}

/** A line typed into `node`'s shell (by name; `session` tells several shells of a node apart). */
export interface TimedLine extends TimedBase {
  kind?: 'line';
  node: string;
  line: string;
  session?: number;
}

/** Text typed into the standard input of the command running in a shell (nc), which took it. */
export interface TimedStdin extends TimedBase {
  kind: 'stdin';
  node: string;
  text: string;
  session?: number;
}

/** Ctrl-C in a shell. */
export interface TimedInterrupt extends TimedBase {
  kind: 'interrupt';
  node: string;
  session?: number;
}

/** Ctrl-Z in a shell (the running command stops and becomes a job). */
export interface TimedSuspend extends TimedBase {
  kind: 'suspend';
  node: string;
  session?: number;
}

/** A shell closed (its jobs end). */
export interface TimedClose extends TimedBase {
  kind: 'close';
  node: string;
  session?: number;
}

/** A link set up or down. */
export interface TimedLinkUp extends TimedBase {
  kind: 'link-up';
  link: string;
  up: boolean;
}

/** A link's parameters changed (one direction or both). */
export interface TimedLinkParams extends TimedBase {
  kind: 'link-params';
  link: string;
  params: Partial<LinkParams>;
  direction: 'ab' | 'ba' | 'both';
}

/** An input of a run, given once `afterEvents` events had run (shells by node name). */
export type TimedInput = TimedLine | TimedStdin | TimedInterrupt | TimedSuspend | TimedClose | TimedLinkUp | TimedLinkParams;

/** Inputs that go to a shell. */
export type TimedShellInput = TimedLine | TimedStdin | TimedInterrupt | TimedSuspend | TimedClose;

/** The same input (the engine passes the same objects; a copy compares by value). */
export function sameInput(a: TimedInput, b: TimedInput): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Where a rebuilt run's shells speak once it is live again (the Engine's shell events). */
export interface RerunOutput {
  write(key: string, text: string): void;
  done(key: string, exitCode: number, prompt: string): void;
  stdin(key: string, open: boolean): void;
}

/** Transcript characters kept per shell (the oldest are let go). */
export const RERUN_TRANSCRIPT_MAX = 1 << 20;

/** The shell a timed input goes to: its session, else its node. */
export const inputKey = (i: TimedShellInput): string => (i.session !== undefined ? `#${i.session}` : i.node);

/**
 * A run that can be taken to any event count: `runTo(k)` goes forward from where it is,
 * giving each input in order at its event count; inputs added later (`type`) are recorded
 * so a rebuild of this branch replays them too.
 */
export class Rerun {
  readonly world: World;
  inputs: TimedInput[];
  private next = 0;
  /** Shells by input key (inputKey). */
  readonly shells = new Map<string, ShellSession>();
  /** Everything each shell printed, by input key (node name, or `#session`). */
  readonly transcripts = new Map<string, string>();
  /** Whether each shell's running command reads standard input now, by input key. */
  readonly stdinOpen = new Map<string, boolean>();
  /** Once set, shell output and completions also go here (a rebuilt run gone live). */
  live: RerunOutput | null = null;

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

  /** Inputs given so far (the first `given` of `inputs`). */
  get given(): number {
    return this.next;
  }

  /**
   * Whether this run, where it is now, is also the run of `inputs` up to here: it gave
   * exactly their first `given`, and none of the others was due yet.
   */
  continues(inputs: readonly TimedInput[]): boolean {
    if (inputs.length < this.next) return false;
    for (let i = 0; i < this.next; i++) if (!sameInput(inputs[i], this.inputs[i])) return false;
    return this.next === inputs.length || inputs[this.next].afterEvents >= this.events;
  }

  /** Go on as the run of `inputs` (for which `continues` holds; in order of `afterEvents`, as the Engine keeps them). */
  rebase(inputs: readonly TimedInput[]): void {
    this.inputs = inputs.slice();
  }

  /** Type a new line now (a branch from here); it joins the inputs. */
  type(node: string, line: string): void {
    this.add({ afterEvents: this.events, node, line });
  }

  /** Give any input now (a branch from here); it joins the inputs. */
  add(input: TimedInput): void {
    this.inputs.splice(this.next, 0, input);
    this.next++;
    this.give(input);
  }

  /** The shell of `key` on `node`, opened on first use. */
  shellFor(key: string, node: string): ShellSession {
    let sh = this.shells.get(key);
    if (sh === undefined) {
      const n = this.world.nodeByName(node);
      if (!n) throw new Error(`rewind: no node named ${node}`);
      sh = openShell(this.world, n.id, {
        write: (t) => {
          const all = (this.transcripts.get(key) ?? '') + t;
          this.transcripts.set(key, all.length > RERUN_TRANSCRIPT_MAX ? all.slice(-RERUN_TRANSCRIPT_MAX) : all);
          this.live?.write(key, t);
        },
        stdin: (open) => {
          this.stdinOpen.set(key, open);
          this.live?.stdin(key, open);
        },
      });
      this.shells.set(key, sh);
    }
    return sh;
  }

  private give(input: TimedInput): void {
    const sim = this.world.sim;
    // Safe: the live run had run every event due by then (its clock only moves past them).
    if (input.atNs !== undefined && input.atNs > sim.now()) sim.runUntil(input.atNs);
    switch (input.kind) {
      case undefined:
      case 'line': {
        const key = inputKey(input);
        const sh = this.shellFor(key, input.node);
        sh.exec(input.line, (code) => this.live?.done(key, code, sh.prompt()));
        return;
      }
      case 'stdin':
        this.shellFor(inputKey(input), input.node).input(input.text);
        return;
      case 'interrupt':
        this.shellFor(inputKey(input), input.node).interrupt();
        return;
      case 'suspend':
        this.shellFor(inputKey(input), input.node).suspend();
        return;
      case 'close': {
        const key = inputKey(input);
        this.shells.get(key)?.close();
        this.shells.delete(key);
        return;
      }
      case 'link-up':
        this.linkOf(input.link).setUp(input.up);
        return;
      case 'link-params':
        this.linkOf(input.link).setParams(input.params, input.direction);
        return;
      default:
        throw new Error(`rewind: unknown input ${(input satisfies never as { kind: string }).kind}`);
    }
  }

  private linkOf(id: string) {
    const l = this.world.link(id);
    if (!l) throw new Error(`rewind: no link ${id}`);
    return l;
  }

  /** The run rebuilt from its start and taken to event `k`: the network as it was then. */
  static at(doc: TopologyDoc, seed: number, inputs: readonly TimedInput[], k: number, options: Omit<WorldOptions, 'seed'> = {}): Rerun {
    const r = new Rerun(doc, seed, inputs, options);
    r.runTo(k);
    return r;
  }
}
