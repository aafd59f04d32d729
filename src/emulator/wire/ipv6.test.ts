// IPv6, ICMPv6/NDP and UDP-over-IPv6 bytes: fixtures checked by tshark (checksums "Good"),
// parse/emit round trips, extension header walking, address text (RFC 5952) and EUI-64.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMac } from './addr';
import { hexToBytes } from './hex';
import { buildIcmpv6, formatIcmpv6, ICMPV6_TYPE, icmpv6Error, parseIcmpv6, type Icmpv6Repr } from './icmpv6';
import { buildIpv6Packet, emitIpv6, IPV6_NEXT, parseIpv6Header, walkIpv6Chain } from './ipv6';
import { formatIpv6, ipv6Equal, linkLocalFromMac, multicastMacOf, parseIpv6, parseIpv6Cidr, parseIpv6Scoped, solicitedNode } from './ipv6-addr';
import { buildUdp6, parseUdp6 } from './udp6';

// Verified with tshark 4.x: checksum status Good, Info as in the comments.
/** Echo (ping) request id=0x1234, seq=1, hop limit=64 (fc00:1::20 → fc00:1::1). */
const ECHO = '6000000000103a40fc000001000000000000000000000020fc00000100000000000000000000000180006547123400010102030405060708';
/** Neighbor Solicitation for fc00:1::1 from 42:00:aa:00:00:02. */
const NS = '6000000000203afffe800000000000004000aafffe000002ff0200000000000000000001ff0000018700aa1400000000fc00000100000000000000000000000101014200aa000002';
/** UDP 50000 → 33434 Len=12, hop limit 1. */
const UDP = '6000000000141101fc000001000000000000000000000020fc000001000000000000000000000001c350829a0014c1b6000000000000000000000000';

const PC = parseIpv6('fc00:1::20')!;
const R = parseIpv6('fc00:1::1')!;
const MAC = parseMac('42:00:aa:00:00:02')!;
const bytes = (h: string) => hexToBytes(h)!;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function ok<T>(r: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('IPv6 addresses', () => {
  it('formats canonically (RFC 5952 §4)', () => {
    expect(formatIpv6(parseIpv6('FC00:0001:0000:0000:0000:0000:0000:0020')!)).toBe('fc00:1::20');
    expect(formatIpv6(parseIpv6('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1'); // first of equal runs
    expect(formatIpv6(parseIpv6('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1'); // one zero group stays
    expect(formatIpv6(parseIpv6('::')!)).toBe('::');
    expect(formatIpv6(parseIpv6('::1')!)).toBe('::1');
    expect(formatIpv6(parseIpv6('::ffff:10.0.0.1')!)).toBe('::ffff:10.0.0.1');
  });
  it('refuses bad text', () => {
    for (const t of ['', ':', '1:2:3:4:5:6:7', '1::2::3', 'fc00::g', '1:2:3:4:5:6:7:8:9', '12345::', 'fc00::1/129']) {
      expect(parseIpv6(t), t).toBeNull();
    }
    expect(parseIpv6Cidr('fc00:1::/64')).toEqual({ addr: parseIpv6('fc00:1::'), prefixLen: 64 });
    expect(parseIpv6Cidr('fc00:1::/129')).toBeNull();
    expect(parseIpv6Scoped('fe80::1%eth0')).toEqual({ addr: parseIpv6('fe80::1'), zone: 'eth0' });
  });
  it('derives link-local, solicited-node and group MACs', () => {
    expect(formatIpv6(linkLocalFromMac(MAC))).toBe('fe80::4000:aaff:fe00:2');
    expect(formatIpv6(solicitedNode(R))).toBe('ff02::1:ff00:1');
    expect(multicastMacOf(solicitedNode(R))).toBe(0x3333ff000001);
  });
  it('text round-trips for any address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (a) => {
        expect(parseIpv6(formatIpv6(a))).toEqual(a);
      }),
    );
  });
  it('compares two addresses inside larger buffers like a byte-by-byte comparison', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(15), fc.nat(15), fc.nat(15), fc.integer({ min: -1, max: 255 }), (a, aOff, bOff, at, to) => {
        const x = new Uint8Array(32);
        const y = new Uint8Array(40);
        x.set(a, aOff);
        y.set(a, bOff);
        // One byte changed (to -1: none), anywhere in the address.
        if (to >= 0) y[bOff + at] = to;
        const same = to < 0 || to === a[at];
        expect(ipv6Equal(x, y, aOff, bOff)).toBe(same);
        expect(ipv6Equal(y, x, bOff, aOff)).toBe(same);
      }),
    );
  });
});

describe('IPv6 header', () => {
  it('parses and re-emits the echo fixture byte for byte', () => {
    const b = bytes(ECHO);
    const h = ok(parseIpv6Header(b, 0, b.length));
    expect(formatIpv6(h.src)).toBe('fc00:1::20');
    expect(h).toMatchObject({ nextHeader: 58, hopLimit: 64, payloadLen: 16 });
    const m = ok(parseIcmpv6(b, 40, 16, { src: h.src, dst: h.dst }));
    expect(m).toMatchObject({ type: ICMPV6_TYPE.ECHO_REQUEST, ident: 0x1234, seq: 1 });
    expect(hex(buildIpv6Packet(h, buildIcmpv6(m, h.src, h.dst)))).toBe(ECHO);
  });
  it('says why a header is refused', () => {
    const b = bytes(ECHO);
    expect(parseIpv6Header(b, 0, 39)).toEqual({ ok: false, reason: 'truncated: 39 < 40 bytes' });
    expect(parseIpv6Header(b, 0, 50)).toMatchObject({ ok: false, reason: expect.stringContaining('payload length') });
    const v4 = b.slice();
    v4[0] = 0x45;
    expect(parseIpv6Header(v4, 0, v4.length)).toEqual({ ok: false, reason: 'version 4' });
  });
  it('repr round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(255), fc.nat(255), fc.nat(0xfffff), fc.nat(255), (src, dst, tc, nh, fl, hl) => {
        const repr = { src, dst, trafficClass: tc, nextHeader: nh, flowLabel: fl, hopLimit: hl, payloadLen: 0 };
        const buf = new Uint8Array(40);
        emitIpv6(repr, buf, 0);
        expect(ok(parseIpv6Header(buf, 0, 40))).toEqual(repr);
      }),
    );
  });
});

describe('extension header chain (RFC 8200 §4)', () => {
  const upper = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  function packet(first: number, exts: Uint8Array): Uint8Array {
    return buildIpv6Packet({ src: PC, dst: R, nextHeader: first, hopLimit: 64, trafficClass: 0, flowLabel: 0 }, Uint8Array.of(...exts, ...upper));
  }
  it('walks hop-by-hop, destination options, routing and fragment to the upper layer', () => {
    const exts = Uint8Array.of(
      60, 0, 5, 2, 0, 0, 1, 0, // hop-by-hop: router alert + PadN
      43, 0, 1, 4, 0, 0, 0, 0, // destination options: PadN
      44, 0, 0, 0, 0, 0, 0, 0, // routing type 0, segments left 0
      17, 0, 0, 0x01, 0, 0, 0, 9, // fragment: offset 0, M=1, id 9
    );
    const p = packet(IPV6_NEXT.HOP_BY_HOP, exts);
    const c = ok(walkIpv6Chain(p, 0, p.length));
    expect(c.exts.map((e) => e.type)).toEqual([0, 60, 43, 44]);
    expect(c).toMatchObject({ proto: 17, upperOff: 72, upperLen: 8, fragment: { offset: 0, more: true, ident: 9 }, badOptionPointer: -1 });
  });
  it('refuses hop-by-hop after another header, and lengths past the packet', () => {
    const late = packet(IPV6_NEXT.DEST_OPTS, Uint8Array.of(0, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0));
    expect(walkIpv6Chain(late, 0, late.length)).toEqual({ ok: false, reason: 'hop-by-hop header not first' });
    const long = packet(IPV6_NEXT.DEST_OPTS, Uint8Array.of(17, 9, 1, 4, 0, 0, 0, 0));
    expect(walkIpv6Chain(long, 0, long.length)).toMatchObject({ ok: false, reason: expect.stringContaining('runs past') });
  });
  it('points at an unknown option whose action says "send a parameter problem"', () => {
    const p = packet(IPV6_NEXT.DEST_OPTS, Uint8Array.of(17, 0, 0x87, 4, 0, 0, 0, 0));
    expect(ok(walkIpv6Chain(p, 0, p.length)).badOptionPointer).toBe(42);
  });
});

describe('ICMPv6 and NDP', () => {
  it('parses the neighbor solicitation fixture and re-emits it', () => {
    const b = bytes(NS);
    const h = ok(parseIpv6Header(b, 0, b.length));
    const m = ok(parseIcmpv6(b, 40, h.payloadLen, { src: h.src, dst: h.dst }));
    expect(formatIcmpv6(m)).toBe('Neighbor Solicitation for fc00:1::1 from 42:00:aa:00:00:02');
    expect(m.nd?.options).toEqual([{ kind: 'source-ll', mac: MAC }]);
    expect(hex(buildIpv6Packet(h, buildIcmpv6(m, h.src, h.dst)))).toBe(NS);
  });
  it('refuses a bad checksum and a zero-length option (RFC 4861 §4.6)', () => {
    const b = bytes(NS);
    const src = b.slice(8, 24);
    const dst = b.slice(24, 40);
    b[45] ^= 1;
    expect(parseIcmpv6(b, 40, 32, { src, dst })).toEqual({ ok: false, reason: 'bad ICMPv6 checksum' });
    const z = bytes(NS);
    z[65] = 0;
    expect(parseIcmpv6(z, 40, 32)).toEqual({ ok: false, reason: 'NDP option 1 has length 0' });
  });
  it('RDNSS and DNSSL options (RFC 8106 §5): lengths in 8-byte units, names padded with zeros; a bad one is kept as unknown', () => {
    const ra: Icmpv6Repr = { type: 134, code: 0, data: new Uint8Array(0), nd: { curHopLimit: 64, routerLifetimeS: 0, reachableTimeMs: 0, retransTimerMs: 0, options: [{ kind: 'rdnss', lifetimeS: 900, servers: [R] }, { kind: 'dnssl', lifetimeS: 900, domains: ['lab.example'] }] } };
    const b = buildIcmpv6(ra, PC, R);
    // RDNSS: type 25, length 3 (24 bytes), reserved, lifetime, one address.
    expect([...b.subarray(16, 24)]).toEqual([25, 3, 0, 0, 0, 0, 0x03, 0x84]);
    // DNSSL: type 31, length 3: 8 + "\x03lab\x07example\x00" (13) padded to 24.
    expect([...b.subarray(40, 42)]).toEqual([31, 3]);
    expect([...b.subarray(48, 64)]).toEqual([3, 108, 97, 98, 7, 101, 120, 97, 109, 112, 108, 101, 0, 0, 0, 0]);
    const bad = b.slice();
    bad[48] = 40; // a label running past the option
    expect(ok(parseIcmpv6(bad, 0, bad.length)).nd!.options[1]).toMatchObject({ kind: 'unknown', type: 31 });
  });
  it('round-trips every message type it builds', () => {
    const prefix = { kind: 'prefix' as const, prefixLen: 64, onLink: true, autonomous: true, validLifetimeS: 2592000, preferredLifetimeS: 604800, prefix: parseIpv6('fc00:1::')! };
    const msgs: Icmpv6Repr[] = [
      { type: 129, code: 0, ident: 7, seq: 9, data: Uint8Array.of(9, 9) },
      icmpv6Error(ICMPV6_TYPE.DST_UNREACHABLE, 3, bytes(ECHO)),
      icmpv6Error(ICMPV6_TYPE.PACKET_TOO_BIG, 0, bytes(ECHO), 1400),
      icmpv6Error(ICMPV6_TYPE.TIME_EXCEEDED, 0, bytes(UDP)),
      icmpv6Error(ICMPV6_TYPE.PARAM_PROBLEM, 2, bytes(ECHO), 42),
      { type: 133, code: 0, data: new Uint8Array(0), nd: { options: [{ kind: 'source-ll', mac: MAC }] } },
      { type: 134, code: 0, data: new Uint8Array(0), nd: { curHopLimit: 64, managed: false, otherConfig: true, routerLifetimeS: 1800, reachableTimeMs: 0, retransTimerMs: 0, options: [{ kind: 'source-ll', mac: MAC }, { kind: 'mtu', mtu: 1500 }, prefix] } },
      { type: 134, code: 0, data: new Uint8Array(0), nd: { curHopLimit: 64, managed: false, otherConfig: false, routerLifetimeS: 1800, reachableTimeMs: 0, retransTimerMs: 0, options: [{ kind: 'rdnss', lifetimeS: 900, servers: [R, PC] }, { kind: 'dnssl', lifetimeS: 0xffffffff, domains: ['a.example', 'lab'] }] } },
      { type: 136, code: 0, data: new Uint8Array(0), nd: { target: R, router: true, solicited: true, override: false, options: [{ kind: 'target-ll', mac: MAC }] } },
      { type: 137, code: 0, data: new Uint8Array(0), nd: { target: R, dest: PC, options: [{ kind: 'redirected', data: new Uint8Array(48) }] } },
    ];
    for (const m of msgs) {
      const b = buildIcmpv6(m, PC, R);
      const back = ok(parseIcmpv6(b, 0, b.length, { src: PC, dst: R }));
      expect(buildIcmpv6(back, PC, R)).toEqual(b);
      expect(back.type).toBe(m.type);
    }
  });
});

describe('UDP over IPv6', () => {
  it('parses the fixture with its checksum and re-emits it', () => {
    const b = bytes(UDP);
    const u = ok(parseUdp6(b, 40, 20, { src: PC, dst: R }));
    expect(u).toMatchObject({ srcPort: 50000, dstPort: 33434 });
    expect(hex(buildUdp6(u, PC, R))).toBe(UDP.slice(80));
  });
  it('refuses a zero checksum (RFC 8200 §8.1)', () => {
    const b = bytes(UDP);
    b[46] = 0;
    b[47] = 0;
    expect(parseUdp6(b, 40, 20, { src: PC, dst: R })).toEqual({ ok: false, reason: 'zero UDP checksum over IPv6' });
  });
});

describe('garbage behind a valid IPv6 header', () => {
  it('never throws and keeps every extension header inside the packet', () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 43, 44, 60, 58, 17), fc.uint8Array({ maxLength: 120 }), (first, tail) => {
        const p = buildIpv6Packet({ src: PC, dst: R, nextHeader: first, hopLimit: 64, trafficClass: 0, flowLabel: 0 }, tail);
        const c = walkIpv6Chain(p, 0, p.length);
        if (c.ok) {
          for (const e of c.value.exts) expect(e.off + e.len).toBeLessThanOrEqual(p.length);
          expect(c.value.upperOff + c.value.upperLen).toBe(p.length);
          parseIcmpv6(p, c.value.upperOff, c.value.upperLen, { src: PC, dst: R });
          parseUdp6(p, c.value.upperOff, c.value.upperLen);
        } else expect(c.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});
