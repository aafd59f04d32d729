// Determinism (same seed → same trace hash, output and capture bytes) and real-dissector
// validation of captures from several scenarios (DHCPv6 among them): tshark must find zero malformed
// packets and zero bad checksums (STYLE "Tests").
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { Capture } from '../../src/emulator/engine/capture';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { runCommand } from '../../src/emulator/shell';
import { tsharkAvailable, validateCapture } from '../support/tshark';
import { builder, hostRouterHost } from './topologies';
import { loadSample } from './samples';
import { DHCPD6_CONF, dhcp6Imn } from './dhcp6-lab';

interface Scenario {
  name: string;
  doc: () => TopologyDoc;
  /** node:iface to capture. */
  at: [string, string][];
  commands: [string, string][];
}

function loop(): TopologyDoc {
  const b = builder();
  const pc = b.node('pc', 'pc1');
  const r1 = b.node('router', 'router1');
  const r2 = b.node('router', 'router2');
  b.link(pc, r1, { aIp: '10.0.0.20/24', bIp: '10.0.0.1/24' });
  b.link(r1, r2, { aIp: '10.0.1.1/24', bIp: '10.0.1.2/24' });
  b.route(pc, '0.0.0.0/0', '10.0.0.1');
  b.route(r1, '10.9.0.0/16', '10.0.1.2');
  b.route(r2, '10.9.0.0/16', '10.0.1.1');
  b.route(r2, '10.0.0.0/24', '10.0.1.1');
  return b.doc;
}

const SCENARIOS: Scenario[] = [
  { name: 'lan-ping', doc: () => loadSample('two-pcs-switch.vnet'), at: [['pc1', 'eth0']], commands: [['pc1', 'ping -c 3 10.0.0.21'], ['pc1', 'ping -c 3 10.0.0.99']] },
  {
    name: 'routed-fragments',
    doc: () => loadSample('pc-router-pc.vnet'),
    at: [['pc1', 'eth0'], ['router1', 'eth1']],
    commands: [['pc1', 'ping -c 2 -s 3000 10.0.1.20'], ['pc1', 'ping -c 1 10.0.9.9']],
  },
  { name: 'traceroute-chain', doc: () => loadSample('router-chain-4.vnet'), at: [['pc1', 'eth0'], ['router3', 'eth0']], commands: [['pc1', 'traceroute -n 10.0.4.20']] },
  { name: 'ttl-loop', doc: loop, at: [['router1', 'eth1']], commands: [['pc1', 'ping -c 2 10.9.0.1']] },
  {
    name: 'lossy-jitter',
    doc: () => hostRouterHost({ lossPercent: 20, jitterUs: 3000, delayUs: 1000, bandwidthBps: 10_000_000 }),
    at: [['pc1', 'eth0']],
    commands: [['pc1', 'ping -c 20 -i 0.2 10.0.1.20'], ['pc2', 'traceroute -n -q 2 -w 1 10.0.0.20']],
  },
  {
    name: 'dhcpv6',
    doc: dhcp6Imn,
    at: [['PC1', 'eth0']],
    commands: [['DHCP6server', `printf '%s' '${DHCPD6_CONF}' > /usr/local/etc/dhcpd6.conf`], ['DHCP6server', 'dhcpd -6'], ['PC1', 'dhclient -6 eth0'], ['PC1', 'dhclient -6 -r eth0']],
  },
];

function play(s: Scenario, seed: number): { world: World; outputs: string[]; caps: Capture[] } {
  const world = new World(s.doc(), { seed });
  const caps = s.at.map(([node, iface]) => {
    return world.startCapture({ kind: 'iface', node, iface });
  });
  const outputs = s.commands.map(([node, line]) => runCommand(world, node, line).output);
  for (const c of caps) c.finish();
  return { world, outputs, caps };
}

describe('determinism', () => {
  it('same topology, seed and commands give the same trace hash, output and pcap bytes', () => {
    for (const s of SCENARIOS) {
      const a = play(s, 7);
      const b = play(s, 7);
      expect(a.world.traceHash(), s.name).toBe(b.world.traceHash());
      expect(a.outputs, s.name).toEqual(b.outputs);
      expect(Buffer.from(a.caps[0].toPcapng()).equals(Buffer.from(b.caps[0].toPcapng())), s.name).toBe(true);
      expect(a.caps[0].frames.length, s.name).toBeGreaterThan(0);
    }
  });

  it('a different seed changes a lossy run', () => {
    const s = SCENARIOS.find((x) => x.name === 'lossy-jitter')!;
    const hashes = new Set([1, 2, 3].map((seed) => play(s, seed).world.traceHash()));
    expect(hashes.size).toBeGreaterThan(1);
  });
});

describe.skipIf(!tsharkAvailable())('tshark validation of scenario captures', () => {
  it('every capture dissects with zero malformed packets and zero bad checksums', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-scen-'));
    let files = 0;
    for (const s of SCENARIOS) {
      const { caps } = play(s, 3);
      for (const [k, cap] of caps.entries()) {
        // pcapng everywhere; classic pcap once (the writer is shared, tshark runs are slow).
        for (const format of files === 0 ? (['pcap', 'pcapng'] as const) : (['pcapng'] as const)) {
          const file = join(dir, `${s.name}-${k}.${format}`);
          writeFileSync(file, format === 'pcap' ? cap.toPcap() : cap.toPcapng());
          const v = await validateCapture(file);
          expect(v.packets, file).toBe(cap.frames.length);
          expect(v.malformed, `${file}: ${v.expertLines.join('; ')}`).toBe(0);
          expect(v.badChecksums, `${file}: ${v.expertLines.join('; ')}`).toBe(0);
          files++;
        }
      }
    }
    expect(files).toBe(9);
  }, 120_000);
});
