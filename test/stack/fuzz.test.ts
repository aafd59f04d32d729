import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etherInput } from '../../src/emulator/stack/index';
import { hostRouterHost } from './harness';
import { sendEcho } from './helpers';
import { ip } from './harness';

describe('garbage input', () => {
  it('random frames never throw and every discard has a reason', () => {
    const n = hostRouterHost();
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 0);
    n.run(1_000_000_000);
    const r1 = n.get('r1');
    const mac = r1.ifaces[0].mac;
    const macBytes = [Math.floor(mac / 2 ** 40) & 0xff, Math.floor(mac / 2 ** 32) & 0xff, (mac >>> 24) & 0xff, (mac >>> 16) & 0xff, (mac >>> 8) & 0xff, mac & 0xff];
    const header = fc.constantFrom(
      [...macBytes, 0x42, 0, 0xaa, 0, 0, 1, 0x08, 0x00],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x42, 0, 0xaa, 0, 0, 1, 0x08, 0x06],
      [...macBytes, 0x42, 0, 0xaa, 0, 0, 1, 0x81, 0x00, 0, 5, 0x08, 0x00],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x42, 0, 0xaa, 0, 0, 1, 0x08, 0x00],
    );
    // Bodies that start like IPv4 headers so deeper code paths get exercised too.
    const ipLike = fc.tuple(fc.integer({ min: 0x40, max: 0x4f }), fc.uint8Array({ maxLength: 120 })).map(([v, rest]) => Uint8Array.from([v, ...rest]));
    const body = fc.oneof(fc.uint8Array({ maxLength: 200 }), ipLike);
    fc.assert(
      fc.property(fc.oneof(header, fc.constant([] as number[])), body, fc.integer({ min: 0, max: 2 }), (h, b, ifIndex) => {
        const frame = Uint8Array.from([...h, ...b]);
        expect(() => etherInput(r1, ifIndex, frame)).not.toThrow();
        expect(() => n.run(2_000_000)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
    expect(n.drops.every((d) => typeof d.reason === 'string' && d.reason.length > 0)).toBe(true);
    expect(n.drops.length).toBeGreaterThan(100);
  });

  it('valid-checksum IPv4 headers with random fields and payloads never throw', () => {
    const n = hostRouterHost();
    const r1 = n.get('r1');
    const pc2 = n.get('pc2');
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 15 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom(1, 17, 6, 99),
        fc.constantFrom(ip('10.0.1.20'), ip('10.0.0.1'), ip('10.0.1.255'), ip('255.255.255.255'), ip('8.8.8.8')),
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        (ihl, ttl, flags, proto, dst, rest) => {
          const hl = ihl * 4;
          const total = hl + rest.length;
          const f = new Uint8Array(14 + Math.max(total, 46));
          f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x42, 0, 0xaa, 0, 0, 1, 8, 0]);
          const o = 14;
          f[o] = 0x40 | ihl;
          f[o + 2] = total >> 8;
          f[o + 3] = total & 0xff;
          f[o + 6] = flags >> 8;
          f[o + 7] = flags & 0xff;
          f[o + 8] = ttl;
          f[o + 9] = proto;
          f.set([10, 0, 0, 20], o + 12);
          f.set([dst >>> 24, (dst >>> 16) & 255, (dst >>> 8) & 255, dst & 255], o + 16);
          f.set(rest, o + hl);
          let sum = 0;
          for (let i = 0; i < hl; i += 2) sum += (f[o + i] << 8) | f[o + i + 1];
          while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
          const c = ~sum & 0xffff;
          f[o + 10] = c >> 8;
          f[o + 11] = c & 0xff;
          expect(() => etherInput(r1, 0, f)).not.toThrow();
          expect(() => etherInput(pc2, 0, f)).not.toThrow();
          expect(() => n.run(40_000_000_000)).not.toThrow();
        },
      ),
      { numRuns: 1500 },
    );
  });
});
