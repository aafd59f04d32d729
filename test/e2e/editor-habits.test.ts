// Editor e2e at 1280×720, as a teacher on a projector: the toolbar keeps one row and the canvas
// refits on resize; labels do not overlap and stay 12 px or more; right-click menus on a node,
// a link and the canvas; double-click renames; Escape clears the selection; a wheel notch
// zooms about 15 %; a link stub leads to the other canvas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDocument, type TopologyDoc } from '../../src/emulator/topology/document';
import * as E from '../../src/emulator/topology/edit';
import { startApp, type App } from './support/app';
import { canvasPoint, getDoc, modelToPage, nodeCenter, loadDocument } from './support/canvas';

let app: App;
beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.on('dialog', (d) => void d.accept()); // "discard unsaved changes?" when opening a sample
});
afterAll(async () => {
  await app?.close();
});

// The page's test hook, as much of it as these tests read (typed here: the renderer's own
// types are for the web project, not this Node one).
type Hook = {
  __virtnet: {
    cy: import('cytoscape').Core;
    services: { docStore: { getState(): { selection: unknown; load(doc: TopologyDoc, file: { path: null; name: string; format: 'vnet' }): void } } };
  };
};

const zoom = () => app.page.evaluate(() => (globalThis as unknown as Hook).__virtnet.cy.zoom());
const selection = async () => (await app.page.evaluate(() => (globalThis as unknown as Hook).__virtnet.services.docStore.getState().selection)) as { nodes: string[]; links: string[] };

async function openSample(name: string) {
  await app.page.getByTestId('tb-new').click();
  await app.page.getByTestId(`sample-${name}`).click();
  await expect.poll(async () => (await getDoc(app.page)).nodes.length).toBeGreaterThan(0);
  await app.page.waitForTimeout(150); // the label layer places after the first draw
}

async function load(doc: TopologyDoc) {
  await loadDocument(app.page, doc, 'two-canvases.vnet');
}

/** Page point of a canvas element's centre, by element id. */
async function elementCenter(id: string) {
  return app.page.evaluate((key) => {
    const cy = (globalThis as unknown as Hook).__virtnet.cy;
    const p = cy.getElementById(key).renderedPosition();
    const r = cy.container()!.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
}

/** A pc on canvas c0 linked to a router on canvas c1 (as IMUNES multi-canvas files are). */
function twoCanvases(): TopologyDoc {
  let d: TopologyDoc = { ...emptyDocument(), canvases: [{ id: 'c0', name: 'Campus' }, { id: 'c1', name: 'Core' }] };
  const pc = E.addNode(d, 'pc', { x: 200, y: 200 }, { canvas: 'c0' });
  const sw = E.addNode(pc.doc, 'lanswitch', { x: 400, y: 200 }, { canvas: 'c0' });
  const r = E.addNode(sw.doc, 'router', { x: 300, y: 300 }, { canvas: 'c1' });
  d = r.doc;
  for (const [a, b] of [[pc.nodeId, sw.nodeId], [sw.nodeId, r.nodeId]] as const) {
    const l = E.addLink(d, a, b);
    if ('error' in l) throw new Error(l.error);
    d = l.doc;
  }
  return d;
}

describe('editor habits at 1280×720', () => {
  it('keeps the toolbar on one row and refits the canvas when the window grows', async () => {
    const { page } = app;
    await openSample('router-chain-4');
    const bar = (await page.locator('.toolbar').boundingBox())!;
    const mids = await Promise.all((await page.locator('.toolbar > *').all()).map(async (c) => {
      const b = (await c.boundingBox())!;
      return Math.round(b.y + b.height / 2);
    }));
    const last = (await page.locator('.toolbar > *').last().boundingBox())!;
    const rows = { height: bar.height, spread: Math.max(...mids) - Math.min(...mids), overflow: last.x + last.width - (bar.x + bar.width) };
    expect(rows.spread).toBeLessThanOrEqual(2);
    expect(rows.height).toBeLessThan(56);
    expect(rows.overflow).toBeLessThanOrEqual(0);
    await app.screenshot('habits-1280-toolbar');

    const before = await zoom();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect.poll(async () => page.evaluate(() => (globalThis as unknown as Hook).__virtnet.cy.width())).toBeGreaterThan(1500);
    await expect.poll(zoom).toBeGreaterThan(before);
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(zoom).toBeCloseTo(before, 3);
  });

  it('shows every address and interface of the four-router chain without overlap, at 12 px or more', async () => {
    const { page } = app;
    await page.getByTestId('label-interfaces').check();
    await page.waitForTimeout(200);
    const labels = await page.evaluate(() => {
      const cy = (globalThis as unknown as Hook).__virtnet.cy;
      const z = cy.zoom();
      const boxes = cy.nodes('.vlabel').map((n) => ({ id: n.id(), text: String(n.data('label')), px: Number(n.data('fs')) * z, b: n.renderedBoundingBox({ includeLabels: true, includeOverlays: false } as never) }));
      const names = cy.nodes('.node').map((n) => ({ shown: n.data('shownName') as string, px: Number(n.data('fs')) * z }));
      return { boxes, names };
    });
    expect(labels.boxes).toHaveLength(10); // five links, two ends each
    expect(labels.boxes.map((l) => l.text)).toContain('eth0\n10.0.0.20/24');
    for (const l of labels.boxes) expect(l.px).toBeGreaterThanOrEqual(12);
    for (const n of labels.names) expect(n.shown).not.toBe('');
    for (const n of labels.names) expect(n.px).toBeGreaterThanOrEqual(12);
    for (let i = 0; i < labels.boxes.length; i++) {
      for (let j = i + 1; j < labels.boxes.length; j++) {
        const a = labels.boxes[i]!.b;
        const b = labels.boxes[j]!.b;
        const overlap = a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1;
        expect(overlap, `${labels.boxes[i]!.id} overlaps ${labels.boxes[j]!.id}`).toBe(false);
      }
    }
    await app.screenshot('habits-1280-chain-all-labels');
  });

  it('zooms about 15 % per wheel notch', async () => {
    const { page } = app;
    const at = await canvasPoint(page, 0.5, 0.5);
    await page.mouse.move(at.x, at.y);
    const z0 = await zoom();
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, -100);
      await page.waitForTimeout(40);
    }
    await expect.poll(zoom).toBeGreaterThan(z0 * 1.5);
    const perNotch = Math.pow((await zoom()) / z0, 1 / 5);
    expect(perNotch).toBeGreaterThan(1.1);
    expect(perNotch).toBeLessThan(1.2);
    await page.mouse.wheel(0, 100);
    await expect.poll(async () => (await zoom()) / Math.pow(perNotch, 4) / z0).toBeCloseTo(1, 2);
    await page.getByTestId('tb-fit').click();
  });

  it('offers rename, properties, duplicate and delete on a node, and duplicates and deletes', async () => {
    const { page } = app;
    const p = await nodeCenter(page, 'router2');
    await page.mouse.click(p.x, p.y, { button: 'right' });
    const menu = page.getByTestId('context-menu');
    await expect.poll(() => menu.isVisible()).toBe(true);
    expect(await menu.locator('[role=menuitem]').allTextContents()).toEqual(['Rename…double-click', 'Properties', 'DuplicateCtrl+D', 'DeleteDel']);
    await app.screenshot('habits-1280-menu-node');
    const n = (await getDoc(page)).nodes.length;
    await page.getByTestId('menu-duplicate').click();
    await expect.poll(async () => (await getDoc(page)).nodes.length).toBe(n + 1);
    expect(await menu.count()).toBe(0);
    const copy = (await getDoc(page)).nodes.at(-1)!;
    const c = await modelToPage(page, copy.position);
    await page.mouse.click(c.x, c.y, { button: 'right' });
    await page.getByTestId('menu-delete').click();
    await expect.poll(async () => (await getDoc(page)).nodes.length).toBe(n);

    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.getByTestId('menu-properties').click();
    await expect.poll(() => page.locator('.side-panel :focus').count()).toBe(1);
  });

  it('names a link by its ends in its menu, and deletes it from there', async () => {
    const { page } = app;
    const doc = await getDoc(page);
    const link = doc.links[1]!; // router1 — router2
    const a = doc.nodes.find((x) => x.id === link.a.node)!;
    const b = doc.nodes.find((x) => x.id === link.b.node)!;
    // A point on the line, a third of the way from a, clear of the labels beside it.
    const at = await modelToPage(page, { x: a.position.x + (b.position.x - a.position.x) / 2, y: a.position.y + (b.position.y - a.position.y) / 2 });
    await page.mouse.click(at.x, at.y, { button: 'right' });
    await expect.poll(() => page.getByTestId('context-menu').isVisible()).toBe(true);
    expect(await page.locator('.context-menu-title').textContent()).toBe(`${a.name}:${link.a.iface} — ${b.name}:${link.b.iface}`);
    await app.screenshot('habits-1280-menu-link');
    await page.getByTestId('menu-delete').click();
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(doc.links.length - 1);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(doc.links.length);
  });

  it('adds a node where the canvas was right-clicked, and pastes there', async () => {
    const { page } = app;
    const at = await canvasPoint(page, 0.5, 0.8);
    await page.mouse.click(at.x, at.y, { button: 'right' });
    expect(await page.getByTestId('menu-paste').isDisabled()).toBe(true); // nothing copied yet
    await app.screenshot('habits-1280-menu-canvas');
    await page.getByTestId('menu-add-host').click();
    await expect.poll(async () => (await getDoc(page)).nodes.filter((x) => x.kind === 'host').length).toBe(1);
    const host = (await getDoc(page)).nodes.find((x) => x.kind === 'host')!;
    const shown = await modelToPage(page, host.position);
    expect(Math.abs(shown.x - at.x)).toBeLessThan(20); // snapped to the 20 px grid
    expect(Math.abs(shown.y - at.y)).toBeLessThan(20);

    await page.keyboard.press('Control+c');
    const to = await canvasPoint(page, 0.2, 0.8);
    await page.mouse.click(to.x, to.y, { button: 'right' });
    await page.getByTestId('menu-paste').click();
    await expect.poll(async () => (await getDoc(page)).nodes.filter((x) => x.kind === 'host').length).toBe(2);
    const pasted = (await getDoc(page)).nodes.filter((x) => x.kind === 'host')[1]!;
    const p2 = await modelToPage(page, pasted.position);
    expect(Math.abs(p2.x - to.x)).toBeLessThan(20);
  });

  it('renames a node in place on a double-click; Escape cancels, a taken name is refused', async () => {
    const { page } = app;
    await openSample('router-chain-4');
    const p = await nodeCenter(page, 'router3');
    await page.mouse.dblclick(p.x, p.y);
    const box = page.getByTestId('inline-rename');
    await expect.poll(() => box.isVisible()).toBe(true);
    expect(await box.inputValue()).toBe('router3');
    await page.keyboard.type('router1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.inline-rename-error').textContent()).toMatch(/already named "router1"/);
    await app.screenshot('habits-1280-rename-refused');
    await box.fill('core');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await getDoc(page)).nodes.map((x) => x.name)).toContain('core');
    expect(await box.count()).toBe(0);

    const q = await nodeCenter(page, 'core');
    await page.mouse.dblclick(q.x, q.y);
    await page.getByTestId('inline-rename').fill('edge');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('inline-rename').count()).toBe(0);
    expect((await getDoc(page)).nodes.map((x) => x.name)).toContain('core');
  });

  it('clears the selection with Escape', async () => {
    const { page } = app;
    const p = await nodeCenter(page, 'pc1');
    await page.mouse.click(p.x, p.y);
    await expect.poll(async () => (await selection()).nodes.length).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await selection()).nodes.length).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as Hook).__virtnet.cy.$(':selected').length)).toBe(0);
    expect(await page.getByTestId('link-props').count()).toBe(0);
  });

  it('draws a link to another canvas as a stub naming the far end; a click on it goes there', async () => {
    const { page } = app;
    await load(twoCanvases());
    const doc = await getDoc(page);
    const link = doc.links[1]!;
    expect(await page.evaluate((id) => (globalThis as unknown as Hook).__virtnet.cy.getElementById(id).data('label'), `s:${link.id}`)).toBe('router1:eth0 ›');
    expect(await page.evaluate((id) => (globalThis as unknown as Hook).__virtnet.cy.getElementById(id).source().id(), `l:${link.id}`)).toBe('n:n1');
    await app.screenshot('habits-1280-stub-campus');
    const stub = await elementCenter(`s:${link.id}`);
    await page.mouse.move(stub.x, stub.y);
    await expect.poll(() => page.getByTestId('canvas').getAttribute('title')).toBe('Go to router1:eth0 on canvas Core');
    await page.mouse.click(stub.x, stub.y);
    await expect.poll(() => page.getByTestId('canvas-tab-c1').getAttribute('aria-selected')).toBe('true');
    await expect.poll(async () => (await selection()).nodes).toEqual(['n2']);
    expect(await page.evaluate(() => (globalThis as unknown as Hook).__virtnet.cy.getElementById('n:n2').selected())).toBe(true);
    expect(await page.evaluate((id) => (globalThis as unknown as Hook).__virtnet.cy.getElementById(id).data('label'), `s:${link.id}`)).toBe('switch1:eth1 ›');
    await app.screenshot('habits-1280-stub-core');
    // And back.
    const back = await elementCenter(`s:${link.id}`);
    await page.mouse.click(back.x, back.y);
    await expect.poll(() => page.getByTestId('canvas-tab-c0').getAttribute('aria-selected')).toBe('true');
    await expect.poll(async () => (await selection()).nodes).toEqual(['n1']);
    expect(app.errors).toEqual([]);
  });
});
