// Job control text and lookups for the shell session, as FreeBSD sh(1) has them: the
// `[1] 1001` line of `CMD &`, `jobs` rows (`[1] + Running   iperf3 -s`), `%N` / `%%` /
// `%+` `%-` job specs, the current job sh picks (a stopped one first), and the status
// words of running, stopped and finished jobs. No state of its own.

import type { Proc } from '../node/procs';
import { EXIT } from './types';
import { SIG, signalText } from '../node/signals';

/** A background command (or a detached daemon: `id` 0, never listed by `jobs`), running or stopped. */
export interface BgJob {
  id: number;
  pid: number;
  text: string;
  run: { job: { interrupt(): void; input?(text: string): void } | null; code: number | null; proc: Proc; jobId?: number };
  /** The exit status was shown (`Done`, `Terminated`): the entry can go. */
  reported: boolean;
}

/** Commands the session runs itself (they act on its job table), for `help` and Tab. */
export const JOB_BUILTINS: readonly { name: string; summary: string }[] = [
  { name: 'jobs', summary: 'list background and stopped jobs (CMD & starts one, Ctrl-Z stops one; -l with PIDs, -p PIDs only)' },
  { name: 'fg', summary: 'continue a job in the foreground (fg %N)' },
  { name: 'bg', summary: 'continue a stopped job in the background (bg %N)' },
  { name: 'kill', summary: 'signal a program of this node (kill [-s SIG | -SIG] %N | PID; kill -l lists signals; ps shows PIDs)' },
];

/** SIGTERM's shell status (128 + 15). */
export const EXIT_TERMINATED = 143;

/** The status word of a job (FreeBSD sh's showjob: sys_siglist for a signal). */
export function jobStatus(j: BgJob): string {
  const code = j.run.code;
  if (code === null) return stoppedBy(j) ?? 'Running';
  if (code === EXIT.OK) return 'Done';
  // 128 + N: killed by signal N (a command ended by Ctrl-C says 130, SIGINT's).
  if (code > 128 && code < 160) return signalText(code - 128);
  return `Done (${code})`;
}

/** What stopped a running job (`Suspended` for Ctrl-Z), or null when it runs. */
function stoppedBy(j: BgJob): string | null {
  const p = j.run.proc;
  return p.gate?.stopped === true ? signalText(p.stopSignal ?? SIG.TSTP) : null;
}

/**
 * `[1] + Running                 iperf3 -s`; `mark` is `+` for the current job, `-` for the
 * previous one; `withPid` (jobs -l) puts the PID before the status. The command starts at
 * column 30, after at least one space (FreeBSD sh's showjob).
 */
export function jobLine(j: BgJob, mark: JobMark, withPid = false): string {
  const head = `[${j.id}] ${mark} ${withPid ? `${j.pid} ` : ''}${jobStatus(j)}`;
  return `${head} `.padEnd(30) + j.text;
}

export type JobMark = '+' | '-' | ' ';

/**
 * The current job and the one before it, as sh's getcurjob picks them: the most recently
 * used job that has not ended, a stopped one first. `jobs` is in use order, oldest first.
 */
export function currentJobs(jobs: readonly BgJob[]): { cur: BgJob | null; prev: BgJob | null } {
  const pick = (not: BgJob | null): BgJob | null => {
    let any: BgJob | null = null;
    for (let i = jobs.length - 1; i >= 0; i--) {
      const j = jobs[i];
      if (j.id === 0 || j === not || j.run.code !== null) continue;
      if (stoppedBy(j) !== null) return j;
      any ??= j;
    }
    return any;
  };
  const cur = pick(null);
  return { cur, prev: cur === null ? null : pick(cur) };
}

/** The mark of `j` in the jobs table. */
export function jobMark(jobs: readonly BgJob[], j: BgJob): JobMark {
  const { cur, prev } = currentJobs(jobs);
  return j === cur ? '+' : j === prev ? '-' : ' ';
}

/**
 * The job a spec names: none, `%%`, `%+` (the current job), `%-` (the previous one), `%N`,
 * `%STRING` (the command begins with it), `%?STRING` (contains it) or a PID; else an error
 * text (FreeBSD sh's getjob).
 */
export function findJob(jobs: readonly BgJob[], spec: string | undefined): BgJob | string {
  const listed = jobs.filter((j) => j.id > 0);
  const { cur, prev } = currentJobs(jobs);
  if (spec === undefined || spec === '%%' || spec === '%+' || spec === '%') return cur ?? 'No current job';
  if (spec === '%-') return prev ?? 'No previous job';
  if (spec.startsWith('%')) {
    const body = spec.slice(1);
    if (/^[0-9]+$/.test(body)) return listed.find((x) => x.id === Number(body)) ?? `No such job: ${spec}`;
    const contains = body.startsWith('?');
    const found = listed.filter((x) => (contains ? x.text.includes(body.slice(1)) : x.text.startsWith(body)));
    if (found.length > 1) return `${spec}: ambiguous`;
    if (found.length === 1) return found[0];
  } else if (/^[0-9]+$/.test(spec)) {
    const j = listed.find((x) => x.pid === Number(spec));
    if (j !== undefined) return j;
  }
  return `No such job: ${spec}`;
}

/** Smallest free job number, as sh reuses them. */
export function freeJobId(jobs: readonly BgJob[]): number {
  let id = 1;
  while (jobs.some((j) => j.id === id)) id++;
  return id;
}
