// Hosts the engine in a node:worker_threads Worker (src/worker/node-host.ts, built as
// out/main/engine-host.js) with resource limits, and relays envelopes between it and the
// renderer. A worker that dies is recoverable: requests in flight get an error reply, the
// renderer gets an `engine/error` event (code `engine-died`), and a fresh worker is started.
// Must not interpret engine messages beyond request ids (DESIGN decision 6).
import { existsSync } from 'node:fs';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ReplyMessage, RequestMessage } from '../emulator/engine/protocol';
import { describeWorkerDeath, ENGINE_RESOURCE_LIMITS } from '../worker/limits';

export const ENGINE_DIED = 'engine-died';

export interface EngineHost {
  post(message: RequestMessage): void;
  dispose(): Promise<void>;
  /** How many workers were started (1 + restarts); for tests and logs. */
  readonly starts: number;
}

export interface EngineHostOptions {
  resourceLimits?: ResourceLimits;
  log?: (line: string) => void;
  /** Restarts allowed within `restartWindowMs` before waiting for the next request instead. */
  maxRestarts?: number;
  restartWindowMs?: number;
}

/**
 * Starts the worker if its bundle exists; null otherwise (the editor still works). A crash
 * loop is bounded: after `maxRestarts` deaths in a short window the next worker starts only
 * when the renderer asks for it (the user presses Restart).
 */
export function startEngineHost(scriptPath: string, deliver: (message: ReplyMessage) => void, options: EngineHostOptions = {}): EngineHost | null {
  if (!existsSync(scriptPath)) return null;
  const { resourceLimits = ENGINE_RESOURCE_LIMITS, log = () => undefined, maxRestarts = 3, restartWindowMs = 60_000 } = options;
  let worker: Worker | null = null;
  let disposed = false;
  let starts = 0;
  const deaths: number[] = [];
  const pending = new Set<number>();

  const died = (w: Worker, why: string) => {
    if (worker !== w) return;
    worker = null;
    if (disposed) return;
    log(`engine worker died: ${why}`);
    for (const id of pending) deliver({ kind: 'reply', id, ok: false, error: { code: ENGINE_DIED, message: why } });
    pending.clear();
    deliver({ kind: 'events', events: [{ type: 'engine/error', error: { code: ENGINE_DIED, message: `${why}. The network stopped; your document is kept. Press Restart to run it again.` } }] });
    const now = Date.now();
    deaths.push(now);
    while (deaths.length > 0 && deaths[0]! < now - restartWindowMs) deaths.shift();
    if (deaths.length <= maxRestarts) worker = spawn();
  };

  const spawn = (): Worker => {
    starts++;
    const w = new Worker(scriptPath, { resourceLimits });
    let failure: Error | null = null;
    w.on('message', (message: ReplyMessage) => {
      if (message && message.kind === 'reply') pending.delete(message.id);
      deliver(message);
    });
    w.on('error', (err) => {
      failure = err;
      died(w, describeWorkerDeath(err, 1));
    });
    // After `error` the worker is already reported; `died` ignores the second call.
    w.on('exit', (code) => died(w, describeWorkerDeath(failure, code)));
    return w;
  };

  worker = spawn();
  return {
    post: (message) => {
      if (disposed) return;
      worker ??= spawn();
      pending.add(message.id);
      worker.postMessage(message);
    },
    dispose: async () => {
      disposed = true;
      const w = worker;
      worker = null;
      await w?.terminate();
    },
    get starts() {
      return starts;
    },
  };
}
