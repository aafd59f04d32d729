// The OSPF layer of the field tree (capture inspector) and its one-line Info, named as
// Wireshark shows them: "Open Shortest Path First" with the OSPF header and the packet's
// body (hello fields, LSA headers, requests). Only bytes; RFC 2328 A.3.
import { formatIpv4 } from './addr';
import { field, type DecodedField } from './decode-field';
import { LSA_HEADER_LEN, OSPF_HEADER_LEN, OSPF_TYPE, parseOspf, readLsaHeader, type LsaHeader } from './ospf';

const TYPE_NAMES: Readonly<Record<number, string>> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const LSA_NAMES: Readonly<Record<number, string>> = { 1: 'Router-LSA', 2: 'Network-LSA', 3: 'Summary-LSA (IP network)', 4: 'Summary-LSA (ASBR)', 5: 'AS-External-LSA (ASBR)' };

/** tshark's Info column for an OSPF packet, or null when it does not parse. */
export function ospfInfo(bytes: Uint8Array): string | null {
  const p = parseOspf(bytes);
  return typeof p === 'string' ? null : (TYPE_NAMES[p.body.type] ?? `type ${p.body.type}`);
}

function lsaHeaderField(h: LsaHeader, o: number): DecodedField {
  return field(`LSA-type ${h.type} (${LSA_NAMES[h.type] ?? 'unknown'})`, `len ${h.length}`, o, LSA_HEADER_LEN, [
    field('LS Age (seconds)', h.age, o, 2),
    field('LS Type', `${LSA_NAMES[h.type] ?? 'unknown'} (${h.type})`, o + 3, 1),
    field('Link State ID', formatIpv4(h.id), o + 4, 4),
    field('Advertising Router', formatIpv4(h.adv), o + 8, 4),
    field('Sequence Number', `0x${(h.seq >>> 0).toString(16).padStart(8, '0')}`, o + 12, 4),
    field('Checksum', `0x${h.checksum.toString(16).padStart(4, '0')}`, o + 16, 2),
    field('Length', h.length, o + 18, 2),
  ]);
}

/** The OSPF layer for an IP payload at `off` (length `len`), or null when it is not OSPFv2. */
export function decodeOspf(bytes: Uint8Array, off: number, len: number): DecodedField | null {
  const p = parseOspf(bytes.subarray(off, off + len));
  if (typeof p === 'string') return null;
  const name = TYPE_NAMES[p.body.type] ?? String(p.body.type);
  const header = field('OSPF Header', '', off, OSPF_HEADER_LEN, [
    field('Version', 2, off, 1),
    field('Message Type', `${name} (${p.body.type})`, off + 1, 1),
    field('Packet Length', bytes[off + 2] * 256 + bytes[off + 3], off + 2, 2),
    field('Source OSPF Router', formatIpv4(p.routerId), off + 4, 4),
    field('Area ID', `${formatIpv4(p.areaId)}${p.areaId === 0 ? ' (Backbone)' : ''}`, off + 8, 4),
    field('Auth Type', 'Null (0)', off + 14, 2),
  ]);
  const o = off + OSPF_HEADER_LEN;
  const body: DecodedField[] = [];
  const b = p.body;
  switch (b.type) {
    case OSPF_TYPE.HELLO: {
      const h = b.hello;
      body.push(field('OSPF Hello Packet', '', o, len - OSPF_HEADER_LEN, [
        field('Network Mask', formatIpv4(h.mask), o, 4),
        field('Hello Interval [sec]', h.helloInterval, o + 4, 2),
        field('Router Priority', h.priority, o + 7, 1),
        field('Router Dead Interval [sec]', h.deadInterval, o + 8, 4),
        field('Designated Router', formatIpv4(h.dr), o + 12, 4),
        field('Backup Designated Router', formatIpv4(h.bdr), o + 16, 4),
        ...h.neighbors.map((n, k) => field('Active Neighbor', formatIpv4(n), o + 20 + 4 * k, 4)),
      ]));
      break;
    }
    case OSPF_TYPE.DD: {
      const d = b.dd;
      const flags = [d.flags & 4 ? 'I' : '', d.flags & 2 ? 'M' : '', d.flags & 1 ? 'MS' : ''].filter(Boolean).join(', ');
      body.push(field('OSPF DB Description', '', o, len - OSPF_HEADER_LEN, [
        field('Interface MTU', d.mtu, o, 2),
        field('DB Description', `0x${d.flags.toString(16).padStart(2, '0')}${flags ? ` (${flags})` : ''}`, o + 3, 1),
        field('DD Sequence', d.seq >>> 0, o + 4, 4),
      ]));
      d.headers.forEach((h, k) => body.push(lsaHeaderField(h, o + 8 + LSA_HEADER_LEN * k)));
      break;
    }
    case OSPF_TYPE.LSR:
      b.requests.forEach((r, k) => body.push(field('Link State Request', `${LSA_NAMES[r.type] ?? r.type} ${formatIpv4(r.id)} ${formatIpv4(r.adv)}`, o + 12 * k, 12)));
      break;
    case OSPF_TYPE.LSU: {
      const kids: DecodedField[] = [field('Number of LSAs', b.lsas.length, o, 4)];
      let k = o + 4;
      for (const l of b.lsas) {
        kids.push(lsaHeaderField(readLsaHeader(l, 0), k));
        k += l.length;
      }
      body.push(field('LS Update Packet', '', o, len - OSPF_HEADER_LEN, kids));
      break;
    }
    case OSPF_TYPE.ACK:
      b.headers.forEach((h, k) => body.push(lsaHeaderField(h, o + LSA_HEADER_LEN * k)));
      break;
  }
  return field('Open Shortest Path First', name, off, len, [header, ...body]);
}
