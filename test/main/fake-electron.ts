// A fake `electron` module for main-process unit tests under plain Node: records ipcMain
// registrations and lets tests script dialog answers. Only what src/main uses.
import { vi } from 'vitest';

export const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
export const listeners = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
export const dialogAnswers = { open: [] as string[], save: '' as string, box: 0 };
export const fakeWindow = { setTitle: vi.fn(), setDocumentEdited: vi.fn(), webContents: { send: vi.fn() } };

/** The built renderer's page, as `appOrigin('/app/out/renderer/index.html', null)` trusts it. */
export const APP_INDEX = '/app/out/renderer/index.html';
export const APP_URL = 'file:///app/out/renderer/index.html';

/** An IPC event as Electron delivers it: the sending web contents and frame. */
export function ipcEvent(url = APP_URL, opts: { parent?: unknown; id?: number } = {}) {
  return { sender: { id: opts.id ?? 1, send: vi.fn() }, senderFrame: { url, parent: opts.parent ?? null } };
}

export const electronMock = {
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => handlers.set(channel, fn),
    on: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => listeners.set(channel, fn),
  },
  BrowserWindow: { fromWebContents: () => fakeWindow },
  dialog: {
    showOpenDialog: vi.fn(async () => ({ canceled: dialogAnswers.open.length === 0, filePaths: dialogAnswers.open })),
    showSaveDialog: vi.fn(async () => ({ canceled: !dialogAnswers.save, filePath: dialogAnswers.save })),
    showMessageBox: vi.fn(async () => ({ response: dialogAnswers.box })),
  },
  Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
  app: {},
  session: {},
  shell: { openExternal: vi.fn(async () => undefined) },
};
