import { describe, expect, it } from 'vitest';
import { buildDhcp6, DHCP6_OPT, DHCP6_STATUS, DHCP6_TYPE, dhcp6Option, duidLlt, duidMac, formatDhcp6, optIaNa, parseDhcp6, readIaNa } from './dhcp6';
import { parseIpv6 } from './ipv6-addr';
import { parseMac } from './addr';

describe('DHCPv6 messages', () => {
  it('round-trips a Reply with an IA_NA, its address and a status code', () => {
    const mac = parseMac('42:aa:bb:00:aa:bb')!;
    const duid = duidLlt(mac, 946_684_800 + 5);
    expect(Array.from(duid.subarray(0, 8))).toEqual([0, 1, 0, 1, 0, 0, 0, 5]);
    expect(duidMac(duid)).toBe(mac);
    const ia = { iaid: 0x00aabb, t1S: 100, t2S: 160, addrs: [{ addr: parseIpv6('fc00:3::50')!, preferredS: 200, validS: 300, status: null }], status: { code: DHCP6_STATUS.SUCCESS, message: 'ok' } };
    const bytes = buildDhcp6({ type: DHCP6_TYPE.REPLY, xid: 0xabcdef, options: [optIaNa(ia), { code: DHCP6_OPT.CLIENTID, data: duid }] });
    expect(Array.from(bytes.subarray(0, 4))).toEqual([7, 0xab, 0xcd, 0xef]);
    const m = parseDhcp6(bytes, 0, bytes.length);
    if (typeof m === 'string') throw new Error(m);
    expect(readIaNa(dhcp6Option(m, DHCP6_OPT.IA_NA)!.data)).toEqual(ia);
    expect(formatDhcp6(m)).toBe('Reply XID: 0xabcdef IAA: fc00:3::50 CID: 000100010000000542aabb00aabb');
  });

  it('refuses an option running past the message and relay messages', () => {
    expect(parseDhcp6(Uint8Array.of(1, 0, 0, 1, 0, 1, 0, 9, 1), 0, 9)).toBe('bad-option');
    expect(parseDhcp6(Uint8Array.of(1, 0, 0), 0, 3)).toBe('truncated');
    expect(parseDhcp6(new Uint8Array(40).fill(12, 0, 1), 0, 40)).toBe('relay');
  });
});
