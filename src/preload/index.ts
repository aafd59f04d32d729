// Preload: exposes the narrow typed window API (`window.virtnet`) over contextBridge. One of
// the two files that touch IPC (with src/main/ipc.ts); it must not expose ipcRenderer
// itself or any Node API to the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, type InvokeChannel, type InvokeReply, type MenuCommand, type VirtnetDesktopApi } from './api';
import type { ReplyMessage, RequestMessage } from '../emulator/engine/protocol';

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const api: VirtnetDesktopApi = {
  platform: process.platform,
  async invoke(channel: InvokeChannel, ...args: unknown[]) {
    const reply = (await ipcRenderer.invoke(channel, ...args)) as InvokeReply<typeof channel>;
    if (!reply.ok) throw new Error(reply.error);
    return reply.result as never;
  },
  onMenu: (listener) => subscribe<MenuCommand>(CHANNELS.menu, listener),
  onCloseRequest: (listener) => subscribe<void>(CHANNELS.closeRequest, () => listener()),
  closeOk: () => ipcRenderer.send(CHANNELS.closeOk),
  engine: {
    post: (message: RequestMessage) => ipcRenderer.send(CHANNELS.enginePost, message),
    onMessage: (listener) => subscribe<ReplyMessage>(CHANNELS.engineMessage, listener),
  },
};

contextBridge.exposeInMainWorld('virtnet', api);
