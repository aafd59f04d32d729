import { describe, expect, it } from 'vitest';
import { formatClock, formatSeconds, sliderToSpeed, speedToSlider, virtualToWallMs, wallToVirtualNs } from './time-map';

describe('time-map', () => {
  it('formats the clock as s.ms.µs', () => {
    expect(formatClock(0)).toBe('0.000000 s');
    expect(formatClock(12_345_678_999)).toBe('12.345678 s');
    expect(formatClock(1_000)).toBe('0.000001 s');
    expect(formatSeconds(1_234_000)).toBe('0.001234');
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
