// inspect/node's firewall section: rule counters as ipfw show keeps them, live dynamic
// states, a NAT instance's links (original ↔ alias) and a pipe's counters, all set up by the
// node's startup configuration; lists are capped with the number left out.
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../src/worker/client';
import { createMemoryPortPair } from '../../src/worker/memory-port';
import { serveEngine, type ServedEngine } from '../../src/worker/serve';
import { FW_SNAPSHOT_ROWS } from '../../src/emulator/engine/inspect-fw';
import { ipSend } from '../../src/emulator/stack';
import { buildIcmp, icmpEchoRequest } from '../../src/emulator/wire/icmp';
import { parseIpv4 } from '../../src/emulator/wire/addr';
import { chain } from '../scenarios/topologies';

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

function connect() {
  const [a, b] = createMemoryPortPair();
  served = serveEngine(b, { tickMs: 0 });
  return { client: new EngineClient(a), served };
}

function ping(s: ServedEngine, from: string, to: string, seq: number): void {
  const stack = s.engine.world!.nodeByName(from)!.stack!;
  expect(ipSend(stack, { dst: parseIpv4(to)!, proto: 1, payload: buildIcmp(icmpEchoRequest(7, seq, new Uint8Array(56))) }).ok).toBe(true);
}

describe('inspect/node firewall snapshot', () => {
  it('shows rule counters, states, NAT links and pipe counters', async () => {
    const { client, served } = connect();
    const doc = chain(2, { delayUs: 1000 });
    const r1 = doc.nodes.find((n) => n.name === 'r1')!;
    r1.startup = [
      'ipfw pipe 1 config bw 1Mbit/s delay 5 queue 10',
      'ipfw nat 1 config if eth1',
      'ipfw add 100 count icmp from any to any',
      'ipfw add 150 nat 1 ip from any to any out xmit eth1',
      'ipfw add 160 nat 1 ip from any to any in recv eth1',
      'ipfw add 200 allow icmp from any to any keep-state',
    ];
    await client.request({ type: 'net/start', doc, seed: 3 });
    await client.request({ type: 'sim/run-until', untilNs: 100_000_000 });
    const before = await client.request({ type: 'inspect/node', node: 'r1' });
    expect(before.firewall!.rules.map((r) => r.num)).toEqual([100, 150, 160, 200, 65535]);
    expect(before.firewall!.rules[0]).toEqual({ num: 100, packets: 0, bytes: 0, text: 'count icmp from any to any' });
    ping(served, 'pc1', '10.0.2.20', 1);
    await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    const snap = await client.request({ type: 'inspect/node', node: 'r1' });
    const fw = snap.firewall!;
    expect(fw.rules[0].packets).toBeGreaterThanOrEqual(2);
    expect(fw.rules[0].bytes).toBe(fw.rules[0].packets * 84);
    expect(fw.states).toBe(1);
    expect(fw.nats).toHaveLength(1);
    expect(fw.nats[0].alias).toBe('10.0.1.2');
    expect(fw.nats[0].links).toEqual([{ proto: 'icmp', original: '10.0.0.20:7', alias: expect.stringMatching(/^10\.0\.1\.2:\d+$/), remote: '10.0.2.20', expiresInNs: expect.any(Number) }]);
    expect(fw.nats[0].moreLinks).toBe(0);
    expect(fw.pipes[0]).toMatchObject({ n: 1, bandwidthBps: 1_000_000, delayNs: 5_000_000, queueMax: 10, queued: 0, drops: 0 });
    expect(fw.moreRules).toBe(0);
    const pc = await client.request({ type: 'inspect/node', node: 'pc1' });
    expect(pc.firewall).toBeUndefined();
  });

  it('caps the rules list and says how many more', async () => {
    const { client } = connect();
    const doc = chain(1);
    const r1 = doc.nodes.find((n) => n.name === 'r1')!;
    r1.startup = Array.from({ length: FW_SNAPSHOT_ROWS + 50 }, (_, k) => `ipfw add ${k + 1} count ip from any to any`);
    await client.request({ type: 'net/start', doc, seed: 1 });
    await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    const fw = (await client.request({ type: 'inspect/node', node: 'r1' })).firewall!;
    expect(fw.rules).toHaveLength(FW_SNAPSHOT_ROWS);
    expect(fw.moreRules).toBe(51);
  });
});
