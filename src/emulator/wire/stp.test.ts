// BPDUs: a byte fixture of an RST BPDU as FreeBSD's bridgestp sends it (802.1D-2004 §9.3.3
// layout), round trips of random BPDUs, TCN, and the reasons a frame is not a BPDU.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './hex';
import { BPDU_FLAG, BPDU_TYPE, buildBpduFrame, compareBridgeId, formatBpdu, isBpduFrame, parseBpdu, type BpduRepr } from './stp';

// 802.3 to 01:80:c2:00:00:00 from 42:00:aa:00:00:01, length 39, LLC 42 42 03, RST BPDU:
// flags 0x3c (designated, learning, forwarding), root 32768/42:00:aa:00:00:01 cost 0,
// bridge the same, port 0x8001, ages 0/20/2/15 s, version-1 length 0; padded to 60.
const RST_HEX = '0180c2000000' + '4200aa000001' + '0027' + '424203' + '0000' + '02' + '02' + '3c' + '80004200aa000001' + '00000000' + '80004200aa000001' + '8001' + '0000' + '1400' + '0200' + '0f00' + '00' + '00'.repeat(60 - 53);

const RST: BpduRepr = { version: 2, type: BPDU_TYPE.RST, flags: 0x3c, root: { prio: 32768, mac: 0x4200aa000001 }, rootCost: 0, bridge: { prio: 32768, mac: 0x4200aa000001 }, portId: 0x8001, msgAge: 0, maxAge: 20 * 256, hello: 2 * 256, fwdDelay: 15 * 256 };

describe('stp', () => {
  it('parses and emits an RST BPDU byte for byte', () => {
    const bytes = hexToBytes(RST_HEX)!;
    expect(isBpduFrame(bytes)).toBe(true);
    expect(parseBpdu(bytes, 0, bytes.length)).toEqual(RST);
    expect(bytesToHex(buildBpduFrame(RST, 0x4200aa000001))).toBe(RST_HEX);
    expect(formatBpdu(RST)).toBe('RST. Root = 32768/0/42:00:aa:00:00:01  Cost = 0  Port = 0x8001');
    expect(formatBpdu({ ...RST, flags: RST.flags | BPDU_FLAG.TC })).toBe('RST. TC + Root = 32768/0/42:00:aa:00:00:01  Cost = 0  Port = 0x8001');
  });

  it('a TCN is four bytes; a config BPDU 35', () => {
    const tcn = buildBpduFrame({ ...RST, version: 0, type: BPDU_TYPE.TCN }, 1);
    expect(bytesToHex(tcn.subarray(12, 21))).toBe('0007' + '424203' + '00000080');
    expect(parseBpdu(tcn, 0, tcn.length)).toMatchObject({ type: BPDU_TYPE.TCN });
    const conf = buildBpduFrame({ ...RST, version: 0, type: BPDU_TYPE.CONFIG, flags: BPDU_FLAG.TC }, 1);
    expect(bytesToHex(conf.subarray(12, 14))).toBe('0026');
    expect(parseBpdu(conf, 0, conf.length)).toEqual({ ...RST, version: 0, type: BPDU_TYPE.CONFIG, flags: BPDU_FLAG.TC });
  });

  it('says why a frame is not a BPDU', () => {
    expect(parseBpdu(new Uint8Array(10), 0, 10)).toBe('truncated');
    const ip = hexToBytes(RST_HEX)!;
    ip[12] = 0x08;
    ip[13] = 0x00;
    expect(isBpduFrame(ip)).toBe(false);
    expect(parseBpdu(ip, 0, ip.length)).toBe('not-llc-stp');
    const bad = hexToBytes(RST_HEX)!;
    bad[17] = 1;
    expect(parseBpdu(bad, 0, bad.length)).toBe('bad-protocol');
    expect(parseBpdu(bad.subarray(0, 40), 0, 40)).toBe('bad-protocol');
    expect(parseBpdu(hexToBytes(RST_HEX)!.subarray(0, 40), 0, 40)).toBe('bad-length');
  });

  it('orders bridge ids by priority, then MAC', () => {
    expect(compareBridgeId({ prio: 4096, mac: 9 }, { prio: 32768, mac: 1 })).toBe(-1);
    expect(compareBridgeId({ prio: 32768, mac: 2 }, { prio: 32768, mac: 1 })).toBe(1);
    expect(compareBridgeId({ prio: 1, mac: 1 }, { prio: 1, mac: 1 })).toBe(0);
  });

  it('round-trips any config or RST BPDU', () => {
    const id = fc.record({ prio: fc.integer({ min: 0, max: 0xffff }), mac: fc.integer({ min: 0, max: 2 ** 48 - 1 }) });
    const u16 = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.constantFrom(BPDU_TYPE.CONFIG, BPDU_TYPE.RST), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), id, fc.nat({ max: 0xffffffff }), id, u16, u16, u16, u16, u16, (type, version, flags, root, rootCost, bridge, portId, msgAge, maxAge, hello, fwdDelay) => {
        const r: BpduRepr = { version, type, flags, root, rootCost, bridge, portId, msgAge, maxAge, hello, fwdDelay };
        const f = buildBpduFrame(r, 0x020000000001);
        expect(parseBpdu(f, 0, f.length)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });
});
