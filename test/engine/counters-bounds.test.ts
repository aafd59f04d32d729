// Counters have one owner and tests read what users see: netstat -i for a stack, the
// inspector for switch ports and links (issue 9 §6). Bounds are reported once as
// engine/warning events and the engine keeps going (issue 9 §4).
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/emulator/engine/engine';
import type { EngineEvent } from '../../src/emulator/engine/protocol';
import { CAPTURE_MAX_BYTES } from '../../src/emulator/engine/capture';
import { World, NOTICES_MAX } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { pcSwitchPc } from '../scenarios/topologies';

const SEC = 1_000_000_000;

function netstatRow(out: string, iface: string): { ipkts: number; opkts: number } {
  const row = out.split('\n').find((l) => l.startsWith(`${iface} `) && l.includes('<Link#'))!;
  const cols = row.trim().split(/\s+/);
  return { ipkts: Number(cols[4]), opkts: Number(cols[7]) };
}

describe('counters, one owner each', () => {
  it('netstat -i, the inspector and the link counters tell one story', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((e) => events.push(...e));
    await engine.handle({ type: 'net/start', doc: pcSwitchPc('lanswitch', { lossPercent: 0 }), seed: 3 });
    const w = engine.world!;
    runCommand(w, 'pc1', 'ping -c 3 10.0.0.21');
    w.sim.runUntil(w.sim.now() + SEC);
    const pc1 = netstatRow(runCommand(w, 'pc1', 'netstat -i').output, 'eth0');
    const counters = await engine.handle({ type: 'inspect/counters' });
    const c = (node: string, iface: string) => counters.interfaces.find((i) => i.node === node && i.iface === iface)!;
    // The stack counts itself: the inspector shows exactly what netstat -i prints.
    expect(c('n0', 'eth0').txPackets).toBe(pc1.opkts);
    expect(c('n0', 'eth0').rxPackets).toBe(pc1.ipkts);
    // The link pc1 — sw1 counts its own directions: what pc1 sent is what the switch port received.
    const l0 = counters.links.find((l) => l.link === 'l0')!;
    expect(l0.label).toBe('pc1:eth0 — sw1:e0');
    expect(l0.ab.sentPackets).toBe(pc1.opkts);
    expect(l0.ab.deliveredPackets).toBe(c('n1', 'e0').rxPackets);
    expect(l0.ba.deliveredPackets).toBe(c('n1', 'e0').txPackets);
    expect(l0.ab.drops).toEqual({});
    // The switch port toward nothing (e2) sent nothing.
    expect(c('n1', 'e2').txPackets).toBe(0);
  });

  it('link drops are counted by the link per direction and reason, not on an interface', async () => {
    const engine = new Engine(() => {});
    await engine.handle({ type: 'net/start', doc: pcSwitchPc(), seed: 3 });
    await engine.handle({ type: 'link/set-params', link: 'l0', params: { lossPercent: 100 }, direction: 'ab' });
    runCommand(engine.world!, 'pc1', 'ping -c 2 10.0.0.21');
    const { interfaces, links } = await engine.handle({ type: 'inspect/counters' });
    const l0 = links.find((l) => l.link === 'l0')!;
    expect(l0.ab.drops['link-loss']).toBeGreaterThanOrEqual(2); // the echo requests (the boot-time ARP got through)
    expect(l0.ab.drops['link-loss']).toBe(l0.ab.sentPackets - l0.ab.deliveredPackets);
    expect(l0.ab.offered).toBe(l0.ab.drops['link-loss']! + l0.ab.deliveredPackets + l0.ab.inFlight);
    expect(interfaces.find((i) => i.node === 'n0' && i.iface === 'eth0')!.drops).toBe(0);
  });
});

describe('bounds are reported once and the engine keeps running', () => {
  it('a capture stops keeping frames at its byte bound and says so once', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((e) => events.push(...e));
    await engine.handle({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    const { capture } = await engine.handle({ type: 'capture/start', target: { kind: 'iface', node: 'pc1', iface: 'eth0' } });
    const cap = engine.world!.captures.get(capture)!;
    const big = new Uint8Array(60_000);
    for (let k = 0; k * big.length <= CAPTURE_MAX_BYTES + 3 * big.length; k++) cap.add(0, 0, 'in', k, big);
    await engine.handle({ type: 'inspect/counters' });
    const warnings = events.filter((e) => e.type === 'engine/warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: expect.stringMatching(/^capture pc1:eth0 is full/) });
    expect(cap.bytes).toBeLessThanOrEqual(CAPTURE_MAX_BYTES);
    expect(cap.overflowed).toBeGreaterThan(1);
    expect((await engine.handle({ type: 'sim/run-until', untilNs: SEC })).nowNs).toBe(SEC);
  });

  it('shell output is cut per update at its bound, marked, and warned about once per session', async () => {
    const events: EngineEvent[] = [];
    const engine = new Engine((e) => events.push(...e), { shellOutputMax: 2000 });
    await engine.handle({ type: 'net/start', doc: pcSwitchPc(), seed: 1 });
    const { session } = await engine.handle({ type: 'shell/open', node: 'pc1' });
    for (let k = 0; k < 3; k++) {
      await engine.handle({ type: 'shell/exec', session, line: 'ping -c 40 -i 0.2 10.0.0.21' });
      await engine.handle({ type: 'sim/run-until', untilNs: (k + 1) * 20 * SEC });
    }
    const out = events.filter((e) => e.type === 'shell/output').map((e) => (e.type === 'shell/output' ? e.text : ''));
    expect(Math.max(...out.map((t) => t.length))).toBeLessThan(2100);
    expect(out.filter((t) => t.includes('[output cut: more than 2000 characters at once]')).length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'engine/warning' && e.message.startsWith(`shell session ${session}:`))).toHaveLength(1);
    expect(events.some((e) => e.type === 'shell/done')).toBe(true);
  });

  it('notices waiting to be taken are bounded too', () => {
    const w = new World(pcSwitchPc());
    for (let k = 0; k < NOTICES_MAX + 50; k++) w.notice(`n${k}`);
    const taken = w.takeNotices();
    expect(taken).toHaveLength(NOTICES_MAX + 1);
    expect(taken.at(-1)).toBe('50 more warnings were not kept');
    w.notice('once', 'k');
    w.notice('once', 'k');
    expect(w.takeNotices()).toEqual(['once']);
  });
});
