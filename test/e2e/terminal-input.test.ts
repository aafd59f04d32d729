// A node terminal in a real browser behaves like a tty (issue 9): a command typed while
// `ping -c 2` runs is kept and runs after it, fast typing loses no character, a pasted
// block of lines runs line by line with a clean echo, Tab completes, Ctrl-C interrupts
// `sleep`, Ctrl-Z stops it and fg continues it. Screenshots:
// test-results/screenshots/terminal-input.png and terminal-ctrl-z.png.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { nodeCenter, runDocument } from './support/canvas';
import { waitFor as waitForTerminal } from './support/terminal';

const SAMPLE = resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');

let app: App;
let doc: TopologyDoc;
let session = 0;

/** The one terminal of these tests: its screen text, waiting for it to match. */
const waitFor = (page: Page, re: RegExp, timeoutMs?: number) => waitForTerminal(page, session, re, timeoutMs);

/** Clears the screen (Ctrl-L) so each test reads only its own lines. */
async function fresh(page: Page): Promise<void> {
  await page.locator(`[data-session="${session}"] .xterm-helper-textarea`).focus();
  await page.keyboard.press('Control+u');
  await page.keyboard.press('Control+l');
  await waitFor(page, /^pc1# $/);
}

beforeAll(async () => {
  doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as TopologyDoc;
  app = await startApp();
  app.page.setDefaultTimeout(15_000);
  await runDocument(app.page, doc, 'pc-router-pc.vnet');
  const { page } = app;
  const p = await nodeCenter(page, 'pc1');
  await page.mouse.dblclick(p.x, p.y);
  await page.locator('[data-testid^=terminal-]').first().waitFor();
  session = Number(await page.locator('[data-testid^=terminal-]').first().getAttribute('data-session'));
  await waitFor(page, /pc1# $/);
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('node terminal input', () => {
  it('runs a command typed during ping -c 2 after it, without losing characters', async () => {
    const { page } = app;
    await fresh(page);
    const pc2 = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    // Typed at full speed (no delay between keys), the second line while ping runs.
    await page.keyboard.type(`ping -c 2 ${pc2}\rhostname\r`);
    const text = await waitFor(page, /\npc1\npc1# $/);
    expect(text).toMatch(/2 packets transmitted, 2 packets received/);
    // The echo of `hostname` follows the prompt printed after ping's summary.
    expect(text).toMatch(/round-trip [^\n]*\npc1# hostname\npc1\npc1# $/);
    expect(text).not.toContain('not found');
    expect(app.errors).toEqual([]);
  });

  it('runs a pasted block line by line with a clean echo', async () => {
    const { page } = app;
    await fresh(page);
    // What a clipboard paste does in xterm (line ends become CR, as a real terminal sends them).
    await page.evaluate((s) => {
      const dom = (globalThis as unknown as { document: { querySelector(sel: string): { __term?: { paste(t: string): void } } | null } }).document;
      dom.querySelector(`[data-session="${s}"]`)!.__term!.paste('echo one\necho two\nhostname\n');
    }, session);
    const text = await waitFor(page, /\npc1\npc1# $/);
    expect(text).toBe('pc1# echo one\none\npc1# echo two\ntwo\npc1# hostname\npc1\npc1# ');
  });

  it('completes with Tab and lists candidates on a second Tab', async () => {
    const { page } = app;
    await fresh(page);
    await page.keyboard.type('hostn');
    await page.keyboard.press('Tab');
    await waitFor(page, /^pc1# hostname $/);
    await page.keyboard.press('Control+u');
    await page.keyboard.type('ping p');
    await page.keyboard.press('Tab');
    await page.waitForTimeout(300);
    await page.keyboard.press('Tab');
    const text = await waitFor(page, /pc1 +pc2\npc1# ping pc$/);
    expect(text).toContain('pc1# ping pc');
    await page.keyboard.press('Control+u');
    await app.screenshot('terminal-input');
  });

  it('Ctrl-C interrupts sleep and drops what was typed ahead', async () => {
    const { page } = app;
    await fresh(page);
    await page.keyboard.type('sleep 1000\rhostname\r');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+c');
    const text = await waitFor(page, /\^C\npc1# $/);
    expect(text).toBe('pc1# sleep 1000\n^C\npc1# ');
  });

  it('Ctrl-Z stops sleep as FreeBSD sh does; jobs and ps show it; fg continues it and Ctrl-C ends it', async () => {
    const { page } = app;
    await fresh(page);
    await page.keyboard.type('sleep 1000\r');
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+z');
    await waitFor(page, /Suspended +sleep 1000\npc1# $/);
    await page.keyboard.type('jobs; ps\r');
    await waitFor(page, /1000\npc1# $/);
    await page.keyboard.type('fg\r');
    await waitFor(page, /pc1# fg\nsleep 1000\n?$/);
    await app.screenshot('terminal-ctrl-z');
    await page.keyboard.press('Control+c');
    const text = await waitFor(page, /\^C\npc1# $/);
    // The PID depends on the commands the tests before ran.
    expect(text.replace(/^ 1\d{3}  /m, ' PID  ')).toBe(
      [
        'pc1# sleep 1000',
        '^Z[1] + Suspended               sleep 1000',
        'pc1# jobs; ps',
        '[1] + Suspended               sleep 1000',
        '  PID TT  STAT    TIME COMMAND',
        ' PID  0  T    0:00.00 sleep 1000',
        'pc1# fg',
        'sleep 1000',
        '^C',
        'pc1# ',
      ].join('\n'),
    );
  });
});
