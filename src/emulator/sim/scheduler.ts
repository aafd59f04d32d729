// The discrete-event scheduler: integer-nanosecond virtual time, events ordered by
// (time, sequence) so ties run in insertion order and every run is reproducible
// (DESIGN decision 3). It never reads a clock; the engine decides how fast virtual time
// advances. Cancelling only marks an event (ns-3 style). It is bounded (DESIGN decision
// 10): too many pending events, or virtual time stuck at one instant for an absurd number
// of events (a zero-delay loop), stops the run with a SimStall instead of growing forever.

export type TimerId = number;

/** Most events pending at once; beyond this the run stops (every producer has its own smaller bound). */
export const MAX_PENDING_EVENTS = 4_000_000;
/** Default most events run at one virtual instant before the run is declared stuck. */
export const ZERO_PROGRESS_EVENTS = 1_000_000;

/** The run cannot go on: virtual time stopped advancing, or the event queue hit its bound. */
export class SimStall extends Error {
  constructor(
    readonly kind: 'zero-progress' | 'event-bound',
    readonly nowNs: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SchedulerOptions {
  /** Events allowed at one virtual instant before a SimStall (default ZERO_PROGRESS_EVENTS). */
  zeroProgressEvents?: number;
  /** Most pending events (default MAX_PENDING_EVENTS). */
  maxPending?: number;
}
export type EventFn<A = unknown> = (arg: A) => void;

/** Initial slots of the same-instant ring (a power of two; it doubles as needed, up to the pending bound). */
const NOW_RING_INITIAL = 256;

/**
 * A binary min-heap kept in parallel arrays (time, seq, fn, arg) so that scheduling an
 * event allocates nothing on the hot path: callers pass a long-lived function and an
 * argument instead of a fresh closure.
 */
export class Scheduler {
  private nowNs = 0;
  private nextSeq = 1;
  private times: number[] = [];
  private seqs: number[] = [];
  private fns: EventFn<any>[] = [];
  private args: unknown[] = [];
  private size = 0;
  /** Sequence numbers reserved (reserveSeq) whose event is not scheduled yet: still pending. */
  private reservedCount = 0;
  /** Events marked cancelled (their function replaced by `cancelledEvent`) and not dropped yet. */
  private cancelledCount = 0;
  private executedCount = 0;
  /** Events that returned (an event that threw is not counted): with executedCount, tells inside an event from between two. */
  private finishedCount = 0;
  /**
   * Events scheduled for the current instant (delay 0: a frame crossing a zero-delay link)
   * skip the heap: they run after every heap event due now (those were scheduled earlier,
   * so their seq is lower) in FIFO order, which is exactly (time, seq) order, in O(1).
   * A ring (capacity a power of two, doubled when full, never shrunk): a burst of
   * same-instant events reuses its slots instead of regrowing arrays after every burst.
   */
  private nowSeqs = new Float64Array(NOW_RING_INITIAL);
  private nowFns: EventFn<any>[] = new Array<EventFn<any>>(NOW_RING_INITIAL).fill(noop);
  private nowArgs: unknown[] = new Array<unknown>(NOW_RING_INITIAL).fill(undefined);
  private nowHead = 0;
  private nowCount = 0;
  /** Events run since virtual time last advanced. */
  private sameInstant = 0;
  zeroProgressEvents: number;
  private readonly maxPending: number;

  constructor(o: SchedulerOptions = {}) {
    this.zeroProgressEvents = o.zeroProgressEvents ?? ZERO_PROGRESS_EVENTS;
    this.maxPending = o.maxPending ?? MAX_PENDING_EVENTS;
  }

  /** Current virtual time in nanoseconds. */
  now(): number {
    return this.nowNs;
  }

  /** Events executed since creation (cancelled ones are not counted). */
  executed(): number {
    return this.executedCount;
  }

  /** Run `fn(arg)` after `delayNs` (≥ 0, rounded down to an integer). */
  /**
   * A number that changes when an event starts and when it ends: equal for two calls
   * within one event, or for two calls between the same two events (simulation mode
   * groups the decisions a node takes in one event this way).
   */
  epoch(): number {
    return this.executedCount + this.finishedCount;
  }

  schedule<A>(delayNs: number, fn: EventFn<A>, arg?: A): TimerId {
    if (!(delayNs >= 0)) throw new Error(`scheduler: negative or NaN delay ${delayNs}`);
    return this.push(this.nowNs + Math.floor(delayNs), fn, arg);
  }

  /** Run `fn(arg)` at absolute virtual time `timeNs` (not before now). */
  scheduleAt<A>(timeNs: number, fn: EventFn<A>, arg?: A): TimerId {
    if (!(timeNs >= this.nowNs)) throw new Error(`scheduler: time ${timeNs} is in the past (now ${this.nowNs})`);
    return this.push(Math.floor(timeNs), fn, arg);
  }

  /**
   * The sequence number `scheduleAt` would give an event now, taken without scheduling it:
   * a producer whose events run in FIFO order (a link direction) keeps only its earliest one
   * in the heap and schedules the next with `scheduleReserved` when that one runs, so the
   * heap stays small. It counts as pending until scheduled.
   */
  reserveSeq(): TimerId {
    this.checkBound();
    this.reservedCount++;
    return this.nextSeq++;
  }

  /**
   * Schedules `fn(arg)` at `timeNs` (not before now) with a sequence number from `reserveSeq`:
   * it runs exactly where it would have had it been scheduled when the number was reserved,
   * provided an event of the same producer with a smaller (time, seq) was pending until now.
   * Always into the heap: an event due now that was reserved earlier runs before the
   * same-instant queue, as its earlier sequence number says.
   */
  scheduleReserved<A>(timeNs: number, seq: TimerId, fn: EventFn<A>, arg: A): void {
    if (!(timeNs >= this.nowNs)) throw new Error(`scheduler: time ${timeNs} is in the past (now ${this.nowNs})`);
    this.reservedCount--;
    this.heapInsert(Math.floor(timeNs), seq, fn, arg);
  }

  /** Mark an event so it never runs. Unknown or already-run ids are ignored. */
  cancel(id: TimerId): void {
    if (!(id > 0 && id < this.nextSeq)) return;
    // Linear scan: cancels are rare (timers). The mark travels with the event through the
    // heap, so dropping cancelled heads is a pointer compare, not a set lookup per step.
    for (let i = 0; i < this.size; i++) {
      if (this.seqs[i] !== id) continue;
      if (this.fns[i] !== cancelledEvent) this.markCancelled(this.fns, this.args, i);
      return;
    }
    const mask = this.nowFns.length - 1;
    for (let k = 0; k < this.nowCount; k++) {
      const i = (this.nowHead + k) & mask;
      if (this.nowSeqs[i] !== id) continue;
      if (this.nowFns[i] !== cancelledEvent) this.markCancelled(this.nowFns, this.nowArgs, i);
      return;
    }
  }

  private markCancelled(fns: EventFn<any>[], args: unknown[], i: number): void {
    fns[i] = cancelledEvent;
    args[i] = undefined; // released now, as a cancelled timer's argument may be large
    this.cancelledCount++;
  }

  /** Number of events still due to run. */
  pending(): number {
    return this.size + this.nowCount + this.reservedCount - this.cancelledCount;
  }

  /** Time of the next live event, or null when idle. */
  peekTime(): number | null {
    this.dropCancelledHead();
    if (this.size > 0 && this.times[0] === this.nowNs) return this.nowNs;
    if (this.nowCount > 0) return this.nowNs;
    return this.size > 0 ? this.times[0] : null;
  }

  /** Run exactly one live event. Returns false when there was none. */
  step(): boolean {
    this.dropCancelledHead();
    return this.stepLive();
  }

  /** `step` once cancelled events at the head are gone (peekTime has just dropped them). */
  private stepLive(): boolean {
    if (this.size > 0 && this.times[0] === this.nowNs) return this.runHead();
    if (this.nowCount > 0) {
      const i = this.nowHead;
      const fns = this.nowFns;
      const fn = fns[i];
      const arg = this.nowArgs[i];
      fns[i] = noop;
      this.nowArgs[i] = undefined;
      this.nowHead = (i + 1) & (fns.length - 1);
      this.nowCount--;
      if (++this.sameInstant > this.zeroProgressEvents) this.stall();
      this.executedCount++;
      fn(arg);
      this.finishedCount++;
      return true;
    }
    if (this.size === 0) return false;
    return this.runHead();
  }

  private runHead(): boolean {
    const time = this.times[0];
    const fn = this.fns[0];
    const arg = this.args[0];
    this.popHead();
    if (time !== this.nowNs) this.sameInstant = 0;
    this.nowNs = time;
    if (++this.sameInstant > this.zeroProgressEvents) this.stall();
    this.executedCount++;
    fn(arg);
    this.finishedCount++;
    return true;
  }

  private stall(): never {
    this.sameInstant = 0;
    throw new SimStall('zero-progress', this.nowNs, `virtual time stopped at ${(this.nowNs / 1e9).toFixed(6)} s: more than ${this.zeroProgressEvents.toLocaleString('en-US')} events ran at that instant (a loop of zero-delay links, or something repeating with no delay?)`);
  }

  /** The same-instant ring is full: twice the slots, its events moved to the front in order. */
  private growNow(): void {
    const n = this.nowFns.length;
    const seqs = new Float64Array(n * 2);
    const fns = new Array<EventFn<any>>(n * 2).fill(noop);
    const args = new Array<unknown>(n * 2).fill(undefined);
    for (let k = 0; k < this.nowCount; k++) {
      const i = (this.nowHead + k) & (n - 1);
      seqs[k] = this.nowSeqs[i];
      fns[k] = this.nowFns[i];
      args[k] = this.nowArgs[i];
    }
    this.nowSeqs = seqs;
    this.nowFns = fns;
    this.nowArgs = args;
    this.nowHead = 0;
  }

  /** Run every event due at or before `timeNs`, then set the clock to `timeNs`. */
  runUntil(timeNs: number, maxEvents = Number.POSITIVE_INFINITY): number {
    let n = 0;
    while (n < maxEvents) {
      const t = this.peekTime();
      if (t === null || t > timeNs) break;
      this.stepLive();
      n++;
    }
    if (n < maxEvents && timeNs > this.nowNs) {
      this.nowNs = Math.floor(timeNs);
      this.sameInstant = 0;
    }
    return n;
  }

  /** Run until no events remain or `maxEvents` ran. Returns the number executed. */
  runUntilIdle(maxEvents = Number.POSITIVE_INFINITY): number {
    let n = 0;
    while (n < maxEvents && this.step()) n++;
    return n;
  }

  private push(time: number, fn: EventFn<any>, arg: unknown): TimerId {
    // The bound check inline (as checkBound): this runs for every event.
    if (this.size + this.nowCount + this.reservedCount >= this.maxPending) this.checkBound();
    const seq = this.nextSeq++;
    if (time === this.nowNs) {
      if (this.nowCount === this.nowFns.length) this.growNow();
      const i = (this.nowHead + this.nowCount) & (this.nowFns.length - 1);
      this.nowSeqs[i] = seq;
      this.nowFns[i] = fn;
      this.nowArgs[i] = arg;
      this.nowCount++;
      return seq;
    }
    this.heapInsert(time, seq, fn, arg);
    return seq;
  }

  private checkBound(): void {
    if (this.size + this.nowCount + this.reservedCount >= this.maxPending) {
      throw new SimStall('event-bound', this.nowNs, `more than ${this.maxPending.toLocaleString('en-US')} events pending at ${(this.nowNs / 1e9).toFixed(6)} s`);
    }
  }

  private heapInsert(time: number, seq: number, fn: EventFn<any>, arg: unknown): void {
    let i = this.size++;
    // Sift up: move parents down until the slot for (time, seq) is found.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this.times[p];
      if (pt < time || (pt === time && this.seqs[p] < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, time, seq, fn, arg);
  }

  private popHead(): void {
    const last = --this.size;
    if (last === 0) {
      this.clearSlot(0);
      return;
    }
    const time = this.times[last];
    const seq = this.seqs[last];
    const fn = this.fns[last];
    const arg = this.args[last];
    this.clearSlot(last);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      let c = l;
      if (r < last && this.less(r, l)) c = r;
      const ct = this.times[c];
      if (time < ct || (time === ct && seq < this.seqs[c])) break;
      this.move(c, i);
      i = c;
    }
    this.set(i, time, seq, fn, arg);
  }

  private dropCancelledHead(): void {
    if (this.cancelledCount === 0) return;
    while (this.size > 0 && this.fns[0] === cancelledEvent) {
      this.popHead();
      this.cancelledCount--;
    }
    // Cancelled same-instant events are only dropped once no heap event is due first.
    if (this.size > 0 && this.times[0] === this.nowNs) return;
    while (this.nowCount > 0 && this.nowFns[this.nowHead] === cancelledEvent) {
      this.cancelledCount--;
      this.nowFns[this.nowHead] = noop;
      this.nowArgs[this.nowHead] = undefined;
      this.nowHead = (this.nowHead + 1) & (this.nowFns.length - 1);
      this.nowCount--;
    }
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a];
    const tb = this.times[b];
    return ta < tb || (ta === tb && this.seqs[a] < this.seqs[b]);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.fns[to] = this.fns[from];
    this.args[to] = this.args[from];
  }

  private set(i: number, time: number, seq: number, fn: EventFn<any>, arg: unknown): void {
    this.times[i] = time;
    this.seqs[i] = seq;
    this.fns[i] = fn;
    this.args[i] = arg;
  }

  private clearSlot(i: number): void {
    // Release references so delivered frames can be collected.
    this.fns[i] = noop;
    this.args[i] = undefined;
  }
}

function noop(): void {}

/** Stands in for a cancelled event's function until the event is dropped (never run). */
function cancelledEvent(): void {}
