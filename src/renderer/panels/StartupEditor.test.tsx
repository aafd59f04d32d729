// The startup editor in the node panel (happy-dom): problems appear as `line N: message`
// while typing, a blur saves the lines to NodeDoc.startup as one undo step, undo restores
// the old text, and switches (no shell) have no editor.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { AppContext, type AppServices } from '../app-context';
import type { FileService } from '../file/file-service';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { createUiStore } from '../store/ui-store';
import { PropertiesPanel } from './PropertiesPanel';
import { startupLines } from './StartupEditor';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function setup() {
  const docStore = createDocStore();
  const pc = A.placeNode(docStore, 'pc', { x: 0, y: 0 });
  const sw = A.placeNode(docStore, 'lanswitch', { x: 200, y: 0 });
  A.connectNodes(docStore, pc, sw);
  const services: AppServices = { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files: {} as FileService, cyRef: { current: null } };
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = createRoot(host);
  act(() => root.render(<AppContext.Provider value={services}><PropertiesPanel locked={false} /></AppContext.Provider>));
  act(() => docStore.getState().select({ nodes: [pc], links: [] }));
  return { docStore, host, root, pc, sw };
}

function typeArea(area: HTMLTextAreaElement, text: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
  act(() => {
    setter.call(area, text);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const errors = (host: HTMLElement) => [...host.querySelectorAll('[data-testid="node-startup-errors"] li')].map((li) => li.textContent);

describe('StartupEditor', () => {
  it('shows problems by line while typing, saves on blur as one undo step', () => {
    const { docStore, host, root, pc } = setup();
    const area = () => host.querySelector<HTMLTextAreaElement>('[data-testid="node-startup"]')!;
    expect(area().value).toBe('');
    typeArea(area(), 'ipfw add 100 deny icmp from any to any\n');
    expect(errors(host)).toEqual([]);
    typeArea(area(), 'ipfw add 100 deny icmp from any to any\nipfw add 200 alow ip from any to any\n# fine\nfrobnicate\n');
    expect(errors(host)).toEqual(['line 2: ipfw: invalid action alow', 'line 4: frobnicate: not found']);
    expect(docStore.getState().doc.nodes.find((n) => n.id === pc)!.startup).toBeUndefined(); // not saved before blur
    act(() => area().dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    expect(docStore.getState().doc.nodes.find((n) => n.id === pc)!.startup).toEqual(['ipfw add 100 deny icmp from any to any', 'ipfw add 200 alow ip from any to any', '# fine', 'frobnicate']);
    act(() => docStore.getState().undo());
    expect(docStore.getState().doc.nodes.find((n) => n.id === pc)!.startup).toBeUndefined();
    expect(area().value).toBe('');
    expect(errors(host)).toEqual([]);
    act(() => root.unmount());
  });

  it('refuses more than 1000 lines, and a switch has no editor', () => {
    const { docStore, host, root, sw } = setup();
    const area = host.querySelector<HTMLTextAreaElement>('[data-testid="node-startup"]')!;
    typeArea(area, Array.from({ length: 1001 }, () => 'true').join('\n'));
    expect(errors(host)[0]).toBe('line 1001: startup has at most 1000 lines; 1 more will not run');
    const before = docStore.getState().doc;
    act(() => area.dispatchEvent(new FocusEvent('focusout', { bubbles: true })));
    expect(docStore.getState().doc).toBe(before);
    expect(host.querySelector('[role="alert"]')?.textContent).toBe('startup has at most 1000 lines');
    act(() => docStore.getState().select({ nodes: [sw], links: [] }));
    expect(host.querySelector('[data-testid="node-startup"]')).toBeNull();
    act(() => root.unmount());
  });

  it('splits text into stored lines', () => {
    expect([startupLines(''), startupLines('a\n'), startupLines('a\r\nb'), startupLines('a\n\nb\n')]).toEqual([[], ['a'], ['a', 'b'], ['a', '', 'b']]);
  });
});
