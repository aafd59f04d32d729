import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './hex';
import { buildTcp, emitTcp, formatTcp, parseTcp, TCP_FLAG, TcpView, tcpFlagsText, type TcpRepr } from './tcp';

const A = 0x0a000014;
const B = 0x0a000114;

describe('tcp', () => {
  it('emits a SYN whose checksum verifies and whose fields parse back', () => {
    const mss = Uint8Array.of(2, 4, 0x05, 0xb4);
    const seg = buildTcp({ srcPort: 49152, dstPort: 80, seq: 1000, ack: 0, flags: TCP_FLAG.SYN, window: 65535, urgent: 0, options: mss, payload: new Uint8Array(0) }, A, B);
    expect(seg.length).toBe(24);
    expect(bytesToHex(seg.subarray(0, 16))).toBe('c0000050' + '000003e8' + '00000000' + '6002ffff');
    const v = new TcpView(seg, 0);
    expect(v.headerLen).toBe(24);
    expect(v.checksumValid(A, B, seg.length)).toBe(true);
    expect(v.checksumValid(A, B + 1, seg.length)).toBe(false);
    const r = parseTcp(seg, 0, seg.length, A, B)!;
    expect(formatTcp(r)).toBe('49152 → 80 [SYN] Seq=1000 Win=65535 Len=0');
    expect(r.options).toEqual(mss);
  });

  it('rejects truncation, bad data offsets and bad checksums', () => {
    const seg = buildTcp({ srcPort: 1, dstPort: 2, seq: 0, ack: 0, flags: 0, window: 0, urgent: 0, payload: Uint8Array.of(1, 2, 3) }, A, B);
    expect(parseTcp(seg, 0, 19)).toBeNull();
    const bad = hexToBytes('0001 0002 00000000 00000000 4000 0000 0000 0000')!; // data offset 16
    expect(parseTcp(bad, 0, bad.length)).toBeNull();
    seg[21] ^= 1;
    expect(parseTcp(seg, 0, seg.length, A, B)).toBeNull();
    expect(parseTcp(seg, 0, seg.length)).not.toBeNull();
  });

  it('names flags in Wireshark order', () => {
    expect(tcpFlagsText(TCP_FLAG.SYN | TCP_FLAG.ACK)).toBe('SYN, ACK');
    expect(tcpFlagsText(TCP_FLAG.FIN | TCP_FLAG.PSH | TCP_FLAG.ACK)).toBe('FIN, PSH, ACK');
  });

  it('round-trips parse∘emit (property)', () => {
    const u16 = fc.integer({ min: 0, max: 0xffff });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const reprArb: fc.Arbitrary<TcpRepr> = fc.record(
      {
        srcPort: u16,
        dstPort: u16,
        seq: u32,
        ack: u32,
        flags: fc.integer({ min: 0, max: 255 }),
        window: u16,
        urgent: u16,
        options: fc.integer({ min: 1, max: 10 }).chain((w) => fc.uint8Array({ minLength: w * 4, maxLength: w * 4 })),
        payload: fc.uint8Array({ maxLength: 100 }),
      },
      { requiredKeys: ['srcPort', 'dstPort', 'seq', 'ack', 'flags', 'window', 'urgent', 'payload'] },
    );
    fc.assert(
      fc.property(reprArb, (r) => {
        const buf = new Uint8Array(60 + r.payload.length);
        const n = emitTcp(r, buf, 0, A, B);
        const back = parseTcp(buf, 0, n, A, B)!;
        expect({ ...back, payload: bytesToHex(back.payload) }).toEqual({ ...r, payload: bytesToHex(r.payload) });
      }),
    );
  });
});
