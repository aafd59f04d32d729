// The Internet checksum: ones'-complement sums over bytes, the IPv4 pseudo-header sum and
// incremental update. Pure arithmetic on byte ranges; no allocation, no knowledge of headers.
// RFC 1071 (computation), RFC 1624 (incremental update), RFC 768 / RFC 793 (pseudo-header).

/** Host byte order: the word-wide sum reads host-order words (RFC 1071 §2(B): the sum is byte-order independent up to a swap). */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** From this many bytes on, the sum reads aligned 32-bit words (a view costs about as much as 64 byte reads). */
const WIDE_SUM_MIN_BYTES = 128;

/**
 * Unfolded ones'-complement partial sum of 16-bit big-endian words. An odd trailing byte
 * is padded with zero (RFC 1071 §4.1). Callers chain sums via `initial`. Any sum congruent
 * modulo 0xffff (and zero only for zero bytes) is the same after folding, which is all
 * callers may rely on.
 */
export function onesSum(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  if (length >= WIDE_SUM_MIN_BYTES) return initial + wideSum(buf, offset, offset + length);
  const end = offset + length;
  let i = offset;
  // Deferred carries (RFC 1071 §2(B)): high and low bytes are summed apart, four words a
  // step, and joined as 256 · high + low, exactly the sum of the words; a double holds it
  // exactly far beyond any packet, so carries are folded once at the end.
  let hi = 0;
  let lo = 0;
  for (; i + 7 < end; i += 8) {
    hi += buf[i] + buf[i + 2] + buf[i + 4] + buf[i + 6];
    lo += buf[i + 1] + buf[i + 3] + buf[i + 5] + buf[i + 7];
  }
  for (; i + 1 < end; i += 2) {
    hi += buf[i];
    lo += buf[i + 1];
  }
  if (i < end) hi += buf[i];
  return initial + hi * 256 + lo;
}

/**
 * The buffer wideSum read last and a 32-bit view of all of it: consecutive frames share a
 * slab (stack/frame-alloc.ts), so most sums reuse the view instead of creating one.
 */
let wideBuffer: ArrayBufferLike | null = null;
let wideWords: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * The sum of [start, end) with the middle read as aligned 32-bit host-order words (RFC 1071
 * §2(B) and §4.2's wide-word technique): computed on the grid of 16-bit words that starts at
 * the first aligned byte, then rotated by a byte when that grid is odd relative to `start`.
 */
function wideSum(buf: Uint8Array, start: number, end: number): number {
  const lead = (4 - ((buf.byteOffset + start) & 3)) & 3;
  const mid = start + lead;
  const words = (end - mid) >>> 2;
  const tail = mid + 4 * words;
  const buffer = buf.buffer;
  if (buffer !== wideBuffer) {
    wideBuffer = buffer;
    wideWords = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  const u32 = wideWords;
  const first = (buf.byteOffset + mid) >>> 2;
  const last = first + words;
  let a = 0;
  let b = 0;
  let k = first;
  // Two accumulators of doubles: 2^53 / 2^33 words is far beyond any buffer.
  for (; k + 3 < last; k += 4) {
    a += u32[k] + u32[k + 1];
    b += u32[k + 2] + u32[k + 3];
  }
  for (; k < last; k++) a += u32[k];
  const w = foldSum(a + b);
  let grid = (HOST_LITTLE_ENDIAN ? swap16(w) : w) + gridSum(buf, start, mid, (lead & 1) === 0) + gridSum(buf, tail, end, true);
  if ((lead & 1) === 1) grid = swap16(foldSum(grid));
  return grid;
}

/** Big-endian word sum of [start, end) where the byte at `start` is a high byte (`highFirst`) or a low one. */
function gridSum(buf: Uint8Array, start: number, end: number, highFirst: boolean): number {
  let hi = 0;
  let lo = 0;
  let i = start;
  if (!highFirst && i < end) lo += buf[i++];
  for (; i + 1 < end; i += 2) {
    hi += buf[i];
    lo += buf[i + 1];
  }
  if (i < end) hi += buf[i];
  return hi * 256 + lo;
}

/** A folded 16-bit sum with its bytes swapped (times 256 modulo 0xffff). */
function swap16(x: number): number {
  return ((x & 0xff) << 8) | (x >>> 8);
}

/** Folds an unfolded sum to 16 bits (end-around carry). */
export function foldSum(sum: number): number {
  let s = sum;
  // Sums beyond 32 bits (buffers over 128 KiB) need a float division; packets never do.
  while (s > 0xffffffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

/** Final folded and complemented 16-bit checksum value. */
export function internetChecksum(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  return ~foldSum(onesSum(buf, offset, length, initial)) & 0xffff;
}

/** Unfolded sum of the IPv4 pseudo-header (RFC 768, RFC 793 §3.1). */
export function pseudoHeaderSumIpv4(src: number, dst: number, proto: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + length;
}

/**
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for a 16-bit field changing from m to m'.
 */
export function checksumAdjust(checksum: number, oldWord: number, newWord: number): number {
  const sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

/** Unfolded sum of the IPv6 pseudo-header (RFC 8200 §8.1): addresses at `srcOff`/`dstOff` of `buf`. */
export function pseudoHeaderSumIpv6(buf: Uint8Array, srcOff: number, dstOff: number, nextHeader: number, length: number): number {
  return onesSum(buf, srcOff, 16, onesSum(buf, dstOff, 16)) + nextHeader + (length >>> 16) + (length & 0xffff);
}

/** Same as `pseudoHeaderSumIpv6` from two 16-byte addresses. */
export function pseudoHeaderSumIpv6Addrs(src: Uint8Array, dst: Uint8Array, nextHeader: number, length: number): number {
  return onesSum(src, 0, 16, onesSum(dst, 0, 16)) + nextHeader + (length >>> 16) + (length & 0xffff);
}

/**
 * True when the upper-layer message at `off`/`len` inside the IPv6 packet at `ipOff` has a
 * correct checksum over the pseudo-header (RFC 8200 §8.1).
 */
export function upperChecksumOkIpv6(buf: Uint8Array, ipOff: number, off: number, len: number, nextHeader: number): boolean {
  return (~foldSum(upperSumIpv6(buf, ipOff, off, len, nextHeader)) & 0xffff) === 0;
}

/**
 * Unfolded sum of the pseudo-header and the upper-layer message at `off`/`len`. When the
 * message follows the fixed header (no extension headers), source, destination and message
 * are one run of bytes from `ipOff + 8`: summed in one pass (the sum is over 16-bit words,
 * and 32 address bytes keep the message's words aligned).
 */
function upperSumIpv6(buf: Uint8Array, ipOff: number, off: number, len: number, nextHeader: number): number {
  const pseudo = nextHeader + (len >>> 16) + (len & 0xffff);
  if (off === ipOff + 40) return onesSum(buf, ipOff + 8, 32 + len, pseudo);
  return onesSum(buf, off, len, pseudoHeaderSumIpv6(buf, ipOff + 8, ipOff + 24, nextHeader, len));
}

/**
 * Fills the checksum at `at` of the upper-layer message at `off`/`len` inside the IPv6 packet
 * at `ipOff`. UDP never carries 0 (RFC 8200 §8.1): a computed 0 is sent as 0xffff.
 */
export function fillUpperChecksumIpv6(buf: Uint8Array, ipOff: number, off: number, len: number, nextHeader: number, at: number): void {
  buf[at] = 0;
  buf[at + 1] = 0;
  let sum = ~foldSum(upperSumIpv6(buf, ipOff, off, len, nextHeader)) & 0xffff;
  if (sum === 0 && nextHeader === 17) sum = 0xffff;
  buf[at] = sum >>> 8;
  buf[at + 1] = sum & 0xff;
}
