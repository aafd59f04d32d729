import { describe, expect, it } from 'vitest';
import { FRAME_SLAB_BYTES, FRAME_SLAB_ITEM_MAX, FrameAlloc } from './frame-alloc';

describe('frame memory', () => {
  it('gives fresh zeroed frames that never overlap, across slabs', () => {
    const a = new FrameAlloc();
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 2 * FRAME_SLAB_BYTES / 100; i++) {
      const f = a.alloc(100);
      expect(f.length).toBe(100);
      expect(f.every((b) => b === 0)).toBe(true);
      f.fill(i & 0xff || 1);
      frames.push(f);
    }
    frames.forEach((f, i) => expect(f.every((b) => b === (i & 0xff || 1))).toBe(true));
  });

  it('copies, zero-padding to the asked length, at every size class', () => {
    const a = new FrameAlloc();
    for (const n of [20, 64, 65, 86, 1514, FRAME_SLAB_ITEM_MAX + 1]) {
      const src = Uint8Array.from({ length: n + 10 }, (_, i) => (i * 7 + 1) & 0xff);
      const c = a.copy(src, 5, 5 + n, n + 3);
      expect(c.length).toBe(n + 3);
      expect([...c.subarray(0, n)]).toEqual([...src.subarray(5, 5 + n)]);
      expect([...c.subarray(n)]).toEqual([0, 0, 0]);
      src.fill(0);
      expect(c[0]).toBe((5 * 7 + 1) & 0xff); // a copy, not a view of src
      const whole = a.copy(c, 0, c.length);
      expect([...whole]).toEqual([...c]);
    }
  });
});
