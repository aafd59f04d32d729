// A scenario saved from the app, replayed by the CLI: the engine driven through its protocol
// as the app's run mode drives it (start, explanations on, play at max speed, shells opened
// and lines typed between ticks, pause, sim/scenario), the document saved with that scenario,
// then `virtnet run FILE --replay --trace OUT.jsonl` writes the same trace the app was sent
// (every traffic record: time, node, interfaces, summary) and the same shell output.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { TraceLine } from '../../src/cli/trace-out';
import type { EngineEvent, TrafficEvent } from '../../src/emulator/engine/protocol';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { serializeTopology } from '../../src/emulator/topology/formats';
import { EngineClient } from '../../src/worker/client';
import { createMemoryPortPair } from '../../src/worker/memory-port';
import { serveEngine, type ServedEngine } from '../../src/worker/serve';

const CHAIN = resolve(__dirname, '../../assets/samples/router-chain-4.vnet');

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

function line(doc: TopologyDoc, e: TrafficEvent): string {
  const name = doc.nodes.find((n) => n.id === e.node)?.name ?? e.node;
  const io = e.action === 'fwd' ? [e.fromIface, e.iface] : e.action === 'tx' ? ['', e.iface] : [e.iface, ''];
  return [e.timeNs, name, e.action, io[0] ?? '', io[1] ?? '', e.summary].join(' | ');
}

describe('a scenario saved from the app, replayed by virtnet run --replay', () => {
  it('gives the trace and the shell output the app had', async () => {
    const doc = JSON.parse(readFileSync(CHAIN, 'utf8')) as TopologyDoc;
    const [a, b] = createMemoryPortPair();
    served = serveEngine(b, { tickMs: 0 });
    const client = new EngineClient(a);
    const events: EngineEvent[] = [];
    client.onEvents((e) => events.push(...e));
    const tick = async (n = 1) => {
      for (let i = 0; i < n; i++) {
        served!.tick();
        await new Promise((r) => setTimeout(r, 0));
      }
    };
    const output = (session: number) => events.flatMap((e) => (e.type === 'shell/output' && e.session === session ? [e.text] : [])).join('');
    const done = (session: number) => events.filter((e) => e.type === 'shell/done' && e.session === session).length;
    const runUntilDone = async (session: number, count: number) => {
      for (let i = 0; i < 200 && done(session) < count; i++) await tick();
      expect(done(session)).toBe(count);
    };

    await client.request({ type: 'net/start', doc, seed: 11 });
    await client.request({ type: 'sim/explain', on: true });
    await client.request({ type: 'sim/play', speed: 'max' });
    const pc1 = (await client.request({ type: 'shell/open', node: 'n0' })).session;
    await tick(3);
    await client.request({ type: 'shell/exec', session: pc1, line: 'ping -c 2 pc2' });
    await runUntilDone(pc1, 1);
    const r2 = (await client.request({ type: 'shell/open', node: doc.nodes.find((n) => n.name === 'router2')!.id })).session;
    await client.request({ type: 'shell/exec', session: r2, line: 'route add 10.9.0.0/16 10.0.2.2' });
    await runUntilDone(r2, 1);
    await client.request({ type: 'shell/exec', session: pc1, line: 'traceroute -m 4 10.9.9.9' });
    await runUntilDone(pc1, 2);
    await tick(2);
    await client.request({ type: 'sim/pause' });
    await tick();
    const scenario = await client.request({ type: 'sim/scenario' });
    expect(scenario.inputs.map((x) => `${x.node}: ${x.exec}`)).toEqual(['pc1: ping -c 2 pc2', 'router2: route add 10.9.0.0/16 10.0.2.2', 'pc1: traceroute -m 4 10.9.9.9']);
    const appTrace = events.flatMap((e) => (e.type === 'traffic' ? [line(doc, e)] : []));
    expect(events.some((e) => e.type === 'sim/clock' && (e.trafficSkipped ?? 0) > 0)).toBe(false);

    const dir = mkdtempSync(join(tmpdir(), 'virtnet-appscn-'));
    const file = join(dir, 'lab.vnet');
    writeFileSync(file, serializeTopology({ ...doc, scenario }, file));
    const trace = join(dir, 'trace.jsonl');
    let stdout = '';
    const code = await main(['run', file, '--replay', '--trace', trace, '--json'], { stdout: (t) => (stdout += t), stderr: () => undefined });
    expect(code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceLine).filter((l) => 'summary' in l);
    const cliTrace = lines.map((l) => [l.timeNs, l.node, l.action, l.in ?? '', l.out ?? '', l.summary].join(' | '));
    expect(appTrace.length).toBeGreaterThan(50);
    expect(cliTrace.slice(0, appTrace.length)).toEqual(appTrace);
    // Nothing the app had not been sent before its end time.
    expect(lines.slice(appTrace.length).every((l) => l.timeNs >= scenario.untilNs!)).toBe(true);
    const results = JSON.parse(stdout).results as { node: string; command: string; output: string }[];
    expect(output(pc1)).toContain(results[0]!.output.trim());
    expect(output(pc1)).toContain(results[2]!.output.trim());
    expect(results[2]!.output).toMatch(/^traceroute to 10\.9\.9\.9/);
  });
});
