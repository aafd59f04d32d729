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

/** Starts the worker if its bundle exists; null otherwise (the editor still works). */
export function startEngineHost(scriptPath: string, deliver: (message: ReplyMessage) => void): EngineHost | null {
  if (!existsSync(scriptPath)) return null;
  const worker = new Worker(scriptPath);
  worker.on('message', (message: ReplyMessage) => deliver(message));
  worker.on('error', (err) => deliver({ kind: 'events', events: [{ type: 'engine/error', error: { code: 'internal', message: `engine worker: ${err.message}` } }] }));
  return {
    post: (message) => worker.postMessage(message),
    dispose: async () => {
      await worker.terminate();
    },
  };
}
