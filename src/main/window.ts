// The main window: locked-down web preferences (context isolation, sandbox, no Node, no
// webview), the CSP response header, navigation/new-window/webview guards, renderer crash
// and hang handling, and the unsaved-changes close handshake with the renderer. Loads only
// the built page, or the local dev server when dev-mode.ts allows it. No remote content.
import { join } from 'node:path';
import { BrowserWindow, dialog, session, shell } from 'electron';
import { CHANNELS } from '../preload/api';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.mjs';
import { openExternalLink } from './external-links';
import { watchRenderer } from './renderer-watch';
import type { AppOrigin } from './sender';
import { guardWebContents } from './web-guards';

export const CSP = CONTENT_SECURITY_POLICY;

export const WEB_PREFERENCES = { contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true, webviewTag: false, disableBlinkFeatures: 'Auxclick' } as const;

/**
 * Only for `npm start -- --dev` (the Vite dev server with hot reload, never packaged; see
 * dev-mode.ts): React refresh needs an inline preamble and HMR a WebSocket to the local dev
 * server. (Vite's injected CSS goes through the same style bridge as the libraries'.)
 */
export const CSP_DEV = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*");

export function installCsp(dev = false): void {
  const policy = dev ? CSP_DEV : CSP;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    // electronegativity cannot read a policy held in a variable ("failed to parse"); the policy
    // is src/shared/csp.mjs, checked by test/main/window.test.ts and test/e2e/csp.test.ts.
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } }); // eng-disable CSP_GLOBAL_CHECK
  });
}

/** Asks before an allowed link leaves the app (external-links.ts holds the allowlist). */
export function confirmAndOpenExternal(win: BrowserWindow | null, url: string): void {
  void openExternalLink(url, {
    confirm: async (u) => {
      const options = { type: 'question' as const, buttons: ['Open in browser', 'Cancel'], defaultId: 1, cancelId: 1, message: 'Open this link in your web browser?', detail: u };
      const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return r.response === 0;
    },
    // Reached only through openExternalLink: https, allowlisted host, and the user said yes.
    open: (u) => shell.openExternal(u), // eng-disable OPEN_EXTERNAL_JS_CHECK
    log: (line) => console.warn(line),
  });
}

export function createMainWindow(outDir: string, devUrl: string | null, trusted: AppOrigin): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'VirtNet',
    show: false,
    backgroundColor: '#f6f7f9',
    // Spelled out (not only spread from WEB_PREFERENCES) so scanners and readers see them here.
    // The preload is ours and only exposes the typed API of src/preload/api.ts through
    // contextBridge (no ipcRenderer, no Node), so electronegativity's "review preload" is done.
    webPreferences: {
      ...WEB_PREFERENCES,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: devUrl !== null,
      preload: join(outDir, 'preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
    },
  });
  win.once('ready-to-show', () => win.show());
  // index.ts guards every web contents as it is created; guarding here too keeps a window
  // made anywhere else (tests, a future second window) just as locked down.
  guardWebContents(win.webContents, trusted, (url) => confirmAndOpenExternal(win, url));
  watchRenderer(win, {
    ask: async (message, detail, buttons) => (await dialog.showMessageBox(win, { type: 'warning', message, detail, buttons, defaultId: 0, cancelId: buttons.length - 1 })).response,
    log: (line) => console.error(`[virtnet] ${line}`),
  });
  // Ask the renderer first: it knows whether the document has unsaved changes.
  let closeAllowed = false;
  win.on('close', (event) => {
    // A dead or hung page cannot answer; its work is in the recovery store.
    if (closeAllowed || win.webContents.isCrashed()) return;
    event.preventDefault();
    win.webContents.send(CHANNELS.closeRequest);
  });
  (win as BrowserWindow & { allowClose?: () => void }).allowClose = () => {
    closeAllowed = true;
    win.close();
  };
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(outDir, 'renderer/index.html'));
  return win;
}

export function allowClose(win: BrowserWindow): void {
  (win as BrowserWindow & { allowClose?: () => void }).allowClose?.();
}
