// The e2e harness, shared by the editor and run-mode tests. `startApp()` builds (or reuses
// a fresh build of) browser mode through scripts/start.mjs, serves it on 127.0.0.1 at a
// free port, and opens it in Chromium through playwright-core: $CHROMIUM_PATH, else a
// system Chromium/Chrome, else the one shipped in npm (./browser.ts has the order).
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
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { browserCandidates, npmChoice, pathChoice, type BrowserChoice } from './browser';

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

/** The browser that launched first in this process; later launches reuse the choice. */
let chosen: BrowserChoice | null = null;

function launchChoice(c: BrowserChoice): Promise<Browser> {
  return chromium.launch({ executablePath: c.executablePath, args: c.args, env: { ...process.env, ...c.env } as Record<string, string> });
}

/**
 * Launches the first browser of browserCandidates() that starts (a broken system browser
 * falls through to the next one), says once which one it is, on stdout and in
 * test-results/e2e-browser.txt (CI prints that file).
 */
export async function launchBrowser(): Promise<Browser> {
  if (chosen) return launchChoice(chosen);
  const failures: string[] = [];
  for (const c of browserCandidates()) {
    let choice: BrowserChoice;
    let browser: Browser;
    try {
      choice = c.source === 'npm' ? npmChoice(REPO_ROOT) : pathChoice(c.source, c.path!);
      browser = await launchChoice(choice);
    } catch (err) {
      if (c.source === 'env') throw err;
      failures.push(`${c.path ?? c.source}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    chosen = choice;
    const line = `e2e browser: ${choice.label}, Chromium ${browser.version()}${failures.length ? ` (after failing to launch ${failures.join('; ')})` : ''}`;
    console.log(line);
    mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'test-results/e2e-browser.txt'), line + '\n');
    return browser;
  }
  throw new Error(`no browser for the e2e tests could be launched:\n${failures.join('\n')}`);
}

export interface App {
  /** The current page; freshPage() replaces it. */
  page: Page;
  browser: Browser;
  url: string;
  /** Page and console errors of every page this app opened. */
  errors: string[];
  /**
   * Closes the current page and opens the app again in a new browser context: an empty
   * document, no selection, no recent files, no dialogs handled. For tests that must not
   * see an earlier test's leftovers.
   */
  freshPage(): Promise<Page>;
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

/** A new context and page on the app, ready when the canvas (window.__virtnet.cy) exists. */
async function openPage(browser: Browser, url: string, opts: StartOptions, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url + (opts.query ?? ''));
  await page.waitForFunction(() => (globalThis as unknown as { __virtnet?: { cy: unknown } }).__virtnet?.cy != null);
  return page;
}

export async function startApp(opts: StartOptions = {}): Promise<App> {
  const { url, proc } = await startServer();
  let browser: Browser | null = null;
  try {
    browser = await launchBrowser();
    const errors: string[] = [];
    const b = browser;
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const app: App = {
      page: await openPage(b, url, opts, errors),
      browser: b,
      url,
      errors,
      async freshPage() {
        await app.page.context().close().catch(() => undefined);
        app.page = await openPage(b, url, opts, errors);
        return app.page;
      },
      async close() {
        await b.close().catch(() => undefined);
        proc.kill('SIGTERM');
      },
      async screenshot(name: string) {
        const file = join(SCREENSHOT_DIR, `${name}.png`);
        await app.page.screenshot({ path: file });
        return file;
      },
    };
    return app;
  } catch (err) {
    await browser?.close().catch(() => undefined);
    proc.kill('SIGTERM');
    throw err;
  }
}
