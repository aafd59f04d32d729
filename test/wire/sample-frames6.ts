// IPv6 part of the sample-frame catalogue: echo, NDP (NS, NA, RS, RA), the ICMPv6 errors,
// UDP over IPv6 and an extension-header chain, built only through wire/ emitters.
// Deterministic; no I/O.

import { parseMac } from '../../src/emulator/wire/addr';
import { buildEthernetFrame, ETHERTYPE } from '../../src/emulator/wire/ethernet';
import { buildIcmpv6, ICMPV6_TYPE, icmpv6Error, type Icmpv6Repr } from '../../src/emulator/wire/icmpv6';
import { buildIpv6Packet, IPV6_NEXT } from '../../src/emulator/wire/ipv6';
import { ipv6AllNodes, ipv6AllRouters, linkLocalFromMac, multicastMacOf, parseIpv6, solicitedNode, type Ipv6Addr } from '../../src/emulator/wire/ipv6-addr';
import { buildUdp6 } from '../../src/emulator/wire/udp6';
import type { SampleFrame } from './sample-frames';

const PC_MAC = parseMac('42:00:aa:00:00:02')!;
const R_MAC = parseMac('42:00:aa:00:00:01')!;
const PC6 = parseIpv6('fc00:1::20')!;
const R6 = parseIpv6('fc00:1::1')!;
const FAR6 = parseIpv6('fc00:2::20')!;

function frame(src: Ipv6Addr, dst: Ipv6Addr, next: number, hopLimit: number, payload: Uint8Array, macSrc = PC_MAC, macDst = R_MAC): Uint8Array {
  const p = buildIpv6Packet({ src, dst, nextHeader: next, hopLimit, trafficClass: 0, flowLabel: 0 }, payload);
  return buildEthernetFrame({ src: macSrc, dst: dst[0] === 0xff ? multicastMacOf(dst) : macDst, etherType: ETHERTYPE.IPV6 }, p);
}

function icmp6(src: Ipv6Addr, dst: Ipv6Addr, m: Icmpv6Repr, hopLimit = 64, macSrc = PC_MAC, macDst = R_MAC): Uint8Array {
  return frame(src, dst, IPV6_NEXT.ICMPV6, hopLimit, buildIcmpv6(m, src, dst), macSrc, macDst);
}

export function ipv6SampleFrames(): SampleFrame[] {
  const data = Uint8Array.from({ length: 56 }, (_, i) => i);
  const probe = buildIpv6Packet({ src: PC6, dst: FAR6, nextHeader: IPV6_NEXT.UDP, hopLimit: 1, trafficClass: 0, flowLabel: 0 }, buildUdp6({ srcPort: 50000, dstPort: 33434, payload: new Uint8Array(12) }, PC6, FAR6));
  const llPc = linkLocalFromMac(PC_MAC);
  const llR = linkLocalFromMac(R_MAC);
  const none = new Uint8Array(0);
  const ext = Uint8Array.of(17, 0, 1, 4, 0, 0, 0, 0);
  return [
    { name: 'icmpv6 echo request', bytes: icmp6(PC6, FAR6, { type: 128, code: 0, ident: 0x1234, seq: 0, data }), info: 'Echo (ping) request id=0x1234, seq=0, hop limit=64' },
    { name: 'icmpv6 echo reply', bytes: icmp6(FAR6, PC6, { type: 129, code: 0, ident: 0x1234, seq: 0, data }, 63, R_MAC, PC_MAC), info: 'Echo (ping) reply id=0x1234, seq=0, hop limit=63' },
    { name: 'neighbor solicitation', bytes: icmp6(PC6, solicitedNode(R6), { type: 135, code: 0, data: none, nd: { target: R6, options: [{ kind: 'source-ll', mac: PC_MAC }] } }, 255), info: 'Neighbor Solicitation for fc00:1::1 from 42:00:aa:00:00:02' },
    { name: 'neighbor advertisement', bytes: icmp6(R6, PC6, { type: 136, code: 0, data: none, nd: { target: R6, router: true, solicited: true, override: true, options: [{ kind: 'target-ll', mac: R_MAC }] } }, 255, R_MAC, PC_MAC), info: 'Neighbor Advertisement fc00:1::1 (rtr, sol, ovr) is at 42:00:aa:00:00:01' },
    { name: 'dad probe', bytes: icmp6(new Uint8Array(16), solicitedNode(PC6), { type: 135, code: 0, data: none, nd: { target: PC6, options: [] } }, 255), info: 'Neighbor Solicitation for fc00:1::20' },
    { name: 'router solicitation', bytes: icmp6(llPc, ipv6AllRouters(), { type: 133, code: 0, data: none, nd: { options: [{ kind: 'source-ll', mac: PC_MAC }] } }, 255), info: 'Router Solicitation from 42:00:aa:00:00:02' },
    {
      name: 'router advertisement',
      bytes: icmp6(llR, ipv6AllNodes(), { type: 134, code: 0, data: none, nd: { curHopLimit: 64, routerLifetimeS: 1800, reachableTimeMs: 0, retransTimerMs: 0, options: [{ kind: 'source-ll', mac: R_MAC }, { kind: 'mtu', mtu: 1500 }, { kind: 'prefix', prefixLen: 64, onLink: true, autonomous: true, validLifetimeS: 2592000, preferredLifetimeS: 604800, prefix: parseIpv6('fc00:1::')! }] } }, 255, R_MAC),
      info: 'Router Advertisement from 42:00:aa:00:00:01',
    },
    {
      name: 'router advertisement with dns options',
      bytes: icmp6(llR, ipv6AllNodes(), { type: 134, code: 0, data: none, nd: { curHopLimit: 64, routerLifetimeS: 1800, reachableTimeMs: 0, retransTimerMs: 0, options: [{ kind: 'source-ll', mac: R_MAC }, { kind: 'mtu', mtu: 1400 }, { kind: 'rdnss', lifetimeS: 900, servers: [parseIpv6('fc00:1::53')!, parseIpv6('fe80::53')!] }, { kind: 'dnssl', lifetimeS: 900, domains: ['lab.example', 'example.com'] }] } }, 255, R_MAC),
      info: 'Router Advertisement from 42:00:aa:00:00:01',
    },
    { name: 'udp6 traceroute probe', bytes: frame(PC6, FAR6, IPV6_NEXT.UDP, 1, probe.subarray(40)), info: '50000 → 33434 Len=12' },
    { name: 'hop limit exceeded', bytes: icmp6(R6, PC6, icmpv6Error(ICMPV6_TYPE.TIME_EXCEEDED, 0, probe), 64, R_MAC, PC_MAC), info: 'Time Exceeded (hop limit exceeded in transit)' },
    { name: 'address unreachable', bytes: icmp6(R6, PC6, icmpv6Error(ICMPV6_TYPE.DST_UNREACHABLE, 3, probe), 64, R_MAC, PC_MAC), info: 'Destination Unreachable (Address unreachable)' },
    { name: 'no route', bytes: icmp6(R6, PC6, icmpv6Error(ICMPV6_TYPE.DST_UNREACHABLE, 0, probe), 64, R_MAC, PC_MAC), info: 'Destination Unreachable (no route to destination)' },
    { name: 'port unreachable6', bytes: icmp6(FAR6, PC6, icmpv6Error(ICMPV6_TYPE.DST_UNREACHABLE, 4, probe), 64, R_MAC, PC_MAC), info: 'Destination Unreachable (Port unreachable)' },
    { name: 'packet too big', bytes: icmp6(R6, PC6, icmpv6Error(ICMPV6_TYPE.PACKET_TOO_BIG, 0, probe, 1400), 64, R_MAC, PC_MAC), info: 'Packet Too Big' },
    { name: 'parameter problem', bytes: icmp6(R6, PC6, icmpv6Error(ICMPV6_TYPE.PARAM_PROBLEM, 1, probe, 6), 64, R_MAC, PC_MAC), info: 'Parameter Problem (unrecognized Next Header type encountered)' },
    { name: 'destination options + udp', bytes: frame(PC6, FAR6, IPV6_NEXT.DEST_OPTS, 64, Uint8Array.of(...ext, ...probe.subarray(40))), info: '50000 → 33434 Len=12' },
  ];
}
