import { describe, expect, it } from 'vitest';
import type { EngineEvent, EngineRequest, ReplyMessage, RequestMessage } from '../../emulator/engine/protocol';
import { emptyDocument, type TopologyDoc } from '../../emulator/topology/document';
import type { EnginePort } from './engine-client';
import { createRunStore } from './run-store';

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

function setup(answer?: (r: EngineRequest) => unknown) {
  const ports: FakePort[] = [];
  const frames: (() => void)[] = [];
  let wall = 0;
  const defaultAnswer = (r: EngineRequest): unknown => {
    switch (r.type) {
      case 'net/start': return { warnings: ['w1'], nodes: 2, links: 1 };
      case 'shell/open': return { session: 7, prompt: 'pc1# ', banner: 'VirtNet shell' };
      case 'capture/start': return { capture: 3, name: 'pc1:eth0' };
      case 'sim/step': return { executed: 1, nowNs: 42_000 };
      case 'inspect/node': return { node: 'n0', name: 'pc1', kind: 'pc', forwarding: false, interfaces: [], arp: [], routes: [] };
      default: return null;
    }
  };
  const store = createRunStore({
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
  return { store, ports, runFrames, setWall: (w: number) => (wall = w) };
}

describe('run store', () => {
  it('starts the document, plays, and reports running', async () => {
    const { store, ports } = setup();
    await store.getState().start(doc());
    const s = store.getState();
    expect(s.status).toBe('running');
    expect(s.running).toBe(true);
    expect(s.warnings).toEqual(['w1']);
    expect(ports[0]!.requests.map((r) => r.type)).toEqual(['net/start', 'sim/play']);
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
    ]);
    expect(store.getState().clock).toBeNull();
    runFrames();
    const s = store.getState();
    expect(s.clock).toMatchObject({ nowNs: 5_000_000, speed: 0.5, wallMs: 1000 });
    expect(s.captureVersion).toBeGreaterThan(0);
    expect(store.captureMap.get(3)!.rows[0]).toMatchObject({ no: 1, proto: 'icmp', lengthBytes: 3, where: 'pc1:eth0' });
    expect(s.log.some((l) => l.kind === 'drop' && l.text.includes('no-route'))).toBe(true);
    expect(store.shells.transcript(7)).toContain('64 bytes from 10.0.0.21\r\n');
    expect(store.animator()!.dots[0]).toMatchObject({ from: 'n0', to: 'n1' });
    expect(s.trafficCount).toBe(2);
    setWall(1010);
    // 10 ms at 0.5× = 5 ms of virtual time
    expect(store.getState().clockText()).toBe('0.010000 s');
  });

  it('steps and pauses', async () => {
    const { store, ports } = setup();
    await store.getState().start(doc());
    await store.getState().pause();
    expect(store.getState().playing).toBe(false);
    await store.getState().step();
    expect(store.getState().clock!.nowNs).toBe(42_000);
    expect(ports[0]!.requests.at(-1)).toEqual({ type: 'sim/step', count: 1 });
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
    expect(store.getState().running).toBe(false);
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
