// TCP over IPv6 (issue 14): the checksum over the IPv6 pseudo-header, tcp input and output
// through ip6-input/ip6-output, and the tools on it: fetch http://[fc00:…]/ from a host's
// web server two routers away, nc -6 both ways, iperf3 -6 near line rate, RST from a closed
// port, tcp6 rows in netstat; the capture passes tshark with zero malformed, zero bad checksums.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainDoc6 } from '../../src/emulator/bench';
import { World } from '../../src/emulator/engine/world';
import { defaultPage } from '../../src/emulator/node/services/httpd';
import { openShell, runCommand } from '../../src/emulator/shell';
import { tsharkAvailable, validateCapture } from '../support/tshark';

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
});
