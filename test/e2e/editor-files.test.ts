// Editor e2e: save and reopen (browser mode: download and file picker), open an IMUNES
// example where the file puts its nodes, refuse a bad file without losing the document,
// refuse a bad link delay inline, the recent list, export PNG and SVG. Each test gets a
// fresh page and opens what it needs; every wait names this test's file or nodes.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IMUNES_EXAMPLES, REPO_ROOT, startApp, type App } from './support/app';
import { drag, getDoc, nodeCenter, placeNodes } from './support/canvas';
import { downloadFrom, openFile, pickFile, titleOf } from './support/files';

const PRP = resolve(IMUNES_EXAMPLES, 'p-r-p.imn');
const SAMPLE = resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');

let app: App;
let page: Page;
let dir: string;
beforeAll(async () => {
  app = await startApp();
  dir = await mkdtemp(join(tmpdir(), 'virtnet-e2e-'));
});
beforeEach(async () => {
  page = await app.freshPage();
  page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? d.defaultValue() : undefined));
});
afterAll(async () => {
  await app?.close();
});

const recentEntries = () => page.getByTestId('tb-recent').locator('option').allTextContents();

describe('editor: files', () => {
  it('saves a topology and reopens it unchanged, with title and unsaved mark', async () => {
    await placeNodes(page, 'host', [[0.3, 0.4]]);
    await placeNodes(page, 'router', [[0.6, 0.4]]);
    await page.getByTestId('tool-link').click();
    await drag(page, await nodeCenter(page, 'host1'), await nodeCenter(page, 'router1'));
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await getDoc(page)).links.length).toBe(1);
    await expect.poll(() => page.title()).toBe('● untitled.vnet — VirtNet');
    const saved = await downloadFrom(page, 'tb-save', dir);
    expect(saved.name).toBe('untitled.vnet');
    await expect.poll(() => page.title()).toBe(titleOf('untitled.vnet'));
    await expect.poll(recentEntries).toContain('untitled.vnet');
    const before = await getDoc(page);
    expect(JSON.parse(saved.text).nodes.length).toBe(2);

    await page.getByTestId('tb-new').click();
    await expect.poll(async () => (await getDoc(page)).nodes).toEqual([]);
    const renamed = join(dir, 'reopened.vnet');
    await writeFile(renamed, saved.text);
    expect(await openFile(page, renamed)).toEqual(before);
  });

  it('opens a bundled sample lab from the help panel, equal to the file in assets/samples', async () => {
    await page.getByTestId('sample-office-two-lans').click();
    const expected = JSON.parse(await readFile(resolve(REPO_ROOT, 'assets/samples/office-two-lans.vnet'), 'utf8'));
    await expect.poll(async () => (await getDoc(page)).nodes.map((n) => n.name)).toEqual(expected.nodes.map((n: { name: string }) => n.name));
    expect((await getDoc(page)).links.length).toBe(expected.links.length);
    expect(await page.title()).toBe(titleOf('office-two-lans.vnet'));
    await app.screenshot('editor-sample-office');
  });

  it('opens an IMUNES example with nodes where the file puts them', async () => {
    // IMUNES 3.x JSON: gui.nodes.<id>.iconcoords is "x y", where the node stands.
    const gui = JSON.parse(await readFile(PRP, 'utf8')).gui.nodes as Record<string, { iconcoords: string }>;
    const doc = await openFile(page, PRP);
    expect(doc.nodes.map((n) => n.id).sort()).toEqual(Object.keys(gui).sort());
    for (const n of doc.nodes) {
      const [x, y] = gui[n.id]!.iconcoords.split(' ').map(Number);
      expect(n.position).toEqual({ x, y });
      const rendered = () => page.evaluate((id) => (globalThis as any).__virtnet.cy.getElementById(`n:${id}`).position(), n.id);
      await expect.poll(rendered).toEqual(n.position);
    }
    await app.screenshot('editor-imunes-p-r-p');
  });

  it('refuses a bad file with its location and keeps the current document', async () => {
    const before = JSON.stringify(await openFile(page, PRP));
    const bad = join(dir, 'broken.vnet');
    await writeFile(bad, '{\n  "version": 1,\n  "nodes": [ oops ]\n}\n');
    await pickFile(page, bad);
    await expect.poll(() => page.getByTestId('banner').textContent()).toMatch(/broken\.vnet:3/);
    expect(JSON.stringify(await getDoc(page))).toBe(before);
    expect(await page.title()).toBe(titleOf('p-r-p.imn'));
    await app.screenshot('editor-bad-file');
  });

  it('refuses a bad delay inline with the reason, and accepts a good one', async () => {
    const doc = await openFile(page, PRP);
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
    await expect.poll(() => page.getByTestId('link-delayUs-error').count()).toBe(0);
  });

  it('reopens a file from the recent list', async () => {
    const sample = await openFile(page, SAMPLE);
    await openFile(page, PRP);
    await expect.poll(recentEntries).toEqual(expect.arrayContaining(['pc-router-pc.vnet', 'p-r-p.imn']));
    await page.getByTestId('tb-recent').selectOption('pc-router-pc.vnet');
    await expect.poll(() => page.title()).toBe(titleOf('pc-router-pc.vnet'));
    expect((await getDoc(page)).nodes.map((n) => n.name)).toEqual(sample.nodes.map((n) => n.name));
    await page.getByTestId('tb-recent').selectOption('p-r-p.imn');
    await expect.poll(() => page.title()).toBe(titleOf('p-r-p.imn'));
  });

  it('exports PNG', async () => {
    await openFile(page, PRP);
    const download = page.waitForEvent('download');
    await page.getByTestId('tb-more').click();
    await page.getByTestId('tb-export-png').click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('p-r-p.png');
    const bytes = await readFile((await d.path())!);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(bytes.length).toBeGreaterThan(2000);
  });

  it('exports SVG with every node', async () => {
    const doc = await openFile(page, PRP);
    await page.getByTestId('tb-more').click();
    const svg = await downloadFrom(page, 'tb-export-svg', dir);
    expect(svg.name).toBe('p-r-p.svg');
    expect(svg.text.match(/<g data-node=/g)?.length).toBe(doc.nodes.length);
    expect(app.errors).toEqual([]);
  });
});
