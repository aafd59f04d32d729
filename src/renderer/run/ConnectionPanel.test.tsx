// The TCP tab on the real engine (memory port): iperf3 between two pcs, the panel lists the
// connection, watching it streams samples into both graphs (uPlot itself is replaced by a
// stand-in that records what it is given: happy-dom has no canvas), and leaving the
// connection stops the engine's recording.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionPanel } from './ConnectionPanel';
import { disposeRealEngine, pcRouterPc, storeOnRealEngine } from './real-engine.test-util';

vi.mock('./UPlotChart', () => ({
  UPlotChart: ({ data, testId }: { data: (number | null)[][]; testId: string }) => (
    <div data-testid={testId} data-points={data[0]!.length} data-series={data.slice(1).map((c) => c.filter((v) => v !== null).length).join(',')} />
  ),
}));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
  disposeRealEngine();
});

/** The engine's wall clock: each step of `until` runs the network for 200 ms of virtual time. */
let wallMs = 0;

/** Runs the engine and lets the panel's polls (every 5 ms) answer, until `what` holds. */
const until = async (what: () => boolean, settle: () => Promise<void>, tries = 40) => {
  for (let i = 0; i < tries && !what(); i++) {
    await act(async () => {
      wallMs += 200;
      await settle();
      await new Promise((r) => setTimeout(r, 15));
    });
  }
  expect(what()).toBe(true);
};

describe('ConnectionPanel', () => {
  it('lists iperf3 connections, draws both graphs live, explains nothing when nothing was lost, and stops recording when closed', async () => {
    const { store, settle } = storeOnRealEngine(() => wallMs);
    // A 10 Mbit/s hop keeps each engine tick to a few virtual seconds of transfer.
    const doc = pcRouterPc();
    doc.links[1]!.params.bandwidthBps = 10_000_000;
    await store.getState().start(doc);
    await store.getState().play();
    const server = (await store.getState().openShell('n2'))!;
    await store.getState().exec(server, 'iperf3 -s &');
    const client = (await store.getState().openShell('n0'))!;
    await store.getState().exec(client, 'iperf3 -c 10.0.1.20 -t 3000');
    store.getState().openTcp('n0');
    expect(store.getState().activeTab).toBe('tcp');
    const el = document.createElement('div');
    document.body.appendChild(el);
    root = createRoot(el);
    act(() => root!.render(<ConnectionPanel store={store} pollMs={{ list: 5, samples: 5 }} />));
    const rows = () => [...el.querySelectorAll<HTMLElement>('[data-testid=tcp-conn]')];
    await until(() => rows().some((r) => /5201/.test(r.textContent ?? '') && /ESTABLISHED/.test(r.textContent ?? '')), settle);
    // iperf3 opens a control connection first, then the data connection: watch the busiest.
    const data = rows().filter((r) => /5201/.test(r.textContent ?? '')).pop()!;
    act(() => data.click());
    const points = (id: string) => Number(el.querySelector(`[data-testid=${id}]`)?.getAttribute('data-points') ?? 0);
    await until(() => points('tcp-seq-chart') > 100 && points('tcp-cc-chart') > 100, settle);
    const [segments, , acks, windows] = el.querySelector('[data-testid=tcp-seq-chart]')!.getAttribute('data-series')!.split(',').map(Number);
    expect(segments).toBeGreaterThan(50);
    expect(acks).toBeGreaterThan(10);
    expect(windows).toBe(acks);
    const [cwnd, , goodput] = el.querySelector('[data-testid=tcp-cc-chart]')!.getAttribute('data-series')!.split(',').map(Number);
    expect(cwnd).toBeGreaterThan(10);
    expect(goodput).toBeGreaterThan(0);
    expect(el.querySelector('[data-testid=tcp-stats]')!.textContent).toMatch(/cubic|newreno/);
    expect(el.querySelector('[data-testid=tcp-why]')!.textContent).toContain('None yet.');
    // Leaving the connection turns the engine's log off: sampling it is refused afterwards.
    const conn = data.dataset.conn!;
    act(() => root!.unmount());
    root = null;
    await act(settle);
    const r = await store.getState().tcpSamples('n0', conn, 0);
    expect(r.ok).toBe(false);
    await store.getState().stop();
  }, 60_000);
});
