// Shapes shared by the shell session and its commands: what a command receives (its
// node, the world, an output sink) and what it returns (an exit status now, or a job
// that finishes later in virtual time). No behaviour here.

import type { NodeRuntime, World } from '../engine/world';
import type { NetStack } from '../stack/types';
import type { Proc } from '../node/procs';
import type { ProcGate } from '../node/proc-gate';

export interface ShellIo {
  write(text: string): void;
  /** A command that reads standard input started (true) or ended (false). */
  stdin?(open: boolean): void;
  /**
   * No terminal behind the session (a node's startup script, as rc runs one): its programs
   * have none (ps shows `-`), and closing it hangs up none of its background jobs.
   */
  readonly detached?: boolean;
}

export interface ShellSession {
  /** Run one line; `done` gets the exit status of its last command. Returns at once. */
  exec(line: string, done: (exitCode: number) => void): void;
  /**
   * Text typed while a command runs that reads its standard input (nc): handed to it, true.
   * False when the running command (or none) reads no input: the caller treats it as type-ahead.
   * EOF_INPUT alone is the end of file (Ctrl-D on an empty line, as a tty in canonical mode).
   */
  input(text: string): boolean;
  /** Ctrl-C: stop the running command (ping/traceroute print their summary); `reason` is printed first. */
  interrupt(reason?: string): void;
  /**
   * Ctrl-Z (the terminal's VSUSP): stop the running command, as SIGTSTP does, and make it a
   * job (`[1] + Suspended   cmd`; `fg` or `bg` continues it). Nothing happens at the prompt.
   */
  suspend(): void;
  /** Tab: what the word before `cursor` could become (commands, flags, interfaces, nodes). */
  complete(line: string, cursor: number): Completion;
  /** `pc1# ` */
  prompt(): string;
  /** Stop anything running; further exec calls fail. */
  close(): void;
  readonly node: NodeRuntime;
}

/** Tab completion: `line.slice(from, cursor)` may be replaced by any of `candidates` (sorted). */
export interface Completion {
  from: number;
  candidates: string[];
}

export interface CommandContext {
  readonly world: World;
  readonly node: NodeRuntime;
  /** The node's stack; commands marked `needsStack` may rely on it being non-null. */
  readonly stack: NetStack;
  /** This command as a program of the node (ps, sockstat): sockets it opens are its own. */
  readonly proc: Proc;
  /**
   * The program's gate (node/proc-gate.ts): a command whose timers and socket callbacks all
   * pass through it can be stopped (Ctrl-Z, kill -STOP) and continued (fg, bg). A command
   * that never asks for it goes on when stopped, as a program that ignores SIGTSTP does.
   */
  gate(): ProcGate;
  /** Write text as is (include the newline). */
  out(text: string): void;
  /** Write lines, each followed by a newline. */
  lines(lines: readonly string[]): void;
  /** Write an error message (standard error: the terminal unless redirected with 2>). */
  err(text: string): void;
  /** Standard input given by `< FILE` or a here-document; null when it is the terminal. */
  readonly stdin: string | null;
  /** Async commands call this once when they finish. */
  finish(exitCode: number): void;
}

/** What the terminal sends for Ctrl-D on an empty line: end of file on standard input. */
export const EOF_INPUT = '\x04';

/** A command still running; the session calls interrupt() on Ctrl-C. */
export interface Job {
  interrupt(): void;
  /** Standard input: what the user types while the job runs (absent: the job reads none). */
  input?(text: string): void;
  /** End of file on standard input (the terminal's Ctrl-D); absent: the job ignores it. */
  eof?(): void;
  /** Detached at once (a daemon such as `iperf3 -s -D`): the shell goes on; `kill PID` ends it, from any terminal of the node (closing its terminal does not). */
  daemon?: boolean;
}

export interface CommandSpec {
  name: string;
  /** One-line description for `help`. */
  summary: string;
  /** False for commands that work on switches and hubs too. */
  needsStack: boolean;
  /** Exit status now, or a job that calls ctx.finish later. */
  run(ctx: CommandContext, args: string[]): number | Job;
}

/** sysexits(3) and shell statuses the tools use. */
export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 64,
  NOHOST: 68,
  NOT_FOUND: 127,
  INTERRUPTED: 130,
} as const;
