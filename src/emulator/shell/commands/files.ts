// The shell's file tools over the node's private files (node/files.ts): cat (files, or
// standard input: a pipe, a here-document or the terminal until Ctrl-D), ls, rm,
// mkdir, printf, and ed(1)'s core (a, i, c, d, p, n, w, q with line addresses) as the line
// editor. Errors print as FreeBSD's tools print them (fileErrorText). Must not reach
// another node's files: every command uses its own node's NodeFiles.

import { fileErrorText, nodeFiles, type NodeFiles } from '../../node/files';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';

export const catCommand: CommandSpec = {
  name: 'cat',
  summary: 'print files, or standard input (a pipe, a here-document, or the terminal until Ctrl-D)',
  needsStack: false,
  run(ctx, args) {
    const files = nodeFiles(ctx.node);
    let status: number = EXIT.OK;
    const names = args.filter((a) => a !== '-u');
    if (names.length === 0) names.push('-');
    const from = (k: number): number | Job => {
      for (let i = k; i < names.length; i++) {
        const a = names[i];
        if (a === '-') {
          if (ctx.stdin !== null) {
            ctx.out(ctx.stdin);
            continue;
          }
          // The terminal: each line as it is typed, until Ctrl-D (then the operands after `-`).
          let ended = false;
          // It only reads the terminal, so stopping it (Ctrl-Z) only stops its input.
          ctx.gate();
          return {
            interrupt: () => {
              ended = true;
              ctx.finish(EXIT.INTERRUPTED);
            },
            input: (typed: string) => {
              if (!ended) ctx.out(typed);
            },
            eof: () => {
              if (ended) return;
              ended = true;
              const r = from(i + 1);
              ctx.finish(typeof r === 'number' ? r : EXIT.FAILURE);
            },
          };
        }
        const t = files.read(a);
        if (typeof t === 'string') ctx.out(t);
        else {
          ctx.err(fileErrorText('cat', t) + '\n');
          status = EXIT.FAILURE;
        }
      }
      return status;
    };
    return from(0);
  },
};

export const lsCommand: CommandSpec = {
  name: 'ls',
  summary: 'list the node\'s files',
  needsStack: false,
  run(ctx, args) {
    const files = nodeFiles(ctx.node);
    const long = args.includes('-l');
    const ops = args.filter((a) => !a.startsWith('-'));
    if (ops.length === 0) ops.push('/');
    let status: number = EXIT.OK;
    ops.forEach((dir, k) => {
      const list = files.list(dir);
      if (!Array.isArray(list)) {
        ctx.err(fileErrorText('ls', list) + '\n');
        status = EXIT.FAILURE;
        return;
      }
      if (ops.length > 1) ctx.out(`${k > 0 ? '\n' : ''}${dir}:\n`);
      const isFile = typeof files.read(dir) === 'string';
      for (const name of list) {
        if (!long) {
          ctx.out(`${isFile ? dir : name}\n`);
          continue;
        }
        const path = isFile ? dir : `${dir.replace(/\/$/, '')}/${name}`;
        const t = files.read(path);
        const entry = typeof t === 'string' ? `-rw-r--r--  1 root  wheel  ${String(t.length).padStart(6)} ${isFile ? dir : name}` : `drwxr-xr-x  2 root  wheel  ${'512'.padStart(6)} ${name}`;
        ctx.out(entry + '\n');
      }
    });
    return status;
  },
};

export const rmCommand: CommandSpec = {
  name: 'rm',
  summary: 'remove files',
  needsStack: false,
  run(ctx, args) {
    const files = nodeFiles(ctx.node);
    const force = args.some((a) => /^-[rRf]*f/.test(a));
    const recursive = args.some((a) => /^-[rRf]*[rR]/.test(a));
    const ops = args.filter((a) => !a.startsWith('-'));
    if (ops.length === 0) {
      if (force) return EXIT.OK;
      ctx.err('usage: rm [-f | -i] [-dIPRrvWx] file ...\n');
      return EXIT.USAGE;
    }
    let status: number = EXIT.OK;
    for (const p of ops) {
      const t = files.read(p);
      if (typeof t !== 'string' && t.kind === 'is-a-directory') {
        if (!recursive) {
          ctx.err(`rm: ${p}: is a directory\n`);
          status = EXIT.FAILURE;
        } else removeTree(files, p);
        continue;
      }
      const e = files.remove(p);
      if (e !== null && !force) {
        ctx.err(fileErrorText('rm', e) + '\n');
        status = EXIT.FAILURE;
      }
    }
    return status;
  },
};

function removeTree(files: NodeFiles, dir: string): void {
  const list = files.list(dir);
  if (!Array.isArray(list)) return;
  for (const name of list) {
    const p = `${dir.replace(/\/$/, '')}/${name}`;
    if (files.remove(p) !== null) removeTree(files, p);
  }
}

export const mkdirCommand: CommandSpec = {
  name: 'mkdir',
  summary: 'make directories (implied by the paths of the files in them)',
  needsStack: false,
  run(ctx, args) {
    const files = nodeFiles(ctx.node);
    const parents = args.includes('-p');
    const ops = args.filter((a) => !a.startsWith('-'));
    if (ops.length === 0) {
      ctx.err('usage: mkdir [-pv] [-m mode] directory_name ...\n');
      return EXIT.USAGE;
    }
    let status: number = EXIT.OK;
    for (const p of ops) {
      if (files.exists(p) && !parents) {
        ctx.err(`mkdir: ${p}: File exists\n`);
        status = EXIT.FAILURE;
      }
      // A directory exists here while it holds a file: nothing to create.
    }
    return status;
  },
};

/** touch(1): creates empty files (an existing one is left as it is: files here keep no times). */
export const touchCommand: CommandSpec = {
  name: 'touch',
  summary: 'create empty files',
  needsStack: false,
  run(ctx, args) {
    const files = nodeFiles(ctx.node);
    const ops = args.filter((a) => !a.startsWith('-'));
    if (ops.length === 0) {
      ctx.err('usage: touch [-A [-][[hh]mm]SS] [-achm] [-r file] [-t [[CC]YY]MMDDhhmm[.SS]]\n       [-d YYYY-MM-DDThh:mm:SS[.frac][tz]] file ...\n');
      return EXIT.USAGE;
    }
    let status: number = EXIT.OK;
    for (const p of ops) {
      if (files.exists(p)) continue;
      const e = files.write(p, '');
      if (e !== null) {
        ctx.err(fileErrorText('touch', e) + '\n');
        status = EXIT.FAILURE;
      }
    }
    return status;
  },
};

/** printf(1)'s escapes and %s %d %% conversions; the format is reused while arguments remain. */
export const printfCommand: CommandSpec = {
  name: 'printf',
  summary: 'formatted output',
  needsStack: false,
  run(ctx, args) {
    if (args.length === 0) {
      ctx.err('usage: printf format [arguments ...]\n');
      return EXIT.USAGE;
    }
    const [fmt, ...rest] = args;
    let k = 0;
    let out = '';
    do {
      out += fmt.replace(/\\(.)|%([sdb%])/g, (_m, esc: string | undefined, conv: string | undefined) => {
        if (esc !== undefined) return esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === '\\' ? '\\' : esc;
        if (conv === '%') return '%';
        const a = rest[k++] ?? '';
        return conv === 'd' ? String(Number.parseInt(a, 10) || 0) : a;
      });
    } while (k < rest.length && /%[sdb]/.test(fmt));
    ctx.out(out);
    return EXIT.OK;
  },
};

// ---- ed ----------------------------------------------------------------------------------

interface EdState {
  path: string;
  lines: string[];
  /** Current line (1-based; 0 when the buffer is empty). */
  dot: number;
  /** Collecting text for a, i or c: lines go here until `.`. */
  insert: { at: number; text: string[] } | null;
  dirty: boolean;
  quitWarned: boolean;
  done: boolean;
}

/** ed(1)'s line addresses: N, `.`, `$`, `,` (the whole buffer); null when malformed. */
function edRange(s: EdState, spec: string): [number, number] | null {
  if (spec === '') return [s.dot, s.dot];
  if (spec === ',' || spec === '%') return [Math.min(1, s.lines.length), s.lines.length];
  const one = (a: string): number | null => (a === '.' ? s.dot : a === '$' ? s.lines.length : /^\d+$/.test(a) ? Number(a) : null);
  const parts = spec.split(',');
  if (parts.length > 2) return null;
  const a = one(parts[0]);
  const b = parts.length === 2 ? one(parts[1]) : a;
  if (a === null || b === null || a > b || b > s.lines.length) return null;
  return [a, b];
}

/** One command line of ed; output through `say`. */
function edLine(s: EdState, files: NodeFiles, line: string, say: (t: string) => void): void {
  if (s.insert !== null) {
    if (line === '.') {
      s.lines.splice(s.insert.at, 0, ...s.insert.text);
      s.dot = s.insert.at + s.insert.text.length;
      s.dirty = s.dirty || s.insert.text.length > 0;
      s.insert = null;
    } else s.insert.text.push(line);
    return;
  }
  const m = /^([0-9.$,%]*)([aicdpnwqQ]?)(?:\s+(\S+))?$/.exec(line.trim());
  const bad = (): void => say('?\n');
  if (m === null) return bad();
  const [, addr, cmd, arg] = m;
  const r = edRange(s, addr);
  if (cmd === '' ) {
    if (r === null || r[1] < 1) return bad();
    s.dot = r[1];
    return say(s.lines[s.dot - 1] + '\n');
  }
  if (r === null && 'cdpn'.includes(cmd)) return bad();
  switch (cmd) {
    case 'a':
      s.insert = { at: r === null ? s.lines.length : r[1], text: [] };
      return;
    case 'i':
      s.insert = { at: r === null ? 0 : Math.max(0, r[0] - 1), text: [] };
      return;
    case 'c':
    case 'd':
      if (r![0] < 1) return bad();
      s.lines.splice(r![0] - 1, r![1] - r![0] + 1);
      s.dirty = true;
      s.dot = Math.min(r![0], s.lines.length);
      if (cmd === 'c') s.insert = { at: r![0] - 1, text: [] };
      return;
    case 'p':
    case 'n':
      if (r![0] < 1) return bad();
      for (let k = r![0]; k <= r![1]; k++) say(cmd === 'n' ? `${k}\t${s.lines[k - 1]}\n` : s.lines[k - 1] + '\n');
      s.dot = r![1];
      return;
    case 'w': {
      const text = s.lines.length === 0 ? '' : s.lines.join('\n') + '\n';
      const e = files.write(arg ?? s.path, text);
      if (e !== null) return say(`${fileErrorText('ed', e)}\n?\n`);
      s.dirty = false;
      return say(`${text.length}\n`);
    }
    case 'q':
      if (s.dirty && !s.quitWarned) {
        s.quitWarned = true;
        return bad(); // ed warns once about unsaved changes
      }
      s.done = true;
      return;
    case 'Q':
      s.done = true;
      return;
    default:
      return bad();
  }
}

export const edCommand: CommandSpec = {
  name: 'ed',
  summary: 'line editor: ed FILE (a, i, c, d, p, n, w, q)',
  needsStack: false,
  run(ctx: CommandContext, args: string[]): number | Job {
    const ops = args.filter((a) => a !== '-s');
    const quiet = args.includes('-s');
    if (ops.length !== 1) {
      ctx.err('usage: ed [-] [-sx] [-p string] [file]\n');
      return EXIT.USAGE;
    }
    const files = nodeFiles(ctx.node);
    const text = files.read(ops[0]);
    const s: EdState = { path: ops[0], lines: [], dot: 0, insert: null, dirty: false, quitWarned: false, done: false };
    if (typeof text === 'string') {
      s.lines = text.length === 0 ? [] : text.replace(/\n$/, '').split('\n');
      s.dot = s.lines.length;
      if (!quiet) ctx.out(`${text.length}\n`);
    } else if (text.kind !== 'no-such-file') {
      ctx.err(fileErrorText('ed', text) + '\n');
      return EXIT.FAILURE;
    } else if (!quiet) ctx.out(`${ops[0]}: No such file or directory\n`);
    const say = (t: string): void => (quiet && /^\d+\n$/.test(t) ? undefined : ctx.out(t));
    if (ctx.stdin !== null) {
      for (const line of ctx.stdin.replace(/\n$/, '').split('\n')) {
        edLine(s, files, line, say);
        if (s.done) break;
      }
      return EXIT.OK;
    }
    let pending = '';
    // It only reads the terminal, so stopping it (Ctrl-Z) only stops its input.
    ctx.gate();
    return {
      interrupt: () => ctx.finish(EXIT.INTERRUPTED),
      input: (typed: string) => {
        pending += typed;
        let nl: number;
        while ((nl = pending.search(/\r?\n|\r/)) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + (pending.startsWith('\r\n', nl) ? 2 : 1));
          edLine(s, files, line, say);
          if (s.done) return ctx.finish(EXIT.OK);
        }
      },
    };
  },
};
