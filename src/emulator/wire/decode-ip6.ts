// Capture view of IPv6 and what it carries: the one-line summary (tshark's columns) and the
// field tree for IPv6, its extension headers, ICMPv6 (echo, errors with the quoted packet,
// NDP with options) and UDP. Never throws: bad bytes become [Malformed: reason].
// RFC 8200 §3-4, RFC 4443, RFC 4861 §4, RFC 768 over RFC 8200 §8.1.

import { formatMac, readU16 } from './addr';
import { checksumText, dataLeaf, field, hex16, hex8, macColumn, malformed, type DecodedField } from './decode-field';
import { formatIcmpv6, icmpv6ChecksumOver, icmpv6CodeName, icmpv6TypeName, ICMPV6_TYPE, Icmpv6View, isIcmpv6Error, ndOptionWireLen, parseIcmpv6, type NdOption } from './icmpv6';
import { IPV6_HEADER_LEN, IPV6_NEXT, ipv6NextName, Ipv6View, walkIpv6Chain } from './ipv6';
import { formatIpv6, readIpv6 } from './ipv6-addr';
import { decodeOspf6, ospf6Info } from './decode-ospf6';
import { OSPF6_NEXT } from './ospf6';
import { decodeRipng } from './decode-ripng';
import { decodeDhcp6, isDhcp6Ports } from './decode-dhcp6';
import { formatDhcp6, parseDhcp6 } from './dhcp6';
import { parseRipng, RIPNG_PORT, ripngCommandName } from './ripng';
import { formatUdp } from './udp';
import { parseUdp6, udp6ChecksumOver } from './udp6';
import { UDP_HEADER_LEN, UdpView } from './udp';

export interface Ipv6Summary {
  /** ICMPv6 and NDP are classed 'ipv6' (the 'icmp' class and filter mean ICMPv4, as in tshark); DHCPv6 is classed 'dhcp' (coloured as DHCP). */
  proto: 'udp' | 'tcp' | 'ipv6' | 'dhcp';
  src: string;
  dst: string;
  info: string;
}

/** tshark-like columns for an IPv6 packet at `off` of an Ethernet frame (its MACs are the columns of a malformed one). */
export function summarizeIpv6(bytes: Uint8Array, off: number, len: number): Ipv6Summary {
  if (!Ipv6View.check(bytes, off, len)) return { proto: 'ipv6', src: macColumn(bytes, 6), dst: macColumn(bytes, 0), info: '[Malformed: IPv6]' };
  const v = new Ipv6View(bytes, off);
  const src = formatIpv6(bytes, v.srcOffset);
  const dst = formatIpv6(bytes, v.dstOffset);
  const plain = plainUdpInfo(bytes, off, v.payloadLen);
  if (plain !== null) return { proto: 'udp', src, dst, info: plain };
  const chain = walkIpv6Chain(bytes, off, off + IPV6_HEADER_LEN + v.payloadLen);
  if (!chain.ok) return { proto: 'ipv6', src, dst, info: `[Malformed: ${chain.reason}]` };
  const c = chain.value;
  if (c.fragment !== null && (c.fragment.more || c.fragment.offset > 0)) {
    return { proto: 'ipv6', src, dst, info: `IPv6 fragment (off=${c.fragment.offset} more=${c.fragment.more ? 'y' : 'n'} ident=0x${c.fragment.ident.toString(16).padStart(8, '0')} nxt=${c.proto})` };
  }
  if (c.proto === IPV6_NEXT.ICMPV6) {
    const m = parseIcmpv6(bytes, c.upperOff, c.upperLen);
    if (!m.ok) return { proto: 'ipv6', src, dst, info: `[Malformed: ${m.reason}]` };
    const t = m.value.type;
    const echo = t === ICMPV6_TYPE.ECHO_REQUEST || t === ICMPV6_TYPE.ECHO_REPLY;
    return { proto: 'ipv6', src, dst, info: echo ? `${formatIcmpv6(m.value)}, hop limit=${v.hopLimit}` : formatIcmpv6(m.value) };
  }
  if (c.proto === IPV6_NEXT.UDP) {
    const u = parseUdp6(bytes, c.upperOff, c.upperLen);
    if (u.ok && (u.value.srcPort === RIPNG_PORT || u.value.dstPort === RIPNG_PORT)) {
      const r = parseRipng(u.value.payload, 0, u.value.payload.length);
      if (typeof r !== 'string') return { proto: 'udp', src, dst, info: `Command ${ripngCommandName(r.command)}, Version ${r.version}` }; // tshark's Info
    }
    if (u.ok && isDhcp6Ports(u.value.srcPort, u.value.dstPort)) {
      // Coloured and animated as DHCP; tshark's Info.
      const m = parseDhcp6(u.value.payload, 0, u.value.payload.length);
      if (typeof m !== 'string') return { proto: 'dhcp', src, dst, info: formatDhcp6(m) };
    }
    return { proto: 'udp', src, dst, info: u.ok ? formatUdp(u.value) : `[Malformed: ${u.reason}]` };
  }
  const ospf = c.proto === OSPF6_NEXT ? ospf6Info(bytes.subarray(c.upperOff, c.upperOff + c.upperLen)) : null;
  if (ospf !== null) return { proto: 'ipv6', src, dst, info: ospf }; // tshark's Info
  return { proto: c.proto === IPV6_NEXT.TCP ? 'tcp' : 'ipv6', src, dst, info: `IPv6 ${ipv6NextName(c.proto)} (${c.proto}), ${c.upperLen} bytes` };
}

/**
 * The Info of the commonest packet, UDP right after the fixed header on ports no decoder
 * names (a flood, an application's datagrams), read in place: the same text as the general
 * path below builds with a chain walk and a parsed datagram. Null for anything else.
 */
function plainUdpInfo(bytes: Uint8Array, off: number, payloadLen: number): string | null {
  if (bytes[off + 6] !== IPV6_NEXT.UDP) return null;
  const u = off + IPV6_HEADER_LEN;
  if (!UdpView.check(bytes, u, payloadLen)) return null;
  const srcPort = readU16(bytes, u);
  const dstPort = readU16(bytes, u + 2);
  if (srcPort === RIPNG_PORT || dstPort === RIPNG_PORT || isDhcp6Ports(srcPort, dstPort)) return null;
  return `${srcPort} → ${dstPort} Len=${readU16(bytes, u + 4) - UDP_HEADER_LEN}`;
}

function ipv6HeaderLayer(bytes: Uint8Array, off: number, quoted: boolean): DecodedField {
  const v = new Ipv6View(bytes, off);
  const src = formatIpv6(bytes, v.srcOffset);
  const dst = formatIpv6(bytes, v.dstOffset);
  return field(quoted ? 'Internet Protocol Version 6 (quoted)' : 'Internet Protocol Version 6', `Src: ${src}, Dst: ${dst}`, off, IPV6_HEADER_LEN, [
    field('Version', 6, off, 1),
    field('Traffic Class', hex8(v.trafficClass), off, 2),
    field('Flow Label', `0x${v.flowLabel.toString(16).padStart(5, '0')}`, off + 1, 3),
    field('Payload Length', v.payloadLen, off + 4, 2),
    field('Next Header', `${ipv6NextName(v.nextHeader)} (${v.nextHeader})`, off + 6, 1),
    field('Hop Limit', v.hopLimit, off + 7, 1),
    field('Source Address', src, off + 8, 16),
    field('Destination Address', dst, off + 24, 16),
  ]);
}

/** IPv6 and its payload; returns the end of the packet (padding follows). */
export function decodeIpv6(bytes: Uint8Array, off: number, out: DecodedField[]): number {
  const len = bytes.length - off;
  if (!Ipv6View.check(bytes, off, len)) {
    const why = len < IPV6_HEADER_LEN ? `IPv6 header needs 40 bytes, ${len} captured` : bytes[off] >>> 4 !== 6 ? `IP version ${bytes[off] >>> 4}, expected 6` : `IPv6 payload length ${readU16(bytes, off + 4)} does not fit the ${len - 40} bytes captured`;
    out.push(malformed(why, off, len));
    return bytes.length;
  }
  const v = new Ipv6View(bytes, off);
  const end = off + IPV6_HEADER_LEN + v.payloadLen;
  out.push(ipv6HeaderLayer(bytes, off, false));
  const chain = walkIpv6Chain(bytes, off, end);
  if (!chain.ok) {
    out.push(malformed(chain.reason, off + IPV6_HEADER_LEN, end - off - IPV6_HEADER_LEN));
    return end;
  }
  const c = chain.value;
  for (const e of c.exts) out.push(field(ipv6NextName(e.type), `Next Header: ${bytes[e.off]}, ${e.len} bytes`, e.off, e.len));
  if (c.fragment !== null && c.fragment.offset > 0) {
    out.push(field('Fragment', `${ipv6NextName(c.proto)} data, offset ${c.fragment.offset}`, c.upperOff, c.upperLen));
    return end;
  }
  const whole = c.fragment === null;
  const src = readIpv6(bytes, v.srcOffset);
  const dst = readIpv6(bytes, v.dstOffset);
  if (c.proto === IPV6_NEXT.ICMPV6) out.push(decodeIcmpv6(bytes, c.upperOff, end, whole ? { src, dst } : null));
  else if (c.proto === IPV6_NEXT.UDP) {
    out.push(decodeUdp6(bytes, c.upperOff, end, whole ? { src, dst } : null));
    const app = whole ? udp6AppLayer(bytes, c.upperOff, end) : null;
    if (app !== null) out.push(app);
  }
  else {
    const ospf = c.proto === OSPF6_NEXT && whole ? decodeOspf6(bytes, c.upperOff, end - c.upperOff) : null;
    if (ospf !== null) out.push(ospf);
    else if (end > c.upperOff) out.push(dataLeaf(c.upperOff, end - c.upperOff));
  }
  return end;
}

function ndOptionField(o: NdOption, off: number): DecodedField {
  switch (o.kind) {
    case 'source-ll':
      return field('ICMPv6 Option', `Source link-layer address : ${formatMac(o.mac)}`, off, 8);
    case 'target-ll':
      return field('ICMPv6 Option', `Target link-layer address : ${formatMac(o.mac)}`, off, 8);
    case 'prefix':
      return field('ICMPv6 Option', `Prefix information : ${formatIpv6(o.prefix)}/${o.prefixLen}`, off, 32);
    case 'mtu':
      return field('ICMPv6 Option', `MTU : ${o.mtu}`, off, 8);
    case 'rdnss':
      return field('ICMPv6 Option', `Recursive DNS Server : ${o.servers.map((a) => formatIpv6(a)).join(' ')} (lifetime ${o.lifetimeS} s)`, off, 8 + 16 * o.servers.length);
    case 'dnssl':
      return field('ICMPv6 Option', `DNS Search List : ${o.domains.join(' ')} (lifetime ${o.lifetimeS} s)`, off, ndOptionWireLen(o));
    case 'redirected':
      return field('ICMPv6 Option', `Redirected header`, off, 8 + o.data.length);
    case 'unknown':
      return field('ICMPv6 Option', `Unknown (${o.type})`, off, 2 + o.data.length);
    default:
      return o satisfies never;
  }
}

/** Where the options of an NDP message begin (RFC 4861 §4.1-4.5). */
function ndOptionsStart(type: number): number {
  if (type === ICMPV6_TYPE.ROUTER_SOLICIT) return 8;
  if (type === ICMPV6_TYPE.ROUTER_ADVERT) return 16;
  if (type === ICMPV6_TYPE.REDIRECT) return 40;
  return 24;
}

function decodeIcmpv6(bytes: Uint8Array, off: number, end: number, addrs: { src: Uint8Array; dst: Uint8Array } | null): DecodedField {
  const len = end - off;
  if (!Icmpv6View.check(bytes, off, len)) return malformed(`ICMPv6 needs 8 bytes, ${len} present`, off, len);
  const v = new Icmpv6View(bytes, off, len);
  const ok = addrs === null ? null : icmpv6ChecksumOver(addrs.src, addrs.dst, bytes, off, len) === 0;
  const codeName = icmpv6CodeName(v.type, v.code);
  const children = [
    field('Type', `${icmpv6TypeName(v.type)} (${v.type})`, off, 1),
    field('Code', codeName === null ? v.code : `${v.code} (${codeName})`, off + 1, 1),
    field('Checksum', checksumText(v.checksum, ok), off + 2, 2),
  ];
  const m = parseIcmpv6(bytes, off, len);
  if (!m.ok) {
    children.push(malformed(m.reason, off + 4, len - 4));
    return field('Internet Control Message Protocol v6', icmpv6TypeName(v.type), off, len, children);
  }
  const r = m.value;
  if (r.ident !== undefined) {
    children.push(field('Identifier', hex16(r.ident), off + 4, 2), field('Sequence', r.seq ?? 0, off + 6, 2));
    if (len > 8) children.push(dataLeaf(off + 8, len - 8));
  } else if (r.nd !== undefined) {
    if (r.nd.target !== undefined) children.push(field('Target Address', formatIpv6(r.nd.target), off + 8, 16));
    let i = off + ndOptionsStart(v.type);
    for (const o of r.nd.options) {
      const f = ndOptionField(o, i);
      children.push(f);
      i += f.length;
    }
  } else if (isIcmpv6Error(v.type)) {
    if (r.mtu !== undefined) children.push(field('MTU', r.mtu, off + 4, 4));
    else if (r.pointer !== undefined) children.push(field('Pointer', r.pointer, off + 4, 4));
    else children.push(field('Reserved', `0x${v.word.toString(16).padStart(8, '0')}`, off + 4, 4));
    children.push(...decodeQuoted6(bytes, off + 8, end));
  } else if (len > 8) children.push(dataLeaf(off + 4, len - 4));
  return field('Internet Control Message Protocol v6', formatIcmpv6(r), off, len, children);
}

/** The packet quoted by an ICMPv6 error: its header, and the UDP ports when UDP follows directly. */
function decodeQuoted6(bytes: Uint8Array, off: number, end: number): DecodedField[] {
  if (!Ipv6View.checkHeader(bytes, off, end - off)) return end > off ? [malformed('quoted IPv6 header truncated', off, end - off)] : [];
  const out = [ipv6HeaderLayer(bytes, off, true)];
  const start = off + IPV6_HEADER_LEN;
  if (bytes[off + 6] === IPV6_NEXT.UDP && end - start >= 8) {
    const sp = readU16(bytes, start);
    const dp = readU16(bytes, start + 2);
    // The quoted datagram may be cut short, so its checksum is not verified.
    out.push(
      field('User Datagram Protocol (quoted)', `Src Port: ${sp}, Dst Port: ${dp}`, start, end - start, [
        field('Source Port', sp, start, 2),
        field('Destination Port', dp, start + 2, 2),
        field('Length', readU16(bytes, start + 4), start + 4, 2),
        field('Checksum', checksumText(readU16(bytes, start + 6), null), start + 6, 2),
      ]),
    );
  } else if (end > start) out.push(dataLeaf(start, end - start));
  return out;
}

/** The application layer of a UDP datagram Wireshark dissects by port (RIPng on 521, DHCPv6 on 546/547), or null. */
function udp6AppLayer(bytes: Uint8Array, off: number, end: number): DecodedField | null {
  if (!UdpView.check(bytes, off, end - off)) return null;
  const v = new UdpView(bytes, off);
  if (v.length <= 8) return null;
  if (isDhcp6Ports(v.srcPort, v.dstPort)) return decodeDhcp6(bytes, off + 8, v.length - 8);
  if (v.srcPort !== RIPNG_PORT && v.dstPort !== RIPNG_PORT) return null;
  return decodeRipng(bytes, off + 8, v.length - 8);
}

function decodeUdp6(bytes: Uint8Array, off: number, end: number, addrs: { src: Uint8Array; dst: Uint8Array } | null): DecodedField {
  const len = end - off;
  if (!UdpView.check(bytes, off, len)) return malformed(len < 8 ? `UDP needs 8 bytes, ${len} present` : `UDP length ${readU16(bytes, off + 4)} does not fit ${len} bytes`, off, len);
  const v = new UdpView(bytes, off);
  const ok = addrs === null ? null : v.checksum !== 0 && udp6ChecksumOver(addrs.src, addrs.dst, bytes, off, v.length) === 0;
  const children = [
    field('Source Port', v.srcPort, off, 2),
    field('Destination Port', v.dstPort, off + 2, 2),
    field('Length', v.length, off + 4, 2),
    field('Checksum', checksumText(v.checksum, ok), off + 6, 2),
  ];
  if (v.length > 8) children.push(dataLeaf(off + 8, v.length - 8));
  return field('User Datagram Protocol', `Src Port: ${v.srcPort}, Dst Port: ${v.dstPort}`, off, v.length, children);
}
