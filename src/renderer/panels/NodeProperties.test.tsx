// The node panel in happy-dom: IPv6 addresses and IPv6 static routes are edited beside the
// IPv4 ones, a bad or duplicate value is refused inline, and the canvas can label them.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { AppContext, type AppServices } from '../app-context';
import { linkEndLabel } from '../canvas/labels';
import type { FileService } from '../file/file-service';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { createUiStore } from '../store/ui-store';
import { PropertiesPanel } from './PropertiesPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function setup() {
  const docStore = createDocStore();
  const pc = A.placeNode(docStore, 'pc', { x: 0, y: 0 });
  const router = A.placeNode(docStore, 'router', { x: 200, y: 0 });
  A.connectNodes(docStore, pc, router);
  docStore.getState().select({ nodes: [pc], links: [], annotations: [] });
  const services: AppServices = { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files: {} as FileService, cyRef: { current: null } };
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = createRoot(host);
  act(() => root.render(<AppContext.Provider value={services}><PropertiesPanel locked={false} /></AppContext.Provider>));
  return { docStore, host, root, pc, router };
}

function type(input: HTMLInputElement, text: string, commit = true) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  if (commit) act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
}

describe('NodeProperties IPv6', () => {
  it('edits IPv6 addresses, refuses bad and duplicate ones inline, and keeps IPv4', () => {
    const { docStore, host, root, pc, router } = setup();
    const iface = () => docStore.getState().doc.nodes.find((n) => n.id === pc)!.interfaces[0]!;
    const v4 = iface().ipv4;
    const field = host.querySelector<HTMLInputElement>('[data-testid="iface-eth0-ipv6"]')!;
    expect(field).not.toBeNull();
    type(field, 'fc00::zz/64');
    expect(host.querySelector('[data-testid="iface-eth0-ipv6-error"]')?.textContent).toMatch(/fc00::zz/);
    A.setAddresses6(docStore, router, 'eth0', ['fc00::1/64']);
    type(field, 'fc00:0::1/64');
    expect(host.querySelector('[data-testid="iface-eth0-ipv6-error"]')?.textContent).toBe('fc00:0::1 is already used by another interface');
    type(field, 'fc00::20/64, fc00:1::20/64');
    expect(iface().ipv6).toEqual(['fc00::20/64', 'fc00:1::20/64']);
    expect(iface().ipv4).toEqual(v4);
    expect(linkEndLabel(docStore.getState().doc.nodes.find((n) => n.id === pc), 'eth0', { names: true, addresses: false, interfaces: false, ipv6: true, linkParams: false })).toBe('fc00::20/64');
    act(() => root.unmount());
  });

  it('adds and removes an IPv6 static route, refusing an IPv4 gateway', () => {
    const { docStore, host, root, pc } = setup();
    const node = () => docStore.getState().doc.nodes.find((n) => n.id === pc)!;
    const before = node().routes6;
    const box = host.querySelector('[data-testid="routes6"]')!;
    const [dest, gw] = box.querySelectorAll<HTMLInputElement>('input');
    const add = () => act(() => void [...box.querySelectorAll('button')].find((b) => b.textContent === 'Add')!.click());
    type(dest!, 'fc00:9::/64', false);
    type(gw!, '10.0.0.1', false);
    add();
    expect(box.querySelector('[role="alert"]')?.textContent).toBeTruthy();
    type(gw!, 'fc00::1', false);
    add();
    expect(node().routes6).toEqual([...before, { dest: 'fc00:9::/64', gateway: 'fc00::1' }]);
    const rows = box.querySelectorAll<HTMLElement>('[data-testid="route6-row"]');
    expect(rows).toHaveLength(before.length + 1);
    act(() => void rows[rows.length - 1]!.querySelector('button')!.click());
    expect(node().routes6).toEqual(before);
    act(() => root.unmount());
  });
});
