// Entry point of the engine worker thread (node:worker_threads): serves the Engine on
// parentPort with performance.now as the wall clock. Used by Electron main (built as
// out/main/engine-host.js) and optionally the CLI. Only moves messages; no engine logic.

import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { serveEngine } from './serve';
import { emitterPort } from './port';

if (parentPort) serveEngine(emitterPort(parentPort), { clock: () => performance.now() });
