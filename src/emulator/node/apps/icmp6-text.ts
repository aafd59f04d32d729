// The words FreeBSD's ping6 and traceroute6 print about ICMPv6 errors (pr_icmph and
// pr_retip of sbin/ping/ping6.c). Text only.
// RFC 4443 §3.

import type { Icmp6Delivery } from '../../stack';
import { ICMPV6_TYPE } from '../../wire/icmpv6';
import { formatIpv6 } from '../../wire/ipv6-addr';

function hex(v: number, w: number): string {
  return v.toString(16).padStart(w, '0');
}

/** ping6 -v lines for an error: what it is, then the quoted IPv6 header (pr_retip). */
export function icmp6ErrorLines(m: Icmp6Delivery): string[] {
  const lines: string[] = [];
  switch (m.type) {
    case ICMPV6_TYPE.DST_UNREACHABLE:
      lines.push(['No Route to Destination', 'Destination Administratively Unreachable', 'Destination Unreachable Beyond Scope', 'Destination Host Unreachable', 'Destination Port Unreachable'][m.code] ?? `Destination Unreachable, Bad Code: ${m.code}`);
      break;
    case ICMPV6_TYPE.PACKET_TOO_BIG:
      lines.push(`Packet too big mtu = ${m.word ?? 0}`);
      break;
    case ICMPV6_TYPE.TIME_EXCEEDED:
      lines.push(m.code === 0 ? 'Time to live exceeded' : m.code === 1 ? 'Frag reassembly time exceeded' : `Time exceeded, Bad Code: ${m.code}`);
      break;
    case ICMPV6_TYPE.PARAM_PROBLEM:
      lines.push(`Parameter problem: ${['Erroneous Header ', 'Unknown Nextheader ', 'Unrecognized Option '][m.code] ?? `Bad code(${m.code}) `}pointer = 0x${hex(m.word ?? 0, 2)}`);
      break;
    default:
      lines.push(`Bad ICMP type: ${m.type}`);
      return lines;
  }
  const q = m.payload;
  if (q.length < 40) {
    lines.push('IP6...');
    return lines;
  }
  const tc = ((q[0] & 0x0f) << 4) | (q[1] >>> 4);
  const flow = ((q[1] & 0x0f) << 16) | (q[2] << 8) | q[3];
  lines.push('Vr TC  Flow Plen Nxt Hlim');
  lines.push(` ${hex(q[0] >>> 4, 1)} ${hex(tc, 2)} ${hex(flow, 5)} ${hex((q[4] << 8) | q[5], 4)}  ${hex(q[6], 2)}   ${hex(q[7], 2)}`);
  lines.push(`${formatIpv6(q, 8)}->${formatIpv6(q, 24)}`);
  if (q.length >= 48) {
    if (q[6] === 58) lines.push(`ICMP6: type = ${q[40]}, code = ${q[41]}`);
    else if (q[6] === 17) lines.push(`UDP: from port ${(q[40] << 8) | q[41]}, to port ${(q[42] << 8) | q[43]} (decimal)`);
    else lines.push(`Unknown Header(${q[6]})`);
  }
  return lines;
}
