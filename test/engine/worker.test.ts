// The engine behind a real node:worker_threads Worker (as Electron main and the CLI host
// it): the typed client starts a network, steps, inspects and gets event batches.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnNodeEngine, type NodeEngine } from '../../src/worker/spawn-node';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { pcSwitchPc } from '../scenarios/topologies';

let host: NodeEngine | null = null;
afterEach(async () => {
  await host?.terminate();
  host = null;
});

describe('node worker host', () => {
  it('serves the protocol from a worker thread', async () => {
    host = spawnNodeEngine(path.resolve(__dirname, '../../src/worker/node-host.ts'));
    const events: EngineEvent[] = [];
    host.client.onEvents((e) => events.push(...e));
    const started = await host.client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 2 });
    expect(started.nodes).toBe(3);
    const sh = await host.client.request({ type: 'shell/open', node: 'pc1' });
    await host.client.request({ type: 'shell/exec', session: sh.session, line: 'ping -c 1 10.0.0.21' });
    const ru = await host.client.request({ type: 'sim/run-until', untilNs: 2_000_000_000 });
    expect(ru.nowNs).toBe(2_000_000_000);
    const snap = await host.client.request({ type: 'inspect/node', node: 'sw1' });
    expect(snap.macTable).toHaveLength(2);
    expect(events.some((e) => e.type === 'traffic' && e.proto === 'icmp')).toBe(true);
    expect(events.some((e) => e.type === 'shell/done' && e.exitCode === 0)).toBe(true);
    await expect(host.client.request({ type: 'inspect/node', node: 'zz' })).rejects.toMatchObject({ code: 'unknown-node' });
  });
});
