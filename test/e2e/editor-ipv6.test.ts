// Editor e2e: a person edits a pc's IPv6 address and IPv6 static route in the properties
// panel, sees a bad address refused beside the field, and labels the canvas with IPv6
// addresses; the panel and canvas are photographed at 1280×720 and 1920×1080.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { getDoc, loadDocument, nodeCenter } from './support/canvas';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

const pc1 = async () => (await getDoc(app.page)).nodes.find((n) => n.name === 'pc1')!;

describe('IPv6 in the properties panel', () => {
  it('edits an address and a route, refuses a bad address, and labels the canvas', async () => {
    const { page } = app;
    const doc = JSON.parse(readFileSync(resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet'), 'utf8')) as TopologyDoc;
    await loadDocument(page, doc, 'pc-router-pc.vnet');
    const p = await nodeCenter(page, 'pc1');
    await page.mouse.click(p.x, p.y);
    const field = page.getByTestId('iface-eth0-ipv6');
    await expect.poll(() => field.inputValue()).toBe('fc00::20/64');

    await field.fill('fc00::zz/64');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv6-error').textContent()).toMatch(/fc00::zz/);
    expect((await pc1()).interfaces[0]!.ipv6).toEqual(['fc00::20/64']);

    await field.fill('fc00::42/64');
    await field.press('Enter');
    await expect.poll(async () => (await pc1()).interfaces[0]!.ipv6).toEqual(['fc00::42/64']);

    const routes = page.getByTestId('routes6');
    await routes.getByLabel('IPv6 route destination').fill('fc00:9::/64');
    await routes.getByLabel('IPv6 route gateway').fill('fc00::1');
    await routes.getByRole('button', { name: 'Add' }).click();
    await expect.poll(async () => (await pc1()).routes6).toContainEqual({ dest: 'fc00:9::/64', gateway: 'fc00::1' });
    await expect.poll(() => routes.getByTestId('route6-row').count()).toBe(2);

    await page.getByTestId('label-ipv6').check();
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).__virtnet.cy.nodes('.vlabel').map((n: any) => String(n.data('label'))).join('\n')))
      .toContain('fc00::42/64');
    await page.setViewportSize({ width: 1280, height: 720 });
    await routes.scrollIntoViewIfNeeded();
    await app.screenshot('ipv6-panel-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await app.screenshot('ipv6-panel-1920');
    expect(app.errors).toEqual([]);
  });
});
