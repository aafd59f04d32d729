import { describe, expect, it } from 'vitest';
import {
  etherInput,
  ifaceGet,
  ifaceSetUp,
  setCarrier,
  setForwarding,
  setIcmpLimit,
  udpBind,
  udpSend,
  type UdpDelivery,
} from '../../src/emulator/stack/index';
import { ICMP_TYPE } from '../../src/emulator/wire/icmp';
import { collectIcmp, sendEcho } from './helpers';
import { hostRouterHost, ip, TestNet, twoRouters } from './harness';

const SEC = 1_000_000_000;

describe('IPv4 + ICMP echo', () => {
  it('replies with TTL 64 on the same subnet and 63 through one router', () => {
    const n = hostRouterHost();
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.0.1'), 0);
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 1);
    n.run(SEC);
    const replies = got.filter((m) => m.type === ICMP_TYPE.ECHO_REPLY);
    expect(replies.map((m) => [m.seq, m.ttl, m.src])).toEqual([
      [0, 64, ip('10.0.0.1')],
      [1, 63, ip('10.0.1.20')],
    ]);
    expect(replies[1].payload.length).toBe(56);
    expect(n.forwarded.filter((f) => f.node === 'r1')).toEqual([
      { node: 'r1', inIf: 0, outIf: 1 },
      { node: 'r1', inIf: 1, outIf: 0 },
    ]);
    expect(n.get('r1').stats.ipForwarded).toBe(2);
  });

  it('pings the router far interface and its own addresses over loopback without a link', () => {
    const n = hostRouterHost();
    const pc1 = n.get('pc1');
    const got = collectIcmp(pc1);
    n.tx.length = 0;
    sendEcho(pc1, ip('127.0.0.1'), 0);
    sendEcho(pc1, ip('10.0.0.20'), 1);
    n.run(SEC);
    expect(got.filter((m) => m.type === 0).map((m) => [m.src, m.ttl])).toEqual([
      [ip('127.0.0.1'), 64],
      [ip('10.0.0.20'), 64],
    ]);
    expect(n.tx.filter((t) => t.node === 'pc1')).toHaveLength(0);
    const r = collectIcmp(n.get('r1'));
    sendEcho(n.get('r1'), ip('10.0.1.1'), 2); // router's other interface
    n.run(SEC);
    expect(r.filter((m) => m.type === 0)).toHaveLength(1);
  });

  it('no route: ENETUNREACH locally, ICMP net unreachable from a router', () => {
    const n = hostRouterHost();
    const r1 = n.get('r1');
    expect(sendEcho(r1, ip('192.168.9.9'), 0)).toEqual({ ok: false, errno: 'ENETUNREACH' });
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('192.168.9.9'), 1);
    n.run(SEC);
    const un = got.filter((m) => m.type === 3);
    expect(un.map((m) => [m.code, m.src, m.quoted?.dst, m.quoted?.seq])).toEqual([[0, ip('10.0.0.1'), ip('192.168.9.9'), 1]]);
    expect(n.dropsOf('no-route', 'r1')).toHaveLength(1);
  });

  it('TTL exceeded comes from the right router in a two-router loop', () => {
    const n = twoRouters();
    // r1 sends 172.16/16 to r2 and r2 sends it back: a loop
    n.route('r1', '172.16.0.0/16', '10.0.1.2');
    n.route('r2', '172.16.0.0/16', '10.0.1.1');
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('172.16.0.1'), 0, { ttl: 5 });
    n.run(SEC);
    // ttl 5 at r1 → 4 at r2 → 3 at r1 → 2 at r2 → 1 at r1: r1 reports from the
    // interface on its route back to pc1 (FreeBSD icmp_reflect), its eth0, although the
    // datagram arrived on eth1
    const te = got.filter((m) => m.type === ICMP_TYPE.TIME_EXCEEDED);
    expect(te.map((m) => [m.code, m.src])).toEqual([[0, ip('10.0.0.1')]]);
    sendEcho(n.get('pc1'), ip('172.16.0.1'), 1, { ttl: 4 });
    n.run(SEC);
    expect(got.filter((m) => m.type === ICMP_TYPE.TIME_EXCEEDED).map((m) => m.src)[1]).toBe(ip('10.0.1.2'));
    expect(n.dropsOf('ttl-exceeded')).toHaveLength(2);
    expect(got.filter((m) => m.type === 11)[1].quoted?.seq).toBe(1);
  });

  it('hosts do not forward; ICMP error traffic is rate limited at 200/s', () => {
    const n = hostRouterHost();
    setForwarding(n.get('r1'), false);
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 0);
    n.run(SEC);
    expect(got).toHaveLength(0);
    expect(n.dropsOf('not-forwarding', 'r1')).toHaveLength(1);
    setForwarding(n.get('r1'), true);
    for (let i = 0; i < 300; i++) sendEcho(n.get('pc1'), ip('192.168.1.1'), i);
    n.run(SEC / 2);
    expect(got.filter((m) => m.type === 3)).toHaveLength(200);
    expect(n.get('r1').stats.icmpRateLimited).toBe(100);
    for (let i = 0; i < 300; i++) sendEcho(n.get('pc1'), ip('192.168.1.1'), i);
    n.run(SEC);
    // about half a second of refill (≈100 tokens) since the burst
    const second = got.filter((m) => m.type === 3).length - 200;
    expect(second).toBeGreaterThanOrEqual(99);
    expect(second).toBeLessThanOrEqual(101);
  });
});

describe('UDP', () => {
  it('delivers to a bound port and answers port unreachable otherwise', () => {
    const n = hostRouterHost();
    const seen: UdpDelivery[] = [];
    const sock = udpBind(n.get('pc2'), 7000, (d) => seen.push(d));
    expect('port' in sock && sock.port).toBe(7000);
    expect(udpBind(n.get('pc2'), 7000, () => {})).toEqual({ errno: 'EADDRINUSE' });
    const eph = udpBind(n.get('pc1'), 0, () => {});
    expect('port' in eph && eph.port).toBe(49152);
    const got = collectIcmp(n.get('pc1'));
    const payload = new TextEncoder().encode('hello');
    expect(udpSend(n.get('pc1'), { dst: ip('10.0.1.20'), dstPort: 7000, srcPort: 49152, payload })).toEqual({ ok: true });
    expect(udpSend(n.get('pc1'), { dst: ip('10.0.1.20'), dstPort: 7001, srcPort: 49152, payload })).toEqual({ ok: true });
    n.run(SEC);
    expect(seen.map((d) => [d.src, d.srcPort, d.ttl, new TextDecoder().decode(d.payload)])).toEqual([
      [ip('10.0.0.20'), 49152, 63, 'hello'],
    ]);
    const un = got.filter((m) => m.type === 3);
    expect(un.map((m) => [m.code, m.src, m.quoted?.dstPort, m.quoted?.srcPort])).toEqual([[3, ip('10.0.1.20'), 7001, 49152]]);
    expect(n.dropsOf('port-unreachable', 'pc2')).toHaveLength(1);
    expect(n.answered).toEqual([]);
    if ('close' in sock) sock.close();
    expect('port' in udpBind(n.get('pc2'), 7000, () => {})).toBe(true);
  });
});

describe('fragmentation', () => {
  it('fragments 3000 bytes at 1500 and again at a 576 hop, reassembles at the destination', () => {
    const n = hostRouterHost(576);
    const got = collectIcmp(n.get('pc1'));
    expect(sendEcho(n.get('pc1'), ip('10.0.1.20'), 7, { size: 3000 })).toEqual({ ok: true });
    n.run(SEC);
    const reply = got.filter((m) => m.type === 0);
    expect(reply).toHaveLength(1);
    expect(reply[0].payload.length).toBe(3000);
    expect(reply[0].payload[2999]).toBe(2999 & 0xff);
    // pc1 sends 3 fragments (1480 + 1480 + 48 bytes); r1 refragments into 552-byte pieces
    const ipFrames = (node: string, ifIndex: number) => n.tx.filter((t) => t.node === node && t.ifIndex === ifIndex && t.frame[13] === 0x00 && t.frame[12] === 0x08);
    expect(ipFrames('pc1', 0).length).toBe(3);
    expect(ipFrames('r1', 1).length).toBeGreaterThanOrEqual(6);
    expect(ipFrames('r1', 1).every((t) => t.frame.length <= 576 + 14)).toBe(true);
    expect(n.get('pc2').stats.ipReassembled).toBe(1);
    expect(n.get('pc1').stats.ipReassembled).toBe(1);
  });

  it('DF + small MTU: frag-needed with the next-hop MTU from a router, EMSGSIZE locally', () => {
    const n = hostRouterHost(576);
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 0, { size: 1000, df: true });
    n.run(SEC);
    const fn = got.filter((m) => m.type === 3);
    expect(fn.map((m) => [m.code, m.nextHopMtu, m.src])).toEqual([[4, 576, ip('10.0.0.1')]]);
    expect(n.dropsOf('frag-needed', 'r1')).toHaveLength(1);
    expect(sendEcho(n.get('pc1'), ip('10.0.1.20'), 1, { size: 2000, df: true })).toEqual({ ok: false, errno: 'EMSGSIZE' });
  });

  it('gives up an incomplete datagram after 30 s with time exceeded (reassembly)', () => {
    const n = hostRouterHost();
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 0, { size: 100 });
    n.run(SEC); // ARP resolved everywhere
    n.setLinkUp('pc1', 0, false); // capture pc1's fragments instead of delivering them
    const before = n.tx.length;
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 1, { size: 3000 });
    const frags = n.tx.slice(before).map((t) => t.frame);
    expect(frags).toHaveLength(3);
    etherInput(n.get('r1'), 0, frags[0]); // only the first fragment gets through
    n.run(29 * SEC);
    expect(n.dropsOf('reassembly-timeout', 'pc2')).toHaveLength(0);
    n.run(2 * SEC);
    expect(n.dropsOf('reassembly-timeout', 'pc2')).toHaveLength(1);
    const te = got.filter((m) => m.type === 11);
    expect(te.map((m) => [m.code, m.src, m.quoted?.seq])).toEqual([[1, ip('10.0.1.20'), 1]]);
  });
});

describe('input checks and interface state', () => {
  it('drops a bad IPv4 header checksum with bad-checksum', () => {
    const n = hostRouterHost();
    sendEcho(n.get('pc1'), ip('10.0.0.1'), 0);
    n.run(SEC);
    const frame = n.tx.find((t) => t.node === 'pc1' && t.frame[12] === 0x08 && t.frame[13] === 0x00)?.frame as Uint8Array;
    const bad = frame.slice();
    bad[14 + 10] ^= 0xff;
    etherInput(n.get('r1'), 0, bad);
    expect(n.dropsOf('bad-checksum', 'r1')).toHaveLength(1);
    expect(ifaceGet(n.get('r1'), 'eth0')?.counters.errors).toBe(1);
  });

  it('interface down: ENETDOWN, ARP flushed, routes through it unusable; up again works', () => {
    const n = hostRouterHost();
    const pc1 = n.get('pc1');
    const got = collectIcmp(pc1);
    sendEcho(pc1, ip('10.0.0.1'), 0);
    n.run(SEC);
    expect(ifaceGet(pc1, 'eth0')?.arp.size).toBe(1);
    ifaceSetUp(pc1, 'eth0', false);
    expect(ifaceGet(pc1, 'eth0')?.arp.size).toBe(0);
    expect(sendEcho(pc1, ip('10.0.1.20'), 1)).toEqual({ ok: false, errno: 'ENETDOWN' });
    ifaceSetUp(pc1, 'eth0', true);
    setCarrier(n.get('r1'), 1, false);
    sendEcho(pc1, ip('10.0.1.20'), 2);
    n.run(SEC);
    expect(got.filter((m) => m.type === 3).map((m) => m.code)).toEqual([1]);
    // Charged to r1's eth1 (carrier lost there), not to eth0 where the datagram came in.
    expect(n.dropsOf('link-down', 'r1').map((d) => d.ifIndex)).toEqual([1]);
    setCarrier(n.get('r1'), 1, true);
    sendEcho(pc1, ip('10.0.1.20'), 3);
    n.run(SEC);
    expect(got.filter((m) => m.type === 0).map((m) => m.seq)).toEqual([0, 3]);
  });

  it('counts rx/tx on interfaces and filters frames for other MACs', () => {
    const n = hostRouterHost();
    sendEcho(n.get('pc1'), ip('10.0.0.1'), 0);
    n.run(SEC);
    const c = ifaceGet(n.get('pc1'), 'eth0')?.counters;
    expect(c?.txPackets).toBe(3); // gratuitous ARP, ARP request, echo request
    expect(c?.rxPackets).toBeGreaterThanOrEqual(2);
    const f = new Uint8Array(60);
    f.set([0x42, 0, 0xbb, 0, 0, 1], 0);
    etherInput(n.get('r1'), 0, f);
    expect(ifaceGet(n.get('r1'), 'eth0')?.counters.filtered).toBe(1);
  });
});

describe('traceroute probes', () => {
  it('a probe to a closed port in traceroute\'s range is answered, not dropped', () => {
    const n = hostRouterHost();
    const got = collectIcmp(n.get('pc1'));
    const payload = new Uint8Array(12);
    for (const dstPort of [33434, 33436, 7001]) udpSend(n.get('pc1'), { dst: ip('10.0.1.20'), dstPort, srcPort: 49152, payload });
    n.run(SEC);
    expect(got.filter((m) => m.type === ICMP_TYPE.DST_UNREACHABLE).map((m) => m.quoted?.dstPort)).toEqual([33434, 33436, 7001]);
    expect(n.answered.map((a) => [a.node, a.ifIndex, a.note])).toEqual([
      ['pc2', 0, 'port unreachable (as traceroute expects)'],
      ['pc2', 0, 'port unreachable (as traceroute expects)'],
    ]);
    // Only the datagram nobody expected to bounce is a drop, counted on the interface.
    expect(n.dropsOf('port-unreachable', 'pc2')).toHaveLength(1);
    expect(ifaceGet(n.get('pc2'), 'eth0')!.counters.drops).toBe(1);
  });

  it('a probe whose port unreachable cannot be sent stays a drop', () => {
    const n = hostRouterHost();
    setIcmpLimit(n.get('pc2'), 0);
    udpSend(n.get('pc1'), { dst: ip('10.0.1.20'), dstPort: 33434, srcPort: 49152, payload: new Uint8Array(12) });
    n.run(SEC);
    expect(n.answered).toEqual([]);
    expect(n.dropsOf('port-unreachable', 'pc2')).toHaveLength(1);
  });
});
