// Runs one shell line to completion in virtual time, as fast as possible: the driver the
// CLI and scenario tests use (the GUI uses the real-time driver instead). A command
// that would run forever (ping without -c) is interrupted, like Ctrl-C, at `limitNs`, and
// one whose events stop virtual time (a zero-delay livelock) is interrupted with a message.

import type { World } from '../engine/world';
import { openShell } from './session';
import type { ShellSession } from './types';

export interface CommandRun {
  exitCode: number;
  output: string;
  /** Virtual time when the command started and finished. */
  startNs: number;
  endNs: number;
  /** True when the command hit the time limit (or a stall) and was interrupted. */
  interrupted: boolean;
  /** True when virtual time stood still for STALL_EVENTS_MAX events and the command was stopped. */
  stalled: boolean;
}

/** Default cap on one command's virtual run time: one virtual hour. */
export const COMMAND_LIMIT_NS = 3600e9;
/** Events at one virtual instant after which the network is taken to be stuck (no progress). */
export const STALL_EVENTS_MAX = 1_000_000;

export function runLine(session: ShellSession, world: World, line: string, limitNs = COMMAND_LIMIT_NS): Omit<CommandRun, 'output'> {
  const sim = world.sim;
  const startNs = sim.now();
  let exitCode = -1;
  let interrupted = false;
  let stalled = false;
  session.exec(line, (code) => (exitCode = code));
  const deadline = startNs + limitNs;
  let instantNs = -1;
  let atInstant = 0;
  while (exitCode < 0) {
    const next = sim.peekTime();
    if (next === null) break;
    if (next > deadline) {
      sim.runUntil(deadline);
      interrupted = true;
      session.interrupt();
      break;
    }
    if (next !== instantNs) {
      instantNs = next;
      atInstant = 0;
    } else if (++atInstant > STALL_EVENTS_MAX) {
      interrupted = stalled = true;
      session.interrupt(`virtual time stood still at ${(next / 1e9).toFixed(6)} s for ${STALL_EVENTS_MAX} events: command stopped`);
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
  return { exitCode, startNs, endNs: sim.now(), interrupted, stalled };
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
