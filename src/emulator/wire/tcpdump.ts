// One frame as tcpdump(1) prints it (tcpdump 4.99 as FreeBSD ships it): the `IP a.p > b.q:`
// line with TCP flags, relative sequence numbers, window, options and length; UDP, ICMP,
// ICMPv6/NDP, ARP and OSPF summaries; -v's IP header fields and checksums; -e's MAC
// prefix. Also the packet facts a capture filter tests. Reads bytes through the wire views;
// never throws on garbage (prints `[|proto]` as tcpdump does for a truncated header).

import { formatIpv4, formatMac, readU16, readU32 } from './addr';
import { internetChecksum, pseudoHeaderSumIpv4 } from './checksum';
import { ETHERTYPE, EthernetView } from './ethernet';
import { ArpView, ARP_OP } from './arp';
import { ICMP_TYPE, IcmpView } from './icmp';
import { IP_PROTO, Ipv4View } from './ipv4';
import { Ipv6View, walkIpv6Chain } from './ipv6';
import { formatIpv6 } from './ipv6-addr';
import { TCP_FLAG, TcpView } from './tcp';
import { UdpView } from './udp';
import { dhcp6DumpText } from './tcpdump-dhcp6';

/** What a capture filter tests (pcap-filter(7) primitives). */
export interface DumpFacts {
  /** 0x0800, 0x86dd, 0x0806, or another EtherType. */
  etherType: number;
  /** IPv4 addresses (ARP: sender and target), or -1. */
  src4: number;
  dst4: number;
  src6: Uint8Array | null;
  dst6: Uint8Array | null;
  /** IP protocol / IPv6 upper-layer protocol, or -1. */
  proto: number;
  /** TCP/UDP ports, or -1 (also for non-first fragments). */
  sport: number;
  dport: number;
}

/** Parses the facts of `frame`; missing layers stay -1/null. */
export function dumpFacts(frame: Uint8Array): DumpFacts {
  const f: DumpFacts = { etherType: -1, src4: -1, dst4: -1, src6: null, dst6: null, proto: -1, sport: -1, dport: -1 };
  if (!EthernetView.check(frame, 0, frame.length)) return f;
  const eth = new EthernetView(frame, 0);
  f.etherType = eth.etherType;
  const off = eth.payloadOffset;
  const len = frame.length - off;
  if (f.etherType === ETHERTYPE.IPV4 && Ipv4View.check(frame, off, len)) {
    const ip = new Ipv4View(frame, off);
    f.src4 = ip.src;
    f.dst4 = ip.dst;
    f.proto = ip.proto;
    if (ip.fragOffset === 0) portsAt(frame, ip.payloadOffset, ip.payloadLen, f);
  } else if (f.etherType === ETHERTYPE.IPV6 && Ipv6View.check(frame, off, len)) {
    const ip = new Ipv6View(frame, off);
    f.src6 = ip.src;
    f.dst6 = ip.dst;
    const ch = walkIpv6Chain(frame, off, Math.min(frame.length, off + 40 + ip.payloadLen));
    if (ch.ok) {
      f.proto = ch.value.proto;
      if (ch.value.fragment === null || ch.value.fragment.offset === 0) portsAt(frame, ch.value.upperOff, ch.value.upperLen, f);
    }
  } else if (f.etherType === ETHERTYPE.ARP && ArpView.check(frame, off, len)) {
    const a = new ArpView(frame, off);
    f.src4 = a.senderIp;
    f.dst4 = a.targetIp;
  }
  return f;
}

function portsAt(buf: Uint8Array, off: number, len: number, f: DumpFacts): void {
  if ((f.proto === IP_PROTO.TCP || f.proto === IP_PROTO.UDP) && len >= 4 && off + 4 <= buf.length) {
    f.sport = readU16(buf, off);
    f.dport = readU16(buf, off + 2);
  }
}

export interface DumpOptions {
  /** -n: numbers, not service names. */
  numeric: boolean;
  /** -v */
  verbose: boolean;
  /** -e */
  link: boolean;
}

/**
 * Per-capture memory tcpdump keeps to print relative sequence numbers: the initial
 * sequence numbers of each connection seen (print-tcp.c tcp_seq_hash), bounded.
 */
export class DumpSeqState {
  private readonly conns = new Map<string, { seq: number; ack: number }>();
  constructor(private readonly max = 4096) {}

  /**
   * Relative seq/ack (and the bases for SACK blocks) of a segment, as print-tcp.c computes
   * them: only segments with ACK take part; the first one of a conversation (or one with SYN)
   * records its numbers and prints them absolute.
   */
  relative(key: string, rev: boolean, flags: number, seq: number, ack: number): { seq: number; ack: number; thSeq: number; thAck: number; rev: boolean } {
    if ((flags & TCP_FLAG.ACK) === 0) return { seq, ack, thSeq: 0, thAck: 0, rev: false };
    let th = this.conns.get(key);
    if (th === undefined || (flags & TCP_FLAG.SYN) !== 0) {
      if (th === undefined) {
        if (this.conns.size >= this.max) this.conns.delete(this.conns.keys().next().value!);
        th = { seq: 0, ack: 0 };
        this.conns.set(key, th);
      }
      if (rev) {
        th.ack = seq;
        th.seq = (ack - 1) >>> 0;
      } else {
        th.seq = seq;
        th.ack = (ack - 1) >>> 0;
      }
      return { seq, ack, thSeq: th.seq, thAck: th.ack, rev };
    }
    return rev
      ? { seq: (seq - th.ack) >>> 0, ack: (ack - th.seq) >>> 0, thSeq: th.seq, thAck: th.ack, rev }
      : { seq: (seq - th.seq) >>> 0, ack: (ack - th.ack) >>> 0, thSeq: th.seq, thAck: th.ack, rev };
  }
}

/** Virtual time as tcpdump's default timestamp: `HH:MM:SS.uuuuuu` since virtual midnight. */
export function dumpTime(ns: number): string {
  const us = Math.floor(ns / 1000);
  const s = Math.floor(us / 1e6);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${p2(Math.floor(s / 3600) % 24)}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}.${String(us % 1e6).padStart(6, '0')}`;
}

const SERVICES: Readonly<Record<number, string>> = {
  20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 67: 'bootps', 68: 'bootpc', 69: 'tftp', 80: 'http', 110: 'pop3', 123: 'ntp',
  143: 'imap', 161: 'snmp', 179: 'bgp', 443: 'https', 514: 'syslog', 520: 'route', 521: 'ripng', 546: 'dhcpv6-client', 547: 'dhcpv6-server', 5201: 'targus-getdata1',
};

function port(p: number, o: DumpOptions): string {
  return o.numeric ? String(p) : (SERVICES[p] ?? String(p));
}

const ETHER_NAMES: Readonly<Record<number, string>> = { 0x0800: 'IPv4', 0x0806: 'ARP', 0x86dd: 'IPv6', 0x8100: '802.1Q' };

/** The line tcpdump prints for `frame` (without the timestamp), `-v` continuation lines included. */
export function formatDumpLine(frame: Uint8Array, o: DumpOptions, seqs: DumpSeqState): string {
  if (!EthernetView.check(frame, 0, frame.length)) return `[|ether]`;
  const eth = new EthernetView(frame, 0);
  const et = eth.etherType;
  const off = eth.payloadOffset;
  const len = frame.length - off;
  const body = et === ETHERTYPE.IPV4 ? ipv4Line(frame, off, len, o, seqs) : et === ETHERTYPE.IPV6 ? ipv6Line(frame, off, len, o, seqs) : et === ETHERTYPE.ARP ? arpLine(frame, off, len, o) : null;
  if (o.link) {
    const vlan = eth.tagged ? `ethertype 802.1Q (0x8100), length ${frame.length}: vlan ${eth.vlan}, p ${eth.pcp}, ` : '';
    const head = `${macText(eth.src, o)} > ${macText(eth.dst, o)}, ${vlan}ethertype ${ETHER_NAMES[et] ?? 'Unknown'} (0x${et.toString(16).padStart(4, '0')}), length ${frame.length}`;
    return body === null ? head : `${head}: ${body.text}`;
  }
  if (body === null) return `ethertype Unknown (0x${et.toString(16).padStart(4, '0')}), length ${frame.length}`;
  return `${body.tag}${body.text}`;
}

/** A MAC as tcpdump prints it: without -n, `Broadcast`, or the address with its (unknown) OUI. */
function macText(mac: number, o: DumpOptions): string {
  if (o.numeric) return formatMac(mac);
  return mac === 0xffff_ffff_ffff ? 'Broadcast' : `${formatMac(mac)} (oui Unknown)`;
}

interface Body {
  /** `IP `, `IP6 `, `ARP, ` — dropped with -e. */
  tag: string;
  text: string;
}

function ipv4Line(buf: Uint8Array, off: number, len: number, o: DumpOptions, seqs: DumpSeqState): Body {
  if (!Ipv4View.check(buf, off, len)) return { tag: 'IP ', text: 'truncated-ip' };
  const ip = new Ipv4View(buf, off);
  const poff = ip.payloadOffset;
  const plen = ip.payloadLen;
  const flags = [ip.dontFragment ? 'DF' : '', ip.moreFragments ? '+' : ''].filter((x) => x !== '').join('');
  const vHead = o.verbose
    ? `(tos 0x${ip.tos.toString(16)}, ttl ${ip.ttl}, id ${ip.id}, offset ${ip.fragOffset}, flags [${flags === '' ? 'none' : flags}], proto ${protoName(ip.proto)} (${ip.proto}), length ${ip.totalLen})\n    `
    : '';
  const s = formatIpv4(ip.src);
  const d = formatIpv4(ip.dst);
  let text: string;
  if (ip.fragOffset > 0) {
    text = `${s} > ${d}: ${protoLower(ip.proto)}`;
  } else if (ip.proto === IP_PROTO.TCP) {
    text = tcpText(buf, poff, plen, s, d, key4(ip.src, ip.dst), ip.src - ip.dst, o, seqs, (segLen) => internetChecksum(buf, poff, segLen, pseudoHeaderSumIpv4(ip.src, ip.dst, IP_PROTO.TCP, segLen)));
  } else if (ip.proto === IP_PROTO.UDP) {
    text = udpText(buf, poff, plen, s, d, o);
  } else if (ip.proto === IP_PROTO.ICMP) {
    text = `${s} > ${d}: ${icmpText(buf, poff, plen)}`;
  } else if (ip.proto === 89) {
    text = `${s} > ${d}: ${ospfText(buf, poff, plen)}`;
  } else {
    text = `${s} > ${d}: ip-proto-${ip.proto} ${plen}`;
  }
  return { tag: 'IP ', text: vHead + text };
}

function key4(a: number, b: number): string {
  return a > b ? `${b}-${a}` : `${a}-${b}`;
}

function protoName(p: number): string {
  return p === 6 ? 'TCP' : p === 17 ? 'UDP' : p === 1 ? 'ICMP' : p === 89 ? 'OSPF' : p === 58 ? 'ICMPv6' : 'unknown';
}

function protoLower(p: number): string {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 1 ? 'icmp' : `ip-proto-${p}`;
}

function ipv6Line(buf: Uint8Array, off: number, len: number, o: DumpOptions, seqs: DumpSeqState): Body {
  if (!Ipv6View.check(buf, off, len)) return { tag: 'IP6 ', text: 'truncated-ip6' };
  const ip = new Ipv6View(buf, off);
  const s = formatIpv6(buf, ip.srcOffset);
  const d = formatIpv6(buf, ip.dstOffset);
  const ch = walkIpv6Chain(buf, off, Math.min(buf.length, off + 40 + ip.payloadLen));
  const vHead = o.verbose ? `(${ip.flowLabel !== 0 ? `flowlabel 0x${ip.flowLabel.toString(16).padStart(5, '0')}, ` : ''}hlim ${ip.hopLimit}, next-header ${protoName(ip.nextHeader)} (${ip.nextHeader}) payload length: ${ip.payloadLen}) ` : '';
  if (!ch.ok) return { tag: 'IP6 ', text: `${vHead}${s} > ${d}: [|ip6]` };
  const { proto, upperOff, upperLen } = ch.value;
  let text: string;
  if (ch.value.fragment !== null && ch.value.fragment.offset > 0) text = `${s} > ${d}: frag (${ch.value.fragment.offset}|${upperLen})`;
  else if (proto === IP_PROTO.TCP) {
    const cmp = compareBytes(buf, ip.srcOffset, ip.dstOffset);
    text = tcpText(buf, upperOff, upperLen, s, d, cmp > 0 ? `${d}-${s}` : `${s}-${d}`, cmp, o, seqs, null);
  } else if (proto === IP_PROTO.UDP) text = udpText(buf, upperOff, upperLen, s, d, o);
  else if (proto === 58) text = `${s} > ${d}: ${icmp6Text(buf, upperOff, upperLen)}`;
  else text = `${s} > ${d}: ip-proto-${proto} ${upperLen}`;
  return { tag: 'IP6 ', text: vHead + text };
}

function compareBytes(buf: Uint8Array, a: number, b: number): number {
  for (let i = 0; i < 16; i++) if (buf[a + i] !== buf[b + i]) return buf[a + i] - buf[b + i];
  return 0;
}

function tcpFlagText(f: number): string {
  // print-tcp.c tcp_flag_values order.
  let s = '';
  if (f & TCP_FLAG.FIN) s += 'F';
  if (f & TCP_FLAG.SYN) s += 'S';
  if (f & TCP_FLAG.RST) s += 'R';
  if (f & TCP_FLAG.PSH) s += 'P';
  if (f & TCP_FLAG.ACK) s += '.';
  if (f & TCP_FLAG.URG) s += 'U';
  if (f & TCP_FLAG.ECE) s += 'E';
  if (f & TCP_FLAG.CWR) s += 'W';
  return s === '' ? 'none' : s;
}

function tcpText(
  buf: Uint8Array,
  off: number,
  len: number,
  s: string,
  d: string,
  /** The two addresses in a fixed order, and the sign of src − dst (print-tcp.c picks the direction by it). */
  addrKey: string,
  addrCmp: number,
  o: DumpOptions,
  seqs: DumpSeqState,
  checksum: ((segLen: number) => number) | null,
): string {
  if (!TcpView.check(buf, off, len)) {
    return len >= 4 && off + 4 <= buf.length ? `${s}.${port(readU16(buf, off), o)} > ${d}.${port(readU16(buf, off + 2), o)}: tcp ${len} [bad hdr length]` : `${s} > ${d}: [|tcp]`;
  }
  const t = new TcpView(buf, off);
  const sp = t.srcPort;
  const dp = t.dstPort;
  const rev = addrCmp > 0 || (addrCmp === 0 && sp > dp);
  const key = `${addrKey}:${rev ? `${dp}-${sp}` : `${sp}-${dp}`}`;
  const flags = t.flags;
  const dataLen = len - t.headerLen;
  const r = seqs.relative(key, rev, flags, t.seq, t.ack);
  let out = `${s}.${port(sp, o)} > ${d}.${port(dp, o)}: Flags [${tcpFlagText(flags)}]`;
  if (o.verbose && checksum !== null) {
    const ok = checksum(len) === 0;
    out += `, cksum 0x${t.checksum.toString(16).padStart(4, '0')} (${ok ? 'correct' : 'incorrect'})`;
  }
  if (dataLen > 0 || (flags & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) !== 0) {
    out += `, seq ${r.seq}`;
    if (dataLen > 0) out += `:${(r.seq + dataLen) >>> 0}`;
  }
  if (flags & TCP_FLAG.ACK) out += `, ack ${r.ack}`;
  out += `, win ${t.window}`;
  if (flags & TCP_FLAG.URG) out += `, urg ${t.urgent}`;
  if (t.headerLen > 20) out += `, options [${tcpOptionsText(buf, off + 20, t.headerLen - 20, r.rev, r.thSeq, r.thAck)}]`;
  out += `, length ${dataLen}`;
  if (dataLen > 0 && (sp === 80 || dp === 80 || sp === 8080 || dp === 8080)) out += `: ${httpText(buf, off + t.headerLen, dataLen, o.verbose)}`;
  return out;
}

/** print-tcp.c's option list: `mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0`, SACK blocks relative. */
function tcpOptionsText(buf: Uint8Array, off: number, len: number, rev: boolean, thSeq: number, thAck: number): string {
  const parts: string[] = [];
  let i = 0;
  while (i < len) {
    const kind = buf[off + i];
    if (kind === 0) {
      parts.push('eol');
      break;
    }
    if (kind === 1) {
      parts.push('nop');
      i++;
      continue;
    }
    const olen = i + 1 < len ? buf[off + i + 1] : 0;
    if (olen < 2 || i + olen > len) {
      parts.push(`${optName(kind)} [bad opt]`);
      break;
    }
    const p = off + i + 2;
    const dl = olen - 2;
    if (kind === 2 && dl === 2) parts.push(`mss ${readU16(buf, p)}`);
    else if (kind === 3 && dl === 1) parts.push(`wscale ${buf[p]}`);
    else if (kind === 4) parts.push('sackOK');
    else if (kind === 8 && dl === 8) parts.push(`TS val ${readU32(buf, p)} ecr ${readU32(buf, p + 4)}`);
    else if (kind === 5) {
      if (dl % 8 !== 0) parts.push('sack invalid sack');
      else {
        let t = `sack ${dl / 8} `;
        for (let k = 0; k < dl; k += 8) {
          const base = rev ? thSeq : thAck;
          t += `{${(readU32(buf, p + k) - base) >>> 0}:${(readU32(buf, p + k + 4) - base) >>> 0}}`;
        }
        parts.push(t);
      }
    } else parts.push(`${optName(kind)} ${dl}`);
    i += olen;
  }
  return parts.join(',');
}

function optName(kind: number): string {
  return kind === 2 ? 'mss' : kind === 3 ? 'wscale' : kind === 4 ? 'sackOK' : kind === 5 ? 'sack' : kind === 8 ? 'TS' : `unknown-${kind}`;
}

function udpText(buf: Uint8Array, off: number, len: number, s: string, d: string, o: DumpOptions): string {
  if (!UdpView.check(buf, off, len)) return `${s} > ${d}: [|udp]`;
  const u = new UdpView(buf, off);
  const head = `${s}.${port(u.srcPort, o)} > ${d}.${port(u.dstPort, o)}:`;
  if ((u.srcPort === 520 || u.dstPort === 520) && len >= 12) {
    const cmd = buf[u.payloadOffset];
    return `${head} RIPv${buf[u.payloadOffset + 1]}, ${cmd === 1 ? 'Request' : cmd === 2 ? 'Response' : `unknown command (${cmd})`}, length: ${u.length - 8}`;
  }
  if ((u.srcPort === 546 || u.srcPort === 547 || u.dstPort === 546 || u.dstPort === 547) && u.length > 8) return `${head} ${dhcp6DumpText(buf, u.payloadOffset, Math.min(len, u.length) - 8, o.verbose)}`;
  return `${head} UDP, length ${u.length - 8}`;
}

function icmpText(buf: Uint8Array, off: number, len: number): string {
  if (!IcmpView.check(buf, off, len)) return '[|icmp]';
  const c = new IcmpView(buf, off, len);
  switch (c.type) {
    case ICMP_TYPE.ECHO_REQUEST:
      return `ICMP echo request, id ${c.ident}, seq ${c.seq}, length ${len}`;
    case ICMP_TYPE.ECHO_REPLY:
      return `ICMP echo reply, id ${c.ident}, seq ${c.seq}, length ${len}`;
    case ICMP_TYPE.DST_UNREACHABLE:
      return `ICMP ${unreachText(buf, c.dataOffset, len - 8, c.code)}, length ${len}`;
    case ICMP_TYPE.TIME_EXCEEDED:
      return `ICMP time exceeded in-${c.code === 0 ? 'transit' : 'reassembly'}, length ${len}`;
    default:
      return `ICMP type-#${c.type}, length ${len}`;
  }
}

const UNREACH = ['net', 'host', 'protocol', 'port', 'need to frag', 'source route failed', 'net unknown', 'host unknown', 'src host isolated', 'net prohibited', 'host prohibited'];

/** print-icmp.c: `10.0.1.20 udp port 33434 unreachable` from the quoted header, else `host X unreachable`. */
function unreachText(buf: Uint8Array, off: number, len: number, code: number): string {
  if (!Ipv4View.checkHeader(buf, off, len)) return `${UNREACH[code] ?? `#${code}`} unreachable`;
  const q = new Ipv4View(buf, off);
  const dst = formatIpv4(q.dst);
  const qp = off + q.headerLen;
  if (code === 3 && q.proto === IP_PROTO.UDP && qp + 4 <= buf.length) return `${dst} udp port ${readU16(buf, qp + 2)} unreachable`;
  if (code === 3 && q.proto === IP_PROTO.TCP && qp + 4 <= buf.length) return `${dst} tcp port ${readU16(buf, qp + 2)} unreachable`;
  if (code === 2) return `${dst} protocol ${q.proto} unreachable`;
  return `${code === 1 ? 'host' : code === 0 ? 'net' : (UNREACH[code] ?? `#${code}`)} ${dst} unreachable`;
}

function icmp6Text(buf: Uint8Array, off: number, len: number): string {
  if (len < 4 || off + 4 > buf.length) return 'ICMP6, [|icmp6]';
  const type = buf[off];
  const body = off + 8;
  const addrAt = (p: number): string => (p + 16 <= buf.length ? formatIpv6(buf, p) : '[|icmp6]');
  switch (type) {
    case 128:
    case 129:
      return `ICMP6, echo ${type === 128 ? 'request' : 'reply'}, id ${len >= 8 ? readU16(buf, off + 4) : 0}, seq ${len >= 8 ? readU16(buf, off + 6) : 0}, length ${len}`;
    case 133:
      return `ICMP6, router solicitation, length ${len}`;
    case 134:
      return `ICMP6, router advertisement, length ${len}`;
    case 135:
      return `ICMP6, neighbor solicitation, who has ${addrAt(body)}, length ${len}`;
    case 136:
      return `ICMP6, neighbor advertisement, tgt is ${addrAt(body)}, length ${len}`;
    case 137:
      return `ICMP6, redirect, ${addrAt(body + 16)} to ${addrAt(body)}, length ${len}`;
    case 1:
      return `ICMP6, destination unreachable, ${['unreachable route', 'unreachable prohibited', 'beyond scope', 'unreachable address', 'unreachable port'][buf[off + 1]] ?? 'unknown code'}${buf[off + 1] === 4 || buf[off + 1] === 3 ? ` ${addrAt(body + 24)}` : ''}, length ${len}`;
    case 2:
      return `ICMP6, packet too big, mtu ${len >= 8 ? readU32(buf, off + 4) : 0}, length ${len}`;
    case 3:
      return `ICMP6, time exceeded in-transit, length ${len}`;
    case 143:
      return `ICMP6, multicast listener report v2, length ${len}`;
    default:
      return `ICMP6, type-#${type}, length ${len}`;
  }
}

const OSPF_TYPES = ['', 'Hello', 'Database Description', 'LS-Request', 'LS-Update', 'LS-Ack'];

function ospfText(buf: Uint8Array, off: number, len: number): string {
  if (len < 24 || off + 4 > buf.length) return 'OSPFv2, [|ospf2]';
  return `OSPFv${buf[off]}, ${OSPF_TYPES[buf[off + 1]] ?? `unknown packet type (${buf[off + 1]})`}, length ${readU16(buf, off + 2)}`;
}

function arpLine(buf: Uint8Array, off: number, len: number, o: DumpOptions): Body {
  if (!ArpView.check(buf, off, len)) return { tag: 'ARP, ', text: '[|ARP]' };
  const a = new ArpView(buf, off);
  const text =
    a.op === ARP_OP.REQUEST ? `Request who-has ${formatIpv4(a.targetIp)} tell ${formatIpv4(a.senderIp)}`
    : a.op === ARP_OP.REPLY ? `Reply ${formatIpv4(a.senderIp)} is-at ${macText(a.senderMac, o)}`
    : `Unknown opcode (${a.op})`;
  // print-arp.c prints the length of what follows the Ethernet header, padding included.
  return { tag: 'ARP, ', text: `${o.verbose ? 'Ethernet (len 6), IPv4 (len 4), ' : ''}${text}, length ${len}` };
}

const HTTP_METHODS = new Set(['GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'LABEL', 'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN', 'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT', 'VERSION-CONTROL', 'BASELINE-CONTROL']);

/** print-http.c via txtproto_print: `HTTP: GET / HTTP/1.1` for a request or status line, else `HTTP`. */
function httpText(buf: Uint8Array, off: number, len: number, verbose: boolean): string {
  const end = Math.min(buf.length, off + len);
  let eol = off;
  while (eol < end && buf[eol] !== 0x0a) eol++;
  let line = '';
  for (let i = off; i < eol && i < off + 300; i++) line += String.fromCharCode(buf[i]);
  line = line.replace(/\r$/, '');
  const sp = line.indexOf(' ');
  const isReqResp = eol < end && sp > 0 && (HTTP_METHODS.has(line.slice(0, sp)) || line.startsWith('HTTP/')) && /^[\x20-\x7e]*$/.test(line);
  if (!verbose) return isReqResp ? `HTTP: ${line}` : 'HTTP';
  // -v: every line of the segment, each on its own tab-indented line.
  let text = `HTTP, length: ${len}`;
  let cur = '';
  for (let i = off; i < end; i++) {
    const b = buf[i];
    if (b === 0x0a) {
      text += `\n\t${cur.replace(/\r$/, '')}`;
      cur = '';
    } else cur += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0d ? '\r' : '.';
  }
  return cur === '' ? text : `${text}\n\t${cur}`;
}
