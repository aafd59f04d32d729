// BGP messages: byte fixtures of an OPEN as FRR sends it and of an UPDATE (RFC 4271 §4.2,
// §4.3 layout), round trips of random messages, stream framing, and parse errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './addr';
import { bytesToHex, hexToBytes } from './hex';
import { bgpAs4, bgpCapabilities, bgpCommunities, bgpCommunitiesAttr, bgpFrame, buildBgp, formatAsPath, formatBgp, parseBgp, type BgpMessage } from './bgp';

const MARKER = 'ff'.repeat(16);
// OPEN, version 4, My AS 65001, hold 180, id 10.1.2.4, capabilities MP(1/1), route refresh, AS4 65001.
const OPEN_HEX = MARKER + '002d' + '01' + '04' + 'fde9' + '00b4' + '0a010204' + '10' + '020e' + '010400010001' + '0200' + '41040000fde9';
// UPDATE: ORIGIN IGP, AS_PATH (65002 65004), NEXT_HOP 10.1.2.8, MED 0; NLRI 172.16.101.0/24.
const UPDATE_HEX = MARKER + '003a' + '02' + '0000' + '001f' + '40010100' + '40020a02020000fdea0000fdec' + '4003040a010208' + '800404' + '00000000' + '18ac1065';

describe('bgp', () => {
  it('parses and emits an OPEN with FRR\'s capabilities byte for byte', () => {
    const bytes = hexToBytes(OPEN_HEX)!;
    const m = parseBgp(bytes, 0, bytes.length) as Extract<BgpMessage, { type: 'open' }>;
    expect(m).toEqual({ type: 'open', version: 4, myAs: 65001, holdTimeS: 180, bgpId: parseIpv4('10.1.2.4'), caps: bgpCapabilities(65001) });
    expect(bgpAs4(m.caps)).toBe(65001);
    expect(bytesToHex(buildBgp(m))).toBe(OPEN_HEX);
    expect(formatBgp(m)).toBe('OPEN AS 65001 hold 180s id 10.1.2.4');
  });

  it('parses and emits an UPDATE with 4-octet AS_PATH byte for byte', () => {
    const bytes = hexToBytes(UPDATE_HEX)!;
    const m = parseBgp(bytes, 0, bytes.length) as Extract<BgpMessage, { type: 'update' }>;
    expect(m.attrs).toEqual({ origin: 0, asPath: [{ type: 2, asns: [65002, 65004] }], nextHop: parseIpv4('10.1.2.8'), med: 0, localPref: null, other: [] });
    expect(m.nlri).toEqual([{ addr: parseIpv4('172.16.101.0'), prefixLen: 24 }]);
    expect(bytesToHex(buildBgp(m))).toBe(UPDATE_HEX);
    expect(formatAsPath(m.attrs!.asPath)).toBe('65002 65004');
    expect(formatBgp(m)).toBe('UPDATE 172.16.101.0/24 path [65002 65004] nh 10.1.2.8');
  });

  it('frames a stream: a whole message, more bytes needed, or the header error', () => {
    const ka = buildBgp({ type: 'keepalive' });
    expect(bytesToHex(ka)).toBe(MARKER + '001304');
    const two = new Uint8Array([...ka, ...ka]);
    expect(bgpFrame(two, 0, two.length)).toBe(19);
    expect(bgpFrame(two, 19, 10)).toBe(0);
    const bad = ka.slice();
    bad[3] = 0;
    expect(bgpFrame(bad, 0, 19)).toBe('bad-marker');
    bad[3] = 0xff;
    bad[17] = 18;
    expect(bgpFrame(bad, 0, 19)).toBe('bad-length');
  });

  it('says why bytes are not a BGP message', () => {
    expect(parseBgp(new Uint8Array(10), 0, 10)).toBe('truncated');
    expect(parseBgp(new Uint8Array(19), 0, 19)).toBe('bad-marker');
    const up = hexToBytes(UPDATE_HEX)!;
    up[25] = 0x20; // an attribute length running past the attributes
    expect(parseBgp(up, 0, up.length)).toBe('bad-attribute');
  });

  it('round-trips any UPDATE, NOTIFICATION and OPEN (unknown attributes kept)', () => {
    const prefix = fc.integer({ min: 0, max: 32 }).chain((len) => fc.nat({ max: 0xffffffff }).map((a) => ({ addr: len === 0 ? 0 : (a & ((0xffffffff << (32 - len)) >>> 0)) >>> 0, prefixLen: len })));
    const u32 = fc.nat({ max: 0xffffffff });
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const attrs = fc.record({
      origin: opt(fc.integer({ min: 0, max: 2 })),
      asPath: opt(fc.array(fc.record({ type: fc.constantFrom(1, 2), asns: fc.array(u32, { maxLength: 8 }) }), { maxLength: 3 })),
      nextHop: opt(u32),
      med: opt(u32),
      localPref: opt(u32),
      other: fc.array(fc.record({ flags: fc.constantFrom(0xc0, 0x80), type: fc.integer({ min: 6, max: 255 }), value: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 2 }),
    });
    const update = fc.record({ type: fc.constant('update' as const), withdrawn: fc.array(prefix, { maxLength: 10 }), attrs: opt(attrs), nlri: fc.array(prefix, { maxLength: 10 }) });
    const notification = fc.record({ type: fc.constant('notification' as const), code: fc.integer({ min: 1, max: 6 }), subcode: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: 20 }) });
    const open = fc.record({ type: fc.constant('open' as const), version: fc.constant(4), myAs: fc.integer({ min: 0, max: 0xffff }), holdTimeS: fc.integer({ min: 0, max: 0xffff }), bgpId: u32, caps: fc.array(fc.record({ code: fc.integer({ min: 0, max: 255 }), value: fc.uint8Array({ maxLength: 8 }) }), { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.oneof(update, notification, open), (m) => {
        // An empty attribute list is no attributes (RFC 4271 §4.3: Total Path Attribute Length 0).
        const norm = m.type === 'update' && m.attrs !== null && m.attrs.origin === null && m.attrs.asPath === null && m.attrs.nextHop === null && m.attrs.med === null && m.attrs.localPref === null && m.attrs.other.length === 0 ? { ...m, attrs: null } : m;
        const bytes = buildBgp(m);
        expect(bgpFrame(bytes, 0, bytes.length)).toBe(bytes.length);
        expect(parseBgp(bytes, 0, bytes.length)).toEqual(norm);
      }),
      { numRuns: 500 },
    );
  });
});

describe('bgp communities (RFC 1997)', () => {
  it('an UPDATE carrying COMMUNITIES round-trips with the optional transitive flags, and a bad length reads as none', () => {
    const attr = bgpCommunitiesAttr([65002 * 65536 + 7, 0xffffff01]);
    expect(bytesToHex(attr.value)).toBe('fdea0007ffffff01');
    const m: BgpMessage = { type: 'update', withdrawn: [], attrs: { origin: 0, asPath: [], nextHop: parseIpv4('10.0.0.1'), med: null, localPref: null, other: [attr] }, nlri: [{ addr: parseIpv4('10.1.0.0')!, prefixLen: 16 }] };
    const bytes = buildBgp(m, true);
    const back = parseBgp(bytes, 0, bytes.length, true);
    if (typeof back === 'string' || back.type !== 'update') throw new Error(String(back));
    expect(back.attrs!.other).toEqual([{ flags: 0xc0, type: 8, value: attr.value }]);
    expect(bgpCommunities(back.attrs!.other)).toEqual([65002 * 65536 + 7, 0xffffff01]);
    expect(bgpCommunities([{ flags: 0xc0, type: 8, value: new Uint8Array(5) }])).toBeNull();
    expect(bgpCommunities([])).toBeNull();
  });
});
