import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internetChecksum } from './checksum';
import { hexToBytes } from './hex';
import {
  IP_PROTO,
  Ipv4View,
  buildIpv4Packet,
  emitIpv4,
  formatIpv4Header,
  ipv4DecrementTtl,
  parseIpv4Header,
  parseIpv4Quoted,
  type Ipv4Repr,
} from './ipv4';

// The classic header with checksum b861 (192.168.0.1 → 192.168.0.199, UDP, DF, len 0x73).
const HEADER = hexToBytes('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7')!;

function datagram(): Uint8Array {
  const d = new Uint8Array(0x73);
  d.set(HEADER);
  return d;
}

export const ipv4ReprArb: fc.Arbitrary<Ipv4Repr> = fc.record(
  {
    src: fc.integer({ min: 0, max: 0xffffffff }),
    dst: fc.integer({ min: 0, max: 0xffffffff }),
    proto: fc.integer({ min: 0, max: 255 }),
    ttl: fc.integer({ min: 0, max: 255 }),
    tos: fc.integer({ min: 0, max: 255 }),
    id: fc.integer({ min: 0, max: 0xffff }),
    dontFragment: fc.boolean(),
    moreFragments: fc.boolean(),
    fragOffset: fc.integer({ min: 0, max: 0x1fff }).map((n) => n * 8),
    payloadLen: fc.integer({ min: 0, max: 1500 }),
    options: fc.integer({ min: 1, max: 10 }).chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 })),
  },
  { requiredKeys: ['src', 'dst', 'proto', 'ttl', 'tos', 'id', 'dontFragment', 'moreFragments', 'fragOffset', 'payloadLen'] },
);

describe('ipv4', () => {
  it('parses a known header', () => {
    const d = datagram();
    expect(parseIpv4Header(d, 0, d.length)).toEqual({
      src: 0xc0a80001,
      dst: 0xc0a800c7,
      proto: IP_PROTO.UDP,
      ttl: 64,
      tos: 0,
      id: 0,
      dontFragment: true,
      moreFragments: false,
      fragOffset: 0,
      payloadLen: 0x73 - 20,
    });
  });

  it('rejects a bad checksum unless asked not to verify', () => {
    const d = datagram();
    d[11] ^= 1;
    expect(parseIpv4Header(d, 0, d.length)).toBeNull();
    expect(parseIpv4Header(d, 0, d.length, false)).not.toBeNull();
  });

  it('rejects bad version, IHL and lengths', () => {
    const d = datagram();
    expect(parseIpv4Header(d, 0, 0x72)).toBeNull(); // total length beyond the buffer
    const v6 = datagram();
    v6[0] = 0x65;
    expect(Ipv4View.check(v6, 0, v6.length)).toBe(false);
    const ihl4 = datagram();
    ihl4[0] = 0x44;
    expect(Ipv4View.check(ihl4, 0, ihl4.length)).toBe(false);
    expect(parseIpv4Quoted(d, 0, 28)).not.toBeNull(); // quoted header: truncated data is fine
  });

  it('skips options via IHL and keeps them', () => {
    const opts = Uint8Array.of(0x94, 0x04, 0x00, 0x00); // Router Alert (RFC 2113)
    const pkt = buildIpv4Packet(
      { src: 1, dst: 2, proto: 17, ttl: 1, tos: 0, id: 7, dontFragment: false, moreFragments: false, fragOffset: 0, options: opts },
      Uint8Array.of(9, 9, 9),
    );
    const v = new Ipv4View(pkt, 0);
    expect(v.headerLen).toBe(24);
    expect(v.payloadOffset).toBe(24);
    expect(pkt[24]).toBe(9);
    expect(parseIpv4Header(pkt, 0, pkt.length)?.options).toEqual(opts);
  });

  it('decrements TTL with an incremental checksum equal to recomputation', () => {
    fc.assert(
      fc.property(ipv4ReprArb, (r) => {
        const repr = r; // any TTL, 0 included (wraps to 255), though the stack stops at 1
        const buf = new Uint8Array(60 + repr.payloadLen);
        emitIpv4(repr, buf, 0);
        expect(ipv4DecrementTtl(buf, 0)).toBe((repr.ttl - 1) & 0xff);
        const hl = new Ipv4View(buf, 0).headerLen;
        expect(internetChecksum(buf, 0, hl)).toBe(0);
        expect(parseIpv4Header(buf, 0, buf.length)?.ttl).toBe((repr.ttl - 1) & 0xff);
      }),
      { numRuns: 1000 },
    );
  });

  it('checksumOk (the stack\'s input check) agrees with the RFC 1071 checksum on any header bytes', () => {
    fc.assert(
      fc.property(ipv4ReprArb, fc.nat(59), fc.integer({ min: 0, max: 255 }), (r, at, byte) => {
        const buf = new Uint8Array(60 + r.payloadLen);
        const hl = emitIpv4(r, buf, 0);
        expect(Ipv4View.checksumOk(buf, 0, hl)).toBe(true);
        buf[at % hl] = byte; // maybe corrupt one header byte
        expect(Ipv4View.checksumOk(buf, 0, hl)).toBe(internetChecksum(buf, 0, hl) === 0);
        expect(new Ipv4View(buf, 0).checksumValid()).toBe(internetChecksum(buf, 0, (buf[0] & 0x0f) * 4) === 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips parse∘emit (property)', () => {
    fc.assert(
      fc.property(ipv4ReprArb, (r) => {
        const buf = new Uint8Array(60 + r.payloadLen);
        const hl = emitIpv4(r, buf, 0);
        expect(hl).toBe(20 + (r.options?.length ?? 0));
        expect(parseIpv4Header(buf, 0, buf.length)).toEqual(r);
      }),
    );
  });

  it('view setters and flags', () => {
    const d = datagram();
    const v = new Ipv4View(d, 0);
    v.setFragment(false, true, 1480);
    v.ttl = 3;
    v.fillChecksum();
    expect(v.checksumValid()).toBe(true);
    expect(v.isFragment).toBe(true);
    expect(v.fragOffset).toBe(1480);
    expect(formatIpv4Header(parseIpv4Header(d, 0, d.length)!)).toBe(
      'IPv4 192.168.0.1 → 192.168.0.199 UDP ttl=3 id=0x0000 MF off=1480 len=95',
    );
  });
});
