// Electron main entry: wires the window, menu, CSP, IPC and the engine worker host. Kept
// thin on purpose; all logic lives in the modules it composes. Must not touch documents.
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { CHANNELS } from '../preload/api';
import { startEngineHost, type EngineHost } from './engine-host';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { RecentFiles } from './recent-files';
import { allowClose, createMainWindow, installCsp } from './window';

const outDir = join(__dirname, '..');
let mainWindow: BrowserWindow | null = null;
let engine: EngineHost | null = null;

async function boot(): Promise<void> {
  await app.whenReady();
  installCsp(Boolean(process.env['ELECTRON_RENDERER_URL']));
  const recent = new RecentFiles(join(app.getPath('userData'), 'recent-files.json'));
  engine = startEngineHost(join(__dirname, 'engine-host.js'), (message) => mainWindow?.webContents.send(CHANNELS.engineMessage, message));
  registerIpc({ recent, enginePost: (m) => engine?.post(m), onCloseOk: allowClose });
  installMenu(() => mainWindow);
  mainWindow = createMainWindow(outDir, process.env['ELECTRON_RENDERER_URL']);
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (!mainWindow) mainWindow = createMainWindow(outDir, process.env['ELECTRON_RENDERER_URL']);
  });
}

app.on('window-all-closed', () => {
  void engine?.dispose();
  if (process.platform !== 'darwin') app.quit();
});

void boot();
