// Run store against the real Engine over an in-memory port (no fakes): start, shell ping,
// capture with summaries, stop. Proves the renderer glue speaks the engine's protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, emptyDocument, type NodeDoc, type TopologyDoc } from '../../emulator/topology/document';
import { summarizeFrame } from '../../emulator/wire/decode';
import { portLikeEnginePort } from '../../worker/client';
import { createMemoryPortPair } from '../../worker/memory-port';
import { serveEngine, type ServedEngine } from '../../worker/serve';
import type { EnginePort } from './engine-client';
import { createRunStore } from './run-store';

function node(id: string, kind: string, name: string, ifaces: [string, string, string][], routes: [string, string][] = []): NodeDoc {
  return {
    id, kind, name, canvas: 'c0', position: { x: 0, y: 0 },
    interfaces: ifaces.map(([n, mac, ip]) => ({ name: n, type: 'phys', mac, ipv4: [ip], ipv6: [] })),
    routes4: routes.map(([dest, gateway]) => ({ dest, gateway })), routes6: [],
  };
}

export function pcRouterPc(): TopologyDoc {
  const d = emptyDocument();
  d.nodes.push(node('n0', 'pc', 'pc1', [['eth0', '42:00:aa:00:00:01', '10.0.0.20/24']], [['0.0.0.0/0', '10.0.0.1']]));
  d.nodes.push(node('n1', 'router', 'router1', [['eth0', '42:00:aa:00:00:02', '10.0.0.1/24'], ['eth1', '42:00:aa:00:00:03', '10.0.1.1/24']]));
  d.nodes.push(node('n2', 'pc', 'pc2', [['eth0', '42:00:aa:00:00:04', '10.0.1.20/24']], [['0.0.0.0/0', '10.0.1.1']]));
  d.links.push({ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } });
  d.links.push({ id: 'l1', a: { node: 'n1', iface: 'eth1' }, b: { node: 'n2', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS, delayUs: 1000 } });
  return d;
}

let served: ServedEngine | null = null;
afterEach(() => served?.dispose());

function setup() {
  const frames: (() => void)[] = [];
  const store = createRunStore({
    createPort: (): EnginePort => {
      const [ui, host] = createMemoryPortPair();
      served = serveEngine(host, { tickMs: 0, clock: () => 0 });
      const port = portLikeEnginePort(ui);
      return { ...port, close: () => (port.close(), served?.dispose()) };
    },
    summarize: summarizeFrame,
    schedule: (cb) => frames.push(cb),
    nowMs: () => 0,
  });
  const settle = async () => {
    for (let i = 0; i < 20; i++) {
      served?.tick();
      await new Promise((r) => setTimeout(r, 0));
      frames.splice(0).forEach((f) => f());
    }
  };
  return { store, settle };
}

describe('run store with the real engine', () => {
  it('pings through a router from a shell and captures the echo exchange', async () => {
    const { store, settle } = setup();
    await store.getState().start(pcRouterPc());
    expect(store.getState().status).toBe('running');
    await store.getState().setSpeed('max');
    const cap = await store.getState().startCapture({ kind: 'link', link: 'l1' });
    expect(cap).not.toBeNull();
    const session = (await store.getState().openShell('n0'))!;
    await store.getState().exec(session, 'ping -c 3 10.0.1.20');
    for (let i = 0; i < 10 && !/packets received/.test(store.shells.transcript(session)); i++) await settle();
    const text = store.shells.transcript(session);
    expect(text.match(/bytes from 10\.0\.1\.20/g)?.length).toBe(3);
    expect(text).toMatch(/3 packets transmitted, 3 packets received/);
    const rows = store.captureMap.get(cap!)!.rows;
    expect(rows.some((r) => r.proto === 'icmp' && /request/i.test(r.info))).toBe(true);
    expect(rows.some((r) => r.proto === 'icmp' && /reply/i.test(r.info))).toBe(true);
    expect(store.getState().clock!.nowNs).toBeGreaterThan(2e9);
    await store.getState().inspect('n0');
    expect(store.getState().snapshot?.arp.some((a) => a.ip === '10.0.0.1')).toBe(true);
    const exp = await store.getState().exportCapture(cap!, 'pcap');
    expect(exp!.bytes.length).toBeGreaterThan(24 + rows.length * 16);
    await store.getState().stop();
    expect(store.getState().status).toBe('stopped');
  });
});
