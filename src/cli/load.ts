// Reads a topology file for the CLI and turns every way it can be wrong into a CliError
// with the file and line (`FILE:LINE: reason`). Only regular files up to the documented
// size (LIMITS.MAX_FILE_BYTES) are read: a device, FIFO or huge file is refused before a
// byte of it is held. Warnings are returned, not printed.

import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { formatDiagnostic, LIMITS, parseTopology, tooBigMessage, type Diagnostic } from '../emulator/topology/formats';
import { oneLine } from '../emulator/topology/diagnostics';
import type { TopologyDoc } from '../emulator/topology/document';
import type { ParseOptions } from '../emulator/topology/vnet';
import { CliError } from './io';

function readError(file: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
  return new CliError(`${file}: cannot read: ${why}`);
}

export function readText(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait forever; fstat then refuses it.
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (err) {
    throw readError(file, err);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new CliError(`${file}: cannot read: is a directory`);
    if (!st.isFile()) throw new CliError(`${file}:1: not a regular file (a device, pipe or socket cannot hold a topology)`);
    if (st.size > LIMITS.MAX_FILE_BYTES) throw new CliError(`${file}:1: ${tooBigMessage(st.size)}`);
    // Read at most one byte past the limit: a file that grows while read is still bounded.
    const buf = Buffer.alloc(Math.min(st.size, LIMITS.MAX_FILE_BYTES) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > LIMITS.MAX_FILE_BYTES) throw new CliError(`${file}:1: ${tooBigMessage(n)}`);
    return buf.subarray(0, n).toString('utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw readError(file, err);
  } finally {
    closeSync(fd);
  }
}

/** Parse or throw the first error (one line); more errors are counted in the same line. */
export function loadTopology(file: string, options: ParseOptions = {}, text = readText(file)): { doc: TopologyDoc; warnings: Diagnostic[] } {
  let r;
  try {
    r = parseTopology(text, file, options);
  } catch (err) {
    // The readers must not throw; if one does, still answer with the file's name.
    throw new CliError(`${file}:1: cannot parse: ${oneLine(String((err as Error).message))}`);
  }
  if ('errors' in r) {
    const first = r.errors[0];
    const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more; run 'virtnet validate ${file}')` : '';
    throw new CliError(first ? formatDiagnostic(first) + more : `${file}:1: invalid topology`);
  }
  return r;
}
