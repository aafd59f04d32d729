// The engine's event stream as slow motion and Step need it: shell output comes after the
// traffic it reports (one ordered stream, even on zero-delay links where every hop shares
// one virtual instant), and `sim/step` with `to: 'traffic'` stops at the next frame hop.
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../src/worker/client';
import { createMemoryPortPair } from '../../src/worker/memory-port';
import { serveEngine, type ServedEngine } from '../../src/worker/serve';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { pcSwitchPc } from '../scenarios/topologies';

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

function connect() {
  const [a, b] = createMemoryPortPair();
  served = serveEngine(b, { tickMs: 0 });
  const client = new EngineClient(a);
  const events: EngineEvent[] = [];
  client.onEvents((e) => events.push(...e));
  return { client, events };
}

describe('engine event stream order', () => {
  it('puts a ping reply line after the echo reply arrives, on zero-delay links', async () => {
    const { client, events } = connect();
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    const { session } = await client.request({ type: 'shell/open', node: 'n0' });
    await client.request({ type: 'shell/exec', session, line: 'ping -c 1 10.0.0.21' });
    await client.request({ type: 'sim/run-until', untilNs: 3_000_000_000 });
    const reply = events.findIndex((e) => e.type === 'shell/output' && /bytes from 10\.0\.0\.21/.test(e.text));
    const arrival = events.findIndex((e) => e.type === 'traffic' && e.action === 'rx' && e.node === 'n0' && /reply/i.test(e.summary));
    expect(arrival).toBeGreaterThan(-1);
    expect(reply).toBeGreaterThan(arrival);
    // every hop of the exchange is in the stream before the line that reports it
    const hopsBefore = events.slice(0, reply).filter((e) => e.type === 'traffic' && e.action === 'tx' && e.proto === 'icmp');
    expect(hopsBefore).toHaveLength(4);
  });

  it('steps to the next traffic event: one hop per step, the clock at its time', async () => {
    const { client, events } = connect();
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    await client.request({ type: 'sim/run-until', untilNs: 2_000_000_000 }); // boot chatter settles
    const { session } = await client.request({ type: 'shell/open', node: 'n0' });
    await client.request({ type: 'shell/exec', session, line: 'ping -c 1 10.0.0.21' });
    const perStep: EngineEvent[][] = [];
    for (let i = 0; i < 30; i++) {
      const from = events.length;
      const r = await client.request({ type: 'sim/step', to: 'traffic' });
      const got = events.slice(from).filter((e) => e.type === 'traffic');
      perStep.push(events.slice(from));
      if (r.executed === 0) break;
      expect(got.length).toBeGreaterThan(0);
      for (const e of got) expect(e.type === 'traffic' && e.timeNs).toBe(r.nowNs);
      if (events.slice(from).some((e) => e.type === 'shell/output' && /bytes from/.test(e.text))) break;
    }
    const txPerStep = perStep.map((evs) => evs.filter((e) => e.type === 'traffic' && e.action === 'tx').length);
    // ARP request, flood, ARP reply, forward, echo request ×2, echo reply ×2 — one per step — then the arrival
    expect(txPerStep.slice(0, -1).every((n) => n === 1)).toBe(true);
    expect(txPerStep.length).toBeGreaterThanOrEqual(8);
    expect(perStep.at(-1)!.some((e) => e.type === 'shell/output' && /bytes from/.test(e.text))).toBe(true);
  });

  it('refuses an unknown step unit', async () => {
    const { client } = connect();
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    await expect(client.request({ type: 'sim/step', to: 'hop' as 'traffic' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
