// The source address of ICMP messages (FreeBSD icmp_reflect, reply_from_interface=0):
// addressed to us, a broadcast of the receiving interface, in transit (route back), and
// no route back (not sent, counted). Stack-level scenarios on the test harness.
import { describe, expect, it } from 'vitest';
import { icmpReflectSource } from '../../src/emulator/stack/icmp';
import { routeDelete } from '../../src/emulator/stack/route';
import { ICMP_TYPE } from '../../src/emulator/wire/icmp';
import { IP_PROTO, parseIpv4Header } from '../../src/emulator/wire/ipv4';
import { collectIcmp, sendEcho } from './helpers';
import { hostRouterHost, ip, TestNet, twoRouters } from './harness';

const SEC = 1_000_000_000;

/** ICMP datagrams a node put on its links, as [ICMP type, IPv4 source]. */
function icmpSent(n: TestNet, node: string): [number, number][] {
  const out: [number, number][] = [];
  for (const t of n.tx) {
    if (t.node !== node || t.frame[12] !== 0x08 || t.frame[13] !== 0x00) continue;
    const h = parseIpv4Header(t.frame, 14, t.frame.length - 14);
    if (h !== null && h.proto === IP_PROTO.ICMP) out.push([t.frame[14 + 20], h.src]);
  }
  return out;
}

/**
 * pc1 — r1 with two links to r2 (a: 10.0.1.0/24, b: 10.0.3.0/24) — pc2. r1 sends toward
 * pc2 over link a; r2 sends toward pc1 over link b: asymmetric routes.
 */
function asymmetric(): TestNet {
  const n = new TestNet();
  n.add('pc1', false, 1);
  n.add('r1', true, 3);
  n.add('r2', true, 3);
  n.add('pc2', false, 1);
  n.link('pc1', 0, 'r1', 0);
  n.link('r1', 1, 'r2', 0);
  n.link('r2', 1, 'pc2', 0);
  n.link('r1', 2, 'r2', 2);
  n.addr('pc1', 'eth0', '10.0.0.20/24');
  n.addr('r1', 'eth0', '10.0.0.1/24');
  n.addr('r1', 'eth1', '10.0.1.1/24');
  n.addr('r1', 'eth2', '10.0.3.1/24');
  n.addr('r2', 'eth0', '10.0.1.2/24');
  n.addr('r2', 'eth1', '10.0.2.1/24');
  n.addr('r2', 'eth2', '10.0.3.2/24');
  n.addr('pc2', 'eth0', '10.0.2.20/24');
  n.route('pc1', 'default', '10.0.0.1');
  n.route('pc2', 'default', '10.0.2.1');
  n.route('r1', '10.0.2.0/24', '10.0.1.2');
  n.route('r2', '10.0.0.0/24', '10.0.3.1');
  return n;
}

describe('ICMP source address (icmp_reflect)', () => {
  it('in transit: time exceeded comes from the interface on the route back, not the one it arrived on', () => {
    const n = asymmetric();
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.2.20'), 0, { ttl: 2 });
    n.run(SEC);
    // The probe reached r2 on eth0 (10.0.1.2); the way back to pc1 leaves by eth2.
    expect(got.filter((m) => m.type === ICMP_TYPE.TIME_EXCEEDED).map((m) => m.src)).toEqual([ip('10.0.3.2')]);
    expect(n.get('r2').stats.icmpNoRoute).toBe(0);
  });

  it('addressed to us: the echo reply and port unreachable come from the address asked', () => {
    const n = asymmetric();
    const got = collectIcmp(n.get('pc1'));
    // r2's eth0 address, reached over link a; the reply goes back over link b.
    sendEcho(n.get('pc1'), ip('10.0.1.2'), 0);
    n.run(SEC);
    expect(got.filter((m) => m.type === ICMP_TYPE.ECHO_REPLY).map((m) => m.src)).toEqual([ip('10.0.1.2')]);
    expect(icmpSent(n, 'r2')).toContainEqual([ICMP_TYPE.ECHO_REPLY, ip('10.0.1.2')]);
  });

  it('a broadcast of the receiving interface is answered from that interface', () => {
    const n = hostRouterHost();
    const r1 = n.get('r1');
    expect(icmpReflectSource(r1, ip('10.0.1.20'), ip('10.0.1.255'), 1)).toBe(ip('10.0.1.1'));
    // Our own address wins over the interface it arrived on.
    expect(icmpReflectSource(r1, ip('10.0.1.20'), ip('10.0.0.1'), 1)).toBe(ip('10.0.0.1'));
    // In transit from pc2 toward a far net: the route back to pc2 leaves by eth1.
    expect(icmpReflectSource(r1, ip('10.0.1.20'), ip('192.0.2.1'), 0)).toBe(ip('10.0.1.1'));
  });

  it('no route back: nothing is sent and the drop is counted as "no return route"', () => {
    const n = twoRouters();
    // r2 forgets the way to pc1's subnet.
    const r2 = n.get('r2');
    expect(routeDelete(r2, { dest: ip('10.0.0.0'), prefixLen: 24 }).ok).toBe(true);
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.2.20'), 0, { ttl: 2 });
    n.run(SEC);
    expect(got).toHaveLength(0);
    expect(icmpSent(n, 'r2')).toEqual([]);
    expect(r2.stats.icmpNoRoute).toBe(1);
    expect(n.dropsOf('ttl-exceeded', 'r2')).toHaveLength(1);
  });
});
