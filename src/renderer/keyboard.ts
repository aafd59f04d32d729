// Keyboard shortcuts of the editor (they also work in browser mode, where there is no
// menu). Ignores keys typed into form fields. Must not edit the document directly.
import type { AppServices } from './app-context';
import * as C from './commands';

/** Escape backs out of whatever is under way: a menu, a tool, then the selection. */
function escape(s: AppServices): void {
  const ui = s.uiStore.getState();
  ui.openMenu(null);
  ui.setTool({ kind: 'select' });
  s.docStore.getState().select({ nodes: [], links: [], annotations: [] });
}

export function handleKey(s: AppServices, e: KeyboardEvent, locked: boolean): boolean {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return false;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  const run = (fn: () => unknown) => {
    e.preventDefault();
    void fn();
    return true;
  };
  if (mod && key === 's') return run(() => (e.shiftKey ? C.saveDocumentAs(s) : C.saveDocument(s)));
  if (mod && key === 'o') return run(() => C.openDocument(s));
  if (key === 'escape') return run(() => escape(s));
  if (mod && key === '0') return run(() => C.fit(s));
  if (locked) return false;
  if (mod && key === 'z' && !e.shiftKey) return run(() => C.undo(s));
  if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) return run(() => C.redo(s));
  if (mod && key === 'c') return run(() => C.copy(s));
  if (mod && key === 'v') return run(() => C.paste(s));
  if (mod && key === 'd') return run(() => C.duplicateSelection(s));
  if (mod && key === 'a') return run(() => C.selectAll(s));
  if (key === 'delete' || key === 'backspace') return run(() => C.deleteSelection(s));
  if (!mod && key === 'l') return run(() => s.uiStore.getState().setTool({ kind: 'link' }));
  if (!mod && key === 'v') return run(() => s.uiStore.getState().setTool({ kind: 'select' }));
  return false;
}
