// Reads a topology file for the CLI and turns every way it can be wrong into a CliError
// with the file and line (`FILE:LINE: reason`). Warnings are returned, not printed.

import { readFileSync } from 'node:fs';
import { formatDiagnostic, parseTopology, type Diagnostic } from '../emulator/topology/formats';
import type { TopologyDoc } from '../emulator/topology/document';
import { CliError } from './io';

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message);
    throw new CliError(`${file}: cannot read: ${why}`);
  }
}

/** Parse or throw the first error (one line); more errors are counted in the same line. */
export function loadTopology(file: string): { doc: TopologyDoc; warnings: Diagnostic[] } {
  const text = readText(file);
  let r;
  try {
    r = parseTopology(text, file);
  } catch (err) {
    // The readers must not throw; if one does, still answer with the file's name.
    throw new CliError(`${file}:1: cannot parse: ${(err as Error).message}`);
  }
  if ('errors' in r) {
    const first = r.errors[0];
    const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more; run 'virtnet validate ${file}')` : '';
    throw new CliError(first ? formatDiagnostic(first) + more : `${file}:1: invalid topology`);
  }
  return r;
}
