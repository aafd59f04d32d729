// In-place rewriting of an IPv4 datagram's endpoints for address translation: source or
// destination address, TCP/UDP port, ICMP echo identifier, with the IPv4 header checksum
// and the transport checksum adjusted incrementally (RFC 1624; RFC 3022 §4.2 lists what NAT
// must fix). The caller owns the buffer (a copy, never a frame already recorded).

import { checksumAdjust, internetChecksum } from './checksum';
import { IP_PROTO } from './ipv4';

const IP_SUM = 10;
const UDP_SUM = 6;
const TCP_SUM = 16;
const ICMP_SUM = 2;

function rd16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

/** Offset of the transport checksum covering the pseudo-header, or -1 (ICMP, fragments, UDP without checksum). */
function pseudoSumOffset(b: Uint8Array, off: number): number {
  if (((b[off + 6] & 0x1f) | b[off + 7]) !== 0) return -1;
  const t = off + ((b[off] & 0x0f) << 2);
  const proto = b[off + 9];
  if (proto === IP_PROTO.TCP && b.length >= t + 18) return t + TCP_SUM;
  if (proto === IP_PROTO.UDP && b.length >= t + 8 && rd16(b, t + UDP_SUM) !== 0) return t + UDP_SUM;
  return -1;
}

function adjust16(b: Uint8Array, off: number, sumOff: number, oldW: number, newW: number): void {
  const s = checksumAdjust(rd16(b, sumOff), oldW, newW);
  // A UDP checksum of 0 means "none" (RFC 768): an adjusted zero is sent as 0xffff.
  wr16(b, sumOff, s === 0 && b[off + 9] === IP_PROTO.UDP ? 0xffff : s);
}

/** Sets the source (`which` 12) or destination (16) address of the datagram at `off`. */
export function rewriteAddr(b: Uint8Array, off: number, which: 12 | 16, addr: number): void {
  const oldHi = rd16(b, off + which);
  const oldLo = rd16(b, off + which + 2);
  const newHi = (addr >>> 16) & 0xffff;
  const newLo = addr & 0xffff;
  wr16(b, off + which, newHi);
  wr16(b, off + which + 2, newLo);
  wr16(b, off + IP_SUM, checksumAdjust(checksumAdjust(rd16(b, off + IP_SUM), oldHi, newHi), oldLo, newLo));
  const ps = pseudoSumOffset(b, off);
  if (ps >= 0) {
    adjust16(b, off, ps, oldHi, newHi);
    adjust16(b, off, ps, oldLo, newLo);
  }
}

/** Sets the TCP/UDP source (`which` 0) or destination (2) port. */
export function rewritePort(b: Uint8Array, off: number, which: 0 | 2, port: number): void {
  const t = off + ((b[off] & 0x0f) << 2);
  const old = rd16(b, t + which);
  wr16(b, t + which, port);
  const ps = pseudoSumOffset(b, off);
  if (ps >= 0) adjust16(b, off, ps, old, port);
}

/** Sets the identifier of an ICMP echo request or reply (RFC 792), fixing the ICMP checksum. */
export function rewriteIcmpId(b: Uint8Array, off: number, id: number): void {
  const t = off + ((b[off] & 0x0f) << 2);
  const old = rd16(b, t + 4);
  wr16(b, t + 4, id);
  wr16(b, t + ICMP_SUM, checksumAdjust(rd16(b, t + ICMP_SUM), old, id));
}

/**
 * In an ICMP error at `off` (RFC 792: the quoted datagram follows the 8-byte ICMP header),
 * sets the quoted datagram's source address and its source port (TCP/UDP) or echo id
 * (ICMP), then recomputes the ICMP checksum over the whole message. False when too short.
 */
export function rewriteQuotedSource(b: Uint8Array, off: number, addr: number, portOrId: number): boolean {
  const t = off + ((b[off] & 0x0f) << 2);
  const end = off + rd16(b, off + 2);
  const q = t + 8;
  if (end > b.length || q + 20 > end) return false;
  const qhl = (b[q] & 0x0f) << 2;
  if (q + qhl + 8 > end) return false;
  const oldHi = rd16(b, q + 12);
  const oldLo = rd16(b, q + 14);
  wr16(b, q + 12, addr >>> 16);
  wr16(b, q + 14, addr & 0xffff);
  wr16(b, q + IP_SUM, checksumAdjust(checksumAdjust(rd16(b, q + IP_SUM), oldHi, addr >>> 16), oldLo, addr & 0xffff));
  const qt = q + qhl;
  if (b[q + 9] === IP_PROTO.ICMP) wr16(b, qt + 4, portOrId);
  else wr16(b, qt, portOrId);
  wr16(b, t + ICMP_SUM, 0);
  wr16(b, t + ICMP_SUM, internetChecksum(b, t, end - t));
  return true;
}
