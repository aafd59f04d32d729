// Dark mode follows the OS everywhere, the run panel included (issue 9 §5 "Layout"): with the
// page told prefers-color-scheme: dark, the editor and the running network's panel, tabs and
// events are dark with light text. Screenshot: test-results/screenshots/dark-run-1280.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './support/app';
import { nodeCenter } from './support/canvas';

let app: App;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
  await app.page.emulateMedia({ colorScheme: 'dark' });
});

afterAll(async () => {
  await app?.close();
});

/** Relative luminance (0 black … 1 white) of a CSS colour the page computed. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
  return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
}

describe('dark mode', () => {
  it('themes the run panel, its toolbar, tabs and events like the editor', async () => {
    const { page } = app;
    await page.getByTestId('sample-pc-router-pc').click();
    await page.waitForFunction(() => (globalThis as unknown as { __virtnet: { getDoc(): { nodes: unknown[] } } }).__virtnet.getDoc().nodes.length > 0);
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    const pc = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(pc.x, pc.y);
    await page.locator('.xterm-helper-textarea').first().waitFor({ state: 'attached' });
    const colours = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      const w = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string; color: string } };
      const pick = (sel: string) => {
        const e = d.querySelector(sel);
        return e ? { bg: w.getComputedStyle(e).backgroundColor, fg: w.getComputedStyle(e).color } : null;
      };
      return { panel: pick('.run-panel'), toolbar: pick('.run-toolbar'), tabs: pick('.run-tabs'), body: pick('.run-tab-body') };
    });
    await app.screenshot('dark-run-1280');
    for (const [name, c] of Object.entries(colours)) {
      expect(c, name).not.toBeNull();
      expect(luminance(c!.bg), `${name} background ${c!.bg}`).toBeLessThan(0.25);
      expect(luminance(c!.fg), `${name} text ${c!.fg}`).toBeGreaterThan(0.6);
    }
    expect(app.errors).toEqual([]);
  });
});
