// Job control text and lookups for the shell session, as FreeBSD sh(1) has them: the
// `[1] 1001` line of `CMD &`, `jobs` rows (`[1] + Running   iperf3 -s`), `%N` / `%%` /
// `%+` job specs, and the status words of finished jobs. No state of its own.

import type { Proc } from '../node/procs';
import { EXIT } from './types';

/** A background command (or a detached daemon: `id` 0, never listed by `jobs`). */
export interface BgJob {
  id: number;
  pid: number;
  text: string;
  run: { job: { interrupt(): void; input?(text: string): void } | null; code: number | null; proc: Proc };
  /** The exit status was shown (`Done`, `Terminated`): the entry can go. */
  reported: boolean;
}

/** Commands the session runs itself (they act on its job table), for `help` and Tab. */
export const JOB_BUILTINS: readonly { name: string; summary: string }[] = [
  { name: 'jobs', summary: 'list background jobs (CMD & starts one; -l with PIDs, -p PIDs only)' },
  { name: 'fg', summary: 'bring a background job to the foreground (fg %N)' },
  { name: 'kill', summary: 'end a program of this node (kill %N | PID; ps shows PIDs)' },
];

/** SIGTERM's shell status (128 + 15). */
export const EXIT_TERMINATED = 143;

export function jobStatus(code: number | null): string {
  if (code === null) return 'Running';
  if (code === EXIT.OK) return 'Done';
  if (code === EXIT_TERMINATED) return 'Terminated';
  if (code === EXIT.INTERRUPTED) return 'Interrupt';
  return `Done(${code})`;
}

/**
 * `[1] + Running                 iperf3 -s`; `current` marks the most recent job with `+`;
 * `withPid` (jobs -l) puts the PID before the status. The command starts at column 30, after
 * at least one space (FreeBSD sh's showjob).
 */
export function jobLine(j: BgJob, current: boolean, withPid = false): string {
  const head = `[${j.id}] ${current ? '+' : ' '} ${withPid ? `${j.pid} ` : ''}${jobStatus(j.run.code)}`;
  return `${head} `.padEnd(30) + j.text;
}

/** The job a `%N`, `%%` or `%+` spec (or none: the current job) names, or an error text. */
export function findJob(jobs: readonly BgJob[], spec: string | undefined): BgJob | string {
  const listed = jobs.filter((j) => j.id > 0);
  if (spec === undefined || spec === '%%' || spec === '%+' || spec === '%') {
    const j = listed[listed.length - 1];
    return j ?? 'No current job';
  }
  const m = /^%([0-9]+)$/.exec(spec);
  if (!m) return `${spec}: No such job`;
  const j = listed.find((x) => x.id === Number(m[1]));
  return j ?? `${spec}: No such job`;
}

/** Smallest free job number, as sh reuses them. */
export function freeJobId(jobs: readonly BgJob[]): number {
  let id = 1;
  while (jobs.some((j) => j.id === id)) id++;
  return id;
}
