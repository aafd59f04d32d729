// Hex dump rows and the mapping between decoded fields and byte ranges for the capture
// inspector (select a field → highlight its bytes; click a byte → select the deepest field).
// Pure; the field tree comes from wire/decode.ts's decodeFrame.
import type { DecodedField } from '../../emulator/wire/decode-field';

/** One decoded field: wire/decode's tree node. */
export type FieldNode = DecodedField;

export interface HexRow {
  offset: number;
  /** `0000` style offset label. */
  label: string;
  bytes: number[];
}

export const BYTES_PER_ROW = 16;

/** Rows of `bytes`; labels count from `startOffset` (a followed stream's position) with `labelDigits` hex digits. */
export function hexRows(bytes: Uint8Array, startOffset = 0, labelDigits = 4): HexRow[] {
  const rows: HexRow[] = [];
  for (let off = 0; off < bytes.length; off += BYTES_PER_ROW) {
    rows.push({
      offset: off,
      label: (startOffset + off).toString(16).padStart(labelDigits, '0'),
      bytes: Array.from(bytes.subarray(off, Math.min(off + BYTES_PER_ROW, bytes.length))),
    });
  }
  return rows;
}

export function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function asciiByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** Plain-text dump (for copy and tests): `0000  45 00 …  E.…`. */
export function formatHexDump(bytes: Uint8Array, startOffset = 0, labelDigits = 4): string {
  return hexRows(bytes, startOffset, labelDigits)
    .map((r) => {
      const hex = r.bytes.map(hexByte).join(' ').padEnd(BYTES_PER_ROW * 3 - 1, ' ');
      return `${r.label}  ${hex}  ${r.bytes.map(asciiByte).join('')}`;
    })
    .join('\n');
}

/** Path of indices from the root list to a field, e.g. [1, 0] = second layer, first field. */
export type FieldPath = number[];

export function fieldAtPath(tree: FieldNode[], path: FieldPath): FieldNode | null {
  let list: FieldNode[] | undefined = tree;
  let node: FieldNode | null = null;
  for (const i of path) {
    node = list?.[i] ?? null;
    if (!node) return null;
    list = node.children;
  }
  return node;
}

/** Deepest field whose byte range covers `offset` (prefers the smallest range). */
export function fieldPathAt(tree: FieldNode[], offset: number): FieldPath | null {
  let best: FieldPath | null = null;
  const visit = (list: FieldNode[], prefix: FieldPath) => {
    list.forEach((f, i) => {
      if (f.length > 0 && offset >= f.offset && offset < f.offset + f.length) {
        best = [...prefix, i];
        if (f.children) visit(f.children, best);
      }
    });
  };
  visit(tree, []);
  return best;
}

/** Byte range [start, end) to highlight for a selected field, clamped to the frame. */
export function highlightRange(field: FieldNode | null, frameLength: number): [number, number] | null {
  if (!field || field.length <= 0) return null;
  const start = Math.max(0, Math.min(field.offset, frameLength));
  const end = Math.max(start, Math.min(field.offset + field.length, frameLength));
  return end > start ? [start, end] : null;
}

/** Searches the tree for a field by name (case-insensitive, depth first); for tests and links. */
export function findField(tree: FieldNode[], name: string): FieldNode | null {
  const lower = name.toLowerCase();
  for (const f of tree) {
    if (f.name.toLowerCase() === lower) return f;
    const inner = f.children ? findField(f.children, name) : null;
    if (inner) return inner;
  }
  return null;
}
