// OSPFv3 packets and LSAs: each packet type round-trips, the LSA Fletcher checksum verifies
// (and catches a flipped byte), prefixes take whole words, malformed packets say why.
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './addr';
import { parseIpv6 } from './ipv6-addr';
import {
  buildLsa6, buildOspf6, intraPrefix6LsaBody, link6LsaBody, LSA6_TYPE, lsaChecksumValid, network6LsaBody, OPT6_DEFAULT, OSPF6_TYPE, parseIntraPrefix6Lsa,
  parseLink6Lsa, parseNetwork6Lsa, parseOspf6, parseRouter6Lsa, readLsa6Header, ROUTER6_LINK, router6LsaBody, type Ospf6Body,
} from './ospf6';

const rid = (s: string) => parseIpv4(s)!;
const v6 = (s: string) => parseIpv6(s)!;
const SEQ = 0x80000001 | 0;

describe('OSPFv3 wire format', () => {
  const router = buildLsa6({ age: 1, type: LSA6_TYPE.ROUTER, id: 0, adv: rid('1.1.1.1'), seq: SEQ }, router6LsaBody(0, OPT6_DEFAULT, [
    { type: ROUTER6_LINK.TRANSIT, metric: 10, ifId: 2, nbrIfId: 3, nbrRid: rid('2.2.2.2') },
    { type: ROUTER6_LINK.P2P, metric: 1, ifId: 4, nbrIfId: 5, nbrRid: rid('3.3.3.3') },
  ]));

  it('router-, network-, link- and intra-area-prefix-LSAs carry a valid checksum and parse back', () => {
    expect(lsaChecksumValid(router)).toBe(true);
    expect(readLsa6Header(router, 0)).toMatchObject({ type: 0x2001, seq: SEQ, length: 56 });
    expect(parseRouter6Lsa(router)!.links[1]).toEqual({ type: 1, metric: 1, ifId: 4, nbrIfId: 5, nbrRid: rid('3.3.3.3') });
    const net = buildLsa6({ age: 0, type: LSA6_TYPE.NETWORK, id: 3, adv: rid('2.2.2.2'), seq: SEQ }, network6LsaBody(OPT6_DEFAULT, [rid('2.2.2.2'), rid('1.1.1.1')]));
    expect(lsaChecksumValid(net)).toBe(true);
    expect(parseNetwork6Lsa(net)).toEqual({ options: OPT6_DEFAULT, routers: [rid('2.2.2.2'), rid('1.1.1.1')] });
    const p64 = { prefixLen: 64, options: 0, metric: 0, prefix: v6('fc00:1::') };
    const p128 = { prefixLen: 128, options: 2, metric: 0, prefix: v6('fc00::1') };
    const link = buildLsa6({ age: 0, type: LSA6_TYPE.LINK, id: 2, adv: rid('1.1.1.1'), seq: SEQ }, link6LsaBody({ priority: 1, options: OPT6_DEFAULT, linkLocal: v6('fe80::1'), prefixes: [p64, p128] }));
    expect(lsaChecksumValid(link)).toBe(true);
    expect(link.length).toBe(20 + 24 + 12 + 20);
    expect(parseLink6Lsa(link)).toEqual({ priority: 1, options: OPT6_DEFAULT, linkLocal: v6('fe80::1'), prefixes: [p64, p128] });
    const intra = buildLsa6({ age: 0, type: LSA6_TYPE.INTRA_PREFIX, id: 0, adv: rid('1.1.1.1'), seq: SEQ }, intraPrefix6LsaBody({ refType: LSA6_TYPE.ROUTER, refId: 0, refAdv: rid('1.1.1.1'), prefixes: [{ ...p64, metric: 10 }] }));
    expect(lsaChecksumValid(intra)).toBe(true);
    expect(parseIntraPrefix6Lsa(intra)).toEqual({ refType: 0x2001, refId: 0, refAdv: rid('1.1.1.1'), prefixes: [{ ...p64, metric: 10 }] });
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

  it('each packet type round-trips', () => {
    const hdr = readLsa6Header(router, 0);
    const bodies: Ospf6Body[] = [
      { type: OSPF6_TYPE.HELLO, hello: { ifId: 2, priority: 1, options: OPT6_DEFAULT, helloInterval: 10, deadInterval: 40, dr: rid('2.2.2.2'), bdr: 0, neighbors: [rid('2.2.2.2'), rid('3.3.3.3')] } },
      { type: OSPF6_TYPE.DD, dd: { options: OPT6_DEFAULT, mtu: 1500, flags: 7, seq: -5, headers: [hdr] } },
      { type: OSPF6_TYPE.LSR, requests: [{ type: 0x2009, id: 0, adv: rid('1.1.1.1') }] },
      { type: OSPF6_TYPE.LSU, lsas: [router] },
      { type: OSPF6_TYPE.ACK, headers: [hdr, hdr] },
    ];
    for (const body of bodies) {
      const b = buildOspf6({ routerId: rid('9.9.9.9'), areaId: 0, instance: 0, body });
      expect(b[0]).toBe(3);
      expect(parseOspf6(b)).toEqual({ routerId: rid('9.9.9.9'), areaId: 0, instance: 0, body });
    }
  });

  it('malformed packets say why', () => {
    const lsu = buildOspf6({ routerId: 1, areaId: 0, instance: 0, body: { type: OSPF6_TYPE.LSU, lsas: [router] } });
    expect(parseOspf6(lsu.subarray(0, 10))).toBe('shorter than the OSPFv3 header');
    const v2 = lsu.slice();
    v2[0] = 2;
    expect(parseOspf6(v2)).toBe('version 2, not 3');
    const bad = lsu.slice();
    bad[16 + 3] = 2; // two LSAs announced, one present
    expect(parseOspf6(bad)).toBe('truncated LSA');
    expect(parseLink6Lsa(router)).toBeNull();
  });
});
