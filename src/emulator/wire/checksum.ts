// The Internet checksum: ones'-complement sums over bytes, the IPv4 pseudo-header sum and
// incremental update. Pure arithmetic on byte ranges; no allocation, no knowledge of headers.
// RFC 1071 (computation), RFC 1624 (incremental update), RFC 768 / RFC 793 (pseudo-header).

/**
 * Unfolded ones'-complement partial sum of 16-bit big-endian words. An odd trailing byte
 * is padded with zero (RFC 1071 §4.1). Callers chain sums via `initial`.
 */
export function onesSum(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  const end = offset + length;
  let i = offset;
  // Deferred carries (RFC 1071 §2(B)): a double holds 2^37 words exactly, far beyond any
  // packet, so carries are folded once at the end.
  while (i + 1 < end) {
    sum += (buf[i] << 8) | buf[i + 1];
    i += 2;
  }
  if (i < end) sum += buf[i] << 8;
  return sum;
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
  return internetChecksum(buf, off, len, pseudoHeaderSumIpv6(buf, ipOff + 8, ipOff + 24, nextHeader, len)) === 0;
}

/**
 * Fills the checksum at `at` of the upper-layer message at `off`/`len` inside the IPv6 packet
 * at `ipOff`. UDP never carries 0 (RFC 8200 §8.1): a computed 0 is sent as 0xffff.
 */
export function fillUpperChecksumIpv6(buf: Uint8Array, ipOff: number, off: number, len: number, nextHeader: number, at: number): void {
  buf[at] = 0;
  buf[at + 1] = 0;
  let sum = internetChecksum(buf, off, len, pseudoHeaderSumIpv6(buf, ipOff + 8, ipOff + 24, nextHeader, len));
  if (sum === 0 && nextHeader === 17) sum = 0xffff;
  buf[at] = sum >>> 8;
  buf[at + 1] = sum & 0xff;
}
