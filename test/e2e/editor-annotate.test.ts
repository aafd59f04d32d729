// Editor e2e: annotations saved in the file, palette drag-and-drop, copy/paste, label
// toggles, and a larger IMUNES example drawn readably. Each test starts on a fresh page.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IMUNES_EXAMPLES, startApp, type App } from './support/app';
import { canvasPoint, getDoc, nodeCenter, placeNodes } from './support/canvas';
import { openFile } from './support/files';

let app: App;
beforeAll(async () => {
  app = await startApp();
});
beforeEach(async () => {
  const page = await app.freshPage();
  page.on('dialog', (d) => void d.accept());
});
afterAll(async () => {
  await app?.close();
});

describe('editor: annotations, palette, clipboard, labels', () => {
  it('drops a node from the palette by drag and drop', async () => {
    const { page } = app;
    const target = await canvasPoint(page, 0.5, 0.6);
    await page.getByTestId('palette-router').dragTo(page.getByTestId('canvas'), { targetPosition: { x: target.x - (await page.getByTestId('canvas').boundingBox())!.x, y: target.y - (await page.getByTestId('canvas').boundingBox())!.y } });
    await expect.poll(async () => (await getDoc(page)).nodes.map((n) => n.kind)).toEqual(['router']);
  });

  it('adds a rectangle annotation, captions it, and saves it in the file', async () => {
    const { page } = app;
    await page.getByTestId('tool-rect').click();
    const p = await canvasPoint(page, 0.25, 0.75);
    await page.mouse.click(p.x, p.y);
    await expect.poll(async () => (await getDoc(page)).annotations.length).toBe(1);
    const label = page.getByTestId('annotation-label');
    await label.fill('Backbone');
    await label.press('Enter');
    await expect.poll(async () => (await getDoc(page)).annotations[0]!.label).toBe('Backbone');
    // Resize it to frame part of the lab: width and height in the panel, top-left kept.
    const [x1, y1] = (await getDoc(page)).annotations[0]!.coords;
    await page.getByTestId('annotation-width').fill('320');
    await page.getByTestId('annotation-width').press('Enter');
    await page.getByTestId('annotation-height').fill('5');
    await page.getByTestId('annotation-height').press('Enter');
    await expect.poll(() => page.getByTestId('annotation-height-error').textContent()).toMatch(/at least 8/);
    await page.getByTestId('annotation-height').fill('180');
    await page.getByTestId('annotation-height').press('Enter');
    await expect.poll(async () => (await getDoc(page)).annotations[0]!.coords).toEqual([x1, y1, x1! + 320, y1! + 180]);
    const download = page.waitForEvent('download');
    await page.getByTestId('tb-save').click();
    const file = await (await download).path();
    const saved = JSON.parse(await readFile(file!, 'utf8'));
    expect(saved.annotations).toMatchObject([{ kind: 'rectangle', label: 'Backbone' }]);
    await app.screenshot('editor-annotation');
  });

  it('copies and pastes nodes with fresh names, undoable', async () => {
    const { page } = app;
    await placeNodes(page, 'pc', [[0.3, 0.3]]);
    const c = await nodeCenter(page, 'pc1');
    await page.mouse.click(c.x, c.y);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.keyboard.press('Control+v');
    await expect.poll(async () => (await getDoc(page)).nodes.map((n) => n.name).sort()).toEqual(['pc1', 'pc2', 'pc3']);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).nodes.map((n) => n.name).sort()).toEqual(['pc1', 'pc2']);
  });

  it('opens a larger IMUNES example and toggles interface labels', async () => {
    const { page } = app;
    const doc = await openFile(page, resolve(IMUNES_EXAMPLES, 'OSPF.imn'));
    expect(doc.nodes.length).toBeGreaterThan(4);
    await page.getByTestId('label-interfaces').check();
    const edgeLabel = () => page.evaluate(() => (globalThis as any).__virtnet.cy.edges()[0].data('sourceLabel') ?? '');
    await expect.poll(edgeLabel).toMatch(/^\S+\n\d+\.\d+\.\d+\.\d+\/\d+$|^\S+$/);
    await app.screenshot('editor-imunes-ospf');
    await page.getByTestId('label-addresses').uncheck();
    await page.getByTestId('label-interfaces').uncheck();
    const labelled = () => page.evaluate(() => (globalThis as any).__virtnet.cy.edges().map((e: any) => e.data('sourceLabel')).filter(Boolean).length);
    await expect.poll(labelled).toBe(0);
    expect(app.errors).toEqual([]);
  });

  it('shows canvas tabs for a multi-canvas IMUNES file and switches between them', async () => {
    const { page } = app;
    const doc = await openFile(page, resolve(IMUNES_EXAMPLES, 'DMZ+DNS+Mail+WEB_NETWORK.imn'));
    await expect.poll(() => page.getByTestId('canvas-tab-c1').count()).toBe(1);
    const drawn = () => page.evaluate(() => (globalThis as any).__virtnet.cy.nodes('.node').map((n: any) => n.id().slice(2)).sort());
    const onCanvas = (c: string) => doc.nodes.filter((n) => n.canvas === c).map((n) => n.id).sort();
    const [first, second] = doc.canvases.map((c) => c.id);
    await expect.poll(drawn).toEqual(onCanvas(first!));
    await page.getByTestId(`canvas-tab-${second}`).click();
    await expect.poll(drawn).toEqual(onCanvas(second!));
    await app.screenshot('editor-imunes-second-canvas');
    // FW:eth0–R9:eth3 joins the two canvases: a stub on each side names the far end.
    const stubs = () => page.evaluate(() => (globalThis as any).__virtnet.cy.nodes('.stub').map((n: any) => n.data('label')));
    const shown = await stubs();
    const other = await page.evaluate(() => (globalThis as any).__virtnet.services.uiStore.getState().canvas);
    expect(shown).toEqual([other === 'c0' ? 'FW:eth0 ›' : 'R9:eth3 ›']);
    await page.getByTestId(`canvas-tab-${first}`).click();
    await expect.poll(stubs).toEqual([first === 'c0' ? 'FW:eth0 ›' : 'R9:eth3 ›']);
    // Labels shown on a dense canvas never overlap one another.
    await page.getByTestId('label-addresses').check();
    await page.getByTestId('label-interfaces').check();
    await page.waitForTimeout(200);
    // Cytoscape pads label bounds by 2 model units a side it does not draw: take them off.
    const { boxes, pad } = await page.evaluate(() => {
      const cy = (globalThis as any).__virtnet.cy;
      return { pad: 2 * cy.zoom(), boxes: cy.nodes('.vlabel').map((n: any) => n.renderedBoundingBox({ includeLabels: true, includeOverlays: false })) };
    });
    expect(boxes.length).toBeGreaterThan(10);
    const e = 2 * pad + 0.5;
    const overlapping = boxes.flatMap((a: any, i: number) => boxes.slice(i + 1).filter((b: any) => a.x1 < b.x2 - e && b.x1 < a.x2 - e && a.y1 < b.y2 - e && b.y1 < a.y2 - e));
    expect(overlapping).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
