// The Stop dialog in happy-dom: changed node files listed per node with their paths (a long
// list shortened), ticked by default; unticking one keeps only the others; with only files
// changed the first button keeps them without a file saver.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { StopDialog } from './StopDialog';
import type { StopPrompt } from './run-state';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

function render(prompt: StopPrompt, canSave: boolean) {
  const answers: unknown[][] = [];
  const el = document.createElement('div');
  document.body.appendChild(el);
  root = createRoot(el);
  act(() => root!.render(<StopDialog prompt={prompt} canSave={canSave} onAnswer={(...a) => void answers.push(a)} />));
  return { el, answers };
}

const files: StopPrompt['files'] = [
  { node: 'n0', nodeName: 'pc1', files: {}, changed: ['/a', '/b', '/c', '/d', '/e', '/f'] },
  { node: 'n1', nodeName: 'server', files: {}, changed: ['/usr/local/etc/dhcpd.conf'] },
];

describe('StopDialog', () => {
  it('lists the changed files per node, ticked; unticking one keeps the others', () => {
    const { el, answers } = render({ shells: [{ session: 1, nodeName: 'pc1' }], captures: [], files }, true);
    expect(el.textContent).toContain('Shell transcript of pc1');
    expect([...el.querySelectorAll('[data-testid="stop-files"] li')].map((li) => li.textContent!.trim())).toEqual(['pc1: /a, /b, /c, /d and 2 more', 'server: /usr/local/etc/dhcpd.conf']);
    const box = el.querySelector<HTMLInputElement>('[data-testid="stop-keep-pc1"]')!;
    expect(box.checked).toBe(true);
    act(() => box.click());
    expect(box.checked).toBe(false);
    const save = el.querySelector<HTMLButtonElement>('[data-testid="stop-save"]')!;
    expect(save.textContent).toBe('Save, keep ticked files and stop');
    act(() => save.click());
    expect(answers).toEqual([['save', ['n1']]]);
  });

  it('with only files changed, keeps them even without a file saver', () => {
    const { el, answers } = render({ shells: [], captures: [], files }, false);
    expect(el.textContent).not.toContain('throws these away');
    const save = el.querySelector<HTMLButtonElement>('[data-testid="stop-save"]')!;
    expect(save.textContent).toBe('Keep ticked files and stop');
    act(() => save.click());
    act(() => el.querySelector<HTMLButtonElement>('[data-testid="stop-discard"]')!.click());
    expect(answers).toEqual([['save', ['n0', 'n1']], ['discard']]);
  });
});
