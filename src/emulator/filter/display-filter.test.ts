import { describe, expect, it } from 'vitest';
import { summarizeFrame } from '../wire/decode';
import { compileFilter, type FilterRow } from './display-filter';
import { ipv6SampleFrames } from '../../../test/wire/sample-frames6';

const hex = (s: string) => new Uint8Array(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
/** ICMP echo (type 08 request / 00 reply) with a TTL, 98 bytes on the wire. */
const echo = (type: string, ttl: string, src: string, dst: string) =>
  hex(`420000aa0002 420000aa0001 0800 4500 0054 0001 0000 ${ttl}01 0000 ${src} ${dst} ${type}00 0000 0001 0000` + '00'.repeat(56));
const arpRequest = hex('ffffffffffff 420000aa0001 0806 0001 0800 0604 0001 420000aa0001 0a000014 000000000000 0a000001' + '00'.repeat(18));
/** UDP 5000 → 9 from 10.0.0.20 to 10.0.0.255 with 10 bytes of data. */
const udp = hex('ffffffffffff 420000aa0001 0800 4500 0026 0002 0000 4011 0000 0a000014 0a0000ff 1388 0009 0012 0000' + '00'.repeat(10));
/** TCP SYN 40000 → 80 from 10.0.0.20 to 10.0.1.20. */
const tcpSyn = hex('420000aa0002 420000aa0001 0800 4500 0028 0003 0000 4006 0000 0a000014 0a000114 9c40 0050 00000001 00000000 5002 ffff 0000 0000');

const where = ['pc1:eth0', 'pc1:eth0', 'pc1:eth0', 'router1:eth0', 'pc1:eth0'];
const rows: FilterRow[] = [echo('08', '40', '0a000014', '0a000114'), echo('00', '3f', '0a000114', '0a000014'), arpRequest, udp, tcpSyn].map((bytes, i) => ({
  ...summarizeFrame(bytes),
  lengthBytes: bytes.length,
  where: where[i]!,
  bytes,
}));

function select(expr: string): number[] {
  const f = compileFilter(expr);
  if (!f.ok) throw new Error(f.error);
  return rows.flatMap((r, i) => (f.match(r) ? [i] : []));
}

describe('capture filter', () => {
  it('matches everything when empty', () => expect(select('  ')).toEqual([0, 1, 2, 3, 4]));
  it('matches protocol names', () => {
    expect(select('icmp')).toEqual([0, 1]);
    expect(select('arp')).toEqual([2]);
    expect(select('ip')).toEqual([0, 1, 3, 4]);
  });
  it('compares addresses', () => {
    expect(select('ip.addr==10.0.1.20')).toEqual([0, 1, 4]);
    expect(select('ip.src == 10.0.0.20')).toEqual([0, 3, 4]);
    expect(select('ip.dst==10.0.0.20')).toEqual([1]);
    expect(select('ip.addr != 10.0.1.20')).toEqual([3]);
    expect(select('ip.dst==10.0.0.0/24')).toEqual([1, 3]);
  });
  it("reads Wireshark's field names from the frame", () => {
    expect(select('icmp.type==8')).toEqual([0]);
    expect(select('icmp.type eq 0')).toEqual([1]);
    expect(select('ip.ttl==64')).toEqual([0, 3, 4]);
    expect(select('ip.ttl < 64')).toEqual([1]);
    expect(select('ip.proto==17')).toEqual([3]);
    expect(select('udp.port==9')).toEqual([3]);
    expect(select('udp.srcport==5000 && udp.dstport==9')).toEqual([3]);
    expect(select('udp.port')).toEqual([3]);
    expect(select('eth.addr==42:00:00:aa:00:02')).toEqual([0, 1, 4]);
    expect(select('eth.dst==ff:ff:ff:ff:ff:ff')).toEqual([2, 3]);
    expect(select('eth.src==42-00-00-AA-00-01')).toEqual([0, 1, 2, 3, 4]);
    expect(select('arp.opcode==1')).toEqual([2]);
    expect(select('frame.len==60')).toEqual([2]);
    expect(select('tcp.port==80')).toEqual([4]);
    expect(select('tcp.flags.syn==1 and tcp.flags.ack==0')).toEqual([4]);
    expect(select('tcp.dstport >= 80 or icmp.ident==1')).toEqual([0, 1, 4]);
  });
  it('combines with and/or/not and parentheses', () => {
    expect(select('icmp && ip.src==10.0.1.20')).toEqual([1]);
    expect(select('arp or udp')).toEqual([2, 3]);
    expect(select('!icmp')).toEqual([2, 3, 4]);
    expect(select('not (icmp or arp)')).toEqual([3, 4]);
    expect(select('icmp reply')).toEqual([1]);
  });
  it('compares lengths and columns, and matches text', () => {
    expect(select('len > 60')).toEqual([0, 1]);
    expect(select('src==10.0.0.20')).toEqual([0, 3, 4]);
    expect(select('"who has"')).toEqual([2]);
    expect(select('router1')).toEqual([3]);
  });
  it('refuses what it cannot mean, with a message', () => {
    const refused = (expr: string) => {
      const f = compileFilter(expr);
      expect(f.ok, expr).toBe(false);
      return f.ok ? '' : f.error;
    };
    expect(refused('ip.addr==999.1.1.1')).toMatch(/999\.1\.1\.1.*not an IPv4 address/);
    expect(refused('ip.addr==10.0.0')).toMatch(/not an IPv4 address/);
    expect(refused('eth.addr==42:00')).toMatch(/not a MAC address/);
    expect(refused('icmp.type==echo')).toMatch(/not a number/);
    expect(refused('ip.src > 10.0.0.1')).toMatch(/compares numbers/);
    for (const bad of ['(icmp', 'icmp &&', 'foo.bar == 1', 'len > abc', 'ip.addr >']) refused(bad);
  });
});

describe('capture filter over IPv6 frames', () => {
  const frames = ipv6SampleFrames();
  const rows6: FilterRow[] = frames.map((f) => ({ ...summarizeFrame(f.bytes), lengthBytes: f.bytes.length, where: 'pc1:eth0', bytes: f.bytes }));
  const pick = (expr: string) => {
    const f = compileFilter(expr);
    if (!f.ok) throw new Error(f.error);
    return frames.filter((_, i) => f.match(rows6[i]!)).map((x) => x.name);
  };

  it('ipv6 and icmpv6 match by the frame headers; ip does not match IPv6', () => {
    expect(pick('ipv6')).toHaveLength(frames.length);
    expect(pick('ip')).toEqual([]);
    expect(pick('icmpv6')).not.toContain('udp6 traceroute probe');
    expect(pick('icmpv6')).toContain('neighbor solicitation');
  });

  it('reads icmpv6.type, ipv6.addr with prefixes, ipv6.hlim and UDP over IPv6', () => {
    expect(pick('icmpv6.type==135')).toEqual(['neighbor solicitation', 'dad probe']);
    expect(pick('icmpv6.type==129 && ipv6.hlim==63')).toEqual(['icmpv6 echo reply']);
    expect(pick('ipv6.src==fc00:1::1')).toEqual(expect.arrayContaining(['neighbor advertisement', 'hop limit exceeded']));
    expect(pick('ipv6.addr==fe80::/10')).toEqual(['router solicitation', 'router advertisement', 'router advertisement with dns options']);
    expect(pick('udp.dstport==33434')).toEqual(['udp6 traceroute probe', 'destination options + udp']);
  });

  it('refuses a value that is not an IPv6 address', () => {
    const f = compileFilter('ipv6.addr==fc00::zz');
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.error).toMatch(/not an IPv6 address/);
  });
});
