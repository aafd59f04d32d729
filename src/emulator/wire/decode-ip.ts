// Field trees for IPv4 and what it carries: IPv4 (flags subtree, options), ICMP (with the
// quoted datagram of errors), UDP and TCP headers, and the Data leaf. Never throws:
// every read follows a view check; short or inconsistent bytes become [Malformed].
// RFC 791 §3.1, RFC 792, RFC 1191 §4, RFC 768, RFC 9293 §3.1.

import { formatIpv4, readU16, readU32 } from './addr';
import { internetChecksum, onesSum, pseudoHeaderSumIpv4 } from './checksum';
import { checksumText, dataLeaf, field, generated, hex16, hex8, malformed, type DecodedField } from './decode-field';
import { ICMP_HEADER_LEN, ICMP_TYPE, ICMP_UNREACH, icmpCodeName, icmpTypeName, icmpTypeText, IcmpView, isIcmpError } from './icmp';
import { IP_PROTO, ipProtoName, Ipv4View } from './ipv4';
import { TCP_HEADER_LEN, tcpFlagsText, TcpView } from './tcp';
import { UDP_HEADER_LEN, UdpView } from './udp';
import { decodeRip } from './decode-rip';
import { decodeDhcp, isDhcpPorts } from './decode-dhcp';
import { decodeDns } from './decode-dns';
import { DNS_PORT } from './dns';
import { decodeOspf } from './decode-ospf';
import { RIP_PORT } from './rip';

/** Checksum a header would carry, computed with its checksum field taken as zero. */
function shouldBe(bytes: Uint8Array, off: number, len: number, fieldOff: number, initial = 0): number {
  const stored = readU16(bytes, fieldOff);
  const sum = onesSum(bytes, off, len, initial) + (~stored & 0xffff);
  return internetChecksum(new Uint8Array(0), 0, 0, sum);
}

function protoText(p: number): string {
  return `${ipProtoName(p)} (${p})`;
}

function ipv4FlagsField(v: Ipv4View, off: number): DecodedField {
  const flags = v.buf[off + 6] >>> 5;
  const names = [v.reservedFlag ? 'Reserved' : '', v.dontFragment ? "Don't fragment" : '', v.moreFragments ? 'More fragments' : '']
    .filter(Boolean)
    .join(', ');
  return field('Flags', `${hex8(flags << 5)}${names ? `, ${names}` : ''}`, off + 6, 1, [
    field('Reserved bit', v.reservedFlag ? 'Set' : 'Not set', off + 6, 1),
    field("Don't fragment", v.dontFragment ? 'Set' : 'Not set', off + 6, 1),
    field('More fragments', v.moreFragments ? 'Set' : 'Not set', off + 6, 1),
  ]);
}

const OPTION_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)',
  1: 'No Operation (NOP)',
  7: 'Record Route (RR)',
  68: 'Time Stamp (TS)',
  130: 'Security (SEC)',
  131: 'Loose Source Route (LSR)',
  137: 'Strict Source Route (SSR)',
  148: 'Router Alert',
};

function ipv4OptionsField(bytes: Uint8Array, start: number, end: number): DecodedField {
  const children: DecodedField[] = [];
  let i = start;
  while (i < end) {
    const type = bytes[i];
    const name = OPTION_NAMES[type] ?? `Unknown option (${type})`;
    if (type === 0 || type === 1) {
      children.push(field('IP Option', name, i, 1));
      i += 1;
      if (type === 0) break;
      continue;
    }
    const len = i + 1 < end ? bytes[i + 1] : 0;
    if (len < 2 || i + len > end) {
      children.push(malformed(`option ${type} length ${len}`, i, end - i));
      break;
    }
    children.push(field('IP Option', `${name}, ${len} bytes`, i, len));
    i += len;
  }
  return field('Options', `(${end - start} bytes)`, start, end - start, children);
}

/** Just the IPv4 header as a layer; `quoted` headers may have their datagram cut short. */
export function ipv4HeaderLayer(bytes: Uint8Array, off: number, len: number, quoted: boolean): { layer: DecodedField; v: Ipv4View } | null {
  const ok = quoted ? Ipv4View.checkHeader(bytes, off, len) : Ipv4View.check(bytes, off, len);
  if (!ok) return null;
  const v = new Ipv4View(bytes, off);
  const hl = v.headerLen;
  const sum = v.checksum;
  const good = v.checksumValid();
  const children = [
    field('Version', 4, off, 1),
    field('Header Length', `${hl} bytes (${hl >>> 2})`, off, 1),
    field('Differentiated Services Field', `${hex8(v.tos)} (DSCP: ${v.tos >>> 2}, ECN: ${v.tos & 3})`, off + 1, 1),
    field('Total Length', v.totalLen, off + 2, 2),
    field('Identification', `${hex16(v.id)} (${v.id})`, off + 4, 2),
    ipv4FlagsField(v, off),
    field('Fragment Offset', v.fragOffset, off + 6, 2),
    field('Time to Live', v.ttl, off + 8, 1),
    field('Protocol', protoText(v.proto), off + 9, 1),
    field('Header Checksum', checksumText(sum, good, good ? undefined : shouldBe(bytes, off, hl, off + 10)), off + 10, 2),
    field('Source Address', formatIpv4(v.src), off + 12, 4),
    field('Destination Address', formatIpv4(v.dst), off + 16, 4),
  ];
  if (hl > 20) children.push(ipv4OptionsField(bytes, off + 20, off + hl));
  const name = quoted ? 'Internet Protocol Version 4 (quoted)' : 'Internet Protocol Version 4';
  return { layer: field(name, `Src: ${formatIpv4(v.src)}, Dst: ${formatIpv4(v.dst)}`, off, hl, children), v };
}

/** IPv4 and its payload; returns the end of the datagram (padding follows). */
export function decodeIpv4(bytes: Uint8Array, off: number, out: DecodedField[]): number {
  const len = bytes.length - off;
  const res = ipv4HeaderLayer(bytes, off, len, false);
  if (!res) {
    out.push(malformed(ipv4Problem(bytes, off, len), off, len));
    return bytes.length;
  }
  const { layer, v } = res;
  out.push(layer);
  const start = v.payloadOffset;
  const end = off + v.totalLen;
  if (v.fragOffset > 0) {
    out.push(field('Fragment', `${protoText(v.proto)} data, offset ${v.fragOffset}`, start, end - start));
    return end;
  }
  decodeTransport(bytes, v, start, end, out);
  return end;
}

function ipv4Problem(bytes: Uint8Array, off: number, len: number): string {
  if (len < 20) return `IPv4 header needs 20 bytes, ${len} captured`;
  if (bytes[off] >>> 4 !== 4) return `IP version ${bytes[off] >>> 4}, expected 4`;
  const hl = (bytes[off] & 15) * 4;
  if (hl < 20 || hl > len) return `bad IPv4 header length ${hl}`;
  return `IPv4 total length ${readU16(bytes, off + 2)} does not fit the ${len} bytes captured (header ${hl})`;
}

function decodeTransport(bytes: Uint8Array, v: Ipv4View, start: number, end: number, out: DecodedField[]): void {
  // A first fragment (MF set) holds only part of the payload: checksums cannot be verified.
  const whole = !v.moreFragments;
  if (v.proto === IP_PROTO.ICMP) decodeIcmp(bytes, start, end, whole, out);
  else if (v.proto === IP_PROTO.UDP) decodeUdp(bytes, start, end, whole ? v : null, out);
  else if (v.proto === IP_PROTO.TCP) decodeTcp(bytes, start, end, whole ? v : null, out);
  else if (v.proto === IP_PROTO.OSPF && whole && end > start) out.push(decodeOspf(bytes, start, end - start) ?? dataLeaf(start, end - start));
  else if (end > start) out.push(dataLeaf(start, end - start));
}

function decodeIcmp(bytes: Uint8Array, off: number, end: number, verify: boolean, out: DecodedField[]): void {
  const len = end - off;
  if (!IcmpView.check(bytes, off, len)) {
    out.push(malformed(`ICMP needs 8 bytes, ${len} present`, off, len));
    return;
  }
  const v = new IcmpView(bytes, off, len);
  const ok = verify ? v.checksumValid() : null;
  const codeName = icmpCodeName(v.type, v.code);
  const children = [
    field('Type', `${v.type} (${icmpTypeName(v.type)})`, off, 1),
    field('Code', codeName === null ? v.code : `${v.code} (${codeName})`, off + 1, 1),
    field('Checksum', checksumText(v.checksum, ok, ok === false ? shouldBe(bytes, off, len, off + 2) : undefined), off + 2, 2),
  ];
  const t = v.type;
  if (t === ICMP_TYPE.ECHO_REQUEST || t === ICMP_TYPE.ECHO_REPLY) {
    children.push(field('Identifier (BE)', `${v.ident} (${hex16(v.ident)})`, off + 4, 2));
    children.push(field('Sequence Number (BE)', `${v.seq} (${hex16(v.seq)})`, off + 6, 2));
    if (len > ICMP_HEADER_LEN) children.push(dataLeaf(off + 8, len - 8));
  } else if (t === ICMP_TYPE.DST_UNREACHABLE && v.code === ICMP_UNREACH.FRAG_NEEDED) {
    children.push(field('Unused', hex16(v.ident), off + 4, 2));
    children.push(field('MTU of next hop', v.nextHopMtu, off + 6, 2));
  } else if (t === ICMP_TYPE.REDIRECT) {
    children.push(field('Gateway Address', formatIpv4(v.rest), off + 4, 4));
  } else {
    children.push(field('Unused', `0x${v.rest.toString(16).padStart(8, '0')}`, off + 4, 4));
  }
  if (isIcmpError(t)) children.push(...decodeQuoted(bytes, off + 8, end));
  else if (t !== ICMP_TYPE.ECHO_REQUEST && t !== ICMP_TYPE.ECHO_REPLY && len > 8) children.push(dataLeaf(off + 8, len - 8));
  out.push(field('Internet Control Message Protocol', icmpTypeText(t, v.code), off, len, children));
}

/** The datagram quoted by an ICMP error: its header and the 8 bytes after it. */
function decodeQuoted(bytes: Uint8Array, off: number, end: number): DecodedField[] {
  const res = ipv4HeaderLayer(bytes, off, end - off, true);
  if (!res) return end > off ? [malformed('quoted IPv4 header truncated', off, end - off)] : [];
  const { layer, v } = res;
  const start = v.payloadOffset;
  const fields = [layer];
  const quotedLen = Math.min(end - start, v.totalLen - v.headerLen);
  if (quotedLen >= 4 && (v.proto === IP_PROTO.UDP || v.proto === IP_PROTO.TCP) && v.fragOffset === 0) {
    const name = v.proto === IP_PROTO.UDP ? 'User Datagram Protocol (quoted)' : 'Transmission Control Protocol (quoted)';
    const sp = readU16(bytes, start);
    const dp = readU16(bytes, start + 2);
    const ports = [field('Source Port', sp, start, 2), field('Destination Port', dp, start + 2, 2)];
    if (quotedLen >= 8 && v.proto === IP_PROTO.UDP) {
      // The quoted datagram is cut short, so its checksum cannot be verified.
      ports.push(field('Length', readU16(bytes, start + 4), start + 4, 2));
      ports.push(field('Checksum', checksumText(readU16(bytes, start + 6), null), start + 6, 2));
    } else if (quotedLen >= 8) {
      ports.push(field('Sequence Number (raw)', ((readU16(bytes, start + 4) << 16) | readU16(bytes, start + 6)) >>> 0, start + 4, 4));
    }
    fields.push(field(name, `Src Port: ${sp}, Dst Port: ${dp}`, start, quotedLen, ports));
  } else if (quotedLen > 0) {
    fields.push(dataLeaf(start, quotedLen));
  }
  return fields;
}

function decodeUdp(bytes: Uint8Array, off: number, end: number, ip: Ipv4View | null, out: DecodedField[]): void {
  const len = end - off;
  if (!UdpView.check(bytes, off, len)) {
    out.push(malformed(len < 8 ? `UDP needs 8 bytes, ${len} present` : `UDP length ${readU16(bytes, off + 4)} does not fit ${len} bytes`, off, len));
    return;
  }
  const v = new UdpView(bytes, off);
  let sumText = `${hex16(v.checksum)} [zero-value ignored]`;
  if (v.checksum !== 0) {
    const ok = ip ? v.checksumValid(ip.src, ip.dst) : null;
    const should = ip && !ok ? shouldBe(bytes, off, v.length, off + 6, pseudoHeaderSumIpv4(ip.src, ip.dst, IP_PROTO.UDP, v.length)) : undefined;
    sumText = checksumText(v.checksum, ok, should);
  }
  const children = [
    field('Source Port', v.srcPort, off, 2),
    field('Destination Port', v.dstPort, off + 2, 2),
    field('Length', v.length, off + 4, 2),
    field('Checksum', sumText, off + 6, 2),
  ];
  // RIP on port 520, DHCP on 67/68 and DNS on port 53 are their own layers after UDP, as
  // Wireshark shows them; other payloads are Data.
  const body = v.length > UDP_HEADER_LEN;
  const app =
    body && (v.srcPort === RIP_PORT || v.dstPort === RIP_PORT) ? decodeRip(bytes, off + 8, v.length - 8)
    : body && isDhcpPorts(v.srcPort, v.dstPort) ? decodeDhcp(bytes, off + 8, v.length - 8)
    : body && (v.srcPort === DNS_PORT || v.dstPort === DNS_PORT) ? decodeDns(bytes, off + 8, v.length - 8)
    : null;
  if (body && app === null) children.push(dataLeaf(off + 8, v.length - 8));
  out.push(field('User Datagram Protocol', `Src Port: ${v.srcPort}, Dst Port: ${v.dstPort}`, off, v.length, children));
  if (app !== null) out.push(app);
}

function decodeTcp(bytes: Uint8Array, off: number, end: number, ip: Ipv4View | null, out: DecodedField[]): void {
  const len = end - off;
  if (!TcpView.check(bytes, off, len)) {
    out.push(malformed(len < TCP_HEADER_LEN ? `TCP needs 20 bytes, ${len} present` : 'bad TCP header length', off, len));
    return;
  }
  const v = new TcpView(bytes, off);
  const hl = v.headerLen;
  const ok = ip ? v.checksumValid(ip.src, ip.dst, len) : null;
  const should = ip && !ok ? shouldBe(bytes, off, len, off + 16, pseudoHeaderSumIpv4(ip.src, ip.dst, IP_PROTO.TCP, len)) : undefined;
  const flags = v.flags;
  // Wireshark's order; the relative numbers, stream index and analysis are added by
  // filter/tcp-conversations.ts, which knows the frames before this one.
  const children = [
    field('Source Port', v.srcPort, off, 2),
    field('Destination Port', v.dstPort, off + 2, 2),
    generated('TCP Segment Len', len - hl, off + 12, 1),
    field('Sequence Number (raw)', v.seq, off + 4, 4),
    field('Acknowledgment Number (raw)', v.ack, off + 8, 4),
    field('Header Length', `${hl} bytes (${hl >>> 2})`, off + 12, 1),
    field('Flags', `0x${flags.toString(16).padStart(3, '0')} (${tcpFlagsText(flags) || 'none'})`, off + 12, 2, tcpFlagFields(flags, off)),
    field('Window', v.window, off + 14, 2),
    field('Checksum', checksumText(v.checksum, ok, should), off + 16, 2),
    generated('Checksum Status', ok === null ? 'Unverified' : ok ? 'Good' : 'Bad', off + 16, 2),
    field('Urgent Pointer', v.urgent, off + 18, 2),
  ];
  if (hl > TCP_HEADER_LEN) children.push(tcpOptionsField(bytes, off + 20, off + hl));
  if (len > hl) children.push(dataLeaf(off + hl, len - hl));
  out.push(field('Transmission Control Protocol', `Src Port: ${v.srcPort}, Dst Port: ${v.dstPort}, Len: ${len - hl}`, off, len, children));
}

const TCP_FLAG_FIELDS: [number, string][] = [
  [0x80, 'Congestion Window Reduced (CWR)'],
  [0x40, 'ECN-Echo'],
  [0x20, 'Urgent'],
  [0x10, 'Acknowledgment'],
  [0x08, 'Push'],
  [0x04, 'Reset'],
  [0x02, 'Syn'],
  [0x01, 'Fin'],
];

function tcpFlagFields(flags: number, off: number): DecodedField[] {
  return TCP_FLAG_FIELDS.map(([bit, name]) => field(name, flags & bit ? 'Set' : 'Not set', off + 13, 1));
}

const TCP_OPTION_NAMES: Record<number, string> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Maximum segment size',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  8: 'Timestamps',
};

function tcpOptionValue(bytes: Uint8Array, i: number, kind: number, len: number): string {
  if (kind === 2 && len === 4) return `${readU16(bytes, i + 2)} bytes`;
  if (kind === 4) return ''; // Wireshark: the option's name says it all
  if (kind === 5) return `${(len - 2) >>> 3} block${len === 10 ? '' : 's'}`;
  if (kind === 3 && len === 3) return `${bytes[i + 2]} (multiply by ${2 ** Math.min(bytes[i + 2], 14)})`;
  if (kind === 8 && len === 10) return `TSval ${readU32(bytes, i + 2)}, TSecr ${readU32(bytes, i + 6)}`;
  return `${len} bytes`;
}

/** A SACK option's blocks (RFC 2018 §3), raw sequence numbers; the capture view makes them relative. */
function sackEdges(bytes: Uint8Array, i: number, len: number): DecodedField[] {
  const out: DecodedField[] = [];
  for (let b = i + 2; b + 8 <= i + len; b += 8) {
    out.push(field('left edge', readU32(bytes, b), b, 4), field('right edge', readU32(bytes, b + 4), b + 4, 4));
  }
  return out;
}

function tcpOptionsField(bytes: Uint8Array, start: number, end: number): DecodedField {
  const children: DecodedField[] = [];
  let i = start;
  while (i < end) {
    const kind = bytes[i];
    const name = TCP_OPTION_NAMES[kind] ?? `Unknown (${kind})`;
    if (kind === 0 || kind === 1) {
      children.push(field('TCP Option', name, i, 1));
      i += 1;
      if (kind === 0) break;
      continue;
    }
    const len = i + 1 < end ? bytes[i + 1] : 0;
    if (len < 2 || i + len > end) {
      children.push(malformed(`TCP option ${kind} length ${len}`, i, end - i));
      break;
    }
    children.push(field(`TCP Option - ${name}`, tcpOptionValue(bytes, i, kind, len), i, len, kind === 5 ? sackEdges(bytes, i, len) : undefined));
    i += len;
  }
  return field('Options', `(${end - start} bytes)`, start, end - start, children);
}
