import { describe, expect, it } from 'vitest';
import { formatIpv6 } from '../../wire/ipv6-addr';
import { dhcpd6Lifetimes, parseDhcpd6Conf } from './dhcpd6-conf';

describe('dhcpd6.conf', () => {
  it('reads subnet6, range6 (both forms), host with fixed-address6, the lease file and name servers', () => {
    const { config, errors } = parseDhcpd6Conf(
      'authoritative;\ndhcpv6-lease-file-name "/var/db/x.leases";\ndefault-lease-time 600;\noption dhcp6.name-servers fc00::53, fc00::54;\n' +
        'host h { hardware ethernet 42:aa:bb:00:aa:bb; fixed-address6 fc00:3::50; }\nsubnet6 fc00:3::/64 {\n  range6 fc00:3::100 fc00:3::109;\n  range6 fc00:3::1:0/120;\n  preferred-lifetime 300;\n}\n',
    );
    expect(errors).toEqual([]);
    expect(config.authoritative).toBe(true);
    expect(config.leaseFile).toBe('/var/db/x.leases');
    expect(config.global.dnsServers!.map((a) => formatIpv6(a))).toEqual(['fc00::53', 'fc00::54']);
    expect(config.hosts).toHaveLength(1);
    expect(formatIpv6(config.hosts[0].fixed!)).toBe('fc00:3::50');
    expect(config.subnets[0].ranges.map((r) => [formatIpv6(r.first), r.count])).toEqual([['fc00:3::100', 10], ['fc00:3::1:0', 256]]);
    expect(dhcpd6Lifetimes({ ...config.global, ...config.subnets[0].params })).toEqual({ validS: 600, preferredS: 300 });
    expect(dhcpd6Lifetimes({})).toEqual({ validS: 43200, preferredS: 27000 });
  });

  it('locates every bad line and keeps reading after it', () => {
    const { errors } = parseDhcpd6Conf('subnet 10.0.0.0 netmask 255.255.255.0 {\n}\nsubnet6 fc00::/64 {\n  range6 fc00:1::1 fc00:1::9;\n  frobnicate 3;\n}\nhost x { fixed-address6 fc00::9; }\noption dhcp6.name-servers 10.0.0.1;\nauthoritative\n');
    expect(errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      '1: "subnet" is an IPv4 declaration: dhcpd -6 expects "subnet6"',
      '4: range6 fc00:1::1 fc00:1::9: not within subnet6',
      '5: frobnicate: unknown statement (expecting a parameter or declaration)',
      '7: host x: no "hardware ethernet" statement',
      '8: option dhcp6.name-servers: expecting IPv6 addresses separated by ","',
      '9: semicolon expected',
    ]);
  });
});
