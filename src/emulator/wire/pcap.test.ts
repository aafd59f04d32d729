import { describe, expect, it } from 'vitest';
import { bytesToHex } from './hex';
import { PcapngWriter, PcapWriter, utf8 } from './pcap';

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

describe('PcapWriter', () => {
  it('writes the ns-resolution global header and records', () => {
    const w = new PcapWriter();
    w.addPacket(3_000_000_123, Uint8Array.of(1, 2, 3));
    const b = w.toBytes();
    expect(bytesToHex(b.subarray(0, 24))).toBe('4d3cb2a1' + '02000400' + '00000000' + '00000000' + 'ffff0000' + '01000000');
    expect(dv(b).getUint32(24, true)).toBe(3); // seconds
    expect(dv(b).getUint32(28, true)).toBe(123); // nanoseconds
    expect(dv(b).getUint32(32, true)).toBe(3);
    expect(dv(b).getUint32(36, true)).toBe(3);
    expect(bytesToHex(b.subarray(40))).toBe('010203');
    expect(w.packetCount).toBe(1);
  });

  it('truncates at the snaplen but keeps the original length', () => {
    const w = new PcapWriter();
    w.addPacket(0, new Uint8Array(70_000));
    const b = w.toBytes();
    expect(dv(b).getUint32(32, true)).toBe(65535);
    expect(dv(b).getUint32(36, true)).toBe(70_000);
  });
});

describe('PcapngWriter', () => {
  it('writes SHB, IDB with if_name and if_tsresol=9, EPB with 64-bit ns time', () => {
    const w = new PcapngWriter();
    const i = w.addInterface('pc1:eth0');
    expect(i).toBe(0);
    expect(w.interfaceId('pc1:eth0')).toBe(0);
    expect(w.interfaceId('r1:eth1')).toBe(1);
    w.addPacket(1, 5_000_000_000_001, Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd, 0xee));
    const b = w.toBytes();
    const d = dv(b);
    // Walk blocks: each starts with type and length, ends with the same length.
    const blocks: { type: number; off: number; len: number }[] = [];
    for (let off = 0; off < b.length; ) {
      const len = d.getUint32(off + 4, true);
      expect(len % 4).toBe(0);
      expect(d.getUint32(off + len - 4, true)).toBe(len);
      blocks.push({ type: d.getUint32(off, true), off, len });
      off += len;
    }
    expect(blocks.map((x) => x.type)).toEqual([0x0a0d0d0a, 1, 1, 6]);
    expect(d.getUint32(8, true)).toBe(0x1a2b3c4d);
    const idb = blocks[1];
    // if_name option: code 2, length 8, "pc1:eth0"; then if_tsresol: code 9, length 1, value 9.
    expect(d.getUint16(idb.off + 16, true)).toBe(2);
    expect(d.getUint16(idb.off + 18, true)).toBe(8);
    expect(bytesToHex(b.subarray(idb.off + 20, idb.off + 28))).toBe(bytesToHex(utf8('pc1:eth0')));
    expect(d.getUint16(idb.off + 28, true)).toBe(9);
    expect(b[idb.off + 32]).toBe(9);
    const epb = blocks[3];
    expect(d.getUint32(epb.off + 8, true)).toBe(1);
    const ts = (BigInt(d.getUint32(epb.off + 12, true)) << 32n) | BigInt(d.getUint32(epb.off + 16, true));
    expect(ts).toBe(5_000_000_000_001n);
    expect(d.getUint32(epb.off + 20, true)).toBe(5);
    expect(epb.len).toBe(32 + 8); // 28 fixed + 5 data padded to 8 + trailing length
  });

  it('refuses an unknown interface id (a caller bug)', () => {
    expect(() => new PcapngWriter().addPacket(0, 0, new Uint8Array(1))).toThrow(RangeError);
  });

  it('encodes UTF-8 like TextEncoder', () => {
    for (const s of ['pc1:eth0', 'routeur-é', '路由器', '🙂']) {
      expect(bytesToHex(utf8(s))).toBe(bytesToHex(new TextEncoder().encode(s)));
    }
  });
});
