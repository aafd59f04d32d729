// The DHCPv6 layer of the field tree (capture inspector), named as Wireshark shows it:
// "DHCPv6" with the message type, transaction id and one subtree per option (client and
// server identifiers with the DUID, IA_NA with its IA Address and status code, elapsed
// time, option request, DNS servers) with byte ranges. Only bytes; RFC 8415 §8, §21.
import { readU16, readU32 } from './addr';
import { DHCP6_CLIENT_PORT, DHCP6_OPT, DHCP6_OPTION_NAMES, DHCP6_SERVER_PORT, DHCP6_TYPE, dhcp6StatusName, dhcp6TypeName, formatDuid } from './dhcp6';
import { field, malformed, type DecodedField } from './decode-field';
import { formatIpv6 } from './ipv6-addr';

/** Is this UDP datagram DHCPv6 (port 546 or 547, as Wireshark's dissector table)? */
export function isDhcp6Ports(srcPort: number, dstPort: number): boolean {
  return srcPort === DHCP6_CLIENT_PORT || dstPort === DHCP6_CLIENT_PORT || srcPort === DHCP6_SERVER_PORT || dstPort === DHCP6_SERVER_PORT;
}

/** Bound on option nesting and count shown (a hostile packet cannot make the tree huge). */
const OPTIONS_SHOWN_MAX = 64;

function optionFields(bytes: Uint8Array, off: number, end: number, depth: number): DecodedField[] {
  const out: DecodedField[] = [];
  let o = off;
  while (o < end && out.length < OPTIONS_SHOWN_MAX) {
    if (o + 4 > end) {
      out.push(malformed(`option header needs 4 bytes, ${end - o} present`, o, end - o));
      break;
    }
    const code = readU16(bytes, o);
    const len = readU16(bytes, o + 2);
    if (o + 4 + len > end) {
      out.push(malformed(`option ${code} length ${len} runs past the message`, o, end - o));
      break;
    }
    const d = o + 4;
    const name = DHCP6_OPTION_NAMES[code] ?? `Unknown (${code})`;
    const kids: DecodedField[] = [field('Option', `${name} (${code})`, o, 2), field('Length', len, o + 2, 2)];
    kids.push(...optionValue(bytes, code, d, len, depth));
    out.push(field(name, '', o, 4 + len, kids));
    o = d + len;
  }
  return out;
}

function optionValue(bytes: Uint8Array, code: number, d: number, len: number, depth: number): DecodedField[] {
  const hex = () => Array.from(bytes.subarray(d, d + len), (b) => b.toString(16).padStart(2, '0')).join('');
  switch (code) {
    case DHCP6_OPT.CLIENTID:
    case DHCP6_OPT.SERVERID: {
      if (len < 2) return [malformed('DUID needs 2 bytes', d, len)];
      const type = readU16(bytes, d);
      const out = [field('DUID', hex(), d, len), field('DUID Type', type === 1 ? 'link-layer address plus time (1)' : type === 3 ? 'link-layer address (3)' : `${type}`, d, 2)];
      if (type === 1 && len === 14) out.push(field('Hardware type', readU16(bytes, d + 2) === 1 ? 'Ethernet (1)' : readU16(bytes, d + 2), d + 2, 2), field('DUID Time', readU32(bytes, d + 4), d + 4, 4), field('Link-layer address', formatDuid(bytes.subarray(d + 8, d + 14)), d + 8, 6));
      return out;
    }
    case DHCP6_OPT.IA_NA: {
      if (len < 12) return [malformed('IA_NA needs 12 bytes', d, len)];
      const iaid = Array.from(bytes.subarray(d, d + 4), (b) => b.toString(16).padStart(2, '0')).join('');
      return [field('IAID', iaid, d, 4), field('T1', readU32(bytes, d + 4), d + 4, 4), field('T2', readU32(bytes, d + 8), d + 8, 4), ...(depth < 3 ? optionFields(bytes, d + 12, d + len, depth + 1) : [])];
    }
    case DHCP6_OPT.IAADDR:
      if (len < 24) return [malformed('IA Address needs 24 bytes', d, len)];
      return [
        field('IPv6 address', formatIpv6(bytes, d), d, 16), field('Preferred lifetime', readU32(bytes, d + 16), d + 16, 4), field('Valid lifetime', readU32(bytes, d + 20), d + 20, 4),
        ...(depth < 3 ? optionFields(bytes, d + 24, d + len, depth + 1) : []),
      ];
    case DHCP6_OPT.STATUS_CODE:
      if (len < 2) return [malformed('Status code needs 2 bytes', d, len)];
      return [field('Status Code', `${dhcp6StatusName(readU16(bytes, d))} (${readU16(bytes, d)})`, d, 2), field('Status Message', String.fromCharCode(...bytes.subarray(d + 2, d + len)), d + 2, len - 2)];
    case DHCP6_OPT.ELAPSED_TIME:
      return len === 2 ? [field('Elapsed time', `${readU16(bytes, d) * 10} ms`, d, 2)] : [malformed('Elapsed time needs 2 bytes', d, len)];
    case DHCP6_OPT.PREFERENCE:
      return len === 1 ? [field('Pref-value', bytes[d], d, 1)] : [malformed('Preference needs 1 byte', d, len)];
    case DHCP6_OPT.ORO: {
      const out: DecodedField[] = [];
      for (let k = 0; k + 2 <= len; k += 2) out.push(field('Requested Option code', `${DHCP6_OPTION_NAMES[readU16(bytes, d + k)] ?? 'Unknown'} (${readU16(bytes, d + k)})`, d + k, 2));
      return out;
    }
    case DHCP6_OPT.DNS_SERVERS: {
      const out: DecodedField[] = [];
      for (let k = 0; k + 16 <= len; k += 16) out.push(field('DNS server address', formatIpv6(bytes, d + k), d + k, 16));
      return out;
    }
    case DHCP6_OPT.RAPID_COMMIT:
      return [];
    default:
      return len > 0 ? [field('Value', hex(), d, len)] : [];
  }
}

/** The DHCPv6 layer for a UDP payload at `off` (length `len`), or null when too short to be one. */
export function decodeDhcp6(bytes: Uint8Array, off: number, len: number): DecodedField | null {
  if (off < 0 || len < 4 || off + len > bytes.length) return null;
  const type = bytes[off];
  const relay = type === DHCP6_TYPE.RELAY_FORW || type === DHCP6_TYPE.RELAY_REPL;
  const children: DecodedField[] = [field('Message type', `${dhcp6TypeName(type)} (${type})`, off, 1)];
  if (relay) {
    if (len < 34) return field('DHCPv6', dhcp6TypeName(type), off, len, [...children, malformed('relay message needs 34 bytes', off, len)]);
    children.push(field('Hopcount', bytes[off + 1], off + 1, 1), field('Link address', formatIpv6(bytes, off + 2), off + 2, 16), field('Peer address', formatIpv6(bytes, off + 18), off + 18, 16));
    children.push(...optionFields(bytes, off + 34, off + len, 0));
  } else {
    const xid = (bytes[off + 1] << 16) | (bytes[off + 2] << 8) | bytes[off + 3];
    children.push(field('Transaction ID', `0x${xid.toString(16).padStart(6, '0')}`, off + 1, 3));
    children.push(...optionFields(bytes, off + 4, off + len, 0));
  }
  return field('DHCPv6', dhcp6TypeName(type), off, len, children);
}
