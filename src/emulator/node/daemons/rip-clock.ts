// The update clock RIPv2 and RIPng share (RFC 2453 §3.8 and §3.10.1, RFC 2080 §2.3 and
// §2.5.1): regular updates every `updateS` seconds offset by up to ±5 s from the daemon's own
// substream, and triggered updates sent at the end of the event that wanted them, then held
// down 1–5 s. What an update carries is the daemon's business (its `clock` callbacks).

import type { Rng } from '../../sim/rng';
import type { TimerId } from '../../sim/scheduler';
import type { NetStack } from '../../stack/types';

const S = 1_000_000_000;

/** The fields of a RIP daemon the clock reads and writes. */
export interface RipClockState {
  readonly stack: NetStack;
  readonly cfg: { readonly updateS: number };
  readonly rng: Rng;
  updateTimer: TimerId;
  /** When the next regular update goes out. */
  updateNs: number;
  /** Triggered-update hold-down, 0 when none. */
  holdTimer: TimerId;
  /** A triggered update is wanted (sent now, or when the hold-down ends). */
  triggerPending: boolean;
  sendTimer: TimerId;
  running: boolean;
  /** What the daemon does on each tick: refresh its own routes, then send (all, or changed only). */
  readonly clock: { beforeRegular(): void; send(onlyChanged: boolean): void };
}

/** Arms the next regular update. */
export function scheduleUpdate(d: RipClockState): void {
  const base = d.cfg.updateS * S;
  const jitter = Math.min(5 * S, Math.floor(base / 6));
  const delay = base - jitter + d.rng.nextInt(2 * jitter + 1);
  d.updateNs = d.stack.env.sim.now() + delay;
  d.updateTimer = d.stack.env.sim.schedule(delay, regularUpdate, d);
}

function regularUpdate(d: RipClockState): void {
  d.updateTimer = 0;
  if (!d.running) return;
  d.clock.beforeRegular(); // static routes added from the shell since the last update
  d.clock.send(false);
  d.triggerPending = false;
  scheduleUpdate(d);
}

/** Asks for a triggered update: at the end of this event, or when the hold-down ends. */
export function trigger(d: RipClockState): void {
  d.triggerPending = true;
  if (d.holdTimer !== 0 || d.sendTimer !== 0) return;
  d.sendTimer = d.stack.env.sim.schedule(0, sendTriggered, d);
}

function sendTriggered(d: RipClockState): void {
  d.sendTimer = 0;
  if (!d.running || !d.triggerPending) return;
  d.triggerPending = false;
  d.clock.send(true);
  d.holdTimer = d.stack.env.sim.schedule(S + d.rng.nextInt(4 * S + 1), holdEnded, d);
}

function holdEnded(d: RipClockState): void {
  d.holdTimer = 0;
  if (d.triggerPending) sendTriggered(d);
}

/** Cancels the clock's timers (a daemon stopping). */
export function stopClock(d: RipClockState): void {
  const sim = d.stack.env.sim;
  for (const t of [d.updateTimer, d.holdTimer, d.sendTimer]) if (t !== 0) sim.cancel(t);
  d.updateTimer = d.holdTimer = d.sendTimer = 0;
}
