// Golden capture: a fixed-seed run of assets/samples/pc-router-pc.vnet through the real
// CLI (pc1 pings pc2 twice, then traceroute -n) captured on both LANs; the pcap bytes
// (sha256) and a one-line-per-frame decode must equal the committed golden files, and the
// golden pcaps must pass tshark with zero malformed frames and zero bad checksums.
// Regenerate on purpose only:  UPDATE_GOLDEN=1 npx vitest run test/golden
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, parsePing } from '../imunes-run/cli-run';
import { describeGolden, type GoldenScenario } from './golden-suite';
import { sha256Hex } from './pcap-decode';

const SCENARIO: GoldenScenario = {
  name: 'pc-router-pc',
  file: 'assets/samples/pc-router-pc.vnet',
  seed: 7,
  execs: ['pc1: ping -c 2 10.0.1.20', 'pc1: traceroute -n 10.0.1.20'],
  // pc1's LAN and the router's side of pc2's LAN.
  taps: [
    { node: 'pc1', iface: 'eth0' },
    { node: 'router1', iface: 'eth1' },
  ],
};

describeGolden(
  SCENARIO,
  (get) => {
    it('the installed command (node bin/virtnet.js, a real process) writes the same pcap bytes', () => {
      const dir = mkdtempSync(join(tmpdir(), 'virtnet-golden-bin-'));
      try {
        const out = SCENARIO.taps.map((t) => join(dir, `${t.node}-${t.iface}.pcap`));
        const args = [join(REPO_ROOT, 'bin/virtnet.js'), 'run', join(REPO_ROOT, SCENARIO.file), '--seed', String(SCENARIO.seed)];
        for (const e of SCENARIO.execs) args.push('--exec', e);
        SCENARIO.taps.forEach((t, k) => args.push('--pcap', `${t.node}:${t.iface}=${out[k]}`));
        execFileSync('node', args, { encoding: 'utf8', timeout: 60_000 });
        expect(out.map((f) => sha256Hex(new Uint8Array(readFileSync(f))))).toEqual(get().pcaps.map(sha256Hex));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('runs the scenario: 2 replies at TTL 63, traceroute via 10.0.0.1', () => {
      const { run } = get();
      expect(run.code, run.stderr).toBe(0);
      const [ping, trace] = run.results;
      expect(parsePing(ping.output)).toEqual({ transmitted: 2, received: 2, replyTtls: [63, 63], replyFrom: ['10.0.1.20', '10.0.1.20'] });
      expect(trace.output).toMatch(/^ 1 {2}10\.0\.0\.1 /m);
      expect(trace.output).toMatch(/^ 2 {2}10\.0\.1\.20 /m);
    });

    it('decodes the frames a reviewer expects on each LAN', () => {
      const { text } = get();
      expect(text).toMatch(/pc1:eth0 out {2}arp .*Who has 10\.0\.0\.1\?/);
      expect(text).toMatch(/pc1:eth0 out {2}icmp .*Echo \(ping\) request.*ttl=64/);
      expect(text).toMatch(/router1:eth1 out {2}icmp .*Echo \(ping\) request.*ttl=63/);
      expect(text).toMatch(/pc1:eth0 in {3}icmp .*Echo \(ping\) reply.*ttl=63/);
      expect(text).toMatch(/pc1:eth0 in {3}icmp 10\.0\.0\.1 > .*Time-to-live exceeded/);
      expect(text).toMatch(/pc1:eth0 in {3}icmp 10\.0\.1\.20 > .*Destination unreachable \(Port unreachable\)/);
    });
  },
);
