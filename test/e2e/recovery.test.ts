// Crash recovery in a real browser: a person edits a topology and runs a ping, the page is
// killed mid-edit (closed without beforeunload, as a crash would), and a new page offers the
// autosaved work with its time; Restore brings the edit back (unsaved), with the shell's
// transcript. Discard forgets it; another open window's work is never offered.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SCREENSHOT_DIR, startApp, type App } from './support/app';
import { getDoc, nodeCenter, placeNodes } from './support/canvas';

// Page-side globals used inside page.evaluate (this file compiles without the DOM library).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const indexedDB: any;

let app: App;

type RunHook = { shells: { transcript(s: number): string }; getState(): { terminals: { session: number }[] } };
const transcript = (page: Page) =>
  page.evaluate(() => {
    const r = (globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun;
    const t = r.getState().terminals[0];
    return t ? r.shells.transcript(t.session) : '';
  });

beforeAll(async () => {
  app = await startApp();
  app.page.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await app?.close();
});

async function openPage(): Promise<Page> {
  const page = await app.page.context().newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => app.errors.push(`pageerror: ${e.message}`));
  await page.goto(app.url);
  await page.waitForFunction(() => (globalThis as unknown as { __virtnet?: { cy: unknown } }).__virtnet?.cy != null);
  return page;
}

/** Snapshots in the browser's recovery store (IndexedDB), as the app wrote them. */
function storedSnapshots(page: Page): Promise<{ id: string; nodes: number; dirty: boolean }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open('virtnet-recovery', 1);
        r.onupgradeneeded = () => r.result.createObjectStore('snapshots', { keyPath: 'id' });
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const get = r.result.transaction('snapshots', 'readonly').objectStore('snapshots').getAll();
          get.onsuccess = () => resolve(get.result.map((s: { id: string; nodes: number; dirty: boolean }) => ({ id: s.id, nodes: s.nodes, dirty: s.dirty })));
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

describe('crash recovery', () => {
  it('restores a topology edited and run in a page that was killed', async () => {
    const page = app.page;
    await placeNodes(page, 'pc', [[0.25, 0.4]]);
    await placeNodes(page, 'router', [[0.5, 0.4]]);
    await page.getByTestId('tool-link').click();
    const a = await nodeCenter(page, 'pc1');
    const b = await nodeCenter(page, 'router1');
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    for (let i = 1; i <= 16; i++) await page.mouse.move(a.x + ((b.x - a.x) * i) / 16, a.y + ((b.y - a.y) * i) / 16);
    await page.mouse.up();
    await page.keyboard.press('Escape');
    const before = await getDoc(page);
    expect(before.nodes.length).toBe(2);
    expect(before.links.length).toBe(1);
    // A shell and a ping: run output is part of what is recovered.
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    // Start refits the topology above the run panel: find pc1 where it is now.
    const pc = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(pc.x, pc.y);
    await page.locator('.xterm-helper-textarea').first().focus();
    await page.keyboard.type('ping -c 1 10.0.0.1', { delay: 5 });
    await page.keyboard.press('Enter');
    await expect.poll(() => transcript(page), { timeout: 20_000 }).toMatch(/1 packets received/);
    // Autosave catches up within its interval; then the page dies without any unload prompt.
    await expect.poll(() => storedSnapshots(page), { timeout: 10_000 }).toEqual([expect.objectContaining({ nodes: 2, dirty: true })]);
    await page.waitForTimeout(2500); // one more autosave period, so the ping's last lines are in
    await page.close({ runBeforeUnload: false });

    const next = await openPage();
    const dialog = next.getByTestId('recovery-dialog');
    await dialog.waitFor();
    const entry = next.getByTestId('recovery-entry');
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.textContent()).toMatch(/untitled\.vnet.*2 nodes.*autosaved.*\d{1,2}:\d{2}:\d{2}/s);
    await entry.locator('summary').click();
    expect(await next.getByTestId('recovery-run-output').textContent()).toMatch(/=== shell pc1 ===[\s\S]*1 packets received/);
    await next.screenshot({ path: join(SCREENSHOT_DIR, 'recovery-dialog.png') });
    await next.getByTestId('recovery-restore').click();
    await dialog.waitFor({ state: 'detached' });
    const restored = await getDoc(next);
    expect(restored.nodes.map((n) => n.name)).toEqual(before.nodes.map((n) => n.name));
    expect(restored.links).toEqual(before.links);
    expect(await next.title()).toMatch(/^● untitled\.vnet/); // restored as unsaved work
    await expect.poll(() => next.getByTestId('banner').textContent()).toMatch(/Restored untitled\.vnet/);
    app.page = next;
  });

  it('never offers the work of a window that is still open, and Discard forgets', async () => {
    const live = app.page;
    // The restored document is autosaved under the live page's own id.
    await expect.poll(() => storedSnapshots(live), { timeout: 10_000 }).toEqual([expect.objectContaining({ nodes: 2 })]);
    const other = await openPage();
    await other.waitForTimeout(1500);
    expect(await other.getByTestId('recovery-dialog').count()).toBe(0);
    await other.close({ runBeforeUnload: false });
    await live.close({ runBeforeUnload: false });
    const third = await openPage();
    await third.getByTestId('recovery-dialog').waitFor();
    await third.getByTestId('recovery-discard').click();
    await third.getByTestId('recovery-dialog').waitFor({ state: 'detached' });
    expect(await storedSnapshots(third)).toEqual([]);
    expect((await getDoc(third)).nodes).toEqual([]);
    app.page = third;
    expect(app.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
