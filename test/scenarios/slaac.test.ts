// Router advertisements and SLAAC over a whole world: pc1 — router1 — pc2, with `rtadvd eth0`
// on router1 and `ifconfig eth0 inet6 accept_rtadv` + `rtsol eth0` on pc1 (which has no IPv6
// configured). pc1 forms fc00:1::<modified EUI-64>, installs the default route via router1's
// link-local address, pings pc2; lifetimes run out once the link is cut; tshark judges RS/RA.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { stopRtadvd } from '../../src/emulator/node/daemons/rtadvd';
import { nodeFiles } from '../../src/emulator/node/files';
import { nd6LinkMtu } from '../../src/emulator/stack/nd6-rtr';
import { runCommand } from '../../src/emulator/shell';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { builder } from './topologies';

function prp(): TopologyDoc {
  const b = builder();
  const pc1 = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const pc2 = b.node('pc', 'pc2');
  b.link(pc1, r1);
  b.link(r1, pc2);
  const set = (n: typeof pc1, k: number, a: string) => (n.interfaces.filter((i) => i.type !== 'lo')[k].ipv6 = [a]);
  set(r1, 0, 'fc00:1::1/64');
  set(r1, 1, 'fc00:2::1/64');
  set(pc2, 0, 'fc00:2::20/64');
  pc2.routes6.push({ dest: '::/0', gateway: 'fc00:2::1' });
  return b.doc;
}

// pc1's eth0 MAC is 42:00:aa:00:00:01 → modified EUI-64 4000:aaff:fe00:1.
const SLAAC = 'fc00:1::4000:aaff:fe00:1';

/** Lets `s` seconds of virtual time pass (beyond a shell command's time limit). */
function wait(w: World, s: number): void {
  w.sim.runUntil(w.sim.now() + s * 1e9);
}

function autoconfigured(w: World): void {
  expect(runCommand(w, 'router1', 'rtadvd eth0').exitCode).toBe(0);
  expect(runCommand(w, 'pc1', 'ifconfig eth0 inet6 accept_rtadv').exitCode).toBe(0);
  expect(runCommand(w, 'pc1', 'rtsol eth0').exitCode).toBe(0);
  runCommand(w, 'pc1', 'sleep 5');
}

describe('rtadvd and SLAAC', () => {
  it('pc1 forms fc00:1::<eui64> with a default route via router1 and pings the far side', () => {
    const w = new World(prp(), { seed: 3 });
    // Without accept_rtadv nothing is learnt, even with a router advertising.
    runCommand(w, 'router1', 'rtadvd eth0');
    runCommand(w, 'pc1', 'ifconfig eth0 inet6 -ifdisabled');
    runCommand(w, 'pc1', 'rtsol eth0');
    runCommand(w, 'pc1', 'sleep 5');
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).not.toContain('fc00:1::');
    runCommand(w, 'pc1', 'ifconfig eth0 inet6 accept_rtadv');
    runCommand(w, 'pc1', 'rtsol eth0');
    runCommand(w, 'pc1', 'sleep 5');
    const ifc = runCommand(w, 'pc1', 'ifconfig eth0').output;
    expect(ifc).toMatch(new RegExp(`\\tinet6 ${SLAAC} prefixlen 64 autoconf pltime \\d+ vltime \\d+\\n`));
    expect(ifc).toContain('nd6 options=23<PERFORMNUD,ACCEPT_RTADV,AUTO_LINKLOCAL>');
    const rll = runCommand(w, 'router1', 'ifconfig eth0').output.match(/inet6 (fe80::[0-9a-f:]+)%eth0/)![1];
    const routes = runCommand(w, 'pc1', 'netstat -rn -f inet6').output;
    expect(routes).toMatch(new RegExp(`^default\\s+${rll}%eth0\\s+UG\\s+eth0$`, 'm'));
    expect(runCommand(w, 'pc1', 'ndp -r').output).toMatch(new RegExp(`^${rll}%eth0 if=eth0, flags=, pref=medium, expire=29m\\d+s$`, 'm'));
    expect(runCommand(w, 'pc1', 'ndp -p').output).toContain('fc00:1::/64 if=eth0');
    // Linux forms of the same state.
    expect(runCommand(w, 'pc1', 'ip -6 addr').output).toMatch(new RegExp(`inet6 ${SLAAC}/64 scope global dynamic mngtmpaddr \\n\\s+valid_lft 259\\d{4}sec preferred_lft 60\\d{4}sec`));
    expect(runCommand(w, 'pc1', 'ip -6 route').output).toContain(`default via ${rll} dev eth0 proto ra metric 1024 pref medium`);
    const ping = runCommand(w, 'pc1', 'ping6 -c 2 fc00:2::20');
    expect(ping.output).toContain(`PING6(56=40+8+8 bytes) ${SLAAC} --> fc00:2::20`);
    expect(ping.output).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(ping.exitCode).toBe(0);
  });

  it('sysctl net.inet6.ip6.accept_rtadv=1 is the default of interfaces attached afterwards (FreeBSD), then rtsol configures', () => {
    const w = new World(prp(), { seed: 4 });
    runCommand(w, 'router1', 'rtadvd eth0');
    expect(runCommand(w, 'pc1', 'sysctl net.inet6.ip6.accept_rtadv').output).toBe('net.inet6.ip6.accept_rtadv: 0\n');
    runCommand(w, 'pc1', 'sysctl net.inet6.ip6.accept_rtadv=1');
    expect(runCommand(w, 'pc1', 'sysctl -n net.inet6.ip6.accept_rtadv').output).toBe('1\n');
    runCommand(w, 'pc1', 'rtsol eth0');
    runCommand(w, 'pc1', 'sleep 5');
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain(`inet6 ${SLAAC} prefixlen 64 autoconf`);
    // router1's interfaces had IPv6 before: they keep accept_rtadv off.
    runCommand(w, 'router1', 'sysctl net.inet6.ip6.accept_rtadv=1');
    expect(runCommand(w, 'router1', 'ifconfig eth1').output).toContain('nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>');
  });

  it('rtadvd on a node that does not forward: prefixes are advertised with router lifetime 0, so no default route', () => {
    const b = builder();
    const pc1 = b.node('pc', 'pc1');
    const pc3 = b.node('pc', 'pc3');
    b.link(pc1, pc3);
    pc3.interfaces.filter((i) => i.type !== 'lo')[0].ipv6 = ['fc00:5::1/64'];
    const w = new World(b.doc, { seed: 2 });
    expect(runCommand(w, 'pc3', 'rtadvd eth0').exitCode).toBe(0);
    runCommand(w, 'pc1', 'ifconfig eth0 inet6 accept_rtadv');
    runCommand(w, 'pc1', 'rtsol eth0');
    runCommand(w, 'pc1', 'sleep 5');
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain(`inet6 fc00:5::4000:aaff:fe00:1 prefixlen 64 autoconf`);
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).not.toMatch(/^default/m);
    expect(runCommand(w, 'pc1', 'ping6 -c 1 fc00:5::1').exitCode).toBe(0);
  });

  it('rtadvd stopping sends a final RA with router lifetime 0: the default route goes at once, the address stays', () => {
    const w = new World(prp(), { seed: 3 });
    autoconfigured(w);
    stopRtadvd(w.nodeByName('router1')!.rtadvd!);
    runCommand(w, 'pc1', 'sleep 1');
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).not.toMatch(/^default/m);
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain(`inet6 ${SLAAC} prefixlen 64 autoconf`);
    // Nothing more is advertised.
    wait(w, 4000);
    expect(runCommand(w, 'pc1', 'ndp -r').output.trim()).toBe('');
  });

  it('unsolicited RAs alone configure the host (the first within 16 s), and keep the route fresh', () => {
    const w = new World(prp(), { seed: 7 });
    runCommand(w, 'pc1', 'ifconfig eth0 inet6 accept_rtadv');
    runCommand(w, 'router1', 'rtadvd eth0');
    runCommand(w, 'pc1', 'sleep 20');
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain(`inet6 ${SLAAC} prefixlen 64 autoconf`);
    // Well past one router lifetime (1800 s): periodic RAs (at most 600 s apart) refreshed it.
    wait(w, 4000);
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).toMatch(/^default\s+fe80::/m);
    expect(runCommand(w, 'pc1', 'ping6 -c 1 fc00:2::20').exitCode).toBe(0);
  });

  it('when the router stops being heard (link cut) the default route expires after the router lifetime', () => {
    const w = new World(prp(), { seed: 3 });
    autoconfigured(w);
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).toMatch(/^default\s+fe80::/m);
    w.setLinkUp('l0', false);
    wait(w, 1700);
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).toMatch(/^default\s+fe80::/m);
    wait(w, 200);
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).not.toMatch(/^default/m);
    expect(runCommand(w, 'pc1', 'ndp -r').output.trim()).toBe('');
    // The address's valid lifetime (30 days) still runs; the preferred one counts down.
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toMatch(new RegExp(`inet6 ${SLAAC} prefixlen 64 autoconf pltime 6028\\d\\d vltime 25900\\d\\d`));
  });

  it('after the preferred lifetime (7 days) the address is deprecated; after the valid one (30 days) it is gone', () => {
    const w = new World(prp(), { seed: 3 });
    autoconfigured(w);
    w.setLinkUp('l0', false);
    wait(w, 604800);
    expect(runCommand(w, 'pc1', 'ifconfig eth0').output).toContain(`inet6 ${SLAAC} prefixlen 64 autoconf deprecated pltime 0 vltime 19871`);
    wait(w, 1987200);
    const ifc = runCommand(w, 'pc1', 'ifconfig eth0').output;
    expect(ifc).not.toContain(SLAAC);
    expect(runCommand(w, 'pc1', 'netstat -rn -f inet6').output).not.toContain('fc00:1::');
  });
});

/** router1's /etc/rtadvd.conf for eth0: the MTU option, two DNS servers (one link-local) and two search domains. */
const RTADVD_CONF_TEXT = '# lab network\neth0:\\\n\t:mtu#1400:rdnss="fc00:1::53,fe80::53":dnssl="lab.example,example.com":\n';

function withRtadvdConf(w: World, text = RTADVD_CONF_TEXT): void {
  expect(nodeFiles(w.nodeByName('router1')!).write('/etc/rtadvd.conf', text)).toBeNull();
}

describe('rtadvd.conf: MTU, RDNSS and DNSSL options', () => {
  it('pc1 sends with the advertised link MTU and rtsol writes the servers and domains into /etc/resolv.conf', () => {
    const w = new World(prp(), { seed: 3 });
    withRtadvdConf(w);
    autoconfigured(w);
    const pc1 = w.nodeByName('pc1')!;
    expect(nodeFiles(pc1).read('/etc/resolv.conf')).toBe('# Generated by resolvconf\nsearch lab.example example.com\nnameserver fc00:1::53\nnameserver fe80::53%eth0\n');
    expect(nd6LinkMtu(pc1.stack!, 0)).toBe(1400);
    // 1428 bytes with -u (no 1280 minimum): above the advertised 1400, so pc1 fragments it.
    const before = pc1.stack!.inet6!.fragId;
    expect(runCommand(w, 'pc1', 'ping6 -u -c 1 -s 1380 fc00:2::20').output).toContain('1388 bytes from fc00:2::20');
    expect(pc1.stack!.inet6!.fragId).toBe(before + 1);
  });

  it('without rtadvd.conf no MTU option is sent (rtadvd.conf(5) default); a bad file or MTU is refused with its line', () => {
    const w = new World(prp(), { seed: 3 });
    autoconfigured(w);
    expect(nd6LinkMtu(w.nodeByName('pc1')!.stack!, 0)).toBe(1500);
    expect(nodeFiles(w.nodeByName('pc1')!).read('/etc/resolv.conf')).toMatchObject({ kind: 'no-such-file' });
    const w2 = new World(prp(), { seed: 3 });
    withRtadvdConf(w2, 'eth0:\\\n\t:rdnss="fc00::1,bogus":\n');
    expect(runCommand(w2, 'router1', 'rtadvd eth0')).toMatchObject({ exitCode: 1, output: 'rtadvd: /etc/rtadvd.conf:1: rdnss: inet_pton failed for bogus\n' });
    withRtadvdConf(w2, 'eth0:mtu#9000:\n');
    expect(runCommand(w2, 'router1', 'rtadvd eth0').output).toBe('rtadvd: advertised link mtu (9000) on eth0 is invalid (must be between least MTU (1280) and physical link MTU (1500))\n');
    expect(runCommand(w2, 'router1', 'rtadvd -c /etc/none eth0').output).toBe('rtadvd: /etc/none: No such file or directory\n');
  });
});

describe.skipIf(!tsharkAvailable())('tshark on RS/RA', () => {
  it('RS and RA dissect with their options, zero malformed and zero bad checksums', async () => {
    const w = new World(prp(), { seed: 3 });
    withRtadvdConf(w);
    const cap = w.startCapture({ kind: 'iface', node: 'pc1', iface: 'eth0' });
    autoconfigured(w);
    runCommand(w, 'pc1', 'ping6 -c 1 fc00:2::20');
    cap.finish();
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-ra-')), 'ra.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums, v.expertLines.join('; ')).toBe(0);
    const rows = await tsharkFields(file, ['icmpv6.type', 'icmpv6.nd.ra.router_lifetime', 'icmpv6.opt.prefix', 'icmpv6.opt.mtu', 'icmpv6.opt.rdnss', 'icmpv6.opt.dnssl', 'icmpv6.opt.rdnss.lifetime']);
    expect(rows.some((r) => r[0] === '133')).toBe(true);
    const ra = rows.find((r) => r[0] === '134');
    expect(ra).toBeDefined();
    expect(ra!.slice(1)).toEqual(['1800', 'fc00:1::', '1400', 'fc00:1::53,fe80::53', 'lab.example,example.com', '900']);
  }, 60_000);
});
