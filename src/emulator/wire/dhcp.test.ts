// DHCP bytes: the fixed layout at RFC 2131's offsets, options as RFC 2132 writes them,
// parse ∘ emit round trips, and garbage or truncated input never throws nor reads past the check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './addr';
import {
  BOOTP_OP, buildDhcp, chaddrOfMac, DHCP_MAGIC_COOKIE, DHCP_OPT, DHCP_TYPE, dhcpParams, DhcpView, formatDhcp, HTYPE_ETHERNET,
  optAddrs, optText, optU32, optU8, parseDhcp, type DhcpRepr,
} from './dhcp';

const ip = (s: string) => parseIpv4(s)!;

function offer(): DhcpRepr {
  return {
    op: BOOTP_OP.REPLY, htype: HTYPE_ETHERNET, hlen: 6, hops: 1, xid: 0x3903f326, secs: 0, flags: 0,
    ciaddr: 0, yiaddr: ip('192.168.0.10'), siaddr: 0, giaddr: ip('192.168.0.1'),
    chaddr: chaddrOfMac(0x42_00aa_000014), sname: '', file: '',
    options: [
      optU8(DHCP_OPT.MESSAGE_TYPE, DHCP_TYPE.OFFER),
      optU32(DHCP_OPT.SERVER_ID, ip('10.0.0.1')),
      optU32(DHCP_OPT.LEASE_TIME, 600),
      optU32(DHCP_OPT.SUBNET_MASK, ip('255.255.255.0')),
      optAddrs(DHCP_OPT.ROUTER, [ip('192.168.0.1')]),
      optAddrs(DHCP_OPT.DNS_SERVERS, [ip('10.0.0.53'), ip('10.0.0.54')]),
      optText(DHCP_OPT.DOMAIN_NAME, 'lab.example'),
    ],
  };
}

describe('dhcp wire', () => {
  it('writes RFC 2131 fields at their offsets and RFC 2132 options after the cookie', () => {
    const b = buildDhcp(offer());
    expect(b.length).toBe(300);
    expect([b[0], b[1], b[2], b[3]]).toEqual([2, 1, 6, 1]);
    expect(Array.from(b.subarray(4, 8))).toEqual([0x39, 0x03, 0xf3, 0x26]);
    expect(Array.from(b.subarray(16, 20))).toEqual([192, 168, 0, 10]);
    expect(Array.from(b.subarray(24, 28))).toEqual([192, 168, 0, 1]);
    expect(Array.from(b.subarray(28, 34))).toEqual([0x42, 0, 0xaa, 0, 0, 0x14]);
    expect(new DataView(b.buffer).getUint32(236)).toBe(DHCP_MAGIC_COOKIE);
    expect(Array.from(b.subarray(240, 243))).toEqual([53, 1, 2]);
    expect(Array.from(b.subarray(243, 249))).toEqual([54, 4, 10, 0, 0, 1]);
    const p = parseDhcp(b, 0, b.length);
    if (typeof p === 'string') throw new Error(p);
    const o = dhcpParams(p);
    expect(o.messageType).toBe(DHCP_TYPE.OFFER);
    expect(o.routers).toEqual([ip('192.168.0.1')]);
    expect(o.dnsServers).toEqual([ip('10.0.0.53'), ip('10.0.0.54')]);
    expect(o.domainName).toBe('lab.example');
    expect(o.leaseTimeS).toBe(600);
    expect(formatDhcp(p)).toBe('DHCP Offer - Transaction ID 0x3903f326');
    expect(new DhcpView(b, 0).clientMac).toBe(0x42_00aa_000014);
  });

  it('says why it refused: truncated fixed part, option past the end', () => {
    const b = buildDhcp(offer());
    expect(parseDhcp(b, 0, 235)).toBe('truncated');
    b[241] = 200; // message-type length now runs past the end
    expect(parseDhcp(b, 0, 260)).toBe('bad-option');
  });

  it('parse(emit(x)) = x for random messages', () => {
    const opt = fc.record({ code: fc.integer({ min: 1, max: 254 }), data: fc.uint8Array({ maxLength: 40 }) });
    const ascii = fc.stringMatching(/^[a-z0-9.]{0,20}$/);
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(
        fc.record({
          op: fc.integer({ min: 0, max: 255 }), htype: fc.integer({ min: 0, max: 255 }), hlen: fc.integer({ min: 0, max: 255 }),
          hops: fc.integer({ min: 0, max: 255 }), xid: u32, secs: fc.integer({ min: 0, max: 0xffff }), flags: fc.integer({ min: 0, max: 0xffff }),
          ciaddr: u32, yiaddr: u32, siaddr: u32, giaddr: u32, chaddr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
          sname: ascii, file: ascii, options: fc.option(fc.array(opt, { maxLength: 12 }), { nil: null }),
        }),
        (r) => {
          const b = buildDhcp(r);
          expect(parseDhcp(b, 0, b.length)).toEqual(r);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on garbage, and a checked view reads only inside the message', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), fc.integer({ min: -2, max: 300 }), (b, off) => {
        parseDhcp(b, off, b.length - off);
        if (!DhcpView.check(b, off, b.length - off)) return;
        const reads: number[] = [];
        const spy = new Proxy(b, { get: (t, k) => (typeof k === 'string' && /^\d+$/.test(k) && reads.push(Number(k)), Reflect.get(t, k, t)) });
        const v = new DhcpView(spy as Uint8Array, off);
        void [v.op, v.htype, v.hlen, v.hops, v.xid, v.secs, v.flags, v.ciaddr, v.yiaddr, v.siaddr, v.giaddr, v.clientMac];
        expect(reads.filter((k) => k < off || k >= b.length)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
