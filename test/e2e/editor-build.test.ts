// Editor e2e: a person builds pc–switch–pc and pc–router–pc with real mouse gestures,
// reads the IMUNES addresses in the properties panel, undoes and redoes. Each test starts
// on a fresh page and builds what it needs; every wait names this test's nodes or links.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type App } from './support/app';
import { canvasPoint, drag, drawLink, getDoc, nodeCenter, placeNodes } from './support/canvas';

let app: App;
let page: Page;
beforeAll(async () => {
  app = await startApp();
});
beforeEach(async () => {
  page = await app.freshPage();
});
afterAll(async () => {
  await app?.close();
});

const names = async () => (await getDoc(page)).nodes.map((n) => n.name);

const link = (a: string, b: string) => drawLink(page, a, b);

async function clickNode(name: string) {
  const p = await nodeCenter(page, name);
  await page.mouse.click(p.x, p.y);
}

/** pc1–switch1–pc2 across the upper part of the canvas. */
async function buildPcSwitchPc() {
  await placeNodes(page, 'pc', [[0.2, 0.35]]);
  await placeNodes(page, 'lanswitch', [[0.45, 0.35]]);
  await placeNodes(page, 'pc', [[0.7, 0.35]]);
  expect(await names()).toEqual(['pc1', 'switch1', 'pc2']);
  await link('pc1', 'switch1');
  await link('switch1', 'pc2');
}

/** pcA–router1–pcB across the canvas at height `y` (0–1). */
async function buildPcRouterPc(y: number, [a, b]: [string, string]) {
  await placeNodes(page, 'pc', [[0.2, y]]);
  await placeNodes(page, 'router', [[0.45, y]]);
  await placeNodes(page, 'pc', [[0.7, y]]);
  await link(a, 'router1');
  await link('router1', b);
}

describe('editor: building topologies', () => {
  it('builds pc–switch–pc by clicking and dragging, with addresses shown', async () => {
    await app.screenshot('editor-empty');
    await buildPcSwitchPc();
    await clickNode('pc1');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.0.20/24');
    await clickNode('pc2');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.0.21/24');
    await app.screenshot('editor-pc-switch-pc');
  });

  it('builds pc–router–pc in another subnet pair, with default routes', async () => {
    await buildPcSwitchPc();
    await buildPcRouterPc(0.7, ['pc3', 'pc4']);
    await clickNode('router1');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.1.1/24');
    await expect.poll(() => page.getByTestId('iface-eth1-ipv4').inputValue()).toBe('10.0.2.1/24');
    await clickNode('pc4');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.2.20/24');
    await expect.poll(() => page.getByTestId('route-row').first().textContent()).toContain('10.0.2.1');
    await app.screenshot('editor-two-networks');
  });

  it('undoes and redoes edits from the keyboard and toolbar', async () => {
    await buildPcRouterPc(0.5, ['pc1', 'pc2']);
    const before = await getDoc(page);
    expect(before.links.length).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(1);
    await page.getByTestId('tb-undo').click();
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(1);
    await page.getByTestId('tb-redo').click();
    await expect.poll(async () => JSON.stringify(await getDoc(page))).toBe(JSON.stringify(before));
  });

  it('moves a node by dragging it (one undo step) and deletes with the Delete key', async () => {
    await placeNodes(page, 'pc', [[0.4, 0.5]]);
    const position = async () => (await getDoc(page)).nodes.find((n) => n.name === 'pc1')?.position;
    const start = (await position())!;
    const from = await nodeCenter(page, 'pc1');
    await drag(page, from, { x: from.x + 80, y: from.y + 60 });
    await expect.poll(async () => (await position())!.x).toBeGreaterThan(start.x + 40);
    expect((await position())!.x % 20).toBe(0); // snapped to the grid
    await page.keyboard.press('Control+z');
    await expect.poll(position).toEqual(start);
    await clickNode('pc1');
    await page.keyboard.press('Delete');
    await expect.poll(position).toBeUndefined();
    await page.keyboard.press('Control+z');
    await expect.poll(position).toEqual(start);
  });

  it('box-selects with shift-drag and duplicates with fresh names', async () => {
    await placeNodes(page, 'pc', [[0.3, 0.3]]); // pc1, outside the box
    await buildPcRouterPc(0.7, ['pc2', 'pc3']);
    const a = await canvasPoint(page, 0.1, 0.55);
    const b = await canvasPoint(page, 0.8, 0.85);
    await drag(page, a, b, { modifiers: ['Shift'] });
    const selected = () => page.evaluate(() => (globalThis as any).__virtnet.services.docStore.getState().selection.nodes.length);
    await expect.poll(selected).toBe(3);
    await page.keyboard.press('Control+d');
    await expect.poll(async () => (await getDoc(page)).nodes.length).toBe(7);
    expect(new Set(await names()).size).toBe(7);
    expect(app.errors).toEqual([]);
    await app.screenshot('editor-duplicated');
  });

  it('asks before discarding unsaved changes, and keeps them when the user cancels', async () => {
    await placeNodes(page, 'router', [[0.5, 0.5]]);
    await expect.poll(() => page.title()).toBe('● untitled.vnet — VirtNet');
    const before = await getDoc(page);
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByTestId('tb-new').click();
    await expect.poll(() => asked).toEqual([expect.stringMatching(/unsaved changes/)]);
    expect(await getDoc(page)).toEqual(before);
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('tb-new').click();
    await expect.poll(async () => (await getDoc(page)).nodes.length).toBe(0);
    await expect.poll(() => page.title()).toBe('untitled.vnet — VirtNet');
  });
});
