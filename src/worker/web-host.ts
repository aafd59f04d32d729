// Entry point of the engine in browser mode: a Web Worker serving the Engine on `self`
// with performance.now as the wall clock. Must bundle with Vite: no Node imports.
// Only moves messages; no engine logic.

import { serveEngine } from './serve';
import type { PortLike } from './port';

declare const self: PortLike;
declare const performance: { now(): number };

serveEngine(self, { clock: () => performance.now() });
