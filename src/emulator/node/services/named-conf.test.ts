// named.conf and zone files as labs write them: every statement IMUNES labs use, located
// problems for bad lines (the rest still loads), and garbage that never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DNS_TYPE } from '../../wire/dns';
import { parseNamedConf } from './named-conf';
import { parseTtl, parseZoneFile } from './zone-file';
import { buildZone, zoneLookup } from './dns-zone';
import { DnsCache } from './dns-cache';

describe('named.conf', () => {
  it('reads options, forwarders, ACLs and zones of every type, with comments of three kinds', () => {
    const c = parseNamedConf(`// named.conf
options {
\tdirectory "/var/named/etc/namedb";  # where the zones are
\trecursion no;
\tforwarders { 10.0.0.1; 10.0.0.2; };
\tforward only;
\tallow-query { 10.0.0.0/8; !10.9.9.9; localhost; };
\tlisten-on { any; };
\tdnssec-validation no;
};
/* the root */
zone "." { type hint; file "named.root"; };
zone "example.com" IN { type master; file "db.example"; allow-transfer { none; }; };
zone "hr" { type slave; masters { 7.0.0.2; }; file "hr"; };
zone "corp" { type forward; forwarders { 192.0.2.1; }; forward only; };
`);
    expect(c.problems).toEqual([]);
    expect(c).toMatchObject({ directory: '/var/named/etc/namedb', recursion: false, forwarders: [0x0a000001, 0x0a000002], forwardOnly: true });
    expect(c.allowQuery).toEqual([
      { kind: 'prefix', addr: 0x0a000000, prefixLen: 8, negated: false },
      { kind: 'prefix', addr: 0x0a090909, prefixLen: 32, negated: true },
      { kind: 'localhost', negated: false },
    ]);
    expect(c.zones.map((z) => [z.name, z.type, z.file])).toEqual([['.', 'hint', 'named.root'], ['example.com.', 'master', 'db.example'], ['hr.', 'slave', 'hr'], ['corp.', 'forward', null]]);
    expect(c.zones[3]).toMatchObject({ forwarders: [0xc0000201], forwardOnly: true });
  });

  it('locates each bad statement and keeps the rest', () => {
    const c = parseNamedConf('options {\n\tdirectory "/d";\n\trecursion maybe;\n\tfrobnicate 3;\n};\nzone "a" { file "a"; };\nzone "b" { type stub; file "b"; };\nzone "c" { type master; file "c"; }\nlogging { channel x { file "x"; }; };\nzone "d" { type master; file "d"; };\n');
    expect(c.problems).toEqual([
      { line: 3, message: "recursion: expected yes or no, got 'maybe'" },
      { line: 4, message: "unknown option 'frobnicate'" },
      { line: 6, message: "zone 'a.': missing 'type'" },
      { line: 7, message: "zone 'b.': type 'stub' is not supported (master, slave, hint, forward)" },
      { line: 8, message: "missing ';'" },
    ]);
    expect(c.zones.map((z) => z.name)).toEqual(['c.', 'd.']);
  });

  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => void parseNamedConf(t)));
    fc.assert(fc.property(fc.array(fc.constantFrom('{', '}', ';', '"', 'zone', 'options', '"x"', 'type', 'master', '//', '/*', '\n', ' '), { maxLength: 60 }), (w) => void parseNamedConf(w.join(' '))));
  });
});

describe('zone files', () => {
  const ZONE = `$TTL 1h
$ORIGIN example.com.
@   IN  SOA ns1 hostmaster (
        2024010101 ; serial
        2h 15m 1w 300 )
    IN  NS  ns1
    IN  MX  10 mail.example.com.
ns1     IN A 192.0.2.1
www 60  IN A 192.0.2.2
        IN AAAA 2001:db8::2
ftp IN CNAME www
txt IN TXT "a \\"quoted\\" word" plain
sub IN NS ns.sub
ns.sub IN A 192.0.2.53
`;

  it('reads $TTL, $ORIGIN, @, parentheses, TTL units, blank owners and relative names', () => {
    const z = parseZoneFile(ZONE, 'example.com.');
    expect(z.problems).toEqual([]);
    const soa = z.records[0];
    expect(soa).toMatchObject({ name: 'example.com.', ttl: 3600, data: { mname: 'ns1.example.com.', rname: 'hostmaster.example.com.', serial: 2024010101, refresh: 7200, retry: 900, expire: 604800, minimum: 300 } });
    expect(z.records.map((r) => [r.name, r.ttl, r.type])).toContainEqual(['www.example.com.', 60, DNS_TYPE.AAAA].slice(0, 1).concat([3600, DNS_TYPE.AAAA]) as never);
    expect(z.records.find((r) => r.type === DNS_TYPE.TXT)?.data).toEqual({ type: DNS_TYPE.TXT, strings: ['a "quoted" word', 'plain'] });
    expect(parseTtl('1w2d3h4m5s')).toBe(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    expect(parseTtl('1x')).toBeNull();
  });

  it('answers, refers with glue, and denies with the SOA', () => {
    const { zone } = buildZone('example.com.', parseZoneFile(ZONE, 'example.com.').records, true);
    expect(zoneLookup(zone!, 'ftp.example.com.', DNS_TYPE.A)).toMatchObject({ kind: 'answer', answers: [{ type: DNS_TYPE.CNAME }, { name: 'www.example.com.', type: DNS_TYPE.A }] });
    const ref = zoneLookup(zone!, 'host.sub.example.com.', DNS_TYPE.A);
    expect(ref).toMatchObject({ kind: 'referral', ns: [{ name: 'sub.example.com.' }], glue: [{ name: 'ns.sub.example.com.' }] });
    expect(zoneLookup(zone!, 'nope.example.com.', DNS_TYPE.A)).toMatchObject({ kind: 'nxdomain', soa: { ttl: 300 } });
    expect(zoneLookup(zone!, 'www.example.com.', DNS_TYPE.MX)).toMatchObject({ kind: 'nodata' });
    expect(zoneLookup(zone!, 'WWW.Example.COM.', DNS_TYPE.A)).toMatchObject({ kind: 'answer', answers: [{ data: { addr: 0xc0000202 } }] });
  });

  it('locates bad lines and loads the others; a zone without SOA is refused', () => {
    const z = parseZoneFile('$TTL 60\n@ IN SOA a. b. ( 1 2 3 4 5 )\n@ IN NS a.\nx IN A 300.1.1.1\ny IN MX ten z\nz IN HINFO a b\nw IN FOO bar\n(\n', 'e.');
    expect(z.problems).toEqual([
      { line: 4, message: "'300.1.1.1' is not an IPv4 address" },
      { line: 5, message: "MX preference 'ten' is not 0–65535" },
      { line: 6, message: "record type 'HINFO' is not supported (A, AAAA, NS, CNAME, MX, PTR, TXT, SOA)" },
      { line: 7, message: "unknown record type 'FOO'" },
      { line: 8, message: "'(' not closed before end of file" },
    ]);
    expect(z.records).toHaveLength(2);
    expect(buildZone('e.', parseZoneFile('$TTL 60\nx IN A 1.2.3.4\n', 'e.').records, true).zone).toBeNull();
  });

  it('never throws on garbage', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => void parseZoneFile(t, 'example.')));
  });
});

describe('DNS cache', () => {
  const a = (name: string, ttl: number) => ({ name, type: DNS_TYPE.A, class: 1, ttl, data: { type: DNS_TYPE.A, addr: 1 } });

  it('counts TTLs down, forgets expired entries and stays within its bound', () => {
    const c = new DnsCache(3);
    c.putRrset([a('x.', 10)], 0);
    expect(c.get('X.', DNS_TYPE.A, 4e9)).toEqual({ kind: 'rrset', records: [a('x.', 6)] });
    expect(c.get('x.', DNS_TYPE.A, 10e9)).toBeNull();
    c.putNegative('nxdomain', 'n.', DNS_TYPE.A, null, 5, 0);
    expect(c.get('n.', DNS_TYPE.MX, 1e9)).toEqual({ kind: 'nxdomain', soa: null });
    for (let i = 0; i < 5; i++) c.putRrset([a(`h${i}.`, 100)], 1e9);
    expect(c.size).toBe(3);
    expect(c.get('h0.', DNS_TYPE.A, 1e9)).toBeNull();
    expect(c.get('h4.', DNS_TYPE.A, 1e9)).not.toBeNull();
  });
});

describe('SOA serial arithmetic', () => {
  it('compares serials as RFC 1982 says, across the wrap', async () => {
    const { serialGreater } = await import('./named-xfer');
    expect(serialGreater(2, 1)).toBe(true);
    expect(serialGreater(1, 2)).toBe(false);
    expect(serialGreater(5, 5)).toBe(false);
    expect(serialGreater(0, 0xffffffff)).toBe(true);
    expect(serialGreater(0x7fffffff, 0)).toBe(true);
  });
});
