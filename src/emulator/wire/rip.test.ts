// RIP messages: a byte fixture of a RIPv2 response (RFC 2453 §4 layout), round trips of
// random messages, the whole-table request, and parse errors with their reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './addr';
import { bytesToHex, hexToBytes } from './hex';
import { buildRip, formatRip, formatRipEntry, parseRip, RIP_COMMAND, ripWholeTableRequest, type RipRepr } from './rip';

// Response, version 2, one route 10.0.8.0/24, next hop 0.0.0.0, metric 2.
const RESPONSE_HEX = '02020000' + '0002' + '0000' + '0a000800' + 'ffffff00' + '00000000' + '00000002';

describe('rip', () => {
  it('parses and emits a RIPv2 response byte for byte', () => {
    const bytes = hexToBytes(RESPONSE_HEX)!;
    const r = parseRip(bytes, 0, bytes.length) as RipRepr;
    expect(r).toEqual({ command: RIP_COMMAND.RESPONSE, version: 2, entries: [{ afi: 2, tag: 0, addr: parseIpv4('10.0.8.0'), mask: 0xffffff00, nextHop: 0, metric: 2 }] });
    expect(bytesToHex(buildRip(r))).toBe(RESPONSE_HEX);
    expect(formatRip(r)).toBe('Response v2 (1 route)');
    expect(formatRipEntry(r.entries[0])).toBe('10.0.8.0/24 metric 2');
  });

  it('the whole-table request is one AFI 0 entry with metric 16 (RFC 2453 §3.9.1)', () => {
    expect(bytesToHex(buildRip(ripWholeTableRequest()))).toBe('01020000' + '0000'.repeat(2) + '00'.repeat(12) + '00000010');
  });

  it('says why bytes are not a RIP message', () => {
    expect(parseRip(new Uint8Array(3), 0, 3)).toBe('truncated');
    expect(parseRip(new Uint8Array(10), 0, 10)).toBe('bad-length');
    expect(parseRip(new Uint8Array(24), 4, 24)).toBe('truncated');
  });

  it('round-trips any message (unknown AFIs and authentication entries included)', () => {
    const entry = fc.record({ afi: fc.integer({ min: 0, max: 0xffff }), tag: fc.integer({ min: 0, max: 0xffff }), addr: fc.nat({ max: 0xffffffff }), mask: fc.nat({ max: 0xffffffff }), nextHop: fc.nat({ max: 0xffffffff }), metric: fc.nat({ max: 0xffffffff }) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.array(entry, { maxLength: 25 }), (command, version, entries) => {
        const repr = { command, version, entries };
        const bytes = buildRip(repr);
        expect(parseRip(bytes, 0, bytes.length)).toEqual(repr);
      }),
      { numRuns: 500 },
    );
  });
});

describe('rip in frame summaries', () => {
  it('a RIP datagram on port 520 is summarized as tshark does', async () => {
    const { summarizeFrame } = await import('./decode');
    const { buildIpv4Packet, IP_PROTO } = await import('./ipv4');
    const { buildUdp } = await import('./udp');
    const src = parseIpv4('10.0.5.2')!;
    const dst = parseIpv4('224.0.0.9')!;
    const rip = hexToBytes(RESPONSE_HEX)!;
    const udp = buildUdp({ srcPort: 520, dstPort: 520, payload: rip }, src, dst);
    const ip = buildIpv4Packet({ src, dst, proto: IP_PROTO.UDP, ttl: 1, tos: 0, id: 1, dontFragment: false, moreFragments: false, fragOffset: 0 }, udp);
    const frame = new Uint8Array(14 + ip.length);
    frame.set([1, 0, 0x5e, 0, 0, 9, 0x42, 0, 0xaa, 0, 0, 1, 8, 0]);
    frame.set(ip, 14);
    expect(summarizeFrame(frame)).toMatchObject({ proto: 'udp', src: '10.0.5.2', dst: '224.0.0.9', info: 'Response' }); // as tshark's Info column
  });
});

describe('rip in the field tree', () => {
  it('decodes a RIP response as its own layer after UDP, with each entry', async () => {
    const { decodeRip } = await import('./decode-rip');
    const bytes = hexToBytes(RESPONSE_HEX)!;
    const layer = decodeRip(bytes, 0, bytes.length)!;
    expect(layer.name).toBe('Routing Information Protocol');
    expect(layer.value).toBe('Response, version 2');
    expect(layer.children!.map((c) => `${c.name}: ${c.value}`)).toEqual(['Command: Response (2)', 'Version: RIPv2 (2)', 'IP Address: 10.0.8.0/24 metric 2']);
    expect(layer.children![2].children!.map((c) => `${c.name}: ${c.value}`)).toEqual(['Address Family: IP (2)', 'Route Tag: 0', 'IP Address: 10.0.8.0', 'Netmask: 255.255.255.0', 'Next Hop: 0.0.0.0', 'Metric: 2']);
    expect(decodeRip(bytes, 0, 10)).toBeNull();
  });
});
