// tcpdump in a node shell (issue 14): a job that prints live lines in tcpdump's format until
// Ctrl-C or -c N, filters, its start and summary lines, and errors in tcpdump's words.
// The line format itself is checked against real tcpdump in test/reference/tcpdump-format.test.ts.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { openShell, runCommand } from '../../src/emulator/shell';
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
});
