// frr.conf reading: RIP statements, sections ended by top-level statements (not by `!`
// comments), static routes, and a located problem for every statement not implemented.
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../wire/addr';
import { parseFrrConf } from './frr-conf';
import { frrNotRunning, frrProblems } from './index';

describe('frr.conf', () => {
  it('reads router bgp: router id, networks in both forms, neighbors, peer groups, weight; unknown statements are located', () => {
    const cfg = parseFrrConf(['router bgp 65003', ' no bgp ebgp-requires-policy', ' no synchronization', ' bgp router-id 192.168.200.1', ' network 192.168.200.0/24', ' network 10.10.10.0 mask 255.255.255.252', ' neighbor G peer-group', ' neighbor G remote-as 65000', ' neighbor 172.16.101.2 remote-as 65004', ' neighbor 172.16.101.2 weight 200', ' neighbor 10.0.0.9 peer-group G', ' neighbor 172.16.101.2 route-map X in', ' redistribute connected', ' redistribute isis', '!', 'router bgp 1'].join('\n'));
    const b = cfg.bgp!;
    expect([b.asn, b.routerId, b.ebgpRequiresPolicy]).toEqual([65003, parseIpv4('192.168.200.1'), false]);
    expect(b.networks).toEqual([{ addr: parseIpv4('192.168.200.0'), prefixLen: 24 }, { addr: parseIpv4('10.10.10.0'), prefixLen: 30 }]);
    expect(b.neighbors.get(parseIpv4('172.16.101.2')!)).toMatchObject({ remoteAs: 65004, weight: 200 });
    expect(b.neighbors.get(parseIpv4('10.0.0.9')!)).toMatchObject({ remoteAs: null, peerGroup: 'G' });
    expect([...b.redistribute.keys()]).toEqual(['connected']);
    expect(b.neighbors.get(parseIpv4('172.16.101.2')!)!.policy.routeMapIn).toBe('X');
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:14: "redistribute isis": redistributing isis into BGP is not implemented in VirtNet',
      'frr.conf:16: "router bgp 1": BGP is already running; AS is 65003',
    ]);
  });

  it('reads router rip with networks, redistribution, passive interfaces and timers', () => {
    const cfg = parseFrrConf(['hostname r1', '!', 'router rip', ' version 2', ' network 10.0.0.0/8', ' network eth3', ' redistribute connected', ' redistribute static metric 5', ' passive-interface eth1', ' timers basic 10 60 40', '!', 'interface eth0', ' no ip rip split-horizon', '!'].join('\n'));
    expect(cfg.problems).toEqual([]);
    const rip = cfg.rip!;
    expect(rip.networks).toEqual([{ addr: parseIpv4('10.0.0.0'), prefixLen: 8 }]);
    expect(rip.networkIfaces).toEqual(['eth3']);
    expect([...rip.redistribute]).toEqual([['connected', null], ['static', 5]]);
    expect([...rip.passive]).toEqual(['eth1']);
    expect([rip.updateS, rip.timeoutS, rip.garbageS]).toEqual([10, 60, 40]);
    expect(cfg.ripSplitHorizon.get('eth0')).toBe('none');
  });

  it('timers basic outside FRR\'s 5-2147483647 s is a located warning and keeps the timers; no timers basic restores RFC 2453\'s', () => {
    const cfg = parseFrrConf(['router rip', ' timers basic 10 60 40', ' timers basic 1 3 2', ' timers basic 10 60', ' timers basic 5 x 5', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:3: "timers basic 1 3 2": expected timers basic UPDATE TIMEOUT GARBAGE (5-2147483647 seconds each); the timers stay 10 60 40',
      'frr.conf:4: "timers basic 10 60": expected timers basic UPDATE TIMEOUT GARBAGE (5-2147483647 seconds each); the timers stay 10 60 40',
      'frr.conf:5: "timers basic 5 x 5": expected timers basic UPDATE TIMEOUT GARBAGE (5-2147483647 seconds each); the timers stay 10 60 40',
    ]);
    expect([cfg.rip!.updateS, cfg.rip!.timeoutS, cfg.rip!.garbageS]).toEqual([10, 60, 40]);
    const reset = parseFrrConf(['router rip', ' timers basic 5 15 10', ' no timers basic', '!'].join('\n')).rip!;
    expect([reset.updateS, reset.timeoutS, reset.garbageS]).toEqual([30, 180, 120]);
  });

  it('a `!` comment inside a section does not end it; the next top-level statement does', () => {
    const cfg = parseFrrConf(['router bgp 65002', ' neighbor 10.1.2.4 remote-as 65001', ' ! neighbor 10.1.2.4 route-map X in', ' neighbor 172.16.102.2 remote-as 65003', '!', 'router rip', ' network 0.0.0.0/0', '!', 'hostname x', 'ip route 192.168.0.0/16 10.0.0.1'].join('\n'));
    expect(cfg.problems).toEqual([]);
    expect(cfg.notRunning).toEqual([]);
    expect(frrNotRunning(cfg)).toBeNull();
    expect([...cfg.bgp!.neighbors.entries()].map(([a, n]) => [a, n.remoteAs])).toEqual([[parseIpv4('10.1.2.4'), 65001], [parseIpv4('172.16.102.2'), 65003]]);
    expect(cfg.staticRoutes).toEqual([{ dest: parseIpv4('192.168.0.0'), prefixLen: 16, gateway: parseIpv4('10.0.0.1'), iface: null, line: 10 }]);
  });

  it('every statement VirtNet does not implement is a located problem, never silence', () => {
    const cfg = parseFrrConf(['router rip', ' network 0.0.0.0/0', ' distance 100', ' redistribute isis', ' redistribute connected route-map RM', '!', 'interface eth0', ' ip rip receive version 1', '!', 'access-list 1 permit any'].join('\n'));
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:3: "distance 100" (router rip) is not implemented in VirtNet and is ignored',
      'frr.conf:4: "redistribute isis": redistributing isis is not implemented in VirtNet',
      'frr.conf:5: "redistribute connected route-map RM": only redistribute connected [metric 0-16] is implemented (route-map is not)',
      'frr.conf:8: "ip rip receive version 1" (interface eth0) is not implemented in VirtNet and is ignored',
      'frr.conf:10: "access-list 1 permit any" is not implemented in VirtNet and is ignored',
    ]);
  });
});
