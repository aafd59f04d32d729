// Test projects: `unit` (engine, CLI, main-process logic under plain Node), `renderer`
// (React stores and components in happy-dom), `e2e` (the browser-mode app driven in
// Chromium through playwright-core; test/e2e/support/browser.ts says which Chromium) and
// `alone` (references whose referee is timed, run after the others have finished).
// scripts/test-all.mjs runs them all, plus the layering checks.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { imunesExamplesSkip } from './test/support/imunes-examples-files';

const imunes = imunesExamplesSkip(fileURLToPath(new URL('.', import.meta.url)));
/**
 * Comparisons whose Linux side is measured in time (TCP goodput through a relay in Python
 * and tbf): with the other suites running beside them on two cores the kernel's figures
 * fall (1 Mbit/s × 10 ms with CUBIC: 0.82 Mbit/s under the full suite, 0.88–0.89 alone), so
 * they measure the machine's load rather than VirtNet. They run in their own group, after
 * every other project, one file at a time.
 */
const ALONE = ['test/reference/tcp-goodput.netns.test.ts'];
if (imunes.note !== null) console.log(imunes.note);

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['src/renderer/**', 'test/e2e/**', 'node_modules/**', ...ALONE, ...imunes.exclude],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'alone',
          include: ALONE,
          environment: 'node',
          testTimeout: 30_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
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
