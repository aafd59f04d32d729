// Garbage and truncated input never throws, and every view check guards its getters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleFrames } from '../../../test/wire/sample-frames';
import { ArpView, parseArp } from './arp';
import { EthernetView, parseEthernet } from './ethernet';
import { fragmentIpv4 } from './fragment';
import { hexToBytes } from './hex';
import { IcmpView, parseIcmp } from './icmp';
import { Icmpv6View, parseIcmpv6 } from './icmpv6';
import { Ipv6View, parseIpv6Header, walkIpv6Chain } from './ipv6';
import { parseUdp6 } from './udp6';
import { Ipv4View, parseIpv4Header, parseIpv4Quoted } from './ipv4';
import { parseTcp, TcpView } from './tcp';
import { parseTcpOptions } from './tcp-options';
import { parseUdp, UdpView } from './udp';
import { parseRip, RipView } from './rip';
import { parseRipng, RipngView } from './ripng';
import { parseDhcp } from './dhcp';
import { parseDns } from './dns';
import { parseDhcp6 } from './dhcp6';
import { decodeDhcp6 } from './decode-dhcp6';
import { dhcp6DumpText } from './tcpdump-dhcp6';
import { BgpHeaderView, bgpFrame, parseBgp } from './bgp';
import { BpduView, parseBpdu } from './stp';
import { decodeOspf6 } from './decode-ospf6';
import { parseIntraPrefix6Lsa, parseLink6Lsa, parseNetwork6Lsa, parseOspf6, parseRouter6Lsa } from './ospf6';

type Parser = (b: Uint8Array, off: number, len: number) => unknown;

const PARSERS: [string, Parser][] = [
  ['ethernet', parseEthernet],
  ['arp', parseArp],
  ['ipv4', (b, o, l) => parseIpv4Header(b, o, l)],
  ['ipv4 unverified', (b, o, l) => parseIpv4Header(b, o, l, false)],
  ['ipv4 quoted', parseIpv4Quoted],
  ['icmp', (b, o, l) => parseIcmp(b, o, l, false)],
  ['udp', (b, o, l) => parseUdp(b, o, l, 1, 2)],
  ['tcp', (b, o, l) => parseTcp(b, o, l, 1, 2)],
  ['ipv6', parseIpv6Header],
  ['ipv6 chain', (b, o, l) => walkIpv6Chain(b, o, o + l)],
  ['icmpv6', (b, o, l) => parseIcmpv6(b, o, l)],
  ['icmpv6 checked', (b, o, l) => parseIcmpv6(b, o, l, { src: new Uint8Array(16), dst: new Uint8Array(16) })],
  ['udp6', (b, o, l) => parseUdp6(b, o, l, { src: new Uint8Array(16), dst: new Uint8Array(16) })],
  ['rip', parseRip],
  ['ripng', parseRipng],
  ['dhcp', parseDhcp],
  ['dhcpv6', parseDhcp6],
  ['dhcpv6 decode', decodeDhcp6],
  ['dhcpv6 tcpdump', (b, o, l) => dhcp6DumpText(b, o, l, true)],
  ['dns', parseDns],
  ['bgp', (b, o, l) => parseBgp(b, o, l)],
  ['bgp 2-octet', (b, o, l) => parseBgp(b, o, l, false)],
  ['bgp frame', bgpFrame],
  ['stp', parseBpdu],
  ['tcp options', parseTcpOptions],
  ['ospf6', (b, o, l) => parseOspf6(b.subarray(Math.max(0, o), Math.max(0, o) + Math.max(0, l)))],
  ['ospf6 decode', (b, o, l) => decodeOspf6(b, Math.max(0, o), Math.max(0, l))],
  ['ospf6 lsas', (b) => [parseRouter6Lsa(b), parseNetwork6Lsa(b), parseLink6Lsa(b), parseIntraPrefix6Lsa(b)]],
];

/**
 * A buffer that records every index read, so a test can prove a view that passed its
 * check never reads outside `[lo, hi)`.
 */
function spyBuffer(bytes: Uint8Array): { buf: Uint8Array; reads: number[] } {
  const reads: number[] = [];
  const buf = new Proxy(bytes, {
    get(target, key) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.push(Number(key));
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { buf, reads };
}

/** Reads every getter of a view: each must stay inside the checked range. */
function touchAll(view: object, reads: number[], lo: number, hi: number): void {
  const proto = Object.getPrototypeOf(view);
  for (const key of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (d?.get) d.get.call(view);
  }
  const outside = reads.filter((i) => i < lo || i >= hi);
  expect(outside, `${proto.constructor.name} read outside [${lo}, ${hi})`).toEqual([]);
}

describe('never throws on bad input', () => {
  it('all parsers on random bytes, offsets and lengths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: -5, max: 110 }), fc.integer({ min: -5, max: 120 }), (b, off, len) => {
        for (const [name, parse] of PARSERS) {
          const r = parse(b, off, len) as { ok?: boolean; reason?: string } | null;
          // The IPv6 parsers say why they refused (STYLE: return the reason, not null).
          if (name.startsWith('ipv6') || name.startsWith('icmpv6') || name === 'udp6') expect(r!.ok || (r!.reason ?? '').length > 0).toBe(true);
        }
        expect(hexToBytes('zz')).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('views pass checks only when every getter reads real bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(80), (b, off) => {
        const len = b.length - off;
        const hi = b.length;
        const s = () => spyBuffer(b);
        let x = s();
        if (EthernetView.check(b, off, len)) touchAll(new EthernetView(x.buf, off), x.reads, off, hi);
        x = s();
        if (ArpView.check(b, off, len)) touchAll(new ArpView(x.buf, off), x.reads, off, hi);
        x = s();
        if (Ipv4View.check(b, off, len)) touchAll(new Ipv4View(x.buf, off), x.reads, off, hi);
        x = s();
        if (IcmpView.check(b, off, len)) touchAll(new IcmpView(x.buf, off, len), x.reads, off, hi);
        x = s();
        if (UdpView.check(b, off, len)) touchAll(new UdpView(x.buf, off), x.reads, off, hi);
        x = s();
        if (TcpView.check(b, off, len)) touchAll(new TcpView(x.buf, off), x.reads, off, hi);
        x = s();
        if (Ipv6View.check(b, off, len)) touchAll(new Ipv6View(x.buf, off), x.reads, off, hi);
        x = s();
        if (Icmpv6View.check(b, off, len)) touchAll(new Icmpv6View(x.buf, off, len), x.reads, off, hi);
        x = s();
        if (BgpHeaderView.check(b, off, len)) touchAll(new BgpHeaderView(x.buf, off), x.reads, off, hi);
        x = s();
        if (BpduView.check(b, off, len)) touchAll(new BpduView(x.buf, off), x.reads, off, hi);
        x = s();
        if (RipView.check(b, off, len)) {
          const v = new RipView(x.buf, off, len);
          touchAll(v, x.reads, off, hi);
          for (let i = 0; i < v.entryCount; i++) v.entry(i);
          expect(x.reads.filter((k) => k < off || k >= hi)).toEqual([]);
        }
        x = s();
        if (RipngView.check(b, off, len)) {
          const v = new RipngView(x.buf, off, len);
          touchAll(v, x.reads, off, hi);
          for (let i = 0; i < v.entryCount; i++) v.entry(i);
          expect(x.reads.filter((k) => k < off || k >= hi)).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('every truncation of every sample frame', () => {
    for (const f of sampleFrames()) {
      for (let cut = 0; cut <= f.bytes.length; cut++) {
        const b = f.bytes.slice(0, cut);
        for (const [, parse] of PARSERS) for (const off of [0, 14, 18, 34, 38]) parse(b, off, b.length - off);
        fragmentIpv4(b.subarray(Math.min(14, b.length)), 576);
      }
    }
  });

  it('the read spy notices an out-of-range read (guards the test above)', () => {
    const x = spyBuffer(new Uint8Array(4));
    expect(() => touchAll(new Ipv4View(x.buf, 0), x.reads, 0, 4)).toThrow(/read outside/);
  });
});
