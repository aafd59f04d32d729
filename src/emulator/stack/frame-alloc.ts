// Memory for frames on the hot paths (forwarding copies, locally built frames). V8 keeps a
// typed array of at most 64 bytes on the JS heap, but gives every larger one its own
// off-heap backing store: a malloc plus finalization by the GC, about ten times the cost
// of the small ones. An IPv6 or TCP frame is always larger, so frames of 65 to
// FRAME_SLAB_ITEM_MAX bytes are carved as views out of shared slabs instead.
// Must not reuse memory: every frame is fresh zeroed bytes, and a slab is freed by the GC
// when its last frame is.
//
// Frames are immutable once sent (the trace may hold them), with one exception that keeps
// a large frame from being copied at every router: a router that alone holds a frame it
// forwards (StackEnv.claimForRewrite) may rewrite the REWRITABLE bytes of a frame longer than
// REWRITE_MIN_BYTES in place (MAC addresses, IPv4 TTL and header checksum, IPv6 hop
// limit) and nothing else. Whoever keeps a frame to read later must therefore keep those
// bytes as they were (saveRewritable): the traffic record does (engine/trace.ts).

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

/** Frames longer than this may be rewritten in place by a forwarding router (smaller ones are copied: cheap on the JS heap). */
export const REWRITE_MIN_BYTES = ON_HEAP_MAX;
/**
 * The bytes a router may rewrite in place, in the order saveRewritable keeps them: the
 * Ethernet destination and source (0–11), the IPv6 hop limit (21), the IPv4 TTL (22) and
 * the IPv4 header checksum (24, 25) of an untagged frame. Byte 21 of an IPv4 frame (the
 * fragment offset) is kept too and never rewritten.
 */
export const REWRITABLE_BYTES = 16;

/** Offsets of the REWRITABLE bytes after the two MAC addresses (saved at 12–15). */
const IP_REWRITABLE_AT = [21, 22, 24, 25] as const;

/** Copies the REWRITABLE bytes of `frame` (longer than REWRITE_MIN_BYTES) to `to[at, at + 16)`. */
export function saveRewritable(frame: Uint8Array, to: Uint8Array, at: number): void {
  to[at] = frame[0];
  to[at + 1] = frame[1];
  to[at + 2] = frame[2];
  to[at + 3] = frame[3];
  to[at + 4] = frame[4];
  to[at + 5] = frame[5];
  to[at + 6] = frame[6];
  to[at + 7] = frame[7];
  to[at + 8] = frame[8];
  to[at + 9] = frame[9];
  to[at + 10] = frame[10];
  to[at + 11] = frame[11];
  to[at + 12] = frame[21];
  to[at + 13] = frame[22];
  to[at + 14] = frame[24];
  to[at + 15] = frame[25];
}

/** True when `frame`'s REWRITABLE bytes equal those saved at `saved[at, at + 16)`. */
export function rewritableEqual(frame: Uint8Array, saved: Uint8Array, at: number): boolean {
  for (let k = 0; k < 12; k++) if (frame[k] !== saved[at + k]) return false;
  for (let k = 0; k < 4; k++) if (frame[IP_REWRITABLE_AT[k]] !== saved[at + 12 + k]) return false;
  return true;
}

/** Exchanges `frame`'s REWRITABLE bytes with those saved at `saved[at, at + 16)` (twice: both as before). */
export function swapRewritable(frame: Uint8Array, saved: Uint8Array, at: number): void {
  for (let k = 0; k < 12; k++) {
    const b = frame[k];
    frame[k] = saved[at + k];
    saved[at + k] = b;
  }
  for (let k = 0; k < 4; k++) {
    const p = IP_REWRITABLE_AT[k];
    const b = frame[p];
    frame[p] = saved[at + 12 + k];
    saved[at + 12 + k] = b;
  }
}

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
