// The layer-2 kinds from the palette: a person draws an STP switch, a filter and a packet
// generator beside two pcs, links them, sets each one's settings in the properties panel
// (a wrong value is refused with its reason), and starts the network: Inspect shows the STP
// switch's ports and no page error occurs. Screenshots at 1280×720 and
// 1920×1080: test-results/screenshots/palette-l2-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './support/app';
import { drawLink, getDoc, nodeCenter, placeNodes } from './support/canvas';

let app: App;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await app?.close();
});

const KINDS = ['pc', 'host', 'router', 'lanswitch', 'hub', 'stpswitch', 'filter', 'packgen'];

const link = (a: string, b: string) => drawLink(app.page, a, b);

async function select(name: string) {
  const p = await nodeCenter(app.page, name);
  await app.page.mouse.click(p.x, p.y);
  await app.page.locator('.node-head', { hasText: name }).waitFor();
}

/** Types into a field and leaves it (the edit commits on blur). */
async function fill(testId: string, text: string) {
  const f = app.page.getByTestId(testId);
  await f.fill(text);
  await f.press('Tab');
}

describe('layer-2 kinds in the palette', () => {
  it('every kind is in the palette, unclipped, with labels that do not overlap', async () => {
    const { page } = app;
    for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      const boxes = [];
      for (const k of KINDS) {
        const box = (await page.getByTestId(`palette-${k}`).boundingBox())!;
        expect(box.y + box.height, `${k} at ${size.width}×${size.height}`).toBeLessThanOrEqual(size.height - 26);
        const label = (await page.getByTestId(`palette-${k}`).locator('span').boundingBox())!;
        expect(label.x, k).toBeGreaterThanOrEqual(box.x);
        expect(label.x + label.width, k).toBeLessThanOrEqual(box.x + box.width + 0.5);
        boxes.push(box);
      }
      for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThanOrEqual(boxes[i - 1]!.y + boxes[i - 1]!.height);
      await app.screenshot(`palette-l2-empty-${size.width}`);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('draws an STP switch, a filter and a packet generator, sets them up and runs the network', async () => {
    const { page } = app;
    await placeNodes(page, 'pc', [[0.12, 0.3], [0.85, 0.3]]);
    await placeNodes(page, 'stpswitch', [[0.35, 0.3]]);
    await placeNodes(page, 'filter', [[0.6, 0.3]]);
    await placeNodes(page, 'packgen', [[0.35, 0.7]]);
    expect((await getDoc(page)).nodes.map((n) => n.name)).toEqual(['pc1', 'pc2', 'stpswitch1', 'filter1', 'packgen1']);
    await link('pc1', 'stpswitch1');
    await link('stpswitch1', 'filter1');
    await link('filter1', 'pc2');
    await link('packgen1', 'stpswitch1');

    await select('stpswitch1');
    await expect.poll(() => page.getByTestId('stp-priority').inputValue()).toBe('32768');
    await fill('stp-priority', '1000');
    await expect.poll(() => page.getByTestId('stp-priority-error').textContent()).toContain('not a multiple of 4096');
    await fill('stp-priority', '4096');
    await page.getByTestId('stp-protocol').selectOption('stp');
    await fill('stp-port-eth0-priority', '100');
    await expect.poll(() => page.getByTestId('stp-port-eth0-priority-error').textContent()).toContain('not a multiple of 16');
    await fill('stp-port-eth0-priority', '64');
    await page.getByTestId('stp-port-eth0-edge').check();
    await app.screenshot('palette-l2-stp-1280');
    await expect.poll(async () => (await getDoc(page)).nodes.find((n) => n.name === 'stpswitch1')!.extra!.bridge).toMatchObject({ protocol: 'stp', priority: '4096' });

    await select('filter1');
    await fill('filter-rules-eth0', '10 match_hook action_data=eth9');
    await expect.poll(() => page.getByTestId('filter-rules-eth0-error').textContent()).toContain('interface "eth9" does not exist');
    await fill('filter-rules-eth0', '10 match_hook action_data=eth1');
    await fill('filter-rules-eth1', '10 match_hook action_data=eth0');
    await app.screenshot('palette-l2-filter-1280');

    await select('packgen1');
    await fill('packgen-rate', '0');
    await expect.poll(() => page.getByTestId('packgen-rate-error').textContent()).toContain('packet rate 0 is not 1–100000');
    await fill('packgen-rate', '10');
    // A broadcast ARP request for 10.0.0.99 from 42:00:aa:00:00:99.
    await fill('packgen-packets', 'ffffffffffff4200aa00009908060001080006040001' + '4200aa0000990a000063' + '0000000000000a000014');
    await expect.poll(async () => (await getDoc(page)).nodes.find((n) => n.name === 'packgen1')!.extra!.packgen).toMatchObject({ packetrate: '10' });
    await app.screenshot('palette-l2-packgen-1280');

    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    await page.locator('[data-tab="inspect"]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'stpswitch1' });
    await page.locator('.run-table', { hasText: 'Spanning tree' }).waitFor();
    await app.screenshot('palette-l2-running-1280');
    // The generator sends: its interface counts transmitted frames.
    await page.getByTestId('inspect-node').selectOption({ label: 'packgen1' });
    await expect.poll(async () => Number((await page.locator('.run-table', { hasText: 'Interfaces' }).locator('tbody tr').first().locator('td').nth(7).textContent()) ?? 0), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await app.screenshot('palette-l2-running-1920');
    expect(app.errors).toEqual([]);
  });
});
