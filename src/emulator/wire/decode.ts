// Frame meaning for people: a one-line tshark-like summary (Protocol/Source/Destination/
// Info columns) and a per-layer field tree with byte ranges. Stateless (no reassembly);
// never throws — anything malformed is reported, not raised. Not for the forwarding path.

import { formatIpv4, readU16 } from './addr';
import { formatArp, parseArp } from './arp';
import { dataLeaf, field, macColumn, malformed, type DecodedField } from './decode-field';
import { decodeArp, decodeEthernet } from './decode-link';
import { decodeIpv4 } from './decode-ip';
import { decodeIpv6, summarizeIpv6 } from './decode-ip6';
import { ETHERTYPE, EthernetView, etherTypeName } from './ethernet';
import { formatIcmp, ICMP_TYPE, parseIcmp } from './icmp';
import { IP_PROTO, ipProtoName, Ipv4View } from './ipv4';
import { formatTcpInfo, TcpView } from './tcp';
import { formatUdp, parseUdp } from './udp';
import { parseRip, RIP_PORT, ripCommandName } from './rip';
import { formatDhcp, parseDhcp } from './dhcp';
import { isDhcpPorts } from './decode-dhcp';
import { DNS_PORT, formatDns, parseDns } from './dns';
import { BGP_PORT, bgpFrame, bgpTypeName } from './bgp';
import { formatBpdu, isBpduFrame, parseBpdu } from './stp';
import { ospfInfo } from './decode-ospf';

export type { DecodedField } from './decode-field';

/** Protocol class for colouring a frame: the highest layer recognised (the engine protocol re-exports it). */
export type ProtoClass = 'arp' | 'icmp' | 'udp' | 'dhcp' | 'dns' | 'tcp' | 'ipv4' | 'ipv6' | 'other';

export interface FrameSummary {
  proto: ProtoClass;
  src: string;
  dst: string;
  info: string;
  /** TCP flags byte of a TCP segment (the canvas marks SYN, FIN and RST). */
  tcpFlags?: number;
}

/** tshark-like columns for one Ethernet frame. */
export function summarizeFrame(bytes: Uint8Array): FrameSummary {
  try {
    return summarizeUnsafe(bytes);
  } catch (err) {
    // Unreachable by design (every read is behind a check); kept so a bug never kills the UI.
    return { proto: 'other', src: '', dst: '', info: `[Malformed: ${err instanceof Error ? err.message : String(err)}]` };
  }
}

function summarizeUnsafe(bytes: Uint8Array): FrameSummary {
  if (!EthernetView.check(bytes, 0, bytes.length)) {
    return { proto: 'other', src: '', dst: '', info: `[Malformed: ${bytes.length}-byte frame]` };
  }
  const eth = new EthernetView(bytes, 0);
  const type = eth.etherType;
  const off = eth.payloadOffset;
  const len = bytes.length - off;
  // IP summaries show addresses, the MACs only when malformed: formatted there, when needed.
  if (type === ETHERTYPE.IPV4) return summarizeIpv4(bytes, off, len);
  if (type === ETHERTYPE.IPV6) return summarizeIpv6(bytes, off, len);
  const src = macColumn(bytes, 6);
  const dst = macColumn(bytes, 0);
  if (type === ETHERTYPE.ARP) {
    const arp = parseArp(bytes, off, len);
    return { proto: 'arp', src, dst, info: arp ? formatArp(arp) : '[Malformed: ARP]' };
  }
  if (isBpduFrame(bytes)) {
    const b = parseBpdu(bytes, 0, bytes.length);
    return { proto: 'other', src, dst, info: typeof b === 'string' ? '[Malformed: STP]' : formatBpdu(b) }; // tshark's Info
  }
  return { proto: 'other', src, dst, info: `Ethernet II, type ${etherTypeName(type)}` };
}

function summarizeIpv4(bytes: Uint8Array, off: number, len: number): FrameSummary {
  if (!Ipv4View.check(bytes, off, len)) return { proto: 'ipv4', src: macColumn(bytes, 6), dst: macColumn(bytes, 0), info: '[Malformed: IPv4]' };
  const ip = new Ipv4View(bytes, off);
  const src = formatIpv4(ip.src);
  const dst = formatIpv4(ip.dst);
  const p = ip.proto;
  if (ip.isFragment && (ip.moreFragments || ip.fragOffset > 0)) {
    // tshark shows this for every fragment it has not reassembled.
    const id = ip.id.toString(16).padStart(4, '0');
    return { proto: 'ipv4', src, dst, info: `Fragmented IP protocol (proto=${ipProtoName(p)} ${p}, off=${ip.fragOffset}, ID=${id})` };
  }
  const start = ip.payloadOffset;
  const plen = ip.payloadLen;
  if (p === IP_PROTO.ICMP) {
    const m = parseIcmp(bytes, start, plen, false);
    if (!m) return { proto: 'icmp', src, dst, info: '[Malformed: ICMP]' };
    const echo = m.type === ICMP_TYPE.ECHO_REQUEST || m.type === ICMP_TYPE.ECHO_REPLY;
    return { proto: 'icmp', src, dst, info: echo ? `${formatIcmp(m)}, ttl=${ip.ttl}` : formatIcmp(m) };
  }
  if (p === IP_PROTO.UDP) {
    const u = parseUdp(bytes, start, plen);
    if (u && (u.srcPort === RIP_PORT || u.dstPort === RIP_PORT)) {
      const rip = parseRip(u.payload, 0, u.payload.length);
      if (typeof rip !== 'string') return { proto: 'udp', src, dst, info: ripCommandName(rip.command) }; // tshark's Info
    }
    if (u && isDhcpPorts(u.srcPort, u.dstPort)) {
      const m = parseDhcp(u.payload, 0, u.payload.length);
      if (typeof m !== 'string') return { proto: 'dhcp', src, dst, info: formatDhcp(m) }; // tshark's Info
    }
    if (u && (u.srcPort === DNS_PORT || u.dstPort === DNS_PORT)) {
      const dns = parseDns(u.payload, 0, u.payload.length);
      if (typeof dns !== 'string') return { proto: 'dns', src, dst, info: formatDns(dns) }; // tshark's Info
    }
    return { proto: 'udp', src, dst, info: u ? formatUdp(u) : '[Malformed: UDP]' };
  }
  if (p === IP_PROTO.TCP) {
    if (!TcpView.check(bytes, start, plen)) return { proto: 'tcp', src, dst, info: '[Malformed: TCP]' };
    // Read in place (no parsed copy): every TCP segment in the traffic view comes through here.
    const t = new TcpView(bytes, start);
    const flags = t.flags;
    const sp = t.srcPort;
    const dp = t.dstPort;
    const hl = t.headerLen;
    const bgp = sp === BGP_PORT || dp === BGP_PORT ? bgpInfo(bytes.subarray(start + hl, start + plen)) : null;
    if (bgp !== null) return { proto: 'tcp', src, dst, info: bgp, tcpFlags: flags };
    return { proto: 'tcp', src, dst, info: formatTcpInfo(sp, dp, flags, t.seq, t.ack, t.window, plen - hl), tcpFlags: flags };
  }
  const ospf = p === IP_PROTO.OSPF ? ospfInfo(bytes.subarray(start, start + plen)) : null;
  if (ospf !== null) return { proto: 'ipv4', src, dst, info: ospf }; // tshark's Info
  return { proto: 'ipv4', src, dst, info: `IPv4 ${ipProtoName(p)} (${p}), ${plen} bytes` };
}

/** tshark's Info for BGP messages starting a segment (`KEEPALIVE Message, UPDATE Message`), or null. */
function bgpInfo(payload: Uint8Array): string | null {
  const names: string[] = [];
  for (let off = 0; off < payload.length && names.length < 16; ) {
    const n = bgpFrame(payload, off, payload.length - off);
    if (typeof n !== 'number' || n === 0) break;
    names.push(bgpTypeName(payload[off + 18]!));
    off += n;
  }
  return names.length === 0 ? null : names.join(', ');
}

/** Per-layer field tree (Ethernet II, 802.1Q, ARP, IPv4, ICMP, UDP, TCP, IPv6, ICMPv6, Data, Padding). */
export function decodeFrame(bytes: Uint8Array): DecodedField[] {
  const out: DecodedField[] = [];
  try {
    decodeLayers(bytes, out);
  } catch (err) {
    out.push(malformed(`decoder error: ${err instanceof Error ? err.message : String(err)}`, 0, bytes.length));
  }
  return out;
}

function decodeLayers(bytes: Uint8Array, out: DecodedField[]): void {
  const link = decodeEthernet(bytes, out);
  if (!link) return;
  let end = bytes.length;
  if (link.etherType === ETHERTYPE.ARP) end = decodeArp(bytes, link.next, out);
  else if (link.etherType === ETHERTYPE.IPV4) end = decodeIpv4(bytes, link.next, out);
  else if (link.etherType === ETHERTYPE.IPV6) end = decodeIpv6(bytes, link.next, out);
  else if (bytes.length > link.next) out.push(dataLeaf(link.next, bytes.length - link.next));
  if (end < bytes.length) {
    const allZero = bytes.subarray(end).every((b) => b === 0);
    out.push(field(allZero ? 'Padding' : 'Trailer', `${bytes.length - end} bytes`, end, bytes.length - end));
  }
}

/** Ethertype of a frame past any 802.1Q tag, or -1 if too short (cheap; for filters). */
export function frameEtherType(bytes: Uint8Array): number {
  if (!EthernetView.check(bytes, 0, bytes.length)) return -1;
  return readU16(bytes, new EthernetView(bytes, 0).tagged ? 16 : 12);
}
