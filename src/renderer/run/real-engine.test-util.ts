// Test support for renderer tests that drive the real Engine over an in-memory port (no
// fakes): a pc–router–pc document and a run store wired to a served engine with manual ticks.
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

/** Ends the engine the last store started (call it in afterEach). */
export function disposeRealEngine(): void {
  served?.dispose();
  served = null;
}

/**
 * A run store on the real Engine (memory port, manual ticks); `settle` runs ticks and frames
 * until quiet. The engine's wall clock stands still unless `clock` is given (then virtual
 * time at speed 1 follows it, so a test can run a network for a measured while).
 */
export function storeOnRealEngine(clock: () => number = () => 0) {
  const frames: (() => void)[] = [];
  const store = createRunStore({
    createPort: (): EnginePort => {
      const [ui, host] = createMemoryPortPair();
      served = serveEngine(host, { tickMs: 0, clock });
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
