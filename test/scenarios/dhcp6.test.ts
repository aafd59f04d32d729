// DHCPv6 as IMUNES's DHCP6 lab runs it (DHCP6.imn with its start_stateless and start_dhcpd6
// scripts): R1 advertises fc00:3::/64 with rtadvd, the pcs accept router advertisements and
// solicit, DHCP6server runs ISC dhcpd -6 from /usr/local/etc/dhcpd6.conf, and every pc gets
// an address with `dhclient -6 -v -cf /dev/null eth0` (FIX its fixed-address6 by MAC), then
// reaches fc00:3::1; tcpdump on PC3 sees the exchange. Also renewal at T1, release, a bad
// config line, and tshark on the capture.
// RFC 8415 §18.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { nodeFiles } from '../../src/emulator/node/files';
import { in6Addrs } from '../../src/emulator/stack/in6';
import { formatIpv6 } from '../../src/emulator/wire/ipv6-addr';
import { nodeSnapshot } from '../../src/emulator/engine/inspect';
import { runStartup } from '../../src/emulator/engine/startup';
import { checkStartup } from '../../src/emulator/engine/startup-check';
import { decodeFrame, summarizeFrame } from '../../src/emulator/wire/decode';
import { compileFilter } from '../../src/emulator/filter/display-filter';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';
import { DHCPD6_CONF, dhcp6Imn, RTADVD_CONF } from './dhcp6-lab';
import { shellSession } from '../support/shell-session';

const S = 1_000_000_000;
const PCS = ['PC1', 'PC2', 'FIX'];

function sh(world: World, node: string, line: string): string {
  const r = runCommand(world, node, line);
  expect(r.exitCode, `${node}# ${line}\n${r.output}`).toBe(0);
  return r.output;
}

/** Writes a file through the node's shell, as the lab scripts copy theirs. */
function writeInShell(world: World, node: string, path: string, text: string): void {
  sh(world, node, `printf '%s' '${text.replace(/'/g, `'\\''`)}' > ${path}`);
}

function globals6(world: World, node: string): string[] {
  const st = world.nodeByName(node)!.stack!;
  const eth0 = st.ifaces.find((i) => i.name === 'eth0')!;
  return in6Addrs(st, eth0.index).filter((a) => !a.linkLocal).map((a) => `${formatIpv6(a.addr)}/${a.prefixLen}`);
}

/** start_stateless then start_dhcpd6, as IMUNES runs them (the FreeBSD branch). */
function runLab(world: World): Record<string, string> {
  writeInShell(world, 'R1', '/etc/rtadvd.conf', RTADVD_CONF);
  sh(world, 'R1', 'rtadvd eth1');
  for (const pc of [...PCS, 'PC3']) {
    sh(world, pc, 'ifconfig eth0 inet6 accept_rtadv');
    sh(world, pc, 'rtsol -D eth0');
  }
  sh(world, 'DHCP6server', 'mkdir -p /var/db');
  sh(world, 'DHCP6server', 'touch /var/db/dhcpd6.leases');
  expect(runCommand(world, 'DHCP6server', 'killall dhcpd').output).toBe('No matching processes were found\n');
  writeInShell(world, 'DHCP6server', '/usr/local/etc/dhcpd6.conf', DHCPD6_CONF);
  sh(world, 'DHCP6server', 'service isc-dhcpd6 onerestart');
  const out: Record<string, string> = {};
  for (const pc of PCS) out[pc] = sh(world, pc, 'dhclient -6 -v -cf /dev/null eth0');
  return out;
}

describe('IMUNES DHCP6.imn', () => {
  it('rtadvd gives the prefix, dhcpd -6 the addresses: FIX gets its fixed-address6, the others the range, and all reach fc00:3::1', () => {
    const world = new World(dhcp6Imn(), { seed: 1 });
    const out = runLab(world);
    expect(out.PC1).toContain('PRC: Soliciting for leases (INIT).\nXMT: Forming Solicit, 0 ms elapsed.\nXMT:  X-- IA_NA aa:00:00:08\nXMT:  | X-- Request renew in  +3600\nXMT:  | X-- Request rebind in +5400\n');
    expect(out.PC1).toContain('XMT:  | X-- Requested renew  +3600\nXMT:  | X-- Requested rebind +5400\n');
    expect(out.PC1).toMatch(/XMT: Solicit on eth0, interval \d+ms\./);
    expect(out.PC1).toMatch(/RCV: Advertise message on eth0 from fe80::/);
    expect(out.PC1).toContain('RCV:  Advertisement recorded.');
    expect(out.PC1).toMatch(/XMT: Request on eth0/);
    expect(out.PC1).toMatch(/RCV: Reply message on eth0 from fe80::/);
    expect(out.PC1).toMatch(/PRC: Bound to lease 00:01:00:01:/);
    expect(out.PC1).toContain('PRC: Renewal event scheduled in 13500 seconds, to run for 8100 seconds.');
    expect(out.PC1).toContain('PRC: Expiration scheduled in 43200 seconds.');
    const fix = globals6(world, 'FIX');
    expect(fix).toContain('fc00:3::50/128');
    const ranged = ['PC1', 'PC2'].map((pc) => globals6(world, pc).find((a) => a.endsWith('/128'))!);
    for (const a of ranged) expect(a).toMatch(/^fc00:3::10\d\/128$/);
    expect(new Set(ranged).size).toBe(2);
    for (const pc of PCS) {
      // the on-link prefix and the default router come from R1's advertisements
      expect(globals6(world, pc).some((a) => a.startsWith('fc00:3:') && a.endsWith('/64'))).toBe(true);
      expect(sh(world, pc, 'ping6 -c 1 fc00:3::1')).toContain('1 packets received');
    }
    // The lease file the config names, in dhcpd.leases(5) form; Inspect shows the bindings.
    const leases = nodeFiles(world.nodeByName('DHCP6server')!).read('/var/db/dhcpd6.leases') as string;
    expect(leases).toMatch(/^server-duid "/m);
    expect(leases).toMatch(/iaaddr fc00:3::10\d \{\n {4}binding state active;\n {4}preferred-life 27000;\n {4}max-life 43200;/);
    const snap = nodeSnapshot(world, world.nodeByName('DHCP6server')!);
    const table = snap.services!.find((s) => s.key === 'dhcpd6')!;
    expect(table.title).toBe('dhcpd -6 leases');
    expect(table.rows.filter((r) => r[2] === 'active')).toHaveLength(2);
    expect(table.rows).toContainEqual(['fc00:3::50', '42:aa:bb:00:aa:bb', 'fixed (host otherclient)', '—']);
    const pcSnap = nodeSnapshot(world, world.nodeByName('FIX')!);
    expect(pcSnap.services!.find((s) => s.key === 'dhclient6.eth0')!.rows).toContainEqual(['Address', 'fc00:3::50/128']);
    expect(sh(world, 'DHCP6server', 'service isc-dhcpd6 status')).toMatch(/dhcpd6 is running as pid \d+\.\n.*\n2 active leases/);
  });

  it('without -v dhclient -6 prints nothing; it renews at T1 with the same address, and -r releases it', () => {
    const world = new World(dhcp6Imn(), { seed: 2 });
    runLab(world);
    expect(sh(world, 'PC3', 'dhclient -6 -cf /dev/null eth0')).toBe('');
    const before = globals6(world, 'PC3').find((a) => a.endsWith('/128'));
    expect(before).toMatch(/^fc00:3::10\d\/128$/);
    world.sim.runUntil(world.sim.now() + 13_600 * S);
    const log = world.nodeByName('PC3')!.services!.running.get('dhclient6.eth0')!.log;
    expect(log.some((l) => l.startsWith('XMT: Renew on eth0'))).toBe(true);
    expect(log.filter((l) => l.startsWith('PRC: Bound to lease'))).toHaveLength(2);
    expect(globals6(world, 'PC3').find((a) => a.endsWith('/128'))).toBe(before);
    const srv = world.nodeByName('DHCP6server')!.services!.running.get('dhcpd6')!.log;
    expect(srv.some((l) => /^Renew message from fe80::\S+ port 546, transaction ID 0x[0-9A-F]{6}$/.test(l))).toBe(true);
    sh(world, 'PC3', 'dhclient -6 -r eth0');
    world.sim.runUntil(world.sim.now() + S);
    expect(globals6(world, 'PC3').some((a) => a.endsWith('/128'))).toBe(false);
    expect(srv.some((l) => l.startsWith('Release NA: address '))).toBe(true);
  });

  it('dhclient -6 on an interface without IPv6 configured gets its link-local first; killall dhcpd ends dhcpd -6', () => {
    const world = new World(dhcp6Imn(), { seed: 6 });
    writeInShell(world, 'DHCP6server', '/usr/local/etc/dhcpd6.conf', DHCPD6_CONF);
    sh(world, 'DHCP6server', 'dhcpd -6');
    expect(sh(world, 'PC3', 'dhclient -6 -v eth0')).toContain('PRC: Bound to lease');
    expect(globals6(world, 'PC3')).toEqual(['fc00:3::100/128']);
    sh(world, 'DHCP6server', 'killall dhcpd');
    expect(runCommand(world, 'DHCP6server', 'service isc-dhcpd6 status').output).toBe('dhcpd6 is not running.\n');
  });

  it('with the server gone the client renews until T2, rebinds until the valid lifetime ends, then drops the address and solicits again', () => {
    const world = new World(dhcp6Imn(), { seed: 9 });
    writeInShell(world, 'DHCP6server', '/usr/local/etc/dhcpd6.conf', DHCPD6_CONF);
    sh(world, 'DHCP6server', 'dhcpd -6');
    sh(world, 'PC3', 'dhclient -6 eth0');
    expect(globals6(world, 'PC3')).toEqual(['fc00:3::100/128']);
    sh(world, 'DHCP6server', 'killall dhcpd');
    const c = world.nodeByName('PC3')!.services!.running.get('dhclient6.eth0')!;
    world.sim.runUntil(world.sim.now() + 21_000 * S); // past T1 (13500 s), before T2 (21600 s)
    expect(c.status()[0]).toBe('eth0: RENEW');
    // Renew goes with the server's id, Rebind without, both to ff02::1:2 (RFC 8415 §18.2.4, §18.2.5).
    expect(c.log.some((l) => l.startsWith('XMT: Renew on eth0'))).toBe(true);
    world.sim.runUntil(world.sim.now() + 1_000 * S);
    expect(c.status()[0]).toBe('eth0: REBIND');
    expect(c.log.some((l) => l.startsWith('XMT: Rebind on eth0'))).toBe(true);
    expect(globals6(world, 'PC3')).toEqual(['fc00:3::100/128']);
    world.sim.runUntil(world.sim.now() + 21_300 * S); // past the valid lifetime (43200 s)
    expect(globals6(world, 'PC3')).toEqual([]);
    expect(c.log).toContain('PRC: Address fc00:3::100 expired.');
    expect(c.status()[0]).toBe('eth0: SOLICIT');
  });

  it('a full range6: the next client is told NoAddrsAvail, takes no address and keeps soliciting', () => {
    const world = new World(dhcp6Imn(), { seed: 10 });
    writeInShell(world, 'DHCP6server', '/usr/local/etc/dhcpd6.conf', 'subnet6 fc00:3::/64 {\n  range6 fc00:3::100 fc00:3::100;\n}\n');
    sh(world, 'DHCP6server', 'dhcpd -6');
    sh(world, 'PC1', 'dhclient -6 eth0');
    expect(globals6(world, 'PC1')).toEqual(['fc00:3::100/128']);
    const r = runCommand(world, 'PC2', 'dhclient -6 -v eth0');
    expect(r.output).toContain('RCV:  | X-- Status code: NoAddrsAvail No addresses available for this interface.');
    expect(r.output).not.toContain('PRC: Bound to lease');
    expect(globals6(world, 'PC2')).toEqual([]);
    expect(world.nodeByName('PC2')!.services!.running.get('dhclient6.eth0')!.status()[0]).toBe('eth0: SOLICIT');
    expect(world.nodeByName('DHCP6server')!.services!.running.get('dhcpd6')!.log).toContain('Unable to pick client address: no addresses available in subnet6 fc00:3::/64');
  });

  it('tcpdump on PC3 shows the exchange while PC3 runs dhclient -6, as IMUNES\'s test does', () => {
    const world = new World(dhcp6Imn(), { seed: 8 });
    runLab(world);
    const t = shellSession(world, 'PC3');
    t.exec("tcpdump -n -i eth0 'port 546 or port 547' &");
    t.exec('dhclient -6 -cf /dev/null eth0');
    world.sim.runUntil(world.sim.now() + 10 * S);
    t.exec('kill %1');
    world.sim.runUntil(world.sim.now() + S);
    const lines = t.out.text.split('\n').filter((l) => l.includes(' dhcp6 '));
    expect(lines.map((l) => / dhcp6 (\S+)/.exec(l)![1])).toEqual(['solicit', 'advertise', 'request', 'reply']);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IP6 fe80::4000:aaff:fe00:a\.546 > ff02::1:2\.547: dhcp6 solicit$/);
    expect(t.out.text).toContain('4 packets captured');
  });

  it('a bad dhcpd6.conf line is a located error on that node, and dhcpd does not start', () => {
    const world = new World(dhcp6Imn(), { seed: 3 });
    writeInShell(world, 'DHCP6server', '/usr/local/etc/dhcpd6.conf', 'authoritative;\nsubnet6 fc00:3::/64 {\n  range6 fc00:3::100 fc00:4::109;\n  range 10.0.0.1 10.0.0.2;\n}\n');
    const r = runCommand(world, 'DHCP6server', 'dhcpd -6');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('/usr/local/etc/dhcpd6.conf:3: range6 fc00:3::100 fc00:4::109: the high address is below the low one or too far from it');
    expect(r.output).toContain('/usr/local/etc/dhcpd6.conf:4: range: an IPv4 statement in a DHCPv6 configuration (use range6)');
    expect(r.output).toContain('Configuration file errors encountered -- exiting');
    expect(runCommand(world, 'DHCP6server', 'service isc-dhcpd6 status').output).toBe('dhcpd6 is not running.\n');
  });

  it('from the startup configuration, a bad line is a warning `node: file:line: message`; the rest of the network runs', () => {
    const doc = dhcp6Imn();
    const srv = doc.nodes.find((n) => n.name === 'DHCP6server')!;
    srv.startup = ['cat > /usr/local/etc/dhcpd6.conf << EOF', 'subnet6 fc00:3::/64 {', '  range6 fc00:3::100;', '}', 'EOF', 'service isc-dhcpd6 start'];
    expect(checkStartup(srv.startup)).toEqual([]);
    const world = new World(doc, { seed: 7 });
    runStartup(world, doc);
    world.sim.runUntil(2 * S);
    expect(world.warnings).toContain('DHCP6server: /usr/local/etc/dhcpd6.conf:2: range6 fc00:3::100: expecting "range6 LOW HIGH;" or "range6 PREFIX/LEN;" within subnet6');
    expect(runCommand(world, 'DHCP6server', 'ping6 -c 1 fc00:3::1').exitCode).toBe(0);
  });

  it('the capture tree decodes DHCPv6 and the dhcpv6 filter selects it', () => {
    const world = new World(dhcp6Imn(), { seed: 4 });
    const cap = world.startCapture({ kind: 'iface', node: 'PC1', iface: 'eth0' });
    runLab(world);
    cap.finish();
    const f = compileFilter('dhcpv6');
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    const rows = cap.frames.map((fr) => ({ proto: summarizeFrame(fr.frame).proto, src: '', dst: '', info: '', lengthBytes: fr.frame.length, where: '', bytes: fr.frame }));
    const picked = rows.filter(f.match);
    expect(picked.length).toBeGreaterThanOrEqual(4);
    expect(picked.every((r) => r.proto === 'dhcp')).toBe(true); // coloured and animated as DHCP
    const layers = picked.map((r) => decodeFrame(r.bytes).find((l) => l.name === 'DHCPv6')!);
    expect(layers.map((l) => l.value)).toEqual(expect.arrayContaining(['Solicit', 'Advertise', 'Request', 'Reply']));
    const reply = layers.find((l) => l.value === 'Reply')!;
    const ia = reply.children!.find((c) => c.name === 'Identity Association for Non-temporary Address')!;
    expect(ia.children!.find((c) => c.name === 'IA Address')!.children!.find((c) => c.name === 'IPv6 address')!.value).toMatch(/^fc00:3::10\d$/);
    const info = picked.map((r) => summarizeFrame(r.bytes).info);
    expect(info).toContainEqual(expect.stringMatching(/^Reply XID: 0x[0-9a-f]{6} IAA: fc00:3::10\d CID: 00010001[0-9a-f]{8}4200aa000008$/));
  });
});

describe.skipIf(!tsharkAvailable())('tshark on DHCPv6 traffic', () => {
  it('decodes the exchange with zero malformed packets and the message types in order', async () => {
    const world = new World(dhcp6Imn(), { seed: 5 });
    runLab(world);
    const cap = world.startCapture({ kind: 'iface', node: 'PC3', iface: 'eth0' });
    sh(world, 'PC3', 'dhclient -6 -cf /dev/null eth0');
    world.sim.runUntil(world.sim.now() + 13_600 * S);
    sh(world, 'PC3', 'dhclient -6 -r eth0');
    world.sim.runUntil(world.sim.now() + S);
    cap.finish();
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-dhcp6-')), 'dhcp6.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const rows = (await runTshark(['-r', file, '-Y', 'dhcpv6', '-T', 'fields', '-e', 'dhcpv6.msgtype', '-e', 'ipv6.dst', '-e', 'dhcpv6.iaaddr.ip'])).trim().split('\n');
    const types = rows.map((r) => r.split('\t')[0]);
    expect(types.slice(0, 4)).toEqual(['1', '2', '3', '7']);
    expect(types).toContain('5'); // Renew
    expect(types).toContain('8'); // Release
    expect(rows[0].split('\t')[1]).toBe('ff02::1:2');
    // Our Info column is tshark's, frame for frame.
    const theirs = (await runTshark(['-r', file, '-Y', 'dhcpv6', '-T', 'fields', '-e', '_ws.col.Info'])).trim().split('\n').map((l) => l.trim());
    const ours = cap.frames.map((f) => summarizeFrame(f.frame)).filter((x) => x.proto === 'dhcp').map((x) => x.info);
    expect(ours).toEqual(theirs);
    expect(rows[3].split('\t')[2]).toMatch(/^fc00:3::10\d$/);
  }, 60_000);
});
