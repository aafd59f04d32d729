import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumAdjust, foldSum, internetChecksum, onesSum, pseudoHeaderSumIpv4 } from './checksum';

describe('checksum', () => {
  it('matches the RFC 1071 §3 example', () => {
    // 00 01 f2 03 f4 f5 f6 f7: sum ddf2, checksum = ~ddf2 = 220d.
    const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(foldSum(onesSum(b, 0, 8))).toBe(0xddf2);
    expect(internetChecksum(b, 0, 8)).toBe(0x220d);
  });

  it('computes a known IPv4 header checksum (b861)', () => {
    const h = Uint8Array.from(
      [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7],
    );
    expect(internetChecksum(h, 0, 20)).toBe(0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    expect(internetChecksum(h, 0, 20)).toBe(0);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.of(0x12, 0x34, 0x56), 0, 3)).toBe(~(0x1234 + 0x5600) & 0xffff);
  });

  it('chains partial sums like one sum over the concatenation', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(100), (bytes, cut) => {
        const even = Math.min(cut * 2, bytes.length - (bytes.length % 2));
        const split = internetChecksum(bytes, even, bytes.length - even, onesSum(bytes, 0, even));
        return split === internetChecksum(bytes, 0, bytes.length);
      }),
    );
  });

  it('sums any range of a larger buffer, at any alignment, like the byte-by-byte definition', () => {
    const reference = (b: Uint8Array, off: number, len: number, initial: number): number => {
      let sum = initial;
      for (let i = 0; i < len; i += 2) sum += (b[off + i] << 8) | (i + 1 < len ? b[off + i + 1] : 0);
      return foldSum(sum);
    };
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000, size: 'max' }), fc.nat(15), fc.nat(2000), fc.nat(0xfffff), (bytes, at, cut, initial) => {
        // A view at an arbitrary byte offset of its buffer, as frames cut from slabs are.
        const backing = new Uint8Array(bytes.length + 16);
        backing.set(bytes, at);
        const view = backing.subarray(at, at + bytes.length);
        const off = Math.min(cut, bytes.length - 1) % 7;
        const len = bytes.length - off;
        // A second view of the same buffer right after: the sum may reuse its 32-bit view of it.
        const other = backing.subarray(16 - at, 16 - at + bytes.length);
        return foldSum(onesSum(view, off, len, initial)) === reference(view, off, len, initial) && foldSum(onesSum(other, 0, other.length)) === reference(other, 0, other.length, 0);
      }),
      { numRuns: 500 },
    );
    const zeros = new Uint8Array(300);
    expect(foldSum(onesSum(zeros, 1, 299))).toBe(0);
    expect(internetChecksum(new Uint8Array(300).fill(0xff), 0, 300)).toBe(0);
  });

  it('pseudo header sum', () => {
    expect(pseudoHeaderSumIpv4(0x0a000001, 0x0a000002, 17, 8)).toBe(0x0a00 + 1 + 0x0a00 + 2 + 17 + 8);
  });

  it('incremental update equals recomputation (RFC 1624)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.nat(9), fc.integer({ min: 0, max: 0xffff }), (h, w, nv) => {
        h[10] = 0;
        h[11] = 0;
        const c = internetChecksum(h, 0, 20);
        h[10] = c >>> 8;
        h[11] = c & 0xff;
        const word = w === 5 ? 4 : w; // never the checksum word itself
        const old = (h[word * 2] << 8) | h[word * 2 + 1];
        h[word * 2] = nv >>> 8;
        h[word * 2 + 1] = nv & 0xff;
        const adj = checksumAdjust(c, old, nv);
        h[10] = adj >>> 8;
        h[11] = adj & 0xff;
        return internetChecksum(h, 0, 20) === 0;
      }),
    );
  });
});
