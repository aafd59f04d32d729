// Atomic writes and the recent-files list, on a real temporary directory.
import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/shared/node/atomic-write';
import { pushRecent, RecentFiles, RECENT_MAX } from '../../src/main/recent-files';

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'virtnet-aw-'));
    const f = join(dir, 'a.vnet');
    await writeFile(f, 'before');
    await writeFileAtomic(f, 'after');
    expect(await readFile(f, 'utf8')).toBe('after');
    await writeFileAtomic(f, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(f))]).toEqual([1, 2, 3]);
    expect(await readdir(dir)).toEqual(['a.vnet']);
  });

  it('keeps the old file intact when the write cannot happen', async () => {
    if (process.getuid?.() === 0) return; // root ignores directory permissions
    const dir = await mkdtemp(join(tmpdir(), 'virtnet-aw-'));
    const f = join(dir, 'a.vnet');
    await writeFile(f, 'precious');
    await chmod(dir, 0o500);
    await expect(writeFileAtomic(f, 'new')).rejects.toThrow();
    await chmod(dir, 0o700);
    expect(await readFile(f, 'utf8')).toBe('precious');
  });

  it('fails on a missing folder without creating anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'virtnet-aw-'));
    await expect(writeFileAtomic(join(dir, 'no/such/a.vnet'), 'x')).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('recent files', () => {
  it('puts the newest first, without duplicates, bounded', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i++) list = pushRecent(list, `/f${i % 12}`);
    expect(list.length).toBe(RECENT_MAX);
    expect(list[0]).toBe('/f2');
    expect(new Set(list).size).toBe(list.length);
  });

  it('persists across instances and survives a corrupt store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'virtnet-rf-'));
    const store = join(dir, 'recent.json');
    await new RecentFiles(store).add('/a.vnet');
    await new RecentFiles(store).add('/b.imn');
    expect(await new RecentFiles(store).get()).toEqual(['/b.imn', '/a.vnet']);
    await writeFile(store, '{not json');
    expect(await new RecentFiles(store).get()).toEqual([]);
  });
});
