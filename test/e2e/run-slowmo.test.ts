// Run mode as a teacher uses it, at 1280×720 on zero-delay links (the default): at 0.01×
// every hop is drawn in order and the ping reply prints only after the last hop's dot;
// Step draws one hop per click with the clock at the event's time; `max` does not survive
// Stop/Start and the slider leaves it; Pause never moves the clock back; Stop asks and
// saves transcripts and captures; link edits while running raise a notice; Events name
// links by their endpoints; the splitter resizes the panel. Screenshots at 1280×720 and
// 1920×1080 go to test-results/screenshots/slowmo-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LINK_PARAMS, DOC_VERSION, type TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { nodeCenter, loadDocument } from './support/canvas';

const OUT = join(REPO_ROOT, 'test-results');

/** pc1 — sw1 — pc2, zero-delay links, laid out left to right. */
function pcSwitchPc(): TopologyDoc {
  const pc = (id: string, name: string, x: number, ip: string, mac: string) => ({
    id, kind: 'pc', name, canvas: 'c0', position: { x, y: 200 },
    interfaces: [{ name: 'eth0', type: 'phys' as const, mac, ipv4: [ip], ipv6: [] }], routes4: [], routes6: [],
  });
  return {
    version: DOC_VERSION,
    nodes: [
      pc('n0', 'pc1', 100, '10.0.0.20/24', '42:00:aa:00:00:01'),
      { id: 'n1', kind: 'lanswitch', name: 'sw1', canvas: 'c0', position: { x: 350, y: 200 }, interfaces: [{ name: 'e0', type: 'phys', ipv4: [], ipv6: [] }, { name: 'e1', type: 'phys', ipv4: [], ipv6: [] }], routes4: [], routes6: [] },
      pc('n2', 'pc2', 600, '10.0.0.21/24', '42:00:aa:00:00:02'),
    ],
    links: [
      { id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'e0' }, params: { ...DEFAULT_LINK_PARAMS } },
      { id: 'l1', a: { node: 'n1', iface: 'e1' }, b: { node: 'n2', iface: 'eth0' }, params: { ...DEFAULT_LINK_PARAMS } },
    ],
    annotations: [],
    canvases: [{ id: 'c0', name: 'Canvas0' }],
  } as TopologyDoc;
}

type Dot = { frame: number; link: string; proto: string; from: string; wallStartMs: number; wallEndMs: number };
type RunHook = {
  getState(): Record<string, unknown> & { status: string; speed: number | 'max'; clock: { nowNs: number } | null; terminals: { session: number }[]; clockText(): string; displayNs(): number };
  shells: { transcript(s: number): string };
  animator(): { dots: Dot[] } | null;
};

/** The page's DOM as the functions passed to page.evaluate see it (this project has no DOM lib). */
type PageDom = {
  document: { querySelector(sel: string): { textContent: string | null; click(): void } | null };
  localStorage: { getItem(k: string): string | null; removeItem(k: string): void };
  requestAnimationFrame(cb: (t: number) => void): number;
};

const run = <T>(page: Page, fn: (r: RunHook) => T) =>
  page.evaluate((src) => {
    const r = (globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun;
    return new Function('r', `return (${src})(r)`)(r) as T;
  }, fn.toString()) as Promise<T>;

async function terminalText(page: Page, session: number): Promise<string> {
  return page.evaluate((s) => {
    type Term = { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
    const el = (globalThis as unknown as { document: { querySelector(sel: string): { __term?: Term } | null } }).document.querySelector(`[data-session="${s}"]`)!;
    const buf = el.__term!.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  }, session);
}

/** From now on, every hop the animator is given (slow motion, Step) is logged in the page. */
async function recordHops(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Hop = { frame: number; link: string; proto: string; startMs: number; endMs: number };
    const g = globalThis as unknown as { __virtnetRun: RunHook; __hops: Hop[] };
    g.__hops = [];
    const a = g.__virtnetRun.animator() as unknown as { addHop(e: { frame: number; link: string; proto: string }, s: number, e2: number): void; __recording?: boolean };
    if (a.__recording) return;
    a.__recording = true;
    const add = a.addHop.bind(a);
    a.addHop = (e, startMs, endMs) => {
      g.__hops.push({ frame: e.frame, link: e.link, proto: e.proto, startMs, endMs });
      add(e, startMs, endMs);
    };
  });
}

function drawnHops(page: Page) {
  return page.evaluate(() => (globalThis as unknown as { __hops: { frame: number; link: string; proto: string; startMs: number; endMs: number }[] }).__hops.slice());
}

async function typeLine(page: Page, session: number, line: string) {
  await page.locator(`[data-tab="shell:${session}"]`).click();
  await page.locator(`[data-session="${session}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

async function waitForTerminal(page: Page, session: number, re: RegExp, after: string, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    const all = await terminalText(page, session);
    text = all.includes(after) ? all.slice(all.lastIndexOf(after)) : '';
    if (re.test(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`terminal never matched ${re}:\n${text}`);
}

let app: App;
let session = 0;

beforeAll(async () => {
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
  await app.page.evaluate(() => (globalThis as unknown as PageDom).localStorage.removeItem('virtnet.runPanelHeight'));
  await loadDocument(app.page, pcSwitchPc(), 'pc-switch-pc.vnet');
  await app.page.waitForFunction(() => (globalThis as unknown as { __virtnet: { getDoc(): { nodes: { name: string }[] } } }).__virtnet.getDoc().nodes.some((n) => n.name === 'sw1'));
});

afterAll(async () => {
  await app?.close();
});

describe('run mode on zero-delay links', () => {
  it('starts with a canvas taller than the panel, and a shell on pc1', async () => {
    const { page } = app;
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const panel = (await page.getByTestId('run-panel').boundingBox())!;
    expect(canvas.height).toBeGreaterThan(300);
    expect(panel.height).toBeLessThan(canvas.height);
    const p = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(p.x, p.y);
    await page.locator('[data-testid^=terminal-]').first().waitFor();
    session = await run(page, (r) => r.getState().terminals[0]!.session);
    await waitForTerminal(page, session, /#/, 'pc1');
  });

  it('at 0.01× draws every hop in order and prints the reply after the last hop', async () => {
    const { page } = app;
    await page.getByTestId('run-speed').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('run-speed-value').textContent()).toBe('0.010×');
    await recordHops(page);
    await typeLine(page, session, 'ping -c 1 10.0.0.21');
    // When the reply line lands in the shell (sampled every animation frame in the page).
    const replyMs = await page.evaluate(async (s) => {
      const r = (globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun;
      const t0 = performance.now();
      while (performance.now() - t0 < 30_000) {
        await new Promise((res) => (globalThis as unknown as PageDom).requestAnimationFrame(res));
        if (/bytes from 10\.0\.0\.21/.test(r.shells.transcript(s))) return performance.now();
      }
      return -1;
    }, session);
    const hops = await drawnHops(page);
    await app.screenshot('slowmo-01-slow-motion-1280');
    const icmp = hops.filter((h) => h.proto === 'icmp');
    const arp = hops.filter((h) => h.proto === 'arp');
    const text = JSON.stringify({ replyMs, hops });
    expect(replyMs, text).toBeGreaterThan(0);
    expect(arp.map((h) => h.link), text).toEqual(['l0', 'l1', 'l1', 'l0']);
    expect(icmp.map((h) => h.link), text).toEqual(['l0', 'l1', 'l1', 'l0']);
    // each hop is drawn for a visible while, after the one before it has arrived, and the
    // reply line comes after the last hop has arrived on screen
    for (const h of hops) expect(h.endMs - h.startMs, text).toBeGreaterThanOrEqual(400);
    for (let i = 1; i < hops.length; i++) expect(hops[i]!.startMs, text).toBeGreaterThanOrEqual(hops[i - 1]!.endMs);
    expect(replyMs, text).toBeGreaterThanOrEqual(icmp.at(-1)!.endMs);
    await waitForTerminal(page, session, /1 packets received/, 'ping -c 1 10.0.0.21');
    // once more, to look at a hop in flight (ARP is cached now: four hops)
    await typeLine(page, session, 'ping -c 1 -s 8 10.0.0.21');
    await page.waitForFunction(() => {
      const r = (globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun;
      const now = performance.now();
      return (r.animator()?.dots ?? []).some((d) => d.link === 'l1' && d.wallStartMs + 150 <= now && now <= d.wallEndMs - 100);
    });
    await app.screenshot('slowmo-01b-hop-in-flight-1280');
    await waitForTerminal(page, session, /1 packets received/, 'ping -c 1 -s 8 10.0.0.21');
  });

  it('Step draws one hop per click, the clock at the event time', async () => {
    const { page } = app;
    await page.getByTestId('run-speed').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('run-speed-value').textContent()).toBe('1.00×');
    await page.getByTestId('run-pause').click();
    await page.getByTestId('run-play').waitFor();
    const replies = () => page.evaluate((sess) => ((globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun.shells.transcript(sess).match(/bytes from 10\.0\.0\.21/g) ?? []).length, session);
    const replies0 = await replies();
    await recordHops(page);
    await typeLine(page, session, 'ping -c 2 10.0.0.21');
    // pc1 sends its first echo request when the command runs: that hop is drawn without a Step
    await expect.poll(async () => (await drawnHops(page)).length).toBe(1);
    const steps: { newHops: number; hopMs: number; clock: string; engine: string; replies: number }[] = [];
    for (let i = 0; i < 40 && (steps.at(-1)?.replies ?? 0) < replies0 + 2; i++) {
      const hopsBefore = (await drawnHops(page)).length;
      const repliesBefore = await replies();
      await page.getByTestId('run-step').click();
      // wait for what the step brought: a new hop drawn, or a reply printed
      await expect.poll(async () => (await drawnHops(page)).length > hopsBefore || (await replies()) > repliesBefore, { timeout: 10_000 }).toBe(true);
      const engine = await run(page, (r) => r.getState().clock!.nowNs);
      const engineText = `${(Math.floor(engine / 1000) / 1e6).toFixed(6)} s`;
      await expect.poll(() => page.getByTestId('run-clock').textContent()).toBe(engineText);
      const hops = await drawnHops(page);
      const fresh = hops.slice(hopsBefore);
      steps.push({ newHops: fresh.length, hopMs: fresh[0] ? fresh[0].endMs - fresh[0].startMs : 0, clock: engineText, engine: engineText, replies: await replies() });
      if (i === 1) await app.screenshot('slowmo-02-step-1280');
    }
    const text = JSON.stringify(steps, null, 1);
    expect(steps.at(-1)!.replies, text).toBe(replies0 + 2);
    // one hop per step, each drawn for a visible while; steps without a hop deliver a reply
    expect(steps.every((s) => s.newHops <= 1), text).toBe(true);
    expect(steps.filter((s) => s.newHops === 1).every((s) => s.hopMs >= 400), text).toBe(true);
    expect((await drawnHops(page)).length, text).toBe(8); // two echo exchanges, four hops each
    expect(steps.filter((s) => s.newHops === 0).length, text).toBeLessThanOrEqual(2);
    // the clock moved on to the second ping, one virtual second later
    const secs = steps.map((s) => parseFloat(s.clock));
    for (let i = 1; i < secs.length; i++) expect(secs[i]!, text).toBeGreaterThanOrEqual(secs[i - 1]!);
    expect(secs.at(-1)! - secs[0]!, text).toBeGreaterThanOrEqual(0.99);
    await page.getByTestId('run-play').click();
    await waitForTerminal(page, session, /2 packets received/, 'ping -c 2 10.0.0.21');
  });

  it('never moves the clock back on Pause, and shows the engine time when paused', async () => {
    const { page } = app;
    await page.waitForTimeout(300);
    const samples = await page.evaluate(async () => {
      const dom = (globalThis as unknown as PageDom).document;
      const el = dom.querySelector('[data-testid=run-clock]')!;
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        await new Promise((res) => (globalThis as unknown as PageDom).requestAnimationFrame(res));
        out.push(parseFloat(el.textContent ?? '0'));
      }
      dom.querySelector('[data-testid=run-pause]')!.click();
      for (let i = 0; i < 30; i++) {
        await new Promise((res) => (globalThis as unknown as PageDom).requestAnimationFrame(res));
        out.push(parseFloat(el.textContent ?? '0'));
      }
      return out;
    });
    for (let i = 1; i < samples.length; i++) expect(samples[i]!, JSON.stringify(samples)).toBeGreaterThanOrEqual(samples[i - 1]!);
    const engine = await run(page, (r) => r.getState().clock!.nowNs);
    expect(await page.getByTestId('run-clock').textContent()).toBe(`${(Math.floor(engine / 1000) / 1e6).toFixed(6)} s`);
    await page.getByTestId('run-play').click();
  });

  it('names links by endpoints in Events, and says link edits change the topology', async () => {
    const { page } = app;
    // take l1 down and up again through the document, as the link menu does
    const m = await page.evaluate(() => {
      const cy = (globalThis as unknown as { __virtnet: { cy: import('cytoscape').Core } }).__virtnet.cy;
      const e = cy.getElementById('l:l1');
      const p = e.renderedMidpoint();
      const r = cy.container()!.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(m.x, m.y, { button: 'right' });
    expect(await page.getByTestId('run-menu').textContent()).toContain('sw1:e1 — pc2:eth0');
    await page.getByTestId('menu-link-updown').click();
    await page.getByTestId('link-edit-notice').waitFor();
    await page.locator('[data-tab="events"]').click();
    await expect.poll(() => page.getByTestId('events').textContent()).toContain('link sw1:e1 — pc2:eth0 down');
    await page.mouse.click(m.x, m.y, { button: 'right' });
    await page.getByTestId('menu-delay').fill('5');
    await page.getByTestId('menu-delay-apply').click();
    await expect.poll(() => page.getByTestId('events').textContent()).toContain('link sw1:e1 — pc2:eth0: delay 5 ms');
    await page.mouse.click(m.x, m.y, { button: 'right' });
    await page.getByTestId('menu-link-updown').click();
    const events = (await page.getByTestId('events').textContent())!;
    expect(events).not.toMatch(/link l\d|delayUs=/);
    await app.screenshot('slowmo-03-events-1280');
  });

  it('resizes the run panel with a splitter (drag and keyboard), and remembers it', async () => {
    const { page } = app;
    const h0 = (await page.getByTestId('run-panel').boundingBox())!.height;
    const c0 = (await page.getByTestId('canvas').boundingBox())!.height;
    const grip = (await page.getByTestId('run-splitter').boundingBox())!;
    const x = grip.x + grip.width / 2;
    const y = grip.y + grip.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(x, y - 16 * i);
    await page.mouse.up();
    await expect.poll(async () => (await page.getByTestId('run-panel').boundingBox())!.height).toBeGreaterThan(h0 + 70);
    await expect.poll(async () => (await page.getByTestId('canvas').boundingBox())!.height).toBeLessThan(c0 - 70);
    const h1 = (await page.getByTestId('run-panel').boundingBox())!.height;
    await page.getByTestId('run-splitter').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await page.getByTestId('run-panel').boundingBox())!.height).toBeCloseTo(h1 - 48, -1);
    expect(Number(await page.evaluate(() => (globalThis as unknown as PageDom).localStorage.getItem('virtnet.runPanelHeight')))).toBeCloseTo(h1 - 48, -1);
    expect(await page.getByTestId('run-splitter').getAttribute('role')).toBe('separator');
    // back to the default for the screenshots
    await page.evaluate(() => (globalThis as unknown as PageDom).localStorage.removeItem('virtnet.runPanelHeight'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
  });

  it('looks right at 1280×720 and 1920×1080 with a terminal, a capture and events', async () => {
    const { page } = app;
    await run(page, (r) => (r.getState() as unknown as { startCapture(t: unknown): Promise<number> }).startCapture({ kind: 'link', link: 'l0' }));
    await typeLine(page, session, 'ping -c 2 10.0.0.21');
    await waitForTerminal(page, session, /2 packets received/, 'ping -c 2 10.0.0.21');
    await app.screenshot('slowmo-04-terminal-1280');
    await page.locator('[data-tab^="capture:"]').first().click();
    await page.getByTestId('capture-filter').fill('icmp.type==8');
    await expect.poll(() => page.locator('.run-packet-row').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.run-packet-row', { hasText: /reply/i }).count()).toBe(0);
    await page.locator('.run-packet-row').first().click();
    await app.screenshot('slowmo-05-capture-1280');
    await page.getByTestId('capture-filter').fill('ip.addr==999.1.1.1');
    await expect.poll(() => page.locator('.run-filter-error').textContent()).toMatch(/not an IPv4 address/);
    await page.getByTestId('capture-filter').fill('icmp');
    await page.setViewportSize({ width: 1920, height: 1080 });
    // the canvas refits to the bigger window: the topology sits in the middle of it
    const offCentre = () =>
      page.evaluate(() => {
        const cy = (globalThis as unknown as { __virtnet: { cy: import('cytoscape').Core } }).__virtnet.cy;
        const bb = cy.elements().renderedBoundingBox();
        return Math.max(Math.abs((bb.x1 + bb.x2) / 2 - cy.width() / 2) / cy.width(), Math.abs((bb.y1 + bb.y2) / 2 - cy.height() / 2) / cy.height());
      });
    await expect.poll(offCentre).toBeLessThan(0.1);
    await app.screenshot('slowmo-06-capture-1920');
    await page.locator(`[data-tab="shell:${session}"]`).click();
    await page.waitForTimeout(200);
    await app.screenshot('slowmo-07-terminal-1920');
    await page.locator('[data-tab="events"]').click();
    await app.screenshot('slowmo-08-events-1920');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(300);
  });

  it('asks before Stop loses a transcript and a capture, and saves them', async () => {
    const { page } = app;
    await page.getByTestId('tb-run').click();
    const dialog = page.getByTestId('stop-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Shell transcript of pc1/);
    expect(await dialog.textContent()).toMatch(/Capture pc1:eth0 — sw1:e0 \(\d+ frames not saved\)/);
    await app.screenshot('slowmo-09-stop-dialog-1280');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=run-panel]').getAttribute('data-status')).toBe('running');
    await page.getByTestId('tb-run').click();
    const downloads: string[] = [];
    page.on('download', async (d) => {
      const file = join(OUT, `slowmo-${d.suggestedFilename()}`);
      await d.saveAs(file);
      downloads.push(file);
    });
    await page.getByTestId('stop-save').click();
    await page.locator('[data-testid=run-panel]').waitFor({ state: 'detached' });
    await expect.poll(() => downloads.length).toBe(2);
    const txt = downloads.find((f) => f.endsWith('.txt'))!;
    const pcapng = downloads.find((f) => f.endsWith('.pcapng'))!;
    expect(readFileSync(txt, 'utf8')).toMatch(/ping -c 1 10\.0\.0\.21\n[\s\S]*1 packets received/);
    expect(readFileSync(pcapng).readUInt32LE(0)).toBe(0x0a0d0d0a);
  });

  it('does not keep max across Stop/Start, and the slider leaves max', async () => {
    const { page } = app;
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    await page.getByTestId('run-max').click();
    await expect.poll(() => page.getByTestId('run-speed-value').textContent()).toBe('max');
    await page.getByTestId('tb-run').click(); // nothing typed, nothing captured: stops at once
    await page.locator('[data-testid=run-panel]').waitFor({ state: 'detached' });
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-speed-value').textContent()).toBe('1.00×');
    await app.screenshot('slowmo-10-restarted-1280');
    await page.getByTestId('run-max').click();
    await page.getByTestId('run-speed').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('run-speed-value').textContent()).toBe('0.010×');
    await page.waitForTimeout(300); // clock events sent at max must not bring it back
    expect(await page.getByTestId('run-speed-value').textContent()).toBe('0.010×');
    expect(await run(page, (r) => r.getState().speed)).toBe(0.01);
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel]').waitFor({ state: 'detached' });
    expect(app.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
