import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseMac } from './addr';
import { ARP_OP, ArpView, emitArp, formatArp, parseArp } from './arp';
import { ETHERTYPE, EthernetView, buildEthernetFrame, emitEthernet, parseEthernet } from './ethernet';
import { bytesToHex, hexToBytes } from './hex';

function hex(s: string): Uint8Array {
  const b = hexToBytes(s);
  if (!b) throw new Error('bad fixture');
  return b;
}

// A broadcast ARP request laid out byte for byte as on the wire (hand-checked against
// RFC 826; test/wire/tshark.test.ts has tshark dissect the same layout):
// 00:07:0d:af:e4:54 asks who has 24.166.173.159, tell 24.166.172.1.
const ARP_REQUEST = hex(
  'ffffffffffff 00070dafe454 0806 0001 0800 06 04 0001 00070dafe454 18a6ac01 000000000000 18a6ad9f',
);

describe('ethernet', () => {
  it('parses an untagged header', () => {
    const eth = parseEthernet(ARP_REQUEST, 0, ARP_REQUEST.length);
    expect(eth).toEqual({ dst: 0xffffffffffff, src: 0x00070dafe454, etherType: ETHERTYPE.ARP });
    const v = new EthernetView(ARP_REQUEST, 0);
    expect(v.dstIsGroup).toBe(true);
    expect(v.payloadOffset).toBe(14);
  });

  it('parses and emits an 802.1Q tag', () => {
    const frame = hex('4200aa000002 4200aa000001 8100 a00a 0800 45');
    const eth = parseEthernet(frame, 0, frame.length);
    expect(eth).toEqual({ dst: 0x4200aa000002, src: 0x4200aa000001, etherType: 0x0800, vlan: 10, pcp: 5 });
    const out = new Uint8Array(18);
    expect(emitEthernet(eth!, out, 0)).toBe(18);
    expect(bytesToHex(out)).toBe(bytesToHex(frame.subarray(0, 18)));
    expect(new EthernetView(frame, 0).payloadOffset).toBe(18);
  });

  it('rejects truncated headers (tag without room)', () => {
    expect(parseEthernet(ARP_REQUEST, 0, 13)).toBeNull();
    const tagged = hex('4200aa000002 4200aa000001 8100 000a 08');
    expect(parseEthernet(tagged, 0, tagged.length)).toBeNull();
    expect(parseEthernet(ARP_REQUEST, 30, 60)).toBeNull(); // beyond the buffer
  });

  it('pads short frames to 60 bytes', () => {
    const f = buildEthernetFrame({ dst: 1, src: 2, etherType: ETHERTYPE.ARP }, new Uint8Array(28));
    expect(f.length).toBe(60);
    const t = buildEthernetFrame({ dst: 1, src: 2, etherType: ETHERTYPE.ARP, vlan: 3 }, new Uint8Array(28));
    expect(t.length).toBe(64);
  });

  it('round-trips parse∘emit (property)', () => {
    const repr = fc.record(
      {
        dst: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        src: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        etherType: fc.constantFrom(0x0800, 0x0806, 0x86dd, 0x88cc),
        vlan: fc.integer({ min: 0, max: 4095 }),
        pcp: fc.integer({ min: 0, max: 7 }),
      },
      { requiredKeys: ['dst', 'src', 'etherType'] },
    ).filter((r) => (r.vlan === undefined) === (r.pcp === undefined));
    fc.assert(
      fc.property(repr, (r) => {
        const buf = new Uint8Array(18);
        const n = emitEthernet(r, buf, 0);
        expect(parseEthernet(buf, 0, n)).toEqual(r);
      }),
    );
  });
});

describe('arp', () => {
  it('parses the captured request', () => {
    const arp = parseArp(ARP_REQUEST, 14, ARP_REQUEST.length - 14);
    expect(arp).toEqual({
      op: ARP_OP.REQUEST,
      senderMac: 0x00070dafe454,
      senderIp: parseIpv4('24.166.172.1'),
      targetMac: 0,
      targetIp: parseIpv4('24.166.173.159'),
    });
    expect(formatArp(arp!)).toBe('Who has 24.166.173.159? Tell 24.166.172.1');
  });

  it('emits the same bytes', () => {
    const arp = parseArp(ARP_REQUEST, 14, 28)!;
    const out = new Uint8Array(28);
    emitArp(arp, out, 0);
    expect(bytesToHex(out)).toBe(bytesToHex(ARP_REQUEST.subarray(14)));
  });

  it('formats replies, probes and announcements', () => {
    const base = { senderMac: parseMac('42:00:aa:00:00:01')!, targetMac: 0 };
    const ip = parseIpv4('10.0.0.1')!;
    expect(formatArp({ ...base, op: ARP_OP.REPLY, senderIp: ip, targetIp: 5 })).toBe('10.0.0.1 is at 42:00:aa:00:00:01');
    expect(formatArp({ ...base, op: ARP_OP.REQUEST, senderIp: 0, targetIp: ip })).toBe('Who has 10.0.0.1? (ARP Probe)');
    expect(formatArp({ ...base, op: ARP_OP.REQUEST, senderIp: ip, targetIp: ip })).toBe('ARP Announcement for 10.0.0.1');
  });

  it('rejects non-Ethernet/IPv4 ARP and truncation', () => {
    const b = ARP_REQUEST.slice(14);
    expect(parseArp(b, 0, 27)).toBeNull();
    b[4] = 8;
    expect(ArpView.check(b, 0, 28)).toBe(false);
  });

  it('round-trips (property)', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const mac = fc.integer({ min: 0, max: 2 ** 48 - 1 });
    fc.assert(
      fc.property(fc.record({ op: fc.integer({ min: 0, max: 0xffff }), senderMac: mac, senderIp: u32, targetMac: mac, targetIp: u32 }), (r) => {
        const buf = new Uint8Array(28);
        emitArp(r, buf, 0);
        expect(parseArp(buf, 0, 28)).toEqual(r);
      }),
    );
  });
});
