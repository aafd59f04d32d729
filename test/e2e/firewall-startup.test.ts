// Firewall through the app (issue 15): pc1's startup configuration typed in the node panel
// is checked by line (a good ipfw rule passes, a bad one shows `line 2: …`), saved with the
// document, run at Start; pc1's ping then fails, Events and the drop's hover name it `firewall (rule 100)`
// and Inspect lists the rule with its counters. Screenshots at 1280×720:
// test-results/screenshots/fw-startup-editor.png, fw-inspect.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { startApp, type App } from './support/app';
import { nodeCenter } from './support/canvas';

let app: App;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await app?.close();
});

const getDoc = () => (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc } }).__virtnet.getDoc();

describe('firewall startup configuration', () => {
  it('checks, saves and runs pc1 startup; the drop names its rule; Inspect shows counters', async () => {
    const { page } = app;
    await page.getByTestId('sample-pc-router-pc').click();
    await page.waitForFunction(() => (globalThis as unknown as { __virtnet: { getDoc(): { nodes: unknown[] } } }).__virtnet.getDoc().nodes.length > 0);
    const doc = await page.evaluate(getDoc);
    const pc2Addr = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    const pc = await nodeCenter(page, 'pc1');
    await page.mouse.click(pc.x, pc.y);
    const area = page.getByTestId('node-startup');
    await area.click();
    await page.keyboard.type('ipfw add 100 deny icmp from any to any');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('node-startup-errors').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.keyboard.type('ipfw add 200 alow ip from any to any');
    await expect.poll(() => page.getByTestId('node-startup-errors').textContent()).toBe('line 2: ipfw: invalid action alow');
    await page.getByTestId('node-startup-errors').scrollIntoViewIfNeeded();
    await app.screenshot('fw-startup-editor');
    await area.blur();
    await expect.poll(async () => (await page.evaluate(getDoc)).nodes.find((n) => n.name === 'pc1')!.startup).toEqual(['ipfw add 100 deny icmp from any to any', 'ipfw add 200 alow ip from any to any']);

    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    const pcRun = await nodeCenter(page, 'pc1'); // Start refits the canvas
    await page.mouse.dblclick(pcRun.x, pcRun.y);
    const term = page.locator('[data-session] .xterm-helper-textarea').first();
    await term.waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    await term.focus();
    await page.keyboard.type(`ping -c 1 ${pc2Addr}`, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.locator('[data-tab="events"]').click();
    const drop = page.locator('.run-event.drop', { hasText: 'firewall (rule 100)' }).first();
    await drop.waitFor({ timeout: 30_000 });
    expect(await drop.textContent()).toMatch(/pc1:eth0 dropped Echo \(ping\) request.*firewall \(rule 100\)/);
    // the red cross drawn above-left of pc1 says the same on hover
    const zoom = (await page.evaluate(() => (globalThis as unknown as { __virtnet: { cy: { zoom(): number } } }).__virtnet.cy.zoom())) as number;
    await page.mouse.move(pcRun.x - 26 * zoom, pcRun.y - 26 * zoom);
    await page.mouse.move(pcRun.x - 26 * zoom + 1, pcRun.y - 26 * zoom);
    await expect.poll(() => page.locator('.run-tooltip').textContent()).toMatch(/^Dropped: firewall \(rule 100\)\nEcho \(ping\) request/);
    await page.mouse.move(5, 400);
    await expect.poll(() => page.locator('.run-event.warning', { hasText: /pc1: startup:2: .*invalid action alow/ }).count()).toBe(1);

    await page.locator('[data-tab="inspect"]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'pc1' });
    const rules = page.locator('.run-table', { hasText: 'Firewall rules' });
    await rules.waitFor();
    const row = rules.locator('tbody tr', { hasText: '00100' });
    await expect.poll(async () => Number((await row.locator('td').nth(1).textContent()) ?? '0')).toBeGreaterThanOrEqual(1);
    expect(await row.locator('td').nth(3).textContent()).toBe('deny icmp from any to any');
    await rules.scrollIntoViewIfNeeded();
    await app.screenshot('fw-inspect');
    expect(app.errors).toEqual([]);
  });
});
