// Text filters as FreeBSD's: grep, head, tail, wc and sort, reading the node's files or
// standard input (a pipe, `< FILE`, a here-document, or the terminal until Ctrl-D), with
// FreeBSD's output formats and exit statuses. Only the flags labs use; others are refused
// with the tool's usage line. Pure text; must not reach another node's files.

import { fileErrorText, nodeFiles } from '../../node/files';
import { getopt } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';

/** Most characters typed at the terminal one filter keeps before Ctrl-D (a tty line discipline's buffer is far smaller). */
export const TERMINAL_INPUT_MAX_CHARS = 1024 * 1024;

/** One input of a filter: its name (null for standard input) and text. */
export interface TextInput {
  name: string | null;
  text: string;
}

/**
 * Reads the operands (or standard input when there are none, or for `-`) and hands them to
 * `done` in order; a file that cannot be read is reported and skipped (`failed` set). When
 * standard input is the terminal, returns a job that collects typed text until Ctrl-D.
 */
export function readInputs(ctx: CommandContext, prog: string, operands: string[], done: (inputs: TextInput[], failed: boolean) => number): number | Job {
  const files = nodeFiles(ctx.node);
  const names = operands.length === 0 ? ['-'] : operands;
  const inputs: TextInput[] = [];
  let failed = false;
  const readFrom = (k: number): number | Job => {
    for (let i = k; i < names.length; i++) {
      const n = names[i];
      if (n === '-') {
        if (ctx.stdin !== null) {
          inputs.push({ name: null, text: ctx.stdin });
          continue;
        }
        return terminalInput(ctx, (text) => {
          inputs.push({ name: null, text });
          const r = readFrom(i + 1);
          // Anything after `-` is a file (read at once), so this is a status.
          ctx.finish(typeof r === 'number' ? r : EXIT.FAILURE);
        });
      }
      const t = files.read(n);
      if (typeof t === 'string') inputs.push({ name: n, text: t });
      else {
        ctx.err(fileErrorText(prog, t) + '\n');
        failed = true;
      }
    }
    return done(inputs, failed);
  };
  return readFrom(0);
}

/** Collects what is typed until Ctrl-D (bounded), then calls `eof`. */
function terminalInput(ctx: CommandContext, eof: (text: string) => void): Job {
  let text = '';
  let ended = false;
  // It only reads the terminal, so stopping it (Ctrl-Z) only stops its input.
  ctx.gate();
  return {
    interrupt: () => {
      ended = true;
      ctx.finish(EXIT.INTERRUPTED);
    },
    input: (typed) => {
      if (!ended && text.length + typed.length <= TERMINAL_INPUT_MAX_CHARS) text += typed;
    },
    eof: () => {
      if (ended) return;
      ended = true;
      eof(text);
    },
  };
}

/** Text as lines, without the final newline's empty line. */
function linesOf(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

function usage(ctx: CommandContext, text: string): number {
  ctx.err(text);
  return EXIT.USAGE;
}

/** `-5` as `-n 5` (head and tail's historical form). */
function legacyCount(args: string[]): string[] {
  return args.map((a, k) => (k === 0 && /^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
}

// ---- grep ----------------------------------------------------------------------------------

/** A POSIX basic regular expression as a JavaScript one: `\( \) \{ \} \| \+ \?` are the operators, the bare characters literal. */
function breToJs(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\' && i + 1 < re.length) {
      const d = re[++i];
      out += '(){}|+?'.includes(d) ? d : `\\${d}`;
    } else out += '(){}|+?'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

const GREP_USAGE = 'usage: grep [-abcdDEFGHhIiLlmnOopqRSsUVvwxz] [-A num] [-B num] [-C[num]]\n\t[-e pattern] [-f file] [--binary-files=value] [--color=when]\n\t[--context[=num]] [--directories=action] [--label] [--line-buffered]\n\t[--null] [pattern] [file ...]\n';

export const grepCommand: CommandSpec = {
  name: 'grep',
  summary: 'print lines matching a pattern (-c -E -F -H -h -i -l -n -q -v -w -x -e)',
  needsStack: false,
  run(ctx, args) {
    const g = getopt('grep', args, 'cEFHhilnqvwxe:');
    if (!g.ok) return usage(ctx, `${g.error}\n${GREP_USAGE}`);
    const o = g.opts;
    const operands = [...g.operands];
    const patterns = o.get('e') ?? [];
    if (patterns.length === 0) {
      const p = operands.shift();
      if (p === undefined) return usage(ctx, GREP_USAGE);
      patterns.push(p);
    }
    let re: RegExp;
    try {
      const srcs = patterns.map((p) => (o.has('F') ? p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : o.has('E') ? p : breToJs(p)));
      const body = srcs.map((s) => (o.has('x') ? `^(?:${s})$` : o.has('w') ? `(?<![\\w])(?:${s})(?![\\w])` : s)).join('|');
      re = new RegExp(body, o.has('i') ? 'i' : '');
    } catch {
      ctx.err(`grep: ${patterns[0]}: invalid regular expression\n`);
      return 2;
    }
    const withName = o.has('H') || (operands.length > 1 && !o.has('h'));
    return readInputs(ctx, 'grep', operands, (inputs, failed) => {
      let any = false;
      for (const inp of inputs) {
        const label = inp.name ?? '(standard input)';
        let count = 0;
        linesOf(inp.text).forEach((line, k) => {
          if (re.test(line) === o.has('v')) return;
          count++;
          any = true;
          if (o.has('q') || o.has('l') || o.has('c')) return;
          ctx.out(`${withName ? `${label}:` : ''}${o.has('n') ? `${k + 1}:` : ''}${line}\n`);
        });
        if (o.has('q')) continue;
        if (o.has('l') && count > 0) ctx.out(`${label}\n`);
        else if (o.has('c')) ctx.out(`${withName ? `${label}:` : ''}${count}\n`);
      }
      // FreeBSD: 0 when a line was selected, 1 when none, 2 on an error (unless -q found one).
      return any && (o.has('q') || !failed) ? EXIT.OK : failed ? 2 : EXIT.FAILURE;
    });
  },
};

// ---- head / tail ---------------------------------------------------------------------------------

/** Lines back into text, each with its newline. */
function joinLines(ls: readonly string[]): string {
  return ls.map((l) => l + '\n').join('');
}

/** head and tail: each input's part, under a `==> NAME <==` header when there are several. */
function withHeaders(ctx: CommandContext, inputs: TextInput[], part: (inp: TextInput) => string): void {
  inputs.forEach((inp, k) => {
    if (inputs.length > 1) ctx.out(`${k > 0 ? '\n' : ''}==> ${inp.name ?? 'standard input'} <==\n`);
    ctx.out(part(inp));
  });
}

function countArg(ctx: CommandContext, prog: string, v: string | undefined, fallback: number): number | null {
  if (v === undefined) return fallback;
  if (!/^\+?\d{1,9}$/.test(v) || (prog === 'head' && Number(v) === 0)) {
    ctx.err(`${prog}: illegal ${prog === 'head' ? 'line' : 'offset'} count -- ${v}\n`);
    return null;
  }
  return Number(v);
}

export const headCommand: CommandSpec = {
  name: 'head',
  summary: 'first lines of files (-n count, -c bytes)',
  needsStack: false,
  run(ctx, args) {
    const g = getopt('head', legacyCount(args), 'n:c:');
    if (!g.ok) return usage(ctx, `${g.error}\nusage: head [-n lines | -c bytes] [file ...]\n`);
    const bytes = g.opts.get('c')?.at(-1);
    const n = countArg(ctx, 'head', bytes ?? g.opts.get('n')?.at(-1), 10);
    if (n === null) return EXIT.FAILURE;
    return readInputs(ctx, 'head', g.operands, (inputs, failed) => {
      withHeaders(ctx, inputs, (inp) => (bytes !== undefined ? inp.text.slice(0, n) : joinLines(linesOf(inp.text).slice(0, n))));
      return failed ? EXIT.FAILURE : EXIT.OK;
    });
  },
};

export const tailCommand: CommandSpec = {
  name: 'tail',
  summary: 'last lines of files (-n count, -n +start, -c bytes)',
  needsStack: false,
  run(ctx, args) {
    const g = getopt('tail', legacyCount(args), 'n:c:');
    if (!g.ok) return usage(ctx, `${g.error}\nusage: tail [-F | -f | -r] [-q] [-b # | -c # | -n #] [file ...]\n`);
    const raw = g.opts.get('c')?.at(-1) ?? g.opts.get('n')?.at(-1);
    const fromStart = raw?.startsWith('+') ?? false;
    const n = countArg(ctx, 'tail', raw, 10);
    if (n === null) return EXIT.FAILURE;
    const bytes = g.opts.has('c');
    // From the n-th on (`+n`), else the last n: of characters with -c, of lines without.
    const cut = <T>(xs: { slice(a: number, b?: number): T }, len: number): T => (fromStart ? xs.slice(Math.max(0, n - 1)) : xs.slice(n === 0 ? len : len - n));
    return readInputs(ctx, 'tail', g.operands, (inputs, failed) => {
      withHeaders(ctx, inputs, (inp) => {
        if (bytes) return cut(inp.text, inp.text.length);
        const ls = linesOf(inp.text);
        return joinLines(cut(ls, ls.length));
      });
      return failed ? EXIT.FAILURE : EXIT.OK;
    });
  },
};

// ---- wc -------------------------------------------------------------------------------------------

export const wcCommand: CommandSpec = {
  name: 'wc',
  summary: 'count lines, words and bytes (-l -w -c)',
  needsStack: false,
  run(ctx, args) {
    const g = getopt('wc', args, 'lwcm');
    if (!g.ok) return usage(ctx, `${g.error}\nusage: wc [-Lclmw] [file ...]\n`);
    const any = g.opts.has('l') || g.opts.has('w') || g.opts.has('c') || g.opts.has('m');
    const show = { l: !any || g.opts.has('l'), w: !any || g.opts.has('w'), c: !any || g.opts.has('c') || g.opts.has('m') };
    const row = (l: number, w: number, c: number, name: string | null): string =>
      `${show.l ? ` ${String(l).padStart(7)}` : ''}${show.w ? ` ${String(w).padStart(7)}` : ''}${show.c ? ` ${String(c).padStart(7)}` : ''}${name !== null ? ` ${name}` : ''}\n`;
    return readInputs(ctx, 'wc', g.operands, (inputs, failed) => {
      const total = [0, 0, 0];
      for (const inp of inputs) {
        const l = (inp.text.match(/\n/g) ?? []).length;
        const w = (inp.text.match(/\S+/g) ?? []).length;
        // Bytes: the files hold text; a character above U+007F counts as its UTF-8 length.
        const c = inp.text.length + (inp.text.match(/[\u0080-\u07ff]/g) ?? []).length + 2 * (inp.text.match(/[\u0800-\uffff]/g) ?? []).length;
        total[0] += l;
        total[1] += w;
        total[2] += c;
        ctx.out(row(l, w, c, inp.name));
      }
      if (inputs.length > 1) ctx.out(row(total[0], total[1], total[2], 'total'));
      return failed ? EXIT.FAILURE : EXIT.OK;
    });
  },
};

// ---- sort -------------------------------------------------------------------------------------------

/** sort -n's key: the leading number of the line (blanks skipped), 0 when there is none. */
function numericKey(line: string): number {
  const m = /^\s*(-?\d*\.?\d+)/.exec(line);
  return m ? Number(m[1]) : 0;
}

export const sortCommand: CommandSpec = {
  name: 'sort',
  summary: 'sort lines (-r -n -u -f)',
  needsStack: false,
  run(ctx, args) {
    const g = getopt('sort', args, 'rnuf');
    if (!g.ok) return usage(ctx, `${g.error}\nUsage: sort [-bcCdfigMmnRrsuVz] [-kPOS1[,POS2] ... ] [+POS1 [-POS2]] [-S memsize] [-T tmpdir] [-t separator] [-o outfile] [--batch-size size] [--files0-from file] [--heapsort] [--mergesort] [--radixsort] [--qsort] [--mmap] [--parallel thread_no] [--human-numeric-sort] [--version-sort] [--random-sort [--random-source file]] [--compress-program program] [file ...]\n`);
    const o = g.opts;
    const fold = (s: string) => (o.has('f') ? s.toUpperCase() : s);
    // The C locale: byte order; -n by the leading number, ties by the whole line.
    const cmpText = (a: string, b: string) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0);
    const cmp = (a: string, b: string) => (o.has('n') ? numericKey(a) - numericKey(b) : 0) || (o.has('n') && o.has('u') ? 0 : cmpText(a, b));
    return readInputs(ctx, 'sort', g.operands, (inputs, failed) => {
      if (failed) return 2;
      const all = inputs.flatMap((i) => linesOf(i.text)).sort(cmp);
      if (o.has('r')) all.reverse();
      const out = o.has('u') ? all.filter((l, k) => k === 0 || cmp(all[k - 1], l) !== 0) : all;
      ctx.out(joinLines(out));
      return EXIT.OK;
    });
  },
};
