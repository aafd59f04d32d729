// Checks a file the CLI is about to write (a converted topology, a --pcap capture) before
// anything runs, so a mistake costs one line and no work: the directory must exist and be
// writable, the target must be a regular file or absent, and never one of the inputs.

import { accessSync, constants as fsConstants, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from './io';

/** The file a path names after following symlinks (the path itself when it does not exist yet). */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function sameFile(a: string, b: string): boolean {
  if (realTarget(a) === realTarget(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Throws a CliError naming `label` (`--pcap 'r1:eth0=x.pcap'`, `convert`) when `out` cannot
 * or must not be written; `inputs` are files this run reads and so must never replace.
 */
export function checkOutputPath(label: string, out: string, inputs: readonly string[]): void {
  if (out === '' || out.endsWith('/')) throw new CliError(`${label}: ${out === '' ? 'empty output path' : `${out} is a directory`}`);
  for (const input of inputs) {
    if (sameFile(out, input)) throw new CliError(`${label}: ${out} is the input file ${input}; refusing to overwrite it`);
  }
  const target = realTarget(out);
  let st;
  try {
    st = statSync(target);
  } catch {
    st = null;
  }
  if (st?.isDirectory()) throw new CliError(`${label}: ${out} is a directory`);
  if (st && !st.isFile()) throw new CliError(`${label}: ${out} is not a regular file`);
  const dir = dirname(target);
  let dst;
  try {
    dst = statSync(dir);
  } catch {
    throw new CliError(`${label}: cannot write ${out}: directory ${dirname(out)} does not exist`);
  }
  if (!dst.isDirectory()) throw new CliError(`${label}: cannot write ${out}: ${dirname(out)} is not a directory`);
  try {
    // The atomic write creates a temporary file beside the target, then renames it.
    accessSync(dir, fsConstants.W_OK | fsConstants.X_OK);
    if (st) accessSync(target, fsConstants.W_OK);
  } catch {
    throw new CliError(`${label}: cannot write ${out}: permission denied`);
  }
}

/** Refuses two outputs that name the same file (the second would silently replace the first). */
export function checkDistinctOutputs(outs: readonly { label: string; out: string }[]): void {
  const seen = new Map<string, string>();
  for (const { label, out } of outs) {
    const key = realTarget(out);
    const first = seen.get(key);
    if (first !== undefined) throw new CliError(`${label}: ${out} is also written by ${first}`);
    seen.set(key, label);
  }
}
