// OSPFv2 packets and LSAs: each packet type round-trips, the packet checksum and the LSA
// Fletcher checksum verify (and catch a flipped byte), summary-LSAs, an update built from
// stored LSAs with their ages, malformed packets say why.
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './addr';
import {
  buildLsa, buildOspf, buildOspfLsu, externalLsaBody, parseSummaryLsa, summaryLsaBody, INITIAL_SEQ, LSA_TYPE, lsaChecksumValid, networkLsaBody, OSPF_TYPE, parseExternalLsa, parseNetworkLsa, parseOspf,
  parseRouterLinks, readLsaHeader, ROUTER_LINK, routerLsaBody, type OspfBody,
} from './ospf';

const ip = (s: string) => parseIpv4(s)!;

describe('OSPF wire format', () => {
  const router = buildLsa({ age: 1, options: 2, type: LSA_TYPE.ROUTER, id: ip('1.1.1.1'), adv: ip('1.1.1.1'), seq: INITIAL_SEQ }, routerLsaBody(0, [
    { id: ip('10.0.0.3'), data: ip('10.0.0.1'), type: ROUTER_LINK.TRANSIT, metric: 10 },
    { id: ip('10.0.1.0'), data: ip('255.255.255.0'), type: ROUTER_LINK.STUB, metric: 10 },
  ]));

  it('router-, network- and external-LSAs carry a valid Fletcher checksum and parse back', () => {
    expect(lsaChecksumValid(router)).toBe(true);
    expect(readLsaHeader(router, 0)).toMatchObject({ type: 1, seq: INITIAL_SEQ, length: 48 });
    expect(parseRouterLinks(router)).toEqual([
      { id: ip('10.0.0.3'), data: ip('10.0.0.1'), type: 2, metric: 10 },
      { id: ip('10.0.1.0'), data: ip('255.255.255.0'), type: 3, metric: 10 },
    ]);
    const net = buildLsa({ age: 0, options: 2, type: LSA_TYPE.NETWORK, id: ip('10.0.0.3'), adv: ip('3.3.3.3'), seq: INITIAL_SEQ + 4 }, networkLsaBody(ip('255.255.255.0'), [ip('3.3.3.3'), ip('1.1.1.1')]));
    expect(lsaChecksumValid(net)).toBe(true);
    expect(parseNetworkLsa(net)).toEqual({ mask: ip('255.255.255.0'), routers: [ip('3.3.3.3'), ip('1.1.1.1')] });
    const ext = buildLsa({ age: 0, options: 2, type: LSA_TYPE.EXTERNAL, id: ip('192.168.0.0'), adv: ip('3.3.3.3'), seq: INITIAL_SEQ }, externalLsaBody(ip('255.255.0.0'), 20));
    expect(lsaChecksumValid(ext)).toBe(true);
    expect(parseExternalLsa(ext)).toEqual({ mask: ip('255.255.0.0'), e2: true, metric: 20, fwd: 0 });
  });

  it('the LSA checksum ignores the age and catches any other flipped byte', () => {
    const aged = router.slice();
    aged[1] = 200;
    expect(lsaChecksumValid(aged)).toBe(true);
    for (let k = 2; k < router.length; k++) {
      const bad = router.slice();
      bad[k] ^= 0x10;
      expect(lsaChecksumValid(bad), `byte ${k}`).toBe(false);
    }
  });

  it('every packet type round-trips with a valid checksum', () => {
    const hdr = readLsaHeader(router, 0);
    const bodies: OspfBody[] = [
      { type: OSPF_TYPE.HELLO, hello: { mask: ip('255.255.255.0'), helloInterval: 10, options: 2, priority: 1, deadInterval: 40, dr: ip('10.0.0.3'), bdr: ip('10.0.0.2'), neighbors: [ip('2.2.2.2'), ip('3.3.3.3')] } },
      { type: OSPF_TYPE.DD, dd: { mtu: 1500, options: 2, flags: 7, seq: 4242, headers: [hdr] } },
      { type: OSPF_TYPE.LSR, requests: [{ type: 1, id: ip('1.1.1.1'), adv: ip('1.1.1.1') }] },
      { type: OSPF_TYPE.LSU, lsas: [router] },
      { type: OSPF_TYPE.ACK, headers: [hdr, hdr] },
    ];
    for (const body of bodies) {
      const b = buildOspf({ routerId: ip('1.1.1.1'), areaId: 0, body });
      expect(parseOspf(b)).toEqual({ routerId: ip('1.1.1.1'), areaId: 0, body });
    }
  });

  it('summary-LSAs (type 3 and 4) carry mask and metric with a valid checksum', () => {
    const s3 = buildLsa({ age: 0, options: 2, type: LSA_TYPE.SUMMARY, id: ip('10.2.2.0'), adv: ip('2.2.2.2'), seq: INITIAL_SEQ }, summaryLsaBody(ip('255.255.255.0'), 40));
    expect(lsaChecksumValid(s3)).toBe(true);
    expect(s3.length).toBe(28);
    expect(parseSummaryLsa(s3)).toEqual({ mask: ip('255.255.255.0'), metric: 40 });
    const s4 = buildLsa({ age: 0, options: 2, type: LSA_TYPE.ASBR_SUMMARY, id: ip('5.5.5.5'), adv: ip('2.2.2.2'), seq: INITIAL_SEQ }, summaryLsaBody(0, 0xffffff));
    expect(parseSummaryLsa(s4)).toEqual({ mask: 0, metric: 0xffffff });
    expect(parseSummaryLsa(s4.subarray(0, 24))).toBeNull();
  });

  it('an update built from stored LSAs with new ages is the same packet as buildOspf of the aged copies', () => {
    const net = buildLsa({ age: 7, options: 2, type: LSA_TYPE.NETWORK, id: ip('10.0.0.3'), adv: ip('3.3.3.3'), seq: INITIAL_SEQ }, networkLsaBody(ip('255.255.255.0'), [ip('3.3.3.3'), ip('1.1.1.1')]));
    const aged = (l: Uint8Array, age: number) => {
      const c = l.slice();
      c[0] = age >> 8;
      c[1] = age & 255;
      return c;
    };
    const direct = buildOspfLsu(ip('1.1.1.1'), ip('0.0.0.1'), [router, net], [300, 3600]);
    expect(direct).toEqual(buildOspf({ routerId: ip('1.1.1.1'), areaId: ip('0.0.0.1'), body: { type: OSPF_TYPE.LSU, lsas: [aged(router, 300), aged(net, 3600)] } }));
    expect(router[1]).toBe(1); // the stored LSA keeps its age
  });

  it('malformed packets say why', () => {
    const b = buildOspf({ routerId: 1, areaId: 0, body: { type: OSPF_TYPE.LSR, requests: [{ type: 1, id: 1, adv: 1 }] } });
    expect(parseOspf(b.subarray(0, 10))).toBe('shorter than the OSPF header');
    const bad = b.slice();
    bad[30] ^= 1;
    expect(parseOspf(bad)).toBe('bad checksum');
    const v3 = b.slice();
    v3[0] = 3;
    expect(parseOspf(v3)).toBe('version 3, not 2');
    const lsu = buildOspf({ routerId: 1, areaId: 0, body: { type: OSPF_TYPE.LSU, lsas: [router] } });
    const short = lsu.slice();
    short[24 + 3] = 2; // claims two LSAs, carries one
    short[12] = 0;
    short[13] = 0;
    expect(typeof parseOspf(short)).toBe('string');
  });
});
