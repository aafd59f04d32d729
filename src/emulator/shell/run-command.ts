// Runs one shell line to completion in virtual time, as fast as possible: the driver the
// CLI and scenario tests use (the GUI uses the real-time driver instead). A command
// that would run forever (ping without -c) is interrupted, like Ctrl-C, at `limitNs`. A
// zero-delay livelock is the scheduler's to catch: it throws SimStall, which reaches the caller.

import type { World } from '../engine/world';
import { openShell } from './session';
import type { ShellSession } from './types';

export interface CommandRun {
  exitCode: number;
  output: string;
  /** Virtual time when the command started and finished. */
  startNs: number;
  endNs: number;
  /** True when the command hit the time limit and was interrupted. */
  interrupted: boolean;
}

/** Default cap on one command's virtual run time: one virtual hour. */
export const COMMAND_LIMIT_NS = 3600e9;

export function runLine(session: ShellSession, world: World, line: string, limitNs = COMMAND_LIMIT_NS): Omit<CommandRun, 'output'> {
  const sim = world.sim;
  const startNs = sim.now();
  let exitCode = -1;
  let interrupted = false;
  session.exec(line, (code) => (exitCode = code));
  const deadline = startNs + limitNs;
  while (exitCode < 0) {
    const next = sim.peekTime();
    if (next === null) break;
    if (next > deadline) {
      sim.runUntil(deadline);
      interrupted = true;
      session.interrupt();
      break;
    }
    sim.step();
  }
  if (exitCode < 0) {
    // Nothing left to run and the command never finished: treat as interrupted.
    interrupted = true;
    session.interrupt();
    if (exitCode < 0) exitCode = 130;
  }
  return { exitCode, startNs, endNs: sim.now(), interrupted };
}

/** Open a shell on `node` (id or name), run `line`, return exit status and output. */
export function runCommand(world: World, node: string, line: string, limitNs = COMMAND_LIMIT_NS): CommandRun {
  const out = { text: '' };
  const n = world.findNode(node);
  if (!n) throw new Error(`no node named ${node}`);
  const session = openShell(world, n.id, { write: (t) => (out.text += t) });
  const r = runLine(session, world, line, limitNs);
  session.close();
  return { ...r, output: out.text };
}
