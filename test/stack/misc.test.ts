import { describe, expect, it } from 'vitest';
import {
  arpAddStatic,
  arpList,
  etherInput,
  ifaceAddAddress,
  ifaceGet,
  ifaceIndex,
  ifaceRemoveAddress,
  ifaceSetMtu,
  ipSend,
  routeList,
  udpBind,
  udpSend,
  type UdpDelivery,
} from '../../src/emulator/stack/index';
import { collectIcmp, sendEcho } from './helpers';
import { hostRouterHost, ip, TestNet, twoRouters } from './harness';

const SEC = 1_000_000_000;

describe('addresses, broadcast and misc behaviour', () => {
  it('lists link interfaces first and lo0 last; aliases add and remove their routes', () => {
    const n = hostRouterHost();
    const s = n.get('r1');
    expect(s.ifaces.map((i) => i.name)).toEqual(['eth0', 'eth1', 'lo0']);
    expect(ifaceIndex(s, 'eth1')).toBe(1);
    expect(ifaceIndex(s, 'lo0')).toBe(2);
    expect(ifaceAddAddress(s, 'eth0', ip('192.168.7.1'), 24, { alias: true })).toEqual({ ok: true });
    expect(ifaceGet(s, 'eth0')?.addrs.map((a) => [a.addr, a.alias])).toEqual([
      [ip('10.0.0.1'), false],
      [ip('192.168.7.1'), true],
    ]);
    expect(routeList(s).some((r) => r.dest === ip('192.168.7.0') && r.prefixLen === 24)).toBe(true);
    expect(ifaceRemoveAddress(s, 'eth0', ip('192.168.7.1'))).toEqual({ ok: true });
    expect(routeList(s).some((r) => r.dest === ip('192.168.7.0'))).toBe(false);
    expect(ifaceRemoveAddress(s, 'eth0', ip('192.168.7.1'))).toMatchObject({ ok: false, errno: 'EADDRNOTAVAIL' });
    // a non-alias address replaces the primary and its connected route
    ifaceAddAddress(s, 'eth0', ip('10.5.0.1'), 16);
    expect(ifaceGet(s, 'eth0')?.addrs.map((a) => a.addr)).toEqual([ip('10.5.0.1')]);
    expect(routeList(s).some((r) => r.dest === ip('10.0.0.0') && r.prefixLen === 24)).toBe(false);
    expect(ifaceSetMtu(s, 'eth0', 20)).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(ipSend(n.get('pc1'), { dst: ip('10.0.0.1'), proto: 17, payload: new Uint8Array(8), src: ip('1.2.3.4') })).toEqual({
      ok: false,
      errno: 'EADDRNOTAVAIL',
    });
  });

  it('replacing the primary keeps an alias in the same subnet whole: local, broadcast and route', () => {
    const n = hostRouterHost();
    const s = n.get('r1');
    ifaceAddAddress(s, 'eth0', ip('10.0.0.2'), 24, { alias: true });
    ifaceAddAddress(s, 'eth0', ip('10.9.0.1'), 24); // replaces 10.0.0.1
    expect(ifaceGet(s, 'eth0')?.addrs.map((a) => a.addr)).toEqual([ip('10.9.0.1'), ip('10.0.0.2')]);
    expect(s.local.has(ip('10.0.0.1'))).toBe(false);
    expect(s.local.get(ip('10.0.0.2'))).toBe(0);
    expect(s.broadcasts.has(ip('10.0.0.255'))).toBe(true);
    expect(s.ours.has(ip('10.0.0.255') | 0)).toBe(true);
    expect(routeList(s).some((r) => r.dest === ip('10.0.0.0') && r.prefixLen === 24)).toBe(true);
  });

  it('receives subnet and limited broadcasts, never forwards them, and does not echo to broadcast', () => {
    const n = hostRouterHost();
    const seen: UdpDelivery[] = [];
    udpBind(n.get('r1'), 5000, (d) => seen.push(d));
    const pc2seen: UdpDelivery[] = [];
    udpBind(n.get('pc2'), 5000, (d) => pc2seen.push(d));
    const payload = new Uint8Array([1, 2, 3]);
    expect(udpSend(n.get('pc1'), { dst: ip('10.0.0.255'), dstPort: 5000, srcPort: 5000, payload }).ok).toBe(true);
    expect(udpSend(n.get('pc1'), { dst: ip('255.255.255.255'), dstPort: 5000, srcPort: 5000, payload }).ok).toBe(true);
    expect(udpSend(n.get('pc1'), { dst: ip('10.0.1.255'), dstPort: 5000, srcPort: 5000, payload }).ok).toBe(true);
    n.run(SEC);
    expect(seen.map((d) => d.dst)).toEqual([ip('10.0.0.255'), ip('255.255.255.255'), ip('10.0.1.255')]);
    expect(pc2seen).toHaveLength(0);
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.0.255'), 0);
    n.run(SEC);
    expect(got).toHaveLength(0); // FreeBSD net.inet.icmp.bmcastecho=0
  });

  it('accepts 802.1Q-tagged frames and static ARP entries', () => {
    const n = hostRouterHost();
    const r1 = n.get('r1');
    const pc1 = n.get('pc1');
    arpAddStatic(pc1, ip('10.0.0.1'), r1.ifaces[0].mac);
    expect(arpList(pc1)[0].permanent).toBe(true);
    n.setLinkUp('pc1', 0, false);
    const before = n.tx.length;
    sendEcho(pc1, ip('10.0.0.1'), 3);
    const plain = n.tx[before].frame;
    expect(plain[12]).toBe(0x08); // sent straight away: no ARP needed
    const tagged = new Uint8Array(plain.length + 4);
    tagged.set(plain.subarray(0, 12));
    tagged.set([0x81, 0x00, 0x00, 0x05], 12);
    tagged.set(plain.subarray(12), 16);
    const got = collectIcmp(r1);
    etherInput(r1, 0, tagged);
    expect(got.map((m) => [m.type, m.seq])).toEqual([[8, 3]]);
  });

  it('works with addresses above 2^31 (int32 map keys)', () => {
    const n = new TestNet();
    n.add('a', false, 1);
    n.add('b', false, 1);
    n.link('a', 0, 'b', 0);
    n.addr('a', 'eth0', '192.168.1.10/24');
    n.addr('b', 'eth0', '192.168.1.200/24');
    const got = collectIcmp(n.get('a'));
    sendEcho(n.get('a'), ip('192.168.1.200'), 0);
    sendEcho(n.get('a'), ip('192.168.1.200'), 1);
    n.run(SEC);
    expect(got.filter((m) => m.type === 0).map((m) => m.src)).toEqual([ip('192.168.1.200'), ip('192.168.1.200')]);
    expect(arpList(n.get('a')).map((e) => e.ip)).toEqual([ip('192.168.1.200')]);
  });

  it('traceroute-style probes: time exceeded from each router, then port unreachable', () => {
    const n = twoRouters();
    const got = collectIcmp(n.get('pc1'));
    for (let ttl = 1; ttl <= 3; ttl++) {
      udpSend(n.get('pc1'), { dst: ip('10.0.2.20'), dstPort: 33433 + ttl, srcPort: 40000, payload: new Uint8Array(12), ttl });
    }
    n.run(SEC);
    const byPort = got
      .map((m) => [m.quoted?.dstPort, m.type, m.code, m.src])
      .sort((x, y) => (x[0] as number) - (y[0] as number));
    expect(byPort).toEqual([
      [33434, 11, 0, ip('10.0.0.1')],
      [33435, 11, 0, ip('10.0.1.2')],
      [33436, 3, 3, ip('10.0.2.20')],
    ]);
  });

  it('is deterministic: the same scenario gives the same frames', () => {
    const run = () => {
      const n = hostRouterHost(576);
      sendEcho(n.get('pc1'), ip('10.0.1.20'), 0, { size: 2000 });
      udpSend(n.get('pc1'), { dst: ip('10.0.1.20'), dstPort: 33434, srcPort: 40000, payload: new Uint8Array(10), ttl: 1 });
      n.run(5 * SEC);
      return n.tx.map((t) => `${t.node}/${t.ifIndex}@${t.timeNs}:${Buffer.from(t.frame).toString('hex')}`).join('\n');
    };
    const a = run();
    expect(a.length).toBeGreaterThan(1000);
    expect(run()).toBe(a);
  });
});

