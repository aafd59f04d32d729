// Editor e2e: save and reopen (browser mode: download and file picker), open an IMUNES
// example where the file puts its nodes, refuse a bad file without losing the document,
// refuse a bad link delay inline, export SVG.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMUNES_EXAMPLES, startApp, type App } from './support/app';
import { drag, getDoc, nodeCenter, placeNodes } from './support/canvas';

let app: App;
let dir: string;
beforeAll(async () => {
  app = await startApp();
  dir = await mkdtemp(join(tmpdir(), 'virtnet-e2e-'));
  app.page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? d.defaultValue() : undefined));
});
afterAll(async () => {
  await app?.close();
});

async function openFile(path: string) {
  const chooser = app.page.waitForEvent('filechooser');
  await app.page.getByTestId('tb-open').click();
  await (await chooser).setFiles(path);
}

async function saveTo(testId: string): Promise<{ name: string; text: string }> {
  const download = app.page.waitForEvent('download');
  await app.page.getByTestId(testId).click();
  const d = await download;
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), text: await readFile(path, 'utf8') };
}

describe('editor: files', () => {
  it('saves a topology and reopens it unchanged, with title and unsaved mark', async () => {
    const { page } = app;
    await placeNodes(page, 'host', [[0.3, 0.4]]);
    await placeNodes(page, 'router', [[0.6, 0.4]]);
    await page.getByTestId('tool-link').click();
    await drag(page, await nodeCenter(page, 'host1'), await nodeCenter(page, 'router1'));
    await page.keyboard.press('Escape');
    expect(await page.title()).toBe('● untitled.vnet — VirtNet');
    const saved = await saveTo('tb-save');
    expect(saved.name).toBe('untitled.vnet');
    expect(await page.title()).toBe('untitled.vnet — VirtNet');
    const before = await getDoc(page);
    expect(JSON.parse(saved.text).nodes.length).toBe(2);

    await page.getByTestId('tb-new').click();
    expect((await getDoc(page)).nodes).toEqual([]);
    await openFile(join(dir, saved.name));
    await expect.poll(() => getDoc(page)).toEqual(before);
  });

  it('opens a bundled sample lab from the help panel, equal to the file in assets/samples', async () => {
    const { page } = app;
    await page.getByTestId('tb-new').click();
    await page.getByTestId('sample-office-two-lans').click();
    const expected = JSON.parse(await readFile(resolve(__dirname, '../../assets/samples/office-two-lans.vnet'), 'utf8'));
    await expect.poll(async () => (await getDoc(page)).nodes.map((n) => n.name)).toEqual(expected.nodes.map((n: { name: string }) => n.name));
    expect((await getDoc(page)).links.length).toBe(expected.links.length);
    expect(await page.title()).toBe('office-two-lans.vnet — VirtNet');
    await app.screenshot('editor-sample-office');
  });

  it('opens an IMUNES example with nodes where the file puts them', async () => {
    const { page } = app;
    const file = resolve(IMUNES_EXAMPLES, 'p-r-p.imn');
    await openFile(file);
    await expect.poll(async () => (await getDoc(page)).nodes.length).toBeGreaterThan(0);
    // IMUNES 3.x JSON: gui.nodes.<id>.iconcoords is "x y", where the node stands.
    const gui = JSON.parse(await readFile(file, 'utf8')).gui.nodes as Record<string, { iconcoords: string }>;
    const doc = await getDoc(page);
    expect(doc.nodes.map((n) => n.id).sort()).toEqual(Object.keys(gui).sort());
    for (const n of doc.nodes) {
      const [x, y] = gui[n.id]!.iconcoords.split(' ').map(Number);
      expect(n.position).toEqual({ x, y });
      const rendered = await page.evaluate((id) => (globalThis as any).__virtnet.cy.getElementById(`n:${id}`).position(), n.id);
      expect(rendered).toEqual(n.position);
    }
    expect(await page.title()).toBe('p-r-p.imn — VirtNet');
    await app.screenshot('editor-imunes-p-r-p');
  });

  it('refuses a bad file with its location and keeps the current document', async () => {
    const { page } = app;
    const before = JSON.stringify(await getDoc(page));
    const bad = join(dir, 'broken.vnet');
    await writeFile(bad, '{\n  "version": 1,\n  "nodes": [ oops ]\n}\n');
    await openFile(bad);
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/broken\.vnet:3/);
    expect(JSON.stringify(await getDoc(page))).toBe(before);
    expect(await page.title()).toBe('p-r-p.imn — VirtNet');
    await app.screenshot('editor-bad-file');
  });

  it('refuses a bad delay inline with the reason, and accepts a good one', async () => {
    const { page } = app;
    const doc = await getDoc(page);
    const link = doc.links[0]!;
    const [a, b] = [doc.nodes.find((n) => n.id === link.a.node)!, doc.nodes.find((n) => n.id === link.b.node)!];
    const pa = await nodeCenter(page, a.name);
    const pb = await nodeCenter(page, b.name);
    await page.mouse.click((pa.x + pb.x) / 2, (pa.y + pb.y) / 2);
    await expect.poll(() => page.getByTestId('link-props').isVisible()).toBe(true);
    const delay = page.getByTestId('link-delayUs');
    await delay.fill('-20');
    await delay.press('Enter');
    await expect.poll(() => page.getByTestId('link-delayUs-error').textContent()).toMatch(/delay must be 0/);
    expect((await getDoc(page)).links[0]!.params.delayUs).toBe(link.params.delayUs);
    await app.screenshot('editor-bad-delay');
    await delay.fill('abc');
    await delay.press('Enter');
    await expect.poll(() => page.getByTestId('link-delayUs-error').textContent()).toMatch(/not a number/);
    await delay.fill('15000');
    await delay.press('Enter');
    await expect.poll(async () => (await getDoc(page)).links[0]!.params.delayUs).toBe(15000);
    expect(await page.getByTestId('link-delayUs-error').count()).toBe(0);
  });

  it('reopens a file from the recent list', async () => {
    const { page } = app;
    const options = await page.getByTestId('tb-recent').locator('option').allTextContents();
    expect(options).toEqual(expect.arrayContaining(['untitled.vnet', 'p-r-p.imn']));
    await page.getByTestId('tb-recent').selectOption('untitled.vnet');
    await expect.poll(async () => (await getDoc(page)).nodes.map((n) => n.name)).toEqual(['host1', 'router1']);
    await page.getByTestId('tb-recent').selectOption('p-r-p.imn');
    await expect.poll(() => page.title()).toBe('p-r-p.imn — VirtNet');
  });

  it('exports PNG', async () => {
    const download = app.page.waitForEvent('download');
    await app.page.getByTestId('tb-more').click();
    await app.page.getByTestId('tb-export-png').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('p-r-p.png');
    const bytes = await readFile((await d.path())!);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(bytes.length).toBeGreaterThan(2000);
  });

  it('exports SVG with every node', async () => {
    await app.page.getByTestId('tb-more').click();
    const svg = await saveTo('tb-export-svg');
    expect(svg.name).toBe('p-r-p.svg');
    const doc = await getDoc(app.page);
    expect(svg.text.match(/<g data-node=/g)?.length).toBe(doc.nodes.length);
    expect(app.errors).toEqual([]);
  });
});
