// FRR's policy statements: prefix lists (seq, ge/le, any, implicit deny, FRR's range check),
// as-path access lists with `_`, route-map entries and their `no` forms, located problems.
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../wire/addr';
import { BGP_SEGMENT } from '../../wire/bgp';
import { parseFrrConf } from './frr-conf';
import { asPathListPermits, prefixListPermits } from './bgpd-policy';
import { frrProblems } from './index';

const ip = (s: string) => parseIpv4(s)!;

describe('frr.conf policy statements', () => {
  it('prefix lists match as FRR: exact length without ge/le, ranges with them, first match wins, implicit deny', () => {
    const cfg = parseFrrConf(['ip prefix-list A seq 10 deny 10.1.0.0/16 le 32', 'ip prefix-list A permit 10.0.0.0/8 ge 16 le 24', 'ip prefix-list B permit 192.168.1.0/24', 'ip prefix-list C permit any', 'ip prefix-list E seq 5 permit 1.0.0.0/8', 'no ip prefix-list E seq 5'].join('\n'));
    expect(cfg.problems).toEqual([]);
    const p = cfg.policy;
    expect(p.prefixLists.get('A')!.map((e) => e.seq)).toEqual([10, 15]);
    expect(prefixListPermits(p, 'A', ip('10.1.2.0'), 24)).toBe(false);
    expect(prefixListPermits(p, 'A', ip('10.2.0.0'), 16)).toBe(true);
    expect(prefixListPermits(p, 'A', ip('10.2.3.0'), 24)).toBe(true);
    expect(prefixListPermits(p, 'A', ip('10.2.3.128'), 25)).toBe(false);
    expect(prefixListPermits(p, 'A', ip('10.0.0.0'), 8)).toBe(false);
    expect(prefixListPermits(p, 'B', ip('192.168.1.0'), 24)).toBe(true);
    expect(prefixListPermits(p, 'B', ip('192.168.1.0'), 25)).toBe(false);
    expect(prefixListPermits(p, 'C', ip('1.2.3.4'), 32)).toBe(true);
    expect(prefixListPermits(p, 'E', ip('1.0.0.0'), 8)).toBe(true); // an empty list permits
    expect(prefixListPermits(p, 'MISSING', ip('1.0.0.0'), 8)).toBe(false); // a missing one denies
  });

  it('as-path access lists: `_` is a delimiter; no match denies', () => {
    const cfg = parseFrrConf(['bgp as-path access-list X seq 5 deny _65003_', 'bgp as-path access-list X permit ^65002', 'ip as-path access-list Y permit ^$'].join('\n'));
    expect(cfg.problems).toEqual([]);
    const path = (...asns: number[]) => [{ type: BGP_SEGMENT.AS_SEQUENCE, asns }];
    expect(asPathListPermits(cfg.policy, 'X', path(65002, 65001))).toBe(true);
    expect(asPathListPermits(cfg.policy, 'X', path(65002, 65003))).toBe(false);
    expect(asPathListPermits(cfg.policy, 'X', path(650020))).toBe(true);
    expect(asPathListPermits(cfg.policy, 'X', path(65001))).toBe(false);
    expect(asPathListPermits(cfg.policy, 'Y', [])).toBe(true);
  });

  it('route-maps keep entries in order, replace clauses, take no forms; the rest is located', () => {
    const cfg = parseFrrConf(['route-map M permit 20', ' set metric 5', ' set metric 7', 'route-map M deny 10', ' match as-path X', 'route-map M permit 30', ' set local-preference 300', ' no set local-preference', ' set extcommunity rt 1:1', ' match interface eth0', 'ip prefix-list Z permit 10.0.0.0/8 ge 8', 'route-map Q permit 0'].join('\n'));
    const m = cfg.policy.routeMaps.get('M')!;
    expect(m.map((e) => [e.seq, e.permit])).toEqual([[10, false], [20, true], [30, true]]);
    expect(m[1]!.sets).toEqual([{ kind: 'metric', value: 7 }]);
    expect(m[2]!.sets).toEqual([]);
    expect(frrProblems(cfg)).toEqual([
      'frr.conf:9: "set extcommunity rt 1:1" (route-map) is not implemented in VirtNet (set local-preference N, set metric N, set weight N, set as-path prepend ASN…, set community AA:NN…|none [additive] are) and is ignored',
      'frr.conf:10: "match interface eth0" (route-map) is not implemented in VirtNet (match ip address prefix-list NAME, match as-path NAME and match community NAME [exact-match] are) and is ignored',
      'frr.conf:11: "ip prefix-list Z permit 10.0.0.0/8 ge 8": invalid prefix range for 10.0.0.0/8, make sure: len < ge-value <= le-value',
      'frr.conf:12: "route-map Q permit 0": expected route-map NAME permit|deny 1-65535',
    ]);
  });
});

describe('frr.conf community lists', () => {
  it('standard lists: every listed community present, internet matches all, exact-match compares the whole set', async () => {
    const { communityListPermits } = await import('./bgpd-policy');
    const cfg = parseFrrConf(['bgp community-list standard A deny 65001:2', 'bgp community-list standard A permit 65001:1 no-export', 'bgp community-list B seq 10 permit internet', 'ip community-list standard C permit 1:1', 'bgp community-list expanded D permit ^1:', 'route-map M permit 10', ' match community A exact-match', ' set community 1:1 2:2 additive', ' set community none'].join('\n'));
    expect(frrProblems(cfg)).toEqual(['frr.conf:5: "bgp community-list expanded D permit ^1:": expanded community lists are not implemented in VirtNet (standard ones are)']);
    const p = cfg.policy;
    const NO_EXPORT = 0xffffff01;
    const c = (a: number, n: number) => a * 65536 + n;
    expect(communityListPermits(p, 'A', [c(65001, 1), NO_EXPORT], false)).toBe(true);
    expect(communityListPermits(p, 'A', [c(65001, 1), c(65001, 2), NO_EXPORT], false)).toBe(false);
    expect(communityListPermits(p, 'A', [c(65001, 1)], false)).toBe(false);
    expect(communityListPermits(p, 'A', null, false)).toBe(false);
    expect(communityListPermits(p, 'A', [c(65001, 1), NO_EXPORT], true)).toBe(true);
    expect(communityListPermits(p, 'A', [c(65001, 1), c(65001, 3), NO_EXPORT], true)).toBe(false);
    expect(communityListPermits(p, 'B', null, false)).toBe(true);
    expect(communityListPermits(p, 'C', [c(1, 1)], false)).toBe(true);
    expect(communityListPermits(p, 'MISSING', [c(1, 1)], false)).toBe(false);
    expect(p.routeMaps.get('M')![0]!.matches).toEqual([{ kind: 'community', name: 'A', exact: true }]);
    expect(p.routeMaps.get('M')![0]!.sets).toEqual([{ kind: 'community', values: [], additive: false }]);
  });
});
