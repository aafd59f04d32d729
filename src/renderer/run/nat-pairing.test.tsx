// The capture view shows NAT on both sides: frames from the real engine (ipfw nat on a
// router, captures on its inside and outside interfaces) are paired, both rows get a NAT
// badge, and the selected packet says what was translated and where its twin is.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { World } from '../../emulator/engine/world';
import { runCommand } from '../../emulator/shell';
import { summarizeFrame } from '../../emulator/wire/decode';
import type { CapturedFrameEvent } from '../../emulator/engine/protocol';
import { CaptureView } from './CaptureView';
import { appendFrames, newCaptureInfo } from './capture-store';
import { createRunStore } from './run-store';
import { pcRouterPc } from './real-engine.test-util';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

/** pc1 pings pc2 through router1, which hides 10.0.0.0/24 behind 10.0.1.1 (ipfw nat); captures on router1 eth0 and eth1. */
function natFrames(nat: boolean): CapturedFrameEvent[][] {
  const w = new World(pcRouterPc(), { seed: 2 });
  if (nat) {
    for (const c of ['ipfw -q nat 1 config if eth1', 'ipfw -q add 100 nat 1 ip from any to any via eth1', 'ipfw -q add 200 allow ip from any to any']) expect(runCommand(w, 'router1', c).exitCode).toBe(0);
  }
  const caps = ['eth0', 'eth1'].map((iface) => w.startCapture({ kind: 'iface', node: 'router1', iface }));
  expect(runCommand(w, 'pc1', 'ping -c 2 10.0.1.20').output).toContain('2 packets received');
  return caps.map((c, k) =>
    c.frames.map((f, i) => ({ type: 'capture/frame', capture: k + 1, index: i, timeNs: f.timeNs, where: c.where[0], direction: f.direction, frame: f.frameId, bytes: f.frame })),
  );
}

function storeWith(frames: CapturedFrameEvent[][]) {
  const store = createRunStore({ createPort: () => { throw new Error('unused'); }, summarize: summarizeFrame, schedule: (cb) => cb(), nowMs: () => 0 });
  frames.forEach((_, k) => store.captureMap.set(k + 1, newCaptureInfo(k + 1, `router1:eth${k}`, { kind: 'iface', node: 'n1', iface: `eth${k}` })));
  // Frames arrive interleaved in time, as the engine streams them.
  const all = frames.flat().sort((a, b) => a.timeNs - b.timeNs);
  for (const f of all) appendFrames(store.captureMap, [f], summarizeFrame);
  return store;
}

describe('capture view: NAT-translated packets on both sides', () => {
  it('pairs each echo with its translation, badges both rows and explains the selected one', () => {
    const store = storeWith(natFrames(true));
    const inside = store.captureMap.get(1)!.rows.filter((r) => r.proto === 'icmp');
    const outside = store.captureMap.get(2)!.rows.filter((r) => r.proto === 'icmp');
    expect(inside.length).toBe(4);
    expect(inside.every((r) => r.translated !== undefined)).toBe(true);
    expect(outside.every((r) => r.translated !== undefined)).toBe(true);
    const req = inside.find((r) => r.src === '10.0.0.20')!;
    expect(req.translated!.text).toMatch(/^source 10\.0\.0\.20 id=0x[0-9a-f]{4} ⇄ 10\.0\.1\.1 id=0x[0-9a-f]{4}$/);
    expect(req.translated!.peer).toMatchObject({ capture: 2, where: 'router1:eth1' });
    const reply = outside.find((r) => r.dst === '10.0.1.1')!;
    expect(reply.translated!.text).toMatch(/^destination 10\.0\.1\.1 id=0x[0-9a-f]{4} ⇄ 10\.0\.0\.20 id=0x[0-9a-f]{4}$/);

    const el = document.createElement('div');
    el.style.height = '400px';
    document.body.appendChild(el);
    root = createRoot(el);
    act(() => root!.render(<CaptureView store={store} capture={1} />));
    const rows = [...el.querySelectorAll<HTMLElement>('.run-packet-row')];
    const icmpRows = rows.filter((r) => /ICMP/.test(r.textContent ?? ''));
    expect(icmpRows.every((r) => r.querySelector('[data-testid=nat-badge]') !== null)).toBe(true);
    act(() => icmpRows[0].click());
    const note = el.querySelector('[data-testid=nat-note]')!.textContent!;
    expect(note).toMatch(/^Translated by NAT: source 10\.0\.0\.20 id=0x[0-9a-f]{4} ⇄ 10\.0\.1\.1 id=0x[0-9a-f]{4}\. The same packet is No\. \d+ on router1:eth1\.$/);
  });

  it('a plain router forwards without translation: nothing is paired', () => {
    const store = storeWith(natFrames(false));
    for (const c of store.captureMap.values()) expect(c.rows.every((r) => r.translated === undefined)).toBe(true);
  });
});
