// Recent files list kept as JSON in the user-data folder: most recent first, no
// duplicates, bounded. Must not read or validate the files themselves.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../shared/node/atomic-write';

export const RECENT_MAX = 10;

export function pushRecent(list: readonly string[], path: string, max = RECENT_MAX): string[] {
  return [path, ...list.filter((p) => p !== path)].slice(0, max);
}

export class RecentFiles {
  private list: string[] | null = null;

  constructor(private readonly storePath: string) {}

  async get(): Promise<string[]> {
    if (this.list) return this.list;
    try {
      const parsed: unknown = JSON.parse(await readFile(this.storePath, 'utf8'));
      this.list = Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string').slice(0, RECENT_MAX) : [];
    } catch {
      this.list = [];
    }
    return this.list;
  }

  async add(path: string): Promise<string[]> {
    this.list = pushRecent(await this.get(), path);
    await writeFileAtomic(this.storePath, JSON.stringify(this.list, null, 2));
    return this.list;
  }
}
