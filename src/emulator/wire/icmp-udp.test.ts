import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './addr';
import { bytesToHex, hexToBytes } from './hex';
import {
  ICMP_TIME_EXCEEDED,
  ICMP_TYPE,
  ICMP_UNREACH,
  buildIcmp,
  emitIcmp,
  formatIcmp,
  icmpEchoReply,
  icmpEchoRequest,
  icmpError,
  parseIcmp,
  type IcmpRepr,
} from './icmp';
import { IP_PROTO, buildIpv4Packet, parseIpv4Quoted } from './ipv4';
import { buildUdp, emitUdp, formatUdp, parseUdp, UdpView } from './udp';

const WIN_PING_DATA = new TextEncoder().encode('abcdefghijklmnopqrstuvwabcdefghi');
const A = parseIpv4('10.0.0.20')!;
const B = parseIpv4('10.0.1.20')!;

describe('icmp', () => {
  it('emits the well-known Windows echo request (checksum 4d5a)', () => {
    const bytes = buildIcmp(icmpEchoRequest(1, 1, WIN_PING_DATA));
    expect(bytesToHex(bytes.subarray(0, 8))).toBe('08004d5a00010001');
    const r = parseIcmp(bytes, 0, bytes.length)!;
    expect(r.ident).toBe(1);
    expect(r.seq).toBe(1);
    expect(formatIcmp(r)).toBe('Echo (ping) request  id=0x0001, seq=1/256');
    expect(formatIcmp(icmpEchoReply(r))).toBe('Echo (ping) reply    id=0x0001, seq=1/256');
  });

  it('rejects a bad checksum and truncation', () => {
    const bytes = buildIcmp(icmpEchoRequest(1, 1, WIN_PING_DATA));
    expect(parseIcmp(bytes, 0, 7)).toBeNull();
    bytes[9] ^= 0xff;
    expect(parseIcmp(bytes, 0, bytes.length)).toBeNull();
    expect(parseIcmp(bytes, 0, bytes.length, false)).not.toBeNull();
  });

  it('builds errors quoting the original header (with options) + 8 bytes', () => {
    const udp = buildUdp({ srcPort: 33434, dstPort: 33435, payload: new Uint8Array(32) }, A, B);
    const orig = buildIpv4Packet(
      { src: A, dst: B, proto: IP_PROTO.UDP, ttl: 1, tos: 0, id: 7, dontFragment: false, moreFragments: false, fragOffset: 0, options: Uint8Array.of(1, 1, 1, 0) },
      udp,
    );
    const err = icmpError(ICMP_TYPE.TIME_EXCEEDED, ICMP_TIME_EXCEEDED.TTL, orig);
    expect(err.data.length).toBe(24 + 8);
    const bytes = buildIcmp(err);
    const back = parseIcmp(bytes, 0, bytes.length)!;
    expect(formatIcmp(back)).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    const quoted = parseIpv4Quoted(back.data, 0, back.data.length)!;
    expect(quoted.id).toBe(7);
    expect(quoted.options?.length).toBe(4);
    const ports = new UdpView(back.data, 24);
    expect([ports.srcPort, ports.dstPort]).toEqual([33434, 33435]);
  });

  it('carries the next-hop MTU in fragmentation needed (RFC 1191)', () => {
    const orig = buildIpv4Packet(
      { src: A, dst: B, proto: 1, ttl: 64, tos: 0, id: 1, dontFragment: true, moreFragments: false, fragOffset: 0 },
      new Uint8Array(1480),
    );
    const bytes = buildIcmp(icmpError(ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.FRAG_NEEDED, orig, { nextHopMtu: 1400 }));
    expect(bytesToHex(bytes.subarray(4, 8))).toBe('00000578');
    const r = parseIcmp(bytes, 0, bytes.length)!;
    expect(r.nextHopMtu).toBe(1400);
    expect(formatIcmp(r)).toBe('Destination unreachable (Fragmentation needed)');
    for (const [code, text] of [
      [ICMP_UNREACH.NET, 'Network unreachable'],
      [ICMP_UNREACH.HOST, 'Host unreachable'],
      [ICMP_UNREACH.PROTO, 'Protocol unreachable'],
      [ICMP_UNREACH.PORT, 'Port unreachable'],
    ] as const) {
      expect(formatIcmp(icmpError(ICMP_TYPE.DST_UNREACHABLE, code, orig))).toBe(`Destination unreachable (${text})`);
    }
  });

  it('round-trips parse∘emit (property)', () => {
    const data = fc.uint8Array({ maxLength: 100 });
    const u16 = fc.integer({ min: 0, max: 0xffff });
    const reprArb: fc.Arbitrary<IcmpRepr> = fc.oneof(
      fc.record({ type: fc.constantFrom(0, 8, 13, 14), code: fc.integer({ min: 0, max: 255 }), ident: u16, seq: u16, data }),
      fc.record({ type: fc.constant(3), code: fc.constant(4), nextHopMtu: u16, data }),
      fc.record({ type: fc.constant(5), code: fc.integer({ min: 0, max: 3 }), gateway: fc.integer({ min: 0, max: 0xffffffff }), data }),
      fc.record({ type: fc.constantFrom(3, 11, 12, 42), code: fc.integer({ min: 0, max: 3 }), rest: fc.integer({ min: 0, max: 0xffff }), data }),
    );
    fc.assert(
      fc.property(reprArb, (r) => {
        const buf = new Uint8Array(8 + r.data.length);
        emitIcmp(r, buf, 0);
        const back = parseIcmp(buf, 0, buf.length)!;
        expect({ ...back, data: bytesToHex(back.data) }).toEqual({ ...r, data: bytesToHex(r.data) });
      }),
    );
  });
});

describe('udp', () => {
  it('emits a checksum verified with the pseudo-header', () => {
    const bytes = buildUdp({ srcPort: 33434, dstPort: 33435, payload: new Uint8Array(32) }, A, B);
    expect(bytes.length).toBe(40);
    const r = parseUdp(bytes, 0, bytes.length, A, B)!;
    expect(formatUdp(r)).toBe('33434 → 33435 Len=32');
    expect(parseUdp(bytes, 0, bytes.length, A, B + 1)).toBeNull(); // wrong pseudo-header
    bytes[6] = 0;
    bytes[7] = 0;
    expect(parseUdp(bytes, 0, bytes.length, A, B + 1)).not.toBeNull(); // 0 = no checksum
  });

  it('sends a computed 0 checksum as ffff (RFC 768)', () => {
    // Find a 2-byte payload whose checksum computes to 0, then check it went out as ffff.
    for (let p = 0; p < 0x10000; p++) {
      const payload = Uint8Array.of(p >>> 8, p & 0xff);
      const b = buildUdp({ srcPort: 1, dstPort: 2, payload }, A, B);
      if (b[6] === 0xff && b[7] === 0xff) {
        expect(parseUdp(b, 0, b.length, A, B)).not.toBeNull();
        return;
      }
    }
    throw new Error('no payload produced a zero checksum');
  });

  it('rejects bad length fields', () => {
    const b = hexToBytes('0001 0002 0007 0000')!;
    expect(parseUdp(b, 0, 8)).toBeNull();
    const c = hexToBytes('0001 0002 0010 0000')!;
    expect(parseUdp(c, 0, 8)).toBeNull();
  });

  it('round-trips parse∘emit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (sp, dp, payload, s, d) => {
          const buf = new Uint8Array(8 + payload.length);
          emitUdp({ srcPort: sp, dstPort: dp, payload }, buf, 0, s, d);
          const r = parseUdp(buf, 0, buf.length, s, d)!;
          expect([r.srcPort, r.dstPort, bytesToHex(r.payload)]).toEqual([sp, dp, bytesToHex(payload)]);
        },
      ),
    );
  });
});
