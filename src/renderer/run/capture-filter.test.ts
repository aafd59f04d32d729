import { describe, expect, it } from 'vitest';
import { compileFilter, type FilterRow } from './capture-filter';

const rows: FilterRow[] = [
  { proto: 'icmp', src: '10.0.0.20', dst: '10.0.1.20', info: 'Echo (ping) request id=0x1, seq=0/0, ttl=64', lengthBytes: 98, where: 'pc1:eth0' },
  { proto: 'icmp', src: '10.0.1.20', dst: '10.0.0.20', info: 'Echo (ping) reply id=0x1, seq=0/0, ttl=63', lengthBytes: 98, where: 'pc1:eth0' },
  { proto: 'arp', src: '42:00:aa:00:00:01', dst: 'ff:ff:ff:ff:ff:ff', info: 'Who has 10.0.0.1? Tell 10.0.0.20', lengthBytes: 42, where: 'pc1:eth0' },
  { proto: 'udp', src: '10.0.0.20', dst: '10.0.0.255', info: '5000 → 9 Len=10', lengthBytes: 52, where: 'router1:eth0' },
];

function select(expr: string): number[] {
  const f = compileFilter(expr);
  if (!f.ok) throw new Error(f.error);
  return rows.flatMap((r, i) => (f.match(r) ? [i] : []));
}

describe('capture filter', () => {
  it('matches everything when empty', () => expect(select('  ')).toEqual([0, 1, 2, 3]));
  it('matches protocol names', () => {
    expect(select('icmp')).toEqual([0, 1]);
    expect(select('arp')).toEqual([2]);
    expect(select('ip')).toEqual([0, 1, 3]);
  });
  it('compares addresses', () => {
    expect(select('ip.addr==10.0.1.20')).toEqual([0, 1]);
    expect(select('ip.src == 10.0.0.20')).toEqual([0, 3]);
    expect(select('ip.dst==10.0.0.20')).toEqual([1]);
    expect(select('ip.addr != 10.0.1.20')).toEqual([2, 3]);
  });
  it('combines with and/or/not and parentheses', () => {
    expect(select('icmp && ip.src==10.0.1.20')).toEqual([1]);
    expect(select('arp or udp')).toEqual([2, 3]);
    expect(select('!icmp')).toEqual([2, 3]);
    expect(select('not (icmp or arp)')).toEqual([3]);
    expect(select('icmp reply')).toEqual([1]);
  });
  it('compares lengths and matches text', () => {
    expect(select('len > 60')).toEqual([0, 1]);
    expect(select('frame.len==42')).toEqual([2]);
    expect(select('"who has"')).toEqual([2]);
    expect(select('router1')).toEqual([3]);
  });
  it('reports errors instead of throwing', () => {
    for (const bad of ['(icmp', 'icmp &&', 'foo.bar == 1', 'len > abc', 'ip.addr >', 'ip.src > 3']) {
      const f = compileFilter(bad);
      expect(f.ok, bad).toBe(false);
    }
  });
});

describe('capture filter: IPv6', () => {
  const v6: FilterRow[] = [
    { proto: 'ipv6', src: 'fc00::20', dst: 'fc00:1::20', info: 'Echo (ping) request id=0x1234, seq=0, hop limit=64', lengthBytes: 70, where: 'pc1:eth0' },
    { proto: 'ipv6', src: '::', dst: 'ff02::1:ff00:20', info: 'Neighbor Solicitation for fc00::20', lengthBytes: 78, where: 'pc1:eth0' },
    { proto: 'udp', src: 'fc00::20', dst: 'fc00:1::20', info: '50000 → 33434 Len=4', lengthBytes: 66, where: 'pc1:eth0' },
    { proto: 'udp', src: '10.0.0.20', dst: '10.0.1.20', info: '5000 → 9 Len=10', lengthBytes: 52, where: 'pc1:eth0' },
    { proto: 'arp', src: '42:00:aa:00:00:01', dst: 'Broadcast', info: 'Who has 10.0.0.1? Tell 10.0.0.20', lengthBytes: 42, where: 'pc1:eth0' },
  ];
  const pick = (expr: string) => {
    const f = compileFilter(expr);
    if (!f.ok) throw new Error(f.error);
    return v6.flatMap((r, i) => (f.match(r) ? [i] : []));
  };
  it('ipv6 and icmpv6 name IPv6 packets; ip stays IPv4', () => {
    expect(pick('ipv6')).toEqual([0, 1, 2]);
    expect(pick('icmpv6')).toEqual([0, 1]);
    expect(pick('ip')).toEqual([3]);
    expect(pick('udp and ipv6')).toEqual([2]);
  });
  it('compares IPv6 addresses and ICMPv6 types', () => {
    expect(pick('ipv6.addr==fc00:1::20')).toEqual([0, 2]);
    expect(pick('ipv6.src == ::')).toEqual([1]);
    expect(pick('icmpv6.type==135')).toEqual([1]);
    expect(pick('icmpv6.type >= 128 and icmpv6.type < 133')).toEqual([0]);
  });
});
