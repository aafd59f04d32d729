import { describe, expect, it } from 'vitest';
import { formatClock, formatSeconds, sliderToSpeed, speedToSlider, virtualNow, virtualToWallMs, wallToVirtualNs } from './time-map';

describe('time-map', () => {
  it('formats the clock as s.ms.µs', () => {
    expect(formatClock(0)).toBe('0.000000 s');
    expect(formatClock(12_345_678_999)).toBe('12.345678 s');
    expect(formatClock(1_000)).toBe('0.000001 s');
    expect(formatSeconds(1_234_000)).toBe('0.001234');
  });

  it('extrapolates virtual time from the last sample at the current speed', () => {
    const s = { nowNs: 1_000_000, running: true, speed: 0.01, wallMs: 100 };
    // 10 ms of wall time at 0.01× is 100 µs of virtual time.
    expect(virtualNow(s, 110)).toBe(1_100_000);
    expect(virtualNow({ ...s, running: false }, 110)).toBe(1_000_000);
    expect(virtualNow({ ...s, speed: 'max' }, 5000)).toBe(1_000_000);
    expect(virtualNow(s, 50)).toBe(1_000_000);
    // capped so a stalled engine does not run the display away
    expect(virtualNow({ ...s, speed: 1 }, 100_100, 5_000_000)).toBe(6_000_000);
    expect(virtualNow(null, 10)).toBe(0);
  });

  it('maps virtual spans to wall spans and back', () => {
    expect(virtualToWallMs(1_000_000, 1)).toBe(1);
    expect(virtualToWallMs(1_000_000, 0.01)).toBe(100);
    expect(virtualToWallMs(1_000_000, 'max')).toBe(0);
    expect(wallToVirtualNs(100, 0.01)).toBe(1_000_000);
  });

  it('uses a log slider from 0.01× to 1×', () => {
    expect(sliderToSpeed(0)).toBe(0.01);
    expect(sliderToSpeed(1)).toBe(1);
    expect(sliderToSpeed(0.5)).toBe(0.1);
    expect(speedToSlider(0.1)).toBeCloseTo(0.5);
    expect(speedToSlider(5)).toBe(1);
  });
});
