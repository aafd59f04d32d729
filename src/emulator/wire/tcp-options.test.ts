import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from './hex';
import { emitTcpOptions, formatTcpOptions, parseTcpOptions, tcpOptionsLen, type TcpOptions } from './tcp-options';

// Option bytes of a FreeBSD 14 SYN (tcpdump: mss 1460,nop,wscale 6,sackOK,TS val 1234 ecr 0).
const FREEBSD_SYN = '020405b4010303060402080a000004d200000000';

describe('tcp options', () => {
  it('emits a SYN with FreeBSD layout byte for byte', () => {
    const o: TcpOptions = { mss: 1460, wscale: 6, sackPermitted: true, tsVal: 1234, tsEcr: 0 };
    expect(Buffer.from(emitTcpOptions(o)).toString('hex')).toBe(FREEBSD_SYN);
    expect(parseTcpOptions(hexToBytes(FREEBSD_SYN)!, 0, 20)).toEqual({ options: o });
    expect(formatTcpOptions(o)).toBe('mss 1460,wscale 6,sackOK,TS val 1234 ecr 0');
  });

  it('aligns timestamps and SACK blocks with NOPs as FreeBSD does', () => {
    expect(Buffer.from(emitTcpOptions({ tsVal: 1, tsEcr: 2 })).toString('hex')).toBe('0101080a0000000100000002');
    const sack = emitTcpOptions({ tsVal: 1, tsEcr: 2, sack: [{ left: 10, right: 20 }] });
    expect(Buffer.from(sack).toString('hex')).toBe('0101080a00000001000000020101050a0000000a00000014');
    // Four blocks do not fit next to a timestamp: three are sent.
    const four = [1, 2, 3, 4].map((k) => ({ left: k * 100, right: k * 100 + 50 }));
    const p = parseTcpOptions(emitTcpOptions({ tsVal: 1, tsEcr: 0, sack: four }), 0, 40);
    expect(p.options.sack).toEqual(four.slice(0, 3));
    expect(tcpOptionsLen({ tsVal: 1, tsEcr: 0, sack: four })).toBe(40);
  });

  it('names the option that stopped the parse and keeps the earlier ones', () => {
    expect(parseTcpOptions(hexToBytes('020405b4020300')!, 0, 7)).toEqual({ options: { mss: 1460 }, error: 'bad-option-length' });
    expect(parseTcpOptions(hexToBytes('020405b4080a0000')!, 0, 8)).toEqual({ options: { mss: 1460 }, error: 'truncated-option' });
    expect(parseTcpOptions(hexToBytes('0201')!, 0, 2)).toEqual({ options: {}, error: 'bad-option-length' });
    expect(parseTcpOptions(hexToBytes('02')!, 0, 1)).toEqual({ options: {}, error: 'truncated-option' });
    // Unknown kinds are skipped by length; EOL ends the list.
    expect(parseTcpOptions(hexToBytes('fe04000001030307000000')!, 0, 11)).toEqual({ options: { wscale: 7 } });
  });

  it('round-trips emit∘parse (property)', () => {
    const u32 = fc.nat(0xffffffff);
    const arb = fc.record(
      {
        mss: fc.nat(0xffff),
        wscale: fc.nat(14),
        sackPermitted: fc.constant(true),
        tsVal: u32,
        tsEcr: u32,
        sack: fc.array(fc.record({ left: u32, right: u32 }), { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(arb, (o) => {
        if (o.tsVal === undefined) delete o.tsEcr;
        else o.tsEcr ??= 0;
        const bytes = emitTcpOptions(o);
        expect(bytes.length % 4).toBe(0);
        expect(bytes.length).toBeLessThanOrEqual(40);
        const back = parseTcpOptions(bytes, 0, bytes.length);
        expect(back.error).toBeUndefined();
        // SACK blocks beyond the 40 option bytes are left out, never cut in half.
        const sent = back.options.sack;
        if (o.sack !== undefined) expect(o.sack.slice(0, sent?.length ?? 0)).toEqual(sent ?? []);
        expect({ ...back.options, sack: undefined }).toEqual({ ...o, sack: undefined });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws or reads outside its range on garbage (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), fc.integer({ min: -4, max: 64 }), fc.integer({ min: -4, max: 64 }), (b, off, len) => {
        const reads: number[] = [];
        const spy = new Proxy(b, {
          get(t, k) {
            if (typeof k === 'string' && /^\d+$/.test(k)) reads.push(Number(k));
            const v = Reflect.get(t, k, t);
            return typeof v === 'function' ? v.bind(t) : v;
          },
        });
        parseTcpOptions(spy, off, len);
        const lo = Math.max(off, 0);
        const hi = Math.min(off + Math.max(len, 0), b.length);
        expect(reads.filter((i) => i < lo || i >= hi)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});
