// Shell sessions of the protocol (shell/open|exec|interrupt|suspend|complete|close): numbers sessions,
// routes each to the node's shell (src/emulator/shell, DESIGN decision 5) and turns its
// output into shell/output and shell/done events. It does not interpret commands.

import { openShell, type ShellSession } from '../shell';
import type { EngineEvent } from './protocol';
import type { World } from './world';
import { ERROR_CODE, EngineError } from './errors';
import type { Rerun } from './rewind';

export class ShellSessions {
  private readonly sessions = new Map<number, ShellSession>();
  /** Node name of each session (step back replays a session's lines on its node). */
  private readonly nodes = new Map<number, string>();
  private nextId = 1;

  /** `push` queues an event for the next flush (consecutive output of a session is merged). */
  constructor(private readonly push: (e: EngineEvent) => void) {}

  open(world: World, nodeId: string): { session: number; prompt: string; banner: string } {
    const node = world.nodeById(nodeId)!;
    if (!node.stack && !node.bridge) throw new EngineError(ERROR_CODE.NOT_SUPPORTED, `node ${node.name} (kind ${node.kind}) does not run yet`);
    const id = this.nextId++;
    const shell = openShell(world, nodeId, {
      write: (text) => this.push({ type: 'shell/output', session: id, text }),
      stdin: (open) => this.push({ type: 'shell/stdin', session: id, open }),
    });
    this.sessions.set(id, shell);
    this.nodes.set(id, node.name);
    return { session: id, prompt: shell.prompt(), banner: `VirtNet ${node.kind} ${node.name}\n` };
  }

  nodeName(session: number): string {
    this.need(session);
    return this.nodes.get(session)!;
  }

  /**
   * After a step back: every open session continues in the rebuilt run's shell of the same
   * session (opened there if it had typed nothing), its output and completions sent as
   * this session's events again, starting with whether a command reads its standard input
   * then (shell/stdin). The old run's shells are closed silently.
   */
  adopt(rerun: Rerun): number[] {
    const ids = [...this.sessions.keys()];
    for (const id of ids) {
      this.sessions.get(id)!.close();
      this.sessions.set(id, rerun.shellFor(`#${id}`, this.nodes.get(id)!));
      // The terminal learns whether typing goes to a command's standard input then (nc) or to the shell.
      this.push({ type: 'shell/stdin', session: id, open: rerun.stdinOpen.get(`#${id}`) ?? false });
    }
    rerun.live = {
      write: (key, text) => this.push({ type: 'shell/output', session: Number(key.slice(1)), text }),
      done: (key, exitCode, prompt) => this.push({ type: 'shell/done', session: Number(key.slice(1)), exitCode, prompt }),
      stdin: (key, open) => this.push({ type: 'shell/stdin', session: Number(key.slice(1)), open }),
    };
    return ids;
  }

  exec(session: number, line: string): void {
    const shell = this.need(session);
    shell.exec(line, (exitCode) => this.push({ type: 'shell/done', session, exitCode, prompt: shell.prompt() }));
  }

  interrupt(session: number): void {
    this.need(session).interrupt();
  }

  suspend(session: number): void {
    this.need(session).suspend();
  }

  input(session: number, text: string): boolean {
    return this.need(session).input(text);
  }

  complete(session: number, line: string, cursor: number): { from: number; candidates: string[] } {
    return this.need(session).complete(line, cursor);
  }

  close(session: number): void {
    this.need(session).close();
    this.sessions.delete(session);
    this.nodes.delete(session);
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
    this.nodes.clear();
  }

  private need(session: number): ShellSession {
    const s = this.sessions.get(session);
    if (!s) throw new EngineError(ERROR_CODE.UNKNOWN_SESSION, `unknown shell session ${session}`);
    return s;
  }
}
