// DNS in a lab: recursion through root, TLD and authoritative servers; NXDOMAIN and
// SERVFAIL; the resolver's cache with TTLs in virtual time; /etc/hosts before DNS; ping
// by name; a bad named.conf line reported with its file and line while named runs.
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/emulator/engine/world';
import { nodeFiles } from '../../src/emulator/node/files';
import { nodeSnapshot } from '../../src/emulator/engine/inspect';
import { udpSend } from '../../src/emulator/stack/udp';
import { stopNamed } from '../../src/emulator/node/services/named';
import { openShell, runCommand } from '../../src/emulator/shell';
import { CONF_DIR, dnsLab } from './dns-lab';

function startAll(w: World): void {
  for (const n of ['root', 'tld', 'auth', 'resolver']) expect(runCommand(w, n, 'named')).toMatchObject({ exitCode: 0, output: '' });
}

const upstream = (w: World): number => w.nodeByName('resolver')!.named!.counters.upstreamQueries;

describe('DNS scenarios', () => {
  it('resolves recursively through root, TLD and authoritative servers', () => {
    const w = dnsLab();
    startAll(w);
    const r = runCommand(w, 'pc1', 'host www.example.lab');
    expect(r.output).toBe('www.example.lab has address 10.0.3.2\n');
    expect(r.exitCode).toBe(0);
    // root → lab. → example.lab.: three upstream queries for A, then AAAA and MX from the cached delegation.
    expect(upstream(w)).toBe(5);
    expect(w.nodeByName('root')!.named!.counters.queries).toBe(1);
    const alias = runCommand(w, 'pc1', 'host alias.example.lab');
    expect(alias.output).toBe('alias.example.lab is an alias for www.example.lab.\nwww.example.lab has address 10.0.3.2\n');
    const mx = runCommand(w, 'pc1', 'host example.lab');
    expect(mx.output).toBe('example.lab mail is handled by 10 mail.example.lab.\n');
  });

  it('answers NXDOMAIN with the SOA, and SERVFAIL when the delegated server is dead', () => {
    const w = dnsLab();
    startAll(w);
    const nx = runCommand(w, 'pc1', 'host nosuch.example.lab.');
    expect(nx).toMatchObject({ exitCode: 1, output: 'Host nosuch.example.lab. not found: 3(NXDOMAIN)\n' });
    const dig = runCommand(w, 'pc1', 'dig nosuch.example.lab');
    expect(dig.output).toContain(';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN');
    expect(dig.output).toMatch(/;; AUTHORITY SECTION:\nexample\.lab\.\t\t\d+\tIN\tSOA\tns1\.example\.lab\. hostmaster\.example\.lab\. 7 3600 600 86400 30\n/);
    const sf = runCommand(w, 'pc1', 'host www.broken.lab');
    expect(sf).toMatchObject({ exitCode: 1 });
    expect(sf.output).toContain('Host www.broken.lab not found: 2(SERVFAIL)\n');
    expect(runCommand(w, 'pc1', 'ping -c 1 www.broken.lab').output).toBe('ping: cannot resolve www.broken.lab: Host name lookup failure\n');
  });

  it('answers the second query from the cache and asks again once the TTL has passed', () => {
    const w = dnsLab();
    startAll(w);
    const first = runCommand(w, 'pc1', 'dig www.example.lab +short');
    expect(first.output).toBe('10.0.3.2\n');
    const asked = upstream(w);
    w.sim.runUntil(w.sim.now() + 20e9);
    const second = runCommand(w, 'pc1', 'dig www.example.lab');
    expect(upstream(w)).toBe(asked); // from the cache
    expect(second.output).toMatch(/;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n/);
    const ttl = Number(/\nwww\.example\.lab\.\t(\d+)\tIN\tA\t10\.0\.3\.2\n/.exec(second.output)?.[1]);
    expect(ttl).toBeGreaterThanOrEqual(38);
    expect(ttl).toBeLessThanOrEqual(40);
    const cache = w.nodeByName('resolver')!.named!.cache.list(w.sim.now());
    expect(cache.some((e) => e.name === 'www.example.lab.' && e.kind === 'rrset')).toBe(true);
    w.sim.runUntil(w.sim.now() + 45e9);
    runCommand(w, 'pc1', 'dig www.example.lab +short');
    expect(upstream(w)).toBe(asked + 1); // expired: only the A record is asked again (the delegation is still cached)
  });

  it('reads /etc/hosts before DNS, then pings by name through the search list', () => {
    const w = dnsLab();
    startAll(w);
    nodeFiles(w.nodeByName('pc1')!).write('/etc/hosts', '127.0.0.1 localhost\n10.0.0.1 www.example.lab gw\n');
    const viaHosts = runCommand(w, 'pc1', 'ping -c 1 www.example.lab');
    expect(viaHosts.output).toMatch(/^PING www\.example\.lab \(10\.0\.0\.1\): 56 data bytes\n64 bytes from 10\.0\.0\.1: icmp_seq=0 ttl=64/);
    expect(upstream(w)).toBe(0);
    const viaDns = runCommand(w, 'pc1', 'ping -c 1 mail');
    expect(viaDns.output).toMatch(/^PING mail \(10\.0\.3\.2\): 56 data bytes\n64 bytes from 10\.0\.3\.2: icmp_seq=0 ttl=63/);
    expect(viaDns.exitCode).toBe(0);
    expect(runCommand(w, 'pc1', 'traceroute -n -q 1 alias').output).toMatch(/^traceroute to alias \(10\.0\.3\.2\)/);
  });

  it('reports a bad named.conf line with its file and line, and keeps serving', () => {
    const w = dnsLab();
    startAll(w);
    const f = nodeFiles(w.nodeByName('auth')!);
    f.write(`${CONF_DIR}/named.conf`, 'options {\n\tdirectory "/usr/local/etc/namedb";\n\tbogus-option yes;\n\trecursion no;\n};\nzone "example.lab" { type master; file "example.lab"; };\nzone "missing.lab" { type master; file "nope"; };\n');
    f.write(`${CONF_DIR}/example.lab`, f.read(`${CONF_DIR}/example.lab`) + 'bad IN A 10.0.0.300\n');
    expect(runCommand(w, 'auth', 'named')).toMatchObject({ exitCode: 1, output: 'named: another named is already running on this node (port 53 in use)\n' });
    expect(stopNamed(w.nodeByName('auth')!)).toBe(true);
    expect(runCommand(w, 'auth', 'named -c /nonexistent.conf')).toMatchObject({ exitCode: 1, output: '/nonexistent.conf: file not found\nloading configuration: file not found\nexiting (due to fatal error)\n' });
    const started = runCommand(w, 'auth', 'named');
    expect(started.output).toBe(
      "/usr/local/etc/namedb/named.conf:3: unknown option 'bogus-option'\n" +
        "/usr/local/etc/namedb/example.lab:14: '10.0.0.300' is not an IPv4 address\n" +
        "/usr/local/etc/namedb/named.conf:7: zone 'missing.lab.': loading from master file nope failed: No such file or directory\n",
    );
    expect(runCommand(w, 'pc1', 'dig @10.0.3.2 www.example.lab +short').output).toBe('10.0.3.2\n');
  });
});

describe('Inspect', () => {
  it("shows the resolver's DNS cache with TTLs counting down", () => {
    const w = dnsLab();
    startAll(w);
    runCommand(w, 'pc1', 'host www.example.lab');
    w.sim.runUntil(w.sim.now() + 10e9);
    const snap = nodeSnapshot(w, w.nodeByName('resolver')!);
    const www = snap.dnsCache?.rows.find((r) => r.name === 'www.example.lab.' && r.type === 'A');
    expect(www).toMatchObject({ data: '10.0.3.2' });
    expect(www!.ttlS).toBeGreaterThanOrEqual(49);
    expect(www!.ttlS).toBeLessThanOrEqual(50);
    expect(snap.dnsCache!.rows.some((r) => r.name === 'lab.' && r.type === 'NS' && r.data === 'ns.lab.')).toBe(true);
    expect(nodeSnapshot(w, w.nodeByName('pc1')!).dnsCache).toBeUndefined();
    expect(nodeSnapshot(w, w.nodeByName('auth')!).dnsCache!.zones).toEqual([{ name: 'example.lab.', type: 'master', serial: 7, records: 8, state: 'loaded' }]);
  });
});

describe('forwarders and the stub resolver', () => {
  it('forwards to the configured server; with forward only, a refused name is SERVFAIL', () => {
    const w = dnsLab();
    nodeFiles(w.nodeByName('resolver')!).write(`${CONF_DIR}/named.conf`, 'options {\n\tdirectory "/usr/local/etc/namedb";\n\tforwarders { 10.0.3.2; };\n\tforward only;\n};\n');
    startAll(w);
    expect(runCommand(w, 'pc1', 'host -t MX example.lab').output).toBe('example.lab mail is handled by 10 mail.example.lab.\n');
    expect(w.nodeByName('root')!.named!.counters.queries).toBe(0);
    expect(runCommand(w, 'pc1', 'host ns.lab.').output).toBe('Host ns.lab. not found: 2(SERVFAIL)\n');
  });

  it("retries as FreeBSD's res_send does: timeout 5 s, 2 attempts, divided among the servers", () => {
    const w = dnsLab();
    nodeFiles(w.nodeByName('pc1')!).write('/etc/resolv.conf', 'nameserver 10.0.9.9\n');
    const t0 = w.sim.now();
    const one = runCommand(w, 'pc1', 'ping -c 1 far.example.');
    expect(one.output).toBe('ping: cannot resolve far.example.: Host name lookup failure\n');
    expect(w.sim.now() - t0).toBe(15e9); // 5 s, then 10 s
    nodeFiles(w.nodeByName('pc1')!).write('/etc/resolv.conf', 'nameserver 10.0.9.9\nnameserver 10.0.9.8\noptions timeout:2 attempts:3\n');
    const t1 = w.sim.now();
    runCommand(w, 'pc1', 'ping -c 1 far.example.');
    expect(w.sim.now() - t1).toBe((2 + 2 + 2 + 2 + 4 + 4) * 1e9); // 2 s each, then (2<<1)/2, then (2<<2)/2
  });

  it('finds a name by AAAA for ping6 through /etc/hosts and DNS', () => {
    const w = dnsLab();
    const auth = nodeFiles(w.nodeByName('auth')!);
    auth.write(`${CONF_DIR}/example.lab`, `${auth.read(`${CONF_DIR}/example.lab`)}v6 IN AAAA fc00:9::1\n`);
    startAll(w);
    expect(runCommand(w, 'pc1', 'host v6').output).toBe('v6.example.lab has IPv6 address fc00:9::1\n');
    expect(runCommand(w, 'pc1', 'ping6 -c 1 v6').output).toMatch(/^PING6\(56=40\+8\+8 bytes\) [^ ]+ --> fc00:9::1\n/);
  });
});

describe('tool output on failures (as BIND 9.18 prints them)', () => {
  it('host and nslookup on SERVFAIL and on timeout', () => {
    const w = dnsLab();
    startAll(w);
    expect(runCommand(w, 'pc1', 'host www.broken.lab 10.0.4.2').output).toBe('Using domain server:\nName: 10.0.4.2\nAddress: 10.0.4.2#53\nAliases: \n\nHost www.broken.lab not found: 2(SERVFAIL)\n');
    expect(runCommand(w, 'pc1', 'nslookup www.broken.lab 10.0.4.2').output).toBe(";; Got SERVFAIL reply from 10.0.4.2\nServer:\t\t10.0.4.2\nAddress:\t10.0.4.2#53\n\n** server can't find www.broken.lab: SERVFAIL\n\n");
    const t = runCommand(w, 'pc1', 'host -W 1 -R 1 www.example.lab 10.0.9.9');
    expect(t).toMatchObject({ exitCode: 1, output: ';; communications error to 10.0.9.9#53: timed out\n;; communications error to 10.0.9.9#53: timed out\n;; no servers could be reached\n' });
    expect(runCommand(w, 'pc1', 'dig +time=1 +tries=1 @10.0.9.9 www.example.lab')).toMatchObject({
      exitCode: 9,
      output: ';; communications error to 10.0.9.9#53: timed out\n\n; <<>> DiG 9.18.28 <<>> +time=1 +tries=1 @10.0.9.9 www.example.lab\n; (1 server found)\n;; global options: +cmd\n;; no servers could be reached\n',
    });
    expect(runCommand(w, 'pc1', 'dig @10.0.3.2 www.example.lab +short +norec')).toMatchObject({ exitCode: 0, output: '10.0.3.2\n' });
    expect(runCommand(w, 'pc1', 'dig @10.0.3.2 +bogus')).toMatchObject({ exitCode: 1, output: expect.stringMatching(/^Invalid option: \+bogus\nUsage:  dig \[@global-server\] \[domain\] \[q-type\] \[q-class\] \{q-opt\}\n[^]*\nUse "dig -h" \(or "dig -h \| more"\) for complete list of options\n$/) });
    expect(runCommand(w, 'pc1', 'host -Z x').output).toMatch(/^host: illegal option -- Z\nUsage: host /);
  });
});

describe('names in the other tools', () => {
  it('nc and iperf3 connect by name; Ctrl-C while resolving ends the command with 130', () => {
    const w = dnsLab();
    startAll(w);
    expect(runCommand(w, 'pc1', 'nc -z -v ns1 53').output).toBe('Connection to ns1 53 port [tcp/domain] succeeded!\n');
    openShell(w, w.nodeByName('auth')!.id, { write: () => undefined }).exec('iperf3 -s', () => undefined);
    const perf = runCommand(w, 'pc1', 'iperf3 -c ns1 -t 1');
    expect(perf.output).toMatch(/^Connecting to host ns1, port 5201\n/);
    expect(perf.exitCode).toBe(0);
    const out = { text: '', code: -1 };
    nodeFiles(w.nodeByName('pc1')!).write('/etc/resolv.conf', 'nameserver 10.0.9.9\n');
    const s = openShell(w, w.nodeByName('pc1')!.id, { write: (t) => (out.text += t) });
    s.exec('ping -c 1 somewhere.example', (c) => (out.code = c));
    w.sim.runUntil(w.sim.now() + 2e9);
    expect(out.code).toBe(-1); // still resolving
    s.interrupt();
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(out.code).toBe(130);
    expect(out.text).toBe('\n');
  });

  it('is deterministic: the same seed gives the same trace', () => {
    const hash = (): string => {
      const w = dnsLab();
      startAll(w);
      runCommand(w, 'pc1', 'host alias.example.lab');
      runCommand(w, 'pc1', 'ping -c 2 www');
      return String(w.traceHash());
    };
    expect(hash()).toBe(hash());
  });
});

describe('rndc', () => {
  it('flushes the cache, reloads an edited zone, reports status and stops named', () => {
    const w = dnsLab();
    startAll(w);
    expect(runCommand(w, 'pc1', 'rndc status')).toMatchObject({ exitCode: 1, output: 'rndc: connect failed: 127.0.0.1#953: connection refused\n' });
    runCommand(w, 'pc1', 'host www.example.lab');
    const asked = upstream(w);
    expect(runCommand(w, 'resolver', 'rndc flush').exitCode).toBe(0);
    runCommand(w, 'pc1', 'host www.example.lab');
    expect(upstream(w)).toBeGreaterThan(asked); // asked again after the flush
    const f = nodeFiles(w.nodeByName('auth')!);
    f.write(`${CONF_DIR}/example.lab`, `${f.read(`${CONF_DIR}/example.lab`)}new IN A 10.0.3.99\nbroken IN A x\n`);
    expect(runCommand(w, 'auth', 'rndc reload').output).toBe(`${CONF_DIR}/example.lab:15: 'x' is not an IPv4 address\nserver reload successful\n`);
    expect(runCommand(w, 'pc1', 'dig @10.0.3.2 new.example.lab +short').output).toBe('10.0.3.99\n');
    expect(runCommand(w, 'auth', 'rndc status').output).toMatch(/^version: BIND 9\.18\.28 \(VirtNet\)\nnumber of zones: 1 \(0 automatic\)\n[^]*server is up and running\n$/);
    expect(runCommand(w, 'auth', 'rndc stop').exitCode).toBe(0);
    expect(w.nodeByName('auth')!.named).toBeUndefined();
    expect(runCommand(w, 'auth', 'named').exitCode).toBe(0);
  });
});

describe('bad input', () => {
  it('named survives garbage datagrams and odd queries; tools refuse names no query can carry', () => {
    const w = dnsLab();
    startAll(w);
    const pc1 = w.nodeByName('pc1')!.stack!;
    runCommand(w, 'pc1', 'dig @10.0.3.2 www.example.lab +short'); // ARP resolved first
    const auth = w.nodeByName('auth')!.named!.counters;
    const before = auth.queries + auth.badQueries;
    const rng = w.rng('test:garbage');
    for (let i = 0; i < 300; i++) {
      const len = rng.nextInt(80);
      const payload = new Uint8Array(len);
      for (let k = 0; k < len; k++) payload[k] = rng.nextInt(256);
      if (len > 3 && i % 2 === 0) payload[2] &= 0x7f; // half of them look like queries
      udpSend(pc1, { dst: 0x0a000302, dstPort: 53, srcPort: 40000 + i, payload });
      w.sim.runUntil(w.sim.now() + 1e6);
    }
    w.sim.runUntil(w.sim.now() + 2e9);
    // Every datagram long enough for a UDP header reached named and was answered or dropped as bad.
    expect(auth.queries + auth.badQueries - before).toBe(300);
    expect(auth.badQueries).toBeGreaterThan(100);
    expect(runCommand(w, 'pc1', 'dig @10.0.3.2 www.example.lab +short').output).toBe('10.0.3.2\n');
    expect(runCommand(w, 'pc1', 'dig @10.0.3.2 example.lab AXFR +notcp').output).toMatch(/^Invalid option/);
    const long = 'a'.repeat(64);
    expect(runCommand(w, 'pc1', `dig ${long}.lab`)).toMatchObject({ exitCode: 10, output: `dig: '${long}.lab' is not a legal name (label too long)\n` });
    expect(runCommand(w, 'pc1', `host ${long}`).exitCode).toBe(1);
    expect(runCommand(w, 'pc1', `ping -c 1 ${long}`).output).toBe(`ping: cannot resolve ${long}: Unknown host\n`);
  });
});
