// DNS tools in a real browser (issue 17): on pc-router-pc, `host` from pc1 to pc2 (which runs
// no name server) reports the refused queries as BIND's host does, `named` without a
// configuration says so, the queries travel as orange DNS dots with a DNS legend entry.
// Screenshots: dns-tools-1280.png, dns-tools-1920.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import type { App } from './support/app';
import { focus, startRunning, terminalOf, waitFor } from './support/terminal';

let app: App;
let doc: TopologyDoc;

beforeAll(async () => {
  ({ app, doc } = await startRunning('pc-router-pc.vnet', { width: 1280, height: 720 }));
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('DNS tools in a node terminal', () => {
  it('host reports refused queries, named a missing configuration, and DNS has its legend colour', async () => {
    const { page } = app;
    const pc2Addr = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    const t = await terminalOf(page, 'pc1');
    await focus(page, t);
    await page.keyboard.type(`host www.example.lab ${pc2Addr}\r`);
    await waitFor(page, t, /;; communications error to [\d.]+#53: connection refused\n;; communications error to [\d.]+#53: connection refused\n;; no servers could be reached\npc1# $/);
    await page.keyboard.type('named\r');
    await waitFor(page, t, /\/usr\/local\/etc\/namedb\/named\.conf: file not found\nloading configuration: file not found\nexiting \(due to fatal error\)\npc1# $/);
    expect(await page.locator('.run-legend-item', { hasText: 'DNS' }).count()).toBe(1);
    await app.screenshot('dns-tools-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(300);
    await app.screenshot('dns-tools-1920');
    expect(app.errors).toEqual([]);
  });
});
