import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCidr,
  formatIpv4,
  formatMac,
  isMulticastMac,
  maskToPrefixLen,
  parseCidr,
  parseIpv4,
  parseMac,
  prefixMask,
  readMac,
  writeMac,
} from './addr';

describe('addr', () => {
  it('parses and formats IPv4', () => {
    expect(parseIpv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIpv4(0xc0a80001)).toBe('192.168.0.1');
    for (const bad of ['10.0.0', '10.0.0.256', '1.2.3.4.5', '01.2.3.4', 'a.b.c.d', '', '1..2.3']) {
      expect(parseIpv4(bad)).toBeNull();
    }
  });

  it('parses and formats MACs', () => {
    expect(parseMac('42:00:aa:00:00:01')).toBe(0x4200aa000001);
    expect(formatMac(0x4200aa000001)).toBe('42:00:aa:00:00:01');
    expect(formatMac(0xffffffffffff)).toBe('ff:ff:ff:ff:ff:ff');
    expect(parseMac('42:00:aa:00:00')).toBeNull();
    expect(parseMac('42:00:aa:00:00:zz')).toBeNull();
    expect(isMulticastMac(0xffffffffffff)).toBe(true);
    expect(isMulticastMac(0x4200aa000001)).toBe(false);
  });

  it('prefix masks and CIDR', () => {
    expect(prefixMask(0)).toBe(0);
    expect(prefixMask(24)).toBe(0xffffff00);
    expect(prefixMask(32)).toBe(0xffffffff);
    expect(maskToPrefixLen(0xfffffc00)).toBe(22);
    expect(maskToPrefixLen(0xff00ff00)).toBeNull();
    expect(parseCidr('10.0.1.0/24')).toEqual({ addr: 0x0a000100, prefixLen: 24 });
    expect(parseCidr('10.0.1.7')).toEqual({ addr: 0x0a000107, prefixLen: 32 });
    expect(parseCidr('10.0.1.0/33')).toBeNull();
    expect(formatCidr(0x0a000100, 24)).toBe('10.0.1.0/24');
  });

  it('round-trips any address (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => parseIpv4(formatIpv4(n)) === n),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (n) => {
        const b = new Uint8Array(6);
        writeMac(b, 0, n);
        return parseMac(formatMac(n)) === n && readMac(b, 0) === n;
      }),
    );
  });
});
