// The OSPFv3 layer of the field tree (capture inspector) and its one-line Info, named as
// Wireshark shows them: "Open Shortest Path First" with the OSPF header (version 3,
// instance id) and the packet's body (hello fields, LSA headers, requests). Only bytes;
// RFC 5340 A.3.
import { formatIpv4 } from './addr';
import { field, type DecodedField } from './decode-field';
import { LSA_HEADER_LEN, OSPF6_HEADER_LEN, OSPF6_TYPE, parseOspf6, readLsa6Header, type Lsa6Header } from './ospf6';

const TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const LSA_NAMES: Readonly<Record<number, string>> = { 0x2001: 'Router-LSA', 0x2002: 'Network-LSA', 0x2003: 'Inter-Area-Prefix-LSA', 0x2004: 'Inter-Area-Router-LSA', 0x4005: 'AS-External-LSA', 0x0008: 'Link-LSA', 0x2009: 'Intra-Area-Prefix-LSA' };

/** tshark's Info column for an OSPFv3 packet, or null when it does not parse. */
export function ospf6Info(bytes: Uint8Array): string | null {
  const p = parseOspf6(bytes);
  return typeof p === 'string' ? null : (TYPE_NAMES[p.body.type] ?? `type ${p.body.type}`);
}

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;

function lsaHeaderField(h: Lsa6Header, o: number): DecodedField {
  const name = LSA_NAMES[h.type] ?? 'Unknown';
  return field(`LSA-type ${h.type & 0x1fff} (${name})`, `len ${h.length}`, o, LSA_HEADER_LEN, [
    field('LS Age (seconds)', h.age, o, 2),
    field('LS Type', hex(h.type, 4), o + 2, 2),
    field('Link State ID', formatIpv4(h.id), o + 4, 4),
    field('Advertising Router', formatIpv4(h.adv), o + 8, 4),
    field('Sequence Number', hex(h.seq >>> 0, 8), o + 12, 4),
    field('Checksum', hex(h.checksum, 4), o + 16, 2),
    field('Length', h.length, o + 18, 2),
  ]);
}

/** The OSPFv3 layer for an IPv6 payload at `off` (length `len`), or null when it is not OSPFv3. */
export function decodeOspf6(bytes: Uint8Array, off: number, len: number): DecodedField | null {
  const p = parseOspf6(bytes.subarray(off, off + len));
  if (typeof p === 'string') return null;
  const plen = bytes[off + 2] * 256 + bytes[off + 3];
  const name = TYPE_NAMES[p.body.type] ?? String(p.body.type);
  const header = field('OSPF Header', '', off, OSPF6_HEADER_LEN, [
    field('Version', 3, off, 1),
    field('Message Type', `${name} (${p.body.type})`, off + 1, 1),
    field('Packet Length', plen, off + 2, 2),
    field('Source OSPF Router', formatIpv4(p.routerId), off + 4, 4),
    field('Area ID', `${formatIpv4(p.areaId)}${p.areaId === 0 ? ' (Backbone)' : ''}`, off + 8, 4),
    field('Checksum', hex(bytes[off + 12] * 256 + bytes[off + 13], 4), off + 12, 2),
    field('Instance ID', p.instance, off + 14, 1),
  ]);
  const o = off + OSPF6_HEADER_LEN;
  const rest = plen - OSPF6_HEADER_LEN;
  const body: DecodedField[] = [];
  const b = p.body;
  switch (b.type) {
    case OSPF6_TYPE.HELLO: {
      const h = b.hello;
      body.push(field('OSPF Hello Packet', '', o, rest, [
        field('Interface ID', h.ifId, o, 4),
        field('Router Priority', h.priority, o + 4, 1),
        field('Options', hex(h.options, 6), o + 5, 3),
        field('Hello Interval [sec]', h.helloInterval, o + 8, 2),
        field('Router Dead Interval [sec]', h.deadInterval, o + 10, 2),
        field('Designated Router', formatIpv4(h.dr), o + 12, 4),
        field('Backup Designated Router', formatIpv4(h.bdr), o + 16, 4),
        ...h.neighbors.map((n, k) => field('Active Neighbor', formatIpv4(n), o + 20 + 4 * k, 4)),
      ]));
      break;
    }
    case OSPF6_TYPE.DD: {
      const d = b.dd;
      const flags = [d.flags & 4 ? 'I' : '', d.flags & 2 ? 'M' : '', d.flags & 1 ? 'MS' : ''].filter(Boolean).join(', ');
      body.push(field('OSPF DB Description', '', o, rest, [
        field('Options', hex(d.options, 6), o + 1, 3),
        field('Interface MTU', d.mtu, o + 4, 2),
        field('DB Description', `${hex(d.flags, 2)}${flags ? ` (${flags})` : ''}`, o + 7, 1),
        field('DD Sequence', d.seq >>> 0, o + 8, 4),
      ]));
      d.headers.forEach((h, k) => body.push(lsaHeaderField(h, o + 12 + LSA_HEADER_LEN * k)));
      break;
    }
    case OSPF6_TYPE.LSR:
      b.requests.forEach((r, k) => body.push(field('Link State Request', `${LSA_NAMES[r.type] ?? hex(r.type, 4)} ${formatIpv4(r.id)} ${formatIpv4(r.adv)}`, o + 12 * k, 12)));
      break;
    case OSPF6_TYPE.LSU: {
      const kids: DecodedField[] = [field('Number of LSAs', b.lsas.length, o, 4)];
      let k = o + 4;
      for (const l of b.lsas) {
        kids.push(lsaHeaderField(readLsa6Header(l, 0), k));
        k += l.length;
      }
      body.push(field('LS Update Packet', '', o, rest, kids));
      break;
    }
    case OSPF6_TYPE.ACK:
      b.headers.forEach((h, k) => body.push(lsaHeaderField(h, o + LSA_HEADER_LEN * k)));
      break;
  }
  return field('Open Shortest Path First', name, off, plen, [header, ...body]);
}
