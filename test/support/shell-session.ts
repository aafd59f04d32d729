// Test helper: a shell session on a node of a World, as a person's terminal (the one shell
// interpreter), collecting its output and the exit code of the last command. Test support only.
import type { World } from '../../src/emulator/engine/world';
import { openShell } from '../../src/emulator/shell';

export interface TestSession {
  s: ReturnType<typeof openShell>;
  /** Everything written so far, and the last command's exit code (-1 while it runs). */
  out: { text: string; code: number };
  exec(line: string): void;
}

export function shellSession(w: World, node: string): TestSession {
  const out = { text: '', code: -1 };
  const s = openShell(w, w.findNode(node)!.id, { write: (t) => (out.text += t) });
  return { s, out, exec: (line) => s.exec(line, (c) => (out.code = c)) };
}

/** `listen` (e.g. `nc -l 5000`) on `serverNode`, then 0.1 s later `connect` on `clientNode`, then 1 virtual second. */
export function ncPair(w: World, serverNode: string, listen: string, clientNode: string, connect: string): { server: TestSession; client: TestSession } {
  const server = shellSession(w, serverNode);
  server.exec(listen);
  w.sim.runUntil(w.sim.now() + 100_000_000);
  const client = shellSession(w, clientNode);
  client.exec(connect);
  w.sim.runUntil(w.sim.now() + 1_000_000_000);
  return { server, client };
}

/** What `line` writes on `t` (it must finish at once), and its exit code. */
export function said(t: TestSession, line: string): { text: string; code: number } {
  const from = t.out.text.length;
  t.exec(line);
  return { text: t.out.text.slice(from), code: t.out.code };
}

/** Runs the world `sec` virtual seconds on from now. */
export function runFor(w: World, sec: number): void {
  w.sim.runUntil(w.sim.now() + sec * 1e9);
}
