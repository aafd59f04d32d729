// The browser-mode host must bundle for a Web Worker: no Node built-ins anywhere in its
// import graph (esbuild with platform=browser fails on `node:` imports).
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('web-host', () => {
  it('bundles for the browser without Node imports', async () => {
    const r = await build({ entryPoints: [path.resolve(__dirname, '../../src/worker/web-host.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    expect(r.errors).toEqual([]);
    const code = new TextDecoder().decode(r.outputFiles[0].contents);
    expect(code).not.toMatch(/require\(["']node:/);
    expect(code).toContain('postMessage');
  });
});
