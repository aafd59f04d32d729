// Node terminals in e2e tests: start a sample running, open a node's terminal (double-click),
// give it the keyboard, read its screen from xterm's buffer and wait until it shows what a
// test expects.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { TopologyDoc } from '../../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './app';
import { nodeCenter, runDocument } from './canvas';

/** The app with a sample from assets/samples loaded and running (Start pressed, engine up). */
export async function startRunning(sample: string, viewport?: { width: number; height: number }): Promise<{ app: App; doc: TopologyDoc }> {
  const file = resolve(REPO_ROOT, 'assets/samples', sample);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as TopologyDoc;
  const app = await startApp(viewport ? { viewport } : {});
  app.page.setDefaultTimeout(15_000);
  await runDocument(app.page, doc, basename(file));
  return { app, doc };
}

/** The terminal's screen as text (trailing blank lines removed). */
export async function screen(page: Page, session: number): Promise<string> {
  return page.evaluate((s) => {
    type Term = { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
    const dom = (globalThis as unknown as { document: { querySelector(sel: string): { __term?: Term } | null } }).document;
    const buf = dom.querySelector(`[data-session="${s}"]`)!.__term!.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n').replace(/\n+$/, '');
  }, session);
}

export async function waitFor(page: Page, session: number, re: RegExp, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    text = await screen(page, session);
    if (re.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal ${session} never matched ${re}:\n${text}`);
}

/** Opens (or shows) the terminal of `node` and waits for its prompt. */
export async function terminalOf(page: Page, node: string): Promise<number> {
  const before = new Set(await page.locator('[data-testid^=terminal-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-session'))));
  const p = await nodeCenter(page, node);
  await page.mouse.dblclick(p.x, p.y);
  let session = 0;
  for (let i = 0; i < 100 && session === 0; i++) {
    const now = await page.locator('[data-testid^=terminal-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-session')));
    const added = now.find((s) => !before.has(s));
    if (added) session = Number(added);
    else await page.waitForTimeout(100);
  }
  await waitFor(page, session, new RegExp(`${node}# $`));
  return session;
}

/** Shows the terminal's tab and gives it the keyboard. */
export async function focus(page: Page, session: number): Promise<void> {
  await page.locator(`[data-tab="shell:${session}"]`).click();
  await page.locator(`[data-session="${session}"] .xterm-helper-textarea`).focus();
}
