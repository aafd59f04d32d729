// The main-process engine host relays envelopes to a worker thread and back unchanged,
// reports a crashed worker as an engine/error event, answers the requests it took down,
// restarts it (a worker that allocates until its heap limit dies alone, not the host), and
// is absent without a bundle.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEngineHost } from '../../src/main/engine-host';
import type { ReplyMessage } from '../../src/emulator/engine/protocol';

async function script(body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'virtnet-host-'));
  const file = join(dir, 'host.cjs');
  await writeFile(file, `const { parentPort } = require('node:worker_threads');\n${body}`);
  return file;
}

describe('engine host', () => {
  it('returns null when the worker bundle is missing', () => {
    expect(startEngineHost('/nonexistent/engine-host.js', () => undefined)).toBeNull();
  });

  it('relays requests and replies', async () => {
    const file = await script(`parentPort.on('message', (m) => parentPort.postMessage({ kind: 'reply', id: m.id, ok: true, result: m.request.type }));`);
    const got: ReplyMessage[] = [];
    const host = startEngineHost(file, (m) => got.push(m))!;
    host.post({ id: 7, request: { type: 'net/stop' } });
    await expect.poll(() => got, { timeout: 10_000 }).toEqual([{ kind: 'reply', id: 7, ok: true, result: 'net/stop' }]);
    await host.dispose();
  });

  it('reports a crashing worker as an engine error event', async () => {
    const file = await script(`throw new Error('boom');`);
    const got: ReplyMessage[] = [];
    const host = startEngineHost(file, (m) => got.push(m))!;
    await expect.poll(() => got.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(got[0]).toMatchObject({ kind: 'events', events: [{ type: 'engine/error', error: { code: 'engine-died', message: expect.stringContaining('boom') } }] });
    await host.dispose();
  });

  it('replaces a dead worker on the next request', async () => {
    const file = await script(`parentPort.on('message', (m) => { if (m.request.type === 'net/stop') process.exit(3); parentPort.postMessage({ kind: 'reply', id: m.id, ok: true, result: null }); });`);
    const got: ReplyMessage[] = [];
    const host = startEngineHost(file, (m) => got.push(m))!;
    host.post({ id: 1, request: { type: 'net/stop' } });
    await expect.poll(() => got.some((m) => m.kind === 'events' && m.events.some((e) => e.type === 'engine/error' && /exited with code 3/.test(e.error.message))), { timeout: 10_000 }).toBe(true);
    host.post({ id: 2, request: { type: 'sim/pause' } });
    await expect.poll(() => got.some((m) => m.kind === 'reply' && m.id === 2), { timeout: 10_000 }).toBe(true);
    await host.dispose();
  });

  it('survives a worker that allocates until its memory limit: reports, answers, restarts', async () => {
    const file = await script(`
      const hog = [];
      parentPort.on('message', (m) => {
        if (m.request.type === 'net/start') for (;;) hog.push(new Array(1e5).fill(hog.length));
        parentPort.postMessage({ kind: 'reply', id: m.id, ok: true, result: 'alive' });
      });`);
    const got: ReplyMessage[] = [];
    const logged: string[] = [];
    const host = startEngineHost(file, (m) => got.push(m), { resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 }, log: (l) => logged.push(l) })!;
    const rssBefore = process.memoryUsage().rss;
    host.post({ id: 1, request: { type: 'net/start', doc: {} as never } });
    await expect.poll(() => got.find((m) => m.kind === 'reply' && m.id === 1), { timeout: 20_000 }).toMatchObject({ ok: false, error: { code: 'engine-died', message: expect.stringContaining('out of memory') } });
    expect(got.some((m) => m.kind === 'events' && m.events.some((e) => e.type === 'engine/error' && e.error.code === 'engine-died'))).toBe(true);
    expect(logged.some((l) => l.includes('out of memory'))).toBe(true);
    // The host process is still here, with a fresh worker that answers.
    await expect.poll(() => host.starts, { timeout: 15_000 }).toBe(2);
    host.post({ id: 2, request: { type: 'sim/pause' } });
    await expect.poll(() => got.find((m) => m.kind === 'reply' && m.id === 2), { timeout: 10_000 }).toMatchObject({ ok: true, result: 'alive' });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 * 1024);
    await host.dispose();
  });

  it('stops restarting a crash loop until the next request', async () => {
    const file = await script(`process.exit(5);`);
    const got: ReplyMessage[] = [];
    const host = startEngineHost(file, (m) => got.push(m), { maxRestarts: 2 })!;
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(3); // first start + two restarts, each reported
    await new Promise((r) => setTimeout(r, 200));
    expect(host.starts).toBe(3);
    host.post({ id: 1, request: { type: 'net/stop' } });
    await expect.poll(() => host.starts, { timeout: 15_000 }).toBe(4);
    await host.dispose();
  });
});
