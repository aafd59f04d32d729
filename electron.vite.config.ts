// electron-vite builds: main (Node, thin), preload (sandboxed, CommonJS) and the renderer
// (shared settings in src/renderer/vite-config.mjs, also used by browser mode). Must not
// bundle Electron itself or Node built-ins into main/preload.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererViteConfig } from './src/renderer/vite-config.mjs';

const root = import.meta.dirname ?? __dirname;
// The engine's worker_threads host (src/worker/node-host.ts) is built beside main.
const mainInputs: Record<string, string> = {
  index: resolve(root, 'src/main/index.ts'),
  'engine-host': resolve(root, 'src/worker/node-host.ts'),
};

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rollupOptions: {
        input: mainInputs,
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        // Sandboxed preloads cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererViteConfig({ outDir: resolve(root, 'out/renderer') }),
});
