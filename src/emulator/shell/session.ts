// The node shell session (DESIGN decision 5: one interpreter for GUI terminals and the
// CLI): tokenizes a line, looks commands up in the table for the node's kind, runs
// them in order and reports the exit status, queueing lines typed while a job runs.
// `CMD &` and daemons keep running beside it (job control: jobs, fg, bg, kill, Ctrl-Z;
// jobs.ts); every command that keeps running is a program of the node (node/procs.ts) with
// a PID, and one whose callbacks pass through its gate (node/proc-gate.ts) can be stopped.
// Pipelines run their commands one after the other, each reading what the one before
// wrote (bounded by PIPE_MAX_CHARS). Sequencing is one loop (never recursion), so no line can overflow the stack or leave
// the session busy; lines and commands per line are bounded (LINE_MAX_CHARS,
// COMMANDS_PER_LINE_MAX). Must not advance time itself; the caller's driver does.

import type { World } from '../engine/world';
import type { NetStack } from '../stack/types';
import { commandTable } from './commands';
import { completeLine } from './complete';
import { findJob, freeJobId, jobLine, jobMark, type BgJob } from './jobs';
import { tokenize, type Redirect } from './tokenize';
import { fileErrorReason, fileErrorText, nodeFiles } from '../node/files';
import { continueProc, endProc, newProc, openTty, procByPid, runProc, signalProc, type Proc } from '../node/procs';
import { ProcGate } from '../node/proc-gate';
import { parseSignal, SIG, signalListLines, signalName, signalText } from '../node/signals';
import { EOF_INPUT, EXIT, type CommandContext, type Completion, type Job, type ShellIo, type ShellSession } from './types';

/** Longest line the shell accepts (256 Ki characters: room for 10,000 short commands; a lab line is far shorter). */
export const LINE_MAX_CHARS = 262_144;
/** Most `;`-separated commands one line may run. */
export const COMMANDS_PER_LINE_MAX = 16_384;
/** Most lines waiting while a command runs (type-ahead); more are refused, as a full tty buffer. */
export const QUEUED_LINES_MAX = 1024;
/** Most characters one command may write into a pipe (the rest is dropped with a message). */
export const PIPE_MAX_CHARS = 4 * 1024 * 1024;

interface Pending {
  line: string;
  done: (code: number) => void;
}

/** The line being run: its commands, the next one, and the last status. */
interface Current {
  cmds: string[][];
  background: boolean[];
  redirects: Redirect[] | undefined;
  /** Here-document bodies by command index. */
  stdin: Map<number, string>;
  /** `pipes[i]`: commands[i] writes into a pipe read by commands[i + 1] (absent: no pipeline on the line). */
  pipes: boolean[] | undefined;
  /** What the command before wrote into its pipe (the next command's standard input). */
  piped: { text: string; full: boolean } | null;
  next: number;
  last: number;
  done: (code: number) => void;
}

/** A command's standard streams after its redirections (null: the terminal). */
interface Streams {
  out: ((text: string) => void) | null;
  err: ((text: string) => void) | null;
  input: string | null;
}

/** The command of the current line that has not finished yet (a Job), or finished with `code`. */
interface Running {
  job: Job | null;
  code: number | null;
  /** Its entry in the node's process table (a PID once it keeps running). */
  proc: Proc;
  /** Its job number while `fg` holds it in the foreground (a stop gives it back). */
  jobId?: number;
  /** Killed by SIGKILL: it ends without a word (nothing of it runs to say one). */
  muted?: boolean;
}

export function openShell(world: World, nodeId: string, io: ShellIo): ShellSession {
  const node = world.nodeById(nodeId) ?? world.nodeByName(nodeId);
  if (!node) throw new Error(`openShell: no node ${nodeId}`);
  const table = commandTable();
  const queue: Pending[] = [];
  let current: Current | null = null;
  let running: Running | null = null;
  let pumping = false;
  let closed = false;
  let aborted = false;
  /** Set by close(): background jobs end without another word (the terminal is gone). */
  let hushed = false;
  /** Background jobs and daemons, oldest first; their PIDs come from the node's process table. */
  const bg: BgJob[] = [];
  /** This terminal as ps's TT column names it (null: no terminal, as an rc script). */
  const tty = io.detached === true ? null : openTty(node);
  /** A line waiting for its here-document bodies (the next lines typed or read from a script). */
  let heredoc: { cur: Current; waiting: number[]; body: string[] } | null = null;

  /** Takes one line of a here-document; the line runs once its last delimiter is read. */
  const collect = (h: NonNullable<typeof heredoc>, p: Pending): void => {
    const k = h.waiting[0];
    const spec = h.cur.redirects![k].heredoc!;
    const text = spec.strip ? p.line.replace(/^\t+/, '') : p.line;
    if (text !== spec.delim) {
      if (h.body.length >= QUEUED_LINES_MAX) {
        io.write(`sh: here-document longer than ${QUEUED_LINES_MAX} lines\n`);
        heredoc = null;
        return p.done(2);
      }
      h.body.push(text);
      return p.done(EXIT.OK);
    }
    h.cur.stdin.set(k, h.body.map((l) => l + '\n').join(''));
    h.body = [];
    h.waiting.shift();
    if (h.waiting.length > 0) return p.done(EXIT.OK);
    heredoc = null;
    current = { ...h.cur, done: p.done };
  };

  /** Parses a line into `current`, or reports why it will not run (and calls its done). */
  const begin = (p: Pending): void => {
    aborted = false;
    if (heredoc !== null) return collect(heredoc, p);
    if (p.line.length > LINE_MAX_CHARS) {
      io.write(`sh: line too long: ${p.line.length} characters (the limit is ${LINE_MAX_CHARS})\n`);
      return p.done(2);
    }
    const t = tokenize(p.line);
    if (!t.ok) {
      io.write(`sh: ${t.error}\n`);
      return p.done(2);
    }
    if (t.commands.length > COMMANDS_PER_LINE_MAX) {
      io.write(`sh: too many commands on one line: ${t.commands.length} (the limit is ${COMMANDS_PER_LINE_MAX})\n`);
      return p.done(2);
    }
    reportDone();
    const cur: Current = { cmds: t.commands, background: t.background, redirects: t.redirects, stdin: new Map(), pipes: t.pipes, piped: null, next: 0, last: 0, done: p.done };
    const waiting = (t.redirects ?? []).flatMap((r, k) => (r.heredoc ? [k] : []));
    if (waiting.length === 0) current = cur;
    else {
      heredoc = { cur, waiting, body: [] };
      p.done(EXIT.OK);
    }
  };

  /** sh reports finished background jobs before the next line runs (`[1]   Done   cmd`). */
  const reportDone = (): void => {
    // An ended job is no longer anybody's current job: its mark is blank (sh's deljob).
    for (const j of byNumber()) {
      if (j.run.code === null || j.reported) continue;
      j.reported = true;
      io.write(jobLine(j, ' ') + '\n');
    }
    for (const j of bg) if (j.run.code !== null && j.id === 0) j.reported = true;
    for (let i = bg.length - 1; i >= 0; i--) if (bg[i].reported) bg.splice(i, 1);
  };

  /** The jobs `jobs` lists, by number (`bg` itself is in the order they were last used). */
  const byNumber = (): BgJob[] => bg.filter((j) => j.id > 0).sort((a, b) => a.id - b.id);

  /** The job becomes the most recently used one (sh's setcurjob). */
  const touch = (j: BgJob): void => {
    bg.splice(bg.indexOf(j), 1);
    bg.push(j);
  };

  /** `jobs [-l | -p] [%N …]`: the table (-l with PIDs), or only the PIDs (-p). */
  const listJobs = (args: string[]): number => {
    const flags = args.filter((a) => a.startsWith('-') && a !== '-');
    const bad = flags.find((a) => !/^-[lp]+$/.test(a));
    if (bad !== undefined) {
      io.write(`jobs: unknown option: -${bad.replace(/^-[lp]*/, '')[0]}\n`);
      return 2;
    }
    const pidsOnly = flags.some((a) => a.includes('p'));
    const withPid = flags.some((a) => a.includes('l'));
    const specs = args.filter((a) => !flags.includes(a));
    let listed = byNumber();
    if (specs.length > 0) {
      listed = [];
      for (const spec of specs) {
        const j = findJob(bg, spec);
        if (typeof j === 'string') {
          io.write(`jobs: ${j}\n`);
          return 2;
        }
        listed.push(j);
      }
    }
    for (const j of listed) {
      io.write((pidsOnly ? String(j.pid) : jobLine(j, jobMark(bg, j), withPid)) + '\n');
      if (j.run.code !== null) j.reported = true;
    }
    for (let i = bg.length - 1; i >= 0; i--) if (bg[i].reported) bg.splice(i, 1);
    return EXIT.OK;
  };

  /**
   * `fg [%N]`: the job (continued if it was stopped) becomes the running command: Ctrl-C,
   * Ctrl-Z and typed input reach it.
   */
  const foreground = (args: string[]): number | null => {
    const j = findJob(bg, args[0]);
    if (typeof j === 'string') {
      io.write(`fg: ${j}\n`);
      return 2;
    }
    bg.splice(bg.indexOf(j), 1);
    io.write(j.text + '\n');
    if (j.run.code !== null) return j.run.code;
    j.run.proc.foreground = true;
    j.run.jobId = j.id;
    running = j.run;
    continueProc(j.run.proc);
    // A signal sent while it was stopped ends it as it continues.
    if (j.run.code !== null) {
      running = null;
      deathNote(j.run.code);
      return j.run.code;
    }
    if (j.run.job?.input) io.stdin?.(true);
    return null;
  };

  /** `bg [%N …]`: stopped jobs continue in the background (`[1] cmd`). */
  const bgBuiltin = (args: string[]): number => {
    for (const spec of args.length === 0 ? [undefined] : args) {
      const j = findJob(bg, spec);
      if (typeof j === 'string') {
        io.write(`bg: ${j}\n`);
        return 2;
      }
      if (j.run.code !== null) continue;
      touch(j);
      continueProc(j.run.proc);
      io.write(`[${j.id}] ${j.text}\n`);
    }
    return EXIT.OK;
  };

  /** What sh says when the foreground command dies of a signal (nothing for SIGINT, whose ^C showed). */
  const deathNote = (code: number): void => {
    const sig = code - 128;
    if (hushed || sig <= 0 || sig >= 32 || sig === SIG.INT || sig === 13) return;
    io.write(signalText(sig) + '\n');
  };

  /**
   * The foreground command stopped (Ctrl-Z, or `kill -STOP` from anywhere): it becomes a
   * job, sh shows it (`[1] + Suspended   cmd`) and the line goes on with status 128 + the
   * signal, as FreeBSD sh's waitforjob returns.
   */
  const stopped = (run: Running): void => {
    // Without a terminal (a startup script) sh does no job control: it goes on waiting for
    // the stopped command, and the script goes on once it is continued and ends.
    if (running !== run || tty === null) return;
    if (run.job?.input) io.stdin?.(false);
    running = null;
    run.proc.foreground = false;
    const id = run.jobId !== undefined && !bg.some((x) => x.id === run.jobId) ? run.jobId : freeJobId(bg);
    const j: BgJob = { id, pid: run.proc.pid, text: run.proc.command, run, reported: false };
    bg.push(j);
    if (!hushed) io.write(jobLine(j, jobMark(bg, j)) + '\n');
    if (current) {
      current.last = 128 + (run.proc.stopSignal ?? SIG.TSTP);
      current.next++;
    }
    pump();
  };

  /**
   * `kill [-s SIG | -SIG | -N] %N|PID …` and `kill -l`: sends a signal (SIGTERM by default)
   * to jobs, daemons and any other program of the node, with its default action: end it,
   * stop it (a program that can be stopped), continue it, or nothing. A PID names a program
   * of any terminal or an rc service, as kill(1) does. A stopped program keeps a fatal
   * signal other than SIGKILL until it is continued, as the kernel does.
   */
  const kill = (args: string[]): number => {
    const usage = (): number => {
      io.write('usage: kill [-s signal_name] pid ...\n       kill -l [exit_status]\n       kill -signal_name pid ...\n       kill -signal_number pid ...\n');
      return 2;
    };
    let a = args;
    let sig: number = SIG.TERM;
    if (a[0] === '-l') {
      if (a.length > 2) return usage();
      if (a.length === 2) {
        const n = /^[0-9]+$/.test(a[1]) ? Number(a[1]) : NaN;
        const num = n > 128 ? n - 128 : n;
        if (!(num > 0 && num < 32)) {
          io.write(`kill: unknown signal ${a[1]}; valid signals:\n${signalListLines().join('\n')}\n`);
          return 2;
        }
        io.write(`${signalName(num)}\n`);
        return EXIT.OK;
      }
      io.write(signalListLines().join('\n') + '\n');
      return EXIT.OK;
    }
    if (a[0] === '-s' || (a[0]?.startsWith('-') && a[0] !== '-' && a[0] !== '--')) {
      const name = a[0] === '-s' ? a[1] : a[0].slice(1);
      if (name === undefined) return usage();
      const n = parseSignal(name);
      if (n === null) {
        io.write(`kill: unknown signal ${name}; valid signals:\n${signalListLines().join('\n')}\n`);
        return 2;
      }
      sig = n;
      a = a.slice(a[0] === '-s' ? 2 : 1);
    }
    if (a[0] === '--') a = a.slice(1);
    if (a.length === 0) return usage();
    let status = EXIT.OK as number;
    for (const t of a) {
      let p: Proc | undefined;
      if (t.startsWith('%')) {
        const j = findJob(bg, t);
        if (typeof j === 'string') {
          io.write(`kill: ${j}\n`);
          status = EXIT.FAILURE;
          continue;
        }
        if (j.run.code !== null) continue;
        p = j.run.proc;
      } else {
        p = /^[0-9]+$/.test(t) ? procByPid(node, Number(t)) : undefined;
        if (p === undefined) {
          io.write(/^-?[0-9]+$/.test(t) ? `kill: ${t}: No such process\n` : `kill: illegal process id: ${t}\n`);
          status = EXIT.FAILURE;
          continue;
        }
      }
      if (!signalProc(p, sig)) {
        io.write(`kill: ${t}: ${p.name} cannot be stopped here (only commands run from a shell can)\n`);
        status = EXIT.FAILURE;
      }
    }
    return status;
  };

  /**
   * Enters a command that keeps running in the node's process table, with what a fatal
   * signal does to it: it ends with status 128 + the signal whatever it does on its way out,
   * and a foreground command killed from another terminal gives this one its prompt back (sh
   * says `Terminated`, `Killed`, …). Its stops come back here too (stopped()).
   */
  const spawn = (run: Running): boolean => {
    const ok = runProc(node, run.proc, world.sim.now(), (signal: number = SIG.TERM) => {
      endProc(node, run.proc);
      if (run.code !== null) return;
      run.code = 128 + signal;
      // Its cleanup (timers, sockets) still runs here; after SIGKILL it may not speak.
      if (signal === SIG.KILL) run.muted = true;
      interruptHeld(run.job);
      const j = bg.find((x) => x.run === run);
      if (j !== undefined && j.id === 0) j.reported = true;
      if (running === run && !pumping) {
        deathNote(run.code);
        pump();
      }
    });
    run.proc.onStop = () => stopped(run);
    if (!ok) io.write(`sh: fork: Resource temporarily unavailable (${node.name} runs too many programs)\n`);
    return ok;
  };

  /** A background job's entry (sh prints `[N] PID` before the command says anything), or a daemon's. */
  const detach = (argv: string[], run: Running, asJob: boolean): void => {
    run.proc.foreground = false;
    if (!asJob) run.proc.tty = null;
    const j: BgJob = { id: asJob ? freeJobId(bg) : 0, pid: run.proc.pid, text: argv.join(' '), run, reported: false };
    bg.push(j);
    if (asJob) io.write(`[${j.id}] ${j.pid}\n`);
  };

  /** Opens the command's redirections: its output sinks and standard input, or the status when one fails. */
  const streams = (r: Redirect | undefined, heredocText: string | undefined, pipe: Current['piped']): Streams | number => {
    const files = nodeFiles(node);
    const sink = (to: { path: string; append: boolean } | undefined): ((text: string) => void) | null => {
      if (to === undefined) return null;
      if (to.path === '/dev/null') return () => {};
      const e = to.append ? (files.exists(to.path) ? null : files.write(to.path, '')) : files.write(to.path, '');
      if (e !== null) {
        io.write(`sh: cannot create ${to.path}: ${fileErrorReason(e)}\n`);
        return undefined as never;
      }
      let failed = false;
      return (text) => {
        const w = failed ? null : files.write(to.path, text, true);
        if (w !== null) {
          failed = true;
          io.write(fileErrorText('sh', w) + '\n');
        }
      };
    };
    let input: string | null = heredocText ?? null;
    if (r?.input !== undefined) {
      const t = files.read(r.input);
      if (typeof t !== 'string') {
        io.write(`sh: cannot open ${r.input}: ${fileErrorReason(t)}\n`);
        return 2;
      }
      input = t;
    }
    // A `> FILE` of its own wins over the pipe (sh: the next command then reads nothing).
    const out = r?.out === undefined && pipe !== null ? pipeSink(pipe) : sink(r?.out);
    if (out === undefined) return 2;
    const errTo = r?.err === 'stdout' ? out : sink(r?.err);
    if (errTo === undefined) return 2;
    return { out, err: r?.err === 'stdout' && out === null ? null : errTo, input };
  };

  /** A pipe's writing end: text kept for the next command, bounded by PIPE_MAX_CHARS. */
  const pipeSink = (pipe: NonNullable<Current['piped']>): ((text: string) => void) => (text) => {
    if (pipe.full) return;
    if (pipe.text.length + text.length > PIPE_MAX_CHARS) {
      pipe.full = true;
      io.write(`sh: pipe: more than ${PIPE_MAX_CHARS} characters written; the rest is dropped\n`);
      pipe.text += text.slice(0, PIPE_MAX_CHARS - pipe.text.length);
      return;
    }
    pipe.text += text;
  };

  /** Starts one command: its status if it finished at once, else null (a job runs). */
  const start = (argv: string[], background = false, r?: Redirect, heredocText?: string, pipe: Current['piped'] = null): number | null => {
    const st = streams(r, heredocText, pipe);
    if (typeof st === 'number') return st;
    if (argv[0] === 'jobs') return listJobs(argv.slice(1));
    if (argv[0] === 'fg') return foreground(argv.slice(1));
    if (argv[0] === 'bg') return bgBuiltin(argv.slice(1));
    if (argv[0] === 'kill') return kill(argv.slice(1));
    const spec = table.get(argv[0]);
    if (!spec || (spec.needsStack && !node.stack)) {
      io.write(`sh: ${argv[0]}: not found\n`);
      return EXIT.NOT_FOUND;
    }
    const run: Running = { job: null, code: null, proc: newProc(argv[0], argv.join(' '), tty) };
    run.proc.foreground = !background;
    // A background command is a process from the start (its PID is printed first).
    if (background && !spawn(run)) return EXIT.FAILURE;
    running = background ? null : run;
    if (background) detach(argv, run, true);
    const ctx = context(run, st);
    let result: number | Job;
    try {
      result = spec.run(ctx, argv.slice(1));
    } catch (err) {
      // A command bug must not kill the terminal; report it like a crashed process.
      io.write(`sh: ${argv[0]}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      result = 70;
    }
    if (typeof result === 'number') {
      if (run.code === null) run.code = result;
    } else if (run.code === null) {
      run.job = result;
      if (background) return EXIT.OK;
      if (!spawn(run)) {
        stopRun(run);
        if (running === run) running = null;
        return EXIT.FAILURE;
      }
      if (result.daemon) {
        if (running === run) running = null;
        detach(argv, run, false);
        return EXIT.OK;
      }
      if (result.input) io.stdin?.(true);
      return null;
    }
    endProc(node, run.proc);
    if (running === run) running = null;
    return background ? EXIT.OK : run.code;
  };

  /** Ends a job the process table had no room for. */
  const stopRun = (run: Running): void => {
    run.code = EXIT.FAILURE;
    interruptHeld(run.job);
  };

  /** Interrupts a job with the loop held, so the line goes on (and its status is reported) after what the job writes on its way out. */
  const interruptHeld = (job: Job | null): void => {
    const wasPumping = pumping;
    pumping = true;
    try {
      job?.interrupt();
    } finally {
      pumping = wasPumping;
    }
  };

  const context = (run: Running, st: Streams): CommandContext => ({
    world,
    node,
    stack: node.stack as NetStack,
    proc: run.proc,
    gate: () => (run.proc.gate ??= new ProcGate(world.sim)),
    stdin: st.input,
    out: (text) => {
      if (run.muted === true) return;
      if (st.out !== null) st.out(text);
      else if (!hushed) io.write(text);
    },
    lines: (ls) => {
      if (run.muted === true) return;
      const text = ls.map((l) => l + '\n').join('');
      if (st.out !== null) st.out(text);
      else if (!hushed) io.write(text);
    },
    err: (text) => {
      if (run.muted === true) return;
      if (st.err !== null) st.err(text);
      else if (!hushed) io.write(text);
    },
    finish: (code) => {
      if (run.code !== null) return;
      run.code = code;
      endProc(node, run.proc);
      // A job that ends later resumes the line; one that ends inside run() is handled by start().
      if (run.job) pump();
    },
  });

  /** Runs queued lines and their commands until a job is left running or nothing is left. */
  const pump = (): void => {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        if (running) {
          if (running.code === null) break;
          if (running.job?.input) io.stdin?.(false);
          if (current) {
            current.last = running.code;
            current.next++;
          }
          running = null;
        }
        if (!current) {
          const p = queue.shift();
          if (!p) break;
          if (closed) {
            p.done(EXIT.FAILURE);
            continue;
          }
          begin(p);
          continue;
        }
        const c: Current = current;
        if (c.next >= c.cmds.length || aborted || closed) {
          current = null;
          c.done(c.last);
          continue;
        }
        // In a pipeline the commands run one after the other: each reads what the one before wrote.
        const fromPipe = c.next > 0 && c.pipes?.[c.next - 1] === true ? (c.piped?.text ?? '') : undefined;
        c.piped = c.pipes?.[c.next] === true ? { text: '', full: false } : null;
        const code = start(c.cmds[c.next], c.background[c.next], c.redirects?.[c.next], c.stdin.get(c.next) ?? fromPipe, c.piped);
        if (code === null) break;
        c.last = code;
        c.next++;
      }
    } finally {
      pumping = false;
    }
  };

  /** Ctrl-C to the running job; one that does not finish is ended anyway (the shell never wedges). */
  const stopJob = (lineEnded = false): void => {
    const r = running;
    if (r?.job) {
      interruptHeld(r.job);
      if (r.code === null) r.code = EXIT.INTERRUPTED;
      endProc(node, r.proc);
      // sh ends the line after a command killed by SIGINT (the terminal showed `^C`).
      if (r.code === EXIT.INTERRUPTED && !lineEnded) io.write('\n');
    }
    pump();
  };

  return {
    node,
    exec(line, done) {
      if (closed) return done(EXIT.FAILURE);
      if (queue.length >= QUEUED_LINES_MAX) {
        io.write(`sh: input queue full (${QUEUED_LINES_MAX} lines): line dropped\n`);
        return done(EXIT.FAILURE);
      }
      queue.push({ line, done });
      pump();
    },
    input(text) {
      const job = running?.job;
      if (closed || !job?.input || running?.code !== null) return false;
      if (text === EOF_INPUT) job.eof?.();
      else job.input(text);
      return true;
    },
    suspend() {
      const r = running;
      // A program that cannot be stopped goes on, as one that ignores SIGTSTP does.
      if (closed || r === null || r.job === null || r.code !== null) return;
      signalProc(r.proc, SIG.TSTP);
    },
    interrupt(reason) {
      if (reason) io.write(`\nsh: ${reason}\n`);
      aborted = true;
      heredoc = null;
      queue.length = 0;
      stopJob(Boolean(reason));
    },
    complete(line, cursor): Completion {
      return completeLine(world, node, table, line, cursor);
    },
    // sh's PS2 while a here-document is being read.
    prompt: () => (heredoc !== null ? '> ' : `${node.name}# `),
    close() {
      closed = true;
      heredoc = null;
      queue.length = 0;
      stopJob();
      hushed = true;
      // The terminal's hangup ends its jobs; daemons (iperf3 -D) detached from it and go on,
      // as does everything a script without a terminal started.
      // A stopped one dies too: the kernel sends SIGHUP and SIGCONT to an orphaned stopped job.
      if (tty !== null) for (const j of bg) if (j.run.code === null && j.id > 0) j.run.proc.kill(SIG.HUP);
      bg.length = 0;
    },
  };
}
