// DHCP as labs run it: a pc gets its address from a server two routers away through a
// relay (giaddr), renews at T1 and loses the lease at expiry in virtual time, two servers
// and a rogue server (the client takes the first offer), IMUNES's DHCP.imn, tshark on the
// capture, and a bad dhcpd.conf line reported with file and line while the rest runs.
// RFC 2131 §3.1, §4.1, §4.3, §4.4; RFC 1542 §4.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { nodeFiles } from '../../src/emulator/node/files';
import { routeList } from '../../src/emulator/stack/route';
import { udpSend } from '../../src/emulator/stack/udp';
import { formatIpv4 } from '../../src/emulator/wire/addr';
import { exportWarnings, parseTopology, serializeTopology } from '../../src/emulator/topology/formats';
import { runStartup } from '../../src/emulator/engine/startup';
import { nodeSnapshot } from '../../src/emulator/engine/inspect';
import { decodeFrame, summarizeFrame } from '../../src/emulator/wire/decode';
import { compileFilter } from '../../src/emulator/filter/display-filter';
import { checkStartup } from '../../src/emulator/engine/startup-check';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { IMUNES_EXAMPLES } from '../support/paths';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';
import { builder } from './topologies';

const S = 1_000_000_000;

const CONF = `# lab DHCP server
default-lease-time 600;
max-lease-time 7200;
option domain-name "lab.example";
option domain-name-servers 10.0.2.53;

subnet 10.0.0.0 netmask 255.255.255.0 {
  range 10.0.0.100 10.0.0.110;
  option routers 10.0.0.1;
}
subnet 10.0.2.0 netmask 255.255.255.0 {
}
`;

/** pc1 (no address) — r1 — r2 — server (10.0.2.10). r1 relays to the server. */
function relayLab(): TopologyDoc {
  const b = builder();
  const pc = b.node('pc', 'pc1');
  const r1 = b.node('router', 'r1');
  const r2 = b.node('router', 'r2');
  const srv = b.node('host', 'server');
  b.link(pc, r1, { bIp: '10.0.0.1/24' });
  b.link(r1, r2, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
  b.link(r2, srv, { aIp: '10.0.2.1/24', bIp: '10.0.2.10/24' });
  b.route(r1, '10.0.2.0/24', '10.0.1.2');
  b.route(r2, '10.0.0.0/24', '10.0.1.1');
  b.route(srv, '0.0.0.0/0', '10.0.2.1');
  return b.doc;
}

function addrOf(world: World, node: string, iface = 'eth0'): string[] {
  return world.nodeByName(node)!.stack!.ifaces.find((i) => i.name === iface)!.addrs.map((a) => `${formatIpv4(a.addr)}/${a.prefixLen}`);
}

function defaultGw(world: World, node: string): string | null {
  const r = routeList(world.nodeByName(node)!.stack!).find((x) => x.dest === 0 && x.prefixLen === 0);
  return r?.gateway ? formatIpv4(r.gateway) : null;
}

function relayWorld(conf = CONF): World {
  const world = new World(relayLab(), { seed: 7 });
  nodeFiles(world.nodeByName('server')!).write('/usr/local/etc/dhcpd.conf', conf);
  expect(runCommand(world, 'server', 'dhcpd eth0').exitCode).toBe(0);
  expect(runCommand(world, 'r1', 'dhcrelay -i eth0 10.0.2.10').exitCode).toBe(0);
  return world;
}

describe('DHCP through a relay two routers away', () => {
  it('DISCOVER/OFFER/REQUEST/ACK as FreeBSD dhclient prints it; address, mask, router and resolv.conf configured', () => {
    const world = relayWorld();
    const r = runCommand(world, 'pc1', 'dhclient eth0');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(
      [
        'DHCPDISCOVER on eth0 to 255.255.255.255 port 67 interval 3',
        'DHCPOFFER from 10.0.0.1',
        'DHCPREQUEST on eth0 to 255.255.255.255 port 67',
        'DHCPACK from 10.0.0.1',
        'bound to 10.0.0.100 -- renewal in 300 seconds.',
        '',
      ].join('\n'),
    );
    expect(addrOf(world, 'pc1')).toEqual(['10.0.0.100/24']);
    expect(defaultGw(world, 'pc1')).toBe('10.0.0.1');
    expect(runCommand(world, 'pc1', 'cat /etc/resolv.conf').output).toBe('search lab.example\nnameserver 10.0.2.53\n');
    expect(runCommand(world, 'server', 'cat /var/db/dhcpd.leases').output).toMatch(/lease 10\.0\.0\.100 \{\n  starts .*;\n  ends .*;\n  binding state active;\n  hardware ethernet 42:00:aa:00:00:01;\n\}/);
    // Inspect shows the server's lease and the client's.
    const srv = nodeSnapshot(world, world.nodeByName('server')!).services!;
    expect(srv[0]).toMatchObject({ title: 'dhcpd leases', columns: ['Address', 'MAC', 'State', 'Expires in'], rows: [['10.0.0.100', '42:00:aa:00:00:01', 'active', '600 s']] });
    const cli = nodeSnapshot(world, world.nodeByName('pc1')!).services![0];
    expect(cli.title).toBe('dhclient eth0');
    expect(cli.rows).toContainEqual(['Address', '10.0.0.100/24']);
    expect(nodeSnapshot(world, world.nodeByName('r2')!).services).toBeUndefined();
    // The new address works end to end.
    expect(runCommand(world, 'pc1', 'ping -c 1 10.0.2.10').output).toContain('1 packets received');
  });

  it('renews at T1 (unicast to the server), and the lease expires when the server is gone', () => {
    const world = relayWorld();
    runCommand(world, 'pc1', 'dhclient eth0');
    const t0 = world.sim.now();
    world.sim.runUntil(t0 + 310 * S);
    const log = world.nodeByName('pc1')!.services!.running.get('dhclient.eth0')!.log;
    expect(log.slice(-3)).toEqual(['DHCPREQUEST on eth0 to 10.0.2.10 port 67', 'DHCPACK from 10.0.2.10', 'bound to 10.0.0.100 -- renewal in 300 seconds.']);
    // The server stops: RENEWING, then REBINDING at T2 (broadcast), then expiry unconfigures.
    expect(runCommand(world, 'server', 'service dhcpd stop').exitCode).toBe(0);
    world.sim.runUntil(world.sim.now() + 530 * S);
    expect(log).toContain('DHCPREQUEST on eth0 to 255.255.255.255 port 67');
    world.sim.runUntil(world.sim.now() + 80 * S);
    expect(log.join('\n')).toContain('eth0: lease 10.0.0.100 expired');
    expect(addrOf(world, 'pc1')).toEqual([]);
    expect(defaultGw(world, 'pc1')).toBeNull();
  });

  it('restarted with a saved lease, dhclient asks for it again first (INIT-REBOOT)', () => {
    const world = relayWorld();
    runCommand(world, 'pc1', 'dhclient eth0');
    expect(runCommand(world, 'pc1', 'service dhclient stop eth0').exitCode).toBe(0);
    expect(runCommand(world, 'pc1', 'cat /var/db/dhclient.leases.eth0').output).toContain('  fixed-address 10.0.0.100;\n');
    const r = runCommand(world, 'pc1', 'dhclient eth0');
    expect(r.output).toBe('DHCPREQUEST on eth0 to 255.255.255.255 port 67\nDHCPACK from 10.0.0.1\nbound to 10.0.0.100 -- renewal in 300 seconds.\n');
    expect(runCommand(world, 'pc1', 'service dhclient status eth0').output).toContain('eth0: BOUND');
  });

  it('dhclient -r releases: the address goes and the server frees the lease', () => {
    const world = relayWorld();
    runCommand(world, 'pc1', 'dhclient eth0');
    const r = runCommand(world, 'pc1', 'dhclient -r eth0');
    expect(r.output).toBe('DHCPRELEASE on eth0 to 10.0.2.10 port 67\n');
    world.sim.runUntil(world.sim.now() + S);
    expect(addrOf(world, 'pc1')).toEqual([]);
    expect(runCommand(world, 'server', 'cat /var/db/dhcpd.leases').output).toContain('binding state free;');
    // Released, the lease is not asked for again: the next dhclient starts with DISCOVER.
    expect(runCommand(world, 'pc1', 'dhclient eth0').output).toMatch(/^DHCPDISCOVER on eth0/);
  });
});

describe('two servers and a rogue server', () => {
  function lanWithServers(): World {
    const b = builder();
    const sw = b.node('lanswitch', 'sw');
    const pc = b.node('pc', 'pc1');
    const good = b.node('host', 'good');
    const rogue = b.node('host', 'rogue');
    b.link(pc, sw);
    b.link(good, sw, { aIp: '10.0.0.2/24' });
    // The rogue answers at once; the good server sits behind a slower link.
    b.doc.links[1].params.delayUs = 2000;
    b.link(rogue, sw, { aIp: '10.0.0.66/24' });
    const world = new World(b.doc, { seed: 3 });
    nodeFiles(world.nodeByName('good')!).write('/usr/local/etc/dhcpd.conf', 'subnet 10.0.0.0 netmask 255.255.255.0 {\n range 10.0.0.100 10.0.0.199;\n option routers 10.0.0.1;\n}\n');
    nodeFiles(world.nodeByName('rogue')!).write('/usr/local/etc/dhcpd.conf', 'subnet 10.0.0.0 netmask 255.255.255.0 {\n range 10.0.0.200 10.0.0.250;\n option routers 10.0.0.66;\n option domain-name-servers 10.0.0.66;\n}\n');
    expect(runCommand(world, 'good', 'dhcpd').exitCode).toBe(0);
    expect(runCommand(world, 'rogue', 'dhcpd').exitCode).toBe(0);
    return world;
  }

  it('the client takes the first offer (the rogue), and the other server frees its offer', () => {
    const world = lanWithServers();
    const r = runCommand(world, 'pc1', 'dhclient eth0');
    expect(r.output).toContain('DHCPOFFER from 10.0.0.66');
    expect(r.output).toContain('bound to 10.0.0.200');
    expect(defaultGw(world, 'pc1')).toBe('10.0.0.66');
    expect(runCommand(world, 'pc1', 'cat /etc/resolv.conf').output).toBe('nameserver 10.0.0.66\n');
    // The good server saw the client pick another server: no lease kept there.
    expect(runCommand(world, 'good', 'cat /var/db/dhcpd.leases').output).not.toMatch(/^lease /m);
  });

  it('replies are unicast to a pc\'s MAC and offered address; a router (which forwards) asks for broadcast replies', () => {
    const b = builder();
    const sw = b.node('lanswitch', 'sw');
    const pc = b.node('pc', 'pc1');
    const rc = b.node('router', 'rc');
    const srv = b.node('host', 'srv');
    b.link(pc, sw);
    b.link(rc, sw);
    b.link(srv, sw, { aIp: '10.0.0.2/24' });
    const world = new World(b.doc, { seed: 2 });
    nodeFiles(world.nodeByName('srv')!).write('/usr/local/etc/dhcpd.conf', 'subnet 10.0.0.0 netmask 255.255.255.0 {\n range 10.0.0.100 10.0.0.199;\n}\n');
    expect(runCommand(world, 'srv', 'dhcpd').exitCode).toBe(0);
    const cap = world.startCapture({ kind: 'iface', node: 'srv', iface: 'eth0' });
    expect(runCommand(world, 'pc1', 'dhclient eth0').output).toContain('bound to 10.0.0.100');
    expect(runCommand(world, 'rc', 'dhclient eth0').output).toContain('bound to 10.0.0.101');
    cap.finish();
    const offers = cap.frames.map((f) => summarizeFrame(f.frame)).filter((x) => x.info.startsWith('DHCP Offer'));
    expect(offers.map((o) => o.dst)).toEqual(['10.0.0.100', '255.255.255.255']);
  });

  it('with the rogue stopped, the client gets the good server\'s lease', () => {
    const world = lanWithServers();
    runCommand(world, 'rogue', 'service dhcpd stop');
    const r = runCommand(world, 'pc1', 'dhclient eth0');
    expect(r.output).toContain('DHCPOFFER from 10.0.0.2');
    expect(addrOf(world, 'pc1')).toEqual(['10.0.0.100/24']);
  });
});

describe('configuration errors', () => {
  it('a bad dhcpd.conf line is located by file and line; the server does not start, the network runs on', () => {
    const world = new World(relayLab(), { seed: 1 });
    nodeFiles(world.nodeByName('server')!).write('/usr/local/etc/dhcpd.conf', CONF.replace('  range 10.0.0.100 10.0.0.110;', '  range 10.0.0.100 10.0.9.300;'));
    const r = runCommand(world, 'server', 'service dhcpd start');
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('/usr/local/etc/dhcpd.conf:8: range 10.0.0.100 10.0.9.300: expecting "range LOW [HIGH];" with IPv4 addresses');
    expect(runCommand(world, 'server', 'service dhcpd status').output).toBe('dhcpd is not running.\n');
    expect(runCommand(world, 'server', 'ping -c 1 10.0.1.1').output).toContain('1 packets received');
  });

  it('garbage on port 67 is counted by reason, never thrown; the server keeps serving', () => {
    const world = relayWorld();
    udpSend(world.nodeByName('r2')!.stack!, { dst: 0x0a00020a, dstPort: 67, srcPort: 68, payload: new Uint8Array(40) });
    udpSend(world.nodeByName('r2')!.stack!, { dst: 0x0a00020a, dstPort: 67, srcPort: 68, payload: new Uint8Array(300).fill(2) });
    world.sim.runUntil(world.sim.now() + S);
    expect(runCommand(world, 'server', 'service dhcpd status').output).toContain('ignored: 1 truncated, 0 bad-option, 1 not-a-request, 0 bootp, 0 bad-hlen');
    expect(runCommand(world, 'pc1', 'dhclient eth0').output).toContain('bound to 10.0.0.100');
  });

  it('no offer: dhclient gives up after 60 s as FreeBSD does', () => {
    const world = new World(relayLab(), { seed: 1 });
    const r = runCommand(world, 'pc1', 'dhclient eth0');
    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n').slice(-3)).toEqual(['No DHCPOFFERS received.', 'No working leases in persistent database - sleeping.', '']);
    expect(r.endNs - r.startNs).toBeLessThanOrEqual(61 * S);
  });
});

describe('IMUNES DHCP.imn', () => {
  function dhcpImn(): TopologyDoc {
    const file = join(IMUNES_EXAMPLES, 'DHCP.imn');
    const r = parseTopology(readFileSync(file, 'utf8'), file);
    if ('errors' in r) throw new Error(JSON.stringify(r.errors));
    return r.doc;
  }

  it('the lab as IMUNES runs it: the server hands out addresses, FIX gets its fixed address', () => {
    const world = new World(dhcpImn(), { seed: 1 });
    const conf = 'subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.20 10.0.0.30;\n  option routers 10.0.0.7;\n}\nhost fix {\n  hardware ethernet 42:00:aa:11:11:11;\n  fixed-address 10.0.0.5;\n}\n';
    expect(runCommand(world, 'DHCPserver', `printf '${conf.replace(/\n/g, '\\n')}' > /usr/local/etc/dhcpd.conf`).exitCode).toBe(0);
    expect(runCommand(world, 'DHCPserver', 'dhcpd').exitCode).toBe(0);
    for (const pc of ['PC1', 'PC2', 'PC3', 'FIX']) expect(runCommand(world, pc, 'dhclient eth0').output).toContain('bound to');
    const got = ['PC1', 'PC2', 'PC3', 'FIX'].map((pc) => addrOf(world, pc)[0]);
    expect(new Set(got).size).toBe(4);
    expect(got[3]).toBe('10.0.0.5/24');
    for (const a of got.slice(0, 3)) expect(a).toMatch(/^10\.0\.0\.(2\d|30)\/24$/);
    world.sim.runUntil(world.sim.now() + 60 * S); // RIP (R1, R2) converges
    expect(runCommand(world, 'PC1', 'ping -c 1 10.0.2.2').output).toContain('1 packets received');
  });
});

describe.skipIf(!tsharkAvailable())('tshark on DHCP traffic', () => {
  it('decodes relayed DHCP with zero malformed packets and zero bad checksums', async () => {
    const world = relayWorld();
    const caps = [world.startCapture({ kind: 'iface', node: 'pc1', iface: 'eth0' }), world.startCapture({ kind: 'iface', node: 'server', iface: 'eth0' })];
    runCommand(world, 'pc1', 'dhclient eth0');
    world.sim.runUntil(world.sim.now() + 310 * S);
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-dhcp-'));
    const rows: string[] = [];
    for (const [k, cap] of caps.entries()) {
      cap.finish();
      const file = join(dir, `dhcp${k}.pcapng`);
      writeFileSync(file, cap.toPcapng());
      const v = await validateCapture(file);
      expect(v.malformed, v.expertLines.join('; ')).toBe(0);
      expect(v.badChecksums).toBe(0);
      rows.push(...(await runTshark(['-r', file, '-Y', 'dhcp', '-T', 'fields', '-e', 'dhcp.option.dhcp', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'dhcp.ip.relay'])).trim().split('\n'));
    }
    expect(rows).toContain('1\t0.0.0.0\t255.255.255.255\t0.0.0.0');
    expect(rows).toContain('1\t10.0.1.1\t10.0.2.10\t10.0.0.1');
    expect(rows).toContain('5\t10.0.0.1\t10.0.0.100\t10.0.0.1');
    expect(rows).toContain('3\t10.0.0.100\t10.0.2.10\t0.0.0.0');
  }, 60_000);
});

describe('services from the document and the startup configuration', () => {
  /** A server whose startup writes dhcpd.conf with a here-document and starts dhcpd; a pc whose eth0 says `dhcp`. */
  function startupLab(confLines: string[]): TopologyDoc {
    const b = builder();
    const sw = b.node('lanswitch', 'sw');
    const pc = b.node('pc', 'pc1');
    const srv = b.node('host', 'server');
    b.link(pc, sw);
    b.link(srv, sw, { aIp: '10.0.0.2/24' });
    pc.interfaces[0].dhcp = true;
    srv.startup = ['cat > /usr/local/etc/dhcpd.conf << EOF', ...confLines, 'EOF', 'service dhcpd start'];
    return b.doc;
  }
  const GOOD = ['# the lab network', '', 'subnet 10.0.0.0 netmask 255.255.255.0 {', '  range 10.0.0.50 10.0.0.60;', '}'];

  it('a here-document in the startup writes dhcpd.conf, service starts dhcpd, and the dhcp interface gets its address', () => {
    const doc = startupLab(GOOD);
    expect(checkStartup(doc.nodes[2].startup!)).toEqual([]);
    const world = new World(doc, { seed: 4 });
    expect(runStartup(world, doc)).toEqual([]);
    world.sim.runUntil(10 * S);
    expect(addrOf(world, 'pc1')).toEqual(['10.0.0.50/24']);
    expect(runCommand(world, 'server', 'service dhcpd status').output).toMatch(/^dhcpd is running as pid \d+\.\n/);
    expect(runCommand(world, 'pc1', 'service dhclient status eth0').output).toContain('eth0: BOUND');
  });

  it('a bad line in the written dhcpd.conf is a located warning on that node; the pc keeps asking, the rest runs', () => {
    const doc = startupLab([...GOOD.slice(0, 3), '  range 10.0.0.50 10.0.0.60', '  option routers 10.0.0.1;', '}']);
    const world = new World(doc, { seed: 4 });
    runStartup(world, doc);
    world.sim.runUntil(2 * S);
    expect(world.warnings).toEqual(['server: /usr/local/etc/dhcpd.conf:4: range 10.0.0.50 10.0.0.60 option routers 10.0.0.1: expecting "range LOW [HIGH];" with IPv4 addresses']);
    expect(runCommand(world, 'server', 'ping -c 1 10.0.0.2').exitCode).toBe(0);
  });

  it('a service that cannot start says why in the warning, not rc\'s "Starting" line', () => {
    const doc = startupLab(GOOD);
    doc.nodes[2].startup = ['service dhcpd start'];
    const world = new World(doc, { seed: 4 });
    expect(runStartup(world, doc)).toEqual(['server: startup:1: service dhcpd start: dhcpd: /usr/local/etc/dhcpd.conf: No such file or directory']);
  });

  it('files and the dhcp flag are kept in the .vnet; a bad path or a dhcp switch port is refused with its location', () => {
    const doc = startupLab(GOOD);
    doc.nodes[2].files = { '/usr/local/etc/dhcpd.conf': GOOD.join('\n') + '\n' };
    const text = serializeTopology(doc, 'lab.vnet');
    const back = parseTopology(text, 'lab.vnet');
    if ('errors' in back) throw new Error(JSON.stringify(back.errors));
    expect(back.doc.nodes[2].files).toEqual(doc.nodes[2].files);
    expect(back.doc.nodes[1].interfaces[0].dhcp).toBe(true);
    // An IMUNES file cannot hold them: the export says so instead of losing them silently.
    expect(exportWarnings(doc, 'lab.imn').map((d) => d.message)).toEqual([
      '"pc1": "dhcp" on eth0 is left out: run dhclient from its custom configuration or save as .vnet',
      '"server": its files (/usr/local/etc/dhcpd.conf) are left out: write them in its custom configuration (cat > FILE << EOF) or save as .vnet',
    ]);
    const bad = parseTopology(text.replace('"/usr/local/etc/dhcpd.conf"', '"etc/../x"'), 'lab.vnet');
    expect('errors' in bad && bad.errors.map((e) => e.message).join('\n')).toContain('must be absolute and normalised');
    doc.nodes[0].interfaces[0].dhcp = true;
    const sw = parseTopology(serializeTopology(doc, 'lab.vnet'), 'lab.vnet');
    expect('errors' in sw && sw.errors.map((e) => `${e.line}: ${e.message}`).join('\n')).toMatch(/^\d+: "?sw"? "?e0"?: "dhcp" needs an Ethernet interface/m);
  });

  it('an IMUNES services list with dhcpd starts it after the custom configuration wrote its file', () => {
    const doc = startupLab(GOOD);
    const srv = doc.nodes[2];
    const text = ['cat > /usr/local/etc/dhcpd.conf << EOF', ...GOOD, 'EOF'].join('\n');
    delete srv.startup;
    srv.extra = { services: ['dhcpd', 'ssh'], custom_enabled: 'true', custom_selected: 'NODE_CONFIG default', custom_configs: { NODE_CONFIG: { default: { custom_command: '/bin/sh', custom_config: text } } } };
    const world = new World(doc, { seed: 4 });
    expect(runStartup(world, doc)).toEqual([]);
    world.sim.runUntil(10 * S);
    expect(addrOf(world, 'pc1')).toEqual(['10.0.0.50/24']);
  });
});

describe('DHCP in the capture inspector', () => {
  it('the tree, the Info column and the display filters dhcp, bootp and dhcp.* see DHCP as Wireshark does', () => {
    const world = relayWorld();
    const cap = world.startCapture({ kind: 'iface', node: 'pc1', iface: 'eth0' });
    runCommand(world, 'pc1', 'dhclient eth0');
    cap.finish();
    const rows = cap.frames.map((f) => ({ ...summarizeFrame(f.frame), lengthBytes: f.frame.length, where: 'pc1:eth0', bytes: f.frame }));
    const dhcp = rows.filter((r) => r.proto === 'dhcp');
    expect(dhcp.map((r) => r.info.replace(/0x[0-9a-f]+$/, 'X'))).toEqual(['DHCP Discover - Transaction ID X', 'DHCP Offer - Transaction ID X', 'DHCP Request - Transaction ID X', 'DHCP ACK - Transaction ID X']);
    const match = (f: string) => {
      const c = compileFilter(f);
      if (!c.ok) throw new Error(c.error);
      return rows.filter(c.match).length;
    };
    expect(match('dhcp')).toBe(4);
    expect(match('bootp')).toBe(4);
    expect(match('udp')).toBeGreaterThanOrEqual(4);
    expect(match('dhcp.option.dhcp == 5')).toBe(1);
    expect(match('dhcp.ip.your == 10.0.0.100')).toBe(2);
    expect(match('dhcp.ip.relay == 10.0.0.1 && dhcp.type == 2')).toBe(2);
    const tree = decodeFrame(dhcp[3].bytes);
    const layer = tree[tree.length - 1];
    expect(layer.name).toBe('Dynamic Host Configuration Protocol (ACK)');
    const byName = new Map((layer.children ?? []).map((c) => [`${c.name}:${c.value.split(' ')[0]}`, c]));
    expect(byName.get('Your (client) IP address:10.0.0.100')?.offset).toBe(14 + 20 + 8 + 16);
    expect((layer.children ?? []).map((c) => c.value)).toContain('(53) DHCP Message Type (ACK)');
  });
});

describe('determinism and interruption', () => {
  it('the same seed gives the same trace; Ctrl-C stops a dhclient still asking', () => {
    const run = (): string => {
      const world = relayWorld();
      runCommand(world, 'pc1', 'dhclient eth0');
      world.sim.runUntil(world.sim.now() + 700 * S);
      return world.traceHash();
    };
    expect(run()).toBe(run());
    const world = new World(relayLab(), { seed: 1 });
    const r = runCommand(world, 'pc1', 'dhclient eth0', 10 * S);
    expect(r.interrupted).toBe(true);
    expect(r.exitCode).toBe(130);
    expect(world.nodeByName('pc1')!.services!.running.has('dhclient.eth0')).toBe(false);
    const sent = world.nodeByName('pc1')!.stack!.ifaces[0].counters.txPackets;
    world.sim.runUntil(world.sim.now() + 60 * S);
    expect(world.nodeByName('pc1')!.stack!.ifaces[0].counters.txPackets).toBe(sent);
  });
});
