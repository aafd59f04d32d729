import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeAdd, routeDelete, routeList, routeLookup } from '../../src/emulator/stack/index';
import { routeFind } from '../../src/emulator/stack/route';
import { ip, TestNet } from './harness';

function router(): TestNet {
  const n = new TestNet();
  n.add('r', true, 2);
  n.addr('r', 'eth0', '10.0.0.1/24');
  n.addr('r', 'eth1', '10.0.1.1/24');
  return n;
}

function mask(len: number): number {
  return len === 0 ? 0 : (0xffff_ffff << (32 - len)) >>> 0;
}

describe('routing table', () => {
  it('lists connected, local and static routes with FreeBSD flags', () => {
    const n = router();
    const s = n.get('r');
    expect(routeAdd(s, { dest: 0, prefixLen: 0, gateway: ip('10.0.0.254') })).toEqual({ ok: true });
    expect(routeAdd(s, { dest: ip('192.168.5.0'), prefixLen: 24, iface: 'eth1' })).toEqual({ ok: true });
    const rows = routeList(s).map((r) => `${r.prefixLen === 0 ? 'default' : `${r.dest}/${r.prefixLen}`} ${r.gatewayText} ${r.flags} ${r.iface}`);
    expect(rows).toEqual([
      'default 10.0.0.254 UGS eth0',
      `${ip('10.0.0.0')}/24 link#1 U eth0`,
      // A local host route leaves by lo0; its gateway is the link that owns the address (FreeBSD).
      `${ip('10.0.0.1')}/32 link#1 UHS lo0`,
      `${ip('10.0.1.0')}/24 link#2 U eth1`,
      `${ip('10.0.1.1')}/32 link#2 UHS lo0`,
      `${ip('127.0.0.1')}/32 link#3 UH lo0`,
      `${ip('192.168.5.0')}/24 link#2 US eth1`,
    ]);
  });

  it('reports route add/delete errors like route(8)', () => {
    const s = router().get('r');
    const off = routeAdd(s, { dest: ip('172.16.0.0'), prefixLen: 16, gateway: ip('10.9.9.9') });
    expect(off).toMatchObject({ ok: false, errno: 'ENETUNREACH' });
    expect(routeAdd(s, { dest: ip('172.16.0.0'), prefixLen: 16, gateway: ip('10.0.0.9') }).ok).toBe(true);
    const dup = routeAdd(s, { dest: ip('172.16.0.0'), prefixLen: 16, gateway: ip('10.0.1.9') });
    expect(dup).toMatchObject({ ok: false, errno: 'EEXIST' });
    if (!dup.ok) expect(dup.message).toContain('route already in table');
    const del = routeDelete(s, { dest: ip('172.17.0.0'), prefixLen: 16 });
    expect(del).toMatchObject({ ok: false, errno: 'ESRCH' });
    if (!del.ok) expect(del.message).toContain('not in table');
    expect(routeDelete(s, { dest: ip('172.16.0.0'), prefixLen: 16 }).ok).toBe(true);
    expect(routeAdd(s, { dest: 0, prefixLen: 0, iface: 'eth7' })).toMatchObject({ ok: false, errno: 'ENXIO' });
  });

  it('route get explains every matching prefix and picks the longest', () => {
    const n = router();
    const s = n.get('r');
    routeAdd(s, { dest: 0, prefixLen: 0, gateway: ip('10.0.0.254') });
    routeAdd(s, { dest: ip('10.0.1.128'), prefixLen: 25, gateway: ip('10.0.0.7') });
    const r = routeLookup(s, ip('10.0.1.200'));
    expect(r?.route.prefixLen).toBe(25);
    expect(r?.gateway).toBe(ip('10.0.0.7'));
    expect(r?.iface).toBe('eth0');
    expect(r?.explanation).toHaveLength(4);
    expect(r?.explanation[3]).toMatch(/chosen: 10\.0\.1\.128\/25/);
    expect(routeLookup(s, ip('10.0.1.5'))?.gateway).toBe(ip('10.0.1.5'));
    routeDelete(s, { dest: 0, prefixLen: 0 });
    expect(routeLookup(s, ip('8.8.8.8'))).toBeNull();
  });

  it('longest-prefix match agrees with a brute-force reference on random tables', () => {
    const prefix = fc.record({ addr: fc.nat({ max: 0xffff_ffff }), len: fc.integer({ min: 0, max: 32 }) });
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 40 }), fc.array(fc.nat({ max: 0xffff_ffff }), { minLength: 1, maxLength: 40 }), (prefixes, probes) => {
        const n = new TestNet();
        n.add('r', true, 1);
        n.addr('r', 'eth0', '10.0.0.1/8');
        const s = n.get('r');
        const ref: { dest: number; len: number }[] = [];
        for (const p of prefixes) {
          const dest = (p.addr & mask(p.len)) >>> 0;
          if (routeAdd(s, { dest, prefixLen: p.len, iface: 'eth0' }).ok) ref.push({ dest, len: p.len });
        }
        for (const r of routeList(s)) if (!ref.some((x) => x.dest === r.dest && x.len === r.prefixLen)) ref.push({ dest: r.dest, len: r.prefixLen });
        // also mix in probes near the prefixes
        const all = probes.concat(ref.map((r) => (r.dest | 1) >>> 0));
        for (const d of all) {
          let best: { dest: number; len: number } | null = null;
          for (const r of ref) if (((d & mask(r.len)) >>> 0) === r.dest && (!best || r.len > best.len)) best = r;
          const got = routeFind(s, d);
          expect(got === null ? null : [got.dest, got.prefixLen]).toEqual(best === null ? null : [best.dest, best.len]);
          // cached answer is the same
          const again = routeFind(s, d);
          expect(again).toBe(got);
        }
      }),
      { numRuns: 100 },
    );
  });
});
