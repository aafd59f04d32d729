// IPv6 scenarios over whole worlds, on IMUNES's h-r-h.imn (host1 fc00::10 — router1 —
// host2 fc00:1::10) and small builders: ping6 hop limits and RTTs computed by hand,
// traceroute6 hop lists, no route, an absent neighbor, a hop-limit loop, a DAD conflict
// through a switch, NDP states with their timers, and tshark on the captures.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { readImn } from '../../src/emulator/topology/imunes';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { tsharkAvailable, validateCapture } from '../support/tshark';
import { builder } from './topologies';

function hrh(): TopologyDoc {
  const r = readImn(readFileSync(join(IMUNES_EXAMPLES, 'h-r-h.imn'), 'utf8'), 'h-r-h.imn');
  if ('errors' in r) throw new Error('h-r-h.imn');
  return r.doc;
}

const hlims = (out: string) => [...out.matchAll(/hlim=(\d+)/g)].map((m) => Number(m[1]));
const times = (out: string) => [...out.matchAll(/time=(\d+\.\d{3}) ms/g)].map((m) => Number(m[1]));

/** pc1 — router1 — router2 with IPv6 only; `loop` makes them point fc00:9::/64 at each other. */
function v6Chain(opts: { loop?: boolean; delayUs?: number; bandwidthBps?: number } = {}): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const r2 = b.node('router', 'router2');
  const params = { delayUs: opts.delayUs ?? 0, bandwidthBps: opts.bandwidthBps ?? 0 };
  b.link(pc1, r1, { params });
  b.link(r1, r2, { params });
  const set = (n: typeof pc1, k: number, a: string) => (n.interfaces.filter((i) => i.type !== 'lo')[k].ipv6 = [a]);
  set(pc1, 0, 'fc00::20/64');
  set(r1, 0, 'fc00::1/64');
  set(r1, 1, 'fc00:1::1/64');
  set(r2, 0, 'fc00:1::2/64');
  pc1.routes6.push({ dest: '::/0', gateway: 'fc00::1' });
  r2.routes6.push({ dest: 'fc00::/64', gateway: 'fc00:1::1' });
  if (opts.loop) {
    r1.routes6.push({ dest: 'fc00:9::/64', gateway: 'fc00:1::2' });
    r2.routes6.push({ dest: 'fc00:9::/64', gateway: 'fc00:1::1' });
  }
  return b.doc;
}

describe('ping6 and traceroute6 on IMUNES h-r-h.imn', () => {
  it('ping6 across the router: hop limit 63, FreeBSD ping6 lines, exit 0; ping -6 and ping ADDR alike', () => {
    const w = new World(hrh());
    const r = runCommand(w, 'host1', 'ping6 -c 2 fc00:1::10');
    expect(r.output.split('\n')[0]).toBe('PING6(56=40+8+8 bytes) fc00::10 --> fc00:1::10');
    expect(r.output).toMatch(/^16 bytes from fc00:1::10, icmp_seq=0 hlim=63 time=\d+\.\d{3} ms$/m);
    expect(hlims(r.output)).toEqual([63, 63]);
    expect(r.output).toContain('--- fc00:1::10 ping6 statistics ---\n2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(r.exitCode).toBe(0);
    expect(hlims(runCommand(w, 'host1', 'ping -6 -c 1 host2').output)).toEqual([63]);
    expect(hlims(runCommand(w, 'host1', 'ping -c 1 fc00::1').output)).toEqual([64]);
    expect(hlims(runCommand(w, 'host1', 'ping6 -c 1 -m 1 fc00::1').output)).toEqual([64]);
  });

  it('traceroute6 lists router1 then host2', () => {
    const w = new World(hrh());
    const r = runCommand(w, 'host1', 'traceroute6 -n fc00:1::10');
    const lines = r.output.trimEnd().split('\n');
    expect(lines[0]).toBe('traceroute6 to fc00:1::10 (fc00:1::10) from fc00::10, 64 hops max, 12 byte packets');
    expect(lines.slice(1).map((l) => l.replace(/\d+\.\d{3} ms/g, 'T'))).toEqual([' 1  fc00::1  T  T  T', ' 2  fc00:1::10  T  T  T']);
    expect(runCommand(w, 'host1', 'traceroute6 fc00:1::10').output).toContain(' 1  router1 (fc00::1)');
  });

  it('interfaces, routes, neighbors and the sysctl show IPv6 as FreeBSD does', () => {
    const w = new World(hrh());
    runCommand(w, 'host1', 'ping6 -c 1 fc00:1::10');
    // Boot addresses are optimistic (usable) while their DAD runs, and shown tentative.
    expect(runCommand(w, 'host1', 'ifconfig eth0').output).toContain('\tinet6 fc00::10 prefixlen 64 tentative\n');
    runCommand(w, 'host1', 'sleep 2');
    const ifc = runCommand(w, 'host1', 'ifconfig eth0').output;
    expect(ifc).toMatch(/\tinet6 fe80::4000:aaff:fe00:[0-9a-f]+%eth0 prefixlen 64 scopeid 0x1\n\tinet6 fc00::10 prefixlen 64\n/);
    expect(ifc).toContain('\tnd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>');
    const rt = runCommand(w, 'host1', 'netstat -rn -f inet6').output;
    expect(rt).toMatch(/^default +fc00::1 +UGS +eth0$/m);
    expect(rt).toMatch(/^fc00::\/64 +link#1 +U +eth0$/m);
    expect(rt).not.toContain('Internet:');
    expect(runCommand(w, 'host1', 'ndp -an').output).toMatch(/^fc00::1 +[0-9a-f:]{17} +eth0 \d+s +R R$/m);
    expect(runCommand(w, 'router1', 'sysctl net.inet6.ip6.forwarding').output).toBe('net.inet6.ip6.forwarding: 1\n');
    expect(runCommand(w, 'host1', 'route -6 get fc00:1::10').output).toContain('    gateway: fc00::1\n');
    expect(runCommand(w, 'host1', 'ip -6 route').output).toContain('default via fc00::1 dev eth0 proto static');
  });

  it('netstat -i lists inet6 rows (link-local with its zone, global, lo0) and -f inet6 only them; netstat -s -p ip6/icmp6', () => {
    const w = new World(hrh());
    runCommand(w, 'host1', 'ping6 -c 1 fc00:1::10');
    const all = runCommand(w, 'host1', 'netstat -i').output.split('\n');
    const at = (re: RegExp) => all.findIndex((l) => re.test(l));
    // FreeBSD's order per interface: the link row, inet, then inet6 (link-local first); columns truncated as FreeBSD's (13 and 17 wide).
    expect(at(/^eth0 +1500 <Link#1>/)).toBeLessThan(at(/^eth0 +- fe80::%eth0\/6 fe80::4000:aaff:f +\d+ +- +- +\d+ +- +-$/));
    expect(at(/^eth0 +- fe80::%eth0\/6 /)).toBeLessThan(at(/^eth0 +- fc00::\/64 +fc00::10 /));
    expect(all).toContainEqual(expect.stringMatching(/^lo0 +- ::1\/128 +localhost /));
    expect(all).toContainEqual(expect.stringMatching(/^lo0 +- fe80::%lo0\/64 fe80::1%lo0 /));
    const v6 = runCommand(w, 'host1', 'netstat -i -f inet6').output.split('\n').filter((l) => l !== '');
    expect(v6[0]).toMatch(/^Name +Mtu Network +Address +Ipkts Ierrs Idrop +Opkts Oerrs +Coll$/);
    expect(v6.slice(1).every((l) => / +- (fe80|fc00|::1)/.test(l))).toBe(true);
    expect(v6.length).toBe(5); // eth0's two, lo0's two, the header
    expect(runCommand(w, 'host1', 'netstat -in -6').output).toBe(runCommand(w, 'host1', 'netstat -i -f inet6').output);
    expect(runCommand(w, 'host1', 'netstat -i -f inet').output).not.toContain('fe80');
    const bad = runCommand(w, 'host1', 'netstat -i -f ipx');
    expect([bad.exitCode, bad.output]).toEqual([1, 'netstat: ipx: unknown address family\n']);
    expect(runCommand(w, 'router1', 'netstat -s -p ip6').output).toMatch(/^ip6:\n\t\d+ total packets received\n\t\d+ packets for this host\n\t[1-9]\d* packets forwarded\n/);
    expect(runCommand(w, 'host1', 'netstat -s -p icmp6').output).toMatch(/\t\tneighbor solicitation: [1-9]/);
    expect(runCommand(w, 'host1', 'netstat -s -p nosuch').exitCode).toBe(1);
  });
});

describe('IPv6 failures', () => {
  it('no route: silent without -v, "No Route to Destination" from the router with -v', () => {
    const w = new World(hrh());
    const quiet = runCommand(w, 'host1', 'ping6 -c 1 fc00:9::1');
    expect(quiet.output).not.toMatch(/bytes from/);
    expect(quiet.exitCode).toBe(2);
    const v = runCommand(w, 'host1', 'ping6 -v -c 1 fc00:9::1').output;
    expect(v).toContain('64 bytes from fc00::1: No Route to Destination\nVr TC  Flow Plen Nxt Hlim\n 6 00 00000 0010  3a   3f\nfc00::10->fc00:9::1\nICMP6: type = 128, code = 0\n');
    expect(runCommand(w, 'router1', 'ping6 -c 1 fc00:9::1').output).toContain('ping6: sendmsg: No route to host');
  });

  it('an absent neighbor: three solicitations a second apart, then address unreachable', () => {
    const w = new World(hrh());
    const t0 = w.sim.now();
    const r = runCommand(w, 'host1', 'ping6 -v -c 1 fc00::99');
    expect(r.output).toContain('bytes from fc00::10: Destination Host Unreachable');
    expect(w.sim.now() - t0).toBeGreaterThanOrEqual(3e9);
  });

  it('a routing loop: the hop limit runs out and a router says so', () => {
    const w = new World(v6Chain({ loop: true }));
    const r = runCommand(w, 'pc1', 'ping6 -v -c 1 fc00:9::1');
    expect(r.output).toMatch(/bytes from fc00(:1)?::[12]: Time to live exceeded/);
    // 64 − 1 at router1, then the packet bounces until the hop limit reaches 1.
    expect(r.exitCode).toBe(2);
  });

  it('DAD through a switch: an address already in use ends up duplicated and unused', () => {
    const b = builder();
    const pc1 = b.node('pc', 'pc1');
    const pc2 = b.node('pc', 'pc2');
    const sw = b.node('lanswitch', 'switch1');
    b.link(pc1, sw);
    b.link(pc2, sw);
    pc1.interfaces[0].ipv6 = ['fc00::20/64'];
    pc2.interfaces[0].ipv6 = ['fc00::21/64'];
    const w = new World(b.doc);
    runCommand(w, 'pc2', 'sleep 3');
    expect(runCommand(w, 'pc2', 'ifconfig eth0 inet6 fc00::20/64 alias').exitCode).toBe(0);
    expect(runCommand(w, 'pc2', 'ifconfig eth0').output).toContain('\tinet6 fc00::20 prefixlen 64 tentative\n');
    runCommand(w, 'pc2', 'sleep 2');
    expect(runCommand(w, 'pc2', 'ifconfig eth0').output).toContain('\tinet6 fc00::20 prefixlen 64 duplicated\n');
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain('\tinet6 fc00::20 prefixlen 64\n');
    // pc2 still treats the duplicated fc00::20 as its own, so pc1 is reached by link-local.
    const ll = runCommand(w, 'pc1', 'ping6 -c 1 fe80::4000:aaff:fe00:3%eth0').output;
    expect(ll).toContain('16 bytes from fe80::4000:aaff:fe00:3%eth0, icmp_seq=0 hlim=64');
  });

  it('NDP states with their timers: REACHABLE, then STALE after ReachableTime, DELAY on use', () => {
    const w = new World(hrh());
    runCommand(w, 'host1', 'ping6 -c 1 fc00::1');
    const state = () => /^fc00::1 .* ([A-Z]) R$/m.exec(runCommand(w, 'host1', 'ndp -an').output)?.[1];
    expect(state()).toBe('R');
    runCommand(w, 'host1', 'sleep 50');
    expect(state()).toBe('S');
    runCommand(w, 'host1', 'ping6 -c 1 -i 0.1 fc00::1');
    expect(['D', 'R']).toContain(state()); // DELAY, or REACHABLE again if the probe was answered
  });
});

describe('RTT', () => {
  it('RTT is 2 × (delay + serialization) per link crossed, with 70-byte ping6 frames', () => {
    const delayUs = 5000;
    const bandwidthBps = 1_000_000;
    // 8 data + 8 ICMPv6 + 40 IPv6 + 14 Ethernet = 70 bytes: 560 µs at 1 Mb/s.
    const perLinkNs = delayUs * 1000 + Math.ceil((70 * 8 * 1e9) / bandwidthBps);
    const w = new World(v6Chain({ delayUs, bandwidthBps }));
    const r = runCommand(w, 'pc1', 'ping6 -c 3 fc00:1::2');
    expect(hlims(r.output)).toEqual([63, 63, 63]);
    expect(times(r.output).slice(1)).toEqual([(4 * perLinkNs) / 1e6, (4 * perLinkNs) / 1e6]);
  });
});

/** pc1 — router1 — pc2 where router1's eth1 and pc2 have MTU 1400. */
function narrowPath(): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, r1);
  b.link(r1, pc2);
  pc1.interfaces[0].ipv6 = ['fc00::20/64'];
  r1.interfaces[0].ipv6 = ['fc00::1/64'];
  r1.interfaces[1].ipv6 = ['fc00:1::1/64'];
  r1.interfaces[1].mtu = 1400;
  pc2.interfaces[0].ipv6 = ['fc00:1::20/64'];
  pc2.interfaces[0].mtu = 1400;
  pc1.routes6.push({ dest: '::/0', gateway: 'fc00::1' });
  pc2.routes6.push({ dest: '::/0', gateway: 'fc00:1::1' });
  return b.doc;
}

describe('fragmentation and path MTU', () => {
  it('ping6 -s 3000: fragmented at the source (1280 by default), reassembled, answered', () => {
    const w = new World(narrowPath());
    const r = runCommand(w, 'pc1', 'ping6 -c 2 -s 3000 fc00:1::20');
    expect(r.output.split('\n')[0]).toBe('PING6(3048=40+8+3000 bytes) fc00::20 --> fc00:1::20');
    expect(r.output).toContain('3008 bytes from fc00:1::20, icmp_seq=1 hlim=63');
  });

  it('Packet Too Big from the router lowers the path MTU; the next echo gets through (-u)', () => {
    const w = new World(narrowPath());
    const r = runCommand(w, 'pc1', 'ping6 -v -u -c 3 -s 1452 fc00:1::20');
    expect(r.output).toContain('bytes from fc00::1: Packet too big mtu = 1400\n');
    expect(r.output).toContain('1460 bytes from fc00:1::20, icmp_seq=1 hlim=63');
    expect(r.output).toContain('3 packets transmitted, 2 packets received');
    expect(w.nodeByName('pc1')!.stack!.inet6!.pmtu!.size).toBe(1);
  });
});

describe.skipIf(!tsharkAvailable())('tshark on IPv6 captures', () => {
  it('NDP, echo, errors and traceroute6 dissect with zero malformed and zero bad checksums', async () => {
    const w = new World(hrh(), { seed: 5 });
    const caps = [w.startCapture({ kind: 'iface', node: 'host1', iface: 'eth0' }), w.startCapture({ kind: 'iface', node: 'router1', iface: 'eth1' })];
    for (const line of ['ping6 -c 2 fc00:1::10', 'traceroute6 -n fc00:1::10', 'ping6 -c 1 fc00:9::1', 'ping6 -c 1 fc00::99', 'ping6 -c 1 -m 1 fc00:1::10', 'ping6 -c 1 -s 3000 fc00:1::10']) runCommand(w, 'host1', line);
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-v6-'));
    for (const [k, cap] of caps.entries()) {
      cap.finish();
      const file = join(dir, `v6-${k}.pcapng`);
      writeFileSync(file, cap.toPcapng());
      const v = await validateCapture(file);
      expect(v.packets).toBe(cap.frames.length);
      expect(v.packets).toBeGreaterThan(10);
      expect(v.malformed, v.expertLines.join('; ')).toBe(0);
      expect(v.badChecksums, v.expertLines.join('; ')).toBe(0);
    }
  }, 60_000);
});
