// nc between two node terminals in a real browser (issue 14): `nc -l` on pc2 reads what is
// typed in its terminal, `nc -v` on pc1 connects through the router, lines typed on either
// side appear on the other, and Ctrl-C on pc1 ends both. Screenshot: nc-chat.png.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { nodeCenter, loadDocument } from './support/canvas';

const SAMPLE = resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');

let app: App;
let doc: TopologyDoc;

async function screen(page: Page, session: number): Promise<string> {
  return page.evaluate((s) => {
    type Term = { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
    const dom = (globalThis as unknown as { document: { querySelector(sel: string): { __term?: Term } | null } }).document;
    const buf = dom.querySelector(`[data-session="${s}"]`)!.__term!.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n').replace(/\n+$/, '');
  }, session);
}

async function waitFor(page: Page, session: number, re: RegExp, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    text = await screen(page, session);
    if (re.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal ${session} never matched ${re}:\n${text}`);
}

/** Opens (or shows) the terminal of `node` and gives it the keyboard. */
async function terminalOf(page: Page, node: string): Promise<number> {
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

async function focus(page: Page, session: number): Promise<void> {
  await page.locator(`[data-tab="shell:${session}"]`).click();
  await page.locator(`[data-session="${session}"] .xterm-helper-textarea`).focus();
}

beforeAll(async () => {
  doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as TopologyDoc;
  app = await startApp();
  app.page.setDefaultTimeout(15_000);
  await loadDocument(app.page, doc, 'pc-router-pc.vnet');
  await app.page.getByTestId('tb-run').click();
  await app.page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('nc chat between two terminals', () => {
  it('typed lines cross the router both ways; Ctrl-C ends both sides', async () => {
    const { page } = app;
    const pc2Addr = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    const server = await terminalOf(page, 'pc2');
    await focus(page, server);
    await page.keyboard.type('nc -lv 5000\r');
    const client = await terminalOf(page, 'pc1');
    await focus(page, client);
    await page.keyboard.type(`nc -v ${pc2Addr} 5000\r`);
    await waitFor(page, client, /Connection to [\d.]+ 5000 port \[tcp\/\*\] succeeded!\n?$/);
    await page.keyboard.type('hello from pc1\r');
    await waitFor(page, server, /Connection from [\d.]+ \d+ received!\nhello from pc1\n?$/);
    await focus(page, server);
    await page.keyboard.type('hi, pc2 here\r');
    await waitFor(page, client, /hello from pc1\nhi, pc2 here\n?$/);
    await app.screenshot('nc-chat');
    await focus(page, client);
    await page.keyboard.press('Control+c');
    await waitFor(page, client, /\^C\npc1# $/);
    await waitFor(page, server, /hi, pc2 here\npc2# $/);
    // Back at the prompt, typing is for the shell again.
    await focus(page, client);
    await page.keyboard.type('hostname\r');
    await waitFor(page, client, /pc1# hostname\npc1\npc1# $/);
    expect(app.errors).toEqual([]);
  });
});
