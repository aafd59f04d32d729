// Regression tests for atomic-write.ts side effects (issue 10, "Saving and lost work"): the
// target keeps its mode, a symlink stays a symlink (its target is replaced), and the
// directory is fsynced after the rename. node:fs is wrapped to see which paths get fsynced.
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const synced: { op: 'fsync' | 'rename'; path: string }[] = [];

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const paths = new Map<number, string>();
  return {
    ...fs,
    openSync: (path: string, ...rest: unknown[]) => {
      const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
      paths.set(fd, String(path));
      return fd;
    },
    fsyncSync: (fd: number) => {
      synced.push({ op: 'fsync', path: paths.get(fd) ?? '?' });
      return fs.fsyncSync(fd);
    },
    renameSync: (a: string, b: string) => {
      synced.push({ op: 'rename', path: String(b) });
      return fs.renameSync(a, b);
    },
  };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...fsp,
    open: async (path: string, ...rest: unknown[]) => {
      const h = await (fsp.open as (...a: unknown[]) => Promise<import('node:fs/promises').FileHandle>)(path, ...rest);
      const sync = h.sync.bind(h);
      h.sync = async () => {
        synced.push({ op: 'fsync', path: String(path) });
        return sync();
      };
      return h;
    },
    rename: async (a: string, b: string) => {
      synced.push({ op: 'rename', path: String(b) });
      return fsp.rename(a, b);
    },
  };
});

const { writeFileAtomic, writeFileAtomicSync } = await import('../../src/shared/node/atomic-write');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'virtnet-atomic-fx-'));
}

const variants = [
  ['sync', async (t: string, d: string) => writeFileAtomicSync(t, d)],
  ['async', (t: string, d: string) => writeFileAtomic(t, d)],
] as const;

beforeEach(() => {
  synced.length = 0;
});

describe.each(variants)('writeFileAtomic (%s) side effects', (_name, write) => {
  it('keeps a 0600 target 0600 (and a 0640 one 0640)', async () => {
    const dir = tempDir();
    for (const mode of [0o600, 0o640, 0o755]) {
      const target = join(dir, `m${mode.toString(8)}.vnet`);
      writeFileSync(target, 'old');
      chmodSync(target, mode);
      await write(target, 'new');
      expect(readFileSync(target, 'utf8')).toBe('new');
      expect((statSync(target).mode & 0o777).toString(8)).toBe(mode.toString(8));
    }
  });

  it('writes through a symlink: the link stays, the file it points to gets the content', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.vnet');
    writeFileSync(real, 'old');
    chmodSync(real, 0o600);
    const link = join(dir, 'link.vnet');
    symlinkSync('real.vnet', link);
    // A chain of links is followed too.
    const link2 = join(dir, 'link2.vnet');
    symlinkSync(link, link2);
    await write(link2, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(link2).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real.vnet');
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['link.vnet', 'link2.vnet', 'real.vnet']);
  });

  it('a dangling symlink creates the file it names', async () => {
    const dir = tempDir();
    const link = join(dir, 'link.vnet');
    symlinkSync('new.vnet', link);
    await write(link, 'x');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'new.vnet'), 'utf8')).toBe('x');
  });

  it('fsyncs the file before the rename and the directory after it', async () => {
    const dir = tempDir();
    const target = join(dir, 'd.vnet');
    await write(target, 'x');
    const renameAt = synced.findIndex((s) => s.op === 'rename' && s.path === target);
    expect(renameAt).toBeGreaterThan(0);
    expect(synced.slice(0, renameAt).some((s) => s.op === 'fsync' && s.path.includes('.d.vnet.'))).toBe(true);
    expect(synced.slice(renameAt + 1)).toContainEqual({ op: 'fsync', path: dir });
  });
});
