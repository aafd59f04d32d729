// Renderer entry: creates the stores and services once, mounts the editor, and exposes a
// small read-only test hook (`window.__virtnet`) for e2e tests and benchmarks.
import './locale-guard'; // first: before any library reads navigator.language
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { rasterizeIcons } from './canvas/icons';
import { AppContext, type AppServices } from './app-context';
import { defaultFileService } from './file/file-service';
import { createDocStore } from './store/doc-store';
import { createClipboard } from './store/editor-actions';
import { createUiStore } from './store/ui-store';
import { installCspStyleBridge } from './security/csp-styles';
import './styles/app.css';

// Before any terminal or canvas exists: their CSS must not need 'unsafe-inline' (csp-styles.ts).
installCspStyleBridge();

const services: AppServices = {
  docStore: createDocStore(),
  uiStore: createUiStore(),
  clipboard: createClipboard(),
  files: defaultFileService(),
  cyRef: { current: null },
};

/** The e2e/bench hook: read state, reach the stores and the canvas. Not an app API. */
export interface VirtnetTestHook {
  getDoc(): import('../emulator/topology/document').TopologyDoc;
  services: AppServices;
  readonly cy: import('cytoscape').Core | null;
}

const hook: VirtnetTestHook = {
  getDoc: () => services.docStore.getState().doc,
  services,
  get cy() {
    return services.cyRef.current;
  },
};
(window as unknown as { __virtnet: VirtnetTestHook }).__virtnet = hook;

// Icons are rasterized before the first draw (a few ms) so the canvas draws bitmaps.
await rasterizeIcons().catch(() => undefined);
createRoot(document.getElementById('root')!).render(
  <AppContext.Provider value={services}>
    <App />
  </AppContext.Provider>,
);
