// The Engine through the typed protocol over an in-memory port (structured-cloned, async,
// like a worker port): start, step, run-until, play with an injected clock, inspect,
// capture + export checked by tshark, link changes, bad requests → error codes, internal
// errors → engine/error with the seed and an engine that stays usable, determinism.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient, EngineRequestError } from '../../src/worker/client';
import { createMemoryPortPair } from '../../src/worker/memory-port';
import { serveEngine, type ServedEngine } from '../../src/worker/serve';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { icmpOpen, ipSend } from '../../src/emulator/stack';
import { buildIcmp, icmpEchoRequest } from '../../src/emulator/wire/icmp';
import { parseIpv4 } from '../../src/emulator/wire/addr';
import { tsharkAvailable, validateCapture, tsharkFields } from '../support/tshark';
import { chain, pcSwitchPc } from '../scenarios/topologies';

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

function connect(clockMs?: { t: number }) {
  const [a, b] = createMemoryPortPair();
  served = serveEngine(b, { tickMs: 0, clock: clockMs ? () => clockMs.t : undefined });
  const client = new EngineClient(a);
  const events: EngineEvent[] = [];
  client.onEvents((e) => events.push(...e));
  return { client, events, served };
}

/** Send one echo request from `from` straight through its stack (the shell is not wired here). */
function sendPing(s: ServedEngine, from: string, to: string, seq: number): void {
  const stack = s.engine.world!.nodeByName(from)!.stack!;
  const r = ipSend(stack, { dst: parseIpv4(to)!, proto: 1, payload: buildIcmp(icmpEchoRequest(7, seq, new Uint8Array(56))) });
  expect(r.ok).toBe(true);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as EngineRequestError).code;
  }
  return 'ok';
}

describe('Engine over a memory port', () => {
  it('starts, steps one event, runs until a time, inspects nodes and counters', async () => {
    const { client, events, served } = connect();
    const started = await client.request({ type: 'net/start', doc: chain(2, { delayUs: 1000 }), seed: 3 });
    expect(started).toEqual({ warnings: [], nodes: 4, links: 3, events: 0 });
    const pending = served.engine.world!.sim.pending();
    expect(pending).toBeGreaterThan(0); // boot-time ARP announcements in flight
    const st = await client.request({ type: 'sim/step' });
    expect(st.executed).toBe(1);
    expect(served.engine.world!.sim.pending()).toBe(pending - 1);
    sendPing(served, 'pc1', '10.0.2.20', 1);
    const ru = await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    expect(ru.nowNs).toBe(1_000_000_000);
    const snap = await client.request({ type: 'inspect/node', node: 'r1' });
    expect(snap.forwarding).toBe(true);
    expect(snap.interfaces.map((i) => i.name)).toEqual(['eth0', 'eth1', 'lo0']);
    expect(snap.interfaces[0].ipv4).toEqual(['10.0.0.1/24']);
    expect(snap.arp.map((a) => a.ip).sort()).toEqual(['10.0.0.20', '10.0.1.1']);
    expect(snap.routes.some((r) => r.dest === '10.0.2.0/24' && r.gateway === '10.0.1.1' && r.flags.includes('G'))).toBe(true);
    expect(snap.interfaces[0].counters.rxPackets).toBeGreaterThan(0);
    const byName = await client.request({ type: 'inspect/node', node: 'n1' });
    expect(byName.name).toBe('r1');
    const counters = await client.request({ type: 'inspect/counters' });
    expect(counters.interfaces.find((c) => c.node === 'n3' && c.iface === 'eth0')!.rxPackets).toBeGreaterThan(0);
    const traffic = events.filter((e) => e.type === 'traffic');
    expect(traffic.some((e) => e.type === 'traffic' && e.action === 'fwd' && e.proto === 'icmp')).toBe(true);
    const clock = events.filter((e) => e.type === 'sim/clock').at(-1);
    expect(clock).toMatchObject({ nowNs: 1_000_000_000, running: false });
  });

  it('switch MAC table and link state events', async () => {
    const { client, events, served } = connect();
    await client.request({ type: 'net/start', doc: pcSwitchPc('lanswitch', { bandwidthBps: 1_000_000 }), seed: 1 });
    sendPing(served, 'pc1', '10.0.0.21', 1);
    await client.request({ type: 'sim/run-until', untilNs: 100_000_000 });
    const sw = await client.request({ type: 'inspect/node', node: 'sw1' });
    expect(sw.macTable!.map((m) => m.port)).toEqual(['e0', 'e1']);
    expect(sw.interfaces[2].carrier).toBe(false);
    await client.request({ type: 'link/set-up', link: 'l1', up: false });
    expect(events.filter((e) => e.type === 'link/state').at(-1)).toEqual({ type: 'link/state', link: 'l1', up: false, queueDepthAB: 0, queueDepthBA: 0, label: 'pc2:eth0 — sw1:e1' });
    const pc2 = await client.request({ type: 'inspect/node', node: 'pc2' });
    expect(pc2.interfaces[0].carrier).toBe(false);
    await client.request({ type: 'link/set-params', link: 'l0', params: { delayUs: 5000 }, direction: 'ab' });
    expect(served.engine.world!.link('l0')!.params(0).delayUs).toBe(5000);
    expect(served.engine.world!.link('l0')!.params(1).delayUs).toBe(0);
  });

  it('plays in real time against the injected clock, pauses, and plays at max', async () => {
    const clock = { t: 1000 };
    const { client, served } = connect(clock);
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    await client.request({ type: 'sim/play', speed: 0.5 });
    clock.t += 100; // 100 ms wall at 0.5× → 50 ms virtual
    served.tick();
    expect(served.engine.world!.sim.now()).toBe(50_000_000);
    await client.request({ type: 'sim/pause' });
    clock.t += 100;
    served.tick();
    expect(served.engine.world!.sim.now()).toBe(50_000_000);
    await client.request({ type: 'sim/play', speed: 'max' });
    sendPing(served, 'pc1', '10.0.0.21', 1);
    served.tick();
    expect(served.engine.world!.sim.pending()).toBe(0);
    expect(served.engine.isRunning()).toBe(true);
  });

  it('captures on an interface and a link; exports pcap and pcapng that tshark reads cleanly', async () => {
    const { client, events, served } = connect();
    await client.request({ type: 'net/start', doc: chain(1, { delayUs: 100 }), seed: 1 });
    const ci = await client.request({ type: 'capture/start', target: { kind: 'iface', node: 'pc1', iface: 'eth0' } });
    const cl = await client.request({ type: 'capture/start', target: { kind: 'link', link: 'l1' } });
    expect(ci.name).toBe('pc1:eth0');
    for (let i = 0; i < 3; i++) sendPing(served, 'pc1', '10.0.1.20', i);
    await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    await client.request({ type: 'capture/stop', capture: ci.capture });
    sendPing(served, 'pc1', '10.0.1.20', 9);
    await client.request({ type: 'sim/run-until', untilNs: 2_000_000_000 });
    const frames = events.filter((e) => e.type === 'capture/frame' && e.capture === ci.capture);
    // r1's boot announcement (still in flight at start), ARP request + reply, three echo
    // requests + three replies; stopped before the 4th ping
    expect(frames).toHaveLength(9);
    // Each frame travels as its own bytes, never as a view of shared frame memory.
    for (const f of frames) if (f.type === 'capture/frame') expect(f.bytes.buffer.byteLength).toBe(f.bytes.length);
    const pcap = await client.request({ type: 'capture/export', capture: ci.capture, format: 'pcap' });
    const pcapng = await client.request({ type: 'capture/export', capture: cl.capture, format: 'pcapng' });
    expect(pcap.fileName).toBe('pc1-eth0.pcap');
    expect(pcap.bytes).toBeInstanceOf(Uint8Array);
    if (!tsharkAvailable()) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'virtnet-cap-'));
    const f1 = path.join(dir, pcap.fileName);
    const f2 = path.join(dir, pcapng.fileName);
    writeFileSync(f1, pcap.bytes);
    writeFileSync(f2, pcapng.bytes);
    const v1 = await validateCapture(f1);
    expect(v1).toMatchObject({ packets: 9, malformed: 0, badChecksums: 0 });
    const v2 = await validateCapture(f2);
    expect(v2.malformed).toBe(0);
    expect(v2.badChecksums).toBe(0);
    expect(v2.packets).toBe(10); // on l1, each frame once: ARP request + reply, 4 echo requests + 4 replies
    const ifNames = await tsharkFields(f2, ['frame.interface_name']);
    expect(new Set(ifNames.map((r) => r[0]))).toEqual(new Set(['r1:eth1', 'pc2:eth0']));
  });

  it('shell sessions: ping through the protocol, output and done events, interrupt, close', async () => {
    const { client, events } = connect();
    await client.request({ type: 'net/start', doc: chain(2, { delayUs: 500 }), seed: 1 });
    const sh = await client.request({ type: 'shell/open', node: 'pc1' });
    expect(sh.prompt).toContain('pc1');
    await client.request({ type: 'shell/exec', session: sh.session, line: 'ping -c 2 10.0.2.20' });
    await client.request({ type: 'sim/run-until', untilNs: 5_000_000_000 });
    const out = events.filter((e) => e.type === 'shell/output' && e.session === sh.session).map((e) => (e.type === 'shell/output' ? e.text : '')).join('');
    expect(out).toMatch(/64 bytes from 10\.0\.2\.20: icmp_seq=0 ttl=62/);
    expect(out).toMatch(/2 packets transmitted, 2 packets received, 0\.0% packet loss/);
    expect(events.find((e) => e.type === 'shell/done')).toMatchObject({ session: sh.session, exitCode: 0 });
    await client.request({ type: 'shell/exec', session: sh.session, line: 'ping 10.0.2.20' });
    await client.request({ type: 'sim/run-until', untilNs: 8_000_000_000 });
    await client.request({ type: 'shell/interrupt', session: sh.session });
    expect(events.filter((e) => e.type === 'shell/done')).toHaveLength(2);
    // Standard input goes only to a running command that reads it (nc), never to the idle shell.
    expect(await client.request({ type: 'shell/input', session: sh.session, text: 'x\n' })).toEqual({ accepted: false });
    await client.request({ type: 'shell/exec', session: sh.session, line: 'nc -l 5000' });
    expect(await client.request({ type: 'shell/input', session: sh.session, text: 'x\n' })).toEqual({ accepted: true });
    await client.request({ type: 'shell/interrupt', session: sh.session });
    await client.request({ type: 'shell/close', session: sh.session });
    expect(await code(client.request({ type: 'shell/exec', session: sh.session, line: 'ifconfig' }))).toBe('unknown-session');
  });

  it('shell/suspend (Ctrl-Z) reaches the session, is kept as an input of the run, and does nothing at the prompt', async () => {
    const { client, events } = connect();
    await client.request({ type: 'net/start', doc: chain(1), seed: 1 });
    const idle = (await client.request({ type: 'shell/open', node: 'pc1' })).session;
    events.length = 0;
    expect(await client.request({ type: 'shell/suspend', session: idle })).toBeNull();
    expect(events.filter((e) => 'session' in e && e.session === idle)).toEqual([]);
    // Kept for step back like Ctrl-C, so the run cannot be saved as a scenario of typed commands.
    await expect(client.request({ type: 'sim/scenario' })).rejects.toThrow(/a command was stopped \(Ctrl-Z\)/);
    const sh = (await client.request({ type: 'shell/open', node: 'pc2' })).session;
    await client.request({ type: 'shell/exec', session: sh, line: 'sleep 100' });
    await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    expect(await client.request({ type: 'shell/suspend', session: sh })).toBeNull();
    expect(await code(client.request({ type: 'shell/suspend', session: 99 }))).toBe('unknown-session');
    expect(await code(client.request({ type: 'shell/suspend', session: 'x' } as never))).toBe('bad-request');
  });

  it('refuses bad requests with stable codes and stays usable', async () => {
    const { client } = connect();
    expect(await code(client.request({ type: 'inspect/counters' }))).toBe('not-running');
    expect(await code(client.request({ type: 'nonsense' } as never))).toBe('bad-request');
    expect(await code(client.request({ type: 'net/start', doc: null } as never))).toBe('bad-request');
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    expect(await code(client.request({ type: 'inspect/node', node: 'nope' }))).toBe('unknown-node');
    expect(await code(client.request({ type: 'link/set-up', link: 'l9', up: true }))).toBe('unknown-link');
    expect(await code(client.request({ type: 'link/set-params', link: 'l0', params: { lossPercent: 200 } }))).toBe('bad-request');
    expect(await code(client.request({ type: 'link/set-params', link: 'l0', params: { colour: 1 } as never }))).toBe('bad-request');
    expect(await code(client.request({ type: 'capture/start', target: { kind: 'iface', node: 'pc1', iface: 'eth7' } }))).toBe('unknown-iface');
    expect(await code(client.request({ type: 'capture/export', capture: 42, format: 'pcap' }))).toBe('unknown-capture');
    expect(await code(client.request({ type: 'shell/exec', session: 99, line: 'ls' }))).toBe('unknown-session');
    expect(await code(client.request({ type: 'sim/step', count: 0 }))).toBe('bad-request');
    expect(await code(client.request({ type: 'sim/set-speed', speed: -1 }))).toBe('bad-request');
    const st = await client.request({ type: 'sim/step', count: 2 });
    expect(st.executed).toBe(2);
  });

  it('an internal exception becomes engine/error with the seed; the engine stays usable', async () => {
    const { client, events, served } = connect();
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 77 });
    served.engine.world!.sim.schedule(10, () => {
      throw new Error('invariant broken');
    });
    const err = await client.request({ type: 'sim/run-until', untilNs: 1000 }).catch((e: EngineRequestError) => e);
    expect(err).toBeInstanceOf(EngineRequestError);
    expect((err as EngineRequestError).code).toBe('internal');
    expect((err as EngineRequestError).seed).toBe(77);
    // Reported once: in the reply, not again as an event.
    expect(events.filter((e) => e.type === 'engine/error')).toEqual([]);
    const ok = await client.request({ type: 'sim/run-until', untilNs: 2000 });
    expect(ok.nowNs).toBe(2000);
  });

  it('an internal exception while playing is reported once, as one engine/error event with the seed', async () => {
    const { client, events, served } = connect();
    await client.request({ type: 'net/start', doc: pcSwitchPc(), seed: 78 });
    served.engine.world!.sim.schedule(10, () => {
      throw new Error('invariant broken');
    });
    await client.request({ type: 'sim/play', speed: 'max' });
    served.engine.tick();
    await client.request({ type: 'inspect/counters' });
    const errors = events.filter((e) => e.type === 'engine/error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ error: { code: 'internal', seed: 78 } });
    expect(served.engine.isRunning()).toBe(false);
  });

  it('determinism: the same document and seed give the same trace hash through the engine', async () => {
    const hashes: string[] = [];
    for (const seed of [5, 5, 6]) {
      const { client, served: s } = connect();
      await client.request({ type: 'net/start', doc: chain(2, { lossPercent: 25, jitterUs: 300, delayUs: 50 }), seed });
      const world = s.engine.world!;
      const off = icmpOpen(world.nodeByName('pc1')!.stack!, () => {});
      for (let i = 0; i < 30; i++) {
        sendPing(s, 'pc1', '10.0.2.20', i);
        await client.request({ type: 'sim/run-until', untilNs: (i + 1) * 100_000_000 });
      }
      off();
      hashes.push(world.traceHash());
      s.dispose();
    }
    expect(hashes[0]).toBe(hashes[1]);
    expect(hashes[2]).not.toBe(hashes[0]);
  });
});

describe('Engine.handle (in process)', () => {
  it('resolves typed results and rejects with coded EngineErrors', async () => {
    const { Engine, EngineError } = await import('../../src/emulator/engine/engine');
    const engine = new Engine(() => {});
    await expect(engine.handle({ type: 'sim/step' })).rejects.toBeInstanceOf(EngineError);
    await expect(engine.handle({ type: 'sim/step' })).rejects.toMatchObject({ code: 'not-running' });
    const r = await engine.handle({ type: 'net/start', doc: pcSwitchPc(), seed: 4 });
    expect(r.nodes).toBe(3);
    const st = await engine.handle({ type: 'sim/step', count: 3 });
    expect(st.executed).toBe(3);
  });
});

describe('Engine event batching', () => {
  it('samples traffic per tick and says how many events it skipped', async () => {
    const { Engine } = await import('../../src/emulator/engine/engine');
    const batches: EngineEvent[][] = [];
    const engine = new Engine((e) => batches.push(e), { trafficPerTick: 5 });
    await engine.handle({ type: 'net/start', doc: chain(2), seed: 1 });
    batches.length = 0;
    const stack = engine.world!.nodeByName('pc1')!.stack!;
    const total0 = engine.world!.traffic.total;
    for (let i = 0; i < 4; i++) ipSend(stack, { dst: parseIpv4('10.0.2.20')!, proto: 1, payload: buildIcmp(icmpEchoRequest(7, i, new Uint8Array(8))) });
    await engine.handle({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    const batch = batches.at(-1)!;
    const traffic = batch.filter((e) => e.type === 'traffic');
    const clock = batch.find((e) => e.type === 'sim/clock');
    expect(traffic).toHaveLength(5);
    const recorded = engine.world!.traffic.total - total0;
    expect(clock).toMatchObject({ trafficSkipped: recorded - 5 });
    // the kept ones are the most recent: the last event is the final echo reply's rx at pc1
    expect(traffic.at(-1)).toMatchObject({ action: 'rx', node: 'n0', proto: 'icmp' });
  });
});

describe('Engine link state', () => {
  it('reports queue depth of a slow link while frames wait for the transmitter', async () => {
    const { Engine } = await import('../../src/emulator/engine/engine');
    const batches: EngineEvent[][] = [];
    const engine = new Engine((e) => batches.push(e));
    await engine.handle({ type: 'net/start', doc: pcSwitchPc('lanswitch', { bandwidthBps: 100_000 }), seed: 1 });
    await engine.handle({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    const stack = engine.world!.nodeByName('pc1')!.stack!;
    // resolve ARP first, then send 5 back to back: 98-byte frames take 7.84 ms each at 100 kbit/s
    ipSend(stack, { dst: parseIpv4('10.0.0.21')!, proto: 1, payload: buildIcmp(icmpEchoRequest(7, 0, new Uint8Array(56))) });
    await engine.handle({ type: 'sim/run-until', untilNs: 2_000_000_000 });
    batches.length = 0;
    for (let i = 1; i <= 5; i++) ipSend(stack, { dst: parseIpv4('10.0.0.21')!, proto: 1, payload: buildIcmp(icmpEchoRequest(7, i, new Uint8Array(56))) });
    await engine.handle({ type: 'sim/run-until', untilNs: 2_010_000_000 });
    const st = batches.flat().filter((e) => e.type === 'link/state' && e.link === 'l0');
    expect(st.at(-1)).toMatchObject({ up: true, queueDepthAB: 4 });
    await engine.handle({ type: 'sim/run-until', untilNs: 3_000_000_000 });
    const last = batches.flat().filter((e) => e.type === 'link/state' && e.link === 'l0').at(-1);
    expect(last).toMatchObject({ queueDepthAB: 0, queueDepthBA: 0 });
  });
});

describe('simulation mode over the protocol', () => {
  it('sim/explain: traffic events carry decisions (structured-cloned) while on, none after off', async () => {
    const { client, events, served } = connect();
    await client.request({ type: 'net/start', doc: chain(2, { delayUs: 1000 }), seed: 3 });
    await client.request({ type: 'sim/explain', on: true });
    sendPing(served, 'pc1', '10.0.2.20', 1);
    await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    await new Promise((r) => setTimeout(r, 20));
    const fwd = events.filter((e): e is Extract<EngineEvent, { type: 'traffic' }> => e.type === 'traffic' && e.action === 'fwd');
    expect(fwd.length).toBeGreaterThan(0);
    // Every forward carries its decision; the one the ARP reply released says so, the others route and TTL.
    expect(fwd.every((e) => e.decision !== undefined && e.decision.node === 'r1' || e.decision?.node === 'r2')).toBe(true);
    expect(fwd.some((e) => e.decision!.steps.some((s) => s.kind === 'ttl'))).toBe(true);
    await client.request({ type: 'sim/explain', on: false });
    events.length = 0;
    sendPing(served, 'pc1', '10.0.2.20', 2);
    await client.request({ type: 'sim/run-until', untilNs: 2_000_000_000 });
    await new Promise((r) => setTimeout(r, 20));
    const traffic = events.filter((e) => e.type === 'traffic');
    expect(traffic.length).toBeGreaterThan(0);
    expect(traffic.every((e) => e.type === 'traffic' && e.decision === undefined)).toBe(true);
    expect(await code(client.request({ type: 'sim/explain', on: 'yes' as unknown as boolean }))).toBe('bad-request');
  });
});

describe('step back over the protocol', () => {
  it('sim/rewind: back to an earlier event with the shell output of then, the same future when played on, or a branch', async () => {
    const { client, events, served } = connect();
    await client.request({ type: 'net/start', doc: chain(2, { delayUs: 1000 }), seed: 5 });
    const sh = await client.request({ type: 'shell/open', node: 'pc1' });
    await client.request({ type: 'shell/exec', session: sh.session, line: 'ping -c 3 10.0.2.20' });
    await client.request({ type: 'sim/run-until', untilNs: 10_000_000_000 });
    const endHash = served.engine.world!.traceHash();
    const endEvents = served.engine.world!.sim.executed();
    const out = events.filter((e) => e.type === 'shell/output').map((e) => (e.type === 'shell/output' ? e.text : '')).join('');
    expect(out).toContain('3 packets received');

    // Back to just after the first reply: its line is in the shell, the later ones are not.
    const firstReply = out.indexOf('icmp_seq=0');
    expect(firstReply).toBeGreaterThan(0);
    let r = await client.request({ type: 'sim/rewind', back: 1 });
    expect(r.events).toBe(endEvents - 1);
    // Go further back until the transcript no longer has the second reply.
    while (r.transcripts[0].text.includes('icmp_seq=1')) r = await client.request({ type: 'sim/rewind', back: 5 });
    expect(r.transcripts).toHaveLength(1);
    expect(r.transcripts[0].session).toBe(sh.session);
    expect(r.transcripts[0].text).not.toContain('packets received');
    // Played on, the future is the same: same trace hash at the same end.
    await client.request({ type: 'sim/run-until', untilNs: 10_000_000_000 });
    expect(served.engine.world!.traceHash()).toBe(endHash);
    // Back again, then a branch: the route is deleted on r1, later pings fail.
    await client.request({ type: 'sim/rewind', back: served.engine.world!.sim.executed() - r.events });
    expect(served.engine.world!.sim.executed()).toBe(r.events);
    const r1 = await client.request({ type: 'shell/open', node: 'r1' });
    events.length = 0;
    await client.request({ type: 'shell/exec', session: r1.session, line: 'route delete 10.0.2.0/24' });
    await client.request({ type: 'sim/run-until', untilNs: 10_000_000_000 });
    await new Promise((res) => setTimeout(res, 20));
    const pcOut = events.filter((e) => e.type === 'shell/output' && e.session === sh.session).map((e) => (e.type === 'shell/output' ? e.text : '')).join('');
    const r1Out = events.filter((e) => e.type === 'shell/output' && e.session === r1.session).map((e) => (e.type === 'shell/output' ? e.text : '')).join('');
    expect(r1Out).toContain('delete net 10.0.2.0/24');
    // The third request meets the deleted route (the second may already be past r1).
    expect(pcOut).toContain('92 bytes from r1 (10.0.0.1): Destination Net Unreachable');
    expect(pcOut).toMatch(/3 packets transmitted, [12] packets received/);
    expect(served.engine.world!.traceHash()).not.toBe(endHash);
  });

  it('sim/rewind is refused past the start', async () => {
    const { client } = connect();
    await client.request({ type: 'net/start', doc: chain(1), seed: 1 });
    await client.request({ type: 'sim/run-until', untilNs: 1_000_000_000 });
    expect(await code(client.request({ type: 'sim/rewind', back: 1_000_000 }))).toBe('bad-request');
  });
});
