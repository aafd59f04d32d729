// Editor e2e: a person builds pc–switch–pc and pc–router–pc with real mouse gestures,
// reads the IMUNES addresses in the properties panel, undoes and redoes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './support/app';
import { canvasPoint, drag, getDoc, nodeCenter, placeNodes } from './support/canvas';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

async function link(a: string, b: string) {
  await app.page.getByTestId('tool-link').click();
  await drag(app.page, await nodeCenter(app.page, a), await nodeCenter(app.page, b), { steps: 16 });
  await app.page.keyboard.press('Escape');
}

async function clickNode(name: string) {
  const p = await nodeCenter(app.page, name);
  await app.page.mouse.click(p.x, p.y);
}

describe('editor: building topologies', () => {
  it('builds pc–switch–pc by clicking and dragging, with addresses shown', async () => {
    const { page } = app;
    await app.screenshot('editor-empty');
    await placeNodes(page, 'pc', [[0.2, 0.35]]);
    await placeNodes(page, 'lanswitch', [[0.45, 0.35]]);
    await placeNodes(page, 'pc', [[0.7, 0.35]]);
    let doc = await getDoc(page);
    expect(doc.nodes.map((n) => n.name)).toEqual(['pc1', 'switch1', 'pc2']);
    await link('pc1', 'switch1');
    await link('switch1', 'pc2');
    doc = await getDoc(page);
    expect(doc.links.length).toBe(2);
    await clickNode('pc1');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.0.20/24');
    await clickNode('pc2');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.0.21/24');
    await app.screenshot('editor-pc-switch-pc');
  });

  it('builds pc–router–pc in another subnet pair, with default routes', async () => {
    const { page } = app;
    await placeNodes(page, 'pc', [[0.2, 0.7]]);
    await placeNodes(page, 'router', [[0.45, 0.7]]);
    await placeNodes(page, 'pc', [[0.7, 0.7]]);
    await link('pc3', 'router1');
    await link('router1', 'pc4');
    await clickNode('router1');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.1.1/24');
    await expect.poll(() => page.getByTestId('iface-eth1-ipv4').inputValue()).toBe('10.0.2.1/24');
    await clickNode('pc4');
    await expect.poll(() => page.getByTestId('iface-eth0-ipv4').inputValue()).toBe('10.0.2.20/24');
    await expect.poll(() => page.getByTestId('route-row').first().textContent()).toContain('10.0.2.1');
    await app.screenshot('editor-two-networks');
  });

  it('undoes and redoes edits from the keyboard and toolbar', async () => {
    const { page } = app;
    const before = await getDoc(page);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(before.links.length - 1);
    await page.getByTestId('tb-undo').click();
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(before.links.length - 2);
    await page.keyboard.press('Control+Shift+z');
    await page.getByTestId('tb-redo').click();
    await expect.poll(async () => JSON.stringify(await getDoc(page))).toBe(JSON.stringify(before));
  });

  it('moves a node by dragging it (one undo step) and deletes with the Delete key', async () => {
    const { page } = app;
    const start = (await getDoc(page)).nodes.find((n) => n.name === 'pc4')!.position;
    const from = await nodeCenter(page, 'pc4');
    await drag(page, from, { x: from.x + 80, y: from.y + 60 });
    const moved = (await getDoc(page)).nodes.find((n) => n.name === 'pc4')!.position;
    expect(moved.x).toBeGreaterThan(start.x + 40);
    expect(moved.x % 20).toBe(0); // snapped to the grid
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).nodes.find((n) => n.name === 'pc4')!.position).toEqual(start);
    await clickNode('pc4');
    await page.keyboard.press('Delete');
    await expect.poll(async () => (await getDoc(page)).nodes.some((n) => n.name === 'pc4')).toBe(false);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).nodes.some((n) => n.name === 'pc4')).toBe(true);
  });

  it('box-selects with shift-drag and duplicates with fresh names', async () => {
    const { page } = app;
    const a = await canvasPoint(page, 0.1, 0.55);
    const b = await canvasPoint(page, 0.8, 0.85);
    await drag(page, a, b, { modifiers: ['Shift'] });
    const sel = await page.evaluate(() => (globalThis as any).__virtnet.services.docStore.getState().selection.nodes.length);
    expect(sel).toBe(3);
    await page.keyboard.press('Control+d');
    const doc = await getDoc(page);
    expect(doc.nodes.length).toBe(9);
    expect(new Set(doc.nodes.map((n) => n.name)).size).toBe(9);
    expect(app.errors).toEqual([]);
    await app.screenshot('editor-duplicated');
  });

  it('asks before discarding unsaved changes, and keeps them when the user cancels', async () => {
    const { page } = app;
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
    expect(await page.title()).toBe('untitled.vnet — VirtNet');
  });
});
