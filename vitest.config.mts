// Test projects: `unit` (engine, CLI, main-process logic under plain Node), `renderer`
// (React stores and components in happy-dom) and `e2e` (the browser-mode app driven in
// Chromium through playwright-core; test/e2e/support/browser.ts says which Chromium).
// scripts/test-all.mjs runs them all, plus the layering checks.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { imunesExamplesSkip } from './test/support/imunes-examples-files';

const imunes = imunesExamplesSkip(fileURLToPath(new URL('.', import.meta.url)));
if (imunes.note !== null) console.log(imunes.note);

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['src/renderer/**', 'test/e2e/**', 'node_modules/**', ...imunes.exclude],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'renderer',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['node_modules/**', ...imunes.exclude],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          // A page reacts in milliseconds on an idle machine and in seconds on a loaded one:
          // every poll waits for its own condition, up to 20 s (the default 1 s was a flake).
          expect: { poll: { timeout: 20_000, interval: 50 } },
        },
      },
    ],
  },
});
