// Scenario tests of ipfw nat (libalias semantics): an office LAN behind one address with
// many UDP and ICMP flows and colliding ports, replies mapped back, ICMP errors restored,
// unsolicited traffic, redirect_port to a DMZ server, and the config/show output; then the
// same with TCP (many connections, colliding ports, redirect_port tcp to an nc server) and
// tshark judging captures on both sides of the NAT (zero malformed, zero bad checksums).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { Capture } from '../../src/emulator/engine/capture';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { runCommand } from '../../src/emulator/shell';
import { udpBind, udpSend, type UdpDelivery } from '../../src/emulator/stack';
import { tcpAccept, tcpConnect, tcpListen, tcpRecv, tcpSend, type TcpConn } from '../../src/emulator/stack/tcp';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { builder } from './topologies';
import { ncPair, shellSession } from '../support/shell-session';

const ip = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const SERVER = ip(198, 51, 100, 20);
const PUBLIC = ip(198, 51, 100, 1);
const S = 1_000_000_000;

/** pc1…pc4 (10.0.0.20–23) on switch1 — nat1 (10.0.0.1 | 198.51.100.1) — server (198.51.100.20, no route back to 10/8). */
function office(): { w: World; sh: (n: string, l: string) => { output: string; exitCode: number }; events: TrafficEvent[]; id: (name: string) => string } {
  const b = builder();
  const sw = b.node('lanswitch', 'switch1');
  const nat = b.node('router', 'nat1');
  const server = b.node('pc', 'server');
  b.link(nat, sw, { aIp: '10.0.0.1/24' });
  b.link(nat, server, { aIp: '198.51.100.1/24', bIp: '198.51.100.20/24' });
  for (let k = 0; k < 4; k++) {
    const pc = b.node('pc', `pc${k + 1}`);
    b.link(pc, sw, { aIp: `10.0.0.${20 + k}/24` });
    b.route(pc, '0.0.0.0/0', '10.0.0.1');
  }
  const w = new World(b.doc, { seed: 7 });
  const events: TrafficEvent[] = [];
  w.onTraffic((e) => void events.push(e));
  const sh = (n: string, l: string) => runCommand(w, n, l);
  expect(sh('nat1', 'ipfw -q nat 1 config if eth1 same_ports').exitCode).toBe(0);
  expect(sh('nat1', 'ipfw -q add 100 nat 1 ip from any to any via eth1').exitCode).toBe(0);
  expect(sh('nat1', 'ipfw -q add 65000 allow ip from any to any').exitCode).toBe(0);
  return { w, sh, events, id: (name) => w.nodeByName(name)!.id };
}

describe('ipfw nat: an office LAN behind one address', () => {
  it('prints the config as FreeBSD does and refuses a bad one', () => {
    const { sh } = office();
    expect(sh('nat1', 'ipfw nat 2 config if eth1 redirect_port udp 10.0.0.20:53 53 same_ports')).toMatchObject({
      exitCode: 0,
      output: 'ipfw nat 2 config if eth1 same_ports redirect_port udp 10.0.0.20:53 53\n',
    });
    expect(sh('nat1', 'ipfw nat 2 config if eth1 frobnicate')).toMatchObject({ exitCode: 65, output: "ipfw: unrecognised option ``frobnicate''\n" });
    expect(sh('nat1', 'ipfw nat 2 config same_ports')).toMatchObject({ exitCode: 64, output: 'ipfw: missing "if" or "ip" keyword\n' });
    expect(sh('nat1', 'ipfw nat 2 config if eth1 redirect_port tcp 10.0.0.20:80-81 8080')).toMatchObject({ exitCode: 65, output: 'ipfw: redirect_port: port ranges must be equal in size\n' });
    expect(sh('nat1', 'ipfw nat 2 config if eth1 redirect_port sctp 10.0.0.20:80 80')).toMatchObject({ exitCode: 65, output: 'ipfw: redirect_port: unknown protocol sctp\n' });
    // A refused config leaves the instance as it was.
    expect(sh('nat1', 'ipfw nat 2 show config').output).toBe('ipfw nat 2 config if eth1 same_ports redirect_port udp 10.0.0.20:53 53\n');
    expect(sh('nat1', 'ipfw nat show').output).toBe(
      'nat 1: icmp=0, udp=0, tcp=0, sctp=0, pptp=0, proto=0, frag_id=0 frag_ptr=0 / tot=0\n' +
        // The redirect is a (permanent) UDP link, counted as libalias counts it.
        'nat 2: icmp=0, udp=1, tcp=0, sctp=0, pptp=0, proto=0, frag_id=0 frag_ptr=0 / tot=1\n',
    );
  });

  it('pings from every PC reach a server with no route back, as the one public address', () => {
    const { sh, events, id } = office();
    for (let k = 1; k <= 4; k++) expect(sh(`pc${k}`, 'ping -c 2 198.51.100.20').output).toContain('2 packets received');
    // On the server's link only the public address appears.
    const onServer = events.filter((e) => e.node === id('server') && e.action === 'rx' && e.proto === 'icmp');
    expect(onServer.length).toBe(8);
    expect(onServer.every((e) => e.summary.includes('Echo (ping) request'))).toBe(true);
    expect(sh('nat1', 'ipfw nat 1 show').output).toBe('nat 1: icmp=4, udp=0, tcp=0, sctp=0, pptp=0, proto=0, frag_id=0 frag_ptr=0 / tot=4\n');
  });

  it('maps many UDP flows with colliding source ports to distinct alias ports and back', () => {
    const { w, sh } = office();
    const server = w.nodeByName('server')!.stack!;
    const seen: UdpDelivery[] = [];
    udpBind(server, 7, (d) => {
      seen.push(d);
      void udpSend(server, { dst: d.src, dstPort: d.srcPort, srcPort: 7, payload: d.payload });
    });
    const got = new Map<string, number>();
    for (let k = 1; k <= 4; k++) {
      const pc = w.nodeByName(`pc${k}`)!.stack!;
      for (const port of [5000, 5001, 5002]) {
        udpBind(pc, port, (d) => got.set(`pc${k}:${port}`, d.payload[0]));
        // Every PC uses the same three source ports: same_ports keeps the first, the rest collide.
        void udpSend(pc, { dst: SERVER, dstPort: 7, srcPort: port, payload: Uint8Array.of(k * 10 + (port - 5000)) });
      }
    }
    w.sim.runUntil(w.sim.now() + S);
    expect(seen.length).toBe(12);
    expect(seen.every((d) => d.src === PUBLIC)).toBe(true);
    const aliasPorts = seen.map((d) => d.srcPort);
    expect(new Set(aliasPorts).size).toBe(12);
    // same_ports: the first flow on each port keeps it; the others get libalias's 32768–65535.
    expect(aliasPorts.filter((p) => p >= 5000 && p <= 5002).sort()).toEqual([5000, 5001, 5002]);
    expect(aliasPorts.filter((p) => p < 5000 || p > 5002).every((p) => p >= 32768 && p <= 65535)).toBe(true);
    expect(got.size).toBe(12);
    for (const [key, v] of got) {
      const [pc, port] = key.split(':');
      expect(v).toBe(Number(pc.slice(2)) * 10 + (Number(port) - 5000));
    }
    expect(sh('nat1', 'ipfw nat 1 show').output).toContain('udp=12,');
  });

  it('drops unsolicited echo replies, passes other unsolicited traffic untranslated (to the NAT box itself), and deny_in refuses it', () => {
    const { w, sh, events, id } = office();
    expect(sh('server', 'ping -c 1 198.51.100.1').output).toContain('1 packets received');
    const server = w.nodeByName('server')!.stack!;
    // A UDP datagram to the public address with no link: libalias lets it through to nat1 (port unreachable).
    void udpSend(server, { dst: PUBLIC, dstPort: 4444, srcPort: 1234, payload: Uint8Array.of(1) });
    w.sim.runUntil(w.sim.now() + S);
    expect(events.some((e) => e.node === id('nat1') && e.reason === 'port-unreachable')).toBe(true);
    sh('nat1', 'ipfw -q nat 1 config if eth1 deny_in');
    void udpSend(server, { dst: PUBLIC, dstPort: 4445, srcPort: 1234, payload: Uint8Array.of(2) });
    w.sim.runUntil(w.sim.now() + S);
    expect(events.some((e) => e.node === id('nat1') && e.reason === 'firewall' && e.rule === 100)).toBe(true);
  });

  it('restores the quoted datagram of ICMP errors so traceroute works through the NAT', () => {
    const { sh } = office();
    const out = sh('pc2', 'traceroute -n -q 1 198.51.100.20').output;
    expect(out).toContain(' 1  10.0.0.1');
    expect(out).toContain(' 2  198.51.100.20');
  });

  it('redirect_port sends a public port to a LAN server', () => {
    const { w, sh } = office();
    sh('nat1', 'ipfw -q nat 1 config if eth1 redirect_port udp 10.0.0.22:53 5353');
    const pc3 = w.nodeByName('pc3')!.stack!;
    const server = w.nodeByName('server')!.stack!;
    const atPc3: UdpDelivery[] = [];
    udpBind(pc3, 53, (d) => {
      atPc3.push(d);
      void udpSend(pc3, { dst: d.src, dstPort: d.srcPort, srcPort: 53, payload: Uint8Array.of(99) });
    });
    const replies: UdpDelivery[] = [];
    udpBind(server, 3000, (d) => void replies.push(d));
    void udpSend(server, { dst: PUBLIC, dstPort: 5353, srcPort: 3000, payload: Uint8Array.of(1) });
    w.sim.runUntil(w.sim.now() + S);
    expect(atPc3.map((d) => [d.src, d.dstPort])).toEqual([[SERVER, 53]]);
    expect(replies.map((d) => [d.src, d.srcPort, d.payload[0]])).toEqual([[PUBLIC, 5353, 99]]);
  });
});

/** Writes a capture and has tshark judge it: zero malformed packets, zero bad checksums. */
async function judged(cap: Capture, name: string): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'virtnet-nat-')), `${name}.pcapng`);
  writeFileSync(file, cap.toPcapng());
  const v = await validateCapture(file);
  expect(v.packets).toBe(cap.frames.length);
  expect(v.malformed, v.expertLines.join('; ')).toBe(0);
  expect(v.badChecksums, `${name}: bad checksums`).toBe(0);
  return file;
}

describe('ipfw nat with TCP: an office LAN behind one address', () => {
  /** Every PC opens three TCP connections from the same three source ports (40000–40002) and sends its name; the server echoes it. */
  function tcpFlows(w: World) {
    const server = w.nodeByName('server')!.stack!;
    const seenAt = new Map<string, string>(); // "alias port" → what arrived
    const l = tcpListen(server, 80, 64, () => {
      for (let c = tcpAccept(l as never); c !== null; c = tcpAccept(l as never)) {
        const conn: TcpConn = c;
        conn.handlers = {
          readable: () => {
            const d = tcpRecv(conn);
            if (d === null || d.length === 0) return;
            seenAt.set(`${conn.remoteAddr} ${conn.remotePort}`, new TextDecoder().decode(d));
            tcpSend(conn, d);
          },
        };
      }
    });
    expect('errno' in l).toBe(false);
    const echoed = new Map<string, string>();
    for (let k = 1; k <= 4; k++) {
      const pc = w.nodeByName(`pc${k}`)!.stack!;
      for (const port of [40000, 40001, 40002]) {
        const name = `pc${k}:${port}`;
        const c = tcpConnect(pc, SERVER, 80, {}, port);
        if ('errno' in c) throw new Error(String(c.errno));
        c.handlers = {
          connected: () => void tcpSend(c, new TextEncoder().encode(name)),
          readable: () => {
            const d = tcpRecv(c);
            if (d !== null && d.length > 0) echoed.set(name, new TextDecoder().decode(d));
          },
        };
      }
    }
    return { seenAt, echoed };
  }

  it.skipIf(!tsharkAvailable())('12 TCP connections and 12 UDP flows with colliding source ports: distinct alias ports, same_ports keeps the first, replies mapped back; captures on both sides are clean', async () => {
    const { w, sh } = office();
    const inside = w.startCapture({ kind: 'iface', node: 'nat1', iface: 'eth0' });
    const outside = w.startCapture({ kind: 'iface', node: 'nat1', iface: 'eth1' });
    const { seenAt, echoed } = tcpFlows(w);
    // UDP beside them, from the very same port numbers (once ARP is done: its hold queue is short).
    w.sim.runUntil(w.sim.now() + S);
    const server = w.nodeByName('server')!.stack!;
    const udpSeen: UdpDelivery[] = [];
    udpBind(server, 7, (d) => void udpSeen.push(d));
    for (let k = 1; k <= 4; k++) {
      const pc = w.nodeByName(`pc${k}`)!.stack!;
      for (const port of [40000, 40001, 40002]) void udpSend(pc, { dst: SERVER, dstPort: 7, srcPort: port, payload: Uint8Array.of(k) });
    }
    w.sim.runUntil(w.sim.now() + 3 * S);
    inside.finish();
    outside.finish();
    // The server saw 12 connections, all from the one public address, each on its own port.
    expect(seenAt.size).toBe(12);
    const aliases = [...seenAt.keys()].map((k) => k.split(' ').map(Number));
    expect(aliases.every(([a]) => a === PUBLIC)).toBe(true);
    const ports = aliases.map(([, p]) => p);
    expect(new Set(ports).size).toBe(12);
    // same_ports: each of 40000–40002 is kept by exactly one flow; the rest are libalias's 32768–65535 (none of them).
    expect(ports.filter((p) => p >= 40000 && p <= 40002).sort()).toEqual([40000, 40001, 40002]);
    expect(ports.filter((p) => p < 40000 || p > 40002).every((p) => p >= 32768 && p <= 65535)).toBe(true);
    // Every echo came back to the PC and port that sent it.
    expect(echoed.size).toBe(12);
    for (const [name, text] of echoed) expect(text).toBe(name);
    expect(udpSeen.length).toBe(12);
    expect(new Set(udpSeen.map((d) => d.srcPort)).size).toBe(12);
    expect(sh('nat1', 'ipfw nat 1 show').output).toContain('udp=12, tcp=12,');
    // tshark on both sides: clean, LAN addresses inside, only the public address outside.
    const inFile = await judged(inside, 'inside');
    const outFile = await judged(outside, 'outside');
    const srcs = async (f: string) => new Set((await tsharkFields(f, ['ip.src', 'tcp.srcport'])).filter((r) => r[1] !== '' && r[1] !== '80').map((r) => r[0]));
    expect([...(await srcs(inFile))].sort()).toEqual(['10.0.0.20', '10.0.0.21', '10.0.0.22', '10.0.0.23']);
    expect([...(await srcs(outFile))]).toEqual(['198.51.100.1']);
    const outPorts = new Set((await tsharkFields(outFile, ['tcp.srcport', 'tcp.flags.syn', 'tcp.flags.ack'])).filter((r) => r[1] === '1' && r[2] === '0').map((r) => Number(r[0])));
    expect([...outPorts].sort()).toEqual([...ports].sort());
  }, 60_000);

  it('TCP links live as libalias keeps them: 300 s opening, 86400 s connected, 10 s once both sides closed', () => {
    const { w, sh } = office();
    const session = (node: string) => shellSession(w, node);
    const links = () => sh('nat1', 'ipfw nat 1 show links').output;
    // A SYN to a host that never answers: the link waits 300 s.
    const lost = session('pc2');
    lost.exec('nc 198.51.100.99 80');
    w.sim.runUntil(w.sim.now() + 0.5 * S);
    expect(links()).toMatch(/^tcp 10\.0\.0\.21:\d+ -> 198\.51\.100\.1:\d+ <-> 198\.51\.100\.99:80 \(300s\)\n$/);
    lost.s.interrupt();
    sh('nat1', 'ipfw -q nat 1 config if eth1 same_ports');
    const { server: server, client: client } = ncPair(w, 'server', 'nc -l 5000', 'pc1', 'nc 198.51.100.20 5000');
    expect(links()).toMatch(/^tcp 10\.0\.0\.20:\d+ -> 198\.51\.100\.1:\d+ <-> 198\.51\.100\.20:5000 \((86399|86400)s\)\n$/);
    client.s.interrupt();
    w.sim.runUntil(w.sim.now() + S);
    expect(links()).toMatch(/\((9|10)s\)\n$/);
    w.sim.runUntil(w.sim.now() + 11 * S);
    expect(links()).toBe('');
  });

  it.skipIf(!tsharkAvailable())('redirect_port tcp sends the public port 8080 to an nc server in the LAN (the DMZ web server), both ways; checksums stay right', async () => {
    const { w, sh } = office();
    expect(sh('nat1', 'ipfw nat 1 config if eth1 same_ports redirect_port tcp 10.0.0.22:80 8080').output).toBe(
      'ipfw nat 1 config if eth1 same_ports redirect_port tcp 10.0.0.22:80 8080\n',
    );
    const inside = w.startCapture({ kind: 'iface', node: 'nat1', iface: 'eth0' });
    const outside = w.startCapture({ kind: 'iface', node: 'nat1', iface: 'eth1' });
    const session = (node: string) => shellSession(w, node);
    const { server: web, client: client } = ncPair(w, 'pc3', 'nc -lv 80', 'server', 'nc -v 198.51.100.1 8080');
    expect(client.out.text).toBe('Connection to 198.51.100.1 8080 port [tcp/*] succeeded!\n');
    // The web server sees the real client (a redirect changes only the destination).
    expect(web.out.text).toMatch(/^Connection from 198\.51\.100\.20 \d+ received!\n$/);
    client.s.input('GET / HTTP/1.0\r\n\r\n');
    w.sim.runUntil(w.sim.now() + S);
    expect(web.out.text).toContain('GET / HTTP/1.0\r\n\r\n');
    web.s.input('HTTP/1.0 200 OK\r\n\r\nhello\n');
    w.sim.runUntil(w.sim.now() + S);
    expect(client.out.text).toContain('HTTP/1.0 200 OK\r\n\r\nhello\n');
    client.s.interrupt();
    w.sim.runUntil(w.sim.now() + S);
    expect(web.out.code).toBe(0);
    inside.finish();
    outside.finish();
    const inFile = await judged(inside, 'dmz-inside');
    const outFile = await judged(outside, 'dmz-outside');
    // Outside the server talks to 198.51.100.1:8080, inside the same segments go to 10.0.0.22:80.
    const ends = async (f: string) => new Set((await tsharkFields(f, ['ip.dst', 'tcp.dstport'])).filter((r) => r[1] !== '' && r[0] !== '198.51.100.20').map((r) => `${r[0]}:${r[1]}`));
    expect([...(await ends(outFile))]).toEqual(['198.51.100.1:8080']);
    expect([...(await ends(inFile))]).toEqual(['10.0.0.22:80']);
  }, 60_000);
});
