// Mouse-wheel zoom at a steady rate: one notch of a wheel (100 px, or 3 lines) zooms by 15 %
// around the pointer, and a touchpad's small deltas zoom smoothly. Replaces Cytoscape's
// wheel handling, whose device guessing made a notch zoom about 1 %.
import type { Core } from 'cytoscape';

/** Zoom factor of one wheel notch. */
export const NOTCH_FACTOR = 1.15;
const PX_PER_NOTCH = 100;
const PX_PER_LINE = 33;

/** Zoom multiplier for one wheel event (deltaMode 0 = px, 1 = lines, 2 = pages). */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * PX_PER_LINE : deltaMode === 2 ? deltaY * 8 * PX_PER_NOTCH : deltaY;
  const clamped = Math.max(-3 * PX_PER_NOTCH, Math.min(3 * PX_PER_NOTCH, px));
  return Math.pow(NOTCH_FACTOR, -clamped / PX_PER_NOTCH);
}

/** Binds wheel zoom to a canvas created with `userZoomingEnabled: false`. */
export function bindWheelZoom(cy: Core): () => void {
  const el = cy.container();
  if (!el) return () => undefined;
  const onWheel = (e: WheelEvent) => {
    if (e.deltaY === 0) return;
    e.preventDefault();
    const r = el.getBoundingClientRect();
    const level = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), cy.zoom() * wheelZoomFactor(e.deltaY, e.deltaMode)));
    cy.zoom({ level, renderedPosition: { x: e.clientX - r.left, y: e.clientY - r.top } });
  };
  el.addEventListener('wheel', onWheel, { passive: false });
  return () => el.removeEventListener('wheel', onWheel);
}
