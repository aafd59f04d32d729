// Virtual ↔ wall time for run mode: spans at a speed, the speed slider's log scale, and
// the clock formatted as s.ms.µs. Pure. The clock is never extrapolated past what the
// engine reported (that ran ahead and then went back on Pause); see run-time.ts.
import type { Speed, TimeNs } from '../../emulator/engine/protocol';

export interface ClockSample {
  /** Virtual time reported by the engine. */
  nowNs: TimeNs;
  running: boolean;
  speed: Speed;
  /** Wall time (ms, e.g. performance.now()) when the sample arrived. */
  wallMs: number;
}

export const MIN_SPEED = 0.01;
export const MAX_SPEED = 1;

/** Virtual nanoseconds per wall millisecond at a speed; `max` has no fixed ratio. */
export function nsPerWallMs(speed: Speed): number {
  return speed === 'max' ? Number.POSITIVE_INFINITY : speed * 1e6;
}

/** Wall milliseconds a span of virtual time takes at a speed (0 at `max`). */
export function virtualToWallMs(spanNs: number, speed: Speed): number {
  if (speed === 'max') return 0;
  return spanNs / nsPerWallMs(speed);
}

/** Virtual ns covered by a wall span at a speed. */
export function wallToVirtualNs(spanMs: number, speed: Speed): number {
  if (speed === 'max') return Number.POSITIVE_INFINITY;
  return Math.floor(spanMs * nsPerWallMs(speed));
}

/** `12.345678 s` = 12 s, 345 ms, 678 µs (µs precision, as the capture list). */
export function formatClock(ns: TimeNs): string {
  const totalUs = Math.floor(ns / 1000);
  const s = Math.floor(totalUs / 1_000_000);
  const us = totalUs % 1_000_000;
  return `${s}.${String(us).padStart(6, '0')} s`;
}

/** Seconds with µs precision, as the capture list shows time (`0.001234`). */
export function formatSeconds(ns: TimeNs): string {
  return (ns / 1e9).toFixed(6);
}

/**
 * Slider position (0…1) ↔ speed on a log scale from 0.01× to 1×, so 0.1× sits in the
 * middle; position 1 beyond the end is not used (`max` is a separate button).
 */
export function sliderToSpeed(pos: number): number {
  const p = Math.min(1, Math.max(0, pos));
  const speed = MIN_SPEED * Math.pow(MAX_SPEED / MIN_SPEED, p);
  return Math.round(speed * 1000) / 1000;
}

export function speedToSlider(speed: Speed): number {
  if (speed === 'max') return 1;
  const s = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  return Math.log(s / MIN_SPEED) / Math.log(MAX_SPEED / MIN_SPEED);
}

export function formatSpeed(speed: Speed): string {
  if (speed === 'max') return 'max';
  return speed >= 0.1 ? `${speed.toFixed(2)}×` : `${speed.toFixed(3)}×`;
}
