// The e2e harness, shared by the editor and run-mode tests. `startApp()` builds (or reuses
// a fresh build of) browser mode through scripts/start.mjs, serves it on 127.0.0.1 at a
// free port, and opens it in Debian's Chromium through playwright-core.
//
//   const app = await startApp();            // { page, url, errors, close(), screenshot() }
//   await app.page.getByTestId('palette-pc').click();
//   await app.screenshot('after-place');      // → test-results/screenshots/after-place.png
//   await app.close();                        // closes the browser and stops the server
//
// `errors` collects page errors and console errors so a test can assert there were none.
// `window.__virtnet` (src/renderer/main.tsx) exposes getDoc(), services and cy to
// page.evaluate. Helpers in ./canvas.ts turn document positions into mouse positions.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The checkout: the nearest folder above this file (or the working directory) holding scripts/start.mjs. */
function findRepoRoot(): string {
  const starts = [typeof __dirname === 'string' ? __dirname : '', process.cwd()];
  for (const start of starts) {
    for (let dir = resolve(start || '.'); ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'scripts/start.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error('cannot find the repository root (scripts/start.mjs)');
}

export const REPO_ROOT = findRepoRoot();
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results/screenshots');
export { IMUNES_EXAMPLES } from '../../support/paths';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface App {
  page: Page;
  browser: Browser;
  url: string;
  errors: string[];
  close(): Promise<void>;
  screenshot(name: string): Promise<string>;
}

export interface StartOptions {
  viewport?: { width: number; height: number };
  /** Extra query string for the app URL (e.g. `?bench=1`). */
  query?: string;
}

/** Starts scripts/start.mjs in browser mode and resolves with its URL. */
export function startServer(): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((resolveUrl, reject) => {
    const proc = spawn(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs'), '--browser', '--port', '0', '--reuse-build'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error(`server did not start in time:\n${out}`));
    }, 200_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /VirtNet running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl({ url: m[1]!, proc });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

export async function startApp(opts: StartOptions = {}): Promise<App> {
  const { url, proc } = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(url + (opts.query ?? ''));
    await page.waitForFunction(() => (globalThis as unknown as { __virtnet?: { cy: unknown } }).__virtnet?.cy != null);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const b = browser;
    return {
      page,
      browser: b,
      url,
      errors,
      async close() {
        await b.close().catch(() => undefined);
        proc.kill('SIGTERM');
      },
      async screenshot(name: string) {
        const file = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    proc.kill('SIGTERM');
    throw err;
  }
}
