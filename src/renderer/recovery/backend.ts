// Where recovery snapshots live: Electron main's user-data folder (through the validated
// `recovery/*` IPC channels) or IndexedDB in browser mode; an in-memory one for tests.
// Every snapshot read back is validated; a bad one is skipped. No document logic here.
import type { VirtnetDesktopApi } from '../../preload/api';
import { parseSnapshot, RECOVERY_LIMITS, type RecoverySnapshot } from '../../shared/recovery';

export interface RecoveryBackend {
  save(snapshot: RecoverySnapshot): Promise<void>;
  /** Valid snapshots, newest first. */
  list(): Promise<RecoverySnapshot[]>;
  clear(id: string): Promise<void>;
}

export function electronRecovery(api: VirtnetDesktopApi): RecoveryBackend {
  return {
    save: async (s) => void (await api.invoke('recovery/save', s)),
    list: () => api.invoke('recovery/list'),
    clear: async (id) => void (await api.invoke('recovery/clear', id)),
  };
}

const DB = 'virtnet-recovery';
const STORE = 'snapshots';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export function indexedDbRecovery(idb: IDBFactory = indexedDB): RecoveryBackend {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = idb.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB unavailable'));
    });
    return opened;
  };
  const store = async (mode: IDBTransactionMode) => (await db()).transaction(STORE, mode).objectStore(STORE);
  const list = async () => {
    const all = (await request((await store('readonly')).getAll())) as unknown[];
    return all.map(parseSnapshot).filter((s): s is RecoverySnapshot => s !== null).sort((a, b) => b.savedAtMs - a.savedAtMs);
  };
  const written = new Set<string>();
  return {
    async save(s) {
      await request((await store('readwrite')).put(s));
      // Prune when a new snapshot appears, not on every autosave of the same one.
      if (written.has(s.id)) return;
      written.add(s.id);
      const all = await list();
      for (const old of all.slice(RECOVERY_LIMITS.entries)) await request((await store('readwrite')).delete(old.id));
    },
    list,
    clear: async (id) => void (await request((await store('readwrite')).delete(id))),
  };
}

export function memoryRecovery(): RecoveryBackend & { entries: Map<string, RecoverySnapshot> } {
  const entries = new Map<string, RecoverySnapshot>();
  return {
    entries,
    save: async (s) => void entries.set(s.id, structuredClone(s)),
    list: async () => [...entries.values()].sort((a, b) => b.savedAtMs - a.savedAtMs),
    clear: async (id) => void entries.delete(id),
  };
}

export function defaultRecoveryBackend(): RecoveryBackend | null {
  const api = (globalThis as { virtnet?: VirtnetDesktopApi }).virtnet;
  if (api) return electronRecovery(api);
  return typeof indexedDB === 'undefined' ? null : indexedDbRecovery();
}
