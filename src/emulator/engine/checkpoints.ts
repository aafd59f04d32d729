// Checkpoints for step back (issue 16): paused runs of the current run kept at earlier event
// counts, so going back to event k replays from the nearest one at or before k instead of
// from the start (rewind.ts). A World cannot be copied (timers and programs hold closures),
// so each checkpoint is a whole paused World, built by replay off the interactive path
// (`warm`, a slice per idle host tick) and used up when taken. It must not touch the live
// run. Bounded: at most `max` worlds, and at most CHECKPOINT_NODES_MAX nodes in all of them
// (a world's heap grows with its nodes), spaced exponentially behind the live event count.

import { Rerun, type TimedInput } from './rewind';
import type { TopologyDoc } from '../topology/document';
import type { WorldOptions } from './world';

export interface CheckpointOptions {
  /** Events between the live run and the nearest checkpoint wanted; the next ones 2×, 4× … as far back (default 1024). */
  spacingEvents?: number;
  /** Most checkpoints (paused worlds) kept at once (default 8, fewer for large labs: CHECKPOINT_NODES_MAX). */
  max?: number;
}

export const CHECKPOINT_SPACING_EVENTS = 1024;
export const CHECKPOINTS_MAX = 8;
/**
 * Nodes in all checkpoints together: a 200-node lab keeps 8 (5.5 MB each measured at 600 s
 * of RIP and pings: scripts/bench-rewind.ts), a 1000-node lab 2, a larger one 1.
 */
export const CHECKPOINT_NODES_MAX = 2000;

export class Checkpoints {
  /** Paused runs, by ascending event count. */
  private kept: Rerun[] = [];
  /** The checkpoint being built (toward `warmTo` events), if any. */
  private warming: Rerun | null = null;
  private warmTo = -1;
  /** The input list the checkpoints were last found to continue, and its length then. */
  private checked: readonly TimedInput[] | null = null;
  private checkedLength = -1;
  /** Set once building failed (the run stalls): no more warming for this run. */
  private broken = false;
  private readonly spacing: number;
  readonly max: number;

  constructor(
    private readonly doc: TopologyDoc,
    private readonly seed: number,
    options: CheckpointOptions = {},
    private readonly worldOptions: Omit<WorldOptions, 'seed'> = {},
  ) {
    this.spacing = Math.max(1, Math.floor(options.spacingEvents ?? CHECKPOINT_SPACING_EVENTS));
    const byNodes = Math.floor(CHECKPOINT_NODES_MAX / Math.max(1, doc.nodes.length));
    this.max = Math.max(1, Math.min(byNodes, Math.floor(options.max ?? CHECKPOINTS_MAX)));
  }

  /** Event counts of the checkpoints kept. */
  positions(): number[] {
    return this.kept.map((r) => r.events);
  }

  /** Whether `warm` has work left for the live count `live` (a checkpoint wanted and not built yet). */
  wantsWork(live: number): boolean {
    return !this.broken && (this.warming !== null || this.missing(live) >= 0);
  }

  /** The worlds kept (for measuring their memory). */
  worlds(): readonly Rerun[] {
    return this.kept;
  }

  /**
   * The nearest checkpoint at or before event `k` that is a run of `inputs` (taken out of
   * the set: the caller runs it on), or null when there is none (replay from the start).
   */
  take(k: number, inputs: readonly TimedInput[]): Rerun | null {
    this.forget(inputs);
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const r = this.kept[i];
      if (r.events > k) continue;
      this.kept.splice(i, 1);
      r.rebase(inputs);
      return r;
    }
    return null;
  }

  /** Drop every checkpoint (and the one being built) that is not a run of `inputs` (a branch made them stale). */
  forget(inputs: readonly TimedInput[]): void {
    // Unchanged since the last check (the same list, nothing added): nothing to compare.
    if (inputs === this.checked && inputs.length === this.checkedLength) return;
    this.kept = this.kept.filter((r) => r.continues(inputs));
    if (this.warming !== null && !this.warming.continues(inputs)) this.warming = null;
    this.checked = inputs;
    this.checkedLength = inputs.length;
  }

  /**
   * Idle work: build toward the wanted checkpoint nearest behind `live` that is missing,
   * running at most `budgetEvents` events. Returns the events run (0: nothing to do).
   */
  warm(live: number, inputs: readonly TimedInput[], budgetEvents: number): number {
    if (this.broken) return 0;
    this.forget(inputs);
    if (this.warming === null) {
      const target = this.missing(live);
      if (target < 0) return 0;
      this.warmTo = target;
      const from = this.sourceFor(target);
      from?.rebase(inputs);
      this.warming = from ?? new Rerun(this.doc, this.seed, inputs, this.worldOptions);
    }
    const w = this.warming;
    if (w.inputs.length !== inputs.length) w.rebase(inputs);
    const before = w.events;
    try {
      w.runTo(Math.min(this.warmTo, before + Math.max(1, budgetEvents)));
    } catch {
      // The live run met the same stall (it is deterministic); its error is reported there.
      this.warming = null;
      this.broken = true;
      return 0;
    }
    const ran = w.events - before;
    if (w.events >= this.warmTo || ran === 0) {
      this.warming = null;
      this.keep(w, live);
      // Idle before its count, which the live run did reach: its inputs are not the live run's
      // (a sign of a bug, not a user's doing); stop rather than rebuild it every tick.
      if (ran === 0 && w.events < this.warmTo) this.broken = true;
    }
    return Math.max(ran, 1);
  }

  /** Bucket i holds event counts in (live − 2^(i+1)·spacing, live − 2^i·spacing]. */
  private bucket(events: number, live: number): number {
    const behind = live - events;
    if (behind < this.spacing) return -1;
    return Math.floor(Math.log2(behind / this.spacing));
  }

  /** The top of the nearest empty bucket behind `live`, or -1 when every wanted one is full. */
  private missing(live: number): number {
    const full = new Set<number>();
    for (const r of this.kept) full.add(this.bucket(r.events, live));
    for (let i = 0; i < this.max; i++) {
      const top = live - this.spacing * 2 ** i;
      if (top <= 0) return -1;
      if (!full.has(i)) return top;
    }
    return -1;
  }

  /**
   * The nearest checkpoint at or before `target` to build from, taken out of the set. When
   * it was needed for its own bucket, that bucket is the next one built, from the next one
   * down: after a step back uses the nearest checkpoint, the near buckets fill again after
   * a few thousand events each, and only the farthest is built from the start.
   */
  private sourceFor(target: number): Rerun | null {
    for (let i = this.kept.length - 1; i >= 0; i--) if (this.kept[i].events <= target) return this.kept.splice(i, 1)[0];
    return null;
  }

  /** Add a built checkpoint; over `max`, drop spares farthest from `live` first, then the oldest. */
  private keep(r: Rerun, live: number): void {
    if (this.kept.some((k) => k.events === r.events)) return;
    this.kept.push(r);
    this.kept.sort((a, b) => a.events - b.events);
    while (this.kept.length > this.max) {
      const seen = new Set<number>();
      let drop = -1;
      let far = -1;
      for (let i = this.kept.length - 1; i >= 0; i--) {
        const b = this.bucket(this.kept[i].events, live);
        const spare = b < 0 || b >= this.max || seen.has(b);
        seen.add(b);
        const dist = Math.abs(live - this.kept[i].events);
        if (spare && dist > far) {
          far = dist;
          drop = i;
        }
      }
      this.kept.splice(drop < 0 ? 0 : drop, 1);
    }
  }
}
