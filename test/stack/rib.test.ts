// The routing-table API daemons use (stack/rib.ts): origins, administrative distance,
// install time, withdraw of one's own routes only, and netstat's RTF_PROTO1 flag.
import { describe, expect, it } from 'vitest';
import { ribFlush, ribInstall, ribWithdraw, routeAdd, routeList } from '../../src/emulator/stack/index';
import { routeFind } from '../../src/emulator/stack/route';
import { ip, TestNet } from './harness';

function router(): TestNet {
  const n = new TestNet();
  n.add('r', true, 2);
  n.addr('r', 'eth0', '10.0.0.1/24');
  n.addr('r', 'eth1', '10.0.1.1/24');
  return n;
}

const row = (n: TestNet, dest: string) => routeList(n.get('r')).find((r) => r.dest === ip(dest));

describe('routing-table API for daemons', () => {
  it('installs a RIP route as UG1 with its origin, metric and install time', () => {
    const n = router();
    n.run(5e9);
    expect(ribInstall(n.get('r'), { dest: ip('10.0.8.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip', metric: 2 })).toEqual({ ok: true });
    expect(row(n, '10.0.8.0')).toMatchObject({ flags: 'UG1', kind: 'rip', installedNs: 5e9, iface: 'eth1' });
    expect(routeFind(n.get('r'), ip('10.0.8.7'))?.gateway).toBe(ip('10.0.1.2'));
  });

  it('replacing with the same next hop keeps the age; a new next hop renews it', () => {
    const n = router();
    const s = n.get('r');
    const r = { dest: ip('10.0.8.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip' as const, metric: 2 };
    ribInstall(s, r);
    n.run(30e9);
    ribInstall(s, r);
    expect(row(n, '10.0.8.0')?.installedNs).toBe(0);
    ribInstall(s, { ...r, gateway: ip('10.0.0.9'), metric: 3 });
    expect(row(n, '10.0.8.0')).toMatchObject({ installedNs: 30e9, gateway: ip('10.0.0.9'), iface: 'eth0' });
  });

  it('never overrides connected or static routes, and a better protocol wins over RIP', () => {
    const n = router();
    const s = n.get('r');
    expect(ribInstall(s, { dest: ip('10.0.0.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip', metric: 1 })).toMatchObject({ ok: false, errno: 'EEXIST' });
    routeAdd(s, { dest: ip('172.16.0.0'), prefixLen: 16, gateway: ip('10.0.0.5') });
    expect(ribInstall(s, { dest: ip('172.16.0.0'), prefixLen: 16, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'ospf', metric: 10 })).toMatchObject({ ok: false });
    ribInstall(s, { dest: ip('10.0.9.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip', metric: 3 });
    expect(ribInstall(s, { dest: ip('10.0.9.0'), prefixLen: 24, gateway: ip('10.0.0.3'), ifIndex: -1, origin: 'ospf', metric: 20 })).toEqual({ ok: true });
    expect(row(n, '10.0.9.0')).toMatchObject({ kind: 'ospf', flags: 'UG1' });
    expect(ribInstall(s, { dest: ip('10.0.9.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip', metric: 3 })).toMatchObject({ ok: false });
  });

  it('withdraws only its own origin; flush removes all of one origin', () => {
    const n = router();
    const s = n.get('r');
    routeAdd(s, { dest: ip('172.16.0.0'), prefixLen: 16, gateway: ip('10.0.0.5') });
    expect(ribWithdraw(s, ip('172.16.0.0'), 16, 'rip')).toMatchObject({ ok: false, errno: 'ESRCH' });
    expect(row(n, '172.16.0.0')?.kind).toBe('static');
    ribInstall(s, { dest: ip('10.0.8.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip', metric: 2 });
    ribInstall(s, { dest: ip('10.0.7.0'), prefixLen: 24, gateway: ip('10.0.1.2'), ifIndex: -1, origin: 'rip', metric: 2 });
    expect(ribWithdraw(s, ip('10.0.8.0'), 24, 'rip')).toEqual({ ok: true });
    expect(routeFind(s, ip('10.0.8.1'))).toBeNull();
    expect(ribFlush(s, 'rip')).toBe(1);
    expect(routeList(s).filter((r) => r.kind === 'rip')).toEqual([]);
  });

  it('refuses a gateway that is not on a connected subnet', () => {
    const s = router().get('r');
    expect(ribInstall(s, { dest: ip('10.0.8.0'), prefixLen: 24, gateway: ip('192.168.1.1'), ifIndex: -1, origin: 'rip', metric: 2 })).toMatchObject({ ok: false, errno: 'ENETUNREACH' });
  });
});
