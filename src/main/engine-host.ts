// Hosts the engine in a node:worker_threads Worker (src/worker/node-host.ts, built as
// out/main/engine-host.js) and relays envelopes between it and the renderer. Must not
// interpret engine messages: it only moves them (DESIGN decision 6).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ReplyMessage, RequestMessage } from '../emulator/engine/protocol';

export interface EngineHost {
  post(message: RequestMessage): void;
  dispose(): Promise<void>;
}

/**
 * Starts the worker if its bundle exists; null otherwise (the editor still works). A worker
 * that dies is reported as an engine/error event and replaced by a fresh one on the next
 * request, so the user can restart the network without restarting the app.
 */
export function startEngineHost(scriptPath: string, deliver: (message: ReplyMessage) => void): EngineHost | null {
  if (!existsSync(scriptPath)) return null;
  let worker: Worker | null = null;
  let disposed = false;
  const report = (message: string) => deliver({ kind: 'events', events: [{ type: 'engine/error', error: { code: 'internal', message } }] });
  const spawn = (): Worker => {
    const w = new Worker(scriptPath);
    let errored = false;
    w.on('message', (message: ReplyMessage) => deliver(message));
    w.on('error', (err) => {
      errored = true;
      report(`engine worker: ${err.message}`);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (!disposed && code !== 0 && !errored) report(`engine worker exited with code ${code}`);
    });
    return w;
  };
  worker = spawn();
  return {
    post: (message) => {
      if (disposed) return;
      worker ??= spawn();
      worker.postMessage(message);
    },
    dispose: async () => {
      disposed = true;
      await worker?.terminate();
      worker = null;
    },
  };
}
