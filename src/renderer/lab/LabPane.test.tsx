// The lab pane in happy-dom: instructions rendered from Markdown with an embedded image and
// nothing executable, the check list turning green as checks pass, hints after a failed
// "Check my work", and teacher mode's live preview and check builder.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { AppContext, type AppServices } from '../app-context';
import type { FileService } from '../file/file-service';
import { createDocStore } from '../store/doc-store';
import * as A from '../store/editor-actions';
import { createUiStore } from '../store/ui-store';
import { bindLab } from './lab-session';
import { directGrader, loadLab } from './lab.test-util';
import { createLabStore } from './lab-store';
import { LabPane } from './LabPane';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function mount() {
  const docStore = createDocStore();
  const labStore = createLabStore();
  const session = bindLab({ docStore, labStore, grader: directGrader, settleMs: 0 });
  const doc = loadLab('static-routing.vnet');
  doc.lab!.instructions += `\n![topology](${PNG})\n\n<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2">\n`;
  docStore.getState().load(doc, { path: null, name: 'static-routing.vnet', format: 'vnet' });
  const services: AppServices = { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files: {} as FileService, cyRef: { current: null } };
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  await act(async () => root.render(<AppContext.Provider value={services}><LabPane labStore={labStore} session={session} grader={directGrader} /></AppContext.Provider>));
  const settle = async () => {
    for (let i = 0; i < 40; i++) await act(async () => new Promise((r) => setTimeout(r, 5)));
  };
  await settle();
  return { host, docStore, settle, q: (t: string) => host.querySelectorAll(`[data-testid="${t}"]`) };
}

describe('lab pane', () => {
  it('renders the instructions with the embedded image and nothing executable', async () => {
    const { q } = await mount();
    const md = q('lab-instructions')[0]!;
    expect(md.querySelector('h1')!.textContent).toBe('Subnetting and static routing');
    const imgs = [...md.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual([PNG, null]);
    expect(md.innerHTML).not.toMatch(/script|onerror/);
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it('shows each check failing with why, turns them green as the work passes, and releases hints', async () => {
    const { q, docStore, settle } = await mount();
    const states = () => [...q('lab-check')].map((c) => c.getAttribute('data-state'));
    expect(states()).toEqual(['fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
    expect(q('lab-score')[0]!.textContent).toMatch(/^0 \/ 10 points/);
    expect(q('lab-check')[0]!.textContent).toMatch(/r1 eth1 has no IPv4 address; none is inside 10\.0\.12\.0\/30/);
    await act(async () => (q('lab-check-work')[0] as HTMLButtonElement).click());
    await settle();
    expect([...q('lab-hint')].map((h) => h.textContent)).toEqual(['Hint: A /30 holds 4 addresses: the network (.0), two hosts (.1 and .2) and the broadcast (.3).']);
    const r1 = docStore.getState().doc.nodes.find((n) => n.name === 'r1')!.id;
    await act(async () => void A.setAddresses(docStore, r1, 'eth1', ['10.0.12.1/30']));
    await settle();
    expect(states()[0]).toBe('pass');
    expect(q('lab-score')[0]!.textContent).toMatch(/^1 \/ 10 points/);
  });

  it('teacher mode previews the instructions live and adds a check built from menus', async () => {
    const { q, docStore, settle } = await mount();
    await act(async () => (q('lab-mode-teacher')[0] as HTMLButtonElement).click());
    expect(q('lab-preview')[0]!.querySelector('h1')!.textContent).toBe('Subnetting and static routing');
    // The injected <img src="x"> is what the lab checker refuses (a lab never fetches).
    expect(q('lab-problems')[0]!.textContent).toMatch(/^instructions: image "x" must be embedded as a data:image/);
    const select = (t: string, value: string) => {
      const el = q(t)[0] as HTMLSelectElement;
      el.value = value;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const type = (t: string, value: string) => {
      const el = q(t)[0] as HTMLInputElement;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    await act(async () => select('lab-check-type', 'address'));
    await act(async () => select('lab-check-node', 'pc2'));
    await act(async () => type('lab-check-subnet', '10.0.2.0/33'));
    await act(async () => (q('lab-check-add')[0] as HTMLButtonElement).click());
    expect(q('lab-check-error')[0]!.textContent).toMatch(/10\.0\.2\.0\/33/);
    await act(async () => type('lab-check-subnet', '10.0.2.0/24'));
    await act(async () => (q('lab-check-add')[0] as HTMLButtonElement).click());
    await settle();
    const added = docStore.getState().doc.lab!.checks.at(-1)!;
    expect(added).toEqual({ id: 'address7', title: 'pc2 has an address in 10.0.2.0/24', points: 1, predicate: { type: 'address', node: 'pc2', subnet: '10.0.2.0/24' } });
    expect(q('lab-teacher-check')).toHaveLength(7);
  });

  it('teacher mode previews instructions as typed and writes them as one undo step once typing pauses', async () => {
    const { q, docStore, settle } = await mount();
    await act(async () => (q('lab-mode-teacher')[0] as HTMLButtonElement).click());
    const past = docStore.getState().past.length;
    const area = q('lab-instructions-editor')[0] as HTMLTextAreaElement;
    for (const text of ['# A', '# AB', '# ABC\n\n- one']) {
      await act(async () => {
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(area, text);
        area.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }
    expect(q('lab-preview')[0]!.querySelector('h1')!.textContent).toBe('ABC');
    expect(q('lab-preview')[0]!.querySelector('li')!.textContent).toBe('one');
    expect(docStore.getState().past.length).toBe(past);
    await act(async () => new Promise((r) => setTimeout(r, 700)));
    await settle();
    expect(docStore.getState().doc.lab!.instructions).toBe('# ABC\n\n- one');
    expect(docStore.getState().past.length).toBe(past + 1);
  });
});
