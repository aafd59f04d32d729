// Field trees for the link layer: Ethernet II, 802.1Q and ARP. Reads bytes through the
// wire views only after their checks pass; never throws; truncation becomes [Malformed].
// IEEE 802.3 §3.2, IEEE 802.1Q §9.6, RFC 826.

import { formatIpv4, formatMac, readMac, readU16 } from './addr';
import { ARP_LEN, ArpView } from './arp';
import { field, hex16, malformed, type DecodedField } from './decode-field';
import { ETH_HEADER_LEN, ETHERTYPE, etherTypeName, EthernetView } from './ethernet';

export function macText(mac: number): string {
  return mac === 0xffffffffffff ? `Broadcast (${formatMac(mac)})` : formatMac(mac);
}

export function etherTypeText(t: number): string {
  const name = etherTypeName(t);
  return name.startsWith('0x') ? `Unknown (${hex16(t)})` : `${name} (${hex16(t)})`;
}

/** Ethernet II (+ 802.1Q) layers; `null` payload offset when the header itself is short. */
export function decodeEthernet(bytes: Uint8Array, out: DecodedField[]): { etherType: number; next: number } | null {
  if (bytes.length < ETH_HEADER_LEN) {
    out.push(malformed(`frame of ${bytes.length} bytes is shorter than an Ethernet header`, 0, bytes.length));
    return null;
  }
  const dst = readMac(bytes, 0);
  const src = readMac(bytes, 6);
  const type = readU16(bytes, 12);
  out.push(
    field('Ethernet II', `Src: ${formatMac(src)}, Dst: ${formatMac(dst)}`, 0, ETH_HEADER_LEN, [
      field('Destination', macText(dst), 0, 6),
      field('Source', macText(src), 6, 6),
      field('Type', etherTypeText(type), 12, 2),
    ]),
  );
  if (type !== ETHERTYPE.VLAN) return { etherType: type, next: ETH_HEADER_LEN };
  if (!EthernetView.check(bytes, 0, bytes.length)) {
    out.push(malformed('802.1Q tag truncated', 14, bytes.length - 14));
    return null;
  }
  const v = new EthernetView(bytes, 0);
  const tci = readU16(bytes, 14);
  out.push(
    field('802.1Q Virtual LAN', `PRI: ${v.pcp}, DEI: ${(tci >>> 12) & 1}, ID: ${v.vlan}`, 14, 4, [
      field('Priority', v.pcp, 14, 1),
      field('DEI', (tci >>> 12) & 1, 14, 1),
      field('ID', v.vlan, 14, 2),
      field('Type', etherTypeText(v.etherType), 16, 2),
    ]),
  );
  return { etherType: v.etherType, next: 18 };
}

const ARP_OP_TEXT: Record<number, string> = { 1: 'request', 2: 'reply' };

export function decodeArp(bytes: Uint8Array, off: number, out: DecodedField[]): number {
  const len = bytes.length - off;
  if (!ArpView.check(bytes, off, len)) {
    const why = len < ARP_LEN ? `ARP needs ${ARP_LEN} bytes, ${len} captured` : 'ARP for other than Ethernet/IPv4';
    out.push(malformed(why, off, len));
    return bytes.length;
  }
  const v = new ArpView(bytes, off);
  const op = v.op;
  const opText = ARP_OP_TEXT[op] ?? 'unknown';
  out.push(
    field('Address Resolution Protocol', `(${opText})`, off, ARP_LEN, [
      field('Hardware type', 'Ethernet (1)', off, 2),
      field('Protocol type', 'IPv4 (0x0800)', off + 2, 2),
      field('Hardware size', 6, off + 4, 1),
      field('Protocol size', 4, off + 5, 1),
      field('Opcode', `${opText} (${op})`, off + 6, 2),
      field('Sender MAC address', formatMac(v.senderMac), off + 8, 6),
      field('Sender IP address', formatIpv4(v.senderIp), off + 14, 4),
      field('Target MAC address', formatMac(v.targetMac), off + 18, 6),
      field('Target IP address', formatIpv4(v.targetIp), off + 24, 4),
    ]),
  );
  return off + ARP_LEN;
}
