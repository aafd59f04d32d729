// The `sleep` command: FreeBSD sleep(1) argument rules (number[unit] with s, m, h, d;
// several operands add up) in virtual time, so a lab script can wait between commands.
// Ctrl-C ends it with status 130, as a shell reports a process killed by SIGINT.

import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';

const UNIT_S: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** sleep(1) refuses totals above INT_MAX seconds. */
const MAX_S = 2_147_483_647;
const USAGE = ['usage: sleep number[unit] [...]', "Unit can be 's' (seconds, the default), m (minutes), h (hours), or d (days)."];

/** Seconds of one operand (`1.5`, `30s`, `2m`), or null. */
function operandSeconds(text: string): number | null {
  const m = /^([0-9]+\.?[0-9]*|\.[0-9]+)([smhd]?)$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT_S[m[2] || 's'];
}

function run(ctx: CommandContext, args: string[]): number | Job {
  const operands = args[0] === '--' ? args.slice(1) : args;
  if (operands.length === 0) {
    ctx.lines(USAGE);
    return EXIT.FAILURE;
  }
  let seconds = 0;
  for (const a of operands) {
    const s = operandSeconds(a);
    if (s === null) {
      ctx.lines([`sleep: invalid time interval: ${a}`, ...USAGE]);
      return EXIT.FAILURE;
    }
    seconds += s;
  }
  if (seconds > MAX_S) {
    ctx.lines(USAGE);
    return EXIT.FAILURE;
  }
  // Virtual time has integer nanoseconds; anything shorter than one returns at once.
  const ns = Math.round(seconds * 1e9);
  if (ns <= 0) return EXIT.OK;
  // Through the gate: a stopped sleep that is due finishes once it is continued.
  const sim = ctx.gate().timers;
  const timer = sim.schedule(ns, () => ctx.finish(EXIT.OK));
  return {
    interrupt() {
      sim.cancel(timer);
      ctx.finish(EXIT.INTERRUPTED);
    },
  };
}

export const sleepCommand: CommandSpec = { name: 'sleep', summary: 'suspend execution for an interval of (virtual) time', needsStack: false, run };
