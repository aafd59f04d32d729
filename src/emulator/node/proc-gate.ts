// What stopping a program means (SIGTSTP, SIGSTOP: Ctrl-Z, `kill -STOP`): it runs no code
// until it is continued (SIGCONT: fg, bg, `kill -CONT`). A program whose timers and socket
// callbacks all pass through its gate can be stopped: while it is stopped they are held,
// in the order they came, and run when it continues, as a stopped process finds its timers
// expired and its socket buffers filled. The kernel's work goes on meanwhile: TCP still
// acknowledges and retransmits, and since a held `readable` means nobody reads, the
// receive buffer fills and the window closes. Datagrams beyond HELD_DATAGRAMS_MAX are
// dropped, as a full socket buffer drops them. Knows nothing of the shell.

import type { Scheduler, TimerId } from '../sim/scheduler';

/** `fn` through `gate` when the program has one (a program that cannot be stopped calls it directly). */
export function through<A extends unknown[]>(gate: ProcGate | null, fn: (...args: A) => void): (...args: A) => void {
  return gate === null ? fn : gate.wrap(fn);
}

/** Datagrams (and captured frames) a stopped program keeps; the rest are dropped, as a full receive buffer does. */
export const HELD_DATAGRAMS_MAX = 1024;

/** A copy of `v` that owns its bytes (Uint8Arrays copied, plain objects and arrays cloned `depth` deep). */
function keep(v: unknown, depth: number): unknown {
  if (v instanceof Uint8Array) return v.slice();
  if (depth === 0 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => keep(x, depth - 1));
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = keep(x, depth - 1);
  return o;
}

/** The scheduler as a program uses it: now, timers and their cancelling. */
export interface Timers {
  now(): number;
  schedule(delayNs: number, fn: () => void): TimerId;
  scheduleAt(timeNs: number, fn: () => void): TimerId;
  cancel(id: TimerId): void;
}

interface Held {
  /** A timer's id, a coalescing handler, or null (a datagram: each one counts). */
  key: unknown;
  fn: () => void;
}

export class ProcGate {
  private stoppedNow = false;
  private readonly held: Held[] = [];
  private datagrams = 0;
  private flushTimer: TimerId = 0;
  /** Datagrams dropped while stopped (the buffer was full). */
  dropped = 0;
  readonly timers: Timers;

  constructor(private readonly sim: Scheduler) {
    this.timers = {
      now: () => sim.now(),
      schedule: (delayNs, fn) => {
        const id: TimerId = sim.schedule(delayNs, () => this.run(id, fn));
        return id;
      },
      scheduleAt: (timeNs, fn) => {
        const id: TimerId = sim.scheduleAt(timeNs, () => this.run(id, fn));
        return id;
      },
      cancel: (id) => {
        sim.cancel(id);
        const i = this.held.findIndex((h) => h.key === id);
        if (i >= 0) this.held.splice(i, 1);
      },
    };
  }

  get stopped(): boolean {
    return this.stoppedNow;
  }

  /**
   * `fn` as a callback of this program (a socket's listener, a capture tap): held while it is
   * stopped. `coalesce`: a notification (TCP readable/writable) held once however often it
   * comes, since the program reads all there is when it runs; otherwise each call (a
   * datagram) is held on its own, up to HELD_DATAGRAMS_MAX.
   */
  wrap<A extends unknown[]>(fn: (...args: A) => void, coalesce = false): (...args: A) => void {
    const key = coalesce ? {} : null;
    return (...args: A) => {
      if (!this.busy()) return fn(...args);
      if (key !== null) {
        if (!this.held.some((h) => h.key === key)) this.held.push({ key, fn: () => fn(...args) });
        return;
      }
      if (this.datagrams >= HELD_DATAGRAMS_MAX) {
        this.dropped++;
        return;
      }
      this.datagrams++;
      // The bytes may be a frame the network reuses once this delivery returns: keep a copy.
      const kept = args.map((a) => keep(a, 3)) as A;
      this.held.push({ key: null, fn: () => fn(...kept) });
    };
  }

  /** SIGSTOP: from now on nothing of the program runs. */
  stop(): void {
    this.stoppedNow = true;
    if (this.flushTimer !== 0) {
      this.sim.cancel(this.flushTimer);
      this.flushTimer = 0;
    }
  }

  /** SIGCONT: the program runs again, first what it missed (in order), as its next event. */
  resume(): void {
    if (!this.stoppedNow) return;
    this.stoppedNow = false;
    if (this.held.length > 0 && this.flushTimer === 0) this.flushTimer = this.sim.schedule(0, () => this.flush());
  }

  /**
   * The program ended: what it had not run yet is gone with it, and what its sockets still
   * report (a connection closing after it) passes straight through, as before it ever stopped.
   */
  clear(): void {
    this.stoppedNow = false;
    this.held.length = 0;
    this.datagrams = 0;
    if (this.flushTimer !== 0) this.sim.cancel(this.flushTimer);
    this.flushTimer = 0;
  }

  /** Stopped, or still catching up: a new event waits behind the held ones. */
  private busy(): boolean {
    return this.stoppedNow || this.held.length > 0;
  }

  private run(id: TimerId, fn: () => void): void {
    if (this.busy()) this.held.push({ key: id, fn });
    else fn();
  }

  private flush(): void {
    this.flushTimer = 0;
    while (!this.stoppedNow && this.held.length > 0) {
      const h = this.held.shift()!;
      if (h.key === null) this.datagrams--;
      h.fn();
    }
  }
}
