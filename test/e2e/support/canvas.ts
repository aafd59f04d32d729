// Canvas helpers for e2e tests: read the document through `window.__virtnet`, and turn a
// node's model position into page coordinates so tests use real mouse gestures.
import type { Page } from 'playwright-core';
import type { TopologyDoc } from '../../../src/emulator/topology/document';

export function getDoc(page: Page): Promise<TopologyDoc> {
  return page.evaluate(() => (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc } }).__virtnet.getDoc());
}

/**
 * Loads `doc` into the editor as if opened from a file named `name`, and waits until the page
 * holds this document (its node ids, in order) and the canvas has drawn its nodes.
 */
export async function loadDocument(page: Page, doc: TopologyDoc, name: string): Promise<void> {
  await page.evaluate(
    ([d, n]) => {
      const hook = (globalThis as unknown as { __virtnet: { services: { docStore: { getState(): { load(doc: unknown, file: unknown): void } } } } }).__virtnet;
      hook.services.docStore.getState().load(d, { path: null, name: n, format: 'vnet' });
    },
    [doc, name] as const,
  );
  const ids = doc.nodes.map((x) => x.id);
  await page.waitForFunction(
    (want) => {
      const v = (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc; cy: { nodes(sel: string): { length: number } } } }).__virtnet;
      const have = v.getDoc().nodes.map((x) => x.id);
      return have.length === want.length && have.every((id, i) => id === want[i]) && v.cy.nodes('.node').length > 0;
    },
    ids,
  );
}

/** Loads `doc` (see loadDocument), presses Run and waits until the network runs. */
export async function runDocument(page: Page, doc: TopologyDoc, name: string): Promise<void> {
  await loadDocument(page, doc, name);
  await page.getByTestId('tb-run').click();
  await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
}

/** Page coordinates of a model point on the canvas (after pan/zoom). */
export async function modelToPage(page: Page, p: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate(({ x, y }) => {
    const cy = (globalThis as unknown as { __virtnet: { cy: import('cytoscape').Core } }).__virtnet.cy;
    const r = cy.container()!.getBoundingClientRect();
    return { x: r.left + cy.pan().x + x * cy.zoom(), y: r.top + cy.pan().y + y * cy.zoom() };
  }, p);
}

/** Page coordinates of a node's centre, by node name. */
export async function nodeCenter(page: Page, name: string): Promise<{ x: number; y: number }> {
  const doc = await getDoc(page);
  const n = doc.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node named ${name}`);
  return modelToPage(page, n.position);
}

/** Page coordinates of a point given relative to the canvas box (0–1). */
export async function canvasPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

/** A real mouse drag with intermediate moves (Cytoscape needs them to see a drag). */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, opts: { steps?: number; modifiers?: string[] } = {}): Promise<void> {
  for (const m of opts.modifiers ?? []) await page.keyboard.down(m);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  const steps = opts.steps ?? 12;
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(120);
  await page.mouse.up();
  for (const m of opts.modifiers ?? []) await page.keyboard.up(m);
}

/**
 * Clicks a palette kind then the canvas at each relative point, waiting until each new
 * node is in the document (a loaded machine may deliver the click a frame late).
 */
export async function placeNodes(page: Page, kind: string, points: [number, number][]): Promise<void> {
  await page.getByTestId(`palette-${kind}`).click();
  for (const [fx, fy] of points) {
    const before = (await getDoc(page)).nodes.length;
    const p = await canvasPoint(page, fx, fy);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(
      (n) => (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc } }).__virtnet.getDoc().nodes.length > n,
      before,
      { timeout: 10_000 },
    );
  }
  await page.keyboard.press('Escape');
}

/** Draws a link from node a to node b with the link tool and waits until the document has it. */
export async function drawLink(page: Page, a: string, b: string): Promise<void> {
  const before = (await getDoc(page)).links.length;
  await page.getByTestId('tool-link').click();
  await drag(page, await nodeCenter(page, a), await nodeCenter(page, b), { steps: 16 });
  await page.keyboard.press('Escape');
  await page.waitForFunction((n) => (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc } }).__virtnet.getDoc().links.length > n, before, { timeout: 10_000 });
}
