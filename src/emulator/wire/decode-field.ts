// The field tree shared by the decoders: one node per header field with its byte range,
// for a Wireshark-like detail pane and hex highlight. Building nodes only; no parsing.
// No RFC; presentation.

import { formatMac, readMac } from './addr';

export interface DecodedField {
  name: string;
  value: string;
  /** Byte offset in the frame, for hex highlight. */
  offset: number;
  length: number;
  children?: DecodedField[];
}

/**
 * The Source or Destination column of a frame by its MAC (at 6 and at 0 of the Ethernet
 * header at the frame's start): tshark shows ff:ff:ff:ff:ff:ff as Broadcast.
 */
export function macColumn(frame: Uint8Array, off: number): string {
  const mac = readMac(frame, off);
  return mac === 0xffffffffffff ? 'Broadcast' : formatMac(mac);
}

export function field(name: string, value: string | number, offset: number, length: number, children?: DecodedField[]): DecodedField {
  const f: DecodedField = { name, value: String(value), offset, length };
  if (children && children.length > 0) f.children = children;
  return f;
}

/** A field Wireshark derives rather than reads (shown in brackets: `[Stream index: 3]`). */
export function generated(name: string, value: string | number, offset: number, length: number, children?: DecodedField[]): DecodedField {
  return field(`[${name}: ${value}]`, '', offset, length, children);
}

/** A `[Malformed: …]` leaf covering the bytes that could not be dissected. */
export function malformed(reason: string, offset: number, length: number): DecodedField {
  return { name: `[Malformed: ${reason}]`, value: '', offset, length: Math.max(0, length) };
}

export function hex16(v: number): string {
  return `0x${v.toString(16).padStart(4, '0')}`;
}

export function hex8(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** `Data` leaf (Wireshark's name for undissected payload). */
export function dataLeaf(offset: number, length: number): DecodedField {
  return field('Data', `${length} byte${length === 1 ? '' : 's'}`, offset, length);
}

/** Checksum text in Wireshark's words. */
export function checksumText(value: number, ok: boolean | null, should?: number): string {
  if (ok === null) return `${hex16(value)} [unverified]`;
  if (ok) return `${hex16(value)} [correct]`;
  return `${hex16(value)} [incorrect${should === undefined ? '' : `, should be ${hex16(should)}`}]`;
}
