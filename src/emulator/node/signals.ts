// FreeBSD's signals as kill(1) and sh(1) name them: numbers, names (`TERM`, `SIGTERM`, `15`),
// what each does by default to a program that does not catch it (end it, stop it, continue
// it, or nothing), the text sh prints for it (sys_siglist: `Terminated`, `Suspended`) and
// `kill -l`'s list. Tables only, no state.

/** The signals the shell acts on, by FreeBSD number. */
export const SIG = { HUP: 1, INT: 2, KILL: 9, TERM: 15, STOP: 17, TSTP: 18, CONT: 19 } as const;

/** sys_signame, index = number (FreeBSD 14, NSIG 32). */
const NAMES = [
  '', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'EMT', 'FPE', 'KILL', 'BUS', 'SEGV', 'SYS', 'PIPE', 'ALRM', 'TERM', 'URG',
  'STOP', 'TSTP', 'CONT', 'CHLD', 'TTIN', 'TTOU', 'IO', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'INFO', 'USR1', 'USR2',
] as const;

/** sys_siglist: what sh says of a job a signal ended or stopped. */
const TEXTS = [
  'Signal 0', 'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/BPT trap', 'Abort trap', 'EMT trap',
  'Floating point exception', 'Killed', 'Bus error', 'Segmentation fault', 'Bad system call', 'Broken pipe', 'Alarm clock',
  'Terminated', 'Urgent I/O condition', 'Suspended (signal)', 'Suspended', 'Continued', 'Child exited', 'Stopped (tty input)',
  'Stopped (tty output)', 'I/O possible', 'Cputime limit exceeded', 'Filesize limit exceeded', 'Virtual timer expired',
  'Profiling timer expired', 'Window size changes', 'Information request', 'User defined signal 1', 'User defined signal 2',
] as const;

/** What a signal does to a program that does not catch it (signal(3)'s default actions). */
export type SignalAction = 'terminate' | 'stop' | 'continue' | 'ignore' | 'none';

export function signalAction(sig: number): SignalAction {
  if (sig === 0) return 'none';
  if (sig === SIG.STOP || sig === SIG.TSTP || sig === 21 || sig === 22) return 'stop';
  if (sig === SIG.CONT) return 'continue';
  // URG, CHLD, WINCH and INFO are discarded when not caught.
  if (sig === 16 || sig === 20 || sig === 28 || sig === 29) return 'ignore';
  return 'terminate';
}

/** `TERM`, `SIGTERM`, `term` or `15` as a number; null when no such signal. */
export function parseSignal(text: string): number | null {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n < NAMES.length ? n : null;
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  const n = NAMES.indexOf(name as (typeof NAMES)[number]);
  return n > 0 ? n : null;
}

export function signalName(sig: number): string {
  return NAMES[sig] ?? String(sig);
}

export function signalText(sig: number): string {
  return TEXTS[sig] ?? `Signal ${sig}`;
}

/** `kill -l`: the names, half on each line (FreeBSD kill's printsignals). */
export function signalListLines(): string[] {
  const half = NAMES.length / 2;
  return [NAMES.slice(1, half + 1).join(' '), NAMES.slice(half + 1).join(' ')];
}
