// Memory for frames on the hot paths (forwarding copies, locally built frames). V8 keeps a
// typed array of at most 64 bytes on the JS heap, but gives every larger one its own
// off-heap backing store: a malloc plus finalization by the GC, about ten times the cost
// of the small ones. An IPv6 or TCP frame is always larger, so frames of 65 to
// FRAME_SLAB_ITEM_MAX bytes are carved as views out of shared slabs instead.
// Must not reuse memory: every frame is fresh zeroed bytes (frames are immutable once
// sent and the trace may hold them), and a slab is freed by the GC when its last frame is.

/**
 * Bytes per slab. A slab lives while any frame cut from it does, so keep it small; but each
 * slab is an ArrayBuffer to create and for the GC to free, and 64 KiB (43 full-size frames)
 * is measurably cheaper than 16 KiB on a TCP bulk transfer (bench --tcp) at the same bytes.
 */
export const FRAME_SLAB_BYTES = 64 * 1024;
/** Larger frames get their own buffer (a slab would hold too few of them). */
export const FRAME_SLAB_ITEM_MAX = 2048;
/** V8's typed_array_max_size_in_heap: up to this size a plain allocation is cheapest. */
const ON_HEAP_MAX = 64;

export class FrameAlloc {
  private slab = new ArrayBuffer(FRAME_SLAB_BYTES);
  private used = 0;

  /** `len` zeroed bytes. */
  alloc(len: number): Uint8Array {
    if (len <= ON_HEAP_MAX || len > FRAME_SLAB_ITEM_MAX) return new Uint8Array(len);
    if (this.used + len > FRAME_SLAB_BYTES) {
      this.slab = new ArrayBuffer(FRAME_SLAB_BYTES);
      this.used = 0;
    }
    const out = new Uint8Array(this.slab, this.used, len);
    this.used += (len + 7) & ~7; // 8-byte alignment keeps views cheap to create
    return out;
  }

  /** A copy of `src[start, end)` in `len` bytes (`len` ≥ end - start; the rest zeroed). */
  copy(src: Uint8Array, start: number, end: number, len = end - start): Uint8Array {
    if (len <= ON_HEAP_MAX || len > FRAME_SLAB_ITEM_MAX) {
      // One memcpy; for the padded case the tail stays zero.
      if (len === end - start) return src.slice(start, end);
      const out = new Uint8Array(len);
      out.set(src.subarray(start, end));
      return out;
    }
    const out = this.alloc(len);
    // A whole frame needs no subarray view (one allocation less per forwarded frame).
    out.set(start === 0 && end === src.length ? src : src.subarray(start, end));
    return out;
  }
}
