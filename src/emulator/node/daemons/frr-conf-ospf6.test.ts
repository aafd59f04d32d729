// frr.conf reading for ospf6d: router ospf6 (FRR's ospf6 router-id, quagga's router-id and
// interface IFNAME area, redistribute), interface ipv6 ospf6 statements, and located
// problems for the rest.
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../wire/addr';
import { parseFrrConf } from './frr-conf';
import { frrNotRunning, frrProblems } from './index';

describe('frr.conf: router ospf6', () => {
  it('reads FRR\'s router id, interface areas and parameters, and redistribution (IMUNES\'s FRR config)', () => {
    const cfg = parseFrrConf(['interface eth0', ' ipv6 address fc00::1/64', ' ipv6 ospf6 area 0.0.0.0', ' ipv6 ospf6 cost 5', ' ipv6 ospf6 priority 0', '!', 'interface eth1', ' ipv6 ospf6 area 0', ' ipv6 ospf6 network point-to-point', ' ipv6 ospf6 hello-interval 2', '!', 'router ospf6', ' ospf6 router-id 0.0.0.7', ' redistribute static', ' redistribute connected', ' redistribute ripng', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([]);
    expect(frrNotRunning(cfg)).toBeNull();
    expect(cfg.ospf6!.routerId).toBe(parseIpv4('0.0.0.7'));
    expect([...cfg.ospf6!.redistribute]).toEqual(['static', 'connected', 'ripng']);
    expect(cfg.ospf6Ifaces.get('eth0')).toEqual({ cost: 5, priority: 0, area: 0, helloS: null, deadS: null, p2p: null });
    expect(cfg.ospf6Ifaces.get('eth1')).toEqual({ cost: null, priority: null, area: 0, helloS: 2, deadS: null, p2p: true });
    expect(cfg.ospfIfaces.size).toBe(0);
  });

  it('reads quagga\'s router-id and interface IFNAME area inside the section', () => {
    const cfg = parseFrrConf(['router ospf6', ' router-id 10.0.0.1', ' interface eth0 area 0.0.0.0', ' interface eth1 area 0.0.0.0', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([]);
    expect(cfg.ospf6!.routerId).toBe(parseIpv4('10.0.0.1'));
    expect([...cfg.ospf6!.areaIfaces]).toEqual(['eth0', 'eth1']);
  });

  it('other areas, unknown statements and bad values are located problems', () => {
    const cfg = parseFrrConf(['router ospf6', ' ospf6 router-id banana', ' interface eth0 area 1', ' redistribute bgp', ' redistribute static route-map X', ' area 0.0.0.0 range fc00::/16', '!', 'interface eth0', ' ipv6 ospf6 cost 0', ' ipv6 ospf6 bfd', '!'].join('\n'));
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:2: "ospf6 router-id banana": expected a router id A.B.C.D',
      'frr.conf:3: "interface eth0 area 1": only area 0 runs in VirtNet (no ABR yet); the interface joins area 0',
      'frr.conf:4: "redistribute bgp": redistributing bgp is not implemented in VirtNet',
      'frr.conf:5: "redistribute static route-map X": only redistribute static is implemented (metric and route-map are not)',
      'frr.conf:6: "area 0.0.0.0 range fc00::/16" (router ospf6) is not implemented in VirtNet and is ignored',
      'frr.conf:9: "ipv6 ospf6 cost 0" (interface eth0): ipv6 ospf6 cost takes a number from 1 to 65535; ignored',
      'frr.conf:10: "ipv6 ospf6 bfd" (interface eth0) is not implemented in VirtNet and is ignored',
    ]);
  });
});
