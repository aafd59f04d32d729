// The RIP layer of the field tree (capture inspector), named and laid out as Wireshark
// shows it: "Routing Information Protocol" with Command, Version and one subtree per
// entry. Only bytes; RFC 2453 §4.
import { formatIpv4 } from './addr';
import { field, type DecodedField } from './decode-field';
import { parseRip, RIP_AFI_AUTH, RIP_AFI_INET, RIP_COMMAND, RIP_ENTRY_LEN, RIP_HEADER_LEN, formatRipEntry } from './rip';

/** The RIP layer for a UDP payload at `off` (length `len`), or null when it is not a RIP message. */
export function decodeRip(bytes: Uint8Array, off: number, len: number): DecodedField | null {
  const m = parseRip(bytes, off, len);
  if (typeof m === 'string') return null;
  const cmd = m.command === RIP_COMMAND.REQUEST ? 'Request (1)' : m.command === RIP_COMMAND.RESPONSE ? 'Response (2)' : String(m.command);
  const children = [field('Command', cmd, off, 1), field('Version', `RIPv${m.version} (${m.version})`, off + 1, 1)];
  m.entries.forEach((e, i) => {
    const o = off + RIP_HEADER_LEN + i * RIP_ENTRY_LEN;
    const family = e.afi === RIP_AFI_INET ? 'IP (2)' : e.afi === RIP_AFI_AUTH ? 'Authentication (0xffff)' : String(e.afi);
    const sub = [
      field('Address Family', family, o, 2),
      field('Route Tag', e.tag, o + 2, 2),
      field('IP Address', formatIpv4(e.addr), o + 4, 4),
      field('Netmask', formatIpv4(e.mask), o + 8, 4),
      field('Next Hop', formatIpv4(e.nextHop), o + 12, 4),
      field('Metric', e.metric, o + 16, 4),
    ];
    children.push(field(e.afi === RIP_AFI_INET ? 'IP Address' : 'Entry', formatRipEntry(e), o, RIP_ENTRY_LEN, sub));
  });
  return field('Routing Information Protocol', `${cmd.replace(/ \(\d\)$/, '')}, version ${m.version}`, off, len, children);
}
