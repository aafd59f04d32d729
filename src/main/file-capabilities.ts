// File capabilities: main hands the renderer an opaque random handle for each path the user
// chose in a native dialog or from the recent list, and reads or writes only through a
// handle it issued. The renderer never names a path for I/O. Bounded; no file I/O here.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** Handles kept at once; the oldest is forgotten first (a forgotten handle just asks again). */
export const CAPABILITIES_MAX = 256;

export class UnknownFileHandleError extends Error {
  constructor() {
    super('this file is no longer available to the window: open or save it again through the dialog');
    this.name = 'UnknownFileHandleError';
  }
}

export class FileCapabilities {
  private readonly byHandle = new Map<string, string>();
  private readonly byPath = new Map<string, string>();

  constructor(private readonly max = CAPABILITIES_MAX) {}

  /** Grants the renderer this path (call only for a dialog answer or a recent entry). */
  grant(path: string): string {
    const abs = resolve(path);
    const known = this.byPath.get(abs);
    if (known) {
      // Refresh its age so an active document's handle is not the one evicted.
      this.byHandle.delete(known);
      this.byHandle.set(known, abs);
      return known;
    }
    const handle = `file-${randomBytes(16).toString('hex')}`;
    this.byHandle.set(handle, abs);
    this.byPath.set(abs, handle);
    while (this.byHandle.size > this.max) {
      const [oldest, oldPath] = this.byHandle.entries().next().value as [string, string];
      this.byHandle.delete(oldest);
      this.byPath.delete(oldPath);
    }
    return handle;
  }

  /** The path behind a handle main issued; throws for anything else. */
  resolve(handle: string): string {
    const path = this.byHandle.get(handle);
    if (path === undefined) throw new UnknownFileHandleError();
    return path;
  }

  has(handle: string): boolean {
    return this.byHandle.has(handle);
  }
}
