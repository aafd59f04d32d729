// The RIPng layer of the field tree (capture inspector), named and laid out as Wireshark
// shows it: "RIPng" with Command, Version and one subtree per entry. Only bytes; RFC 2080 §2.1.
import { field, type DecodedField } from './decode-field';
import { formatIpv6 } from './ipv6-addr';
import { formatRipngEntry, parseRipng, RIPNG_COMMAND, RIPNG_ENTRY_LEN, RIPNG_HEADER_LEN, RIPNG_NEXT_HOP_METRIC } from './ripng';

/** The RIPng layer for a UDP payload at `off` (length `len`), or null when it is not a RIPng message. */
export function decodeRipng(bytes: Uint8Array, off: number, len: number): DecodedField | null {
  const m = parseRipng(bytes, off, len);
  if (typeof m === 'string') return null;
  const cmd = m.command === RIPNG_COMMAND.REQUEST ? 'Request (1)' : m.command === RIPNG_COMMAND.RESPONSE ? 'Response (2)' : String(m.command);
  const children = [field('Command', cmd, off, 1), field('Version', m.version, off + 1, 1)];
  m.entries.forEach((e, i) => {
    const o = off + RIPNG_HEADER_LEN + i * RIPNG_ENTRY_LEN;
    const sub = [
      field('IPv6 Prefix', formatIpv6(e.prefix), o, 16),
      field('Route Tag', `0x${e.tag.toString(16).padStart(4, '0')}`, o + 16, 2),
      field('Prefix Length', e.prefixLen, o + 18, 1),
      field('Metric', e.metric, o + 19, 1),
    ];
    children.push(field(e.metric === RIPNG_NEXT_HOP_METRIC ? 'Next Hop' : 'Routing Table Entry', formatRipngEntry(e), o, RIPNG_ENTRY_LEN, sub));
  });
  return field('RIPng', `${cmd.replace(/ \(\d\)$/, '')}, version ${m.version}`, off, len, children);
}
