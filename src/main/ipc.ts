// Main side of the IPC contract (src/preload/api.ts): refuses any sender but the app's own
// page, validates every argument with valibot before acting, runs the handler, and returns
// errors as values. Files are reached only through handles main issued (file-capabilities).
// The only main file that touches ipcMain; it must not hold document state.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import * as v from 'valibot';
import { CHANNELS, INVOKE_ARGS, type InvokeArgs, type InvokeChannel, type InvokeReply, type InvokeResults } from '../preload/api';
import type { ReplyMessage, RequestMessage } from '../emulator/engine/protocol';
import { writeFileAtomic } from '../shared/node/atomic-write';
import { checkEngineRequest } from './engine-requests';
import type { FileCapabilities } from './file-capabilities';
import type { RecentFiles } from './recent-files';
import type { RecoveryStore } from './recovery-store';
import { isTrustedSender, type AppOrigin, type SenderFrame } from './sender';

export const TOPOLOGY_FILTERS = [
  { name: 'Topologies', extensions: ['vnet', 'imn'] },
  { name: 'VirtNet topology', extensions: ['vnet'] },
  { name: 'IMUNES topology', extensions: ['imn'] },
];

export interface IpcDeps {
  recent: RecentFiles;
  /** Handles for the paths the user chose; the only way to name a file over IPC. */
  caps: FileCapabilities;
  recovery: RecoveryStore;
  /** The app's own page: every other sender is refused. */
  trusted: AppOrigin;
  /** Where refusals are reported (default console.warn). */
  log?: (line: string) => void;
  /** Sends an engine request to the worker thread; absent when no engine host is built. */
  enginePost?: (message: RequestMessage) => void;
  /** Called when the renderer says the window may close. */
  onCloseOk?: (window: BrowserWindow) => void;
}

type Handlers = { [C in InvokeChannel]: (event: IpcMainInvokeEvent, ...args: InvokeArgs<C>) => Promise<InvokeResults[C]> };

/** The largest topology main reads (the same bound as a save's text in the contract). */
export const OPEN_BYTES_MAX = 64 * 1024 * 1024;

async function openFile(path: string, deps: IpcDeps) {
  // A device or a huge file would never finish or would exhaust memory: refuse it up front.
  const st = await stat(path);
  if (!st.isFile()) throw new Error(`${basename(path)} is not a regular file`);
  if (st.size > OPEN_BYTES_MAX) throw new Error(`${basename(path)} is ${Math.ceil(st.size / 1048576)} MB; topology files are at most ${OPEN_BYTES_MAX / 1048576} MB`);
  const text = await readFile(path, 'utf8');
  await deps.recent.add(path);
  return { handle: deps.caps.grant(path), name: basename(path), text };
}

function makeHandlers(deps: IpcDeps): Handlers {
  const win = (event: IpcMainInvokeEvent) => BrowserWindow.fromWebContents(event.sender) ?? undefined;
  return {
    'file/open': async (event) => {
      const choice = await dialog.showOpenDialog(win(event)!, { properties: ['openFile'], filters: TOPOLOGY_FILTERS });
      if (choice.canceled || choice.filePaths.length === 0) return null;
      return openFile(choice.filePaths[0]!, deps);
    },
    'file/read': async (_event, handle) => openFile(deps.caps.resolve(handle), deps),
    'file/save': async (_event, handle, text) => {
      const path = deps.caps.resolve(handle);
      await writeFileAtomic(path, text);
      await deps.recent.add(path);
      return { handle, name: basename(path) };
    },
    'file/choose-save-path': async (event, suggested) => {
      const choice = await dialog.showSaveDialog(win(event)!, { defaultPath: suggested, filters: TOPOLOGY_FILTERS });
      if (choice.canceled || !choice.filePath) return null;
      return { handle: deps.caps.grant(choice.filePath), name: basename(choice.filePath) };
    },
    'file/export': async (event, suggested, data) => {
      const choice = await dialog.showSaveDialog(win(event)!, { defaultPath: suggested });
      if (choice.canceled || !choice.filePath) return null;
      await writeFileAtomic(choice.filePath, data);
      return choice.filePath;
    },
    // The recent list is the user's earlier choices: each entry gets a handle to reopen it.
    'file/recent': async () => (await deps.recent.get()).map((path) => ({ handle: deps.caps.grant(path), name: basename(path), location: path })),
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
    'recovery/save': async (event, snapshot) => {
      await deps.recovery.save(snapshot, event.sender.id);
      return null;
    },
    // Asked once when a page starts: earlier pages' snapshots are not this page's to clear.
    'recovery/list': async (event) => {
      deps.recovery.pageStarted(event.sender.id);
      return deps.recovery.list();
    },
    'recovery/clear': async (_event, id) => {
      await deps.recovery.clear(id);
      return null;
    },
  };
}

const senderOf = (event: IpcMainEvent | IpcMainInvokeEvent): SenderFrame | null => (event.senderFrame as SenderFrame | null | undefined) ?? null;

function refusal(channel: string, event: IpcMainEvent | IpcMainInvokeEvent): string {
  return `ipc: refused ${channel} from ${JSON.stringify(senderOf(event)?.url?.slice(0, 200) ?? 'a gone frame')} (not the app's own page)`;
}

/** Checks the sender, validates, then runs one invoke; exported for tests. */
export async function handleInvoke<C extends InvokeChannel>(handlers: Handlers, channel: C, event: IpcMainInvokeEvent, args: unknown[], deps: Pick<IpcDeps, 'trusted' | 'log'>): Promise<InvokeReply<C>> {
  if (!isTrustedSender(senderOf(event), deps.trusted)) {
    const why = refusal(channel, event);
    (deps.log ?? console.warn)(why);
    return { ok: false, error: why };
  }
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
  const log = deps.log ?? console.warn;
  const trusted = (channel: string, event: IpcMainEvent) => {
    if (isTrustedSender(senderOf(event), deps.trusted)) return true;
    log(refusal(channel, event));
    return false;
  };
  for (const channel of Object.keys(INVOKE_ARGS) as InvokeChannel[]) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => handleInvoke(handlers, channel, event, args, deps));
  }
  ipcMain.on(CHANNELS.enginePost, (event: IpcMainEvent, message: unknown) => {
    if (!trusted(CHANNELS.enginePost, event)) return;
    const checked = checkEngineRequest(message);
    if (checked.ok) {
      deps.enginePost?.(checked.message);
      return;
    }
    log(checked.error);
    // Answer a refused request at once, so the caller does not wait for a reply that never comes.
    const id = (message as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
      const reply: ReplyMessage = { kind: 'reply', id, ok: false, error: { code: 'bad-request', message: checked.error } };
      event.sender.send(CHANNELS.engineMessage, reply);
    }
  });
  ipcMain.on(CHANNELS.closeOk, (event: IpcMainEvent) => {
    if (!trusted(CHANNELS.closeOk, event)) return;
    // The renderer agreed to close (saved, or the user chose to discard): no recovery needed.
    void deps.recovery.clearOwner(event.sender.id).catch((err: unknown) => log(`recovery: ${String(err)}`));
    const w = BrowserWindow.fromWebContents(event.sender);
    if (w) deps.onCloseOk?.(w);
  });
}
