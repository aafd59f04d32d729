// The node shell session (DESIGN decision 5: one interpreter for GUI terminals and the
// CLI): tokenizes a line, looks commands up in the table for the node's kind, runs
// them in order and reports the exit status, queueing lines typed while a job runs.
// Must not advance time itself; the caller's driver runs the scheduler.

import type { World } from '../engine/world';
import type { NetStack } from '../stack/types';
import { commandTable } from './commands';
import { tokenize } from './tokenize';
import { EXIT, type CommandContext, type Job, type ShellIo, type ShellSession } from './types';

export function openShell(world: World, nodeId: string, io: ShellIo): ShellSession {
  const node = world.nodeById(nodeId) ?? world.nodeByName(nodeId);
  if (!node) throw new Error(`openShell: no node ${nodeId}`);
  const table = commandTable();
  const queue: { line: string; done: (code: number) => void }[] = [];
  let job: Job | null = null;
  let busy = false;
  let closed = false;
  let aborted = false;

  const runLine = (line: string, done: (code: number) => void): void => {
    busy = true;
    aborted = false;
    const t = tokenize(line);
    if (!t.ok) {
      io.write(`sh: ${t.error}\n`);
      return finishLine(done, 2);
    }
    const cmds = t.commands;
    let last = 0;
    const next = (k: number): void => {
      if (k >= cmds.length || aborted || closed) return finishLine(done, last);
      runOne(cmds[k], (code) => {
        last = code;
        next(k + 1);
      });
    };
    next(0);
  };

  const runOne = (argv: string[], then: (code: number) => void): void => {
    const spec = table.get(argv[0]);
    if (!spec || (spec.needsStack && !node.stack)) {
      io.write(`sh: ${argv[0]}: not found\n`);
      return then(EXIT.NOT_FOUND);
    }
    let finished = false;
    const ctx: CommandContext = {
      world,
      node,
      stack: node.stack as NetStack,
      out: (text) => io.write(text),
      lines: (ls) => io.write(ls.map((l) => l + '\n').join('')),
      finish: (code) => {
        if (finished) return;
        finished = true;
        job = null;
        then(code);
      },
    };
    let result: number | Job;
    try {
      result = spec.run(ctx, argv.slice(1));
    } catch (err) {
      // A command bug must not kill the terminal; report it like a crashed process.
      io.write(`sh: ${argv[0]}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      result = 70;
    }
    if (typeof result === 'number') ctx.finish(result);
    else if (!finished) job = result;
  };

  const finishLine = (done: (code: number) => void, code: number): void => {
    busy = false;
    done(code);
    const q = queue.shift();
    if (q && !closed) runLine(q.line, q.done);
  };

  return {
    node,
    exec(line, done) {
      if (closed) return done(EXIT.FAILURE);
      if (busy) queue.push({ line, done });
      else runLine(line, done);
    },
    interrupt() {
      aborted = true;
      queue.length = 0;
      if (job) job.interrupt();
    },
    prompt: () => `${node.name}# `,
    close() {
      closed = true;
      queue.length = 0;
      if (job) job.interrupt();
    },
  };
}
