// A node's small private file system for the configs its services read (/etc/hosts,
// /etc/resolv.conf, dhcpd.conf, zone files, a web root), as DESIGN decision 8 gives every
// program "its private files". Flat map of absolute paths to text (binary files, such as a
// tcpdump -w capture, one character per byte), bounded per node.
// It must never reach another node's files: each node owns its own instance.

/** Total bytes of text one node may keep (paths included). */
export const NODE_FILES_BYTES_MAX = 256 * 1024;
/** Files one node may keep. */
export const NODE_FILES_COUNT_MAX = 256;
/** Longest path accepted. */
export const NODE_PATH_MAX = 1024;

export type FileError =
  | { kind: 'no-such-file'; path: string }
  | { kind: 'is-a-directory'; path: string }
  | { kind: 'bad-path'; path: string }
  | { kind: 'no-space'; path: string };

/** The message FreeBSD's tools print for an error, e.g. `cat: /etc/x: No such file or directory`. */
export function fileErrorText(prog: string, e: FileError): string {
  return `${prog}: ${e.path}: ${fileErrorReason(e)}`;
}

/** strerror(3) of the error alone: `No such file or directory`. */
export function fileErrorReason(e: FileError): string {
  switch (e.kind) {
    case 'no-such-file':
      return 'No such file or directory';
    case 'is-a-directory':
      return 'Is a directory';
    case 'bad-path':
      return 'File name too long';
    case 'no-space':
      return 'No space left on device';
    default:
      return e satisfies never;
  }
}

/**
 * Normalises `path` against `cwd` (default `/`): resolves `.`, `..` and repeated slashes.
 * Returns null for an empty or over-long path.
 */
export function normalizePath(path: string, cwd = '/'): string | null {
  if (path.length === 0 || path.length > NODE_PATH_MAX) return null;
  const parts: string[] = [];
  for (const p of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

export class NodeFiles {
  private readonly files = new Map<string, string>();
  private bytes = 0;

  constructor(initial?: Readonly<Record<string, string>>) {
    if (initial) for (const [p, t] of Object.entries(initial)) this.write(p, String(t));
  }

  /** The text at `path`, or why not. */
  read(path: string): string | FileError {
    const p = normalizePath(path);
    if (p === null) return { kind: 'bad-path', path };
    const t = this.files.get(p);
    if (t !== undefined) return t;
    return this.isDir(p) ? { kind: 'is-a-directory', path } : { kind: 'no-such-file', path };
  }

  /** Replaces (or with `append`, extends) the file; refused, changing nothing, past the bounds. */
  write(path: string, text: string, append = false): FileError | null {
    const p = normalizePath(path);
    if (p === null || p === '/') return { kind: 'bad-path', path };
    if (this.isDir(p)) return { kind: 'is-a-directory', path };
    const old = this.files.get(p);
    const next = append && old !== undefined ? old + text : text;
    const delta = next.length - (old?.length ?? 0) + (old === undefined ? p.length : 0);
    if (this.bytes + delta > NODE_FILES_BYTES_MAX) return { kind: 'no-space', path };
    if (old === undefined && this.files.size >= NODE_FILES_COUNT_MAX) return { kind: 'no-space', path };
    this.files.set(p, next);
    this.bytes += delta;
    return null;
  }

  remove(path: string): FileError | null {
    const p = normalizePath(path);
    if (p === null) return { kind: 'bad-path', path };
    const old = this.files.get(p);
    if (old === undefined) return { kind: 'no-such-file', path };
    this.files.delete(p);
    this.bytes -= old.length + p.length;
    return null;
  }

  exists(path: string): boolean {
    const p = normalizePath(path);
    return p !== null && (this.files.has(p) || this.isDir(p));
  }

  /** Entries directly under directory `dir` (files and subdirectory names), sorted. */
  list(dir: string): string[] | FileError {
    const p = normalizePath(dir);
    if (p === null) return { kind: 'bad-path', path: dir };
    if (this.files.has(p)) return [p.slice(p.lastIndexOf('/') + 1)];
    const prefix = p === '/' ? '/' : p + '/';
    const names = new Set<string>();
    for (const f of this.files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]!);
    if (names.size === 0 && p !== '/') return { kind: 'no-such-file', path: dir };
    return [...names].sort();
  }

  /** Every file, for saving the node into its document (sorted by path). */
  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of [...this.files.keys()].sort()) out[p] = this.files.get(p)!;
    return out;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  private isDir(p: string): boolean {
    const prefix = p === '/' ? '/' : p + '/';
    for (const f of this.files.keys()) if (f.startsWith(prefix)) return true;
    return false;
  }
}

/** The node's files, made on first use so an idle node without files pays one absent field. */
export function nodeFiles(node: { files?: NodeFiles }): NodeFiles {
  return (node.files ??= new NodeFiles());
}

/** A binary file (a capture) is kept as one character per byte (latin1), so its size is its length. */
export function bytesToFileText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x2000) s += String.fromCharCode(...b.subarray(i, i + 0x2000));
  return s;
}

/** The bytes of a file written by bytesToFileText (a character above 0xff, from a text file, keeps its low byte). */
export function fileTextToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}
