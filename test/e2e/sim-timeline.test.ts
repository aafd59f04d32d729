// Simulation mode in a real browser (issue 16's acceptance): a student pings across four
// routers, opens the Timeline, filters to ICMP (menu and display-filter language), selects
// the echo request's hop at router2 and reads the explanation (sentence, layers, the packet
// received and forwarded with TTL and checksum marked); follows the packet (its path coloured
// on the canvas); a no-route drop is explained too. Then steps back three events: the clock,
// the followed packet's path on the canvas, the shell and router2's routing table show that
// moment; changes a route and plays forward on a new branch. Screenshots at 1280×720 and
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

async function startRun(page: Page) {
  await page.getByTestId('tb-run').click();
  await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
}

/** Stop, throwing the run's transcripts away when the Stop dialog asks. */
async function stopRun(page: Page) {
  await page.getByTestId('tb-run').click();
  await page.getByTestId('stop-discard').click({ timeout: 5000 }).catch(() => undefined);
  await page.locator('[data-testid=run-panel]').waitFor({ state: 'detached' });
}

async function openShell(page: Page, node: string) {
  const p = await nodeCenter(page, node);
  await page.mouse.dblclick(p.x, p.y);
  await page.locator('[data-session]').first().waitFor();
}

/** Drags the run panel's splitter to `y` (pixels from the top of the window). */
async function splitterTo(page: Page, y: number) {
  const box = (await page.getByTestId('run-splitter').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, y, { steps: 4 });
  await page.mouse.up();
  await page.waitForTimeout(200);
}

async function sizes(name: string, before?: (height: number) => Promise<void>) {
  for (const [w, h] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    await app.page.setViewportSize({ width: w, height: h });
    await app.page.waitForTimeout(300);
    await before?.(h);
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
    await startRun(page);
    await openShell(page, 'pc1');
    await typeLine(page, 'ping -c 2 pc2');
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/2 packets received/);
    await typeLine(page, 'ping -c 1 -t 2 10.9.9.9');
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/Destination Net Unreachable|100.0% packet loss/);

    await page.locator('[data-tab=timeline]').click();
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('timeline-proto').selectOption('icmp');
    const rows = page.getByTestId('timeline-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(4);
    const protos = await page.locator('[data-testid=timeline-row] span:nth-child(5)').allTextContents();
    expect(protos.every((t) => t === 'ICMP')).toBe(true);

    // The second echo request's hop at router2 (its arrival carries the whole decision; the
    // first one waited for ARP, so what router2 sent at once was its ARP request). The
    // display filter narrows the list to router2's echo requests.
    await page.getByTestId('timeline-text').fill('icmp.type==8 && router2');
    const hop = page.locator('[data-testid=timeline-row][data-node=router2][data-action=rx]', { hasText: 'Echo (ping) request' }).nth(1);
    await hop.click();
    const sentence = page.getByTestId('explain-sentence');
    await expect.poll(() => sentence.textContent()).toMatch(/^router2 received the echo request on eth\d, matched 10\.0\.\d+\.20 to 10\.0\.\d+\.0\/\d+ via 10\.0\.\d+\.\d+ on eth\d/);
    expect(await sentence.textContent()).toContain('decremented the TTL from 63 to 62');
    expect(await page.getByTestId('explain-layer-network').textContent()).toMatch(/matched .* on eth\d/);
    expect(await page.getByTestId('explain-layer-link').textContent()).toMatch(/ARP cache/);
    await sizes('sim-explain');
    // The packet as router2 received it and as it forwarded it: TTL and checksum marked in both.
    const before = page.getByTestId('explain-before');
    const after = page.getByTestId('explain-after');
    expect(await before.locator('h4').textContent()).toMatch(/^Received on eth0 · 98 bytes/);
    expect(await after.locator('h4').textContent()).toMatch(/^Forwarded on eth1 · 98 bytes/);
    expect(await page.getByTestId('explain-diff').textContent()).toMatch(/^Changed on the way through: .*Time to Live.*Header Checksum/);
    expect(await after.locator('[data-changed=true]').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Time to Live: 62/)]));
    expect(await before.locator('[data-changed=true]').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Time to Live: 63/)]));
    expect(await after.locator('.run-hex-bytes .diff').count()).toBeGreaterThanOrEqual(3);
    // A tall panel (the splitter dragged up) shows both frames, tree and hex.
    await sizes('sim-explain-frames', async (h) => {
      await splitterTo(page, Math.round(h * 0.12));
      await page.getByTestId('explain-frames').evaluate((el) => el.scrollIntoView());
    });

    // The display-filter language: the echo requests pc1 sent, on every hop; a bad value says why.
    const filterBox = page.getByTestId('timeline-text');
    await filterBox.fill('icmp && ip.src==10.0.0.20 && icmp.type==8');
    await expect.poll(() => page.getByTestId('timeline-count').getAttribute('data-done')).toBe('true');
    const summaries = await page.locator('[data-testid=timeline-row] span:nth-child(6)').allTextContents();
    expect(summaries.length).toBeGreaterThan(6);
    expect(summaries.every((t) => /Echo \(ping\) request/.test(t))).toBe(true);
    await sizes('sim-timeline-filter', (h) => splitterTo(page, Math.round(h * 0.45)));
    await filterBox.fill('ip.src==999.1.1.1');
    expect(await page.getByTestId('timeline-filter-error').textContent()).toMatch(/not an IPv4 address/);
    expect(await filterBox.getAttribute('class')).toContain('bad');
    await filterBox.fill('');

    // Follow this packet: only the echo request's hops remain, across every router, and its
    // path is coloured on the canvas until the chip's button stops it.
    await page.getByTestId('timeline-follow').click();
    const nodes = new Set(await page.locator('[data-testid=timeline-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node'))));
    expect([...nodes].sort()).toEqual(['pc1', 'pc2', 'router1', 'router2', 'router3', 'router4']);
    const chip = page.getByTestId('journey-chip');
    await chip.waitFor();
    expect(await chip.getAttribute('data-nodes')).toBe('6');
    expect(await chip.getAttribute('data-links')).toBe('5');
    expect(await chip.locator('.run-journey-text').textContent()).toMatch(/^Following Echo \(ping\) request\s+id=0x[0-9a-f]+, seq=1\/256: 6 nodes, 5 links$/);
    await sizes('sim-follow-canvas', (h) => splitterTo(page, Math.round(h * 0.62)));
    await page.getByTestId('journey-stop').click();
    await chip.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('timeline-follow').isVisible()).toBe(true);

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
    // Follow router1's Destination Net Unreachable: router1 → pc1 on the canvas.
    await page.getByTestId('timeline-text').fill('icmp.type==3');
    await page.getByTestId('timeline-row').first().click();
    await page.getByTestId('timeline-follow').click();
    const chip = page.getByTestId('journey-chip');
    await expect.poll(() => chip.getAttribute('data-nodes')).toBe('2');
    expect(await chip.getAttribute('data-links')).toBe('1');
    await page.getByTestId('timeline-text').fill('');
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
    // The canvas shows that moment: the followed packet had not reached pc1 yet.
    await expect.poll(async () => Number(await chip.getAttribute('data-nodes'))).toBeLessThan(2);
    const eventsAfter = Number((await count.textContent())!.split(' of ')[1]!.split(' ')[0]!.replace(/,/g, ''));
    expect(eventsAfter).toBeLessThan(eventsBefore);
    // The shell shows the moment stepped back to.
    await expect.poll(() => shellText(page)).toMatch(/stepped back to .*: this shell as it was then/);
    // The routing table of router2 then (Inspect).
    await page.locator('[data-tab=inspect]').click();
    await page.getByTestId('inspect-node').selectOption({ label: 'router2' });
    await expect.poll(() => page.getByTestId('inspect').textContent()).toMatch(/10\.0\.4\.0\/24/);
    await sizes('sim-stepped-back');
    await page.getByTestId('journey-stop').click();
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
    // A display-filter expression over all of them runs in slices: frames keep coming while it does.
    await page.getByTestId('timeline-proto').selectOption('');
    await page.evaluate(() => {
      const w = globalThis as unknown as { __gaps: number[]; requestAnimationFrame(cb: (t: number) => void): number };
      w.__gaps = [];
      let last = 0;
      const tick = (t: number) => {
        if (last) w.__gaps.push(t - last);
        last = t;
        if (w.__gaps.length < 100_000) w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
    const t3 = Date.now();
    await page.getByTestId('timeline-text').fill('!icmp && frame.len==60 && "synthetic 99"');
    await expect.poll(() => page.getByTestId('timeline-count').getAttribute('data-done'), { timeout: 30_000 }).toBe('true');
    const exprMs = Date.now() - t3;
    const worstFrameMs = await page.evaluate(() => Math.max(...(globalThis as unknown as { __gaps: number[] }).__gaps));
    // "synthetic 99…" among the kept frames not divisible by 3: the last of 99,xxx and 990,000–999,999.
    expect(await page.getByTestId('timeline-count').textContent()).toMatch(/^6,[67]\d\d of 900,\d{3} events/);
    console.log(`timeline, 1,000,000 synthetic events: push ${ms.toFixed(0)} ms, shown ${shownMs} ms, ICMP filter ${filterMs} ms, scroll to end ${scrollMs} ms, ${rows} rows in the DOM; display filter ${exprMs} ms, worst frame gap meanwhile ${worstFrameMs.toFixed(0)} ms`);
    await page.getByTestId('timeline-text').fill('');
    expect(rows).toBeLessThan(200);
    expect(filterMs).toBeLessThan(5000);
    expect(exprMs).toBeLessThan(15_000);
    expect(worstFrameMs).toBeLessThan(1000);
  });

  it('saves the run as a scenario, and a new run replays it', async () => {
    const { page } = app;
    // A fresh run: stop this one (throwing its transcripts away) and start again.
    await stopRun(page);
    await startRun(page);
    await openShell(page, 'pc1');
    await typeLine(page, 'ping -c 1 pc2');
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/1 packets received/);
    await page.getByTestId('scenario-save').click();
    await expect.poll(() => page.getByTestId('scenario-note').textContent()).toMatch(/^Saved in the document as a scenario: 1 command, seed 1, up to /);
    const savedUpTo = /up to ([\d.]+ s)/.exec((await page.getByTestId('scenario-note').textContent())!)![1];
    await sizes('sim-scenario-saved');
    // Stop; Start again: the document's scenario is offered, and replayed exactly.
    await stopRun(page);
    await startRun(page);
    expect(await page.getByTestId('scenario-offer').textContent()).toMatch(/recorded scenario \(1 command, seed 1\)/);
    await page.getByTestId('scenario-replay').click();
    await expect.poll(() => page.getByTestId('scenario-note').textContent(), { timeout: 30_000 }).toMatch(/^Scenario replayed: paused at its end/);
    await expect.poll(() => shellText(page), { timeout: 30_000 }).toMatch(/1 packets transmitted, 1 packets received/);
    expect(await runLog(page)).toMatch(/Replayed the scenario: 1 command with seed 1, paused at/);
    // Paused at the scenario's end time, and the clock says so.
    expect(await page.getByTestId('run-clock').textContent()).toBe(savedUpTo);
    await sizes('sim-scenario-replayed');
    expect(app.errors).toEqual([]);
  });
});
