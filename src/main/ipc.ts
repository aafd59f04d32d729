// Main side of the IPC contract (src/preload/api.ts): validates every argument with valibot
// before acting, runs the handler, and returns errors as values. The only main file that
// touches ipcMain; it must not hold document state (the renderer owns the document).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import * as v from 'valibot';
import { CHANNELS, ENGINE_POST_ARG, INVOKE_ARGS, type InvokeArgs, type InvokeChannel, type InvokeReply, type InvokeResults } from '../preload/api';
import type { RequestMessage } from '../emulator/engine/protocol';
import { writeFileAtomic } from '../shared/node/atomic-write';
import type { RecentFiles } from './recent-files';

export const TOPOLOGY_FILTERS = [
  { name: 'Topologies', extensions: ['vnet', 'imn'] },
  { name: 'VirtNet topology', extensions: ['vnet'] },
  { name: 'IMUNES topology', extensions: ['imn'] },
];

export interface IpcDeps {
  recent: RecentFiles;
  /** Sends an engine request to the worker thread; absent when no engine host is built. */
  enginePost?: (message: RequestMessage) => void;
  /** Called when the renderer says the window may close. */
  onCloseOk?: (window: BrowserWindow) => void;
}

type Handlers = { [C in InvokeChannel]: (event: IpcMainInvokeEvent, ...args: InvokeArgs<C>) => Promise<InvokeResults[C]> };

async function openFile(path: string, recent: RecentFiles) {
  const text = await readFile(path, 'utf8');
  await recent.add(path);
  return { path, name: basename(path), text };
}

function makeHandlers(deps: IpcDeps): Handlers {
  const win = (event: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(event.sender) ?? undefined;
  return {
    'file/open': async (event) => {
      const choice = await dialog.showOpenDialog(win(event)!, { properties: ['openFile'], filters: TOPOLOGY_FILTERS });
      if (choice.canceled || choice.filePaths.length === 0) return null;
      return openFile(choice.filePaths[0]!, deps.recent);
    },
    'file/read': async (_event, path) => openFile(path, deps.recent),
    'file/save': async (_event, path, text) => {
      await writeFileAtomic(path, text);
      await deps.recent.add(path);
      return { path, name: basename(path) };
    },
    'file/choose-save-path': async (event, suggested) => {
      const choice = await dialog.showSaveDialog(win(event)!, { defaultPath: suggested, filters: TOPOLOGY_FILTERS });
      if (choice.canceled || !choice.filePath) return null;
      return { path: choice.filePath, name: basename(choice.filePath) };
    },
    'file/export': async (event, suggested, data) => {
      const choice = await dialog.showSaveDialog(win(event)!, { defaultPath: suggested });
      if (choice.canceled || !choice.filePath) return null;
      await writeFileAtomic(choice.filePath, data);
      return choice.filePath;
    },
    'file/recent': async () => deps.recent.get(),
    'window/set-title': async (event, title, dirty) => {
      const w = win(event);
      w?.setTitle(title);
      w?.setDocumentEdited(dirty);
      return null;
    },
    'window/confirm-discard': async (event, message) => {
      const r = await dialog.showMessageBox(win(event)!, { type: 'warning', buttons: ['Discard changes', 'Cancel'], defaultId: 1, cancelId: 1, message });
      return r.response === 0;
    },
  };
}

/** Validates then runs one invoke; exported for tests. */
export async function handleInvoke<C extends InvokeChannel>(handlers: Handlers, channel: C, event: IpcMainInvokeEvent, args: unknown[]): Promise<InvokeReply<C>> {
  const parsed = v.safeParse(INVOKE_ARGS[channel], args);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    return { ok: false, error: `${channel}: bad argument ${v.getDotPath(issue) ?? ''} (${issue.message})` };
  }
  try {
    const fn = handlers[channel] as (event: IpcMainInvokeEvent, ...a: unknown[]) => Promise<InvokeResults[C]>;
    return { ok: true, result: await fn(event, ...(parsed.output as unknown[])) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function registerIpc(deps: IpcDeps): void {
  const handlers = makeHandlers(deps);
  for (const channel of Object.keys(INVOKE_ARGS) as InvokeChannel[]) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => handleInvoke(handlers, channel, event, args));
  }
  ipcMain.on(CHANNELS.enginePost, (_event: IpcMainEvent, message: unknown) => {
    const parsed = v.safeParse(ENGINE_POST_ARG, message);
    if (parsed.success) deps.enginePost?.(parsed.output as unknown as RequestMessage);
  });
  ipcMain.on(CHANNELS.closeOk, (event: IpcMainEvent) => {
    const w = BrowserWindow.fromWebContents(event.sender);
    if (w) deps.onCloseOk?.(w);
  });
}
