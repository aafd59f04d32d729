// Wheel zoom rate: one notch of a mouse wheel is 15 %, whatever unit the browser reports,
// five notches more than double the zoom (Cytoscape's handler had gone from 1.18 to 1.24).
import { describe, expect, it } from 'vitest';
import { NOTCH_FACTOR, wheelZoomFactor } from './wheel-zoom';

describe('wheelZoomFactor', () => {
  it('zooms 15 % per notch in pixels (Chromium, Electron) and in lines (Firefox)', () => {
    expect(wheelZoomFactor(-100, 0)).toBeCloseTo(1.15, 6);
    expect(wheelZoomFactor(100, 0)).toBeCloseTo(1 / 1.15, 6);
    expect(wheelZoomFactor(-3, 1)).toBeCloseTo(Math.pow(NOTCH_FACTOR, 0.99), 6);
    let zoom = 1.18;
    for (let i = 0; i < 5; i++) zoom *= wheelZoomFactor(-100, 0);
    expect(zoom).toBeGreaterThan(2.3);
  });

  it('zooms a touchpad\'s small deltas smoothly and bounds a huge one', () => {
    expect(wheelZoomFactor(-4, 0)).toBeGreaterThan(1);
    expect(wheelZoomFactor(-4, 0)).toBeLessThan(1.01);
    expect(wheelZoomFactor(-5000, 0)).toBeCloseTo(Math.pow(NOTCH_FACTOR, 3), 6);
  });
});
