// dhcpd.conf as ISC reads it: subnets, ranges, options, hosts (top level and in a subnet),
// ignored statements, and every problem located by line; any text parses without throwing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../wire/addr';
import { parseDhcpdConf } from './dhcpd-conf';

const ip = (s: string) => parseIpv4(s)! >>> 0;

describe('dhcpd.conf', () => {
  it('reads a lab configuration', () => {
    const { config, errors } = parseDhcpdConf(`ddns-update-style none;
authoritative;
option domain-name "example.org";
option domain-name-servers 10.0.0.53, 10.0.0.54;
default-lease-time 600; max-lease-time 7200;
subnet 10.0.0.0 netmask 255.255.255.0 {
  range 10.0.0.10 10.0.0.20;
  range dynamic-bootp 10.0.0.30;
  option routers 10.0.0.1;
  host printer { hardware ethernet 42:00:aa:00:00:09; fixed-address 10.0.0.9; }
}
host fix {
  hardware ethernet 42:00:AA:11:11:11;
  fixed-address 10.0.0.5;
  option routers 10.0.0.254;
}`);
    expect(errors).toEqual([]);
    expect(config.authoritative).toBe(true);
    expect(config.global).toEqual({ domainName: 'example.org', dnsServers: [ip('10.0.0.53'), ip('10.0.0.54')], defaultLeaseS: 600, maxLeaseS: 7200 });
    expect(config.subnets).toEqual([{ net: ip('10.0.0.0'), mask: ip('255.255.255.0'), line: 6, ranges: [{ first: ip('10.0.0.10'), last: ip('10.0.0.20') }, { first: ip('10.0.0.30'), last: ip('10.0.0.30') }], params: { routers: [ip('10.0.0.1')] } }]);
    expect(config.hosts.map((h) => [h.name, h.fixed, h.line, h.params.routers ?? null])).toEqual([['printer', ip('10.0.0.9'), 10, null], ['fix', ip('10.0.0.5'), 12, [ip('10.0.0.254')]]]);
  });

  it('locates every problem and keeps reading after one', () => {
    const bad = `subnet 10.0.0.0 netmask 255.255.255.0 {
  range 10.0.1.10 10.0.1.20;
  option routers 10.0.0.1
}
frobnicate yes;
option ntp-servers 1.2.3.4;
subnet 10.0.0.1 netmask 255.255.255.0 { }
host h { fixed-address 10.0.0.2; }
shared-network x { }
`;
    expect(parseDhcpdConf(bad).errors).toEqual([
      { line: 2, message: 'range 10.0.1.10 10.0.1.20: not within subnet 10.0.0.0 netmask 255.255.255.0' },
      { line: 4, message: 'semicolon expected' },
      { line: 5, message: 'frobnicate: unknown statement (expecting a parameter or declaration)' },
      { line: 6, message: "option ntp-servers: not supported by VirtNet's dhcpd" },
      { line: 7, message: 'subnet 10.0.0.1: host bits set for netmask 255.255.255.0' },
      { line: 8, message: 'host h: no "hardware ethernet" statement' },
      { line: 9, message: `"shared-network" declarations are not supported by VirtNet's dhcpd` },
    ]);
    // An unterminated string stops the reading there, at its line.
    expect(parseDhcpdConf(`${bad}option domain-name "unterminated;\n`).errors).toEqual([{ line: 10, message: 'unterminated string' }]);
  });

  it('never throws on any text', () => {
    const words = fc.constantFrom('subnet', 'netmask', 'range', 'host', 'option', 'routers', '{', '}', ';', ',', '"x"', '10.0.0.1', '255.255.255.0', 'hardware', 'ethernet', '42:00:aa:00:00:01', 'fixed-address', '#c\n', '\n');
    fc.assert(fc.property(fc.array(words, { maxLength: 40 }), fc.string(), (ws, junk) => {
      parseDhcpdConf(ws.join(' '));
      parseDhcpdConf(junk);
    }), { numRuns: 1000 });
  });
});
