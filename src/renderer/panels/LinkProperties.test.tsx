// The link panel in happy-dom: a bad value is refused inline with the topology module's
// reason and the document is untouched; a good value is applied as one undo step.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { AppContext, type AppServices } from '../app-context';
import type { FileService } from '../file/file-service';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { createUiStore } from '../store/ui-store';
import { PropertiesPanel } from './PropertiesPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function setup() {
  const docStore = createDocStore();
  const a = A.placeNode(docStore, 'pc', { x: 0, y: 0 });
  const b = A.placeNode(docStore, 'router', { x: 200, y: 0 });
  A.connectNodes(docStore, a, b);
  const services: AppServices = { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files: {} as FileService, cyRef: { current: null } };
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = createRoot(host);
  act(() => root.render(<AppContext.Provider value={services}><PropertiesPanel locked={false} /></AppContext.Provider>));
  return { docStore, host, root };
}

function type(input: HTMLInputElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  act(() => {
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
}

describe('LinkProperties', () => {
  it('refuses a negative delay inline and applies a good one', () => {
    const { docStore, host, root } = setup();
    expect(host.querySelector('[data-testid="link-props"]')).not.toBeNull();
    // Named as a person reads it: by its ends, not by its id.
    expect(host.querySelector('[data-testid="link-title"]')?.textContent).toBe('pc1:eth0 — router1:eth0');
    expect(host.textContent).not.toContain('l0');
    const before = docStore.getState().doc;
    const delay = host.querySelector<HTMLInputElement>('[data-testid="link-delayUs"]')!;
    type(delay, '-5');
    expect(host.querySelector('[data-testid="link-delayUs-error"]')?.textContent).toMatch(/delay must be 0/);
    expect(docStore.getState().doc).toBe(before);
    expect(delay.value).toBe('-5'); // the user's text stays, never clamped

    type(delay, '2000');
    expect(docStore.getState().doc.links[0]!.params.delayUs).toBe(2000);
    expect(host.querySelector('[data-testid="link-delayUs-error"]')).toBeNull();
    expect(host.textContent).toContain('= 2 ms');

    const loss = host.querySelector<HTMLInputElement>('[data-testid="link-lossPercent"]')!;
    type(loss, '101');
    expect(host.querySelector('[data-testid="link-lossPercent-error"]')?.textContent).toMatch(/loss must be between 0 and 100/);
    act(() => root.unmount());
  });

  it('edits one direction of a link, then both, and takes the carrier down', () => {
    const { docStore, host, root } = setup();
    const dir = host.querySelector<HTMLSelectElement>('[data-testid="link-direction"]')!;
    expect([...dir.options].map((o) => o.textContent)).toEqual(['Both directions', 'pc1 → router1', 'router1 → pc1']);
    act(() => {
      dir.value = 'ba';
      dir.dispatchEvent(new Event('change', { bubbles: true }));
    });
    type(host.querySelector<HTMLInputElement>('[data-testid="link-delayUs"]')!, '7000');
    const link = () => docStore.getState().doc.links[0]!;
    expect(link().params.delayUs).toBe(0);
    expect(link().paramsBA?.delayUs).toBe(7000);
    act(() => {
      dir.value = 'ab';
      dir.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(host.querySelector<HTMLInputElement>('[data-testid="link-delayUs"]')!.value).toBe('0');
    type(host.querySelector<HTMLInputElement>('[data-testid="link-delayUs"]')!, '7000');
    expect(link().paramsBA).toBeUndefined(); // symmetric again
    const up = host.querySelector<HTMLInputElement>('[data-testid="link-up"]')!;
    act(() => up.click());
    expect(link().up).toBe(false);
    act(() => root.unmount());
  });

  it('shows the node panel with its IMUNES address after selecting a node', () => {
    const { docStore, host, root } = setup();
    act(() => docStore.getState().select({ nodes: ['n0'], links: [] }));
    expect(host.querySelector<HTMLInputElement>('[data-testid="iface-eth0-ipv4"]')?.value).toBe('10.0.0.20/24');
    act(() => root.unmount());
  });
});
