// Runs an Engine behind any PortLike: requests in, one reply per id out, event batches
// out, and a heartbeat that ticks the engine (real-time driver, event flush). Shared by
// the Node worker host, the Web Worker host and in-process tests. No Node or DOM imports.

import { Engine, type EngineOptions } from '../emulator/engine/engine';
import type { EngineEvent, ReplyMessage, RequestMessage } from '../emulator/engine/protocol';
import type { PortLike } from './port';

export interface ServeOptions extends EngineOptions {
  /** Heartbeat period in ms (default 16, about one animation frame); 0 = no timer (tests tick by hand). */
  tickMs?: number;
}

export interface ServedEngine {
  engine: Engine;
  tick(): void;
  dispose(): void;
}

export function serveEngine(port: PortLike, options: ServeOptions = {}): ServedEngine {
  const engine = new Engine((events: EngineEvent[]) => port.postMessage({ kind: 'events', events } satisfies ReplyMessage), options);
  port.onmessage = (ev) => {
    const reply = engine.dispatch(ev.data as RequestMessage);
    port.postMessage(reply);
  };
  const tickMs = options.tickMs ?? 16;
  const timer = tickMs > 0 ? setInterval(() => engine.tick(), tickMs) : null;
  return {
    engine,
    tick: () => engine.tick(),
    dispose: () => {
      if (timer !== null) clearInterval(timer);
      port.onmessage = null;
    },
  };
}
