// The renderer's transports to the engine (DESIGN decision 6): a Web Worker in browser
// mode, or Electron main's worker thread through the preload bridge. The protocol client
// itself (request ids, promises, events, crash detection) is src/worker/client.ts.
import type { ReplyMessage, RequestMessage } from '../../emulator/engine/protocol';
import type { EnginePort } from '../../worker/client';

export { EngineClient, EngineRequestError, REQUEST_TIMEOUT_MS, type EnginePort } from '../../worker/client';

/** Port over a Web Worker running src/worker/web-host.ts (browser mode, or Electron's renderer). */
export function workerPort(worker: Worker): EnginePort {
  return {
    post: (m) => worker.postMessage(m),
    onMessage(listener) {
      const h = (e: MessageEvent) => listener(e.data as ReplyMessage);
      worker.addEventListener('message', h);
      return () => worker.removeEventListener('message', h);
    },
    onCrash(listener) {
      const h = (e: ErrorEvent) => listener(e.message || 'the engine worker crashed');
      const m = () => listener('the engine worker sent an unreadable message');
      worker.addEventListener('error', h);
      worker.addEventListener('messageerror', m);
      return () => {
        worker.removeEventListener('error', h);
        worker.removeEventListener('messageerror', m);
      };
    },
    close: () => worker.terminate(),
  };
}

/** The engine as the Electron preload exposes it (`window.virtnet.engine`), if present. */
interface DesktopEngineBridge {
  post(message: RequestMessage): void;
  onMessage(listener: (message: ReplyMessage) => void): () => void;
}

export function desktopPort(bridge: DesktopEngineBridge): EnginePort {
  const subscriptions: (() => void)[] = [];
  return {
    post: (m) => bridge.post(m),
    onMessage(listener) {
      const off = bridge.onMessage(listener);
      subscriptions.push(off);
      return off;
    },
    // The engine lives in Electron main's worker thread and outlives this port: closing
    // only detaches; the next `net/start` replaces whatever network was running.
    close: () => subscriptions.splice(0).forEach((off) => off()),
  };
}

/**
 * Default port: in Electron, the engine in main's worker thread through the preload bridge
 * (`window.virtnet.engine`); in browser mode, a fresh Web Worker.
 */
export function createDefaultPort(): EnginePort {
  const bridge = (globalThis as { virtnet?: { engine?: DesktopEngineBridge } }).virtnet?.engine;
  if (bridge) return desktopPort(bridge);
  const worker = new Worker(new URL('../../worker/web-host.ts', import.meta.url), { type: 'module' });
  return workerPort(worker);
}
