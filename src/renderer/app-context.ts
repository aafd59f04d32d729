// The editor's services handed down through React context: the stores, the clipboard, the
// file service and the live Cytoscape instance. Created once in main.tsx (or a test).
import type { Core } from 'cytoscape';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { FileService } from './file/file-service';
import type { DocState, DocStore } from './store/doc-store';
import { createClipboard } from './store/editor-actions';
import type { UiState, UiStore } from './store/ui-store';

export interface AppServices {
  docStore: DocStore;
  uiStore: UiStore;
  clipboard: ReturnType<typeof createClipboard>;
  files: FileService;
  /** Set by the canvas when it mounts. */
  cyRef: { current: Core | null };
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const s = useContext(AppContext);
  if (!s) throw new Error('AppContext missing');
  return s;
}

export function useDoc<T>(selector: (s: DocState) => T): T {
  return useStore(useServices().docStore, selector);
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useServices().uiStore, selector);
}
