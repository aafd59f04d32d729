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
