// The canvas' right-click menu while editing: on a node (rename, properties, duplicate,
// delete), on a link (properties, delete), on the canvas (add a node here, paste). Reads
// the open menu from the UI store; acts through commands and editor-actions only.
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useDoc, useServices, useUi } from '../app-context';
import { PALETTE_KINDS } from '../canvas/icons';
import { linkTitle } from '../canvas/labels';
import { activeCanvas } from '../canvas/patch';
import * as C from '../commands';
import * as A from '../store/editor-actions';

/** Puts the keyboard in the properties panel's first field (the menu's Properties). */
function focusProperties() {
  requestAnimationFrame(() => {
    const panel = document.querySelector<HTMLElement>('.side-panel');
    panel?.querySelector<HTMLElement>('input, select')?.focus();
  });
}

interface Item {
  label: string;
  testId: string;
  run(): void;
  disabled?: boolean;
  hint?: string;
}

export function ContextMenu() {
  const s = useServices();
  const menu = useUi((u) => u.menu);
  const doc = useDoc((d) => d.doc);
  const nSelectedNodes = useDoc((d) => d.selection.nodes.length);
  const ref = useRef<HTMLDivElement>(null);
  // Opens at the pointer, moved up or left as far as needed to fit in the window.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !menu) return;
    const { width, height } = el.getBoundingClientRect();
    el.style.left = `${Math.max(4, Math.min(menu.client.x, window.innerWidth - 4 - width))}px`;
    el.style.top = `${Math.max(4, Math.min(menu.client.y, window.innerHeight - 4 - height))}px`;
  }, [menu]);

  useEffect(() => {
    if (!menu) return;
    const close = (e: Event) => {
      if (ref.current && e.target instanceof Node && ref.current.contains(e.target)) return;
      s.uiStore.getState().openMenu(null);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') s.uiStore.getState().openMenu(null);
    };
    window.addEventListener('pointerdown', close, true);
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('blur', close);
    requestAnimationFrame(() => ref.current?.querySelector<HTMLElement>('button:not(:disabled)')?.focus());
    return () => {
      window.removeEventListener('pointerdown', close, true);
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('blur', close);
    };
  }, [s, menu]);

  if (!menu) return null;
  const act = (fn: () => unknown) => () => {
    s.uiStore.getState().openMenu(null);
    fn();
  };
  let title = '';
  let items: Item[] = [];
  if (menu.on === 'node') {
    const node = doc.nodes.find((n) => n.id === menu.id);
    if (!node) return null;
    const many = nSelectedNodes > 1 ? ` ${nSelectedNodes} nodes` : '';
    title = node.name;
    items = [
      { label: 'Rename…', testId: 'menu-rename', hint: 'double-click', run: () => s.uiStore.getState().setRenaming(node.id) },
      { label: 'Properties', testId: 'menu-properties', run: act(focusProperties) },
      { label: `Duplicate${many}`, testId: 'menu-duplicate', hint: 'Ctrl+D', run: act(() => C.duplicateSelection(s)) },
      { label: `Delete${many}`, testId: 'menu-delete', hint: 'Del', run: act(() => C.deleteSelection(s)) },
    ];
  } else if (menu.on === 'link') {
    const link = doc.links.find((l) => l.id === menu.id);
    if (!link) return null;
    title = linkTitle(doc.nodes, link);
    items = [
      { label: 'Properties', testId: 'menu-properties', run: act(focusProperties) },
      { label: 'Delete link', testId: 'menu-delete', hint: 'Del', run: act(() => C.deleteSelection(s)) },
    ];
  } else {
    const ui = s.uiStore.getState();
    const at = A.snapPoint(menu.model, ui.snapToGrid ? ui.gridPx : null);
    const canvas = activeCanvas(doc, ui.canvas);
    title = 'Canvas';
    items = [
      ...PALETTE_KINDS.map((p) => ({ label: `Add ${p.label} here`, testId: `menu-add-${p.kind}`, run: act(() => A.placeNode(s.docStore, p.kind, at, canvas)) })),
      { label: 'Paste here', testId: 'menu-paste', hint: 'Ctrl+V', disabled: s.clipboard.size === 0, run: act(() => s.clipboard.pasteAt(s.docStore, at, ui.snapToGrid ? ui.gridPx : null)) },
    ];
  }
  return (
    <div ref={ref} className="context-menu" role="menu" aria-label={title} style={{ left: menu.client.x, top: menu.client.y }} data-testid="context-menu">
      <div className="context-menu-title">{title}</div>
      {items.map((it) => (
        <button key={it.testId} type="button" role="menuitem" disabled={it.disabled} data-testid={it.testId} onClick={it.run}>
          <span>{it.label}</span>
          {it.hint && <span className="context-menu-hint">{it.hint}</span>}
        </button>
      ))}
    </div>
  );
}
