// Electron main entry: wires the window, menu, CSP, permission and navigation guards, IPC,
// the recovery store and the engine worker host. Kept thin on purpose; all logic lives in
// the modules it composes. Must not touch documents.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import { CHANNELS } from '../preload/api';
import { devRendererUrl } from './dev-mode';
import { startEngineHost, type EngineHost } from './engine-host';
import { FileCapabilities } from './file-capabilities';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { RecentFiles } from './recent-files';
import { RecoveryStore } from './recovery-store';
import { appOrigin } from './sender';
import { denyAllPermissions, guardWebContents } from './web-guards';
import { allowClose, confirmAndOpenExternal, createMainWindow, installCsp } from './window';

const outDir = join(__dirname, '..');
const devUrl = devRendererUrl({ isPackaged: app.isPackaged, env: process.env });
const trusted = appOrigin(join(outDir, 'renderer/index.html'), devUrl);
let mainWindow: BrowserWindow | null = null;
let engine: EngineHost | null = null;

// Every web contents, present or future, gets the same guards (no pop-ups, no navigation
// away, no webviews), not only the main window.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, trusted, (url) => confirmAndOpenExternal(mainWindow, url)));

async function boot(): Promise<void> {
  await app.whenReady();
  installCsp(devUrl !== null);
  denyAllPermissions(session.defaultSession);
  const userData = app.getPath('userData');
  const caps = new FileCapabilities();
  const recent = new RecentFiles(join(userData, 'recent-files.json'));
  const recovery = new RecoveryStore(join(userData, 'recovery'), caps);
  engine = startEngineHost(join(__dirname, 'engine-host.js'), (message) => mainWindow?.webContents.send(CHANNELS.engineMessage, message), {
    log: (line) => console.error(`[virtnet] ${line}`),
  });
  registerIpc({ recent, caps, recovery, trusted, enginePost: (m) => engine?.post(m), onCloseOk: allowClose });
  installMenu(() => mainWindow, devUrl !== null);
  const open = () => {
    mainWindow = createMainWindow(outDir, devUrl, trusted);
    mainWindow.on('closed', () => (mainWindow = null));
  };
  open();
  app.on('activate', () => {
    if (!mainWindow) open();
  });
}

app.on('window-all-closed', () => {
  void engine?.dispose();
  if (process.platform !== 'darwin') app.quit();
});

boot().catch((err: unknown) => {
  dialog.showErrorBox('VirtNet could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
