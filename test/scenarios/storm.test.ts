// Storms never kill the engine (issue 9 §4, issue 10 "engine death"): four lanswitches in
// a ring run 60 virtual seconds of broadcast pings at flat memory because each switch
// detects the loop as ng_bridge does; a zero-delay hub ring (no loop detection) stops with
// a reported error naming the seed instead of hanging or dying; `virtnet run` survives.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { Engine } from '../../src/emulator/engine/engine';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { openShell } from '../../src/emulator/shell';
import { runCommand } from '../../src/emulator/shell';
import { serializeVnet } from '../../src/emulator/topology/vnet';
import { main } from '../../src/cli/main';
import { switchRing } from './topologies';

const SEC = 1_000_000_000;

describe('switch ring storm', () => {
  it('60 s of broadcast pings on a 4-switch ring: loops detected, memory and queues flat', () => {
    const w = new World(switchRing(4), { seed: 1 });
    const drops = new Map<string, number>();
    w.onTraffic((e) => e.action === 'drop' && drops.set(e.reason!, (drops.get(e.reason!) ?? 0) + 1));
    let out = '';
    const shell = openShell(w, w.nodeByName('pc1')!.id, { write: (t) => void (out += t) });
    let exit = -1;
    shell.exec('ping -c 60 10.0.0.255', (code) => (exit = code));
    const heap: number[] = [];
    const pending: number[] = [];
    for (let t = 5; t <= 80; t += 5) {
      w.sim.runUntil(t * SEC);
      heap.push(process.memoryUsage().heapUsed);
      pending.push(w.sim.pending());
      expect(w.inFlight()).toBeLessThan(100);
    }
    expect(exit).toBeGreaterThanOrEqual(0);
    expect(out).toContain('60 packets transmitted');
    expect(drops.get('loop-detected')).toBeGreaterThan(0);
    const notices = w.takeNotices();
    expect(notices.some((n) => /^switch\d: loop detected on e\d .*muted for 60 s$/.test(n))).toBe(true);
    // Flat: the event queue stays small and the heap does not climb (no per-frame growth).
    expect(Math.max(...pending)).toBeLessThan(100);
    expect(heap.at(-1)! - heap[1]).toBeLessThan(40 * 1024 * 1024);
    // pc1 and pc2 can still talk once the loop is cut.
    expect(runCommand(w, 'pc1', 'ping -c 2 10.0.0.21').output).toContain('2 packets received');
  });

  it('a zero-delay hub ring (no loop detection) stops with a stalled error naming the seed; the engine keeps answering', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((e) => events.push(...e));
    await engine.handle({ type: 'net/start', doc: switchRing(4, 'hub'), seed: 31 });
    // Start the storm: pc1 announces itself (broadcast) and both copies circle forever.
    const err = await engine.handle({ type: 'sim/run-until', untilNs: SEC }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'stalled' });
    expect((err as Error).message).toMatch(/virtual time stopped at 0\.000000 s.*replay with seed 31/);
    expect(engine.world!.sim.pending()).toBeLessThan(100);
    expect((await engine.handle({ type: 'inspect/counters' })).interfaces.length).toBeGreaterThan(0);
    await engine.handle({ type: 'net/stop' });
  });

  it('through the engine protocol, each loop detection is an engine/warning event and the drops say loop-detected', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((e) => events.push(...e));
    await engine.handle({ type: 'net/start', doc: switchRing(4), seed: 5 });
    await engine.handle({ type: 'sim/run-until', untilNs: 2 * SEC });
    const warnings = events.filter((e) => e.type === 'engine/warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((e) => e.type === 'engine/warning' && /^switch\d: loop detected on e\d /.test(e.message))).toBe(true);
    expect(events.some((e) => e.type === 'traffic' && e.action === 'drop' && e.reason === 'loop-detected')).toBe(true);
    const snap = await engine.handle({ type: 'inspect/node', node: 'switch1' });
    expect(snap.interfaces.reduce((n, i) => n + i.counters.drops, 0)).toBeGreaterThan(0);
  });

  it('a ring of switches with delay also settles: bounded in flight, loop reported once per port and minute', () => {
    const w = new World(switchRing(4, 'lanswitch', { delayUs: 50 }), { seed: 2 });
    runCommand(w, 'pc1', 'ping -c 5 10.0.0.255');
    w.sim.runUntil(130 * SEC);
    expect(w.inFlight()).toBe(0);
    expect(w.takeNotices().length).toBeLessThan(20);
  });

  it('virtnet run on the ring finishes and prints ping statistics (it crashed with an invalid size error)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-storm-'));
    const file = join(dir, 'ring.vnet');
    writeFileSync(file, serializeVnet(switchRing(4)));
    let stdout = '';
    let stderr = '';
    const code = await main(['run', file, '--exec', 'pc1: ping -c 5 10.0.0.21', '--until', '60'], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    expect(code).toBe(0);
    expect(stdout).toContain('5 packets transmitted, 5 packets received');
    // The loops are reported as warnings, each on one line.
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/ring\.vnet:\d+: warning: link l3 .* closes a layer-2 loop/);
    expect(lines.slice(1).every((l) => /^virtnet: warning: switch\d: loop detected on e\d /.test(l))).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });
});

describe('virtnet run on a stalled network', () => {
  it('a zero-delay hub ring ends with one line naming the seed and exit 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtnet-storm-'));
    const file = join(dir, 'hubs.vnet');
    writeFileSync(file, serializeVnet(switchRing(4, 'hub')));
    let stdout = '';
    let stderr = '';
    const code = await main(['run', file, '--seed', '9', '--exec', 'pc1: ping -c 1 10.0.0.21', '--until', '1'], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(2); // the loop warning from the file, then the stop
    expect(lines[1]).toMatch(/^virtnet: .*hubs\.vnet: the run stopped: virtual time stopped at 0\.000000 s: .* \(replay with --seed 9\)$/);
  });
});
