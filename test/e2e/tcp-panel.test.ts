// The TCP views in a real browser (issue 14): iperf3 -s & on pc2 and iperf3 -c on pc1
// through a lossy 10 Mbit/s router hop; right-click pc1 → TCP connections, pick the data
// connection, both uPlot graphs fill while the network runs and losses are explained;
// the capture on pc1 follows the stream. Screenshots: tcp-panel-*, tcp-follow-*.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { REPO_ROOT, startApp, type App } from './support/app';
import { nodeCenter, runDocument } from './support/canvas';
import { focus, terminalOf, waitFor } from './support/terminal';

const SAMPLE = resolve(REPO_ROOT, 'assets/samples/pc-router-pc.vnet');

let app: App;
let doc: TopologyDoc;

beforeAll(async () => {
  doc = JSON.parse(readFileSync(SAMPLE, 'utf8')) as TopologyDoc;
  for (const l of doc.links) l.params = { ...l.params, bandwidthBps: 10_000_000, delayUs: 5000 };
  doc.links[1]!.params.lossPercent = 1;
  app = await startApp({ viewport: { width: 1280, height: 720 } });
  app.page.setDefaultTimeout(15_000);
  await runDocument(app.page, doc, 'pc-router-pc.vnet');
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('TCP connection panel and Follow TCP Stream', () => {
  it('iperf3 between two pcs: both graphs fill live, losses explained, the capture follows the stream', async () => {
    const { page } = app;
    const pc2Addr = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!.split('/')[0]!;
    const server = await terminalOf(page, 'pc2');
    await focus(page, server);
    await page.keyboard.type('iperf3 -s &\r');
    await waitFor(page, server, /pc2# $/);
    const pc1 = await nodeCenter(page, 'pc1');
    await page.mouse.click(pc1.x, pc1.y, { button: 'right' });
    await page.getByTestId('menu-capture-eth0').click();
    await page.locator('[data-tab^="capture:"]').first().waitFor();
    const client = await terminalOf(page, 'pc1');
    await focus(page, client);
    await page.keyboard.type(`iperf3 -c ${pc2Addr} -t 20\r`);
    await waitFor(page, client, /Connecting to host/);

    await page.mouse.click(pc1.x, pc1.y, { button: 'right' });
    await page.getByTestId('menu-tcp').click();
    const rows = page.getByTestId('tcp-conn').filter({ hasText: /5201.*ESTABLISHED/ });
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    // The control connection comes first, the data connection after it.
    await rows.last().click();
    const points = (id: string) => page.getByTestId(id).getAttribute('data-points').then(Number);
    await expect.poll(() => points('tcp-seq-chart'), { timeout: 30_000 }).toBeGreaterThan(200);
    await expect.poll(() => points('tcp-cc-chart'), { timeout: 30_000 }).toBeGreaterThan(100);
    // uPlot drew: each chart has its canvas, each title names its series.
    await expect.poll(() => page.locator('.run-chart canvas').count()).toBe(2);
    const titles = await page.locator('.run-tcp-chart-title').allTextContents();
    expect(titles[0]).toMatch(/segment.*retransmitted.*SACK.*ACK.*window/);
    expect(titles[1]).toMatch(/cwnd.*ssthresh.*goodput/);
    await expect.poll(() => page.getByTestId('tcp-why').textContent(), { timeout: 30_000 }).toMatch(/retransmitted: (3 duplicate ACKs|SACK recovery|partial ACK in fast recovery)|RTO expired/);
    await app.screenshot('tcp-panel-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(600);
    await app.screenshot('tcp-panel-1920');
    await page.setViewportSize({ width: 1280, height: 720 });

    await waitFor(page, client, /iperf Done\./, 60_000);
    await page.locator('[data-tab^="capture:"]').first().click();
    // Stream 0 is iperf3's control connection (the capture started before it): text both ways.
    await page.getByTestId('capture-filter').fill('tcp.stream eq 0 and tcp.dstport == 5201 and tcp.len > 0');
    await page.locator('.run-packet-row').first().click();
    await expect.poll(() => page.getByTestId('field-tree').textContent()).toMatch(/\[Stream index: \d+\].*Sequence Number: \d+ +\(relative sequence number\)/s);
    await page.getByTestId('follow-tcp').click();
    const dialog = page.getByTestId('follow-stream');
    await dialog.waitFor();
    expect(await page.getByTestId('capture-filter').inputValue()).toMatch(/^tcp\.stream eq \d+$/);
    await expect.poll(() => dialog.locator('.run-follow-turn.dir0').count()).toBeGreaterThan(0);
    expect(await dialog.locator('.run-follow-turn.dir1').count()).toBeGreaterThan(0);
    expect(await dialog.textContent()).toMatch(/10\.0\.0\.\d+:\d+ → 10\.0\.1\.\d+:5201: \d+ bytes/);
    await app.screenshot('tcp-follow-1280');
    await page.getByTestId('follow-mode').selectOption('hex');
    expect(await dialog.locator('.run-follow-turn').first().textContent()).toMatch(/^00000000 {2}[0-9a-f]{2} /);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(400);
    await app.screenshot('tcp-follow-1920');
    await page.getByTestId('follow-close').click();
    // The handshake's options, decoded: the SYN of the data connection.
    await page.getByTestId('capture-filter').fill('tcp.stream eq 1 and tcp.flags.syn == 1 and tcp.flags.ack == 0');
    await page.locator('.run-packet-row').first().click();
    const tree = page.getByTestId('field-tree');
    await expect.poll(() => tree.textContent()).toMatch(/Maximum segment size: 1460 bytes.*Window scale: 6 \(multiply by 64\).*SACK permitted.*Timestamps: TSval \d+, TSecr 0/s);
    expect(await tree.textContent()).toMatch(/\[Window size scaling factor: -2 \(no window scaling used\)\].*\[Checksum Status: Good\]/s);
    await app.screenshot('tcp-tree-1920');
    expect(app.errors).toEqual([]);
  }, 180_000);
});
