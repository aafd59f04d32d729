// IPv6 in the cloned stack: link-local from the MAC, DAD (and its conflict), neighbor
// discovery states with their timers in virtual time, forwarding with hop limit, the
// ICMPv6 errors (no route, address unreachable, hop limit exceeded) and their source, raw
// IPv6 sockets.
import { describe, expect, it } from 'vitest';
import { etherInput, icmp6Open, in6AddAddress, in6Addrs, in6RemoveAddress, ip6Send, nd6List, route6Add, type Icmp6Delivery, type NetStack } from '../../src/emulator/stack/index';
import { fragment6 } from '../../src/emulator/stack/frag6';
import { raw6Bind, raw6Send } from '../../src/emulator/stack/raw6';
import { buildEthernetFrame, ETHERTYPE } from '../../src/emulator/wire/ethernet';
import { buildIcmpv6, ICMPV6_TYPE } from '../../src/emulator/wire/icmpv6';
import { buildIpv6Packet, IPV6_NEXT } from '../../src/emulator/wire/ipv6';
import { formatIpv6, parseIpv6, parseIpv6Cidr } from '../../src/emulator/wire/ipv6-addr';
import { TestNet } from './harness';

const SEC = 1_000_000_000;
const a6 = (s: string) => parseIpv6(s)!;

function addr6(n: TestNet, node: string, iface: string, cidr: string): void {
  const c = parseIpv6Cidr(cidr)!;
  const r = in6AddAddress(n.get(node), iface, c.addr, c.prefixLen);
  if (!r.ok) throw new Error(r.message);
}

function route6(n: TestNet, node: string, dest: string, gw: string): void {
  const c = parseIpv6Cidr(dest === 'default' ? '::/0' : dest)!;
  const r = route6Add(n.get(node), { dest: c.addr, prefixLen: c.prefixLen, gateway: a6(gw) });
  if (!r.ok) throw new Error(r.message);
}

function echo6(s: NetStack, dst: string, seq: number, hopLimit?: number) {
  const payload = buildIcmpv6({ type: ICMPV6_TYPE.ECHO_REQUEST, code: 0, ident: 7, seq, data: new Uint8Array(8) }, new Uint8Array(16), new Uint8Array(16));
  return ip6Send(s, { dst: a6(dst), next: IPV6_NEXT.ICMPV6, payload, checksumAt: 2, hopLimit });
}

function collect(s: NetStack): Icmp6Delivery[] {
  const got: Icmp6Delivery[] = [];
  icmp6Open(s, (m) => got.push(m));
  return got;
}

/** pc1 fc00:1::20 — r1 (fc00:1::1 | fc00:2::1) — pc2 fc00:2::20, DAD finished. */
function v6HostRouterHost(): TestNet {
  const n = new TestNet();
  n.add('pc1', false, 1);
  n.add('r1', true, 2);
  n.add('pc2', false, 1);
  n.link('pc1', 0, 'r1', 0);
  n.link('r1', 1, 'pc2', 0);
  addr6(n, 'pc1', 'eth0', 'fc00:1::20/64');
  addr6(n, 'r1', 'eth0', 'fc00:1::1/64');
  addr6(n, 'r1', 'eth1', 'fc00:2::1/64');
  addr6(n, 'pc2', 'eth0', 'fc00:2::20/64');
  route6(n, 'pc1', 'default', 'fc00:1::1');
  route6(n, 'pc2', 'default', 'fc00:2::1');
  n.run(3 * SEC);
  return n;
}

describe('IPv6 addresses and DAD', () => {
  it('derives fe80:: from the MAC (modified EUI-64) and keeps a new address tentative for one second', () => {
    const n = new TestNet();
    n.add('pc1', false, 1);
    addr6(n, 'pc1', 'eth0', 'fc00:1::20/64');
    const addrs = () => in6Addrs(n.get('pc1'), 0).map((a) => `${formatIpv6(a.addr)}/${a.prefixLen} ${a.state}`);
    // MAC 42:00:aa:00:00:01 → 40:00:aa:ff:fe:00:00:01
    expect(addrs()).toEqual(['fe80::4000:aaff:fe00:1/64 tentative', 'fc00:1::20/64 tentative']);
    expect(echo6(n.get('pc1'), 'fc00:1::1', 0)).toEqual({ ok: false, errno: 'EADDRNOTAVAIL' });
    n.run(999_000_000);
    expect(addrs()[1]).toBe('fc00:1::20/64 tentative');
    n.run(2 * SEC);
    expect(addrs()).toEqual(['fe80::4000:aaff:fe00:1/64 preferred', 'fc00:1::20/64 preferred']);
    // The DAD probe: NS from :: to the solicited-node group, MAC 33:33:ff:00:00:20.
    const dad = n.tx.find((t) => t.frame[0] === 0x33 && t.frame[5] === 0x20)!;
    expect(Buffer.from(dad.frame.subarray(0, 6)).toString('hex')).toBe('3333ff000020');
    expect(dad.frame.subarray(22, 38).every((b) => b === 0)).toBe(true);
  });

  it('finds a duplicate: the later address is marked duplicated and never used', () => {
    const n = new TestNet();
    n.add('a', false, 1);
    n.add('b', false, 1);
    n.link('a', 0, 'b', 0);
    addr6(n, 'a', 'eth0', 'fc00:1::5/64');
    n.run(3 * SEC);
    addr6(n, 'b', 'eth0', 'fc00:1::5/64');
    n.run(3 * SEC);
    expect(in6Addrs(n.get('a'), 0)[1].state).toBe('preferred');
    expect(in6Addrs(n.get('b'), 0)[1].state).toBe('duplicated');
    expect(n.get('b').inet6!.stats.dadDuplicates).toBe(1);
    expect(echo6(n.get('b'), 'fc00:1::9', 0)).toEqual({ ok: false, errno: 'EADDRNOTAVAIL' });
  });
});

describe('IPv6 forwarding and ICMPv6', () => {
  it('ping across a router: reply with hop limit 63, neighbors learnt', () => {
    const n = v6HostRouterHost();
    const got = collect(n.get('pc1'));
    expect(echo6(n.get('pc1'), 'fc00:2::20', 1)).toEqual({ ok: true });
    n.run(SEC);
    const reply = got.find((m) => m.type === ICMPV6_TYPE.ECHO_REPLY)!;
    expect(formatIpv6(reply.src)).toBe('fc00:2::20');
    expect(reply.hopLimit).toBe(63);
    expect(reply.seq).toBe(1);
    const pc1 = nd6List(n.get('pc1')).map((e) => `${formatIpv6(e.addr)} ${e.state} ${e.isRouter ? 'R' : ''}`);
    // r1 solicited from its link-local (the NS goes to a link-scope group), so pc1 knows that too.
    expect(pc1).toEqual(['fc00:1::1 REACHABLE R', 'fe80::4000:aaff:fe00:2 DELAY ']);
  });

  it('NDP states with their timers: REACHABLE → STALE → DELAY → PROBE → REACHABLE', () => {
    const n = v6HostRouterHost();
    const pc1 = n.get('pc1');
    echo6(pc1, 'fc00:2::20', 1);
    n.run(SEC);
    const state = () => nd6List(pc1).find((e) => formatIpv6(e.addr) === 'fc00:1::1')!.state;
    expect(state()).toBe('REACHABLE');
    n.run(45 * SEC); // ReachableTime is 15–45 s (RFC 4861 §6.3.2)
    expect(state()).toBe('STALE');
    n.get('r1').ifaces[0].up = false; // the router stops answering: DELAY, then PROBE runs out
    echo6(pc1, 'fc00:2::20', 2);
    expect(state()).toBe('DELAY');
    const t0 = n.sim.now();
    n.run(5 * SEC + 1);
    expect(state()).toBe('PROBE');
    const probes = n.tx.filter((t) => t.node === 'pc1' && t.timeNs > t0 && t.frame[54] === ICMPV6_TYPE.NEIGHBOR_SOLICIT && t.frame[0] === 0x42);
    expect(probes.length).toBe(1); // unicast NS to the cached MAC
    n.get('r1').ifaces[0].up = true;
    n.run(SEC);
    expect(state()).toBe('REACHABLE');
  });

  it('address unreachable after three unanswered solicitations (RFC 4861 §7.2.2)', () => {
    const n = v6HostRouterHost();
    const got = collect(n.get('pc1'));
    const t0 = n.sim.now();
    echo6(n.get('pc1'), 'fc00:1::99', 1);
    n.run(2 * SEC);
    expect(nd6List(n.get('pc1')).find((e) => formatIpv6(e.addr) === 'fc00:1::99')?.state).toBe('INCOMPLETE');
    n.run(2 * SEC);
    const err = got.find((m) => m.type === ICMPV6_TYPE.DST_UNREACHABLE)!;
    expect(err.code).toBe(3);
    expect(err.timeNs - t0).toBe(3 * SEC);
    const ns = n.tx.filter((t) => t.node === 'pc1' && t.frame[54] === ICMPV6_TYPE.NEIGHBOR_SOLICIT && t.timeNs >= t0);
    expect(ns.map((t) => (t.timeNs - t0) / SEC)).toEqual([0, 1, 2]);
    expect(n.dropsOf('nd-timeout', 'pc1').length).toBe(1);
  });

  it('no route: the local send fails; a router answers "no route to destination"', () => {
    const n = v6HostRouterHost();
    expect(echo6(n.get('r1'), 'fc00:9::1', 0)).toEqual({ ok: false, errno: 'EHOSTUNREACH' });
    const got = collect(n.get('pc1'));
    echo6(n.get('pc1'), 'fc00:9::1', 0);
    n.run(SEC);
    const err = got.find((m) => m.type === ICMPV6_TYPE.DST_UNREACHABLE)!;
    expect([err.code, formatIpv6(err.src)]).toEqual([0, 'fc00:1::1']);
    expect(n.dropsOf('no-route', 'r1').length).toBe(1);
  });

  it('hop limit exceeded at the router, counted and traced', () => {
    const n = v6HostRouterHost();
    const got = collect(n.get('pc1'));
    echo6(n.get('pc1'), 'fc00:2::20', 0, 1);
    n.run(SEC);
    const err = got.find((m) => m.type === ICMPV6_TYPE.TIME_EXCEEDED)!;
    expect([err.code, formatIpv6(err.src), err.hopLimit]).toEqual([0, 'fc00:1::1', 64]);
    expect(n.dropsOf('ttl-exceeded', 'r1').length).toBe(1);
  });

  it('a flow the router forwards again and again still gets its errors and follows address changes (the forwarding fast path)', () => {
    const n = v6HostRouterHost();
    const pc1 = n.get('pc1');
    const r1 = n.get('r1');
    const got = collect(pc1);
    for (let seq = 1; seq <= 3; seq++) {
      echo6(pc1, 'fc00:2::20', seq);
      n.run(SEC); // the first resolves the neighbors; the next ones r1 forwards as a known flow
    }
    expect(got.filter((m) => m.type === ICMPV6_TYPE.ECHO_REPLY).map((m) => m.hopLimit)).toEqual([63, 63, 63]);
    // Requests came in on eth0 and replies on eth1: each direction keeps its own flow.
    expect(r1.inet6!.flows?.[0]).toBeTruthy();
    expect(r1.inet6!.flows?.[1]).toBeTruthy();
    // Hop limit 1 on the remembered flow: time exceeded, as on the full path.
    echo6(pc1, 'fc00:2::20', 4, 1);
    n.run(SEC);
    expect(got.some((m) => m.type === ICMPV6_TYPE.TIME_EXCEEDED)).toBe(true);
    // A smaller MTU on the way out: Packet Too Big (RFC 8200 §5), never forwarded whole.
    r1.ifaces[1].mtu = 1280;
    const big = buildIcmpv6({ type: ICMPV6_TYPE.ECHO_REQUEST, code: 0, ident: 7, seq: 5, data: new Uint8Array(1300) }, new Uint8Array(16), new Uint8Array(16));
    ip6Send(pc1, { dst: a6('fc00:2::20'), next: IPV6_NEXT.ICMPV6, payload: big, checksumAt: 2 });
    n.run(SEC);
    const ptb = got.find((m) => m.type === ICMPV6_TYPE.PACKET_TOO_BIG)!;
    expect(formatIpv6(ptb.src)).toBe('fc00:1::1');
    r1.ifaces[1].mtu = 1500;
    // r1 takes the destination address itself: the table changes, the flow is forgotten and
    // the packet is no longer forwarded to pc2.
    const atPc2 = collect(n.get('pc2'));
    addr6(n, 'r1', 'eth1', 'fc00:2::20/64');
    expect(r1.inet6!.flows).toBeNull();
    echo6(pc1, 'fc00:2::20', 6);
    n.run(SEC / 10);
    expect(atPc2.filter((m) => m.type === ICMPV6_TYPE.ECHO_REQUEST && m.seq === 6)).toEqual([]);
  });

  it('the source chosen for a destination sent to again follows address changes (the send path remembers its choice)', () => {
    const n = v6HostRouterHost();
    const pc1 = n.get('pc1');
    const atPc2 = collect(n.get('pc2'));
    const sourceOf = (seq: number) => {
      echo6(pc1, 'fc00:2::20', seq);
      n.run(SEC / 10);
      return atPc2.filter((m) => m.type === ICMPV6_TYPE.ECHO_REQUEST && m.seq === seq).map((m) => formatIpv6(m.src));
    };
    expect(sourceOf(1)).toEqual(['fc00:1::20']);
    expect(sourceOf(2)).toEqual(['fc00:1::20']);
    // A longer match with fc00:2::20 (RFC 6724 rule 8), still tentative: not chosen yet.
    addr6(n, 'pc1', 'eth0', 'fc00:2:1::5/64');
    expect(sourceOf(3)).toEqual(['fc00:1::20']);
    // DAD over: the same destination now gets the better source.
    n.run(2 * SEC);
    expect(sourceOf(4)).toEqual(['fc00:2:1::5']);
    expect(in6RemoveAddress(pc1, 'eth0', a6('fc00:2:1::5')).ok).toBe(true);
    expect(sourceOf(5)).toEqual(['fc00:1::20']);
    // Our own address as the destination: delivered locally, never through the remembered choice.
    const atPc1 = collect(pc1);
    addr6(n, 'pc1', 'eth0', 'fc00:2::20/128');
    n.run(2 * SEC);
    echo6(pc1, 'fc00:2::20', 6);
    n.run(SEC / 10);
    expect(atPc1.filter((m) => m.type === ICMPV6_TYPE.ECHO_REPLY && m.seq === 6).map((m) => formatIpv6(m.src))).toEqual(['fc00:2::20']);
    expect(atPc2.filter((m) => m.seq === 6)).toEqual([]);
  });

  it("errors come from the interface on the route back (FreeBSD icmp6_reflect), not the one the packet came in on", () => {
    // pc1 — r1 ═ r2 — pc2; r1→r2 over fc00:2::/64, r2→r1 over fc00:4::/64 (asymmetric).
    const n = new TestNet();
    n.add('pc1', false, 1);
    n.add('r1', true, 3);
    n.add('r2', true, 3);
    n.add('pc2', false, 1);
    n.link('pc1', 0, 'r1', 0);
    n.link('r1', 1, 'r2', 0);
    n.link('r2', 1, 'pc2', 0);
    n.link('r1', 2, 'r2', 2);
    addr6(n, 'pc1', 'eth0', 'fc00:1::20/64');
    addr6(n, 'r1', 'eth0', 'fc00:1::1/64');
    addr6(n, 'r1', 'eth1', 'fc00:2::1/64');
    addr6(n, 'r1', 'eth2', 'fc00:4::1/64');
    addr6(n, 'r2', 'eth0', 'fc00:2::2/64');
    addr6(n, 'r2', 'eth1', 'fc00:3::1/64');
    addr6(n, 'r2', 'eth2', 'fc00:4::2/64');
    addr6(n, 'pc2', 'eth0', 'fc00:3::20/64');
    route6(n, 'pc1', 'default', 'fc00:1::1');
    route6(n, 'r1', 'fc00:3::/64', 'fc00:2::2');
    route6(n, 'r2', 'fc00:1::/64', 'fc00:4::1');
    n.run(3 * SEC);
    const got = collect(n.get('pc1'));
    echo6(n.get('pc1'), 'fc00:3::20', 0, 2);
    n.run(SEC);
    const err = got.find((m) => m.type === ICMPV6_TYPE.TIME_EXCEEDED)!;
    expect(formatIpv6(err.src)).toBe('fc00:4::2'); // Linux 6.x would answer from fc00:2::2
  });
});

describe('IPv6 reassembly', () => {
  /** Fragments (1280-byte MTU) of a 3000-byte echo from pc1 to pc2, as frames for pc2's eth0. */
  function fragments(n: TestNet): Uint8Array[] {
    const src = a6('fc00:1::20');
    const dst = a6('fc00:2::20');
    const echo = buildIcmpv6({ type: ICMPV6_TYPE.ECHO_REQUEST, code: 0, ident: 7, seq: 1, data: new Uint8Array(3000) }, src, dst);
    const packet = buildIpv6Packet({ src, dst, nextHeader: IPV6_NEXT.ICMPV6, hopLimit: 63, trafficClass: 0, flowLabel: 0 }, echo);
    const pc2 = n.get('pc2');
    return fragment6(n.get('pc1'), packet, 1280).map((f) => buildEthernetFrame({ dst: pc2.ifaces[0].mac, src: n.get('r1').ifaces[1].mac, etherType: ETHERTYPE.IPV6 }, f));
  }
  /** ICMPv6 messages a node sent, whole or as the first fragment (then the header sits 8 bytes later). */
  const sentBy = (n: TestNet, node: string, type: number, code: number) =>
    n.tx.filter((t) => {
      if (t.node !== node) return false;
      const at = t.frame[20] === IPV6_NEXT.FRAGMENT && t.frame[54] === IPV6_NEXT.ICMPV6 && t.frame[56] === 0 && (t.frame[57] & 0xf8) === 0 ? 62 : t.frame[20] === IPV6_NEXT.ICMPV6 ? 54 : -1;
      return at > 0 && t.frame[at] === type && t.frame[at + 1] === code;
    });

  it('all fragments in any order: reassembled and answered', () => {
    const n = v6HostRouterHost();
    const f = fragments(n);
    expect(f.length).toBe(3);
    for (const k of [2, 0, 1]) etherInput(n.get('pc2'), 0, f[k]);
    n.run(SEC);
    expect(sentBy(n, 'pc2', ICMPV6_TYPE.ECHO_REPLY, 0).length).toBe(1);
    expect(n.get('pc2').inet6!.reass!.size).toBe(0);
  });

  it('a missing fragment: given up after 60 s with "fragment reassembly time exceeded"', () => {
    const n = v6HostRouterHost();
    const f = fragments(n);
    etherInput(n.get('pc2'), 0, f[0]);
    etherInput(n.get('pc2'), 0, f[1]);
    n.run(59 * SEC);
    expect(n.get('pc2').inet6!.reass!.size).toBe(1);
    expect(sentBy(n, 'pc2', ICMPV6_TYPE.TIME_EXCEEDED, 1).length).toBe(0);
    n.run(2 * SEC);
    expect(n.get('pc2').inet6!.reass).toBeNull();
    expect(sentBy(n, 'pc2', ICMPV6_TYPE.TIME_EXCEEDED, 1).length).toBe(1);
    expect(n.dropsOf('reassembly-timeout', 'pc2').length).toBe(1);
  });

  it('overlapping fragments discard the packet (RFC 5722)', () => {
    const n = v6HostRouterHost();
    const f = fragments(n);
    etherInput(n.get('pc2'), 0, f[0]);
    etherInput(n.get('pc2'), 0, f[0]);
    etherInput(n.get('pc2'), 0, f[1]);
    etherInput(n.get('pc2'), 0, f[2]);
    n.run(SEC);
    expect(sentBy(n, 'pc2', ICMPV6_TYPE.ECHO_REPLY, 0).length).toBe(0);
    expect(n.dropsOf('malformed', 'pc2').length).toBe(1);
  });
});

describe('raw IPv6 sockets (next header 89)', () => {
  it('an unbound next header gets a parameter problem; a bound one is delivered with its checksum verified, a bad checksum dropped', () => {
    const n = v6HostRouterHost();
    const errs = collect(n.get('pc1'));
    const payload = () => Uint8Array.of(3, 1, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    raw6Send(n.get('pc1'), { dst: a6('fc00:1::1'), next: 89, payload: payload(), zone: -1, checksumAt: 12 });
    n.run(SEC);
    expect(errs.map((e) => [e.type, e.code])).toEqual([[ICMPV6_TYPE.PARAM_PROBLEM, 1]]);
    const got: string[] = [];
    const close = raw6Bind(n.get('r1'), 89, 12, (d) => got.push(`${formatIpv6(d.src)} ${d.payload.length} ${d.hopLimit}`))!;
    expect(raw6Bind(n.get('r1'), 89, 12, () => {})).toBeNull();
    raw6Send(n.get('pc1'), { dst: a6('fc00:1::1'), next: 89, payload: payload(), zone: -1, checksumAt: 12, hopLimit: 1 });
    // The same bytes sent without the stack's checksum: refused by the receiving socket.
    raw6Send(n.get('pc1'), { dst: a6('fc00:1::1'), next: 89, payload: payload(), zone: -1, checksumAt: -1 });
    n.run(SEC);
    expect(got).toEqual(['fc00:1::20 16 1']);
    expect(errs).toHaveLength(1);
    close();
  });
});
