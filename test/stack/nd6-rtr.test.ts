// RA processing on a host (nd6-rtr.ts) fed parsed RAs directly: RFC 4861 §6.1.2 checks,
// RFC 4862 §5.5.3 prefix rules (autonomous /64 only, preferred ≤ valid, the two-hour rule),
// router lifetime 0 withdrawing the default route, and accept_rtadv gating everything.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { in6Addrs, nd6RaInput, nd6SetAcceptRtadv, route6List, type NetStack } from '../../src/emulator/stack/index';
import type { NdRepr } from '../../src/emulator/wire/icmpv6';
import { formatIpv6, parseIpv6 } from '../../src/emulator/wire/ipv6-addr';
import { builder } from '../scenarios/topologies';

const SEC = 1e9;
const ROUTER = parseIpv6('fe80::1')!;

function host(): { w: World; s: NetStack } {
  const b = builder();
  b.link(b.node('pc', 'pc1'), b.node('router', 'router1'));
  const w = new World(b.doc, { seed: 1 });
  return { w, s: w.nodeByName('pc1')!.stack! };
}

function ra(routerLifetimeS: number, prefixes: { p: string; len?: number; valid: number; preferred: number; a?: boolean }[]): NdRepr {
  return {
    curHopLimit: 64,
    routerLifetimeS,
    options: prefixes.map((x) => ({ kind: 'prefix' as const, prefixLen: x.len ?? 64, onLink: true, autonomous: x.a ?? true, validLifetimeS: x.valid, preferredLifetimeS: x.preferred, prefix: parseIpv6(x.p)! })),
  };
}

const globals = (s: NetStack) => in6Addrs(s, 0).filter((a) => !a.linkLocal).map((a) => formatIpv6(a.addr));
const defaults = (s: NetStack) => route6List(s).filter((r) => r.destText === 'default').map((r) => `${r.gatewayText} ${r.flags}`);

describe('RA input on a host', () => {
  it('is ignored without accept_rtadv, with a hop limit other than 255, or from a non-link-local source', () => {
    const { s } = host();
    nd6RaInput(s, 0, ROUTER, 255, ra(1800, [{ p: 'fc00:1::', valid: 3600, preferred: 1800 }]));
    expect(s.inet6?.rtr).toBeUndefined();
    nd6SetAcceptRtadv(s, 'eth0', true);
    nd6RaInput(s, 0, ROUTER, 254, ra(1800, [{ p: 'fc00:1::', valid: 3600, preferred: 1800 }]));
    nd6RaInput(s, 0, parseIpv6('fc00::1')!, 255, ra(1800, [{ p: 'fc00:1::', valid: 3600, preferred: 1800 }]));
    expect(globals(s)).toEqual([]);
    expect(defaults(s)).toEqual([]);
  });

  it('a dual-stack stack carries no RA state, not even a null field (idle size unchanged)', () => {
    const b = builder();
    const pc = b.node('pc', 'pc1');
    b.link(pc, b.node('pc', 'pc2'));
    pc.interfaces.filter((i) => i.type !== 'lo')[0].ipv6 = ['fc00::20/64'];
    const s = new World(b.doc, { seed: 1 }).nodeByName('pc1')!.stack!;
    expect(s.inet6).not.toBeNull();
    expect('rtr' in s.inet6!).toBe(false);
  });

  it('forms addresses only for autonomous /64 prefixes with preferred ≤ valid; lifetime 0 withdraws the router', () => {
    const { w, s } = host();
    nd6SetAcceptRtadv(s, 'eth0', true);
    nd6RaInput(
      s,
      0,
      ROUTER,
      255,
      ra(1800, [
        { p: 'fc00:1::', valid: 3600, preferred: 1800 },
        { p: 'fc00:2::', len: 48, valid: 3600, preferred: 1800 },
        { p: 'fc00:3::', valid: 100, preferred: 200 },
        { p: 'fc00:4::', valid: 3600, preferred: 1800, a: false },
        { p: 'fe80::', valid: 3600, preferred: 1800 },
      ]),
    );
    expect(globals(s)).toEqual(['fc00:1::4000:aaff:fe00:1']);
    expect(defaults(s)).toEqual(['fe80::1%eth0 UG']);
    w.sim.runUntil(w.sim.now() + 10 * SEC);
    nd6RaInput(s, 0, ROUTER, 255, ra(0, []));
    expect(defaults(s)).toEqual([]);
    expect(globals(s)).toEqual(['fc00:1::4000:aaff:fe00:1']);
  });

  it('the two-hour rule: a short valid lifetime cannot cut a long one below two hours, nor a short one at all', () => {
    const { w, s } = host();
    nd6SetAcceptRtadv(s, 'eth0', true);
    nd6RaInput(s, 0, ROUTER, 255, ra(0, [{ p: 'fc00:1::', valid: 86400, preferred: 3600 }]));
    const a = s.inet6!.rtr!.autoconf[0];
    nd6RaInput(s, 0, ROUTER, 255, ra(0, [{ p: 'fc00:1::', valid: 60, preferred: 30 }]));
    expect(a.validUntilNs - w.sim.now()).toBe(7200 * SEC);
    expect(a.preferredUntilNs - w.sim.now()).toBe(30 * SEC);
    nd6RaInput(s, 0, ROUTER, 255, ra(0, [{ p: 'fc00:1::', valid: 60, preferred: 30 }]));
    expect(a.validUntilNs - w.sim.now()).toBe(7200 * SEC);
    // A longer one is taken as it is.
    nd6RaInput(s, 0, ROUTER, 255, ra(0, [{ p: 'fc00:1::', valid: 10000, preferred: 30 }]));
    expect(a.validUntilNs - w.sim.now()).toBe(10000 * SEC);
    w.sim.runUntil(w.sim.now() + 10001 * SEC);
    expect(globals(s)).toEqual([]);
  });
});
