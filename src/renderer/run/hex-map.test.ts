import { describe, expect, it } from 'vitest';
import { fieldAtPath, fieldPathAt, findField, formatHexDump, hexRows, highlightRange, type FieldNode } from './hex-map';

const tree: FieldNode[] = [
  { name: 'Ethernet II', value: '', offset: 0, length: 14, children: [
    { name: 'Destination', value: 'ff:ff:ff:ff:ff:ff', offset: 0, length: 6 },
    { name: 'Source', value: '42:00:aa:00:00:01', offset: 6, length: 6 },
    { name: 'Type', value: 'IPv4 (0x0800)', offset: 12, length: 2 },
  ] },
  { name: 'Internet Protocol Version 4', value: '', offset: 14, length: 20, children: [
    { name: 'Time to Live', value: '64', offset: 22, length: 1 },
    { name: 'Source Address', value: '10.0.0.20', offset: 26, length: 4 },
  ] },
];

describe('hex map', () => {
  it('splits bytes into 16-byte rows', () => {
    const bytes = new Uint8Array(40).map((_, i) => i);
    const rows = hexRows(bytes);
    expect(rows.map((r) => r.label)).toEqual(['0000', '0010', '0020']);
    expect(rows[2]!.bytes).toEqual([32, 33, 34, 35, 36, 37, 38, 39]);
    expect(formatHexDump(new Uint8Array([0x45, 0x41, 0x00])).startsWith('0000  45 41 00')).toBe(true);
    expect(formatHexDump(new Uint8Array([0x45, 0x41, 0x00])).endsWith('EA.')).toBe(true);
  });
  it('finds the deepest field at a byte', () => {
    expect(fieldPathAt(tree, 7)).toEqual([0, 1]);
    expect(fieldPathAt(tree, 22)).toEqual([1, 0]);
    expect(fieldPathAt(tree, 16)).toEqual([1]);
    expect(fieldPathAt(tree, 99)).toBeNull();
    expect(fieldAtPath(tree, [1, 1])!.value).toBe('10.0.0.20');
    expect(fieldAtPath(tree, [3])).toBeNull();
  });
  it('highlights a field\'s bytes, clamped to the frame', () => {
    expect(highlightRange(fieldAtPath(tree, [1, 1]), 60)).toEqual([26, 30]);
    expect(highlightRange(fieldAtPath(tree, [1, 1]), 28)).toEqual([26, 28]);
    expect(highlightRange(null, 10)).toBeNull();
    expect(findField(tree, 'time to live')!.offset).toBe(22);
  });
});
