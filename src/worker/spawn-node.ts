// Starts the engine in a node:worker_threads Worker and returns a typed client for it
// (CLI, Node tests). Under tsx a .ts worker needs an eval bootstrap that registers tsx
// first (Node 20). Node-only; the renderer uses web-host.ts / Electron IPC instead.

import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { EngineClient } from './client';
import { describeWorkerDeath, ENGINE_RESOURCE_LIMITS } from './limits';
import { emitterPort } from './port';

export interface NodeEngine {
  client: EngineClient;
  terminate(): Promise<void>;
}

/** `hostFile` defaults to node-host.ts/.js beside this file (CommonJS builds and tsx); pass it from ESM bundles. */
export function spawnNodeEngine(hostFile?: string): NodeEngine {
  if (hostFile === undefined) {
    if (typeof __dirname === 'undefined') throw new Error('spawnNodeEngine: pass the path of node-host.js');
    hostFile = path.join(__dirname, `node-host${path.extname(__filename) || '.js'}`);
  }
  // Limited so a runaway network ends the worker, not the process hosting it.
  const worker = hostFile.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(hostFile)});`, { eval: true, resourceLimits: ENGINE_RESOURCE_LIMITS })
    : new Worker(hostFile, { resourceLimits: ENGINE_RESOURCE_LIMITS });
  const client = new EngineClient(emitterPort(worker));
  worker.on('error', (err) => client.close(describeWorkerDeath(err, 1)));
  worker.on('exit', (code) => client.close(describeWorkerDeath(null, code)));
  return {
    client,
    terminate: async () => {
      client.close();
      await worker.terminate();
    },
  };
}
