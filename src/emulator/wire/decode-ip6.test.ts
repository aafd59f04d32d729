// The capture tree shows IPv6, its extension headers, ICMPv6/NDP with options, and says
// why a packet is malformed instead of throwing.
import { describe, expect, it } from 'vitest';
import { ipv6SampleFrames } from '../../../test/wire/sample-frames6';
import { decodeFrame, summarizeFrame } from './decode';

const frame = (name: string) => ipv6SampleFrames().find((f) => f.name === name)!.bytes;
const names = (fs: { name: string; value: string; children?: unknown[] }[]): string[] => fs.map((f) => `${f.name}: ${f.value}`);

describe('IPv6 in the capture tree', () => {
  it('shows NDP with its target and options', () => {
    const tree = decodeFrame(frame('neighbor solicitation'));
    expect(names(tree).slice(1)).toEqual([
      'Internet Protocol Version 6: Src: fc00:1::20, Dst: ff02::1:ff00:1',
      'Internet Control Message Protocol v6: Neighbor Solicitation for fc00:1::1 from 42:00:aa:00:00:02',
    ]);
    expect(names(tree[2].children as never)).toContain('ICMPv6 Option: Source link-layer address : 42:00:aa:00:00:02');
    expect(names(tree[2].children as never)).toContain('Checksum: 0x' + tree[2].children![2].value.slice(2, 6) + ' [correct]');
  });
  it('shows the MTU, RDNSS and DNSSL options of a router advertisement (RFC 4861 §4.6.4, RFC 8106 §5)', () => {
    const opts = names(decodeFrame(frame('router advertisement with dns options'))[2].children as never).filter((n) => n.startsWith('ICMPv6 Option'));
    expect(opts).toEqual([
      'ICMPv6 Option: Source link-layer address : 42:00:aa:00:00:01',
      'ICMPv6 Option: MTU : 1400',
      'ICMPv6 Option: Recursive DNS Server : fc00:1::53 fe80::53 (lifetime 900 s)',
      'ICMPv6 Option: DNS Search List : lab.example example.com (lifetime 900 s)',
    ]);
  });
  it('shows extension headers and the quoted packet of an error', () => {
    expect(names(decodeFrame(frame('destination options + udp')))[2]).toBe('Destination Options for IPv6: Next Header: 17, 8 bytes');
    const err = decodeFrame(frame('hop limit exceeded'))[2];
    expect(names(err.children as never)).toContain('Internet Protocol Version 6 (quoted): Src: fc00:1::20, Dst: fc00:2::20');
  });
  it('reports truncation instead of throwing', () => {
    const f = frame('icmpv6 echo request');
    for (let cut = 14; cut < f.length; cut += 7) {
      const s = summarizeFrame(f.subarray(0, cut));
      expect(s.info).toMatch(/Malformed/);
      expect(JSON.stringify(decodeFrame(f.subarray(0, cut)))).toMatch(/Malformed/);
    }
  });
});
