// RIPng messages: a byte fixture of a response with a next hop entry (RFC 2080 §2.1),
// round trips of random messages, the whole-table request, and parse errors with reasons.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './hex';
import { parseIpv6 } from './ipv6-addr';
import { buildRipng, formatRipng, formatRipngEntry, parseRipng, RIPNG_COMMAND, ripngWholeTableRequest, type RipngRepr } from './ripng';

// Response v1: next hop fe80::1, then fc00:8::/64 tag 0 metric 2.
const RESPONSE_HEX = '02010000' + 'fe800000000000000000000000000001' + '0000' + '00' + 'ff' + 'fc000008000000000000000000000000' + '0000' + '40' + '02';

describe('ripng', () => {
  it('parses and emits a response byte for byte', () => {
    const bytes = hexToBytes(RESPONSE_HEX)!;
    const r = parseRipng(bytes, 0, bytes.length) as RipngRepr;
    expect(r.command).toBe(RIPNG_COMMAND.RESPONSE);
    expect(r.version).toBe(1);
    expect(r.entries.map((e) => [...e.prefix])).toEqual([[...parseIpv6('fe80::1')!], [...parseIpv6('fc00:8::')!]]);
    expect(r.entries.map(formatRipngEntry)).toEqual(['next hop fe80::1', 'fc00:8::/64 metric 2']);
    expect(formatRipng(r)).toBe('Response v1 (1 route)');
    expect(bytesToHex(buildRipng(r))).toBe(RESPONSE_HEX);
  });

  it('the whole-table request is one ::/0 entry with metric 16 (RFC 2080 §2.4.1)', () => {
    expect(bytesToHex(buildRipng(ripngWholeTableRequest()))).toBe('01010000' + '00'.repeat(16) + '0000' + '00' + '10');
  });

  it('says why bytes are not a RIPng message', () => {
    expect(parseRipng(new Uint8Array(3), 0, 3)).toBe('truncated');
    expect(parseRipng(new Uint8Array(10), 0, 10)).toBe('bad-length');
    expect(parseRipng(new Uint8Array(24), 4, 24)).toBe('truncated');
  });

  it('round-trips any message', () => {
    const entry = fc.record({ prefix: fc.uint8Array({ minLength: 16, maxLength: 16 }), tag: fc.integer({ min: 0, max: 0xffff }), prefixLen: fc.integer({ min: 0, max: 255 }), metric: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.array(entry, { maxLength: 30 }), (command, version, entries) => {
        const repr = { command, version, entries };
        const bytes = buildRipng(repr);
        expect(parseRipng(bytes, 0, bytes.length)).toEqual(repr);
      }),
      { numRuns: 300 },
    );
  });
});
