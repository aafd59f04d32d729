import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from './hex';
import { buildIpv4Packet, Ipv4View, parseIpv4Header } from './ipv4';
import { fragmentIpv4, Reassembler } from './fragment';

const SEC = 1_000_000_000;

function datagram(payloadLen: number, opts: { id?: number; df?: boolean; options?: Uint8Array } = {}): Uint8Array {
  const payload = new Uint8Array(payloadLen);
  for (let i = 0; i < payloadLen; i++) payload[i] = (i * 7 + 3) & 0xff;
  return buildIpv4Packet(
    { src: 0x0a000014, dst: 0x0a000114, proto: 17, ttl: 64, tos: 0, id: opts.id ?? 7, dontFragment: opts.df ?? false, moreFragments: false, fragOffset: 0, options: opts.options },
    payload,
  );
}

describe('fragmentIpv4', () => {
  it('splits at 8-byte aligned offsets with MF on all but the last', () => {
    const d = datagram(4000);
    const frags = fragmentIpv4(d, 1500)!;
    expect(frags.map((f) => f.length)).toEqual([1500, 1500, 1060]);
    const reprs = frags.map((f) => parseIpv4Header(f, 0, f.length)!); // checksums verified
    expect(reprs.map((r) => r.fragOffset)).toEqual([0, 1480, 2960]);
    expect(reprs.map((r) => r.moreFragments)).toEqual([true, true, false]);
    expect(reprs.every((r) => r.id === 7 && r.ttl === 64)).toBe(true);
  });

  it('returns the datagram itself when it fits, null when DF forbids splitting', () => {
    const d = datagram(1000);
    expect(fragmentIpv4(d, 1500)).toEqual([d]);
    expect(fragmentIpv4(datagram(2000, { df: true }), 1500)).toBeNull();
    expect(fragmentIpv4(d, 27)).toBeNull(); // cannot carry 8 data bytes
    expect(fragmentIpv4(new Uint8Array(30), 20)).toBeNull(); // not IPv4
  });

  it('copies only options with the copied flag into non-first fragments', () => {
    // Router Alert (0x94, copied) + NOP + record-route-like option 0x07 (not copied).
    const options = Uint8Array.of(0x94, 4, 0, 0, 1, 0x07, 3, 0);
    const frags = fragmentIpv4(datagram(1000, { options }), 500)!;
    expect(new Ipv4View(frags[0], 0).headerLen).toBe(28);
    expect(bytesToHex(parseIpv4Header(frags[0], 0, frags[0].length)!.options!)).toBe(bytesToHex(options));
    for (const f of frags.slice(1)) {
      expect(bytesToHex(parseIpv4Header(f, 0, f.length)!.options!)).toBe('94040000');
    }
  });

  it('re-fragments a fragment keeping its offset and its MF on the last piece', () => {
    const [a] = fragmentIpv4(datagram(3000), 1500)!;
    const sub = fragmentIpv4(a, 600)!;
    const reprs = sub.map((f) => parseIpv4Header(f, 0, f.length)!);
    expect(reprs.map((r) => [r.fragOffset, r.moreFragments])).toEqual([
      [0, true],
      [576, true],
      [1152, true],
    ]);
    const r = new Reassembler();
    let whole: Uint8Array | null = null;
    for (const f of [...sub, ...fragmentIpv4(datagram(3000), 1500)!.slice(1)]) whole = r.add(f, 0) ?? whole;
    expect(whole && bytesToHex(whole)).toBe(bytesToHex(datagram(3000)));
  });
});

describe('Reassembler', () => {
  it('passes non-fragments through and rejects garbage', () => {
    const r = new Reassembler();
    const d = datagram(100);
    expect(r.add(d, 0)).toBe(d);
    expect(r.add(new Uint8Array(10), 0)).toBeNull();
  });

  it('reassembles in any order with duplicates and overlaps (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        fc.integer({ min: 68, max: 1500 }),
        fc.infiniteStream(fc.nat()),
        fc.array(fc.nat(), { maxLength: 5 }),
        (len, mtu, order, dups) => {
          const d = datagram(len, { options: len % 2 ? Uint8Array.of(0x94, 4, 0, 0) : undefined });
          const frags = fragmentIpv4(d, mtu)!;
          const sequence = [...frags, ...dups.map((i) => frags[i % frags.length])];
          // Shuffle deterministically from the stream.
          for (let i = sequence.length - 1; i > 0; i--) {
            const j = order.next().value % (i + 1);
            [sequence[i], sequence[j]] = [sequence[j], sequence[i]];
          }
          const r = new Reassembler();
          const outputs = sequence.map((f, i) => r.add(f, i)).filter((x) => x !== null);
          const expected = frags.length === 1 ? sequence.length : 1;
          expect(outputs.length).toBeGreaterThanOrEqual(1);
          if (frags.length > 1) expect(outputs.length).toBeLessThanOrEqual(expected + dups.length);
          expect(bytesToHex(outputs[0]!)).toBe(bytesToHex(d));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reassembles overlapping fragments from two different MTUs (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 5000 }), fc.integer({ min: 68, max: 1500 }), fc.integer({ min: 68, max: 1500 }), fc.infiniteStream(fc.nat()), (len, m1, m2, coin) => {
        const d = datagram(len);
        const a = fragmentIpv4(d, m1)!;
        const b = fragmentIpv4(d, m2)!;
        // Take each piece from either set, then add the other set's pieces until done.
        const mixed = [...a, ...b].filter(() => coin.next().value % 2 === 0);
        const r = new Reassembler();
        let whole: Uint8Array | null = null;
        for (const f of [...mixed, ...a, ...b]) {
          whole = r.add(f, 0);
          if (whole) break;
        }
        expect(whole && bytesToHex(whole)).toBe(bytesToHex(d));
      }),
      { numRuns: 200 },
    );
  });

  it('lets the first arrival win where overlapping data differs', () => {
    const d = datagram(2000);
    const frags = fragmentIpv4(d, 1000)!; // data 0..976, 976..1952, 1952..1980
    const evil = frags[1].slice();
    evil.fill(0xee, 20);
    const v = new Ipv4View(evil, 0);
    v.fillChecksum();
    const r = new Reassembler();
    expect(r.add(frags[1], 0)).toBeNull();
    expect(r.add(evil, 0)).toBeNull(); // exact duplicate range: ignored
    expect(r.add(frags[2], 0)).toBeNull();
    expect(bytesToHex(r.add(frags[0], 0)!)).toBe(bytesToHex(d));
  });

  it('expires incomplete datagrams after the timeout and returns the first fragment', () => {
    const r = new Reassembler();
    const frags = fragmentIpv4(datagram(3000, { id: 9 }), 1500)!;
    expect(r.add(frags[0], 1 * SEC)).toBeNull();
    expect(r.add(frags[2], 2 * SEC)).toBeNull();
    expect(r.expire(30 * SEC)).toEqual([]);
    const gone = r.expire(31 * SEC);
    expect(gone.length).toBe(1);
    expect(gone[0].id).toBe(9);
    expect(bytesToHex(gone[0].firstFragment!)).toBe(bytesToHex(frags[0]));
    expect(r.size).toBe(0);
    expect(r.bytesHeld).toBe(0);
    expect(r.add(frags[1], 32 * SEC)).toBeNull(); // late piece starts over, no completion
    expect(r.stats.expired).toBe(1);
  });

  it('honours a configurable timeout', () => {
    const r = new Reassembler({ timeoutNs: 5 * SEC });
    r.add(fragmentIpv4(datagram(3000), 1500)![1], 0);
    expect(r.expire(5 * SEC).length).toBe(1);
  });

  it('keeps memory bounded', () => {
    const r = new Reassembler({ maxDatagrams: 8, maxBytes: 20_000 });
    for (let id = 0; id < 100; id++) r.add(fragmentIpv4(datagram(3000, { id }), 1500)![0], id);
    expect(r.size).toBeLessThanOrEqual(8);
    expect(r.bytesHeld).toBeLessThanOrEqual(20_000);
    // The newest datagram is still held and completes.
    const last = fragmentIpv4(datagram(3000, { id: 99 }), 1500)!;
    expect(r.add(last[1], 100)).toBeNull();
    expect(r.add(last[2], 100)).not.toBeNull();
  });

  it('drops contradictions and malformed fragments without throwing', () => {
    const r = new Reassembler();
    const frags = fragmentIpv4(datagram(3000), 1500)!;
    r.add(frags[2], 0);
    // A "last" fragment that ends elsewhere contradicts the first last fragment.
    const bogus = frags[1].slice();
    const v = new Ipv4View(bogus, 0);
    v.setFragment(false, false, 1480);
    v.fillChecksum();
    expect(r.add(bogus, 0)).toBeNull();
    expect(r.size).toBe(0);
    // Non-final fragment whose length is not a multiple of 8.
    const odd = fragmentIpv4(datagram(3000), 1500)![0].slice(0, 1499);
    const ov = new Ipv4View(odd, 0);
    ov.totalLen = 1499;
    ov.fillChecksum();
    expect(r.add(odd, 0)).toBeNull();
    expect(r.size).toBe(0);
  });

  it('never throws on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 20 }), (list) => {
        const r = new Reassembler({ maxDatagrams: 4 });
        for (const b of list) {
          if (b.length >= 20) {
            b[0] = 0x45;
            b[2] = 0;
            b[3] = b.length;
          }
          r.add(b, 0);
        }
        r.expire(1e12);
        expect(r.size).toBe(0);
      }),
    );
  });
});
