// The capture tab in happy-dom with real decoding: list, filter, detail tree, hex highlight.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeFrame } from '../../emulator/wire/decode';
import { CaptureView } from './CaptureView';
import { appendFrames } from './capture-store';
import { createRunStore } from './run-store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const hex = (s: string) => new Uint8Array(s.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const echo = (type: '08' | '00', src: string, dst: string) =>
  hex(`420000aa0002 420000aa0001 0800 4500 0054 0001 0000 4001 0000 ${src} ${dst} ${type}00 0000 0001 0000` + '00'.repeat(56));
const arp = hex('ffffffffffff 420000aa0001 0806 0001 0800 0604 0001 420000aa0001 0a000014 000000000000 0a000001' + '00'.repeat(18));

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

describe('CaptureView', () => {
  it('lists, filters, decodes and highlights bytes of captured frames', async () => {
    const store = createRunStore({ createPort: () => { throw new Error('unused'); }, summarize: summarizeFrame, schedule: (cb) => cb(), nowMs: () => 0 });
    store.captureMap.set(1, { id: 1, name: 'pc1:eth0', target: { kind: 'iface', node: 'n0', iface: 'eth0' }, running: true, rows: [], frames: 0, savedFrames: 0 });
    appendFrames(store.captureMap, [
      { type: 'capture/frame', capture: 1, index: 0, timeNs: 1000, where: 'pc1:eth0', direction: 'out', frame: 1, bytes: arp },
      { type: 'capture/frame', capture: 1, index: 1, timeNs: 2000, where: 'pc1:eth0', direction: 'out', frame: 2, bytes: echo('08', '0a000014', '0a000114') },
      { type: 'capture/frame', capture: 1, index: 2, timeNs: 3000, where: 'pc1:eth0', direction: 'in', frame: 3, bytes: echo('00', '0a000114', '0a000014') },
    ], summarizeFrame);
    const el = document.createElement('div');
    el.style.height = '400px';
    document.body.appendChild(el);
    root = createRoot(el);
    act(() => root!.render(<CaptureView store={store} capture={1} />));
    const rows = () => [...el.querySelectorAll('.run-packet-row')];
    expect(rows()).toHaveLength(3);
    expect(rows()[1]!.textContent).toContain('10.0.0.20');
    expect(rows()[1]!.textContent).toMatch(/ICMP/);

    const input = el.querySelector<HTMLInputElement>('[data-testid=capture-filter]')!;
    const setFilter = (v: string) => act(() => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(input, v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    setFilter('icmp && ip.src==10.0.1.20');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.getAttribute('data-no')).toBe('3');
    setFilter('ip.addr==');
    expect(el.querySelector('.run-filter-error')).not.toBeNull();
    setFilter('');
    expect(rows()).toHaveLength(3);

    act(() => (rows()[1] as HTMLElement).click());
    const fields = [...el.querySelectorAll<HTMLElement>('.run-field')];
    expect(fields.some((f) => /Internet Protocol/i.test(f.textContent ?? ''))).toBe(true);
    expect(fields.some((f) => /Echo/i.test(f.textContent ?? ''))).toBe(true);
    const srcField = fields.find((f) => /Source.*10\.0\.0\.20/.test(f.textContent ?? ''))!;
    expect(srcField).toBeDefined();
    act(() => srcField.click());
    const hl = [...el.querySelectorAll('.run-hex-bytes .hl')].map((s) => s.textContent).join(' ');
    expect(hl).toBe('0a 00 00 14');
    expect(store.getState().highlight?.node).toBeUndefined(); // doc not loaded: no node to flash
  });
});
