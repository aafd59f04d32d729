import { describe, expect, it } from 'vitest';
import type { EngineEvent, EngineRequest, ReplyMessage, RequestMessage, TrafficEvent } from '../../emulator/engine/protocol';
import { emptyDocument, type TopologyDoc } from '../../emulator/topology/document';
import type { EnginePort } from './engine-client';
import { createRunStore, isRunning } from './run-store';

/** In-memory engine port for tests: answers from a table and lets the test emit events. */
class FakePort implements EnginePort {
  listeners = new Set<(m: ReplyMessage) => void>();
  crashListeners = new Set<(r: string) => void>();
  requests: EngineRequest[] = [];
  closed = false;
  constructor(private readonly answer: (r: EngineRequest) => unknown) {}
  post(m: RequestMessage) {
    this.requests.push(m.request);
    let reply: ReplyMessage;
    try {
      reply = { kind: 'reply', id: m.id, ok: true, result: this.answer(m.request) };
    } catch (err) {
      reply = { kind: 'reply', id: m.id, ok: false, error: { code: 'bad-request', message: String((err as Error).message) } };
    }
    queueMicrotask(() => this.listeners.forEach((l) => l(reply)));
  }
  onMessage(l: (m: ReplyMessage) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  onCrash(l: (r: string) => void) {
    this.crashListeners.add(l);
    return () => this.crashListeners.delete(l);
  }
  emit(events: EngineEvent[]) {
    this.listeners.forEach((l) => l({ kind: 'events', events }));
  }
  crash(reason: string) {
    this.crashListeners.forEach((l) => l(reason));
  }
  close() {
    this.closed = true;
  }
}

function doc(): TopologyDoc {
  const d = emptyDocument();
  d.nodes.push({ id: 'n0', kind: 'pc', name: 'pc1', canvas: 'c0', position: { x: 0, y: 0 }, interfaces: [], routes4: [], routes6: [] });
  d.nodes.push({ id: 'n1', kind: 'pc', name: 'pc2', canvas: 'c0', position: { x: 100, y: 0 }, interfaces: [], routes4: [], routes6: [] });
  d.links.push({ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { bandwidthBps: 0, delayUs: 0, jitterUs: 0, lossPercent: 0, berOneIn: 0, dupPercent: 0, queuePackets: 50 } });
  return d;
}

function setup(answer?: (r: EngineRequest) => unknown, files: unknown[] = []) {
  const ports: FakePort[] = [];
  const kept: unknown[] = [];
  const frames: (() => void)[] = [];
  let wall = 0;
  const defaultAnswer = (r: EngineRequest): unknown => {
    switch (r.type) {
      case 'net/start': return { warnings: ['w1'], nodes: 2, links: 1 };
      case 'shell/open': return { session: 7, prompt: 'pc1# ', banner: 'VirtNet shell' };
      case 'capture/start': return { capture: 3, name: 'pc1:eth0' };
      case 'sim/step': return { executed: 1, nowNs: 42_000 };
      case 'capture/export': return { bytes: new Uint8Array([1, 2, 3]), fileName: 'pc1-eth0.pcapng' };
      case 'inspect/node': return { node: 'n0', name: 'pc1', kind: 'pc', forwarding: false, interfaces: [], arp: [], routes: [] };
      case 'net/files': return { nodes: files };
      default: return null;
    }
  };
  const saved: { name: string; data: Uint8Array | string }[] = [];
  const store = createRunStore({
    saveFile: (name, data) => void saved.push({ name, data }),
    onFilesKept: (changes) => void kept.push(...changes),
    createPort: () => {
      const p = new FakePort(answer ?? defaultAnswer);
      ports.push(p);
      return p;
    },
    summarize: (b) => ({ proto: b[0] === 1 ? 'icmp' : 'arp', src: 'a', dst: 'b', info: `len ${b.length}` }),
    schedule: (cb) => frames.push(cb),
    nowMs: () => wall,
  });
  const runFrames = () => frames.splice(0).forEach((f) => f());
  return { store, ports, runFrames, saved, kept, setWall: (w: number) => (wall = w) };
}

describe('run store', () => {
  it('starts the document, plays, and reports running', async () => {
    const { store, ports } = setup();
    await store.getState().start(doc());
    const s = store.getState();
    expect(s.status).toBe('running');
    expect(isRunning(s)).toBe(true);
    expect(s.warnings).toEqual(['w1']);
    expect(ports[0]!.requests.map((r) => r.type)).toEqual(['net/start', 'sim/explain', 'sim/play']);
    expect(s.log.map((l) => l.text)).toContain('w1');
  });

  it('applies batched events once per frame: clock, shell output, captures, drops', async () => {
    const { store, ports, runFrames, setWall } = setup();
    await store.getState().start(doc());
    const session = await store.getState().openShell('n0');
    expect(session).toBe(7);
    expect(store.getState().terminals).toEqual([{ session: 7, node: 'n0', nodeName: 'pc1' }]);
    await store.getState().startCapture({ kind: 'iface', node: 'n0', iface: 'eth0' });
    setWall(1000);
    ports[0]!.emit([
      { type: 'sim/clock', nowNs: 5_000_000, running: true, speed: 0.5, pendingEvents: 3 },
      { type: 'shell/output', session: 7, text: '64 bytes from 10.0.0.21\n' },
      { type: 'shell/done', session: 7, exitCode: 0, prompt: 'pc1# ' },
      { type: 'capture/frame', capture: 3, index: 0, timeNs: 1, where: 'pc1:eth0', direction: 'out', frame: 1, bytes: new Uint8Array([1, 2, 3]) },
      { type: 'traffic', frame: 1, timeNs: 1, action: 'tx', node: 'pc1', link: 'l0', proto: 'icmp', summary: 'ping', lengthBytes: 98, arriveNs: 10 },
      { type: 'traffic', frame: 2, timeNs: 2, action: 'drop', node: 'n1', proto: 'icmp', summary: 'ping', lengthBytes: 98, reason: 'no-route' },
      { type: 'traffic', frame: 3, timeNs: 3, action: 'deliver', node: 'n1', iface: 'eth0', proto: 'udp', summary: '50000 → 33434 Len=12', lengthBytes: 54, reason: 'port unreachable (as traceroute expects)' },
    ]);
    expect(store.getState().clock).toBeNull();
    runFrames();
    const s = store.getState();
    expect(s.clock).toMatchObject({ nowNs: 5_000_000, speed: 0.5, wallMs: 1000 });
    expect(s.captureVersion).toBeGreaterThan(0);
    expect(store.captureMap.get(3)!.rows[0]).toMatchObject({ no: 1, proto: 'icmp', lengthBytes: 3, where: 'pc1:eth0' });
    expect(s.log.some((l) => l.kind === 'drop' && l.text.includes('no-route'))).toBe(true);
    // A traceroute probe answered with port unreachable is said as what it is, never as a drop.
    expect(s.log.filter((l) => l.text.includes('33434')).map((l) => [l.kind, l.text])).toEqual([['info', 'pc2:eth0 answered 50000 → 33434 Len=12: port unreachable (as traceroute expects)']]);
    expect(store.shells.transcript(7)).toContain('64 bytes from 10.0.0.21\r\n');
    expect(store.animator()!.dots[0]).toMatchObject({ from: 'n0', to: 'n1' });
    expect(s.trafficCount).toBe(3);
    setWall(1010);
    // no extrapolation past what the engine reported
    expect(store.getState().clockText()).toBe('0.005000 s');
  });

  it('steps and pauses', async () => {
    const { store, ports } = setup();
    await store.getState().start(doc());
    await store.getState().pause();
    expect(store.getState().playing).toBe(false);
    await store.getState().step();
    expect(store.getState().clock!.nowNs).toBe(42_000);
    expect(ports[0]!.requests.at(-1)).toEqual({ type: 'sim/step', count: 1, to: 'traffic' });
  });

  it('turns an engine error into a failure that keeps the document, and restarts', async () => {
    const { store, ports, runFrames } = setup();
    const d = doc();
    await store.getState().start(d);
    ports[0]!.emit([{ type: 'engine/error', error: { code: 'internal', message: 'assertion failed', seed: 9 } }]);
    runFrames();
    expect(store.getState().status).toBe('failed');
    expect(store.getState().error).toContain('seed 9');
    expect(store.getState().doc).toBe(d);
    await store.getState().restart();
    expect(ports).toHaveLength(2);
    expect(ports[0]!.closed).toBe(true);
    expect(store.getState().status).toBe('running');
  });

  it('reports a worker crash', async () => {
    const { store, ports } = setup();
    await store.getState().start(doc());
    ports[0]!.crash('worker died');
    expect(store.getState().status).toBe('failed');
    expect(store.getState().error).toContain('worker died');
    await store.getState().stop();
    expect(store.getState().status).toBe('stopped');
    expect(isRunning(store.getState())).toBe(false);
  });

  it('reports a refused start', async () => {
    const { store } = setup((r) => {
      if (r.type === 'net/start') throw new Error('node n9 has no interfaces');
      return null;
    });
    await store.getState().start(doc());
    expect(store.getState().status).toBe('failed');
    expect(store.getState().error).toContain('node n9 has no interfaces');
  });
});

const tx = (frame: number, node: string, link: string, timeNs: number): TrafficEvent =>
  ({ type: 'traffic', frame, timeNs, arriveNs: timeNs, action: 'tx', node, link, proto: 'icmp', summary: 'Echo', lengthBytes: 98 });
const rx = (frame: number, node: string, timeNs: number): TrafficEvent =>
  ({ type: 'traffic', frame, timeNs, action: 'rx', node, proto: 'icmp', summary: 'Echo', lengthBytes: 98 });

describe('run store requests are values', () => {
  it('does not mark the network playing when play is refused', async () => {
    let refuse = false;
    const { store, ports } = setup((r) => {
      if (r.type === 'net/start') return { warnings: [], nodes: 2, links: 1 };
      if (r.type === 'sim/play' && refuse) throw new Error('engine busy');
      return null;
    });
    await store.getState().start(doc());
    await store.getState().pause();
    expect(store.getState().playing).toBe(false);
    refuse = true;
    await store.getState().play();
    expect(ports[0]!.requests.at(-1)!.type).toBe('sim/play');
    expect(store.getState().playing).toBe(false);
    expect(store.getState().log.at(-1)).toMatchObject({ kind: 'error', text: expect.stringContaining('engine busy') });
    refuse = false;
    await store.getState().play();
    expect(store.getState().playing).toBe(true);
  });

  it('does not pause the display when pause is refused', async () => {
    const { store } = setup((r) => {
      if (r.type === 'net/start') return { warnings: [], nodes: 2, links: 1 };
      if (r.type === 'sim/pause') throw new Error('no');
      return null;
    });
    await store.getState().start(doc());
    await store.getState().pause();
    expect(store.getState().playing).toBe(true);
  });
});

describe('run store speed and clock', () => {
  it('does not keep max across Stop/Start, and the slider leaves max', async () => {
    const { store, ports, runFrames } = setup();
    await store.getState().start(doc());
    await store.getState().setSpeed('max');
    await store.getState().stop();
    await store.getState().start(doc());
    expect(store.getState().speed).toBe(1);
    expect(ports[1]!.requests.find((r) => r.type === 'sim/play')).toEqual({ type: 'sim/play', speed: 1 });
    await store.getState().setSpeed('max');
    await store.getState().setSpeed(0.25);
    // a clock event sent while still at max arrives after the change: the choice stands
    ports[1]!.emit([{ type: 'sim/clock', nowNs: 9e12, running: true, speed: 'max', pendingEvents: 0 }]);
    runFrames();
    expect(store.getState().speed).toBe(0.25);
    expect(ports[1]!.requests.at(-1)).toEqual({ type: 'sim/set-speed', speed: 0.25 });
  });

  it('keeps the displayed clock monotonic and equal to the engine time when paused', async () => {
    const { store, ports, runFrames, setWall } = setup();
    await store.getState().start(doc());
    const shown: number[] = [];
    setWall(1000);
    ports[0]!.emit([{ type: 'sim/clock', nowNs: 112_952_376_000, running: true, speed: 1, pendingEvents: 1 }]);
    runFrames();
    shown.push(store.getState().displayNs());
    setWall(1032); // the engine is late: no new sample for 32 ms
    shown.push(store.getState().displayNs());
    await store.getState().pause();
    ports[0]!.emit([{ type: 'sim/clock', nowNs: 112_968_000_000, running: false, speed: 1, pendingEvents: 1 }]);
    runFrames();
    shown.push(store.getState().displayNs());
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThanOrEqual(shown[i - 1]!);
    expect(shown.at(-1)).toBe(112_968_000_000);
    expect(store.getState().clockText()).toBe('112.968000 s');
  });
});

describe('run store slow motion and Step', () => {
  /** A ping over pc1 — pc2 on a zero-delay link, then its reply line: one batch. */
  const exchange = (t: number): EngineEvent[] => [
    tx(1, 'n0', 'l0', t), rx(1, 'n1', t), tx(2, 'n1', 'l0', t), rx(2, 'n0', t),
    { type: 'shell/output', session: 7, text: '64 bytes from 10.0.0.21: icmp_seq=0\n' },
    { type: 'sim/clock', nowNs: t + 160_000, running: true, speed: 0.01, pendingEvents: 1 },
  ];

  it('at 0.01× prints the reply only after both hops have been drawn, holding the engine meanwhile', async () => {
    const { store, ports, runFrames, setWall } = setup();
    await store.getState().start(doc());
    await store.getState().openShell('n0');
    await store.getState().setSpeed(0.01);
    setWall(0);
    ports[0]!.emit(exchange(1_000_000_000));
    runFrames();
    const hops = () => store.animator()!.dots.map((d) => [d.wallStartMs, d.wallEndMs]);
    expect(hops()).toEqual([[0, 450]]);
    expect(store.shells.transcript(7)).not.toContain('64 bytes');
    expect(ports[0]!.requests.at(-1)).toEqual({ type: 'sim/pause' }); // 900 ms behind: hold
    expect(store.getState().playing).toBe(true);
    expect(store.getState().displayNs()).toBe(1_000_000_000); // the hop's time, not the engine's
    setWall(450);
    runFrames();
    expect(hops()).toEqual([[0, 450], [450, 900]]);
    setWall(899);
    runFrames();
    expect(store.shells.transcript(7)).not.toContain('64 bytes');
    setWall(900);
    runFrames();
    expect(store.shells.transcript(7)).toContain('64 bytes');
    setWall(901);
    runFrames();
    expect(ports[0]!.requests.at(-1)).toEqual({ type: 'sim/play', speed: 0.01 });
    expect(store.getState().displayNs()).toBe(1_000_160_000);
  });

  it('skips ahead, and says so, when a flood would put slow motion minutes behind', async () => {
    const { store, ports, runFrames, setWall } = setup();
    await store.getState().start(doc());
    await store.getState().openShell('n0');
    await store.getState().setSpeed(0.01);
    setWall(0);
    const flood: EngineEvent[] = [];
    for (let k = 0; k < 100; k++) flood.push(tx(10 + 2 * k, 'n0', 'l0', 1000), rx(10 + 2 * k, 'n1', 1000), tx(11 + 2 * k, 'n1', 'l0', 1000), rx(11 + 2 * k, 'n0', 1000));
    ports[0]!.emit([...flood, { type: 'shell/output', session: 7, text: 'done\n' }]);
    runFrames();
    expect(store.shells.transcript(7)).toContain('done');
    expect(store.getState().log.at(-1)).toMatchObject({ kind: 'warning', text: expect.stringContaining('skipped ahead') });
    expect(store.animator()!.dots.length).toBeLessThanOrEqual(1);
  });

  it('going back to 1× delivers what slow motion still held', async () => {
    const { store, ports, runFrames, setWall } = setup();
    await store.getState().start(doc());
    await store.getState().openShell('n0');
    await store.getState().setSpeed(0.01);
    setWall(0);
    ports[0]!.emit(exchange(5));
    runFrames();
    expect(store.shells.transcript(7)).not.toContain('64 bytes');
    await store.getState().setSpeed(1);
    expect(store.shells.transcript(7)).toContain('64 bytes');
  });

  it.each([1, 'max'] as const)('Step runs to the next hop and draws it, even at %s', async (speed) => {
    const { store, ports, runFrames, setWall } = setup();
    await store.getState().start(doc());
    await store.getState().setSpeed(speed);
    await store.getState().pause();
    setWall(5000);
    const reply = store.getState().step();
    ports[0]!.emit([tx(3, 'n0', 'l0', 42_000), { type: 'sim/clock', nowNs: 42_000, running: false, speed: 1, pendingEvents: 4 }]);
    await reply;
    runFrames();
    expect(ports[0]!.requests.at(-1)).toEqual({ type: 'sim/step', count: 1, to: 'traffic' });
    const dot = store.animator()!.dots.at(-1)!;
    expect(dot).toMatchObject({ from: 'n0', to: 'n1', wallStartMs: 5000 });
    expect(dot.wallEndMs - dot.wallStartMs).toBeGreaterThanOrEqual(400);
    expect(store.getState().clockText()).toBe('0.000042 s');
  });
});

describe('run store: Stop keeps work, names people read', () => {
  it('asks before Stop loses a transcript or a capture, and saves them on request', async () => {
    const { store, ports, runFrames, saved } = setup();
    await store.getState().start(doc());
    await store.getState().openShell('n0');
    await store.getState().exec(7, 'ping -c 1 10.0.0.21');
    ports[0]!.emit([{ type: 'shell/output', session: 7, text: 'PING 10.0.0.21\n' }, { type: 'shell/done', session: 7, exitCode: 0, prompt: 'pc1# ' }]);
    await store.getState().startCapture({ kind: 'iface', node: 'n0', iface: 'eth0' });
    ports[0]!.emit([{ type: 'capture/frame', capture: 3, index: 0, timeNs: 1, where: 'pc1:eth0', direction: 'out', frame: 1, bytes: new Uint8Array([1, 2]) }]);
    runFrames();
    await store.getState().requestStop();
    expect(store.getState().status).toBe('running');
    expect(ports[0]!.requests.some((r) => r.type === 'net/stop')).toBe(false);
    expect(store.getState().stopPrompt).toEqual({ shells: [{ session: 7, nodeName: 'pc1' }], captures: [{ id: 3, name: 'pc1:eth0', frames: 1 }], files: [] });
    await store.getState().answerStop('cancel');
    expect(store.getState().status).toBe('running');
    await store.getState().requestStop();
    await store.getState().answerStop('save');
    expect(saved.map((f) => f.name)).toEqual(['pc1-shell-7.txt', 'pc1-eth0.pcapng']);
    expect(saved[0]!.data).toBe('VirtNet shell\npc1# ping -c 1 10.0.0.21\nPING 10.0.0.21\npc1# ');
    expect(ports[0]!.requests.filter((r) => r.type === 'capture/export')).toEqual([{ type: 'capture/export', capture: 3, format: 'pcapng' }]);
    expect(store.getState().status).toBe('stopped');
  });

  it('asks when node files changed while running; keeps the ticked nodes\' files in the document, or none without saving', async () => {
    const pc1 = { node: 'n0', name: 'pc1', files: { '/etc/motd': 'hi\n' }, changed: ['/etc/motd'] };
    const pc2 = { node: 'n1', name: 'pc2', files: {}, changed: ['/etc/hosts'] };
    const { store, ports, kept } = setup(undefined, [pc1, pc2]);
    await store.getState().start(doc());
    await store.getState().requestStop();
    expect(ports[0]!.requests.at(-1)).toEqual({ type: 'net/files' });
    expect(store.getState().stopPrompt).toEqual({ shells: [], captures: [], files: [
      { node: 'n0', nodeName: 'pc1', files: { '/etc/motd': 'hi\n' }, changed: ['/etc/motd'] },
      { node: 'n1', nodeName: 'pc2', files: {}, changed: ['/etc/hosts'] },
    ] });
    await store.getState().answerStop('save', ['n0']);
    expect(kept).toEqual([{ node: 'n0', nodeName: 'pc1', files: { '/etc/motd': 'hi\n' }, changed: ['/etc/motd'] }]);
    expect(store.getState().status).toBe('stopped');
    await store.getState().start(doc());
    await store.getState().requestStop();
    await store.getState().answerStop('discard');
    expect(kept).toHaveLength(1);
    expect(store.getState().status).toBe('stopped');
  });

  it('stops at once when nothing would be lost, or when the work was saved', async () => {
    const { store } = setup();
    await store.getState().start(doc());
    await store.getState().openShell('n0'); // opened, nothing typed
    await store.getState().startCapture({ kind: 'iface', node: 'n0', iface: 'eth0' }); // no frames
    await store.getState().requestStop();
    expect(store.getState().stopPrompt).toBeNull();
    expect(store.getState().status).toBe('stopped');
  });

  it('names links by their endpoints and parameters with units in Events', async () => {
    const { store, ports, runFrames } = setup();
    await store.getState().start(doc());
    ports[0]!.emit([{ type: 'link/state', link: 'l0', up: true, queueDepthAB: 0, queueDepthBA: 0 }]);
    ports[0]!.emit([{ type: 'link/state', link: 'l0', up: false, queueDepthAB: 0, queueDepthBA: 0 }]);
    runFrames();
    await store.getState().setLinkParams('l0', { ...doc().links[0]!.params, lossPercent: 100 }, 'both', doc().links[0]!.params);
    const texts = store.getState().log.filter((l) => l.kind === 'link').map((l) => l.text);
    expect(texts).toEqual(['link pc1:eth0 — pc2:eth0 down', 'link pc1:eth0 — pc2:eth0: loss 100 %']);
    expect(texts.join()).not.toMatch(/l0|lossPercent/);
  });
});

describe('engine client', () => {
  it('declares the engine dead when a request is never answered', async () => {
    const { EngineClient } = await import('./engine-client');
    const silent: EnginePort = { post: () => undefined, onMessage: () => () => undefined, close: () => undefined };
    const c = new EngineClient(silent, 20);
    const crashes: string[] = [];
    c.onCrash((r) => crashes.push(r));
    await expect(c.request({ type: 'sim/pause' })).rejects.toThrow(/did not answer sim\/pause/);
    expect(crashes).toHaveLength(1);
    await expect(c.request({ type: 'sim/play' })).rejects.toThrow(/engine stopped/);
  });
});
