// frr.conf reading for ospfd: router ospf (router id, network … area, redistribute,
// passive-interface), interface ip ospf statements, and located problems for the rest.
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../wire/addr';
import { parseFrrConf } from './frr-conf';
import { frrNotRunning, frrProblems } from './index';

describe('frr.conf: router ospf', () => {
  it('reads the router id, networks with areas, redistribution, passive interfaces and interface costs', () => {
    const cfg = parseFrrConf(['router ospf', ' ospf router-id 1.2.3.4', ' network 10.0.0.0/8 area 0', ' network 192.168.1.0/24 area 0.0.0.0', ' redistribute connected', ' redistribute static metric 7', ' redistribute rip', ' passive-interface eth2', '!', 'interface eth0', ' ip ospf cost 55', ' ip ospf priority 0', ' ip ospf network point-to-point', '!', 'interface eth1', ' ip ospf area 0.0.0.0', ' ip ospf hello-interval 5', ' ip ospf dead-interval 20', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([]);
    expect(frrNotRunning(cfg)).toBeNull();
    const o = cfg.ospf!;
    expect(o.routerId).toBe(parseIpv4('1.2.3.4'));
    expect(o.networks).toEqual([{ addr: parseIpv4('10.0.0.0'), prefixLen: 8, area: 0 }, { addr: parseIpv4('192.168.1.0'), prefixLen: 24, area: 0 }]);
    expect([...o.redistribute]).toEqual([['connected', 20], ['static', 7], ['rip', 20]]);
    expect([...o.passive]).toEqual(['eth2']);
    expect(cfg.ospfIfaces.get('eth0')).toEqual({ cost: 55, priority: 0, area: null, helloS: null, deadS: null, p2p: true });
    expect(cfg.ospfIfaces.get('eth1')).toEqual({ cost: null, priority: null, area: 0, helloS: 5, deadS: 20, p2p: null });
  });

  it('areas by number or dotted; NSSA, virtual links, unknown statements and bad values are located problems; router ospf N does not run', () => {
    const cfg = parseFrrConf(['router ospf', ' network 10.1.0.0/16 area 1', ' area 1 stub', ' network 10.2.0.0/16 area 0.0.0.2', ' network banana area 0', ' area 0.0.0.2 nssa', ' area 1 virtual-link 2.2.2.2', ' area 1 range 10.1.0.0/16', ' area 1 authentication', '!', 'interface eth0', ' ip ospf cost 0', ' ip ospf network non-broadcast', ' ip ospf area 3', '!', 'router ospf 2', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:5: "network banana area 0": expected network A.B.C.D/M area N',
      'frr.conf:6: "area 0.0.0.2 nssa": NSSAs are not implemented in VirtNet; area 0.0.0.2 runs as a normal area (AS-external-LSAs flood into it)',
      'frr.conf:7: "area 1 virtual-link 2.2.2.2": virtual links are not implemented in VirtNet; ignored (an area not attached to the backbone gets no inter-area routes)',
      'frr.conf:9: "area 1 authentication" (router ospf) is not implemented in VirtNet and is ignored',
      'frr.conf:12: "ip ospf cost 0" (interface eth0): ip ospf cost takes a number from 1 to 65535; ignored',
      'frr.conf:13: "ip ospf network non-broadcast" (interface eth0) is not implemented in VirtNet and is ignored',
    ]);
    expect(cfg.ospf!.networks.map((n) => n.area)).toEqual([1, 2]);
    expect(cfg.ospfIfaces.get('eth0')!.area).toBe(3);
    expect(frrNotRunning(cfg)).toBe('frr.conf:16: OSPF instance 2 (multi-instance) will not run yet');
  });

  it('reads stub areas (no-summary), default costs and ranges (not-advertise, cost), taken back with no; bad ones are located problems', () => {
    const cfg = parseFrrConf(['router ospf', ' area 1 stub', ' area 0.0.0.2 stub no-summary', ' area 2 default-cost 30', ' area 1 range 10.1.7.9/16', ' area 1 range 10.9.0.0/16 not-advertise', ' area 0 range 10.0.0.0/8 cost 7', ' area 3 stub', ' no area 3 stub', ' area 0 stub', ' area 1 stub totally', ' area 1 range 10.5.0.0/16 cost x', ' area 1 default-cost -1', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:10: "area 0 stub": the backbone cannot be a stub area; ignored',
      'frr.conf:11: "area 1 stub totally": expected area A stub [no-summary]',
      'frr.conf:12: "area 1 range 10.5.0.0/16 cost x": expected area A range A.B.C.D/M [advertise | not-advertise | cost N]',
      'frr.conf:13: "area 1 default-cost -1": expected area A default-cost N (0-16777215)',
    ]);
    const o = cfg.ospf!;
    expect([...o.stubAreas]).toEqual([[1, { noSummary: false }], [2, { noSummary: true }]]);
    expect([...o.defaultCost]).toEqual([[2, 30]]);
    expect(o.ranges).toEqual([
      { area: 1, addr: parseIpv4('10.1.0.0'), prefixLen: 16, advertise: true, cost: null },
      { area: 1, addr: parseIpv4('10.9.0.0'), prefixLen: 16, advertise: false, cost: null },
      { area: 0, addr: parseIpv4('10.0.0.0'), prefixLen: 8, advertise: true, cost: 7 },
    ]);
  });

  it('timers throttle spf DELAY HOLD MAX (FRR\'s default 0 50 5000), with its range', () => {
    expect(parseFrrConf('router ospf\n!\n').ospf!.spfThrottleMs).toEqual({ delay: 0, hold: 50, max: 5000 });
    const cfg = parseFrrConf('router ospf\n timers throttle spf 10 100 2000\n timers throttle spf 1 2\n timers throttle spf 0 0 700000\n!\n');
    expect(cfg.ospf!.spfThrottleMs).toEqual({ delay: 10, hold: 100, max: 2000 });
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:3: "timers throttle spf 1 2": expected timers throttle spf DELAY HOLD MAX (0-600000 ms each)',
      'frr.conf:4: "timers throttle spf 0 0 700000": expected timers throttle spf DELAY HOLD MAX (0-600000 ms each)',
    ]);
    expect(parseFrrConf('router ospf\n timers throttle spf 10 100 2000\n no timers throttle spf\n!\n').ospf!.spfThrottleMs).toEqual({ delay: 0, hold: 50, max: 5000 });
  });

  it('no router ospf removes it', () => {
    expect(parseFrrConf('router ospf\n network 10.0.0.0/8 area 0\n!\nno router ospf\n').ospf).toBeNull();
  });
});
