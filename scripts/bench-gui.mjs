// `npm run bench:gui`: opens browser mode in headless Chromium with a 500-node topology and
// measures frame times (requestAnimationFrame deltas) while panning, zooming and dragging a
// node with real mouse gestures; prints p50/p95/max per gesture. Run through tsx (it reuses
// the TypeScript e2e harness and the topology edit operations).
import { startApp } from '../test/e2e/support/app.ts';
import { nodeCenter, canvasPoint } from '../test/e2e/support/canvas.ts';
import { emptyDocument } from '../src/emulator/topology/document.ts';
import * as E from '../src/emulator/topology/edit.ts';

const NODES = Number(process.env.BENCH_NODES ?? 500);

/** Switches in a chain, each with a fan of PCs: `NODES` nodes in all, laid out on a grid. */
function bigTopology(total) {
  let doc = emptyDocument();
  const perSwitch = 9;
  const switches = Math.ceil(total / (perSwitch + 1));
  let count = 0;
  let prevSwitch = null;
  for (let s = 0; s < switches && count < total; s++) {
    const col = s % 10;
    const row = Math.floor(s / 10);
    const cx = 200 + col * 420;
    const cy = 200 + row * 420;
    const sw = E.addNode(doc, 'lanswitch', { x: cx, y: cy });
    doc = sw.doc;
    count++;
    if (prevSwitch) {
      const l = E.addLink(doc, prevSwitch, sw.nodeId);
      if (!('error' in l)) doc = l.doc;
    }
    prevSwitch = sw.nodeId;
    for (let i = 0; i < perSwitch && count < total; i++) {
      const a = (2 * Math.PI * i) / perSwitch;
      const pc = E.addNode(doc, 'pc', { x: Math.round(cx + 150 * Math.cos(a)), y: Math.round(cy + 150 * Math.sin(a)) });
      doc = pc.doc;
      count++;
      const l = E.addLink(doc, sw.nodeId, pc.nodeId);
      if (!('error' in l)) doc = l.doc;
    }
  }
  return doc;
}

function stats(deltas) {
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { frames: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? NaN };
}

async function measure(page, action) {
  await page.evaluate(() => {
    // Each measurement has its own generation so a previous loop cannot leak into it.
    const g = globalThis;
    const gen = (g.__gen = (g.__gen ?? 0) + 1);
    g.__frames = [];
    g.__recording = true;
    let last = null;
    const tick = () => {
      // performance.now(), not the rAF timestamp: headless Chromium's frame timestamps can jump.
      const t = performance.now();
      if (!g.__recording || g.__gen !== gen) return;
      if (last !== null) g.__frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await action();
  return page.evaluate(() => {
    globalThis.__recording = false;
    return globalThis.__frames;
  });
}

const doc = bigTopology(NODES);
console.log(`bench:gui — ${doc.nodes.length} nodes, ${doc.links.length} links`);
const app = await startApp({ viewport: { width: 1440, height: 900 } });
try {
  const { page } = app;
  const load = await page.evaluate((d) => {
    const t0 = performance.now();
    globalThis.__virtnet.services.docStore.getState().load(d, { path: null, name: 'bench.vnet', format: 'vnet' });
    const t1 = performance.now();
    return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r({ storeAndPatchMs: t1 - t0, firstDrawMs: performance.now() - t1 }))));
  }, doc);
  console.log(`load: store + canvas patch ${load.storeAndPatchMs.toFixed(0)} ms, first draw ${load.firstDrawMs.toFixed(0)} ms`);
  await page.evaluate(() => globalThis.__virtnet.cy.zoom({ level: 0.6, renderedPosition: { x: 400, y: 300 } }));

  const results = {};
  const steps = 40;
  results.pan = await measure(page, async () => {
    const a = await canvasPoint(page, 0.5, 0.5);
    // A pan on the empty background between nodes.
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    for (let i = 1; i <= steps; i++) await page.mouse.move(a.x - i * 8, a.y - i * 5);
    await page.mouse.up();
  });
  results.zoom = await measure(page, async () => {
    const a = await canvasPoint(page, 0.5, 0.5);
    await page.mouse.move(a.x, a.y);
    for (let i = 0; i < steps; i++) await page.mouse.wheel(0, i < steps / 2 ? -60 : 60);
  });
  // Bring a node into view before measuring its drag.
  await page.evaluate((id) => globalThis.__virtnet.cy.center(globalThis.__virtnet.cy.getElementById(`n:${id}`)), doc.nodes[5].id);
  await page.waitForTimeout(1000);
  const p = await nodeCenter(page, doc.nodes[5].name);
  results.drag = await measure(page, async () => {
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    for (let i = 1; i <= steps; i++) await page.mouse.move(p.x + i * 4, p.y + i * 3);
    await page.mouse.up();
  });
  const all = [];
  for (const [name, deltas] of Object.entries(results)) {
    const s = stats(deltas);
    all.push(...deltas);
    console.log(`${name.padEnd(5)} frames=${s.frames} p50=${s.p50.toFixed(1)} ms p95=${s.p95.toFixed(1)} ms max=${s.max.toFixed(1)} ms`);
  }
  const s = stats(all);
  console.log(`all   frames=${s.frames} p50=${s.p50.toFixed(1)} ms p95=${s.p95.toFixed(1)} ms max=${s.max.toFixed(1)} ms`);
  await app.screenshot('bench-500-nodes');
  if (app.errors.length) console.log(`page errors:\n${app.errors.join('\n')}`);
} finally {
  await app.close();
}
