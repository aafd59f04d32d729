// Wireshark display-filter fields of one captured frame (eth.*, arp.*, ip.*, icmp.*, ipv6.*,
// icmpv6.*, udp.*, dhcp.*, dhcpv6.*, dns.*, tcp.*, frame.len), read through the wire/ views and reprs, once per frame (cached by its
// bytes). Pure; a field a frame does not have is simply absent, never an error. Fields that need
// the frames before (tcp.stream, relative tcp.seq/tcp.ack) come from tcp-conversations.ts.
import { formatIpv4, formatMac } from '../wire/addr';
import { parseArp } from '../wire/arp';
import { ETHERTYPE, EthernetView } from '../wire/ethernet';
import { IcmpView } from '../wire/icmp';
import { IP_PROTO, Ipv4View } from '../wire/ipv4';
import { TCP_FLAG, TcpView } from '../wire/tcp';
import { UDP_HEADER_LEN, UdpView } from '../wire/udp';
import { dhcpParams, macOfChaddr, parseDhcp } from '../wire/dhcp';
import { isDhcpPorts } from '../wire/decode-dhcp';
import { isDhcp6Ports } from '../wire/decode-dhcp6';
import { DHCP6_OPT, parseDhcp6, readIaNa } from '../wire/dhcp6';
import { DNS_PORT, parseDns } from '../wire/dns';
import { Icmpv6View } from '../wire/icmpv6';
import { IPV6_NEXT, Ipv6View, walkIpv6Chain } from '../wire/ipv6';
import { formatIpv6 } from '../wire/ipv6-addr';

/** What a field holds, which says how a filter value is read. */
export const FIELD_TYPES = {
  'frame.len': 'number',
  'eth.addr': 'mac', 'eth.src': 'mac', 'eth.dst': 'mac', 'eth.type': 'number', 'vlan.id': 'number',
  'arp.opcode': 'number', 'arp.src.hw_mac': 'mac', 'arp.dst.hw_mac': 'mac', 'arp.src.proto_ipv4': 'ipv4', 'arp.dst.proto_ipv4': 'ipv4',
  'ip.addr': 'ipv4', 'ip.src': 'ipv4', 'ip.dst': 'ipv4', 'ip.ttl': 'number', 'ip.proto': 'number', 'ip.len': 'number', 'ip.id': 'number',
  'icmp.type': 'number', 'icmp.code': 'number', 'icmp.ident': 'number', 'icmp.seq': 'number',
  'ipv6.addr': 'ipv6', 'ipv6.src': 'ipv6', 'ipv6.dst': 'ipv6', 'ipv6.hlim': 'number', 'ipv6.nxt': 'number', 'ipv6.plen': 'number',
  'icmpv6.type': 'number', 'icmpv6.code': 'number',
  'udp.port': 'number', 'udp.srcport': 'number', 'udp.dstport': 'number', 'udp.length': 'number',
  'dhcp.type': 'number', 'dhcp.id': 'number', 'dhcp.option.dhcp': 'number', 'dhcp.hops': 'number', 'dhcp.hw.mac_addr': 'mac',
  'dhcp.ip.client': 'ipv4', 'dhcp.ip.your': 'ipv4', 'dhcp.ip.server': 'ipv4', 'dhcp.ip.relay': 'ipv4',
  'dhcpv6.msgtype': 'number', 'dhcpv6.xid': 'number', 'dhcpv6.iaaddr.ip': 'ipv6',
  'dns.id': 'number', 'dns.flags.response': 'number', 'dns.flags.rcode': 'number', 'dns.qry.name': 'string', 'dns.qry.type': 'number',
  'dns.count.answers': 'number',
  'tcp.port': 'number', 'tcp.srcport': 'number', 'tcp.dstport': 'number', 'tcp.seq': 'number', 'tcp.ack': 'number',
  'tcp.flags.syn': 'number', 'tcp.flags.ack': 'number', 'tcp.flags.fin': 'number', 'tcp.flags.reset': 'number', 'tcp.flags.push': 'number',
  'tcp.seq_raw': 'number', 'tcp.ack_raw': 'number', 'tcp.len': 'number', 'tcp.hdr_len': 'number', 'tcp.window_size_value': 'number', 'tcp.flags': 'number',
  // Known only from the frames before this one (filter/tcp-conversations.ts fills them in a capture).
  'tcp.stream': 'number', 'tcp.nxtseq': 'number', 'tcp.window_size': 'number', 'tcp.analysis.retransmission': 'number',
} as const;

export type FieldName = keyof typeof FIELD_TYPES;
export type FieldType = (typeof FIELD_TYPES)[FieldName];
/** Field → its values in this frame (ip.addr has two: source and destination). */
export type FrameFields = Partial<Record<FieldName, (number | string)[]>>;

export function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(FIELD_TYPES, name);
}

const cache = new WeakMap<Uint8Array, FrameFields>();

export function frameFields(bytes: Uint8Array): FrameFields {
  let f = cache.get(bytes);
  if (!f) {
    f = readFields(bytes);
    cache.set(bytes, f);
  }
  return f;
}

function readFields(bytes: Uint8Array): FrameFields {
  const f: FrameFields = { 'frame.len': [bytes.length] };
  if (!EthernetView.check(bytes, 0, bytes.length)) return f;
  const eth = new EthernetView(bytes, 0);
  const src = formatMac(eth.src);
  const dst = formatMac(eth.dst);
  Object.assign(f, { 'eth.src': [src], 'eth.dst': [dst], 'eth.addr': [src, dst], 'eth.type': [eth.etherType] });
  if (eth.tagged) f['vlan.id'] = [eth.vlan];
  const off = eth.payloadOffset;
  const len = bytes.length - off;
  if (eth.etherType === ETHERTYPE.ARP) {
    const a = parseArp(bytes, off, len);
    if (a) Object.assign(f, { 'arp.opcode': [a.op], 'arp.src.hw_mac': [formatMac(a.senderMac)], 'arp.dst.hw_mac': [formatMac(a.targetMac)], 'arp.src.proto_ipv4': [formatIpv4(a.senderIp)], 'arp.dst.proto_ipv4': [formatIpv4(a.targetIp)] });
  } else if (eth.etherType === ETHERTYPE.IPV4 && Ipv4View.check(bytes, off, len)) {
    ipFields(bytes, new Ipv4View(bytes, off), f);
  } else if (eth.etherType === ETHERTYPE.IPV6 && Ipv6View.check(bytes, off, len)) {
    ip6Fields(bytes, new Ipv6View(bytes, off), f);
  }
  return f;
}

function ip6Fields(bytes: Uint8Array, ip: Ipv6View, f: FrameFields): void {
  const s = formatIpv6(ip.src);
  const d = formatIpv6(ip.dst);
  Object.assign(f, { 'ipv6.src': [s], 'ipv6.dst': [d], 'ipv6.addr': [s, d], 'ipv6.hlim': [ip.hopLimit], 'ipv6.nxt': [ip.nextHeader], 'ipv6.plen': [ip.payloadLen] });
  const chain = walkIpv6Chain(bytes, ip.off, ip.payloadOffset + ip.payloadLen);
  if (!chain.ok) return;
  const c = chain.value;
  if (c.fragment !== null && c.fragment.offset > 0) return; // later fragments carry no transport header
  if (c.proto === IPV6_NEXT.ICMPV6 && Icmpv6View.check(bytes, c.upperOff, c.upperLen)) {
    const m = new Icmpv6View(bytes, c.upperOff, c.upperLen);
    Object.assign(f, { 'icmpv6.type': [m.type], 'icmpv6.code': [m.code] });
  } else transportFields(bytes, c.proto, c.upperOff, c.upperLen, f);
}

function ipFields(bytes: Uint8Array, ip: Ipv4View, f: FrameFields): void {
  const s = formatIpv4(ip.src);
  const d = formatIpv4(ip.dst);
  Object.assign(f, { 'ip.src': [s], 'ip.dst': [d], 'ip.addr': [s, d], 'ip.ttl': [ip.ttl], 'ip.proto': [ip.proto], 'ip.len': [ip.totalLen], 'ip.id': [ip.id] });
  if (ip.fragOffset > 0) return; // later fragments carry no transport header
  const at = ip.payloadOffset;
  const n = ip.payloadLen;
  if (ip.proto === IP_PROTO.ICMP && IcmpView.check(bytes, at, n)) {
    const m = new IcmpView(bytes, at, n);
    Object.assign(f, { 'icmp.type': [m.type], 'icmp.code': [m.code] });
    if (m.type === 0 || m.type === 8) Object.assign(f, { 'icmp.ident': [m.ident], 'icmp.seq': [m.seq] });
  } else transportFields(bytes, ip.proto, at, n, f);
}

/** BOOTP/DHCP fields (Wireshark's dhcp.*), when the UDP payload is a message. */
function dhcpFields(bytes: Uint8Array, at: number, n: number, f: FrameFields): void {
  const m = parseDhcp(bytes, at, n);
  if (typeof m === 'string') return;
  Object.assign(f, {
    'dhcp.type': [m.op], 'dhcp.id': [m.xid], 'dhcp.hops': [m.hops], 'dhcp.hw.mac_addr': [formatMac(macOfChaddr(m.chaddr))],
    'dhcp.ip.client': [formatIpv4(m.ciaddr)], 'dhcp.ip.your': [formatIpv4(m.yiaddr)], 'dhcp.ip.server': [formatIpv4(m.siaddr)], 'dhcp.ip.relay': [formatIpv4(m.giaddr)],
  });
  const t = dhcpParams(m).messageType;
  if (t !== null) f['dhcp.option.dhcp'] = [t];
}

/** DHCPv6 fields (Wireshark's dhcpv6.*), when the UDP payload is a client/server message. */
function dhcp6Fields(bytes: Uint8Array, at: number, n: number, f: FrameFields): void {
  const m = n > 0 ? parseDhcp6(bytes, at, n) : 'truncated';
  if (typeof m === 'string') return;
  f['dhcpv6.msgtype'] = [m.type];
  f['dhcpv6.xid'] = [m.xid];
  const addrs = m.options.filter((o) => o.code === DHCP6_OPT.IA_NA).flatMap((o) => readIaNa(o.data)?.addrs ?? []);
  if (addrs.length > 0) f['dhcpv6.iaaddr.ip'] = addrs.map((a) => formatIpv6(a.addr));
}

/** dns.* as Wireshark names them (dns.qry.name without the final dot); absent when it does not parse. */
function dnsFields(bytes: Uint8Array, at: number, n: number, f: FrameFields): void {
  const m = n > 0 ? parseDns(bytes, at, n) : 'truncated';
  if (typeof m === 'string') return;
  Object.assign(f, {
    'dns.id': [m.id], 'dns.flags.response': [m.qr ? 1 : 0], 'dns.flags.rcode': [m.rcode], 'dns.count.answers': [m.answers.length],
    'dns.qry.name': m.questions.map((q) => (q.name === '.' ? '<Root>' : q.name.replace(/\.$/, ''))), 'dns.qry.type': m.questions.map((q) => q.type),
  });
}

/** UDP and TCP fields, the same over IPv4 and IPv6. */
function transportFields(bytes: Uint8Array, proto: number, at: number, n: number, f: FrameFields): void {
  if (proto === IP_PROTO.UDP && UdpView.check(bytes, at, n)) {
    const u = new UdpView(bytes, at);
    Object.assign(f, { 'udp.srcport': [u.srcPort], 'udp.dstport': [u.dstPort], 'udp.port': [u.srcPort, u.dstPort], 'udp.length': [u.length] });
    if (isDhcpPorts(u.srcPort, u.dstPort)) dhcpFields(bytes, at + UDP_HEADER_LEN, Math.min(n, u.length) - UDP_HEADER_LEN, f);
    if (isDhcp6Ports(u.srcPort, u.dstPort)) dhcp6Fields(bytes, at + UDP_HEADER_LEN, Math.min(n, u.length) - UDP_HEADER_LEN, f);
    if (u.srcPort === DNS_PORT || u.dstPort === DNS_PORT) dnsFields(bytes, at + UDP_HEADER_LEN, Math.min(u.length, n) - UDP_HEADER_LEN, f);
  } else if (proto === IP_PROTO.TCP && TcpView.check(bytes, at, n)) {
    const t = new TcpView(bytes, at);
    const bit = (b: number) => [t.flags & b ? 1 : 0];
    Object.assign(f, {
      'tcp.srcport': [t.srcPort], 'tcp.dstport': [t.dstPort], 'tcp.port': [t.srcPort, t.dstPort], 'tcp.seq': [t.seq], 'tcp.ack': [t.ack],
      'tcp.seq_raw': [t.seq], 'tcp.ack_raw': [t.ack], 'tcp.len': [Math.max(0, n - t.headerLen)], 'tcp.hdr_len': [t.headerLen], 'tcp.window_size_value': [t.window], 'tcp.flags': [t.flags],
      'tcp.flags.syn': bit(TCP_FLAG.SYN), 'tcp.flags.ack': bit(TCP_FLAG.ACK), 'tcp.flags.fin': bit(TCP_FLAG.FIN), 'tcp.flags.reset': bit(TCP_FLAG.RST), 'tcp.flags.push': bit(TCP_FLAG.PSH),
    });
  }
}
