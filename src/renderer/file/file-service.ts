// Where files come from and go to: native dialogs through the preload API in Electron,
// file picker / download and localStorage recent files in browser mode. Must not decode
// topology formats (doc-codec.ts does) nor hold document state.
import type { VirtnetDesktopApi } from '../../preload/api';

export interface PickedFile {
  /**
   * Electron: the opaque handle main issued for the file the user picked (main keeps the
   * path; see src/main/file-capabilities.ts). Browser: null.
   */
  path: string | null;
  name: string;
  text: string;
}

export interface FileService {
  readonly kind: 'electron' | 'browser';
  open(): Promise<PickedFile | null>;
  /** Writes to the file behind handle `path` (Electron; asks where when null) or downloads as `name` (browser); returns where it went. */
  save(path: string | null, name: string, encode: (name: string) => string): Promise<{ path: string | null; name: string } | null>;
  /** Asks where, then writes `encode(chosenName)` once: the chosen extension picks the format. */
  saveAs(name: string, encode: (name: string) => string): Promise<{ path: string | null; name: string } | null>;
  exportFile(name: string, data: string | Uint8Array<ArrayBuffer>, mime: string): Promise<void>;
  recent(): Promise<string[]>;
  openRecent(entry: string): Promise<PickedFile>;
  confirmDiscard(message: string): Promise<boolean>;
  setTitle(title: string, dirty: boolean): void;
}

const saved = (r: { handle: string; name: string }) => ({ path: r.handle, name: r.name });

async function electronSaveAs(api: VirtnetDesktopApi, suggested: string, encode: (name: string) => string) {
  const where = await api.invoke('file/choose-save-path', suggested);
  return where ? saved(await api.invoke('file/save', where.handle, encode(where.name))) : null;
}

export function electronFileService(api: VirtnetDesktopApi): FileService {
  // Recent entries are shown by location; main reopens them only by the handle it issued.
  let recentHandles = new Map<string, string>();
  return {
    kind: 'electron',
    open: async () => {
      const f = await api.invoke('file/open');
      return f ? { path: f.handle, name: f.name, text: f.text } : null;
    },
    save: async (handle, name, encode) => (handle ? saved(await api.invoke('file/save', handle, encode(name))) : electronSaveAs(api, name, encode)),
    saveAs: (name, encode) => electronSaveAs(api, name, encode),
    exportFile: async (name, data) => {
      await api.invoke('file/export', name, data);
    },
    recent: async () => {
      const list = await api.invoke('file/recent');
      recentHandles = new Map(list.map((r) => [r.location, r.handle]));
      return list.map((r) => r.location);
    },
    openRecent: async (location) => {
      const handle = recentHandles.get(location);
      if (!handle) throw new Error(`${location} is no longer in the recent files`);
      const f = await api.invoke('file/read', handle);
      return { path: f.handle, name: f.name, text: f.text };
    },
    confirmDiscard: (message) => api.invoke('window/confirm-discard', message),
    setTitle: (title, dirty) => void api.invoke('window/set-title', title, dirty),
  };
}

const RECENT_KEY = 'virtnet.recent';
const RECENT_MAX = 8;
interface RecentEntry {
  name: string;
  text: string;
}

function readRecent(storage: Storage): RecentEntry[] {
  try {
    const v: unknown = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((e): e is RecentEntry => typeof e?.name === 'string' && typeof e?.text === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers a browser-mode file by name with its content (there is no path to reopen). */
export function rememberRecent(storage: Storage, name: string, text: string): void {
  const list = [{ name, text }, ...readRecent(storage).filter((e) => e.name !== name)].slice(0, RECENT_MAX);
  try {
    storage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Quota exceeded: recent files are a convenience, never a reason to fail a save.
  }
}

function download(name: string, data: string | Uint8Array<ArrayBuffer>, mime: string): void {
  const blob = new Blob([data as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function pickFile(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.vnet,.imn';
    input.className = 'hidden-file-input';
    input.addEventListener('change', async () => {
      const f = input.files?.[0];
      input.remove();
      resolve(f ? { path: null, name: f.name, text: await f.text() } : null);
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(null);
    });
    document.body.appendChild(input);
    input.click();
  });
}

export function browserFileService(storage: Storage = localStorage): FileService {
  const saved = (name: string, text: string) => {
    download(name, text, 'application/octet-stream');
    rememberRecent(storage, name, text);
    return Promise.resolve({ path: null, name });
  };
  return {
    kind: 'browser',
    open: async () => {
      const f = await pickFile();
      if (f) rememberRecent(storage, f.name, f.text);
      return f;
    },
    save: (_path, name, encode) => saved(name, encode(name)),
    saveAs: async (name, encode) => {
      const chosen = window.prompt('Save as', name);
      if (!chosen) return null;
      return saved(chosen, encode(chosen));
    },
    exportFile: async (name, data, mime) => download(name, data, mime),
    recent: async () => readRecent(storage).map((e) => e.name),
    openRecent: async (name) => {
      const e = readRecent(storage).find((x) => x.name === name);
      if (!e) throw new Error(`${name} is no longer in the recent files`);
      return { path: null, name: e.name, text: e.text };
    },
    confirmDiscard: async (message) => window.confirm(message),
    setTitle: (title) => {
      document.title = title;
    },
  };
}

export function defaultFileService(): FileService {
  const api = (window as { virtnet?: VirtnetDesktopApi }).virtnet;
  return api ? electronFileService(api) : browserFileService();
}
