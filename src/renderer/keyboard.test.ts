// Keyboard: Escape backs out of the tool, the open menu and the selection at once.
import { describe, expect, it } from 'vitest';
import type { AppServices } from './app-context';
import type { FileService } from './file/file-service';
import { handleKey } from './keyboard';
import { createDocStore } from './store/doc-store';
import * as A from './store/editor-actions';
import { createUiStore } from './store/ui-store';

describe('handleKey', () => {
  it('Escape clears the selection, closes the menu and returns to the select tool', () => {
    const docStore = createDocStore();
    const s: AppServices = { docStore, uiStore: createUiStore(), clipboard: A.createClipboard(), files: {} as FileService, cyRef: { current: null } };
    A.placeNode(docStore, 'pc', { x: 0, y: 0 });
    s.uiStore.getState().setTool({ kind: 'link' });
    s.uiStore.getState().openMenu({ on: 'canvas', client: { x: 0, y: 0 }, model: { x: 0, y: 0 } });
    expect(docStore.getState().selection.nodes).toEqual(['n0']);
    expect(handleKey(s, new KeyboardEvent('keydown', { key: 'Escape' }), false)).toBe(true);
    expect(docStore.getState().selection).toEqual({ nodes: [], links: [], annotations: [] });
    expect(s.uiStore.getState().menu).toBeNull();
    expect(s.uiStore.getState().tool).toEqual({ kind: 'select' });
  });
});
