// The main window: secure web preferences (context isolation, sandbox, no Node), the CSP
// response header, blocked navigation/new windows, and the unsaved-changes close handshake
// with the renderer. Must not load remote content.
import { join } from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { CHANNELS } from '../preload/api';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.mjs';

export const CSP = CONTENT_SECURITY_POLICY;

export const WEB_PREFERENCES = { contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true } as const;

/**
 * Only for `npm start -- --dev` (the Vite dev server with hot reload): React refresh needs
 * an inline preamble and HMR a WebSocket to the local dev server. Never used for the app
 * as built and shipped.
 */
export const CSP_DEV = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*");

export function installCsp(dev = false): void {
  const policy = dev ? CSP_DEV : CSP;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}

export function createMainWindow(outDir: string, devUrl: string | undefined): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'VirtNet',
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: { ...WEB_PREFERENCES, preload: join(outDir, 'preload/index.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  // Ask the renderer first: it knows whether the document has unsaved changes.
  let closeAllowed = false;
  win.on('close', (event) => {
    if (closeAllowed) return;
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
