// Real tcpdump as referee for the shell's tcpdump (issue 14): a capture of ARP, ICMP echo,
// a web fetch (TCP handshake, data, FIN), traceroute (UDP, ICMP errors) and ping6/NDP on
// one router interface is printed by `tcpdump -r` and by VirtNet's formatter from the same
// frames, with -n, -e and -v; and the same filter expressions select the same packets;
// DHCPv6 from IMUNES's DHCP6 lab (-n, names, -v options) likewise.
// Skipped with one line when tcpdump is not installed (apt-get install tcpdump).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainDoc6 } from '../../src/emulator/bench';
import type { Capture } from '../../src/emulator/engine/capture';
import { World } from '../../src/emulator/engine/world';
import { compileDumpFilter } from '../../src/emulator/node/apps/tcpdump-filter';
import { runCommand } from '../../src/emulator/shell';
import { dumpFacts, dumpTime, DumpSeqState, formatDumpLine, type DumpOptions } from '../../src/emulator/wire/tcpdump';
import { DHCPD6_CONF, dhcp6Imn } from '../scenarios/dhcp6-lab';

function haveTcpdump(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAVE = haveTcpdump();
if (!HAVE) console.warn('tcpdump-format.test.ts skipped: needs tcpdump (apt-get install tcpdump)');

function captureTraffic(): { cap: Capture; file: string } {
  const d = chainDoc6(2, { delayUs: 1000, bandwidthBps: 10_000_000 });
  d.nodes.find((n) => n.name === 'pc2')!.kind = 'host';
  let cap: Capture | null = null;
  const w = new World(d, { seed: 7, onWired: (world) => (cap = world.startCapture({ kind: 'iface', node: 'r1', iface: 'eth1' })) });
  w.sim.runUntil(4e9); // past duplicate address detection
  for (const line of ['ping -c 2 10.0.2.20', 'fetch -o - http://10.0.2.20/', 'curl -sI http://10.0.2.20/', 'traceroute -n -q 1 10.0.2.20', 'ping6 -c 1 fc00:2::20', 'nc -z 10.0.2.20 81']) runCommand(w, 'pc1', line);
  w.sim.runUntil(w.sim.now() + 1e9);
  const file = join(mkdtempSync(join(tmpdir(), 'vn-tcpdump-')), 'r1-eth1.pcap');
  writeFileSync(file, cap!.toPcap());
  return { cap: cap!, file };
}

function real(file: string, flags: string[], expr: string[] = []): string[] {
  const out = execFileSync('tcpdump', ['-r', file, ...flags, ...expr], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return out.split('\n').filter((l) => l !== '');
}

function ours(cap: Capture, o: DumpOptions, expr = ''): string[] {
  const seqs = new DumpSeqState();
  const f = compileDumpFilter(expr, () => null);
  if (typeof f !== 'function') throw new Error(f.error);
  const lines: string[] = [];
  for (const fr of cap.frames) if (f(dumpFacts(fr.frame))) lines.push(...`${dumpTime(fr.timeNs)} ${formatDumpLine(fr.frame, o, seqs)}`.split('\n'));
  return lines;
}

describe.skipIf(!HAVE)('tcpdump lines against real tcpdump', () => {
  const { cap, file } = HAVE ? captureTraffic() : ({} as ReturnType<typeof captureTraffic>);

  it('-n prints every line as tcpdump does', () => {
    expect(cap.frames.length).toBeGreaterThan(30);
    expect(ours(cap, { numeric: true, verbose: false, link: false })).toEqual(real(file, ['-n']));
  });

  it('-e prefixes the MACs and EtherType as tcpdump does', () => {
    expect(ours(cap, { numeric: true, verbose: false, link: true })).toEqual(real(file, ['-n', '-e']));
  });

  it('without -n, ports are service names (addresses stay numbers: a lab has no reverse DNS)', () => {
    const r = real(file, []);
    expect(r.some((l) => l.includes('10.0.2.20.http: Flags [S]'))).toBe(true);
    expect(ours(cap, { numeric: false, verbose: false, link: false })).toEqual(r);
    expect(ours(cap, { numeric: false, verbose: false, link: true })).toEqual(real(file, ['-e']));
  });

  it('-v adds the IPv4 header fields and TCP checksums as tcpdump does', () => {
    const r = real(file, ['-n', '-v']);
    const o = ours(cap, { numeric: true, verbose: true, link: false });
    // Compare the TCP (with HTTP lines), ICMP echo and ARP packets; tcpdump -v decodes ICMP
    // error quotes and ICMPv6 options further than ours.
    const packets = (lines: string[]): string[] => {
      const out: string[] = [];
      for (const l of lines) if (/^\d\d:/.test(l)) out.push(l);
        else out[out.length - 1] += `\n${l}`;
      return out.filter((p) => /\d: Flags \[|ICMP echo|ARP,/.test(p));
    };
    const pick = packets;
    expect(pick(o)).toEqual(pick(r));
  });

  it('filters select what tcpdump selects', () => {
    for (const expr of ['tcp', 'udp', 'icmp', 'icmp6', 'arp', 'ip6', 'ip', 'host 10.0.0.20', 'src host 10.0.2.20', 'dst host 10.0.2.20 and tcp', 'port 80', 'tcp dst port 80', 'src port 80 or icmp', 'not (tcp or arp)', 'net 10.0.2.0/24 and not icmp', 'host fc00:2::20', 'udp and ( dst port 33435 or dst port 33436 )']) {
      expect(ours(cap, { numeric: true, verbose: false, link: false }, expr), expr).toEqual(real(file, ['-n'], expr.split(' ')));
    }
  });
});

/** IMUNES's DHCP6 lab on PC3's eth0: Solicit, Advertise, Request, Reply, a Renew at T1, Release and its Reply. */
function captureDhcp6(): { cap: Capture; file: string } {
  const w = new World(dhcp6Imn(), { seed: 3 });
  runCommand(w, 'DHCP6server', `printf '%s' '${DHCPD6_CONF.replace('authoritative;', 'authoritative;\noption dhcp6.name-servers fc00:3::10;')}' > /usr/local/etc/dhcpd6.conf`);
  runCommand(w, 'DHCP6server', 'dhcpd -6');
  const cap = w.startCapture({ kind: 'iface', node: 'PC3', iface: 'eth0' });
  runCommand(w, 'PC3', 'dhclient -6 -cf /dev/null eth0');
  w.sim.runUntil(w.sim.now() + 13_600e9);
  runCommand(w, 'PC3', 'dhclient -6 -r eth0');
  w.sim.runUntil(w.sim.now() + 2e9);
  cap.finish();
  const file = join(mkdtempSync(join(tmpdir(), 'vn-tcpdump6-')), 'pc3-eth0.pcap');
  writeFileSync(file, cap.toPcap());
  return { cap, file };
}

describe.skipIf(!HAVE)('tcpdump lines for DHCPv6 against real tcpdump', () => {
  const { cap, file } = HAVE ? captureDhcp6() : ({} as ReturnType<typeof captureDhcp6>);
  const dhcp6 = (lines: string[]) => lines.filter((l) => l.includes(' dhcp6 '));

  it('port 546 or port 547: the same lines with -n and with service names', () => {
    const expr = 'port 546 or port 547';
    const r = real(file, ['-n'], expr.split(' '));
    expect(r.map((l) => / dhcp6 (\S+)/.exec(l)?.[1])).toEqual(['solicit', 'advertise', 'request', 'reply', 'renew', 'reply', 'release', 'reply']);
    expect(ours(cap, { numeric: true, verbose: false, link: false }, expr)).toEqual(r);
    expect(ours(cap, { numeric: false, verbose: false, link: false }, expr)).toEqual(real(file, [], expr.split(' ')));
  });

  it('-v prints the transaction id and the options as tcpdump does', () => {
    const tail = (lines: string[]) => dhcp6(lines).map((l) => l.slice(l.indexOf(' dhcp6 ')));
    expect(tail(ours(cap, { numeric: true, verbose: true, link: false }))).toEqual(tail(real(file, ['-n', '-v'])));
  });
});
