// Electron's recovery store: snapshots are written atomically into an owner-only folder,
// listed newest first with fresh file handles for the paths they came from, bounded in
// number, skip corrupt files, and are cleared one by one or for a window that closed cleanly.
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCapabilities } from '../../src/main/file-capabilities';
import { RecoveryStore } from '../../src/main/recovery-store';
import { emptyRun, RECOVERY_LIMITS, type RecoverySnapshot } from '../../src/shared/recovery';

const snap = (id: string, savedAtMs: number, handle: string | null = null): RecoverySnapshot => ({
  id, savedAtMs, dirty: true, file: { handle, name: 'lab.vnet', format: 'vnet' }, docText: '{"version":1}', nodes: 0,
  run: { ...emptyRun(), terminals: [{ node: 'pc1', transcript: 'pc1# ping\r\n' }] },
});

describe('recovery store', () => {
  it('writes, lists newest first, re-issues file handles, and clears', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'virtnet-rec-')), 'recovery');
    const caps = new FileCapabilities();
    const store = new RecoveryStore(dir, caps);
    const handle = caps.grant('/home/u/lab.vnet');
    await store.save(snap('aaaaaaaa-1', 1000, handle), 1);
    await store.save(snap('bbbbbbbb-2', 2000), 2);
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700');
    expect((await readdir(dir)).sort()).toEqual(['aaaaaaaa-1.json', 'bbbbbbbb-2.json']);
    // A later main process (new capabilities) still maps the snapshot back to its file.
    const caps2 = new FileCapabilities();
    const listed = await new RecoveryStore(dir, caps2).list();
    expect(listed.map((s) => s.id)).toEqual(['bbbbbbbb-2', 'aaaaaaaa-1']);
    expect(listed[1]!.file.handle).toMatch(/^file-[0-9a-f]{32}$/);
    expect(caps2.resolve(listed[1]!.file.handle!)).toBe('/home/u/lab.vnet');
    expect(listed[0]!.file.handle).toBeNull();
    expect(listed[1]!.run.terminals[0]!.transcript).toContain('ping');
    await store.clear('bbbbbbbb-2');
    expect((await store.list()).map((s) => s.id)).toEqual(['aaaaaaaa-1']);
    await store.clearOwner(1);
    expect(await store.list()).toEqual([]);
    // An autosave that was still on its way from the closed window does not come back.
    await store.save(snap('aaaaaaaa-1', 3000), 1);
    expect(await store.list()).toEqual([]);
  });

  it('after a reload, a clean close forgets only the new page\'s snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'virtnet-rec-'));
    const store = new RecoveryStore(dir, new FileCapabilities());
    await store.save(snap('aaaaaaaa-old', 1000), 7); // the page that crashed
    store.pageStarted(7); // the window reloads; the user chose "Decide later"
    await store.save(snap('bbbbbbbb-new', 2000), 7);
    await store.clearOwner(7);
    expect((await store.list()).map((s) => s.id)).toEqual(['aaaaaaaa-old']);
  });

  it('skips corrupt or foreign files and keeps only the newest snapshots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'virtnet-rec-'));
    const store = new RecoveryStore(dir, new FileCapabilities());
    await writeFile(join(dir, 'cccccccc-3.json'), '{torn');
    await writeFile(join(dir, 'dddddddd-4.json'), JSON.stringify({ snapshot: { id: 'dddddddd-4', evil: true }, path: '/etc/passwd' }));
    for (let i = 0; i < RECOVERY_LIMITS.entries + 3; i++) await store.save(snap(`eeeeeeee-${i}`, 10_000 + i));
    const listed = await store.list();
    expect(listed.length).toBe(RECOVERY_LIMITS.entries);
    expect(listed[0]!.id).toBe(`eeeeeeee-${RECOVERY_LIMITS.entries + 2}`);
    expect(listed.some((s) => s.id === 'dddddddd-4')).toBe(false);
  });
});
