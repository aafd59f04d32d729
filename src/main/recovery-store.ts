// Electron's crash-recovery store: one JSON file per window snapshot in the user-data
// folder (`recovery/<id>.json`, atomic write, owner-only), validated when written and when
// read back. File handles in a snapshot are stored as the path they stand for and re-issued
// on listing, so a restored document can still be saved in place. Bounded in count.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/node/atomic-write';
import { parseSnapshot, RECOVERY_LIMITS, type RecoverySnapshot } from '../shared/recovery';
import type { FileCapabilities } from './file-capabilities';

/** On disk: the snapshot with its handle replaced by the path it stood for. */
interface StoredSnapshot {
  snapshot: RecoverySnapshot;
  path: string | null;
}

export class RecoveryStore {
  /** Which window (webContents id) wrote which snapshot, so a clean close can clear them. */
  private readonly owners = new Map<number, Set<string>>();
  /** Windows that closed on purpose: an autosave still in flight from them is dropped. */
  private readonly closed = new Set<number>();

  constructor(
    private readonly dir: string,
    private readonly caps: FileCapabilities,
  ) {}

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  async save(snapshot: RecoverySnapshot, owner?: number): Promise<void> {
    if (owner !== undefined && this.closed.has(owner)) return;
    const path = snapshot.file.handle && this.caps.has(snapshot.file.handle) ? this.caps.resolve(snapshot.file.handle) : null;
    const stored: StoredSnapshot = { snapshot: { ...snapshot, file: { ...snapshot.file, handle: null } }, path };
    // The folder is owner-only: snapshots hold documents and shell transcripts.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const fresh = !existsSync(this.file(snapshot.id));
    await writeFileAtomic(this.file(snapshot.id), JSON.stringify(stored));
    if (owner !== undefined) {
      const ids = this.owners.get(owner) ?? new Set<string>();
      ids.add(snapshot.id);
      this.owners.set(owner, ids);
    }
    if (fresh) await this.prune();
  }

  /** Valid snapshots, newest first; unreadable files are skipped (and left for inspection). */
  async list(): Promise<RecoverySnapshot[]> {
    const out: RecoverySnapshot[] = [];
    for (const stored of await this.readAll()) {
      const handle = stored.path ? this.caps.grant(stored.path) : null;
      out.push({ ...stored.snapshot, file: { ...stored.snapshot.file, handle } });
    }
    return out;
  }

  async clear(id: string): Promise<void> {
    await rm(this.file(id), { force: true });
  }

  /**
   * A new page started in window `owner` (first load, or a reload after a crash): what the
   * previous page saved is now left-behind work to offer, no longer this page's own.
   */
  pageStarted(owner: number): void {
    this.owners.delete(owner);
  }

  /** The window closed on purpose (saved, or the user chose to discard): forget its snapshots. */
  async clearOwner(owner: number): Promise<void> {
    this.closed.add(owner);
    const ids = this.owners.get(owner);
    this.owners.delete(owner);
    for (const id of ids ?? []) await this.clear(id);
  }

  private async readAll(): Promise<StoredSnapshot[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => /^[a-z0-9-]{8,64}\.json$/.test(n));
    } catch {
      return [];
    }
    const all: StoredSnapshot[] = [];
    for (const n of names) {
      try {
        const raw = JSON.parse(await readFile(join(this.dir, n), 'utf8')) as Partial<StoredSnapshot>;
        const snapshot = parseSnapshot(raw.snapshot);
        if (snapshot && `${snapshot.id}.json` === n) all.push({ snapshot, path: typeof raw.path === 'string' ? raw.path : null });
      } catch {
        // A torn or foreign file is not a reason to lose the others.
      }
    }
    return all.sort((a, b) => b.snapshot.savedAtMs - a.snapshot.savedAtMs);
  }

  private async prune(): Promise<void> {
    const all = await this.readAll();
    for (const old of all.slice(RECOVERY_LIMITS.entries)) await this.clear(old.snapshot.id);
  }
}
