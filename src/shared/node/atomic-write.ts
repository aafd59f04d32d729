// Atomic file writes for the CLI and Electron main: write a temporary file in the
// target's directory, fsync it, rename(2) it over the target, then fsync the directory,
// so a crash leaves either the old file or the new one, never half of one, and the rename
// itself survives a power cut. The target keeps its permission bits, and a symlink stays a
// symlink: the file it points to is replaced. Node-only; not for src/emulator.

import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, readlinkSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { lstat, open, readlink, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Mode of a file created where none existed (before the umask). */
const NEW_FILE_MODE = 0o644;
/** Longest symlink chain followed, as Linux's MAXSYMLINKS. */
const MAX_LINKS = 40;

/** `.NAME.<random>.tmp` beside the target: same file system, so rename is atomic. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

/** The file `target` names after following symlinks (a dangling link names its missing target). */
export function resolveLinkTarget(target: string): string {
  let path = resolve(target);
  for (let i = 0; i < MAX_LINKS; i++) {
    try {
      if (!lstatSync(path).isSymbolicLink()) return path;
    } catch (err) {
      if (isMissing(err)) return path;
      throw err;
    }
    path = resolve(dirname(path), readlinkSync(path));
  }
  throw Object.assign(new Error(`${target}: too many levels of symbolic links`), { code: 'ELOOP' });
}

async function resolveLinkTargetAsync(target: string): Promise<string> {
  let path = resolve(target);
  for (let i = 0; i < MAX_LINKS; i++) {
    try {
      if (!(await lstat(path)).isSymbolicLink()) return path;
    } catch (err) {
      if (isMissing(err)) return path;
      throw err;
    }
    path = resolve(dirname(path), await readlink(path));
  }
  throw Object.assign(new Error(`${target}: too many levels of symbolic links`), { code: 'ELOOP' });
}

/** Permission bits of the file being replaced, or null for a new file (umask applies). */
function modeOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

async function modeOfAsync(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/**
 * fsync the directory so the rename is on disk. Windows cannot open a directory for
 * fsync (and its rename is already durable through NTFS journaling): skipped there.
 */
function syncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write `data` to `target` atomically (temp file + fsync + rename + directory fsync). */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const real = await resolveLinkTargetAsync(target);
  const mode = await modeOfAsync(real);
  const temp = tempPathFor(real);
  const handle = await open(temp, 'wx', mode ?? NEW_FILE_MODE);
  try {
    // chmod after open: the umask must not change the mode of a file being replaced.
    if (mode !== null) await handle.chmod(mode);
    await handle.writeFile(toBytes(data));
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  try {
    await rename(temp, real);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDir(dirname(real));
}

/** Synchronous variant for exit paths (the CLI). Same guarantees. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const real = resolveLinkTarget(target);
  const mode = modeOf(real);
  const temp = tempPathFor(real);
  const fd = openSync(temp, 'wx', mode ?? NEW_FILE_MODE);
  try {
    if (mode !== null) fchmodSync(fd, mode);
    const bytes = toBytes(data);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(temp, real);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  syncDirSync(dirname(real));
}
