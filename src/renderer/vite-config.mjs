// Vite settings for the renderer, shared by electron.vite.config.ts (Electron builds) and
// scripts/start.mjs / the e2e harness (browser mode). Must not hold per-process settings:
// main and preload builds live in electron.vite.config.ts only.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.mjs';

export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export { CONTENT_SECURITY_POLICY };

/** Adds the CSP meta tag to built pages only (the dev server injects inline scripts). */
function cspPlugin() {
  return {
    name: 'virtnet-csp',
    apply: 'build',
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
    },
  };
}

/** @param {{ outDir: string }} opts */
export function rendererViteConfig(opts) {
  return {
    root: rendererRoot,
    base: './',
    plugins: [react(), cspPlugin()],
    worker: { format: 'es' },
    server: { fs: { allow: [repoRoot] } },
    build: {
      outDir: opts.outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 2000,
      rollupOptions: { input: { index: fileURLToPath(new URL('./index.html', import.meta.url)) } },
    },
  };
}
