// TCP over IPv6 (issue 14): the checksum over the IPv6 pseudo-header, tcp input and output
// through ip6-input/ip6-output, and the tools on it: fetch http://[fc00:…]/ from a host's
// web server two routers away, nc -6 both ways, iperf3 -6 near line rate, RST from a closed
// port, tcp6 rows in netstat; the capture passes tshark with zero malformed, zero bad checksums.
// UDP over IPv6 in the same tools: nc -6 -u, nc -u -l on either family, iperf3 -6 -u -b.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUdp5M3sReport } from '../support/iperf3-udp';
import { chainDoc6 } from '../../src/emulator/bench';
import { World } from '../../src/emulator/engine/world';
import { defaultPage } from '../../src/emulator/node/services/httpd';
import { openShell, runCommand } from '../../src/emulator/shell';
import { tsharkAvailable, validateCapture } from '../support/tshark';
import fc from 'fast-check';
import { etherInput } from '../../src/emulator/stack/index';
import { tcpAccept, tcpConnect6, tcpListen, tcpRecv, tcpSend, TCP_STATE, type TcpConn } from '../../src/emulator/stack/tcp';
import { internetChecksum, pseudoHeaderSumIpv6Addrs } from '../../src/emulator/wire/checksum';
import { buildEthernetFrame } from '../../src/emulator/wire/ethernet';
import { buildIpv6Packet } from '../../src/emulator/wire/ipv6';
import { parseIpv6 } from '../../src/emulator/wire/ipv6-addr';
import { buildTcp, TCP_FLAG } from '../../src/emulator/wire/tcp';
import { pattern } from '../stack/tcp/tcp-helpers';

/** pc1 (fc00::20) — r1 — r2 — host pc2 (fc00:2::20), dual-stack, after duplicate address detection. */
function web6(params = {}): World {
  const d = chainDoc6(2, params);
  d.nodes.find((n) => n.name === 'pc2')!.kind = 'host';
  const w = new World(d, { seed: 5 });
  w.sim.runUntil(4e9);
  return w;
}

function shell(w: World, node: string) {
  const out = { text: '', code: -1 };
  const s = openShell(w, w.findNode(node)!.id, { write: (t) => (out.text += t) });
  return { s, out, exec: (line: string) => s.exec(line, (c) => (out.code = c)) };
}

describe('TCP over IPv6', () => {
  it('fetch and curl get the host page over IPv6 through two routers; a closed port answers RST', async () => {
    const w = web6({ delayUs: 500 });
    const cap = w.startCapture({ kind: 'iface', node: 'r1', iface: 'eth1' });
    expect(runCommand(w, 'pc1', 'fetch -o - http://[fc00:2::20]/')).toMatchObject({ exitCode: 0, output: defaultPage('pc2') });
    const v = runCommand(w, 'pc1', 'curl -v http://[fc00:2::20]/');
    expect(v.output).toContain('*   Trying fc00:2::20:80...\n* Connected to fc00:2::20 (fc00:2::20) port 80\n> GET / HTTP/1.1\n> Host: [fc00:2::20]\n');
    expect(runCommand(w, 'pc1', 'curl -6 -sI http://pc2/').output).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(runCommand(w, 'pc1', 'fetch -o - http://[fc00:2::20]:81/')).toMatchObject({ exitCode: 1, output: 'fetch: http://[fc00:2::20]:81/: Connection refused\n' });
    cap.finish();
    const tcp6 = cap.frames.filter((f) => f.frame[12] === 0x86 && f.frame[13] === 0xdd && f.frame[20] === 6);
    expect(tcp6.length).toBeGreaterThan(20);
    if (tsharkAvailable()) {
      const file = join(mkdtempSync(join(tmpdir(), 'vn-tcp6-')), 'r1-eth1.pcap');
      writeFileSync(file, cap.toPcap());
      const verdict = await validateCapture(file);
      expect(verdict).toMatchObject({ malformed: 0, badChecksums: 0 });
    }
  });

  it('nc -6 chats both ways and netstat shows tcp6 rows', () => {
    const w = web6({ delayUs: 500 });
    const server = shell(w, 'pc2');
    const client = shell(w, 'pc1');
    server.exec('nc -lv 5000');
    w.sim.runUntil(w.sim.now() + 1e8);
    client.exec('nc -6 -v fc00:2::20 5000');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(client.out.text).toBe('Connection to fc00:2::20 5000 port [tcp/*] succeeded!\n');
    expect(server.out.text).toBe('Connection from fc00::20 49152 received!\n');
    expect(runCommand(w, 'pc1', 'netstat -an').output).toContain('tcp6       0      0 fc00::20.49152         fc00:2::20.5000        ESTABLISHED\n');
    expect(runCommand(w, 'pc2', 'netstat -an').output).toMatch(/tcp46      0      0 \*\.80 +\*\.\* +LISTEN\n/);
    client.s.input('over six\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(server.out.text).toContain('over six\n');
    server.s.input('and back\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(client.out.text).toContain('and back\n');
    client.s.interrupt();
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(server.out.code).toBe(0);
  });

  it('iperf3 -6 fills a 10 Mbit/s, 20 ms path', () => {
    const w = web6({ delayUs: 10_000, bandwidthBps: 10_000_000, queuePackets: 100 });
    shell(w, 'pc2').exec('iperf3 -s -D');
    const r = runCommand(w, 'pc1', 'iperf3 -6 -c pc2 -t 5', 30e9);
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/^Connecting to host pc2, port 5201\n\[  5\] local fc00::20 port \d+ connected to fc00:2::20 port 5201\n/);
    const m = /([0-9.]+) Mbits\/sec {18}receiver/.exec(r.output)!;
    expect(Number(m[1])).toBeGreaterThan(8.5);
    expect(Number(m[1])).toBeLessThanOrEqual(10);
  });

  /** pc1 (fc00::20) and pc2 (fc00::21) on one link; a frame to pc2 as if from `src`:`sport`. */
  function pair(): { w: World; forge: (seg: { srcPort: number; seq: number; ack: number; flags: number; window?: number; payload?: Uint8Array }, src?: string) => Uint8Array } {
    const d = chainDoc6(0);
    d.nodes[1].interfaces[0].ipv6 = ['fc00::21/64'];
    const w = new World(d, { seed: 9 });
    w.sim.runUntil(4e9);
    const pc2 = w.nodeByName('pc2')!.stack!;
    const forge = (seg: { srcPort: number; seq: number; ack: number; flags: number; window?: number; payload?: Uint8Array }, src = 'fc00::20'): Uint8Array => {
      const s6 = parseIpv6(src)!;
      const d6 = parseIpv6('fc00::21')!;
      const t = buildTcp({ dstPort: 80, window: 1000, urgent: 0, payload: new Uint8Array(0), ...seg }, 0, 0);
      t[16] = 0;
      t[17] = 0;
      const sum = internetChecksum(t, 0, t.length, pseudoHeaderSumIpv6Addrs(s6, d6, 6, t.length));
      t[16] = sum >>> 8;
      t[17] = sum & 0xff;
      const p = buildIpv6Packet({ src: s6, dst: d6, nextHeader: 6, hopLimit: 64, trafficClass: 0, flowLabel: 0 }, t);
      return buildEthernetFrame({ dst: pc2.ifaces[0].mac, src: w.nodeByName('pc1')!.stack!.ifaces[0].mac, etherType: 0x86dd }, p);
    };
    return { w, forge };
  }

  it('a SYN flood over IPv6 is bounded by the listen backlog', () => {
    const { w, forge } = pair();
    const pc2 = w.nodeByName('pc2')!.stack!;
    const l = tcpListen(pc2, 80, 5, null);
    if ('errno' in l) throw new Error(l.errno);
    for (let i = 0; i < 200; i++) etherInput(pc2, 0, forge({ srcPort: 1000 + i, seq: i * 7919, ack: 0, flags: TCP_FLAG.SYN }, `fc00::${(100 + (i % 50)).toString(16)}`));
    expect(l.synCount).toBe(5);
    expect(pc2.tcp!.stats.listenOverflows).toBe(195);
  });

  it('random segments aimed at an open IPv6 connection never throw or desynchronise it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ seqOff: fc.integer({ min: -70000, max: 70000 }), ackOff: fc.integer({ min: -70000, max: 70000 }), flags: fc.integer({ min: 0, max: 0xff }), window: fc.nat(0xffff), len: fc.nat(100), spoofPort: fc.boolean() }), { maxLength: 20 }),
        (attacks) => {
          const { w, forge } = pair();
          const pc2 = w.nodeByName('pc2')!.stack!;
          let server: TcpConn | null = null;
          const got: number[] = [];
          const l = tcpListen(pc2, 80, 4, () => {
            server = tcpAccept(l as never, {
              readable: () => {
                for (let d = tcpRecv(server!); d !== null && d.length > 0; d = tcpRecv(server!)) got.push(...d);
              },
            });
          });
          const c = tcpConnect6(w.nodeByName('pc1')!.stack!, parseIpv6('fc00::21')!, 80, {}) as TcpConn;
          w.sim.runUntil(w.sim.now() + 1e8);
          expect((server as TcpConn | null)?.state).toBe(TCP_STATE.ESTABLISHED);
          for (const a of attacks) {
            const sport = a.spoofPort ? c.localPort + 1 : c.localPort;
            const flags = a.spoofPort ? a.flags : a.flags & ~(TCP_FLAG.RST | TCP_FLAG.FIN);
            etherInput(pc2, 0, forge({ srcPort: sport, seq: (c.sndNxt + a.seqOff) >>> 0, ack: (c.rcvNxt + a.ackOff) >>> 0, flags, window: a.window, payload: a.spoofPort ? pattern(a.len, a.len) : new Uint8Array(0) }));
            w.sim.runUntil(w.sim.now() + 1e6);
          }
          expect((server as unknown as TcpConn).state).toBe(TCP_STATE.ESTABLISHED);
          expect(c.state).toBe(TCP_STATE.ESTABLISHED);
          const before = got.length;
          tcpSend(c, pattern(3000, 99));
          w.sim.runUntil(w.sim.now() + 30e9);
          expect(Uint8Array.from(got.slice(before))).toEqual(pattern(3000, 99));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('UDP over IPv6 in nc and iperf3', () => {
  it('nc -6 -u sends typed lines to nc -u -l (listening on both families) and gets the answer back', () => {
    const w = web6({ delayUs: 500 });
    const server = shell(w, 'pc2');
    const client = shell(w, 'pc1');
    server.exec('nc -u -l -v 9999');
    client.exec('nc -6 -u fc00:2::20 9999');
    w.sim.runUntil(w.sim.now() + 1e8);
    client.s.input('over udp6\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(server.out.text).toBe('Connection from fc00::20 49152 received!\nover udp6\n');
    server.s.input('back over six\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(client.out.text).toBe('back over six\n');
    // -4 listens on IPv4 only: the same datagram now meets a closed port.
    const v4only = shell(w, 'pc2');
    v4only.exec('nc -4 -u -l 9998');
    const c2 = shell(w, 'pc1');
    c2.exec('nc -6 -u fc00:2::20 9998');
    w.sim.runUntil(w.sim.now() + 1e8);
    c2.s.input('nobody\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(v4only.out.text).toBe('');
  });

  it('nc -6 -u -l takes IPv6 datagrams', () => {
    const w = web6({ delayUs: 500 });
    const server = shell(w, 'pc2');
    const client = shell(w, 'pc1');
    server.exec('nc -6 -u -l 7000');
    client.exec('nc -u pc2 7000');
    w.sim.runUntil(w.sim.now() + 1e8);
    client.s.input('by name\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    // pc2 resolves to its IPv4 address first: nothing reaches an IPv6-only listener ...
    expect(server.out.text).toBe('');
    const c6 = shell(w, 'pc1');
    c6.exec('nc -u -6 pc2 7000');
    w.sim.runUntil(w.sim.now() + 1e8);
    c6.s.input('by name, six\n');
    w.sim.runUntil(w.sim.now() + 1e9);
    expect(server.out.text).toBe('by name, six\n');
  });

  it('iperf3 -6 -u -b paces datagrams at the rate and reports jitter and lost/total as over IPv4', async () => {
    const w = web6({ delayUs: 10_000, bandwidthBps: 10_000_000, queuePackets: 100 });
    shell(w, 'pc2').exec('iperf3 -s -D');
    const cap = w.startCapture({ kind: 'iface', node: 'r1', iface: 'eth1' });
    const r = runCommand(w, 'pc1', 'iperf3 -6 -u -b 5M -c fc00:2::20 -t 3', 30e9);
    cap.finish();
    expect(r.exitCode, r.output).toBe(0);
    const out = r.output;
    expect(out).toMatch(/^Connecting to host fc00:2::20, port 5201\n\[  5\] local fc00::20 port \d+ connected to fc00:2::20 port 5201\n/);
    expectUdp5M3sReport(out);
    // Datagrams of the control connection's MSS (1428 bytes): IPv6 packets of 1476 bytes, unfragmented.
    const udp6 = cap.frames.filter((f) => f.frame[12] === 0x86 && f.frame[13] === 0xdd && f.frame[20] === 17);
    expect(udp6.length).toBeGreaterThan(1000);
    expect(new Set(udp6.filter((f) => f.frame.length > 200).map((f) => f.frame.length))).toEqual(new Set([14 + 40 + 8 + 1428]));
    if (tsharkAvailable()) {
      const file = join(mkdtempSync(join(tmpdir(), 'vn-udp6-')), 'r1-eth1.pcap');
      writeFileSync(file, cap.toPcap());
      expect(await validateCapture(file)).toMatchObject({ malformed: 0, badChecksums: 0 });
    }
  });
});
