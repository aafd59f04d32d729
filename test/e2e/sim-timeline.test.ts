// Simulation mode in a real browser: a student pings across four routers, opens the
// Timeline, filters to ICMP, selects the echo request's hop at router2 and reads the
// explanation (sentence and layers); follows the packet's journey; a no-route drop is
// explained too. Screenshots of the timeline and the explain view at 1280×720 and
// 1920×1080 (test-results/screenshots/sim-*.png).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { loadDocument, nodeCenter } from './support/canvas';

const SAMPLE = resolve(REPO_ROOT, 'assets/samples/router-chain-4.vnet');

let app: App;
let doc: TopologyDoc;

async function shellText(page: Page): Promise<string> {
  return page.evaluate(() => {
    type Term = { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
    const el = (globalThis as unknown as { document: { querySelector(sel: string): { __term?: Term } | null } }).document.querySelector('[data-session]')!;
    const buf = el.__term!.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  });
}

/** The run log (the Events tab's entries) as text. */
async function runLog(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { __virtnetRun: { getState(): { log: { text: string }[] } } }).__virtnetRun.getState().log.map((l) => l.text).join('\n'));
}

async function typeLine(page: Page, line: string) {
  await page.locator('[data-session] .xterm-helper-textarea').first().focus();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

async function sizes(name: string) {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    await app.page.setViewportSize({ width: w, height: h });
    await app.page.waitForTimeout(300);
    await app.screenshot(`${name}-${w}x${h}`);
  }
}

beforeAll(async () => {
  doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as TopologyDoc;
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
  await loadDocument(app.page, doc, 'router-chain-4.vnet');
});

afterAll(async () => {
  await app?.close();
});

describe('simulation mode: timeline and explanations', () => {
  it('a ping, filtered to ICMP, explained at router2', async () => {
    const { page } = app;
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    const p = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(p.x, p.y);
    await page.locator('[data-session]').first().waitFor();
    await typeLine(page, 'ping -c 1 pc2');
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/1 packets received/);
    await typeLine(page, 'ping -c 1 -t 2 10.9.9.9');
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/Destination Net Unreachable|100.0% packet loss/);

    await page.locator('[data-tab=timeline]').click();
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('timeline-proto').selectOption('icmp');
    const rows = page.getByTestId('timeline-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(4);
    const protos = await page.locator('[data-testid=timeline-row] span:nth-child(5)').allTextContents();
    expect(protos.every((t) => t === 'ICMP')).toBe(true);

    // The echo request's hop at router2 (its arrival carries the whole decision).
    const hop = page.locator('[data-testid=timeline-row][data-node=router2][data-action=rx]', { hasText: 'Echo (ping) request' }).first();
    await hop.click();
    const sentence = page.getByTestId('explain-sentence');
    await expect.poll(() => sentence.textContent()).toMatch(/^router2 received the echo request on eth\d, matched 10\.0\.\d+\.20 to 10\.0\.\d+\.0\/\d+ via 10\.0\.\d+\.\d+ on eth\d/);
    expect(await sentence.textContent()).toContain('decremented the TTL from 63 to 62');
    expect(await page.getByTestId('explain-layer-network').textContent()).toMatch(/matched .* on eth\d/);
    expect(await page.getByTestId('explain-layer-link').textContent()).toMatch(/ARP cache/);
    await sizes('sim-explain');

    // Follow this packet: only the echo request's hops remain, across every router.
    await page.getByTestId('timeline-follow').click();
    const nodes = new Set(await page.locator('[data-testid=timeline-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node'))));
    expect([...nodes].sort()).toEqual(['pc1', 'pc2', 'router1', 'router2', 'router3', 'router4']);
    await page.getByTestId('timeline-journey-clear').click();

    // Drops only: the no-route drop, explained.
    await page.getByTestId('timeline-proto').selectOption('');
    await page.getByTestId('timeline-drops').check();
    const drop = page.locator('[data-testid=timeline-row][data-action=drop]', { hasText: 'no-route' }).first();
    await drop.click();
    await expect.poll(() => sentence.textContent()).toMatch(/found no route to 10\.9\.9\.9, and sent ICMP Destination Net Unreachable back to 10\.0\.0\.20 via eth\d\.$/);
    await sizes('sim-timeline-drop');
    expect(app.errors).toEqual([]);
  });

  it('steps back three events, sees that moment, and branches with a route change', async () => {
    const { page } = app;
    await page.getByTestId('timeline-drops').uncheck();
    await page.getByTestId('timeline-proto').selectOption('');
    await page.getByTestId('run-pause').click().catch(() => undefined);
    const clock = () => page.locator('.run-toolbar').textContent();
    const before = await clock();
    const count = page.getByTestId('timeline-count');
    const eventsBefore = Number((await count.textContent())!.split(' of ')[1]!.split(' ')[0]!.replace(/,/g, ''));
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('run-back').click();
      await expect.poll(() => runLog(page)).toMatch(new RegExp(`(Stepped back[^]*){${i + 1}}`));
    }
    const after = await clock();
    expect(after).not.toBe(before);
    const eventsAfter = Number((await count.textContent())!.split(' of ')[1]!.split(' ')[0]!.replace(/,/g, ''));
    expect(eventsAfter).toBeLessThan(eventsBefore);
    // The shell shows the moment stepped back to.
    await expect.poll(() => shellText(page)).toMatch(/stepped back to .*: this shell as it was then/);
    // The routing table of router2 then (Inspect).
    await page.locator('[data-tab=inspect]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'router2' });
    await expect.poll(() => page.getByTestId('inspect').textContent()).toMatch(/10\.0\.4\.0\/24/);
    await sizes('sim-stepped-back');
    // A branch: pc1 loses its default route, and its ping fails from here on.
    await page.locator('[data-tab^="shell:"]').first().click();
    await typeLine(page, 'route delete default');
    await typeLine(page, 'ping -c 1 pc2');
    await page.getByTestId('run-play').click();
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/No route to host|Network is unreachable|sendto/);
    expect(app.errors).toEqual([]);
  });

  it('a million events: the timeline shows, filters and scrolls without freezing', async () => {
    const { page } = app;
    await page.locator('[data-tab=timeline]').click();
    await page.getByTestId('timeline-proto').selectOption('');
    const ms = await page.evaluate(() => {
      type Store = { timeline: { push(b: unknown[]): void }; setState(p: object): void; getState(): { timelineVersion: number } };
      const store = (globalThis as unknown as { __virtnetRun: Store }).__virtnetRun;
      const batch: unknown[] = [];
      for (let i = 0; i < 1_000_000; i++) {
        batch.push({ type: 'traffic', frame: i, timeNs: 10e9 + i * 1000, action: i % 7 === 0 ? 'drop' : 'tx', node: 'n1', iface: 'eth0', link: 'l0', proto: i % 3 === 0 ? 'icmp' : 'udp', summary: `synthetic ${i}`, lengthBytes: 60, reason: 'queue-full' });
      }
      const t0 = performance.now();
      store.timeline.push(batch);
      store.setState({ timelineVersion: store.getState().timelineVersion + 1 });
      return performance.now() - t0;
    });
    const count = page.getByTestId('timeline-count');
    const t0 = Date.now();
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toMatch(/of 900,\d{3} events \(100,000 oldest not kept\)/);
    const shownMs = Date.now() - t0;
    // A million and more: the oldest tenth is let go in one block. Filter to ICMP, then jump to the end: a frame must come within a second.
    const t1 = Date.now();
    await page.getByTestId('timeline-proto').selectOption('icmp');
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toMatch(/^30\d,\d{3} of/);
    const filterMs = Date.now() - t1;
    const t2 = Date.now();
    await page.getByTestId('timeline-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => page.locator('[data-testid=timeline-row]').last().textContent()).toContain('synthetic 999999');
    const scrollMs = Date.now() - t2;
    const rows = await page.locator('[data-testid=timeline-row]').count();
    console.log(`timeline, 1,000,000 synthetic events: push ${ms.toFixed(0)} ms, shown ${shownMs} ms, ICMP filter ${filterMs} ms, scroll to end ${scrollMs} ms, ${rows} rows in the DOM`);
    expect(rows).toBeLessThan(200);
    expect(filterMs).toBeLessThan(5000);
  });
});
