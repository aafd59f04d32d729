// A catalog of every kind of frame the wire layer emits (ARP, ICMP echo and errors,
// fragments, UDP, TCP, 802.1Q, IPv4 options), built only through wire/ emitters, for
// capture validation with tshark and decode tests. Deterministic; no I/O.

import { parseIpv4, parseMac } from '../../src/emulator/wire/addr';
import { ARP_OP, emitArp } from '../../src/emulator/wire/arp';
import { buildEthernetFrame, ETHERTYPE, type EthernetRepr } from '../../src/emulator/wire/ethernet';
import { fragmentIpv4 } from '../../src/emulator/wire/fragment';
import {
  buildIcmp,
  ICMP_TIME_EXCEEDED,
  ICMP_TYPE,
  ICMP_UNREACH,
  icmpEchoReply,
  icmpEchoRequest,
  icmpError,
  type IcmpRepr,
} from '../../src/emulator/wire/icmp';
import { buildIpv4Packet, IP_PROTO, type Ipv4Repr } from '../../src/emulator/wire/ipv4';
import { buildTcp, TCP_FLAG, type TcpRepr } from '../../src/emulator/wire/tcp';
import { buildUdp } from '../../src/emulator/wire/udp';
import { ipv6SampleFrames } from './sample-frames6';

export const PC = parseIpv4('10.0.0.20')!;
export const ROUTER = parseIpv4('10.0.0.1')!;
export const FAR = parseIpv4('10.0.1.20')!;
export const PC_MAC = parseMac('42:00:aa:00:00:02')!;
export const ROUTER_MAC = parseMac('42:00:aa:00:00:01')!;

export interface SampleFrame {
  name: string;
  bytes: Uint8Array;
  /** What tshark's Info column should start with. */
  info: string;
}

function ip(src: number, dst: number, proto: number, extra: Partial<Ipv4Repr> = {}): Omit<Ipv4Repr, 'payloadLen'> {
  return { src, dst, proto, ttl: 64, tos: 0, id: 1, dontFragment: false, moreFragments: false, fragOffset: 0, ...extra };
}

function eth(payload: Uint8Array, type: number = ETHERTYPE.IPV4, extra: Partial<EthernetRepr> = {}): Uint8Array {
  return buildEthernetFrame({ dst: ROUTER_MAC, src: PC_MAC, etherType: type, ...extra }, payload);
}

function icmpPacket(src: number, dst: number, m: IcmpRepr, extra: Partial<Ipv4Repr> = {}): Uint8Array {
  return buildIpv4Packet(ip(src, dst, IP_PROTO.ICMP, extra), buildIcmp(m));
}

function arp(op: number, senderMac: number, senderIp: number, targetMac: number, targetIp: number): Uint8Array {
  const b = new Uint8Array(28);
  emitArp({ op, senderMac, senderIp, targetMac, targetIp }, b, 0);
  return b;
}

function pingData(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i & 0xff);
}

function tcp(r: Partial<TcpRepr>, src = PC, dst = FAR): Uint8Array {
  const repr: TcpRepr = { srcPort: 49152, dstPort: 80, seq: 1000, ack: 0, flags: 0, window: 65535, urgent: 0, payload: new Uint8Array(0), ...r };
  return buildIpv4Packet(ip(src, dst, IP_PROTO.TCP, { dontFragment: true }), buildTcp(repr, src, dst));
}

export function sampleFrames(): SampleFrame[] {
  const echo = icmpEchoRequest(1, 1, pingData(56));
  const traceUdp = buildIpv4Packet(ip(PC, FAR, IP_PROTO.UDP, { ttl: 1, id: 0x1234 }), buildUdp({ srcPort: 33434, dstPort: 33435, payload: new Uint8Array(32) }, PC, FAR));
  const big = icmpPacket(PC, FAR, icmpEchoRequest(1, 2, pingData(2972)), { id: 7 });
  const bigDf = icmpPacket(PC, FAR, icmpEchoRequest(1, 3, pingData(1472)), { id: 8, dontFragment: true });
  const frags = fragmentIpv4(big, 1500)!;
  const unreach = (code: number) => icmpPacket(ROUTER, PC, icmpError(ICMP_TYPE.DST_UNREACHABLE, code, traceUdp));
  const mss = Uint8Array.of(2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7);
  const frames: SampleFrame[] = [
    { name: 'arp request', bytes: eth(arp(ARP_OP.REQUEST, PC_MAC, PC, 0, ROUTER), ETHERTYPE.ARP, { dst: 0xffffffffffff }), info: 'Who has 10.0.0.1? Tell 10.0.0.20' },
    { name: 'arp reply', bytes: eth(arp(ARP_OP.REPLY, ROUTER_MAC, ROUTER, PC_MAC, PC), ETHERTYPE.ARP, { dst: PC_MAC, src: ROUTER_MAC }), info: '10.0.0.1 is at 42:00:aa:00:00:01' },
    { name: 'echo request', bytes: eth(icmpPacket(PC, FAR, echo)), info: 'Echo (ping) request  id=0x0001, seq=1/256, ttl=64' },
    { name: 'echo reply', bytes: eth(icmpPacket(FAR, PC, icmpEchoReply(echo), { ttl: 63 })), info: 'Echo (ping) reply    id=0x0001, seq=1/256, ttl=63' },
    { name: 'udp traceroute probe', bytes: eth(traceUdp), info: '33434 → 33435 Len=32' },
    { name: 'time exceeded', bytes: eth(icmpPacket(ROUTER, PC, icmpError(ICMP_TYPE.TIME_EXCEEDED, ICMP_TIME_EXCEEDED.TTL, traceUdp))), info: 'Time-to-live exceeded (Time to live exceeded in transit)' },
    { name: 'reassembly time exceeded', bytes: eth(icmpPacket(FAR, PC, icmpError(ICMP_TYPE.TIME_EXCEEDED, ICMP_TIME_EXCEEDED.REASSEMBLY, frags[0]))), info: 'Time-to-live exceeded (Fragment reassembly time exceeded)' },
    { name: 'net unreachable', bytes: eth(unreach(ICMP_UNREACH.NET)), info: 'Destination unreachable (Network unreachable)' },
    { name: 'host unreachable', bytes: eth(unreach(ICMP_UNREACH.HOST)), info: 'Destination unreachable (Host unreachable)' },
    { name: 'proto unreachable', bytes: eth(unreach(ICMP_UNREACH.PROTO)), info: 'Destination unreachable (Protocol unreachable)' },
    { name: 'port unreachable', bytes: eth(unreach(ICMP_UNREACH.PORT)), info: 'Destination unreachable (Port unreachable)' },
    { name: 'frag needed', bytes: eth(icmpPacket(ROUTER, PC, icmpError(ICMP_TYPE.DST_UNREACHABLE, ICMP_UNREACH.FRAG_NEEDED, bigDf, { nextHopMtu: 1400 }))), info: 'Destination unreachable (Fragmentation needed)' },
    ...frags.map((f, i) => ({
      name: `fragment ${i}`,
      bytes: eth(f),
      info: i < frags.length - 1 ? `Fragmented IP protocol (proto=ICMP 1, off=${i * 1480}, ID=0007)` : 'Echo (ping) request  id=0x0001, seq=2/512, ttl=64',
    })),
    { name: '802.1Q echo', bytes: eth(icmpPacket(PC, FAR, icmpEchoRequest(2, 5, pingData(56))), ETHERTYPE.IPV4, { vlan: 10, pcp: 3 }), info: 'Echo (ping) request  id=0x0002, seq=5/1280, ttl=64' },
    { name: 'ip options', bytes: eth(buildIpv4Packet(ip(PC, FAR, IP_PROTO.UDP, { options: Uint8Array.of(0x94, 4, 0, 0) }), buildUdp({ srcPort: 5000, dstPort: 5001, payload: pingData(10) }, PC, FAR))), info: '5000 → 5001 Len=10' },
    { name: 'tcp syn', bytes: eth(tcp({ flags: TCP_FLAG.SYN, options: mss })), info: '49152 → 80 [SYN]' },
    { name: 'tcp syn-ack', bytes: eth(tcp({ srcPort: 80, dstPort: 49152, seq: 5000, ack: 1001, flags: TCP_FLAG.SYN | TCP_FLAG.ACK, options: Uint8Array.of(2, 4, 0x05, 0xb4) }, FAR, PC)), info: '80 → 49152 [SYN, ACK]' },
    { name: 'tcp data', bytes: eth(tcp({ seq: 1001, ack: 5001, flags: TCP_FLAG.PSH | TCP_FLAG.ACK, payload: pingData(100) })), info: '49152 → 80 [PSH, ACK]' },
    { name: 'tcp fin', bytes: eth(tcp({ seq: 1101, ack: 5001, flags: TCP_FLAG.FIN | TCP_FLAG.ACK })), info: '49152 → 80 [FIN, ACK]' },
    { name: 'tcp rst', bytes: eth(tcp({ srcPort: 80, dstPort: 49152, seq: 5001, ack: 0, flags: TCP_FLAG.RST }, FAR, PC)), info: '80 → 49152 [RST]' },
    ...ipv6SampleFrames(),
  ];
  return frames;
}
