// Routing and spanning tree through the app: a ring of four stpswitches and two BGP routers.
// After Start the Events list shows the BGP session coming up and its routes (as FRR logs
// them), and Inspect on a switch shows the spanning tree: root, each port's role and state,
// one alternate port discarding. Screenshots at 1280×720 and 1920×1080:
// test-results/screenshots/stp-inspect-*.png, bgp-events-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { builder } from '../scenarios/topologies';
import { startApp, type App } from './support/app';
import { loadDocument } from './support/canvas';

let app: App;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await app?.close();
});

function ringAndRouters(): TopologyDoc {
  const b = builder();
  const at = (n: { position: { x: number; y: number } }, x: number, y: number) => void (n.position = { x, y });
  const sws = [1, 2, 3, 4].map((k) => b.node('stpswitch', `switch${k}`));
  [[200, 150], [400, 150], [400, 350], [200, 350]].forEach(([x, y], k) => at(sws[k]!, x!, y!));
  for (let k = 0; k < 4; k++) b.link(sws[k]!, sws[(k + 1) % 4]!);
  const pc1 = b.node('pc', 'pc1');
  at(pc1, 60, 150);
  b.link(pc1, sws[0]!, { aIp: '10.0.0.20/24' });
  const pc2 = b.node('pc', 'pc2');
  at(pc2, 540, 350);
  b.link(pc2, sws[2]!, { aIp: '10.0.0.21/24' });
  const r1 = b.node('router', 'r1');
  const r2 = b.node('router', 'r2');
  at(r1, 600, 150);
  at(r2, 800, 150);
  b.link(r1, sws[1]!, { aIp: '10.0.0.1/24' });
  b.link(r1, r2, { aIp: '10.0.12.1/24', bIp: '10.0.12.2/24' });
  r1.frrConf = 'router bgp 65001\n no bgp ebgp-requires-policy\n network 10.0.0.0/24\n neighbor 10.0.12.2 remote-as 65002\n!\n';
  r2.frrConf = 'router bgp 65002\n no bgp ebgp-requires-policy\n redistribute connected\n neighbor 10.0.12.1 remote-as 65001\n!\n';
  return b.doc;
}

describe('spanning tree and BGP in the app', () => {
  it('Events shows the BGP session and routes; Inspect shows the switch ports\' roles and states', async () => {
    const { page } = app;
    await loadDocument(page, ringAndRouters(), 'stp-bgp.vnet');
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    await page.locator('[data-tab="events"]').click();
    await page.locator('.run-event', { hasText: 'r1: bgpd: %ADJCHANGE: neighbor 10.0.12.2 Up' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.run-event', { hasText: /r1: zebra: route 10\.0\.12\.0\/24|r2: zebra: route 10\.0\.0\.0\/24 via 10\.0\.12\.1 added \(bgp\)/ }).first().waitFor({ timeout: 60_000 });
    await app.screenshot('bgp-events-1280');
    await page.locator('[data-tab="inspect"]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'switch3' });
    const stp = page.locator('.run-table', { hasText: 'Spanning tree' });
    await stp.waitFor();
    await expect.poll(async () => (await page.locator('.run-table', { hasText: 'Spanning tree' }).locator('tbody tr').allTextContents()).length).toBe(3);
    await expect.poll(async () => {
      const all: string[] = [];
      for (const s of ['switch1', 'switch2', 'switch3', 'switch4']) {
        await page.getByTestId('inspect-node').selectOption({ label: s });
        await page.waitForTimeout(300);
        all.push(...(await page.locator('.run-table', { hasText: 'Spanning tree' }).locator('tbody tr').allTextContents()));
      }
      return all.filter((r) => /alternate.*discarding/.test(r)).length;
    }, { timeout: 30_000 }).toBe(1);
    await stp.scrollIntoViewIfNeeded();
    await app.screenshot('stp-inspect-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(500);
    await app.screenshot('stp-inspect-1920');
    await page.locator('[data-tab="events"]').click();
    await page.waitForTimeout(300);
    await app.screenshot('bgp-events-1920');
    expect(app.errors).toEqual([]);
  }, 180_000);
});
