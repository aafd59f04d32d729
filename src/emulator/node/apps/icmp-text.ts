// FreeBSD ping(8)'s wording for ICMP errors (pr_icmph) and its dump of the quoted IPv4
// header (pr_iph/pr_retip), shared by ping and traceroute. Formatting only.
// RFC 792 (message types and codes), RFC 1812 §5.2.7.1 (unreachable codes).

import { formatIpv4 } from '../../wire/addr';

const UNREACH_TEXT: readonly string[] = [
  'Destination Net Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'frag needed and DF set',
  'Source Route Failed',
  'Destination Net Unknown',
  'Destination Host Unknown',
  'Source Host Isolated',
  'Destination Network Administratively Unreachable',
  'Destination Host Administratively Unreachable',
  'Destination Network Unreachable at this TOS',
  'Destination Host Unreachable at this TOS',
  'Destination Host Communication Prohibited',
  'Destination Host Precedence Violation',
  'Destination Precedence Cutoff',
];

/** One line, as FreeBSD ping prints after `N bytes from A: `. */
export function icmpErrorText(type: number, code: number, extra = 0): string {
  switch (type) {
    case 3:
      if (code === 4) return `frag needed and DF set (MTU ${extra})`;
      return UNREACH_TEXT[code] ?? `Dest Unreachable, Bad Code: ${code}`;
    case 4:
      return 'Source Quench';
    case 5:
      return `Redirect, New addr: ${formatIpv4(extra >>> 0)}`;
    case 11:
      if (code === 0) return 'Time to live exceeded';
      if (code === 1) return 'Frag reassembly time exceeded';
      return `Time exceeded, Bad Code: ${code}`;
    case 12:
      return `Parameter problem: pointer = 0x${(extra & 0xff).toString(16).padStart(2, '0')}`;
    default:
      return `Bad ICMP type: ${type}`;
  }
}

function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}

/** The two-line dump of a quoted IPv4 header (FreeBSD pr_iph), or [] if too short. */
export function quotedHeaderDump(quoted: Uint8Array | undefined): string[] {
  if (!quoted || quoted.length < 20) return [];
  const q = quoted;
  const u16 = (o: number): number => (q[o] << 8) | q[o + 1];
  const u32 = (o: number): number => ((q[o] << 24) | (q[o + 1] << 16) | (q[o + 2] << 8) | q[o + 3]) >>> 0;
  const off = u16(6);
  const line =
    ` ${hex(q[0] >> 4, 1)}  ${hex(q[0] & 15, 1)}  ${hex(q[1], 2)} ${hex(u16(2), 4)} ${hex(u16(4), 4)}` +
    `   ${hex(off >> 13, 1)} ${hex(off & 0x1fff, 4)}` +
    `  ${hex(q[8], 2)}  ${hex(q[9], 2)} ${hex(u16(10), 4)}` +
    ` ${formatIpv4(u32(12))}  ${formatIpv4(u32(16))} `;
  const lines = ['Vr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst', line];
  const hl = (q[0] & 15) * 4;
  if ((q[9] === 6 || q[9] === 17) && q.length >= hl + 4) {
    const name = q[9] === 6 ? 'TCP' : 'UDP';
    lines.push(`${name}: from port ${u16(hl)}, to port ${u16(hl + 2)} (decimal)`);
  }
  return lines;
}
