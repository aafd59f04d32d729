// The DHCP layer of the field tree (capture inspector), named as Wireshark shows it:
// "Dynamic Host Configuration Protocol (Discover)" with the fixed fields, the magic cookie
// and one subtree per option with its byte range. Only bytes; RFC 2131 §2, RFC 2132.
import { formatIpv4, formatMac, readU32 } from './addr';
import {
  BOOTP_OP, DHCP_FLAG_BROADCAST, DHCP_FIXED_LEN, DHCP_OPT, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, macOfChaddr, parseDhcp, dhcpParams,
} from './dhcp';
import { field, type DecodedField } from './decode-field';

const TYPE_NAMES = ['', 'Discover', 'Offer', 'Request', 'Decline', 'ACK', 'NAK', 'Release', 'Inform'];

const OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Subnet Mask', 3: 'Router', 6: 'Domain Name Server', 12: 'Host Name', 15: 'Domain Name', 28: 'Broadcast Address',
  50: 'Requested IP Address', 51: 'IP Address Lease Time', 53: 'DHCP Message Type', 54: 'DHCP Server Identifier',
  55: 'Parameter Request List', 56: 'Message', 57: 'Maximum DHCP Message Size', 58: 'Renewal Time Value',
  59: 'Rebinding Time Value', 61: 'Client identifier', 255: 'End',
};

/** Is this UDP datagram BOOTP/DHCP (either port 67 or 68, as Wireshark's heuristic)? */
export function isDhcpPorts(srcPort: number, dstPort: number): boolean {
  return srcPort === DHCP_SERVER_PORT || dstPort === DHCP_SERVER_PORT || srcPort === DHCP_CLIENT_PORT || dstPort === DHCP_CLIENT_PORT;
}

function optionValue(code: number, d: Uint8Array): string {
  const addrs = (): string => {
    const out: string[] = [];
    for (let i = 0; i + 4 <= d.length; i += 4) out.push(formatIpv4(readU32(d, i)));
    return out.join(', ');
  };
  switch (code) {
    case DHCP_OPT.MESSAGE_TYPE:
      return d.length === 1 ? `${TYPE_NAMES[d[0]] ?? 'Unknown'} (${d[0]})` : '';
    case DHCP_OPT.SUBNET_MASK:
    case DHCP_OPT.ROUTER:
    case DHCP_OPT.DNS_SERVERS:
    case DHCP_OPT.BROADCAST:
    case DHCP_OPT.REQUESTED_IP:
    case DHCP_OPT.SERVER_ID:
      return addrs();
    case DHCP_OPT.LEASE_TIME:
    case DHCP_OPT.RENEWAL_TIME:
    case DHCP_OPT.REBINDING_TIME:
      return d.length === 4 ? `${readU32(d, 0)} s` : '';
    case DHCP_OPT.DOMAIN_NAME:
    case DHCP_OPT.HOST_NAME:
    case DHCP_OPT.MESSAGE:
      return String.fromCharCode(...d);
    default:
      return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
  }
}

/** The DHCP layer for a UDP payload at `off` (length `len`), or null when it is not BOOTP/DHCP. */
export function decodeDhcp(bytes: Uint8Array, off: number, len: number): DecodedField | null {
  const m = parseDhcp(bytes, off, len);
  if (typeof m === 'string') return null;
  const type = dhcpParams(m).messageType;
  const ip = (name: string, v: number, at: number) => field(name, formatIpv4(v), off + at, 4);
  const children: DecodedField[] = [
    field('Message type', m.op === BOOTP_OP.REQUEST ? 'Boot Request (1)' : m.op === BOOTP_OP.REPLY ? 'Boot Reply (2)' : `Unknown (${m.op})`, off, 1),
    field('Hardware type', m.htype === 1 ? 'Ethernet (0x01)' : `0x${m.htype.toString(16).padStart(2, '0')}`, off + 1, 1),
    field('Hardware address length', m.hlen, off + 2, 1),
    field('Hops', m.hops, off + 3, 1),
    field('Transaction ID', `0x${(m.xid >>> 0).toString(16).padStart(8, '0')}`, off + 4, 4),
    field('Seconds elapsed', m.secs, off + 8, 2),
    field('Bootp flags', `0x${m.flags.toString(16).padStart(4, '0')} (${m.flags & DHCP_FLAG_BROADCAST ? 'Broadcast' : 'Unicast'})`, off + 10, 2),
    ip('Client IP address', m.ciaddr, 12),
    ip('Your (client) IP address', m.yiaddr, 16),
    ip('Next server IP address', m.siaddr, 20),
    ip('Relay agent IP address', m.giaddr, 24),
    field('Client MAC address', formatMac(macOfChaddr(m.chaddr)), off + 28, 6),
    field('Server host name', m.sname || 'not given', off + 44, 64),
    field('Boot file name', m.file || 'not given', off + 108, 128),
  ];
  if (m.options !== null) {
    children.push(field('Magic cookie', 'DHCP', off + DHCP_FIXED_LEN, 4));
    let o = off + DHCP_FIXED_LEN + 4;
    const end = off + len;
    while (o < end) {
      const code = bytes[o];
      if (code === DHCP_OPT.PAD) {
        o++;
        continue;
      }
      if (code === DHCP_OPT.END) {
        children.push(field('Option', '(255) End', o, 1));
        if (o + 1 < end) children.push(field('Padding', `${end - o - 1} bytes`, o + 1, end - o - 1));
        break;
      }
      const n = bytes[o + 1];
      const d = bytes.subarray(o + 2, o + 2 + n);
      const name = OPTION_NAMES[code] ?? 'Unknown';
      children.push(field('Option', `(${code}) ${name}${code === DHCP_OPT.MESSAGE_TYPE ? ` (${optionValue(code, d).replace(/ \(\d+\)$/, '')})` : ''}`, o, 2 + n, [
        field('Length', n, o + 1, 1),
        field(name, optionValue(code, d), o + 2, n),
      ]));
      o += 2 + n;
    }
  }
  const title = type !== null && type >= 1 && type <= 8 ? `Dynamic Host Configuration Protocol (${TYPE_NAMES[type]})` : 'Bootstrap Protocol';
  return field(title, '', off, len, children);
}
