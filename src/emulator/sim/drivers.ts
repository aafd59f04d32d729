// The real-time driver: virtual time follows an injected wall clock scaled by a speed
// factor (0.01× … 1×), DESIGN decision 3; protocol code never knows. As fast as possible,
// run-until and single step are plain Scheduler calls (runUntilIdle, runUntil, step).

import type { Scheduler } from './scheduler';

/**
 * Run events until one of them adds to `recorded()` (the traffic record's total, so the
 * step shows a frame hop, forward or drop), or the queue empties, or `maxEvents` ran.
 * Timers that record nothing run silently on the way. Returns how many events ran.
 */
export function stepToTraffic(sim: Scheduler, recorded: () => number, maxEvents = 100_000): number {
  const before = recorded();
  let n = 0;
  while (n < maxEvents && sim.step()) {
    n++;
    if (recorded() !== before) break;
  }
  return n;
}

export const MIN_SPEED = 0.01;
export const MAX_SPEED = 1;

/** Wall clock in milliseconds (performance.now in hosts; a fake in tests). */
export type WallClock = () => number;

/**
 * Maps wall-clock time to virtual time: virtual = anchorVirtual + (wall − anchorWall) × speed.
 * The host calls `tick()` from a timer or animation frame; each tick runs the events that
 * became due, bounded by `maxEventsPerTick` so the host stays responsive (when the budget
 * is hit the virtual clock falls behind and the driver re-anchors instead of racing).
 */
export class RealTimeDriver {
  private anchorWallMs = 0;
  private anchorVirtualNs = 0;
  private running = false;
  private speedValue: number;

  constructor(
    private readonly sim: Scheduler,
    private readonly clock: WallClock,
    speed = 1,
    private readonly maxEventsPerTick = 200_000,
  ) {
    this.speedValue = clampSpeed(speed);
  }

  get speed(): number {
    return this.speedValue;
  }

  isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.anchor();
  }

  pause(): void {
    this.running = false;
  }

  setSpeed(speed: number): void {
    this.speedValue = clampSpeed(speed);
    this.anchor();
  }

  /** Advance virtual time to match the wall clock. Returns events executed. */
  tick(): number {
    if (!this.running) return 0;
    const target = this.anchorVirtualNs + Math.floor((this.clock() - this.anchorWallMs) * 1e6 * this.speedValue);
    const ran = this.sim.runUntil(target, this.maxEventsPerTick);
    if (ran >= this.maxEventsPerTick) this.anchor();
    return ran;
  }

  private anchor(): void {
    this.anchorWallMs = this.clock();
    this.anchorVirtualNs = this.sim.now();
  }
}

export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) throw new Error(`speed must be a number between ${MIN_SPEED} and ${MAX_SPEED}`);
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}
