// NAT in the capture view, as a person sees it (issue 15): router1 NATs pc1 behind its
// eth1 address (its startup configuration); captures on router1's eth0 and eth1 show each
// echo on both sides with a NAT badge, and the selected packet says what was translated and
// which packet is its twin. Screenshots: test-results/screenshots/nat-capture-1280.png, nat-capture-1920.png.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { loadDocument, nodeCenter } from './support/canvas';

let app: App;
let doc: TopologyDoc;

beforeAll(async () => {
  doc = JSON.parse(readFileSync(resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet'), 'utf8')) as TopologyDoc;
  doc.nodes.find((n) => n.name === 'router1')!.startup = ['ipfw -q nat 1 config if eth1', 'ipfw -q add 100 nat 1 ip from any to any via eth1', 'ipfw -q add 200 allow ip from any to any'];
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
  await loadDocument(app.page, doc, 'nat.vnet');
});

afterAll(async () => {
  await app?.close();
});

describe('capture view: NAT on both sides', () => {
  it('badges translated packets in both captures and explains the selected one', async () => {
    const { page } = app;
    const pc2Addr = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    for (const iface of ['eth0', 'eth1']) {
      const r = await nodeCenter(page, 'router1');
      await page.mouse.click(r.x, r.y, { button: 'right' });
      await page.getByTestId(`menu-capture-${iface}`).click();
    }
    await expect.poll(() => page.locator('[data-tab^="capture:"]').count()).toBe(2);
    const pc = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(pc.x, pc.y);
    const term = page.locator('[data-session] .xterm-helper-textarea').first();
    await term.waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    await term.focus();
    await page.keyboard.type(`ping -c 2 ${pc2Addr}`, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(3000);
    await page.locator('[data-tab^="capture:"]').first().click();
    await page.getByTestId('capture-filter').fill('icmp');
    const badged = page.locator('.run-packet-row', { has: page.getByTestId('nat-badge') });
    await expect.poll(() => badged.count()).toBe(4);
    await badged.first().click();
    await expect.poll(() => page.getByTestId('nat-note').textContent()).toMatch(/^Translated by NAT: source \d+\.\d+\.\d+\.\d+ id=0x[0-9a-f]{4} ⇄ \d+\.\d+\.\d+\.\d+ id=0x[0-9a-f]{4}\. The same packet is No\. \d+ on router1:eth1\.$/);
    await app.screenshot('nat-capture-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await app.screenshot('nat-capture-1920');
    // The outside capture badges the same packets.
    await page.locator('[data-tab^="capture:"]').nth(1).click();
    await page.getByTestId('capture-filter').fill('icmp');
    await expect.poll(() => page.locator('.run-packet-row', { has: page.getByTestId('nat-badge') }).count()).toBe(4);
    expect(app.errors).toEqual([]);
  });
});
