// tcpdump in a node shell (issue 14): a job that prints live lines in tcpdump's format until
// Ctrl-C or -c N, filters, its start and summary lines, and errors in tcpdump's words.
// The line format itself is checked against real tcpdump in test/reference/tcpdump-format.test.ts.
// -w FILE writes a libpcap file into the node's files that tshark reads with nothing
// malformed, and -r FILE prints the same lines again; the files' bound ends a capture.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { fileTextToBytes, NODE_FILES_BYTES_MAX, nodeFiles } from '../../src/emulator/node/files';
import { openShell, runCommand } from '../../src/emulator/shell';
import { tsharkAvailable, validateCapture } from '../support/tshark';
import { routerChain } from './topologies';

function web(): World {
  const d = routerChain(2, { delayUs: 1000 });
  const h = d.nodes.find((n) => n.name === 'pc2')!;
  h.kind = 'host';
  h.name = 'host1';
  return new World(d, { seed: 1 });
}

function shell(w: World, node: string) {
  const out = { text: '', code: -1 };
  const s = openShell(w, w.findNode(node)!.id, { write: (t) => (out.text += t) });
  return { s, out, exec: (line: string) => s.exec(line, (c) => (out.code = c)) };
}

describe('tcpdump', () => {
  it('prints a fetch through the router live, as tcpdump does, until -c packets', () => {
    const w = web();
    const r1 = shell(w, 'router1');
    r1.exec('tcpdump -n -i eth1 -c 3 tcp port 80');
    runCommand(w, 'pc1', 'ping -c 1 10.0.2.20');
    runCommand(w, 'pc1', 'fetch -q -o /x http://10.0.2.20/');
    expect(r1.out.code).toBe(0);
    const lines = r1.out.text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['tcpdump: verbose output suppressed, use -v[v]... for full protocol decode', 'listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes']);
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} IP 10\.0\.0\.20\.49152 > 10\.0\.2\.20\.80: Flags \[S\], seq \d+, win 65535, options \[mss 1460,nop,wscale 6,sackOK,TS val \d+ ecr 0\], length 0$/);
    expect(lines[3]).toMatch(/ IP 10\.0\.2\.20\.80 > 10\.0\.0\.20\.49152: Flags \[S\.\], seq \d+, ack \d+, win 65535, /);
    expect(lines[4]).toMatch(/ IP 10\.0\.0\.20\.49152 > 10\.0\.2\.20\.80: Flags \[\.\], ack 1, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length 0$/);
    expect(lines.slice(5)).toEqual(['3 packets captured', expect.stringMatching(/^\d+ packets received by filter$/), '0 packets dropped by kernel', '']);
  });

  it('runs until Ctrl-C, with -e MACs and an icmp filter, then prints its summary', () => {
    const w = web();
    const r1 = shell(w, 'router1');
    r1.exec('tcpdump -e -n icmp');
    runCommand(w, 'pc1', 'ping -c 2 10.0.2.20');
    expect(r1.out.code).toBe(-1);
    r1.s.interrupt();
    expect(r1.out.code).toBe(0);
    const lines = r1.out.text.split('\n').filter((l) => /^\d\d:/.test(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} 42:00:aa:00:00:01 > 42:00:aa:00:00:02, ethertype IPv4 \(0x0800\), length 98: 10\.0\.0\.20 > 10\.0\.2\.20: ICMP echo request, id \d+, seq 0, length 64$/);
    expect(r1.out.text).toMatch(/\n4 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel\n$/);
    // The tap is gone: more traffic is not printed.
    const before = r1.out.text;
    runCommand(w, 'pc1', 'ping -c 1 10.0.2.20');
    expect(r1.out.text).toBe(before);
  });

  it('says what is wrong with a bad interface, count or filter', () => {
    const w = web();
    expect(runCommand(w, 'router1', 'tcpdump -i eth9')).toMatchObject({ exitCode: 1, output: 'tcpdump: eth9: No such device exists\n(BIOCSETIF failed: Device not configured)\n' });
    expect(runCommand(w, 'router1', 'tcpdump -c x')).toMatchObject({ exitCode: 1, output: 'tcpdump: invalid packet count x\n' });
    expect(runCommand(w, 'router1', 'tcpdump tcp and')).toMatchObject({ exitCode: 1, output: "tcpdump: can't parse filter expression: syntax error\n" });
    expect(runCommand(w, 'router1', 'tcpdump host nosuchnode')).toMatchObject({ exitCode: 1, output: "tcpdump: unknown host 'nosuchnode'\n" });
    // A node name resolves as IMUNES's /etc/hosts does.
    const r1 = shell(w, 'router1');
    r1.exec('tcpdump -n -c 1 -i eth1 dst host host1 and icmp');
    runCommand(w, 'pc1', 'ping -c 1 10.0.2.20');
    expect(r1.out.text).toMatch(/IP 10\.0\.0\.20 > 10\.0\.2\.20: ICMP echo request/);
  });

  it('-w writes a pcap into the node\'s files that -r prints with the same lines and tshark reads whole', async () => {
    const w = web();
    const live = shell(w, 'router1');
    const file = shell(w, 'router1');
    live.exec('tcpdump -n -i eth1 -c 9 tcp');
    file.exec('tcpdump -n -i eth1 -c 9 -w /root/fetch.pcap tcp');
    runCommand(w, 'pc1', 'ping -c 1 10.0.2.20');
    runCommand(w, 'pc1', 'fetch -q -o /x http://10.0.2.20/');
    w.sim.runUntil(w.sim.now() + 1e9); // the closing segments
    expect(live.out.code).toBe(0);
    expect(file.out.code).toBe(0);
    expect(file.out.text).toBe('tcpdump: listening on eth1, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n9 packets captured\n' + file.out.text.split('\n').slice(2).join('\n'));
    const liveLines = live.out.text.split('\n').filter((l) => /^\d\d:/.test(l));
    expect(liveLines).toHaveLength(9);
    const r = runCommand(w, 'router1', 'tcpdump -n -r /root/fetch.pcap');
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe(`reading from file /root/fetch.pcap, link-type EN10MB (Ethernet), snapshot length 262144\n${liveLines.join('\n')}\n`);
    // A filter and -c apply when reading too.
    expect(runCommand(w, 'router1', 'tcpdump -n -c 1 -r /root/fetch.pcap src host 10.0.2.20').output.split('\n')[1]).toBe(liveLines[1]);
    expect(runCommand(w, 'router1', 'ls -l /root').output).toMatch(/-rw-r--r-- +1 root +wheel +\d+ fetch\.pcap\n/);
    // The bytes as the node keeps them: a libpcap file tshark reads with nothing malformed.
    const bytes = fileTextToBytes(nodeFiles(w.findNode('router1')!).read('/root/fetch.pcap') as string);
    expect([...bytes.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    if (tsharkAvailable()) {
      const path = join(mkdtempSync(join(tmpdir(), 'vn-tcpdump-w-')), 'fetch.pcap');
      writeFileSync(path, bytes);
      expect(await validateCapture(path)).toMatchObject({ packets: 9, malformed: 0, badChecksums: 0 });
    }
  });

  it('-w stops with "No space left on device" at the node\'s file bound; -r names a missing or foreign file', () => {
    const w = web();
    const dump = shell(w, 'router1');
    dump.exec('tcpdump -n -i eth1 -w /big.pcap');
    // Each 1 MB fetch is some 700 full frames: more than the node's 256 KB of files.
    runCommand(w, 'router1', 'printf hello > /notpcap');
    for (let i = 0; i < 3 && dump.out.code === -1; i++) runCommand(w, 'pc1', `ping -c 400 -i 0.01 -s 1400 10.0.2.20`, 30e9);
    expect(dump.out.code).toBe(1);
    expect(dump.out.text).toMatch(/^tcpdump: listening on eth1, .*\ntcpdump: \/big\.pcap: No space left on device\n\d+ packets captured\n/);
    const size = (nodeFiles(w.findNode('router1')!).read('/big.pcap') as string).length;
    expect(size).toBeLessThanOrEqual(NODE_FILES_BYTES_MAX);
    expect(size).toBeGreaterThan(NODE_FILES_BYTES_MAX - 2000);
    // What was written up to the bound still reads back whole.
    const r = runCommand(w, 'router1', 'tcpdump -n -r /big.pcap');
    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n').filter((l) => /^\d\d:.* ICMP echo/.test(l)).length).toBeGreaterThan(100);
    expect(runCommand(w, 'router1', 'tcpdump -r /nope.pcap')).toMatchObject({ exitCode: 1, output: 'tcpdump: /nope.pcap: No such file or directory\n' });
    expect(runCommand(w, 'router1', 'tcpdump -r /notpcap')).toMatchObject({ exitCode: 1, output: 'tcpdump: unknown file format\n' });
    runCommand(w, 'router1', 'printf ab > /short');
    expect(runCommand(w, 'router1', 'tcpdump -r /short')).toMatchObject({ exitCode: 1, output: 'tcpdump: truncated dump file; tried to read 4 file header bytes, only got 2\n' });
  });
});
