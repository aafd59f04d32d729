// Run mode in a real browser: Start pc-router-pc, open a shell by double-click, ping and
// read the replies from xterm, capture on a link and inspect the echo fields, export and
// let tshark judge the file, pause/step, change a link delay live, measure frame times at
// ~1,000 packets/s, Stop and edit again. Screenshots: test-results/screenshots/run-*.png.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { REPO_ROOT, startApp, type App } from './support/app';
import { modelToPage, nodeCenter, loadDocument } from './support/canvas';

const SAMPLE = resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');
const OUT = join(REPO_ROOT, 'test-results');

let app: App;
let doc: TopologyDoc;
let pc2Addr: string;

type RunHook = {
  getState(): { status: string; clock: { nowNs: number } | null; playing: boolean; speed: number | 'max'; terminals: { session: number; nodeName: string }[]; captures: { id: number; rows: unknown[] }[] };
  shells: { transcript(s: number): string };
  animator(): { dots: unknown[] } | null;
};

const run = <T>(page: Page, fn: (r: RunHook) => T) =>
  page.evaluate((src) => {
    const r = (globalThis as unknown as { __virtnetRun: RunHook }).__virtnetRun;
    return new Function('r', `return (${src})(r)`)(r) as T;
  }, fn.toString());

async function terminalText(page: Page, session: number): Promise<string> {
  return page.evaluate((s) => {
    type Term = { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
    const dom = (globalThis as unknown as { document: { querySelector(sel: string): { __term?: Term } | null } }).document;
    const el = dom.querySelector(`[data-session="${s}"]`)!;
    const buf = el.__term!.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < buf.length; i++) out.push(buf.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  }, session);
}

/** Waits until the terminal text after the last `after` line (the command typed) matches. */
async function waitForTerminal(page: Page, session: number, re: RegExp, after = '', timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    const all = await terminalText(page, session);
    text = after ? all.slice(Math.max(0, all.lastIndexOf(after))) : all;
    if (after && !all.includes(after)) text = '';
    if (re.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal never matched ${re}:\n${text}`);
}

async function typeLine(page: Page, session: number, line: string) {
  await page.locator(`[data-session="${session}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(line, { delay: 5 });
  await page.keyboard.press('Enter');
}

async function linkMidpoint(page: Page, linkId: string) {
  const l = doc.links.find((x) => x.id === linkId)!;
  const a = doc.nodes.find((n) => n.id === l.a.node)!.position;
  const b = doc.nodes.find((n) => n.id === l.b.node)!.position;
  return modelToPage(page, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
}

function rtts(text: string): number[] {
  return [...text.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as TopologyDoc;
  const pc2 = doc.nodes.find((n) => n.name === 'pc2')!;
  pc2Addr = pc2.interfaces[0]!.ipv4[0]!.split('/')[0]!;
  app = await startApp();
  app.page.setDefaultTimeout(15_000);
  await loadDocument(app.page, doc, 'pc-router-pc.vnet');
  // Loaded and drawn: the title names the file and the canvas shows this file's nodes.
  await app.page.waitForFunction(
    (ids) => (globalThis as any).document.title === 'pc-router-pc.vnet — VirtNet' && (globalThis as any).__virtnet.cy.nodes('.node').map((n: any) => n.id().slice(2)).sort().join() === ids,
    doc.nodes.map((n) => n.id).sort().join(),
    { timeout: 30_000 },
  );
});

afterAll(async () => {
  await app?.close();
});

describe('run mode', () => {
  let session = 0;
  const l1 = () => doc.links.find((l) => [l.a.node, l.b.node].includes(doc.nodes.find((n) => n.name === 'pc2')!.id))!.id;

  it('starts, opens a shell by double-click and pings pc2 three times', async () => {
    const { page } = app;
    await page.getByTestId('tb-run').click();
    await page.locator('[data-testid=run-panel][data-status=running]').waitFor({ timeout: 30_000 });
    await app.screenshot('run-01-started');
    const p = await nodeCenter(page, 'pc1');
    await page.mouse.dblclick(p.x, p.y);
    await page.locator('[data-testid^=terminal-]').first().waitFor();
    session = (await run(page, (r) => r.getState().terminals[0]!.session)) as number;
    await waitForTerminal(page, session, /#|\$|>/);
    await typeLine(page, session, `ping -c 3 ${pc2Addr}`);
    const text = await waitForTerminal(page, session, /packets received/, `ping -c 3 ${pc2Addr}`);
    expect(text.match(new RegExp(`bytes from ${pc2Addr.replace(/\./g, '\\.')}`, 'g'))?.length).toBe(3);
    expect(text).toMatch(/3 packets transmitted, 3 packets received/);
    await app.screenshot('run-02-ping');
  });

  it('captures on the link, shows echo fields, exports a file tshark accepts', async () => {
    const { page } = app;
    const m = await linkMidpoint(page, l1());
    await page.mouse.click(m.x, m.y, { button: 'right' });
    await page.getByTestId('menu-capture-link').click();
    await page.locator('[data-testid^=capture-]').first().waitFor();
    // back to the shell, ping again, then look at the capture
    await page.locator(`[data-tab="shell:${session}"]`).click();
    await typeLine(page, session, `ping -c 2 ${pc2Addr}`);
    await waitForTerminal(page, session, /2 packets transmitted/, `ping -c 2 ${pc2Addr}`);
    await page.locator('[data-tab^="capture:"]').first().click();
    await page.getByTestId('capture-filter').fill('icmp');
    const request = page.locator('.run-packet-row', { hasText: /request/i }).first();
    await request.click();
    const tree = page.getByTestId('field-tree');
    await expect.poll(() => tree.textContent()).toMatch(/Echo \(ping\) request|Type: 8/i);
    expect(await tree.textContent()).toContain(pc2Addr);
    const srcField = tree.locator('.run-field', { hasText: /Destination.*\d+\.\d+\.\d+\.\d+/ }).first();
    await srcField.click();
    await expect.poll(() => page.locator('.run-hex .hl').count()).toBeGreaterThan(0);
    await app.screenshot('run-03-capture');
    await page.getByTestId('capture-filter').fill('icmp && ip.src==' + pc2Addr);
    // The rows of this filter: only replies (the `icmp` rows above include requests).
    const rows = () => page.locator('.run-packet-row').allTextContents();
    await expect.poll(async () => (await rows()).every((r) => /reply/i.test(r))).toBe(true);
    const replies = await rows();
    expect(replies.length).toBeGreaterThanOrEqual(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pcap').click()]);
    const file = join(OUT, 'run-capture.pcap');
    await download.saveAs(file);
    const size = readFileSync(file).length;
    expect(size).toBeGreaterThan(100);
    if (tsharkAvailable()) {
      const verdict = await validateCapture(file);
      expect(verdict.packets).toBeGreaterThanOrEqual(4);
      expect(verdict.malformed).toBe(0);
      expect(verdict.badChecksums).toBe(0);
      const icmp = await tsharkFields(file, ['icmp.type', 'ip.dst']);
      expect(icmp.some(([type, dst]) => type === '8' && dst === pc2Addr)).toBe(true);
      expect(icmp.some(([type]) => type === '0')).toBe(true);
    }
    const [ng] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pcapng').click()]);
    const ngFile = join(OUT, 'run-capture.pcapng');
    await ng.saveAs(ngFile);
    if (tsharkAvailable()) {
      const verdict = await validateCapture(ngFile);
      expect(verdict.packets).toBeGreaterThanOrEqual(4);
      expect(verdict.malformed + verdict.badChecksums).toBe(0);
    }
  });

  it('changes a link delay live and the RTT follows', async () => {
    const { page } = app;
    const m = await linkMidpoint(page, l1());
    await page.mouse.click(m.x, m.y, { button: 'right' });
    await page.getByTestId('menu-delay').fill('50');
    await page.getByTestId('menu-delay-apply').click();
    await page.locator(`[data-tab="shell:${session}"]`).click();
    await typeLine(page, session, `ping -c 2 -s 100 ${pc2Addr}`);
    const text = await waitForTerminal(page, session, /round-trip/, `ping -c 2 -s 100 ${pc2Addr}`);
    const last = rtts(text).slice(-2);
    expect(last.length).toBe(2);
    for (const t of last) expect(t).toBeGreaterThanOrEqual(100);
    await app.screenshot('run-04-delay');
    // 1 ms from here on, so stepping advances the clock and slow motion stays short —
    // this time through the properties panel, which stays editable for links while running.
    await page.mouse.click(m.x, m.y);
    await page.getByTestId('link-delayUs').fill('1000');
    await page.getByTestId('link-delayUs').press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc } }).__virtnet.getDoc().links.map((l) => l.params.delayUs))).toContain(1000);
  });

  it('opens a second shell from the context menu; history recalls a command', async () => {
    const { page } = app;
    const p = await nodeCenter(page, 'pc2');
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.getByTestId('menu-open-shell').click();
    await expect.poll(async () => ((await run(page, (r) => r.getState().terminals.length)) as number)).toBe(2);
    const second = (await run(page, (r) => r.getState().terminals[1]!.session)) as number;
    await waitForTerminal(page, second, /pc2/);
    await typeLine(page, second, 'ifconfig eth0');
    // The prompt is back (the line editor takes keys again), then edit the recalled line.
    await waitForTerminal(page, second, /inet 10\.0\.1\.20[\s\S]*\npc2#\s*$/, 'ifconfig eth0');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Home');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Delete');
    await page.keyboard.type('netstat -rn', { delay: 5 });
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    // "ifconfig eth0" → up, Home, delete "ifconfig", type "netstat -rn", End, delete " eth0"
    await waitForTerminal(page, second, /10\.0\.1\.1/, 'pc2# netstat -rn');
    await app.screenshot('run-05a-second-shell');
  });

  it('inspects a node: interfaces, ARP cache and routes', async () => {
    const { page } = app;
    const p = await nodeCenter(page, 'router1');
    await page.mouse.click(p.x, p.y);
    await page.locator('[data-tab="inspect"]').click();
    const inspect = page.getByTestId('inspect');
    await expect.poll(() => inspect.textContent()).toMatch(/10\.0\.1\.20/);
    const text = (await inspect.textContent())!;
    expect(text).toMatch(/eth0/);
    expect(text).toMatch(/eth1/);
    expect(text).toMatch(/10\.0\.0\.20/); // pc1 in the router's ARP cache
    expect(text).toMatch(/Routing table/);
    // hover pc1: its interface counters from inspect/counters
    const pc1 = await nodeCenter(page, 'pc1');
    await page.mouse.move(pc1.x, pc1.y);
    await page.mouse.move(pc1.x + 2, pc1.y + 1);
    await expect.poll(() => page.locator('.run-tooltip').textContent()).toMatch(/pc1:eth0\s+rx \d+ pkts/);
    await app.screenshot('run-05b-inspect');
  });

  it('takes a link down: drops are drawn with their reason and listed in Events', async () => {
    const { page } = app;
    const m = await linkMidpoint(page, l1());
    await page.mouse.click(m.x, m.y, { button: 'right' });
    await page.getByTestId('menu-link-updown').click();
    try {
      await page.locator(`[data-tab="shell:${session}"]`).click();
      await typeLine(page, session, `ping -c 8 ${pc2Addr}`);
      type Drops = { drops: { reason: string; node: string }[] };
      await expect.poll(async () => ((await run(page, (r) => (r.animator() as unknown as Drops).drops.length)) as number), { timeout: 20_000 }).toBeGreaterThan(0);
      const first = (await run(page, (r) => (r.animator() as unknown as Drops).drops[0]!)) as { reason: string; node: string };
      // hover the cross drawn next to the node that dropped
      const pos = await modelToPage(page, doc.nodes.find((n) => n.id === first.node)!.position);
      const zoom = (await page.evaluate(() => (globalThis as unknown as { __virtnet: { cy: { zoom(): number } } }).__virtnet.cy.zoom())) as number;
      await page.mouse.move(pos.x - 26 * zoom, pos.y - 26 * zoom);
      await page.mouse.move(pos.x - 26 * zoom + 1, pos.y - 26 * zoom);
      await expect.poll(() => page.locator('.run-tooltip').textContent()).toContain('Dropped: ');
      // The next echo requests drop there too: still one cross, with their count beside it and in the hover.
      await expect.poll(() => page.locator('.run-tooltip').textContent(), { timeout: 10_000 }).toMatch(/\n\d+ drops here in the last 4 s: \d+ link-down$/);
      await app.screenshot('run-05c-drops');
      await page.locator('[data-tab="events"]').click();
      expect(await page.getByTestId('events').textContent()).toContain(first.reason);
      await page.locator(`[data-tab="shell:${session}"]`).click();
      await page.locator(`[data-session="${session}"] .xterm-helper-textarea`).focus();
      await page.keyboard.press('Control+C');
      await waitForTerminal(page, session, /packets transmitted/, `ping -c 8 ${pc2Addr}`);
    } finally {
      await page.mouse.click(m.x, m.y, { button: 'right' });
      await page.getByTestId('menu-link-updown').click();
    }
    await page.locator(`[data-tab="shell:${session}"]`).click();
    await typeLine(page, session, `ping -c 1 ${pc2Addr}`);
    await waitForTerminal(page, session, /1 packets received/, `ping -c 1 ${pc2Addr}`);
  });

  it('pauses, steps: the clock advances and a packet dot moves', async () => {
    const { page } = app;
    await page.getByTestId('run-pause').click();
    await page.getByTestId('run-play').waitFor();
    const before = (await run(page, (r) => r.getState().clock?.nowNs ?? 0)) as number;
    await page.locator(`[data-tab="shell:${session}"]`).click();
    await typeLine(page, session, `ping -c 1 ${pc2Addr}`);
    let dots = 0;
    let after = before;
    for (let i = 0; i < 80 && (dots === 0 || after === before); i++) {
      await page.getByTestId('run-step').click();
      await page.waitForTimeout(40);
      const d = (await run(page, (r) => r.animator()?.dots.length ?? 0)) as number;
      if (d > 0 && dots === 0) await app.screenshot('run-05-step-dot');
      dots = Math.max(dots, d);
      after = (await run(page, (r) => r.getState().clock?.nowNs ?? 0)) as number;
    }
    expect(dots).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before);
    expect(await page.getByTestId('run-clock').textContent()).toMatch(/^\d+\.\d{6} s$/);
    await page.getByTestId('run-max').click();
    await page.getByTestId('run-play').click();
    await waitForTerminal(page, session, /1 packets transmitted/, `ping -c 1 ${pc2Addr}`);
    await page.getByTestId('run-max').click(); // back to 1×
  });

  it('in slow motion a single ping travels hop by hop', async () => {
    const { page } = app;
    await page.getByTestId('run-speed').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('run-speed-value').textContent()).toBe('0.010×');
    await page.locator(`[data-tab="shell:${session}"]`).click();
    await typeLine(page, session, `ping -c 1 -s 10 ${pc2Addr}`);
    // Sample which links carry a visible dot over time (wall clock in the page).
    const seen: { t: number; links: string[] }[] = [];
    const start = Date.now();
    let shot = 0;
    while (Date.now() - start < 9000) {
      const links = (await run(page, (r) => {
        const a = r.animator() as unknown as { dots: { link: string; wallStartMs: number; wallEndMs: number }[] } | null;
        const now = performance.now();
        return (a?.dots ?? []).filter((d) => d.wallStartMs <= now && now <= d.wallEndMs).map((d) => d.link);
      })) as string[];
      seen.push({ t: Date.now() - start, links });
      if (links.length > 0 && shot < 3 && seen.filter((x) => x.links.length > 0).length % 4 === 1) await app.screenshot(`run-06-slow-motion-${++shot}`);
      const t = await terminalText(page, session);
      const done = /1 packets received/.test(t.slice(t.lastIndexOf(`ping -c 1 -s 10 ${pc2Addr}`)));
      const animating = (await run(page, (r) => {
        const a = r.animator() as unknown as { dots: { wallEndMs: number }[] } | null;
        return (a?.dots ?? []).some((d) => d.wallEndMs >= performance.now());
      })) as boolean;
      if (done && !animating) break;
      await page.waitForTimeout(100);
    }
    const firstOn = (link: string) => seen.find((x) => x.links.includes(link))?.t ?? Infinity;
    const l0 = doc.links.find((l) => l.id !== l1())!.id;
    const trace = JSON.stringify(seen.filter((x) => x.links.length));
    expect(firstOn(l0), trace).toBeLessThan(firstOn(l1()));
    expect(firstOn(l1())).toBeLessThan(Infinity);
    // never two hops of the single ping drawn at once
    expect(seen.every((x) => x.links.length <= 1), trace).toBe(true);
    await page.getByTestId('run-speed').focus();
    await page.keyboard.press('End');
    await waitForTerminal(page, session, /1 packets received/, `ping -c 1 -s 10 ${pc2Addr}`);
  });

  it('keeps frame times reasonable at ~1,000 packets/s', async () => {
    const { page } = app;
    await page.getByTestId('run-speed').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('run-speed-value').textContent()).toBe('1.00×');
    // baseline: the same page idle (no traffic) for 2 s
    await page.evaluate(() => ((globalThis as unknown as { __virtnetFrameTimes: number[] }).__virtnetFrameTimes.length = 0));
    await page.waitForTimeout(2000);
    const idle = (await page.evaluate(() => (globalThis as unknown as { __virtnetFrameTimes: number[] }).__virtnetFrameTimes.slice())).sort((a, b) => a - b);
    const idleP50 = idle[Math.floor(idle.length * 0.5)] ?? NaN;
    const idleP95 = idle[Math.floor(idle.length * 0.95)] ?? NaN;
    await run(page, (r) => Object.assign((r as unknown as { stats: object }).stats, { batches: 0, events: 0, totalMs: 0, maxMs: 0 }));
    const traffic0 = (await run(page, (r) => (r.getState() as unknown as { trafficCount: number }).trafficCount)) as number;
    await page.evaluate(() => ((globalThis as unknown as { __virtnetFrameTimes: number[] }).__virtnetFrameTimes.length = 0));
    await typeLine(page, session, `ping -i 0.001 -c 3000 -q ${pc2Addr}`);
    await page.waitForTimeout(3000);
    await app.screenshot('run-07-load');
    const times = await page.evaluate(() => (globalThis as unknown as { __virtnetFrameTimes: number[] }).__virtnetFrameTimes.slice());
    const traffic = ((await run(page, (r) => (r.getState() as unknown as { trafficCount: number }).trafficCount)) as number) - traffic0;
    const batch = (await run(page, (r) => ({ ...(r as unknown as { stats: object }).stats }))) as { batches: number; events: number; totalMs: number; maxMs: number };
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length * 0.5)] ?? NaN;
    const p95 = times[Math.floor(times.length * 0.95)] ?? NaN;
    writeFileSync(join(OUT, 'run-frame-times.json'), JSON.stringify({ frames: times.length, p50, p95, traffic, batch, idle: { frames: idle.length, p50: idleP50, p95: idleP95 } }, null, 2));
    console.log(`frame times at ~1,000 pps: ${times.length} frames, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, traffic events ${traffic} in 3 s; batches ${batch.batches}, ${(batch.totalMs / Math.max(1, batch.batches)).toFixed(2)} ms avg / ${batch.maxMs.toFixed(1)} ms max main-thread per batch; idle baseline ${idle.length} frames, p50 ${idleP50.toFixed(1)} ms, p95 ${idleP95.toFixed(1)} ms`);
    expect(times.length).toBeGreaterThan(30);
    expect(traffic).toBeGreaterThan(3000);
    // A guard against a frozen UI, not a timing benchmark (figures go to run-frame-times.json;
    // measured here: p95 16.8 ms idle machine, up to ~100 ms with the other core saturated).
    expect(p95).toBeLessThan(1000);
    await page.keyboard.press('Control+C');
    await waitForTerminal(page, session, /packets transmitted/, `ping -i 0.001 -c 3000 -q ${pc2Addr}`);
  });

  it('stops (after saying what would be lost) and the topology can be edited again', async () => {
    const { page } = app;
    await page.getByTestId('tb-run').click();
    await page.getByTestId('stop-dialog').waitFor();
    await page.getByTestId('stop-discard').click();
    await page.locator('[data-testid=run-panel]').waitFor({ state: 'detached' });
    expect(await page.getByTestId('tb-run').textContent()).toMatch(/Start/);
    const nodes = await page.evaluate(() => (globalThis as unknown as { __virtnet: { getDoc(): TopologyDoc } }).__virtnet.getDoc().nodes.length);
    expect(nodes).toBe(doc.nodes.length);
    await app.screenshot('run-08-stopped');
    expect(app.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
